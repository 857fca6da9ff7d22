"""``movement-player play SESSION`` with nothing to ask first: the video starts, then the journal opens.

When the journal's outlook (``core/journal/outlook.py``) finds nothing to ask before playing, the app starts
the first snippet without its journal and opens it (sqlite-utils, and the full check that a ten-year journal
takes ~150 ms for) once the first frame is on the screen, or at once when something other than video shows
(the countdown, questions before the snippet, a check-in, a failed snippet), and at the latest after
``JOURNAL_OPEN_LATEST_MS``. The run is recorded then, from when it began, long before any answer can be
given; a journal command (J, the File menu) in that moment opens it at once. A journal that cannot be opened
as it is asks as it always does, with the session stopped first (it starts again from its beginning after
the answer); quitting there closes the app.

Until then the app has no event filter either: the one that holds Esc in dialogs (``shared/dialog_keys.py``)
sees every event, and before the first frame the first of them cost ~8 ms (PySide6 looking up Qt's private
classes); it starts when the journal opens, before any question.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from player.core.session.runner import Phase, RunnerState
from player.ui.app import App
from player.ui.journal.dialogs import open_journal_with_consent

# After the first frame arrived: time for it to reach the screen before the GUI thread opens the journal.
JOURNAL_AFTER_FIRST_FRAME_MS = 60
# Whatever happens (the user left at once, the video is slow to start): the journal is open by then.
JOURNAL_OPEN_LATEST_MS = 1000


class JournalOpening(QObject):
    """Opens the journal, once, for an app whose session ``session_id`` started without it (see the module);
    ``quit_app(code)`` ends the app when the user quits at a journal problem."""

    def __init__(self, app: App, path: Path, session_id: str, *, quit_app: Callable[[int], None]) -> None:
        super().__init__(app)
        self.app, self.path, self.session_id, self.quit_app = app, path, session_id, quit_app
        self._started = False
        self._timer = QTimer(self, singleShot=True)
        self._latest = QTimer(self, singleShot=True, interval=JOURNAL_OPEN_LATEST_MS)
        for timer in (self._timer, self._latest):
            timer.timeout.connect(self.open_now)
            app.window.closing.connect(timer.stop)
        # A journal command (J, the File menu) in that moment opens it at once; after a question about it the
        # command goes on from the library, with nothing playing behind it.
        app.journal_actions.open_pending = lambda: self.open_now(start_again=False)
        controller = app.controller
        if controller is not None:
            controller.first_frame_shown.connect(lambda _index: self._soon(JOURNAL_AFTER_FIRST_FRAME_MS))
            controller.state_changed.connect(self._follow)
            self._follow(controller.state)
        else:
            self._soon(0)
        self._latest.start()

    def open_now(self, *, start_again: bool = True) -> None:
        """Open the journal now (once), asking first when it cannot be used as it is; nothing plays behind that
        question: the session stops, and (``start_again``) starts again from its beginning once the journal is
        open."""
        if self._started or self.app.journal is not None or not self.app.window.isVisible():
            return
        self._started = True
        self.app.window.dialog_keys.start()  # Esc held in dialogs, from before anything is asked
        self._timer.stop()
        self._latest.stop()
        asked = False

        def stop_the_session() -> None:
            nonlocal asked
            asked = True
            self.app.show_library()  # nothing recorded yet: the run had not been given its journal

        try:
            journal = open_journal_with_consent(self.path, now=datetime.now(UTC), parent=self.app.window,
                                                before_asking=stop_the_session)
        except Exception as exc:  # noqa: BLE001 - on Qt's event loop: told and ended, never left half-open
            message = f"Movement Player could not open your journal {self.path}: {exc}"
            print(message, file=sys.stderr)
            QMessageBox.critical(self.app.window, "Movement Player", message)
            journal = None
        if journal is None:
            self.app.window.close()
            self.quit_app(1)
            return
        if self.app.attach_journal(journal) and asked and start_again:
            self.app.start_session(self.session_id)  # from its start, recorded at once

    def _soon(self, delay_ms: int) -> None:
        if not self._timer.isActive() or self._timer.remainingTime() > delay_ms:
            self._timer.start(delay_ms)

    def _follow(self, state: RunnerState) -> None:
        if state.phase is not Phase.PLAYING:
            self._soon(0)
