"""Reviewing the journal (read-only): run history by week and day, one run's detail, and note search.

Everything here reads an open :class:`Journal` and returns frozen dataclasses. Dates come in as parameters
(never from the clock). A ``date`` is a day on the practitioner's calendar: ``tz`` is their time zone, and
None means this computer's local time (DST-aware). Writes made while reviewing live in ``edits`` (fix or
delete a check-in) and ``followups`` (the next-day question).

The catalog, the run filter and its SQL live in :mod:`~player.core.journal.review_filters`; trends per
snippet, before/after pairs and the body map in :mod:`~player.core.journal.review_trends`. Both are
importable from here too: this module is the Journal page's and the console's one door to the review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from player.core.journal.followups import Followup, followup
from player.core.journal.review_filters import (
    CONTROL_CHARACTERS,
    EVERY_RUN,
    RunFilter,
    SessionCatalog,
    checkin_clause,
    checkin_conditions,
    fts_query,
    run_clause,
)
from player.core.journal.review_trends import (
    AreaCount,
    PairPoint,
    PairTrend,
    SnippetTrend,
    TrendPoint,
    body_map,
    snippet_trends,
)
from player.core.journal.store import Checkin, Journal, Run, run_from_row
from player.core.localtime import local_day

__all__ = [
    "CONTROL_CHARACTERS", "AreaCount", "NoteHit", "PairPoint", "PairTrend", "PracticeDay", "RunDetail", "RunFilter",
    "RunSummary", "SessionCatalog", "SnippetTrend", "TrendPoint", "WeekGroup", "body_map", "count_runs",
    "fts_query", "group_by_week", "notable_notes", "practice_days", "run_clause", "run_detail", "run_history",
    "search_notes", "snippet_trends",
]

@dataclass(frozen=True)
class RunSummary:
    """One row of the history: the run, its local day and figures over its non-skipped check-ins.

    ``matches`` holds the ids of the run's check-ins that meet the filter's check-in conditions (empty when
    the filter has none).
    """

    run: Run
    day: date
    checkin_count: int
    mean_discomfort: float | None
    max_discomfort: int | None
    matches: tuple[int, ...] = ()


@dataclass(frozen=True)
class WeekGroup:
    """Runs of one ISO week (Monday to Sunday), newest first like the history."""

    year: int
    week: int
    monday: date
    runs: tuple[RunSummary, ...]

    @property
    def label(self) -> str:
        """``"Week 47, 2026 (16-22 Nov)"``."""
        sunday = self.monday + timedelta(days=6)
        return f"Week {self.week}, {self.year} ({self.monday.day} {self.monday:%b}-{sunday.day} {sunday:%b})"


@dataclass(frozen=True)
class PracticeDay:
    """A local day with at least one run."""

    day: date
    runs: int


@dataclass(frozen=True)
class RunDetail:
    """One run with every check-in in the order answered, and its follow-up if any."""

    run: Run
    checkins: tuple[Checkin, ...]
    followup: Followup | None


@dataclass(frozen=True)
class NoteHit:
    """A check-in whose note matched a search (or stood out, for the report)."""

    checkin_id: int
    run_id: int
    session_id: str
    snippet_id: str
    answered_at: str
    discomfort: int | None
    note: str


# --- history -------------------------------------------------------------------------------------------


def run_history(journal: Journal, *, where: RunFilter = EVERY_RUN, limit: int | None = 50, offset: int = 0,
                tz: tzinfo | None = None) -> list[RunSummary]:
    """Runs matching ``where``, newest first, ``limit`` at a time (None: all) from ``offset``."""
    clause, params = run_clause(where, tz)
    page = "" if limit is None else f" limit {int(limit)} offset {int(offset)}"
    runs = [run_from_row(row) for row in journal._db.query(
        f"select * from runs r {clause} order by r.started_at desc, r.id desc{page}", params)]
    figures = _run_figures(journal, [r.id for r in runs])
    matches = _matches(journal, [r.id for r in runs], where) if where.filters_checkins else {}
    summaries = []
    for run in runs:
        count, mean, top = figures.get(run.id, (0, None, None))
        summaries.append(RunSummary(run=run, day=local_day(run.started_at, tz), checkin_count=count,
                                    mean_discomfort=mean, max_discomfort=top, matches=tuple(matches.get(run.id, ()))))
    return summaries


def count_runs(journal: Journal, *, where: RunFilter = EVERY_RUN, tz: tzinfo | None = None) -> int:
    """How many runs match ``where`` (for paging the history)."""
    clause, params = run_clause(where, tz)
    return int(journal._db.execute(f"select count(*) from runs r {clause}", params).fetchone()[0])


def group_by_week(runs: Sequence[RunSummary]) -> list[WeekGroup]:
    """Consecutive runs of the same ISO week (by their local day) grouped, keeping the given order."""
    groups: list[tuple[int, int, list[RunSummary]]] = []
    for summary in runs:
        year, week, _ = summary.day.isocalendar()
        if not groups or groups[-1][:2] != (year, week):
            groups.append((year, week, []))
        groups[-1][2].append(summary)
    return [WeekGroup(year=y, week=w, monday=date.fromisocalendar(y, w, 1), runs=tuple(items))
            for y, w, items in groups]


def practice_days(journal: Journal, *, first: date, last: date, session_id: str | None = None,
                  tz: tzinfo | None = None) -> list[PracticeDay]:
    """Local days from ``first`` to ``last`` (inclusive) with runs, oldest first, with the run count."""
    clause, params = run_clause(RunFilter(since=first, until=last, session_id=session_id), tz)
    counts: dict[date, int] = {}
    for (started_at,) in journal._db.execute(f"select started_at from runs r {clause}", params):
        day = local_day(started_at, tz)
        counts[day] = counts.get(day, 0) + 1
    return [PracticeDay(day=d, runs=n) for d, n in sorted(counts.items())]


def run_detail(journal: Journal, run_id: int) -> RunDetail:
    """The run, its check-ins with all answers and its follow-up; JournalError when there is no such run."""
    return RunDetail(run=journal.run(run_id), checkins=tuple(journal.checkins(run_id)),
                     followup=followup(journal, run_id))


# --- search ---------------------------------------------------------------------------------------------


def search_notes(journal: Journal, text: str, *, where: RunFilter = EVERY_RUN, limit: int | None = 50,
                 tz: tzinfo | None = None) -> list[NoteHit]:
    """Check-ins whose note contains every word of ``text`` (as a word prefix, stemmed), newest first.

    Other conditions of ``where`` (dates, session, snippet, area) narrow it further; its ``text`` is ignored.
    """
    query = fts_query(text)
    if not query:
        return []
    narrowed = RunFilter(since=where.since, until=where.until, session_id=where.session_id,
                         snippet_id=where.snippet_id, body_area=where.body_area, text=text)
    clause, params = checkin_clause(narrowed, tz)
    page = "" if limit is None else f" limit {int(limit)}"
    rows = journal._db.execute(
        "select c.id, c.run_id, r.session_id, c.snippet_id, c.answered_at, c.discomfort, c.note "
        f"from checkins c join runs r on r.id = c.run_id {clause} order by c.answered_at desc, c.id desc{page}",
        params)
    return [NoteHit(*row) for row in rows]


def notable_notes(journal: Journal, *, since: date | None = None, until: date | None = None,
                  session_id: str | None = None, limit: int = 5, tz: tzinfo | None = None) -> list[NoteHit]:
    """Non-empty notes that stand out: highest discomfort first, then the most recent."""
    clause, params = checkin_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    rows = journal._db.execute(
        "select c.id, c.run_id, r.session_id, c.snippet_id, c.answered_at, c.discomfort, c.note "
        f"from checkins c join runs r on r.id = c.run_id {clause} and trim(c.note) != '' "
        f"order by coalesce(c.discomfort, -1) desc, c.answered_at desc limit {int(limit)}", params)
    return [NoteHit(*row) for row in rows]


# --- private -------------------------------------------------------------------------------------------


def _run_figures(journal: Journal, run_ids: list[int]) -> dict[int, tuple[int, float | None, int | None]]:
    if not run_ids:
        return {}
    marks = ",".join("?" * len(run_ids))
    rows = journal._db.execute(
        "select run_id, count(*), avg(case when not skipped then discomfort end), "
        f"max(case when not skipped then discomfort end) from checkins where run_id in ({marks}) group by run_id",
        run_ids)
    return {run_id: (count, mean, top) for run_id, count, mean, top in rows}


def _matches(journal: Journal, run_ids: list[int], where: RunFilter) -> dict[int, list[int]]:
    if not run_ids:
        return {}
    parts, params = checkin_conditions(where)
    marks = ",".join("?" * len(run_ids))
    found: dict[int, list[int]] = {}
    for checkin_id, run_id in journal._db.execute(
        f"select c.id, c.run_id from checkins c where c.run_id in ({marks}) and {' and '.join(parts)} "
        "order by c.sequence, c.id", [*run_ids, *params]):
        found.setdefault(run_id, []).append(checkin_id)
    return found
