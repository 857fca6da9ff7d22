"""``movement-player play SESSION`` with nothing to ask first: the video starts, then the journal opens.

When the journal's outlook (``core/journal/outlook.py``) finds nothing to ask before playing, the app starts
the first snippet without its journal and opens it (sqlite-utils, and the full check that a ten-year journal
takes ~150 ms for) once the first frame is on the screen, or at once when something other than video shows
(the countdown, questions before the snippet, a check-in, a failed snippet), and at the latest after
``JOURNAL_OPEN_LATEST_MS``. The run is recorded then, from when it began, long before any answer can be
given. A journal that cannot be opened as it is asks as it always does, with the snippet paused first;
quitting there closes the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer

from player.core.session.runner import Phase, RunnerState
from player.ui.app import App
from player.ui.journal.dialogs import open_journal_with_consent

# After the first frame arrived: time for it to reach the screen before the GUI thread opens the journal.
JOURNAL_AFTER_FIRST_FRAME_MS = 60
# Whatever happens (the user left at once, the video is slow to start): the journal is open by then.
JOURNAL_OPEN_LATEST_MS = 1000


def open_journal_once_playing(app: App, path: Path, *, quit_app: Callable[[int], None]) -> None:
    """Open the journal at ``path`` for ``app`` once its first snippet is on the screen (see the module);
    ``quit_app(code)`` ends the app when the user quits at a journal problem."""
    timer = QTimer(app, singleShot=True)
    latest = QTimer(app, singleShot=True, interval=JOURNAL_OPEN_LATEST_MS)

    def open_now() -> None:
        timer.stop()
        latest.stop()
        if app.journal is not None or not app.window.isVisible():
            return
        journal = open_journal_with_consent(path, now=datetime.now(UTC), parent=app.window,
                                            before_asking=app.run_actions.pause_to_leave_player)
        if journal is None:
            app.window.close()
            quit_app(1)
            return
        app.attach_journal(journal)

    def soon(delay_ms: int) -> None:
        if not timer.isActive() or timer.remainingTime() > delay_ms:
            timer.start(delay_ms)

    def follow(state: RunnerState) -> None:
        if state.phase is not Phase.PLAYING:
            soon(0)

    timer.timeout.connect(open_now)
    latest.timeout.connect(open_now)
    app.window.closing.connect(timer.stop)
    app.window.closing.connect(latest.stop)
    controller = app.controller
    if controller is not None:
        controller.first_frame_shown.connect(lambda _index: soon(JOURNAL_AFTER_FIRST_FRAME_MS))
        controller.state_changed.connect(follow)
        follow(controller.state)
    else:
        soon(0)
    latest.start()
