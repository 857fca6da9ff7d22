"""The player page: the video inside the window, where we are, the seek bar and labelled controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.core.defaults import SEEK_STEP_MS
from player.ui.formatting import clock


class VideoSurface(QWidget):
    """A native, black child window that libVLC draws into. It is never re-parented."""

    def __init__(self) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAccessibleName("Video")

    def native_handle(self) -> int:
        """The platform window id libVLC needs."""
        return int(self.winId())


def _button(text: str, tip: str, handler: object) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    # Keys belong to the page's shortcuts (Space must pause, not press a focused button).
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(handler)
    return button


class PlayerPage(QWidget):
    """Passive view of a playing snippet. Emits what the user asks for; shows what it is told."""

    pause_toggled = Signal()
    end_requested = Signal()
    replay_requested = Signal()
    seek_by_requested = Signal(int)
    seek_to_requested = Signal(int)
    fullscreen_toggled = Signal()
    fullscreen_left = Signal()
    leave_requested = Signal()
    go_on_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("playerPage")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.video = VideoSurface()
        self.session_label = QLabel()
        self.session_label.setObjectName("subtitle")
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        self.snippet_title = QLabel()
        self.snippet_title.setObjectName("snippetTitle")
        self.elapsed = QLabel("0:00")
        self.elapsed.setObjectName("time")
        self.remaining = QLabel("-0:00")
        self.remaining.setObjectName("time")
        self.seek_bar = QSlider(Qt.Orientation.Horizontal)
        self.seek_bar.setAccessibleName("Position in the snippet")
        self.seek_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seek_bar.sliderReleased.connect(lambda: self.seek_to_requested.emit(self.seek_bar.value()))
        self.pause_button = _button("Pause", "Pause or resume (Space)", self.pause_toggled.emit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.video)
        self.stack.addWidget(self._error_panel())
        self.controls = self._controls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(self._header())
        layout.addWidget(self.snippet_title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.controls)
        self._bind_keys()

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(_button("← Library", "Leave the session and go back to the library", self.leave_requested.emit))
        row.addSpacing(12)
        row.addWidget(self.session_label, 1)
        row.addWidget(self.counter)
        return row

    def _controls(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        times = QHBoxLayout()
        times.addWidget(self.elapsed)
        times.addWidget(self.seek_bar, 1)
        times.addWidget(self.remaining)
        buttons = QHBoxLayout()
        buttons.addWidget(_button("⟲ Replay  R", "Play this snippet again from the start (R)",
                                  self.replay_requested.emit))
        buttons.addWidget(_button("◀◀ 5 s  ←", "Back 5 seconds (Left)",
                                  lambda: self.seek_by_requested.emit(-SEEK_STEP_MS)))
        buttons.addWidget(self.pause_button)
        buttons.addWidget(_button("5 s ▶▶  →", "Forward 5 seconds (Right)",
                                  lambda: self.seek_by_requested.emit(SEEK_STEP_MS)))
        buttons.addStretch(1)
        buttons.addWidget(_button("End snippet, check in  N", "End this snippet now and check in (N)",
                                  self.end_requested.emit))
        buttons.addWidget(_button("Fullscreen  F", "Fullscreen on/off (F, Esc leaves)", self.fullscreen_toggled.emit))
        column.addLayout(times)
        column.addLayout(buttons)
        return box

    def _error_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("errorPanel")
        layout = QVBoxLayout(panel)
        layout.addStretch(1)
        heading = QLabel("This snippet's video could not be played.")
        heading.setObjectName("snippetTitle")
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.error_label, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        retry = _button("Try again (R)", "Try to play this snippet again (R)", self.replay_requested.emit)
        go_on = _button("Go on to the next snippet (Enter)", "Skip this snippet and go on (Enter)",
                        self.go_on_requested.emit)
        go_on.setObjectName("primary")
        row.addWidget(retry)
        row.addWidget(go_on)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return panel

    def _bind_keys(self) -> None:
        keys = {
            "Space": self.pause_toggled.emit,
            "N": self.end_requested.emit,
            "R": self.replay_requested.emit,
            "Left": lambda: self.seek_by_requested.emit(-SEEK_STEP_MS),
            "Right": lambda: self.seek_by_requested.emit(SEEK_STEP_MS),
            "F": self.fullscreen_toggled.emit,
            "Escape": self.fullscreen_left.emit,
            "Return": self._enter,
            "Enter": self._enter,
        }
        for key, handler in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def _enter(self) -> None:
        if self.showing_error():
            self.go_on_requested.emit()

    def show_snippet(self, *, session_title: str, title: str, number: int, count: int) -> None:
        """Show snippet ``number`` (1-based) of ``count`` and its video surface."""
        self.session_label.setText(session_title)
        self.snippet_title.setText(title)
        self.counter.setText(f"{number} of {count}")
        self.stack.setCurrentIndex(0)
        self.show_position(0, 0)
        self.show_paused(False)
        self.setFocus()

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        """Update the time labels and the seek bar (unless the user is dragging it)."""
        self.elapsed.setText(clock(position_ms))
        self.remaining.setText("-" + clock(max(0, duration_ms - position_ms)))
        if not self.seek_bar.isSliderDown():
            self.seek_bar.setRange(0, max(0, duration_ms))
            self.seek_bar.setValue(position_ms)

    def show_paused(self, paused: bool) -> None:
        """Label the pause button with what pressing it will do."""
        self.pause_button.setText("▶ Resume  Space" if paused else "❚❚ Pause  Space")

    def show_error(self, message: str) -> None:
        """Replace the video with an error for this snippet and a way on."""
        self.error_label.setText(message)
        self.stack.setCurrentIndex(1)
        self.setFocus()

    def showing_error(self) -> bool:
        """True while the error panel replaces the video."""
        return self.stack.currentIndex() == 1
