"""The next-day follow-up: which run to ask about on a given day, and storing the answer or the dismissal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from player.core.errors import JournalError
from player.core.journal.followups import followup, followup_due, save_followup
from player.core.journal.store import Answers, Journal, Run

MONDAY = date(2026, 11, 2)


def practise(journal: Journal, start: datetime, *, minutes: int = 5, end: bool = True, checkins: int = 1) -> Run:
    run = journal.start_run("s", now=start)
    for index in range(checkins):
        journal.save_checkin(run.id, f"snippet-{index}", Answers(discomfort=3),
                             now=start + timedelta(minutes=index + 1))
    return journal.end_run(run.id, now=start + timedelta(minutes=minutes), completed=True) if end else run


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_asks_the_next_day_about_the_latest_run(journal: Journal) -> None:
    practise(journal, at(MONDAY, 8))
    latest = practise(journal, at(MONDAY, 18))
    assert followup_due(journal, today=MONDAY, tz=UTC) is None  # same day: too early
    due = followup_due(journal, today=MONDAY + timedelta(days=1), tz=UTC)
    assert due is not None and due.id == latest.id


def test_asks_once_answered_or_dismissed(journal: Journal) -> None:
    run = practise(journal, at(MONDAY, 8))
    tuesday = MONDAY + timedelta(days=1)
    saved = save_followup(journal, run.id, answer=None, today=tuesday, now=at(tuesday, 9))
    assert saved.answer is None and saved.asked_on == tuesday and saved.answered_at == "2026-11-03T09:00:00.000Z"
    assert followup_due(journal, today=tuesday, tz=UTC) is None
    assert followup_due(journal, today=tuesday + timedelta(days=1), tz=UTC) is None


def test_never_asks_about_an_older_run_once_the_latest_was_asked(journal: Journal) -> None:
    practise(journal, at(MONDAY, 8))
    later = practise(journal, at(MONDAY + timedelta(days=1), 8))
    save_followup(journal, later.id, answer="same", today=MONDAY + timedelta(days=2), now=at(MONDAY, 23))
    assert followup_due(journal, today=MONDAY + timedelta(days=2), tz=UTC) is None


def test_a_run_today_does_not_hide_yesterdays(journal: Journal) -> None:
    yesterday = practise(journal, at(MONDAY, 8))
    tuesday = MONDAY + timedelta(days=1)
    practise(journal, at(tuesday, 7))
    due = followup_due(journal, today=tuesday, tz=UTC)
    assert due is not None and due.id == yesterday.id


def test_only_fresh_runs_with_checkins(journal: Journal) -> None:
    practise(journal, at(MONDAY, 8))
    assert followup_due(journal, today=MONDAY + timedelta(days=3), tz=UTC) is not None
    assert followup_due(journal, today=MONDAY + timedelta(days=4), tz=UTC) is None  # settled long ago
    assert followup_due(journal, today=MONDAY + timedelta(days=4), tz=UTC, window_days=7) is not None
    practise(journal, at(MONDAY + timedelta(days=5), 8), checkins=0)  # opened and closed at once
    assert followup_due(journal, today=MONDAY + timedelta(days=6), tz=UTC) is None


def test_a_run_that_never_ended_counts_from_its_last_checkin(journal: Journal) -> None:
    run = practise(journal, at(MONDAY, 23, 58), end=False, checkins=3)  # killed; check-ins went past midnight
    assert followup_due(journal, today=MONDAY + timedelta(days=1), tz=UTC) is None
    due = followup_due(journal, today=MONDAY + timedelta(days=2), tz=UTC)
    assert due is not None and due.id == run.id and due.ended_at is None


def test_local_days_decide(journal: Journal) -> None:
    berlin_winter = timezone(timedelta(hours=1))
    run = practise(journal, at(MONDAY, 23, 10))  # Tuesday 00:10-00:15 in Berlin
    tuesday = MONDAY + timedelta(days=1)
    assert followup_due(journal, today=tuesday, tz=UTC) is not None
    assert followup_due(journal, today=tuesday, tz=berlin_winter) is None
    due = followup_due(journal, today=tuesday + timedelta(days=1), tz=berlin_winter)
    assert due is not None and due.id == run.id


def test_save_replaces_and_validates(journal: Journal) -> None:
    run = practise(journal, at(MONDAY, 8))
    tuesday = MONDAY + timedelta(days=1)
    save_followup(journal, run.id, answer=None, today=tuesday, now=at(tuesday, 9))
    saved = save_followup(journal, run.id, answer="worse", note="Knee ached at night", today=tuesday,
                          now=at(tuesday, 10))
    assert followup(journal, run.id) == saved and saved.answer == "worse" and saved.note == "Knee ached at night"
    assert journal._db.table("followups").count == 1
    with pytest.raises(JournalError, match="better, same or worse"):
        save_followup(journal, run.id, answer="great", today=tuesday, now=at(tuesday, 9))  # type: ignore[arg-type]
    with pytest.raises(JournalError, match="10,000"):
        save_followup(journal, run.id, answer="same", note="x" * 10_001, today=tuesday, now=at(tuesday, 9))
    with pytest.raises(JournalError, match="no run 99"):
        save_followup(journal, 99, answer="same", today=tuesday, now=at(tuesday, 9))
    assert followup(journal, run.id) == saved
