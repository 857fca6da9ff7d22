"""Resume points: where an unfinished run was, so quitting, a crash or a power cut costs at most ~2 s.

One row per unfinished run in ``resume_points``, rewritten about every second while a snippet plays
(the journal's synchronous=FULL makes each write durable) and, with each check-in, set to the next
snippet at 0:00 in the check-in's own transaction. Ending a run removes its row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from player.core.defaults import RESUME_BUSY_TIMEOUT_MS
from player.core.journal.store import Journal, PartKind, SnippetPlace, put_resume_point


@dataclass(frozen=True)
class ResumePoint:
    """An unfinished run and where it was: snippet ``snippet_index`` of its ``part``, at ``position_ms``.

    ``snippet_index`` may equal the number of snippets: every snippet was answered, only the end is missing.
    """

    run_id: int
    session_id: str
    part: PartKind
    snippet_index: int
    snippet_id: str
    position_ms: int
    saved_at: str


def save_resume_point(journal: Journal, run_id: int, *, part: PartKind, snippet_index: int, snippet_id: str,
                      position_ms: int, now: datetime) -> None:
    """Remember where run ``run_id`` is (replacing what was remembered).

    Waits at most RESUME_BUSY_TIMEOUT_MS for another writer (it is tried again a second later);
    raises JournalError.
    """
    place = SnippetPlace(part=part, snippet_index=snippet_index, snippet_id=snippet_id, position_ms=position_ms)
    with journal._write("save where you are in the session", busy_timeout_ms=RESUME_BUSY_TIMEOUT_MS) as conn:
        put_resume_point(conn, run_id, place, now=now)


def latest_resume_point(journal: Journal) -> ResumePoint | None:
    """The most recently saved point of a run that has not ended, or None."""
    return latest_resume_point_in(journal._db.conn)


def latest_resume_point_in(connection: sqlite3.Connection) -> ResumePoint | None:
    """:func:`latest_resume_point` on a plain connection (also a read-only one, see ``outlook``)."""
    row = connection.execute(
        "select p.run_id, r.session_id, p.part, p.snippet_index, p.snippet_id, p.position_ms, p.saved_at "
        "from resume_points p join runs r on r.id = p.run_id "
        "where r.ended_at is null order by p.saved_at desc limit 1").fetchone()
    if row is None:
        return None
    run_id, session_id, part, snippet_index, snippet_id, position_ms, saved_at = row
    return ResumePoint(run_id=run_id, session_id=session_id, part=part, snippet_index=snippet_index,
                       snippet_id=snippet_id, position_ms=position_ms, saved_at=saved_at)
