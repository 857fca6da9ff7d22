"""Drives one practice run: the runner, the backend and the journal, on the GUI thread.

Backend events arrive through a fresh :class:`PlaybackBridge` per loaded snippet, queued onto the
GUI thread; an event carrying an old token (from a snippet already left) is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from player.core.defaults import (
    END_WATCHDOG_MARGIN_MS,
    FIRST_FRAME_TIMEOUT_MS,
    GENTLER_THRESHOLD,
    POSITION_REFRESH_MS,
    RESUME_SAVE_MS,
    VOLUME_STEP_PERCENT,
)
from player.core.errors import CryptoError, JournalError, PlaybackError
from player.core.journal.resume import ResumePoint, save_resume_point
from player.core.journal.store import Answers, AnswerValue, Checkin, Journal, PartKind, Run, SnippetPlace
from player.core.session.manifest import Session, Snippet
from player.core.session.practice import Loop, loop_jump_ms, next_speed, press_loop
from player.core.session.runner import Phase, RunnerState, SessionRunner
from player.core.session.settings import Settings
from player.playback.base import MediaSource, PlaybackBackend
from player.playback.heap import give_back_freed_memory
from player.ui.shared.bridge import PlaybackBridge

if TYPE_CHECKING:
    from player.ui.journal.auto_backup import AutoBackup


class SessionController(QObject):
    """One run of ``snippets`` of ``session``; every answer goes to ``journal`` the moment it is given.

    Made without a journal (the app's start-up plays first and opens the journal while the first snippet
    plays), it records the run when :meth:`keep_in` hands it the journal, long before any answer.
    """

    state_changed = Signal(object)  # RunnerState
    position_changed = Signal(int, int)  # position_ms, duration_ms
    first_frame_shown = Signal(int)  # snippet index
    checkin_saved = Signal(object)  # Checkin
    countdown_changed = Signal(int)  # seconds left before the snippet plays
    practice_changed = Signal()  # speed, mirror, loop, cues or volume changed: views re-read them
    settings_changed = Signal(object)  # Settings, to be saved
    journal_failed = Signal(str)  # a background journal write failed: tell the user (nothing else is lost)
    _prepared: tuple[int, MediaSource] | None = None  # (snippet index, media) handed to backend.prepare()

    def __init__(self, session: Session, snippets: tuple[Snippet, ...], *, backend: PlaybackBackend,
                 journal: Journal | None, settings: Settings, auto_backup: AutoBackup, part: PartKind = "preview",
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 media_for: Callable[[Snippet], MediaSource] = lambda s: s.media) -> None:
        super().__init__()
        self.session = session
        self.snippets = snippets
        self.backend = backend
        self._journal = journal
        self.settings = settings
        self.auto_backup = auto_backup  # the app's one: made on a worker thread, its failure told by the app
        self.now = now
        self.media_for = media_for
        self.part: PartKind = part
        self._resume_failed = False  # told once; saving goes on every second and says when it works again
        self.loop: Loop | None = None
        self.countdown_left_s = 0
        self.runner = SessionRunner(len(snippets), countdown=self.settings.countdown_enabled,
                                    asks_before=frozenset(i for i, s in enumerate(snippets) if s.questions_before))
        # Answers given before a snippet played, by snippet index: saved with that snippet's check-in.
        self._before: dict[int, dict[str, AnswerValue]] = {}
        self.failed: set[int] = set()  # snippets whose video could not be played (until one plays again)
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._count_down)
        self._resume_saver = QTimer(self, interval=RESUME_SAVE_MS)
        self._resume_saver.timeout.connect(self._save_resume_point_in_background)
        self.run: Run | None = None
        self._started_at: datetime | None = None  # when a new run began playing (recorded then, or at keep_in)
        self._token = 0
        self._loaded_play_id = -1
        self._paused_at_ms: int | None = None  # reloaded while paused: where to pause it back at its first frame
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
    def rate(self) -> float:
        """The playback speed of this session (1.0 is normal)."""
        return self.settings.speed_for(self.session.id)

    @property
    def state(self) -> RunnerState:
        """The runner's current state."""
        return self.runner.state

    @property
    def snippet(self) -> Snippet:
        """The current snippet."""
        return self.snippets[self.runner.state.index]

    @property
    def journal(self) -> Journal:
        """Where this run's answers go. Raises JournalError before the app has opened it (:meth:`keep_in`)."""
        if self._journal is None:
            raise JournalError("The journal is still being opened; nothing was saved yet. Try again in a moment.")
        return self._journal

    def start(self, *, resume: ResumePoint | None = None) -> None:
        """Record a new run and play the first snippet (without a journal yet: play it, and record the run at
        :meth:`keep_in`); or continue ``resume``'s run where it was."""
        if resume is None:
            self._started_at = self.now()
            if self._journal is not None:
                self.run = self._journal.start_run(self.session.id, now=self._started_at)
            self.runner.start()
            return
        self.run = self.journal.run(resume.run_id)
        index = min(resume.snippet_index, len(self.snippets) - 1)
        self.runner.start(index=index, position_ms=resume.position_ms)

    def keep_in(self, journal: Journal) -> None:
        """The journal, opened while the first snippet played: record the run, from when it began playing.
        Raises JournalError (nothing was recorded)."""
        self._journal = journal
        if self.run is None and self._started_at is not None:
            self.run = journal.start_run(self.session.id, now=self._started_at)

    def save_resume_point(self) -> None:
        """Remember where this run is, so a crash or a quit can continue here."""
        if self.run is None or self.run.ended_at is not None or self.state.phase is Phase.READY:
            return
        position_ms = self.backend.position_ms() if self.state.phase is Phase.PLAYING else self.state.start_position_ms
        save_resume_point(self.journal, self.run.id, part=self.part, snippet_index=self.state.index,
                          snippet_id=self.snippet.id, position_ms=position_ms, now=self.now())

    def _save_resume_point_in_background(self) -> None:
        try:
            self.save_resume_point()
        except JournalError as exc:
            if not self._resume_failed:  # say it once, not every second; keep trying every second
                self._resume_failed = True
                self.journal_failed.emit(exc.message + " Where you are in the session is not remembered for now.")
            return
        self._resume_failed = False

    def suspend(self) -> None:
        """The app is closing mid-run: remember where it was and stop, leaving the run open to continue."""
        if self.state.phase is not Phase.SUMMARY:
            self.save_resume_point()
        self._stop_playback()

    def toggle_pause(self) -> None:
        """Space: pause or resume the playing snippet; during the countdown, skip it."""
        if self.state.phase is Phase.COUNTDOWN:
            self.skip_countdown()
            return
        if self.state.phase is not Phase.PLAYING:
            return
        self.runner.toggle_pause()
        if self.state.paused:
            self.backend.pause()
            self._watchdog.stop()
        else:
            if self._paused_at_ms is not None:  # resumed before a paused reload showed its first frame
                self._paused_at_ms = None
                self.backend.set_muted(self.settings.muted)
            self.backend.play()
            self._arm_watchdog()

    def end_now(self) -> None:
        """N: end the snippet now; its check-in appears."""
        if self.state.phase is Phase.PLAYING:
            self.runner.snippet_ended()

    def replay(self) -> None:
        """R: play the current snippet again from the start."""
        if self.state.phase in (Phase.COUNTDOWN, Phase.PLAYING, Phase.FAILED, Phase.CHECKIN):
            self.runner.replay()

    def jump(self, index: int) -> None:
        """Play snippet ``index`` now (from the snippet list)."""
        if self.state.phase in (Phase.BEFORE, Phase.COUNTDOWN, Phase.PLAYING, Phase.FAILED, Phase.CHECKIN):
            self.runner.jump(index)

    def skip_countdown(self) -> None:
        """Space during the countdown: play now."""
        if self.state.phase is Phase.COUNTDOWN:
            self._countdown.stop()
            self.runner.countdown_done()

    def change_speed(self, *, faster: bool) -> None:
        """] and [: the next speed step, remembered for this session; pitch is kept."""
        self._update_settings(self.settings.with_speed(self.session.id, next_speed(self.rate, faster=faster)))
        self.backend.set_rate(self.rate)
        self._arm_watchdog_if_playing()

    def toggle_mirror(self) -> None:
        """M: flip the picture left-right (remembered); a playing snippet goes on where it was, a paused one
        stays paused there (reloaded, it plays silently to its first frame and is paused back at that point)."""
        self._update_settings(replace(self.settings, mirrored=not self.settings.mirrored))
        if self.state.phase is Phase.PLAYING:
            self._load(replace(self.state, start_position_ms=self.backend.position_ms()))

    def toggle_cues(self) -> None:
        """C: show or hide the snippet's cues (remembered)."""
        self._update_settings(replace(self.settings, cues_visible=not self.settings.cues_visible))
        self.backend.set_cues_visible(self.settings.cues_visible)

    def change_volume(self, steps: int) -> None:
        """Up/Down: volume by ``steps`` of VOLUME_STEP_PERCENT (remembered); turning it up unmutes."""
        volume = max(0, min(100, self.settings.volume_percent + steps * VOLUME_STEP_PERCENT))
        self._update_settings(replace(self.settings, volume_percent=volume, muted=self.settings.muted and steps < 0))
        self.backend.set_volume(volume)
        self.backend.set_muted(self.settings.muted)

    def toggle_mute(self) -> None:
        """0: mute or unmute (remembered)."""
        self._update_settings(replace(self.settings, muted=not self.settings.muted))
        self.backend.set_muted(self.settings.muted)

    def press_loop(self) -> None:
        """L: mark where a loop starts, then where it ends (it repeats from then on), then turn it off."""
        if self.state.phase is Phase.PLAYING:
            self.loop = press_loop(self.loop, self.backend.position_ms())
            self.practice_changed.emit()

    def seek_by(self, delta_ms: int) -> None:
        """Left/Right: move ``delta_ms`` within the snippet."""
        self.seek_to(self.backend.position_ms() + delta_ms)

    def seek_to(self, position_ms: int) -> None:
        """Jump to ``position_ms`` in the snippet (clamped)."""
        if self.state.phase is not Phase.PLAYING:
            return
        self.backend.seek(max(0, position_ms))
        self._arm_watchdog_if_playing()
        self._tick()

    def answer_before(self, answers: Answers) -> None:
        """The questions before the snippet were answered: keep them for its check-in and play it."""
        if self.state.phase is Phase.BEFORE:
            self._before[self.state.index] = dict(answers.extra)
            self.runner.before_done()

    def skip_before(self) -> None:
        """Esc on the questions before the snippet: play it without them."""
        if self.state.phase is Phase.BEFORE:
            self._before.pop(self.state.index, None)
            self.runner.before_done()

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
        self._end_run(completed=False)

    def _end_run(self, *, completed: bool) -> None:
        """Record the run's end; a failure is reported, never raised (every check-in is already saved)."""
        if self.run is not None and self.run.ended_at is None:
            try:
                self.run = self.journal.end_run(self.run.id, now=self.now(), completed=completed)
            except JournalError as exc:
                self.journal_failed.emit(exc.message)
                return
            # today's automatic backup, unless there is one: on a worker thread, the summary is not kept waiting
            self.auto_backup.start(self.journal.path, today=self.now().astimezone().date())

    def _save(self, answers: Answers, *, skipped: bool) -> Checkin:
        if self.run is None:  # only in the moment a start that plays first is still opening the journal
            raise JournalError("Could not save the check-in: the journal is still being opened.")
        before = self._before.get(self.state.index)
        if before:  # the answers given before the snippet go to the journal with its check-in
            answers = replace(answers, extra={**before, **answers.extra})
        following = self.state.index + 1  # a crash after Save resumes at the next snippet, never this one again
        resume_at = SnippetPlace(part=self.part, snippet_index=following,
                                 snippet_id=self.snippets[min(following, len(self.snippets) - 1)].id)
        checkin = self.journal.save_checkin(self.run.id, self.snippet.id, answers, now=self.now(), skipped=skipped,
                                            resume_at=resume_at)
        self.checkin_saved.emit(checkin)
        return checkin

    def _update_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.settings_changed.emit(settings)
        self.practice_changed.emit()

    def _on_state(self, state: RunnerState) -> None:
        if state.phase is Phase.COUNTDOWN:
            self._hold_playback()
            self.loop = None
            self.countdown_left_s = self.settings.countdown_s
            self.countdown_changed.emit(self.countdown_left_s)
            self._countdown.start()
        elif state.phase is Phase.PLAYING and not state.paused:
            if state.play_id != self._loaded_play_id:
                self.loop = None
                self._load(state)
        elif state.phase in (Phase.CHECKIN, Phase.BEFORE):
            self._hold_playback()
            if state.phase is Phase.CHECKIN:
                self._prepare(state.index + 1)
        elif state.phase is Phase.FAILED:
            self.failed.add(state.index)
            self._stop_playback()
        elif state.phase is Phase.SUMMARY:
            self._stop_playback()
            self._end_run(completed=True)
        self.state_changed.emit(state)

    def _load(self, state: RunnerState) -> None:
        self._quiet()
        self._token += 1
        self._loaded_play_id = state.play_id
        bridge = PlaybackBridge(self._token)
        queued = Qt.ConnectionType.QueuedConnection
        bridge.first_frame_shown.connect(self._first_frame, queued)
        bridge.ended.connect(self._ended, queued)
        bridge.failed.connect(self._failed, queued)
        self._bridge = bridge
        self.backend.set_listener(bridge)
        snippet = self.snippet
        try:
            # Paid parts carry no plaintext cue file (the cues are part of what is sold).
            self.backend.load(self._media_to_load(state.index), start_ms=state.start_position_ms,
                              mirrored=self.settings.mirrored, cues=None if snippet.paid else snippet.cues)
        except (PlaybackError, CryptoError) as exc:
            message = exc.message  # ``exc`` is unbound once the except block ends
            QTimer.singleShot(0, self, lambda token=self._token: self._failed(token, message))
            return
        self.backend.set_rate(self.rate)
        self.backend.set_volume(self.settings.volume_percent)
        # A paused snippet reloaded (mirror): silent until its first frame, where it is paused back.
        self._paused_at_ms = state.start_position_ms if state.paused else None
        self.backend.set_muted(self.settings.muted or state.paused)
        self.backend.play()
        self._first_frame_timeout.start()
        if not state.paused:
            self._arm_watchdog()
        self._refresh.start()
        self._resume_saver.start()

    def _prepare(self, index: int) -> None:
        """During a check-in: let the backend make snippet ``index`` ready as its load will ask for it (from
        its start, mirrored or not, its cues; the same media object), so the switch after Save is short."""
        if index >= len(self.snippets):
            return
        snippet = self.snippets[index]
        try:
            media = self.media_for(snippet)
        except (PlaybackError, CryptoError):
            return  # its load says why
        self._prepared = (index, media)
        self.backend.prepare(media, start_ms=0, mirrored=self.settings.mirrored,
                             cues=None if snippet.paid else snippet.cues)

    def _media_to_load(self, index: int) -> MediaSource:
        """Snippet ``index``'s media: the one prepared for it (a stream matches only itself), else a new one."""
        prepared, self._prepared = self._prepared, None
        return prepared[1] if prepared is not None and prepared[0] == index else self.media_for(self.snippets[index])

    def _stop_playback(self) -> None:
        self._quiet()
        self.backend.stop()
        self._give_back_memory_soon()

    def _hold_playback(self) -> None:
        """Between snippets: paused rather than stopped, so the next load can reuse the video output."""
        self._quiet()
        self.backend.pause()
        self._give_back_memory_soon()

    def _give_back_memory_soon(self) -> None:
        """Once the page now due is on screen: return the heap pages the last snippet's decoder threads freed
        (else the process grows with every snippet played; see player.playback.heap)."""
        QTimer.singleShot(0, self, give_back_freed_memory)

    def _quiet(self) -> None:
        """No timers, no events: nothing from the current media reaches the runner any more."""
        self._countdown.stop()
        self._resume_saver.stop()
        self._refresh.stop()
        self._watchdog.stop()
        self._first_frame_timeout.stop()
        self._bridge = None
        self._loaded_play_id = -1
        self.backend.set_listener(None)

    def _arm_watchdog(self) -> None:
        duration_ms = self.backend.duration_ms() or int(self.snippet.duration_s * 1000)
        left_ms = max(0, duration_ms - self.backend.position_ms())
        self._watchdog.start(int(left_ms / self.rate) + END_WATCHDOG_MARGIN_MS)

    def _arm_watchdog_if_playing(self) -> None:
        if self.state.phase is Phase.PLAYING and not self.state.paused:
            self._arm_watchdog()

    def _count_down(self) -> None:
        self.countdown_left_s -= 1
        if self.countdown_left_s <= 0:
            self.skip_countdown()
        else:
            self.countdown_changed.emit(self.countdown_left_s)

    def _tick(self) -> None:
        duration_ms = self.backend.duration_ms() or int(self.snippet.duration_s * 1000)
        position_ms = self.backend.position_ms()
        jump_ms = loop_jump_ms(self.loop, position_ms)
        if jump_ms is not None:
            self.backend.seek(jump_ms)
            self._arm_watchdog_if_playing()
            position_ms = jump_ms
        self.position_changed.emit(min(position_ms, duration_ms), duration_ms)

    def _first_frame(self, token: int) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self.failed.discard(self.state.index)  # it plays after all (Try again)
            self._first_frame_timeout.stop()
            self.backend.set_cues_visible(self.settings.cues_visible)
            if self.state.paused:
                self.backend.pause()  # a pause asked for while the player was still opening
                if self._paused_at_ms is not None:  # reloaded while paused: back where it was paused, sound back
                    self.backend.seek(self._paused_at_ms)
                    self.backend.set_muted(self.settings.muted)
                    self._tick()
            self._paused_at_ms = None
            self._arm_watchdog_if_playing()  # the real duration is known by now
            self.first_frame_shown.emit(self.state.index)

    def _ended(self, token: int) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self.runner.snippet_ended()

    def _failed(self, token: int, message: str) -> None:
        if token == self._token and self.state.phase is Phase.PLAYING:
            self.runner.snippet_failed(message)
