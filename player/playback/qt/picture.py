"""The Qt backend's picture in the player page: a QVideoWidget fed by the backend, frame by frame.

The backend hands each decoded frame (already mirrored when asked) and the current cue to this widget's
video sink; Qt scales the picture, keeps its aspect ratio on black, and draws the cue as subtitle text
over it, never mirrored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QSizePolicy

from player.playback.qt.backend import QtBackend


class QtPicture(QVideoWidget):
    """Shows what a :class:`QtBackend` plays; detaches itself from the backend when destroyed."""

    def __init__(self, backend: QtBackend) -> None:
        super().__init__()
        self.setAccessibleName("Video")
        self.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._backend = backend
        backend.set_video_sink(self.videoSink())
        self.destroyed.connect(lambda: backend.set_video_sink(None))
