"""Shows one practice run on the pages: the player (snippet, countdown, error), the check-in and the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from player.core.session.runner import Phase, RunnerState
from player.ui.main_window import MainWindow
from player.ui.practice.controller import SessionController
from player.ui.practice.player_page import licence_mark_text
from player.ui.practice.player_parts import PracticeState, practice_change_text, practice_text

if TYPE_CHECKING:  # cryptography loads only when a key is verified
    from player.core.licensing.keys import License


class RunPresenter:
    """Follows the session controller of the run in progress and puts what it says on screen."""

    def __init__(self, window: MainWindow, *, leave_fullscreen: Callable[[], None]) -> None:
        self.window = window
        self.leave_fullscreen = leave_fullscreen
        self.controller: SessionController | None = None
        self.license: License | None = None
        self._shown_play_id = -1
        self._practice: PracticeState | None = None  # as last shown, to confirm what changed

    def follow(self, controller: SessionController, *, license_: License | None = None) -> None:
        """Show ``controller``'s run from now on (call before it starts); ``license_`` is the session's
        licence, shown as a mark below the video while a paid part plays."""
        self.controller = controller
        self.license = license_
        # A new controller counts its plays from 0 again: without this reset, its first snippet looked
        # "already shown" and played behind the session page (issue 11, the blocker).
        self._shown_play_id = -1
        self._practice = None
        controller.state_changed.connect(self.show_state)
        controller.position_changed.connect(self.window.player.show_position)
        controller.countdown_changed.connect(self.show_countdown)
        controller.practice_changed.connect(self.show_practice)
        self.window.player.show_badge(controller.session.badge)
        self.show_practice()

    def forget(self) -> None:
        """The run is over or left: show nothing more of it."""
        self.controller = None
        self._shown_play_id = -1

    def show_state(self, state: RunnerState) -> None:
        """The page for the runner's phase: the player (countdown, video, error), the check-in, the summary."""
        controller = self.controller
        if controller is None:
            return
        window = self.window
        count = len(controller.snippets)
        if state.phase in (Phase.COUNTDOWN, Phase.PLAYING):
            window.player.show_paused(state.paused)
            if state.play_id != self._shown_play_id:
                self._shown_play_id = state.play_id
                window.player.show_snippet(session_title=controller.session.title,
                                           title=controller.snippet.title, number=state.index + 1, count=count)
                # The manifest's length until the backend knows the media's (countdown, opening): not "-0:00".
                window.player.show_position(state.start_position_ms, round(controller.snippet.duration_s * 1000))
                license_ = self.license if controller.snippet.paid else None
                window.player.show_licence_mark(
                    licence_mark_text(license_.licensee, license_.license_id) if license_ is not None else "")
                self.show_snippet_list()
                window.show_page(window.player)
            if state.phase is Phase.COUNTDOWN:
                self.show_countdown(controller.countdown_left_s)
            else:
                window.player.show_video()
        elif state.phase is Phase.FAILED:
            window.player.show_error(state.error)
            window.show_page(window.player)
        elif state.phase is Phase.BEFORE:
            window.checkin.show_before(controller.snippet, number=state.index + 1, count=count)
            window.show_page(window.checkin)
        elif state.phase is Phase.CHECKIN:
            up_next = controller.snippets[state.index + 1] if state.index + 1 < count else None
            window.checkin.show_checkin(controller.snippet, number=state.index + 1, count=count, up_next=up_next)
            window.show_page(window.checkin)
        elif state.phase is Phase.SUMMARY:
            self.leave_fullscreen()
            failed = frozenset(controller.snippets[i].id for i in controller.failed)
            window.summary.show_run(controller.session, controller.checkins(), failed=failed)
            window.show_page(window.summary)

    def show_countdown(self, seconds: int) -> None:
        """The countdown card: seconds left, the snippet's title and its first cue (none for paid parts)."""
        controller = self.controller
        if controller is not None:
            snippet = controller.snippet
            cue = "" if snippet.paid else snippet.first_cue  # read once with the manifest
            self.window.player.show_countdown(seconds, title=snippet.title, first_cue=cue)

    def show_snippet_list(self) -> None:
        """The snippet list beside the video: which one plays, which are answered."""
        controller = self.controller
        if controller is not None:
            order = {s.id: i for i, s in enumerate(controller.snippets)}
            done = {order[c.snippet_id] for c in controller.checkins() if c.snippet_id in order}
            self.window.player.snippets.show_progress([s.title for s in controller.snippets],
                                                      current=controller.state.index, done=done - controller.failed,
                                                      failed=set(controller.failed))

    def show_practice(self) -> None:
        """The practice line (speed, mirror, loop, cues, volume), the drawer's toggles, and a brief
        confirmation of what just changed."""
        controller = self.controller
        if controller is not None:
            settings = controller.settings
            now = PracticeState(rate=controller.rate, mirrored=settings.mirrored, loop=controller.loop,
                                cues_visible=settings.cues_visible, volume_percent=settings.volume_percent,
                                muted=settings.muted)
            player = self.window.player
            player.practice.setText(practice_text(
                rate=now.rate, mirrored=now.mirrored, loop=now.loop, cues_visible=now.cues_visible,
                volume_percent=now.volume_percent, muted=now.muted))
            player.show_toggles(mirrored=now.mirrored, looping=now.loop is not None, cues_visible=now.cues_visible,
                                muted=now.muted)
            player.show_osd(practice_change_text(self._practice, now))
            self._practice = now
