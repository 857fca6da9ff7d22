"""The fake backend's picture: a calm gradient with the media's name and position, drawn by Qt.

It is the fake's video output: a timer lets the backend's clock move (so the first frame, the end and
the position come on time even when nothing else asks) and repaints.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from player.playback.fake.backend import FakeBackend

# How often the picture moves (ms): 25 frames a second.
FRAME_INTERVAL_MS = 40
# The gradient's two ends: a dusk blue and a sage green, calm behind white text.
GRADIENT_COLOURS = ("#24324a", "#4f7a67")


def clock_text(position_ms: int) -> str:
    """``m:ss`` for a position in milliseconds."""
    minutes, seconds = divmod(max(0, position_ms) // 1000, 60)
    return f"{minutes}:{seconds:02d}"


class TestPicture(QWidget):
    """Shows what the fake backend plays: the media's name, position / length, rate, and a moving bar."""

    __test__ = False  # not a pytest class, whatever its name

    def __init__(self, backend: FakeBackend) -> None:
        super().__init__()
        self.backend = backend
        self.setAccessibleName("Test picture (fake playback backend)")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.frames = 0  # pictures drawn, for tests
        self._timer = QTimer(self, interval=FRAME_INTERVAL_MS)
        self._timer.timeout.connect(self._next_frame)
        self._timer.start()

    def caption(self) -> str:
        """The text on the picture: name, position / length, and what else is set."""
        backend = self.backend
        if backend.loaded is None:
            return "Test picture: nothing loaded"
        extras = [f"{backend.rate:g}×" if backend.rate != 1.0 else "", "mirrored" if backend.mirrored else "",
                  "paused" if not backend.is_playing() else ""]
        details = "  ·  ".join(extra for extra in extras if extra)
        times = f"{clock_text(backend.position_ms())} / {clock_text(backend.duration_ms())}"
        return "\n".join(line for line in (Path(backend.loaded).name, times, details) if line)

    def _next_frame(self) -> None:
        self.backend.tick()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.frames += 1
        painter = QPainter(self)
        rect = QRectF(self.rect())
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        start, end = (QColor(colour) for colour in GRADIENT_COLOURS)
        gradient.setColorAt(0.0, end if self.backend.mirrored else start)
        gradient.setColorAt(1.0, start if self.backend.mirrored else end)
        painter.fillRect(rect, gradient)
        duration_ms = self.backend.duration_ms()
        if duration_ms > 0:
            done = min(1.0, self.backend.position_ms() / duration_ms)
            painter.fillRect(QRectF(QPointF(0, rect.height() - 6), QPointF(rect.width() * done, rect.height())),
                             QColor("#e8e2d0"))
        font = QFont(self.font())
        font.setPointSizeF(max(10.0, min(28.0, rect.height() / 14)))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.caption())
        painter.end()
