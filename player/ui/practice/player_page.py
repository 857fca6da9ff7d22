"""The player page: the video inside the window, where we are, the seek bar and labelled controls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSlider, QStackedWidget, QVBoxLayout, QWidget

from player.core.defaults import CONTROLS_HIDE_MS, SEEK_STEP_MS
from player.core.text import printable
from player.ui.practice.player_parts import CountdownCard, SnippetList, VideoSurface, key_button
from player.ui.shared.formatting import clock

VIDEO, ERROR, COUNTDOWN = 0, 1, 2
# Events that bring the hidden fullscreen controls back.
WAKE_EVENTS = (QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)


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
    speed_requested = Signal(bool)  # True: faster
    mirror_toggled = Signal()
    loop_pressed = Signal()
    cues_toggled = Signal()
    volume_requested = Signal(int)  # steps, + up, - down
    mute_toggled = Signal()
    shortcuts_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("playerPage")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.video = VideoSurface()
        self.countdown = CountdownCard()
        self.snippets = SnippetList()
        self.session_label = self._label("subtitle")
        self.counter = self._label("counter")
        self.snippet_title = self._label("snippetTitle")
        self.elapsed = self._label("time", "0:00")
        self.remaining = self._label("time", "-0:00")
        self.practice = self._label("hint")
        self.seek_bar = QSlider(Qt.Orientation.Horizontal)
        self.seek_bar.setAccessibleName("Position in the snippet")
        self.seek_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seek_bar.sliderReleased.connect(lambda: self.seek_to_requested.emit(self.seek_bar.value()))
        self.pause_button = key_button("❚❚ Pause", "Space", "Pause or resume", self.pause_toggled.emit)
        self.error_label = self._label("error")
        self.error_label.setWordWrap(True)
        # The session's badge (e.g. "DEMO FOOTAGE"): beside the video, never on it, so mirroring cannot flip it;
        # it stays when fullscreen hides the controls.
        self.badge = self._label("badge")
        self.badge.hide()
        # While a paid part plays: "Licensed to LABEL · #N" at the video's lower right corner, just below it
        # (Qt cannot draw over libVLC's surface), small and calm; it stays in fullscreen, so a screen recording
        # of the paid part carries whose licence it was played with. Never burnt into any file.
        self.licence_mark = self._label("licenceMark")
        self.licence_mark.setAccessibleName("Licence")
        self.licence_mark.hide()
        self.stack = QStackedWidget()
        for panel in (self.video, self._error_panel(), self.countdown):
            self.stack.addWidget(panel)
        self.header = self._header()
        self.controls = self._controls()
        video_column = QVBoxLayout()
        video_column.setSpacing(4)
        video_column.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignRight)
        video_column.addWidget(self.stack, 1)
        video_column.addWidget(self.licence_mark, 0, Qt.AlignmentFlag.AlignRight)
        middle = QHBoxLayout()
        middle.addLayout(video_column, 1)
        middle.addWidget(self.snippets)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addWidget(self.header)
        layout.addLayout(middle, 1)
        layout.addWidget(self.controls)
        self._hide_timer = QTimer(self, singleShot=True, interval=CONTROLS_HIDE_MS)
        self._hide_timer.timeout.connect(self._hide_controls)
        self.fullscreen = False
        self._bind_keys()

    @staticmethod
    def _label(name: str, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # titles, badge and cues come from files: never rich text
        return label

    def _header(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(key_button("← Library", "", "Leave the session and go back to the library",
                                 self.leave_requested.emit))
        titles = QVBoxLayout()
        titles.addWidget(self.session_label)
        titles.addWidget(self.snippet_title)
        row.addLayout(titles, 1)
        status = QVBoxLayout()
        status.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignRight)
        status.addWidget(self.practice, 0, Qt.AlignmentFlag.AlignRight)
        row.addLayout(status)
        return box

    def _controls(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        times = QHBoxLayout()
        times.addWidget(self.elapsed)
        times.addWidget(self.seek_bar, 1)
        times.addWidget(self.remaining)
        transport = QHBoxLayout()
        for text, key, tip, handler in (
            ("⟲ Replay", "R", "Play this snippet again from the start", self.replay_requested.emit),
            ("◀◀ 5 s", "←", "Back 5 seconds", lambda: self.seek_by_requested.emit(-SEEK_STEP_MS)),
        ):
            transport.addWidget(key_button(text, key, tip, handler))
        transport.addWidget(self.pause_button)
        transport.addWidget(key_button("5 s ▶▶", "→", "Forward 5 seconds",
                                       lambda: self.seek_by_requested.emit(SEEK_STEP_MS)))
        transport.addStretch(1)
        transport.addWidget(key_button("End snippet, check in", "N", "End this snippet now and check in",
                                       self.end_requested.emit))
        practice = QHBoxLayout()
        for text, key, tip, handler in (
            ("Slower", "[", "Play slower (the pitch stays)", lambda: self.speed_requested.emit(False)),
            ("Faster", "]", "Play faster (the pitch stays)", lambda: self.speed_requested.emit(True)),
            ("Mirror", "M", "Flip the video left-right, like a mirror", self.mirror_toggled.emit),
            ("Loop", "L", "Mark the start, then the end of a stretch to repeat; again to stop", self.loop_pressed.emit),
            ("Cues", "C", "Show or hide the on-screen cues", self.cues_toggled.emit),
            ("Vol −", "↓", "Quieter", lambda: self.volume_requested.emit(-1)),
            ("Vol +", "↑", "Louder", lambda: self.volume_requested.emit(1)),
            ("Mute", "0", "Sound off or on", self.mute_toggled.emit),
        ):
            practice.addWidget(key_button(text, key, tip, handler))
        practice.addStretch(1)
        practice.addWidget(key_button("Keys", "?", "Show every keyboard shortcut", self.shortcuts_requested.emit))
        practice.addWidget(key_button("Fullscreen", "F", "Fullscreen on or off (Esc leaves)",
                                      self.fullscreen_toggled.emit))
        for row in (times, transport, practice):
            column.addLayout(row)
        return box

    def _error_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("errorPanel")
        layout = QVBoxLayout(panel)
        layout.addStretch(1)
        heading = self._label("snippetTitle", "This snippet's video could not be played.")
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.error_label, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(key_button("Try again", "R", "Try to play this snippet again", self.replay_requested.emit))
        go_on = key_button("Go on to the next snippet", "Enter", "Skip this snippet and go on",
                           self.go_on_requested.emit)
        go_on.setObjectName("primary")
        row.addWidget(go_on)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return panel

    def _bind_keys(self) -> None:
        keys = {
            "Space": self.pause_toggled.emit, "N": self.end_requested.emit, "R": self.replay_requested.emit,
            "Left": lambda: self.seek_by_requested.emit(-SEEK_STEP_MS),
            "Right": lambda: self.seek_by_requested.emit(SEEK_STEP_MS),
            "F": self.fullscreen_toggled.emit, "Escape": self.fullscreen_left.emit,
            "Return": self._enter, "Enter": self._enter,
            "[": lambda: self.speed_requested.emit(False), "]": lambda: self.speed_requested.emit(True),
            "M": self.mirror_toggled.emit, "L": self.loop_pressed.emit, "C": self.cues_toggled.emit,
            "Up": lambda: self.volume_requested.emit(1), "Down": lambda: self.volume_requested.emit(-1),
            "0": self.mute_toggled.emit, "?": self.shortcuts_requested.emit,
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
        self.stack.setCurrentIndex(VIDEO)
        self.show_position(0, 0)
        self.show_paused(False)
        self.setFocus()

    def show_badge(self, text: str) -> None:
        """Show the session's badge beside the video ("" hides it)."""
        self.badge.setText(text)
        self.badge.setVisible(bool(text))

    def show_licence_mark(self, text: str) -> None:
        """Show the licence mark below the video's corner ("" hides it): see :func:`licence_mark_text`."""
        self.licence_mark.setText(text)
        self.licence_mark.setVisible(bool(text))

    def show_countdown(self, seconds: int, *, title: str, first_cue: str) -> None:
        """Show the countdown card in place of the video."""
        self.countdown.show_count(seconds, title=title, first_cue=first_cue)
        self.stack.setCurrentIndex(COUNTDOWN)
        self.setFocus()

    def show_video(self) -> None:
        """Show the video surface (after the countdown)."""
        self.stack.setCurrentIndex(VIDEO)

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
        self.stack.setCurrentIndex(ERROR)
        self.setFocus()

    def showing_error(self) -> bool:
        """True while the error panel replaces the video."""
        return self.stack.currentIndex() == ERROR

    def set_fullscreen_mode(self, on: bool) -> None:
        """Large type; controls hide after a few still seconds and come back on any key or movement."""
        self.fullscreen = on
        self.setProperty("fullscreen", on)
        for widget in (self, *self.findChildren(QWidget)):  # the large-type rules match on this page's property
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        app = QApplication.instance()
        if on and app is not None:
            app.installEventFilter(self)
            self._hide_timer.start()
        else:
            if app is not None:
                app.removeEventFilter(self)
            self._hide_timer.stop()
            self._show_controls()

    def controls_visible(self) -> bool:
        """False while fullscreen has hidden the controls."""
        return not self.controls.isHidden()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.fullscreen and event.type() in WAKE_EVENTS:
            self._show_controls()
            self._hide_timer.start()
        return False

    def _hide_controls(self) -> None:
        if self.fullscreen:
            for part in (self.header, self.controls, self.snippets):
                part.hide()

    def _show_controls(self) -> None:
        for part in (self.header, self.controls, self.snippets):
            part.show()


def licence_mark_text(licensee: str, license_id: str) -> str:
    """The mark shown while a paid part plays: ``Licensed to Ada · #7`` (control characters escaped)."""
    return f"Licensed to {printable(licensee)} · #{license_id}"
