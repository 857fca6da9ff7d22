"""The user's actions on the practice run in progress, from the player and check-in pages.

Each goes to the session controller of the moment (none: nothing happens); a journal problem is told in
words, never raised into Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from player.core.errors import JournalError
from player.core.journal.store import Answers
from player.core.session.runner import Phase
from player.ui.main_window import MainWindow
from player.ui.practice.controller import SessionController
from player.ui.shared.shortcuts import ShortcutsDialog


class RunActions:
    """Connects the player page's and the check-in page's requests to ``controller()``."""

    def __init__(self, window: MainWindow, *, controller: Callable[[], SessionController | None]) -> None:
        self.window = window
        self.controller = controller

    def connect_pages(self) -> None:
        """Connect every control of the player and check-in pages that acts on the run."""
        player, checkin, run = self.window.player, self.window.checkin, self.run
        player.pause_toggled.connect(lambda: run(SessionController.toggle_pause))
        player.end_requested.connect(lambda: run(SessionController.end_now))
        player.replay_requested.connect(lambda: run(SessionController.replay))
        player.go_on_requested.connect(lambda: run(SessionController.go_on))
        player.seek_by_requested.connect(lambda ms: run(lambda c: c.seek_by(ms)))
        player.seek_to_requested.connect(lambda ms: run(lambda c: c.seek_to(ms)))
        player.speed_requested.connect(lambda faster: run(lambda c: c.change_speed(faster=faster)))
        player.mirror_toggled.connect(lambda: run(SessionController.toggle_mirror))
        player.loop_pressed.connect(lambda: run(SessionController.press_loop))
        player.cues_toggled.connect(lambda: run(SessionController.toggle_cues))
        player.volume_requested.connect(lambda steps: run(lambda c: c.change_volume(steps)))
        player.mute_toggled.connect(lambda: run(SessionController.toggle_mute))
        player.snippets.chosen.connect(lambda index: run(lambda c: c.jump(index)))
        checkin.repeat_requested.connect(lambda: run(SessionController.replay))
        checkin.submitted.connect(self.save_checkin)
        checkin.skipped.connect(self.skip)
        checkin.went_on.connect(lambda: run(SessionController.continue_after_gentle))

    def show_shortcuts(self) -> None:
        """? on the player, F1 anywhere: the shortcuts overlay; a playing snippet pauses first (and stays
        paused: Space resumes)."""
        controller = self.controller()
        if controller is not None and controller.state.phase is Phase.PLAYING and not controller.state.paused:
            self.run(SessionController.toggle_pause)
        self.window.modal(ShortcutsDialog(self.window))

    def pause_to_leave_player(self) -> bool:
        """Before another page covers the player page: a playing snippet pauses. False during the countdown
        before a snippet (it waits for the snippet)."""
        controller = self.controller()
        if controller is not None and self.window.pages.currentWidget() is self.window.player:
            if controller.state.phase is Phase.COUNTDOWN:
                return False
            if controller.state.phase is Phase.PLAYING and not controller.state.paused:
                controller.toggle_pause()
        return True

    def run(self, action: Callable[[SessionController], object]) -> None:
        """Run a user's action on the session; a journal problem is told, never raised into Qt."""
        controller = self.controller()
        if controller is None:
            return
        try:
            action(controller)
        except JournalError as exc:
            self.window.tell(exc.message)

    def skip(self) -> None:
        """Esc on the check-in page: skip the check-in (recorded), or, before a snippet, its questions."""
        if self.window.checkin.asking_before:
            self.run(SessionController.skip_before)
        else:
            self.run(SessionController.skip_checkin)

    def save_checkin(self, answers: Answers) -> None:
        """Save the check-in's answers; when it fails they stay on screen to try again. A high discomfort
        offers the gentler variation next. Before a snippet: keep the answers for its check-in and play it."""
        controller = self.controller()
        if controller is None:
            return
        if self.window.checkin.asking_before:
            controller.answer_before(answers)
            return
        try:
            controller.save_checkin(answers)
        except JournalError as exc:
            self.window.tell(exc.message + "\nYour answers are still on screen; try again.")
            return
        if controller.needs_gentle(answers):
            self.window.checkin.show_gentle()
