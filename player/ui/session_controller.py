"""Drives one practice run: the runner, the backend and the journal, on the GUI thread.

Backend events arrive through a fresh :class:`PlaybackBridge` per loaded snippet, queued onto the
GUI thread; an event carrying an old token (from a snippet already left) is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from player.core.defaults import END_WATCHDOG_MARGIN_MS, FIRST_FRAME_TIMEOUT_MS, POSITION_REFRESH_MS
from player.core.errors import CryptoError, PlaybackError
from player.core.journal import Answers, Checkin, Journal, Run
from player.core.manifest import Session, Snippet
from player.core.questions import GENTLER_THRESHOLD
from player.core.runner import Phase, RunnerState, SessionRunner
from player.playback.base import MediaSource, PlaybackBackend
from player.ui.bridge import PlaybackBridge


class SessionController(QObject):
    """One run of ``snippets`` of ``session``; every answer goes to ``journal`` the moment it is given."""

    state_changed = Signal(object)  # RunnerState
    position_changed = Signal(int, int)  # position_ms, duration_ms
    first_frame_shown = Signal(int)  # snippet index
    checkin_saved = Signal(object)  # Checkin

    def __init__(self, session: Session, snippets: tuple[Snippet, ...], *, backend: PlaybackBackend,
                 journal: Journal, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 media_for: Callable[[Snippet], MediaSource] = lambda s: s.media) -> None:
        super().__init__()
        self.session = session
        self.snippets = snippets
        self.backend = backend
        self.journal = journal
        self.now = now
        self.media_for = media_for
        self.runner = SessionRunner(len(snippets))
        self.run: Run | None = None
        self._token = 0
        self._loaded_play_id = -1
        self._bridge: PlaybackBridge | None = None
        self._refresh = QTimer(self, interval=POSITION_REFRESH_MS)
        self._refresh.timeout.connect(self._tick)
        self._watchdog = QTimer(self, singleShot=True)
        self._watchdog.timeout.connect(lambda: self._ended(self._token))
        self._first_frame_timeout = QTimer(self, singleShot=True, interval=FIRST_FRAME_TIMEOUT_MS)
        self._first_frame_timeout.timeout.connect(
            lambda: self._failed(self._token, "no picture appeared: the video may be damaged")
        )
        self.runner.subscribe(self._on_state)

    @property
    def state(self) -> RunnerState:
        """The runner's current state."""
        return self.runner.state

    @property
    def snippet(self) -> Snippet:
        """The current snippet."""
        return self.snippets[self.runner.state.index]

    def start(self, *, index: int = 0, position_ms: int = 0) -> None:
        """Record a new run in the journal and play snippet ``index`` from ``position_ms``."""
        self.run = self.journal.start_run(self.session.id, now=self.now())
        self.runner.start(index=index, position_ms=position_ms)

    def toggle_pause(self) -> None:
        """Space: pause or resume the playing snippet."""
        if self.state.phase is not Phase.PLAYING:
            return
        self.runner.toggle_pause()
        if self.state.paused:
            self.backend.pause()
            self._watchdog.stop()
        else:
            self.backend.play()
            self._arm_watchdog()

    def end_now(self) -> None:
        """N: end the snippet now; its check-in appears."""
        if self.state.phase is Phase.PLAYING:
            self.runner.snippet_ended()

    def replay(self) -> None:
        """R: play the current snippet again from the start."""
        if self.state.phase in (Phase.PLAYING, Phase.FAILED, Phase.CHECKIN):
            self.runner.replay()

    def seek_by(self, delta_ms: int) -> None:
        """Left/Right: move ``delta_ms`` within the snippet."""
        self.seek_to(self.backend.position_ms() + delta_ms)

    def seek_to(self, position_ms: int) -> None:
        """Jump to ``position_ms`` in the snippet (clamped)."""
        if self.state.phase is not Phase.PLAYING:
            return
        self.backend.seek(max(0, position_ms))
        self._arm_watchdog()
        self._tick()

    def go_on(self) -> None:
        """After a snippet failed: record its check-in as skipped and go on."""
        if self.state.phase is Phase.FAILED:
            self._save(Answers(), skipped=True)
            self.runner.skip()

    def save_checkin(self, answers: Answers) -> Checkin:
        """Save the check-in (durable on return). Raises JournalError; the answers stay on screen then."""
        checkin = self._save(answers, skipped=False)
        if not self.needs_gentle(answers):
            self.runner.checkin_done()
        return checkin

    def needs_gentle(self, answers: Answers) -> bool:
        """True when the discomfort asks for the gentler option before going on."""
        return answers.discomfort is not None and answers.discomfort >= GENTLER_THRESHOLD

    def continue_after_gentle(self) -> None:
        """The user read the gentler option: go on."""
        if self.state.phase is Phase.CHECKIN:
            self.runner.checkin_done()

    def skip_checkin(self) -> Checkin:
        """Esc on the check-in: record it as skipped and go on."""
        checkin = self._save(Answers(), skipped=True)
        self.runner.checkin_done()
        return checkin

    def checkins(self) -> list[Checkin]:
        """Every check-in of this run so far."""
        return self.journal.checkins(self.run.id) if self.run else []

    def leave(self) -> None:
        """Stop playing; an unfinished run is recorded as not completed."""
        self._stop_playback()
        if self.run is not None and self.run.ended_at is None:
            self.run = self.journal.end_run(self.run.id, now=self.now(), completed=False)

    def _save(self, answers: Answers, *, skipped: bool) -> Checkin:
        assert self.run is not None, "start() records the run first"
        checkin = self.journal.save_checkin(self.run.id, self.snippet.id, answers, now=self.now(), skipped=skipped)
        self.checkin_saved.emit(checkin)
        return checkin

    def _on_state(self, state: RunnerState) -> None:
        if state.phase is Phase.PLAYING and not state.paused:
            if state.play_id != self._loaded_play_id:
                self._load(state)
        elif state.phase in (Phase.CHECKIN, Phase.FAILED):
            self._stop_playback()
        elif state.phase is Phase.SUMMARY:
            self._stop_playback()
            if self.run is not None:
                self.run = self.journal.end_run(self.run.id, now=self.now(), completed=True)
        self.state_changed.emit(state)

    def _load(self, state: RunnerState) -> None:
        self._stop_playback()
        self._token += 1
        self._loaded_play_id = state.play_id
        bridge = PlaybackBridge(self._token)
        queued = Qt.ConnectionType.QueuedConnection
        bridge.first_frame_shown.connect(self._first_frame, queued)
        bridge.ended.connect(self._ended, queued)
        bridge.failed.connect(self._failed, queued)
        self._bridge = bridge
        self.backend.set_listener(bridge)
        try:
            self.backend.load(self.media_for(self.snippet), start_ms=state.start_position_ms)
        except (PlaybackError, CryptoError) as exc:
            message = exc.message  # ``exc`` is unbound once the except block ends
            QTimer.singleShot(0, self, lambda token=self._token: self._failed(token, message))
            return
        self.backend.play()
        self._first_frame_timeout.start()
        self._arm_watchdog()
        self._refresh.start()

    def _stop_playback(self) -> None:
        self._refresh.stop()
        self._watchdog.stop()
        self._first_frame_timeout.stop()
        self._bridge = None
        self._loaded_play_id = -1
        self.backend.set_listener(None)
        self.backend.stop()

    def _arm_watchdog(self) -> None:
        duration_ms = self.backend.duration_ms() or int(self.snippet.duration_s * 1000)
        left_ms = max(0, duration_ms - self.backend.position_ms())
        self._watchdog.start(left_ms + END_WATCHDOG_MARGIN_MS)

    def _tick(self) -> None:
        duration_ms = self.backend.duration_ms() or int(self.snippet.duration_s * 1000)
        self.position_changed.emit(min(self.backend.position_ms(), duration_ms), duration_ms)

    def _first_frame(self, token: int) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self._first_frame_timeout.stop()
            self.first_frame_shown.emit(self.state.index)

    def _ended(self, token: int) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self.runner.snippet_ended()

    def _failed(self, token: int, message: str) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self.runner.snippet_failed(message)
