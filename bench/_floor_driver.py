"""Child process of first_frame.py: the toolkit floor, a minimal PySide6 player with one of the app's backends.

    python bench/_floor_driver.py T0 MEDIA BACKEND

What any PySide6 program pays before its first picture with that backend, and nothing of Movement Player's
own: Python, PySide6 imported, the backend chosen and made through ``player.playback.registry`` in the app's
order (``choose`` before the QApplication, ``create`` after it), a bare QMainWindow (the app's 1200x760) whose
central widget is one native child window, the picture put there as the app puts it (the backend's
``picture_widget`` in it, else ``attach_window`` with its id), then ``load(MEDIA)`` and ``play()``. No journal,
no library, no pages, no settings, no cues, none of ``player.ui``; not even ``bench/_common.py``, whose import
reads the session library (~30 ms).

Same stdout protocol as ``_app_driver.py``: T0 is the parent's ``time.time()`` just before the spawn;
it prints ``window XID`` (the native child, the area the parent watches), ``mark MS STAGE`` (MS after T0)
for ``python up``, ``PySide6 imported``, ``backend ready``, ``playing`` and ``first frame event`` (the
backend's own ``playback_first_frame``), or ``failed MESSAGE``; then keeps playing until the parent ends it
(or quits after LINGER_MS).
"""

from __future__ import annotations

import sys
import time

T0 = float(sys.argv[1])


def say(*words: object) -> None:
    """One line to the parent, flushed at once."""
    print(*words, flush=True)


def mark(stage: str) -> None:
    """``mark MS STAGE``: ``stage`` reached, MS after the parent's spawn."""
    say("mark", f"{(time.time() - T0) * 1000:.1f}", stage)


mark("python up")

from pathlib import Path  # noqa: E402  (the marks time the imports)

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget  # noqa: E402

mark("PySide6 imported")

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # this working tree's player package, as the app driver uses
    sys.path.insert(0, str(REPO))

from player.core.errors import PlaybackError  # noqa: E402
from player.playback.base import PlaybackBackend  # noqa: E402
from player.playback.registry import BackendEntry, choose, create  # noqa: E402

LINGER_MS = 30_000
WINDOW_SIZE = (1200, 760)  # the app's window where the screen allows it (player.ui.main_window)


class Reporter:
    """The backend's listener: says when its first frame is shown, or why it cannot play (any thread)."""

    def playback_first_frame(self) -> None:
        mark("first frame event")

    def playback_ended(self) -> None:
        pass

    def playback_failed(self, error: PlaybackError) -> None:
        say("failed", error.message)


def video_window() -> tuple[QMainWindow, QWidget]:
    """A bare main window whose central widget is a native, black child window (like the app's video surface)."""
    window = QMainWindow()
    surface = QWidget()
    surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    surface.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
    surface.setAutoFillBackground(True)
    palette = surface.palette()
    palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    surface.setPalette(palette)
    window.setCentralWidget(surface)
    window.resize(*WINDOW_SIZE)
    return window, surface


def put_picture(entry: BackendEntry, backend: PlaybackBackend, surface: QWidget) -> None:
    """The picture in ``surface`` as the app puts it: the backend's own widget, else its native window."""
    if entry.picture_widget is not None:
        frame = QVBoxLayout(surface)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.addWidget(entry.picture_widget(backend))
    else:
        backend.attach_window(int(surface.winId()))


def main(argv: list[str]) -> int:
    media, name = Path(argv[0]), argv[1]
    entry = choose(name)  # before the QApplication, as the app's start does
    qt_app = QApplication(sys.argv[:1])
    backend = create(entry, requested=name, platform=QGuiApplication.platformName())
    backend.set_listener(Reporter())
    mark("backend ready")
    window, surface = video_window()
    window.show()
    put_picture(entry, backend, surface)
    say("window", int(surface.winId()))
    backend.load(media)
    backend.play()
    mark("playing")
    QTimer.singleShot(LINGER_MS, qt_app.quit)
    return qt_app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[2:]))
