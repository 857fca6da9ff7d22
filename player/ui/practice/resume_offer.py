"""At start: "Continue where you left off?" for a run left unfinished (a quit, a crash or a power cut).

A journal problem while ending a declined or finished run is told in words, never raised into Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from player.core.errors import JournalError
from player.core.journal.resume import ResumePoint, latest_resume_point
from player.core.journal.store import Journal
from player.core.session.playlist import PartName, Playlist
from player.ui.main_window import MainWindow
from player.ui.shared.formatting import clock


def run_to_continue(window: MainWindow, journal: Journal, *, playlist_of: Callable[[str, PartName], Playlist | None],
                    now: Callable[[], datetime]) -> ResumePoint | None:
    """The unfinished run the user wants to continue, after asking; None when there is none to offer, or
    they decline (the run is then recorded as ended, not completed).

    ``playlist_of(session_id, part)`` says what the run's part plays now (None: the session or its license
    is gone, and nothing is offered). A run whose every snippet was answered is recorded as completed.
    """
    point = latest_resume_point(journal)
    if point is None:
        return None
    playlist = playlist_of(point.session_id, point.part)
    if playlist is None:
        return None
    snippets = playlist.snippets
    if point.snippet_index >= len(snippets):  # every snippet was answered: only the end was not recorded
        _end_run(window, journal, point.run_id, now=now(), completed=True)
        return None
    index = point.snippet_index
    answer = QMessageBox.question(
        window, "Continue where you left off?",
        f"{playlist.session.title}: you stopped {_place(point.part, index, len(snippets))}, "
        f"“{snippets[index].title}”, at {clock(point.position_ms)}.\n\nContinue there?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        _end_run(window, journal, point.run_id, now=now(), completed=False)
        return None
    return point


def _place(part: PartName, index: int, count: int) -> str:
    """Where in the session: "in the free preview, snippet 2 of 3" or "in the full session, part 1 of 4"."""
    if part == "full":
        return f"in the full session, part {index + 1} of {count}"
    return f"in the free preview, snippet {index + 1} of {count}"


def _end_run(window: MainWindow, journal: Journal, run_id: int, *, now: datetime, completed: bool) -> None:
    """Record the end of a run left open (its resume point goes with it); a journal problem is told."""
    try:
        journal.end_run(run_id, now=now, completed=completed)
    except JournalError as exc:
        window.tell(exc.message)
