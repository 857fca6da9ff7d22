"""The next-day follow-up: on a later day the app asks once how a run settled (better, same, worse).

Stored in the ``followups`` table, one row per run; a dismissed question is stored with a null answer so it
is not asked again. Days and times are parameters, never read from the clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from player.core.errors import JournalError
from player.core.journal.edits import check_note
from player.core.journal.store import Journal, Run, iso_utc, run_from_row
from player.core.localtime import day_start_utc

FollowupAnswer = Literal["better", "same", "worse"]
FOLLOWUP_ANSWERS: tuple[FollowupAnswer, ...] = ("better", "same", "worse")
# Ask about a run only while it is fresh: after this many days it has settled into the runs since.
FOLLOWUP_WINDOW_DAYS = 3


@dataclass(frozen=True)
class Followup:
    """How a run settled. ``answer`` is None when the question was dismissed; ``asked_on`` is a local day."""

    run_id: int
    asked_on: date
    answer: FollowupAnswer | None
    note: str
    answered_at: str | None


def followup_due(journal: Journal, *, today: date, tz: tzinfo | None = None,
                 window_days: int = FOLLOWUP_WINDOW_DAYS) -> Run | None:
    """The run to ask "how did it settle?" about on local day ``today``, or None.

    That is the latest run with at least one check-in that ended (or, never ended, last saved a check-in)
    before ``today`` and at most ``window_days`` days before it — when it was not asked about yet
    (answered or dismissed). An older run is never asked about once a later one was.
    """
    return followup_due_in(journal._db.conn, today=today, tz=tz, window_days=window_days)


def followup_due_in(connection: sqlite3.Connection, *, today: date, tz: tzinfo | None = None,
                    window_days: int = FOLLOWUP_WINDOW_DAYS) -> Run | None:
    """:func:`followup_due` on a plain connection (also a read-only one, see ``outlook``)."""
    upper = day_start_utc(today, tz)
    lower = day_start_utc(today - timedelta(days=window_days), tz)
    earliest_start = day_start_utc(today - timedelta(days=window_days + 1), tz)  # a run ends hours after it starts
    rows = connection.execute(
        "select r.id, r.session_id, r.started_at, r.ended_at, r.completed, "
        "coalesce(r.ended_at, (select max(c.answered_at) from checkins c where c.run_id = r.id)) as last_at, "
        "exists (select 1 from followups f where f.run_id = r.id) "
        "from runs r where r.started_at >= ? and r.started_at < ? "
        "and exists (select 1 from checkins c where c.run_id = r.id) "
        "order by last_at desc, r.id desc", [earliest_start, upper]).fetchall()
    latest = next((row for row in rows if row[5] < upper), None)
    if latest is None or latest[5] < lower or latest[6]:
        return None
    return run_from_row({"id": latest[0], "session_id": latest[1], "started_at": latest[2], "ended_at": latest[3],
                         "completed": latest[4]})


def save_followup(journal: Journal, run_id: int, *, answer: FollowupAnswer | None, note: str = "",
                  today: date, now: datetime) -> Followup:
    """Store the follow-up of ``run_id`` asked on local day ``today`` (answer None: dismissed).

    Replaces an earlier follow-up of that run. Raises JournalError for an unknown run, an answer other
    than better/same/worse, or a note over the length limit.
    """
    if answer is not None and answer not in FOLLOWUP_ANSWERS:
        raise JournalError(f"A follow-up answer is better, same or worse, not {answer!r}.")
    check_note(note)
    journal.run(run_id)
    with journal.writing("save how the last practice settled") as conn:
        conn.execute(
            "insert into followups (run_id, asked_on, answer, note, answered_at) values (?, ?, ?, ?, ?) "
            "on conflict(run_id) do update set asked_on = excluded.asked_on, answer = excluded.answer, "
            "note = excluded.note, answered_at = excluded.answered_at",
            [run_id, today.isoformat(), answer, note, iso_utc(now)])
    found = followup(journal, run_id)
    assert found is not None
    return found


def followup(journal: Journal, run_id: int) -> Followup | None:
    """The stored follow-up of ``run_id``, or None."""
    row = journal._db.execute(
        "select run_id, asked_on, answer, note, answered_at from followups where run_id = ?", [run_id]).fetchone()
    return None if row is None else followup_from_row(row)


def followup_from_row(row: Sequence[Any]) -> Followup:
    """A Followup from a ``(run_id, asked_on, answer, note, answered_at)`` row."""
    run_id, asked_on, answer, note, answered_at = row
    return Followup(run_id=run_id, asked_on=date.fromisoformat(asked_on),
                    answer=answer if answer in FOLLOWUP_ANSWERS else None, note=note or "", answered_at=answered_at)
