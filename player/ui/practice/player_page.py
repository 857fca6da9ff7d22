"""The player page: the video inside the window, readable from a few steps away.

Always on screen, also in fullscreen once the controls hide: the snippet's title, "2 of 4" and the time left,
in large type; a large *Paused* banner while paused; a brief confirmation (the OSD) when speed, mirror,
loop, cues or volume change. Below: the seek bar and a few primary buttons (back 5 s, pause, end snippet,
practice, fullscreen); the rest sits in the practice drawer (P), whose toggles show whether they are on.
Qt widgets cannot be drawn over libVLC's native surface, so these all sit beside the video, never on it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.core.defaults import CONTROLS_HIDE_MS, SEEK_STEP_MS
from player.core.text import printable
from player.ui.practice.player_parts import CountdownCard, SnippetList, VideoSurface, key_button
from player.ui.shared.formatting import clock

# Events that bring the hidden fullscreen controls back. A key that is a shortcut (Space, M, ]) arrives as a
# ShortcutOverride and never as a KeyPress: without it, the keys people use most did not wake the controls.
WAKE_EVENTS = (QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride,
               QEvent.Type.MouseButtonPress)
OSD_MS = 1600  # how long a confirmation ("Speed 0.75×", "Mirror on") stays on screen


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
        self.counter = self._label("bigCounter")
        self.counter.setAccessibleName("Snippet number")
        self.snippet_title = self._label("snippetTitle")
        self.snippet_title.setWordWrap(True)  # a long title takes two lines on a narrow window
        self.snippet_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.elapsed = self._label("time", "0:00")
        self.remaining = self._label("bigTime", "-0:00")
        self.remaining.setAccessibleName("Time left")
        self.remaining.setToolTip("Time left in this snippet")
        self.total = self._label("time", "0:00")
        self.practice = self._label("hint")
        self.paused_banner = self._label("pausedBanner", "❚❚ Paused")
        self.paused_banner.setToolTip("Paused: Space resumes")
        self.paused_banner.hide()
        self.osd = self._label("osd")
        self.osd.setAccessibleName("Confirmation")
        self.osd.hide()
        self._osd_timer = QTimer(self, singleShot=True, interval=OSD_MS)
        self._osd_timer.timeout.connect(self.osd.hide)
        self.seek_bar = QSlider(Qt.Orientation.Horizontal)
        self.seek_bar.setAccessibleName("Position in the snippet")
        self.seek_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seek_bar.sliderReleased.connect(lambda: self.seek_to_requested.emit(self.seek_bar.value()))
        self.pause_button = key_button("❚❚ Pause", "Space", "Pause or resume", self.pause_toggled.emit)
        self.pause_button.setObjectName("primary")
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
        for panel in (self.video, self.countdown):
            self.stack.addWidget(panel)
        self._error_scroll: QScrollArea | None = None  # the error panel: made by _error_view when first needed
        self.header = self._header()
        self.info = self._info_bar()
        self.drawer = self._drawer()
        self.drawer.hide()
        self.controls = self._controls()
        video_column = QVBoxLayout()
        video_column.setSpacing(4)
        video_column.addWidget(self.stack, 1)
        below = QHBoxLayout()  # under the video, never on it: mirroring cannot flip them; kept in fullscreen
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.badge)
        below.addStretch(1)
        below.addWidget(self.licence_mark)
        video_column.addLayout(below)
        middle = QHBoxLayout()
        middle.addLayout(video_column, 1)
        middle.addWidget(self.snippets)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.info)
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
        """← Library, the session's title and how playback is set (hidden with the controls in fullscreen)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(key_button("← Library", "Ctrl+L", "Leave the session and go back to the library",
                                 self.leave_requested.emit))
        row.addWidget(self.session_label, 1)
        row.addWidget(self.osd)  # any key or click brings this row back in fullscreen, so it is seen there too
        self.practice.setWordWrap(True)
        self.practice.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.practice, 1)
        return box

    def _info_bar(self) -> QWidget:
        """Above the video, always visible: the snippet's title, the Paused banner while paused, "2 of 4"
        and the time left. Its height is kept while the banner comes and goes, so the video does not jump."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)
        row.addWidget(self.snippet_title, 1)
        row.addWidget(self.paused_banner)
        row.addWidget(self.counter)
        row.addWidget(self.remaining)
        self._status_box = box
        return box

    def _controls(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        times = QHBoxLayout()
        times.addWidget(self.elapsed)
        times.addWidget(self.seek_bar, 1)
        times.addWidget(self.total)
        primary = QHBoxLayout()
        primary.addWidget(key_button("◀◀ 5 s", "←", "Back 5 seconds",
                                     lambda: self.seek_by_requested.emit(-SEEK_STEP_MS)))
        primary.addWidget(self.pause_button)
        primary.addWidget(key_button("End snippet, check in", "N", "End this snippet now and check in",
                                     self.end_requested.emit))
        primary.addStretch(1)
        self.drawer_button = key_button("☰ Practice", "P", "Speed, mirror, loop, cues, volume, replay, keys",
                                        self.toggle_drawer)
        self.drawer_button.setCheckable(True)
        self.drawer_button.setObjectName("toggle")
        primary.addWidget(self.drawer_button)
        primary.addWidget(key_button("Fullscreen", "F", "Fullscreen on or off (Esc leaves)",
                                     self.fullscreen_toggled.emit))
        column.addLayout(times)
        column.addLayout(primary)
        column.addWidget(self.drawer)
        return box

    def _drawer(self) -> QWidget:
        """The practice drawer: every other control, its key in its label; toggles show when they are on."""
        box = QFrame()
        box.setObjectName("drawer")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.toggles: dict[str, QPushButton] = {}
        entries: tuple[tuple[str, str, str, object, str], ...] = (
            ("⟲ Replay", "R", "Play this snippet again from the start", self.replay_requested.emit, ""),
            ("5 s ▶▶", "→", "Forward 5 seconds", lambda: self.seek_by_requested.emit(SEEK_STEP_MS), ""),
            ("Slower", "[", "Play slower (the pitch stays)", lambda: self.speed_requested.emit(False), ""),
            ("Faster", "]", "Play faster (the pitch stays)", lambda: self.speed_requested.emit(True), ""),
            ("Mirror", "M", "Flip the video left-right, like a mirror", self.mirror_toggled.emit, "mirror"),
            ("Loop", "L", "Mark the start, then the end of a stretch to repeat; again to stop",
             self.loop_pressed.emit, "loop"),
            ("Cues", "C", "Show or hide the on-screen cues", self.cues_toggled.emit, "cues"),
            ("Vol −", "↓", "Quieter", lambda: self.volume_requested.emit(-1), ""),
            ("Vol +", "↑", "Louder", lambda: self.volume_requested.emit(1), ""),
            ("Mute", "0", "Sound off or on", self.mute_toggled.emit, "mute"),
            ("Keys", "?", "Show every keyboard shortcut", self.shortcuts_requested.emit, ""),
        )
        columns = 6
        for index, (text, key, tip, handler, toggle) in enumerate(entries):
            button = key_button(text, key, tip, handler)  # type: ignore[arg-type]
            if toggle:
                button.setCheckable(True)
                button.setObjectName("toggle")  # on: filled; the session's state is set by show_toggles
                self.toggles[toggle] = button
            grid.addWidget(button, index // columns, index % columns)
        return box

    @property
    def error_panel(self) -> QWidget:
        """In place of the video when it cannot be played: what happened and the ways on."""
        panel = self._error_view().widget()
        assert panel is not None  # set when the view is made
        return panel

    def _error_view(self) -> QScrollArea:
        """The error panel in its scroll area, in the stack. Made the first time it is needed: most runs never
        show it, and making it cost ~6 ms before the first frame."""
        if self._error_scroll is None:
            self._error_scroll = self._make_error_view()
            self.stack.addWidget(self._error_scroll)
        return self._error_scroll

    def _make_error_view(self) -> QScrollArea:
        """What happened and the ways on, scrolling on a short window rather than hiding the message behind
        the buttons."""
        panel = QFrame()
        panel.setObjectName("errorPanel")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addStretch(1)
        heading = self._label("snippetTitle", "This snippet's video could not be played.")
        heading.setWordWrap(True)
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(heading)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.error_label.setMinimumWidth(200)
        layout.addWidget(self.error_label)
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
        scroll = QScrollArea()
        scroll.setObjectName("errorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(panel)
        return scroll

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
            "0": self.mute_toggled.emit, "?": self.shortcuts_requested.emit, "P": self.toggle_drawer,
        }
        for key, handler in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def _enter(self) -> None:
        if self.showing_error():
            self.go_on_requested.emit()

    def toggle_drawer(self) -> None:
        """P, or ☰ Practice: show or hide the practice drawer."""
        self.drawer.setVisible(self.drawer.isHidden())
        self.drawer_button.setChecked(not self.drawer.isHidden())

    def show_snippet(self, *, session_title: str, title: str, number: int, count: int) -> None:
        """Show snippet ``number`` (1-based) of ``count`` and its video surface."""
        self.session_label.setText(session_title)
        self.snippet_title.setText(title)
        self.snippet_title.setToolTip(title)
        self.counter.setText(f"{number} of {count}")
        self.stack.setCurrentWidget(self.video)
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
        self.stack.setCurrentWidget(self.countdown)
        self.setFocus()

    def show_video(self) -> None:
        """Show the video surface (after the countdown)."""
        self.stack.setCurrentWidget(self.video)

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        """Update the time labels and the seek bar (unless the user is dragging it)."""
        self.elapsed.setText(clock(position_ms))
        self.remaining.setText("-" + clock(max(0, duration_ms - position_ms)))
        self.total.setText(clock(duration_ms))
        if not self.seek_bar.isSliderDown():
            self.seek_bar.setRange(0, max(0, duration_ms))
            self.seek_bar.setValue(position_ms)

    def show_paused(self, paused: bool) -> None:
        """The large Paused banner, and the pause button labelled with what pressing it will do."""
        self.pause_button.setText("▶ Resume  Space" if paused else "❚❚ Pause  Space")
        self.paused_banner.setVisible(paused)
        self._keep_status_height()

    def show_toggles(self, *, mirrored: bool, looping: bool, cues_visible: bool, muted: bool) -> None:
        """The drawer's toggles show what is on."""
        for name, on in (("mirror", mirrored), ("loop", looping), ("cues", cues_visible), ("mute", muted)):
            self.toggles[name].setChecked(on)

    def show_osd(self, text: str) -> None:
        """A brief confirmation beside the video ("Speed 0.75×", "Mirror on"); "" shows nothing."""
        if not text:
            return
        self.osd.setText(text)
        self.osd.show()
        self._keep_status_height()
        self._osd_timer.start()

    def _keep_status_height(self) -> None:
        """The row above the video keeps the height of its tallest content, shown or not."""
        tallest = max(self.paused_banner.sizeHint().height(), self.counter.sizeHint().height())
        self._status_box.setMinimumHeight(tallest)

    def show_error(self, message: str) -> None:
        """Replace the video with an error for this snippet and a way on."""
        self.error_label.setText(message)
        self.stack.setCurrentWidget(self._error_view())
        self.setFocus()

    def showing_error(self) -> bool:
        """True while the error panel replaces the video."""
        return self._error_scroll is not None and self.stack.currentWidget() is self._error_scroll

    def set_fullscreen_mode(self, on: bool) -> None:
        """Large type; controls hide after a few still seconds and come back on any key or movement."""
        self.fullscreen = on
        self.setProperty("fullscreen", on)
        for widget in (self, *self.findChildren(QWidget)):  # the large-type rules match on this page's property
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._keep_status_height()
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
        """Fullscreen, still: only the video, its title, "2 of 4", the time left and any banner stay."""
        if self.fullscreen:
            for part in (self.header, self.controls, self.snippets):
                part.hide()

    def _show_controls(self) -> None:
        for part in (self.header, self.controls, self.snippets):
            part.show()


def licence_mark_text(licensee: str, license_id: str) -> str:
    """The mark shown while a paid part plays: ``Licensed to Ada · #7`` (control characters escaped)."""
    return f"Licensed to {printable(licensee)} · #{license_id}"
