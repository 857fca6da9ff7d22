"""Resume points: where an unfinished run was, so quitting, a crash or a power cut costs at most ~2 s.

One row per unfinished run in ``resume_points``, rewritten about every second while a snippet plays
(the journal's synchronous=FULL makes each write durable). Ending a run removes its row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from player.core.errors import JournalError
from player.core.journal.store import Journal, iso_utc

Part = Literal["preview", "full"]


@dataclass(frozen=True)
class ResumePoint:
    """An unfinished run and where it was: snippet ``snippet_index`` of its ``part``, at ``position_ms``."""

    run_id: int
    session_id: str
    part: Part
    snippet_index: int
    snippet_id: str
    position_ms: int
    saved_at: str


def save_resume_point(journal: Journal, run_id: int, *, part: Part, snippet_index: int, snippet_id: str,
                      position_ms: int, now: datetime) -> None:
    """Remember where run ``run_id`` is (replacing what was remembered)."""
    row = {"run_id": run_id, "part": part, "snippet_index": snippet_index, "snippet_id": snippet_id,
           "position_ms": max(0, position_ms), "saved_at": iso_utc(now)}
    try:
        with journal.db.atomic():
            journal.db.table("resume_points").upsert(row, pk="run_id")
    except sqlite3.DatabaseError as exc:
        raise JournalError(f"Could not save where you are in the session: {exc}") from exc


def latest_resume_point(journal: Journal) -> ResumePoint | None:
    """The most recently saved point of a run that has not ended, or None."""
    rows = list(journal.db.query(
        "select p.*, r.session_id from resume_points p join runs r on r.id = p.run_id "
        "where r.ended_at is null order by p.saved_at desc limit 1"))
    if not rows:
        return None
    row = rows[0]
    return ResumePoint(run_id=row["run_id"], session_id=row["session_id"], part=row["part"],
                       snippet_index=row["snippet_index"], snippet_id=row["snippet_id"],
                       position_ms=row["position_ms"], saved_at=row["saved_at"])


def clear_resume_point(journal: Journal, run_id: int) -> None:
    """Forget where run ``run_id`` was (it ended, or the user chose not to continue it)."""
    with journal.db.atomic():
        journal.db.execute("delete from resume_points where run_id = ?", [run_id])
