"""Before ``movement-player play SESSION`` starts its video: would opening the journal ask something first?

A start asks first when a run is unfinished (continue it?), when yesterday's practice has not been asked
about (how did it settle?), or when the journal cannot be opened as it is. This look answers in a few
milliseconds, without sqlite-utils and without writing, locking or creating a byte; when it finds nothing
to ask, the video starts first and the journal is opened (and fully checked) while it plays. Anything it
cannot be sure about answers "ask first": the app then opens the journal before playing, as it always has.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

from player.core.errors import JournalError
from player.core.journal.followups import followup_due_in
from player.core.journal.health import SQLITE_HEADER, check_folder, side_file, unchanging_view
from player.core.journal.identity import APPLICATION_ID
from player.core.journal.resume import latest_resume_point_in


@dataclass(frozen=True)
class StartOutlook:
    """Whether the video may start before the journal is opened (``play_first``), and why (or why not)."""

    play_first: bool
    reason: str


def start_outlook(path: Path, *, today: date, tz: tzinfo | None = None) -> StartOutlook:
    """What opening the journal at ``path`` on local day ``today`` would do before a session plays."""
    try:
        check_folder(path.parent)
        wal = side_file(path, "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return StartOutlook(False, f"{wal.name} holds changes not yet in the journal")
        if not path.exists() or path.stat().st_size == 0:
            return StartOutlook(True, "no journal yet: it is made while the video plays")
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return StartOutlook(False, "the journal is not an SQLite database")
        with unchanging_view(path) as connection:
            return _questions(connection, today=today, tz=tz)
    except (OSError, JournalError, sqlite3.Error) as exc:
        return StartOutlook(False, f"the journal could not be read as it is ({exc})")


def _questions(connection: sqlite3.Connection, *, today: date, tz: tzinfo | None) -> StartOutlook:
    if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return StartOutlook(False, "the journal is not marked as a Movement Player journal")
    if latest_resume_point_in(connection) is not None:
        return StartOutlook(False, "a run is unfinished: the app offers to continue it")
    if followup_due_in(connection, today=today, tz=tz) is not None:
        return StartOutlook(False, "the last practice has not been asked about")
    return StartOutlook(True, "nothing to ask: the journal is opened while the video plays")
