"""What the one-page clinician report says, gathered from the journal (Qt-free; ``ui.report_pdf`` draws it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from player.core.journal.review import (
    AreaCount,
    RunFilter,
    SessionCatalog,
    SnippetTrend,
    body_map,
    notable_notes,
    run_clause,
    snippet_trends,
)
from player.core.journal.store import Journal
from player.core.localtime import local_day

# One page holds this many movement trends (the most practised ones) and this many notes.
REPORT_MAX_TRENDS = 6
REPORT_MAX_NOTES = 5
REPORT_MAX_NEXT_DAY_NOTES = 2  # notes given with next-day answers, newest first


@dataclass(frozen=True)
class SessionCount:
    """Runs of one session in the period."""

    session_id: str
    title: str
    runs: int
    completed: int


@dataclass(frozen=True)
class ReportNote:
    """A notable note, labelled for a reader who does not know the ids."""

    day: date
    session_title: str
    snippet_title: str
    discomfort: int | None
    note: str


@dataclass(frozen=True)
class NextDayNote:
    """A note given with a next-day answer: the day of the run it is about, the answer, the note."""

    day: date
    answer: str
    note: str


@dataclass(frozen=True)
class NextDay:
    """How the period's runs settled by the next day: counts of each answer (dismissed ones left out)."""

    better: int = 0
    same: int = 0
    worse: int = 0
    notes: tuple[NextDayNote, ...] = ()

    @property
    def answered(self) -> int:
        """Runs with a next-day answer."""
        return self.better + self.same + self.worse


@dataclass(frozen=True)
class ClinicianReport:
    """Everything the one-page report shows. ``first_day``/``last_day`` is the period (None: no runs)."""

    first_day: date | None
    last_day: date | None
    prepared_on: date
    runs: int
    completed: int
    practice_days: int
    sessions: tuple[SessionCount, ...]
    trends: tuple[SnippetTrend, ...]
    more_trends: int
    body: tuple[AreaCount, ...]
    notes: tuple[ReportNote, ...]
    next_day: NextDay = NextDay()


def build_report(journal: Journal, *, today: date, catalog: SessionCatalog | None = None, since: date | None = None,
                 until: date | None = None, session_id: str | None = None,
                 tz: tzinfo | None = None) -> ClinicianReport:
    """Gather the report for runs from ``since`` to ``until`` (local days, inclusive; None: unbounded)."""
    catalog = catalog or SessionCatalog()
    clause, params = run_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    rows = journal._db.execute(f"select session_id, started_at, completed from runs r {clause}", params).fetchall()
    days = sorted({local_day(started_at, tz) for _, started_at, _ in rows})
    per_session: dict[str, list[int]] = {}
    for sid, _, completed in rows:
        counts = per_session.setdefault(sid, [0, 0])
        counts[0] += 1
        counts[1] += int(bool(completed))
    sessions = sorted((SessionCount(s, catalog.session_title(s), n, done) for s, (n, done) in per_session.items()),
                      key=lambda c: (-c.runs, c.title.casefold()))
    trends = snippet_trends(journal, catalog=catalog, since=since, until=until, session_id=session_id, tz=tz)
    shown = sorted(trends, key=lambda t: -len(t.points))[:REPORT_MAX_TRENDS]
    notes = [
        ReportNote(day=local_day(hit.answered_at, tz), session_title=catalog.session_title(hit.session_id),
                   snippet_title=catalog.snippet_title(hit.session_id, hit.snippet_id), discomfort=hit.discomfort,
                   note=hit.note)
        for hit in notable_notes(journal, since=since, until=until, session_id=session_id,
                                 limit=REPORT_MAX_NOTES, tz=tz)
    ]
    next_day = _next_day(journal, clause, params, tz)
    return ClinicianReport(
        first_day=since or (days[0] if days else None), last_day=until or (days[-1] if days else None),
        prepared_on=today, runs=len(rows), completed=sum(1 for row in rows if row[2]), practice_days=len(days),
        sessions=tuple(sessions), trends=tuple(t for t in trends if any(t is s for s in shown)),
        more_trends=len(trends) - len(shown),
        body=tuple(body_map(journal, since=since, until=until, session_id=session_id, tz=tz)), notes=tuple(notes),
        next_day=next_day,
    )


def _next_day(journal: Journal, clause: str, params: list[Any], tz: tzinfo | None) -> NextDay:
    """The next-day answers of the runs that ``clause`` (over ``runs r``) selects."""
    rows = journal._db.execute(
        f"select f.answer, f.note, r.started_at from runs r join followups f on f.run_id = r.id {clause} "
        "order by r.started_at desc, r.id desc", params).fetchall()
    answers = [answer for answer, _, _ in rows]
    notes = tuple(NextDayNote(day=local_day(started_at, tz), answer=answer, note=note)
                  for answer, note, started_at in rows if answer is not None and note)
    return NextDay(better=answers.count("better"), same=answers.count("same"), worse=answers.count("worse"),
                   notes=notes[:REPORT_MAX_NEXT_DAY_NOTES])
