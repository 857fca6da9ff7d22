"""Reviewing the journal: run history, trends per snippet, the body map and note search (read-only).

Everything here reads an open :class:`Journal` and returns frozen dataclasses. Dates come in as parameters
(never from the clock). A ``date`` is a day on the practitioner's calendar: ``tz`` is their time zone, and
None means this computer's local time (DST-aware). Writes made while reviewing live in ``edits`` (fix or
delete a check-in) and ``followups`` (the next-day question).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from player.core.journal.followups import Followup, followup
from player.core.journal.store import Checkin, Journal, Run, run_from_row
from player.core.journal.trends import change_sentence
from player.core.localtime import day_start_utc, local_day
from player.core.session.manifest import Session, Snippet
from player.core.session.questions import Question, body_area_label, body_area_values


@dataclass(frozen=True)
class SessionCatalog:
    """Titles and questions of the library's sessions, to label journal rows; unknown ids label themselves."""

    sessions: Mapping[str, Session] = field(default_factory=dict)

    @classmethod
    def from_sessions(cls, sessions: Iterable[Session]) -> SessionCatalog:
        """A catalog of these sessions (the first session with an id wins)."""
        found: dict[str, Session] = {}
        for session in sessions:
            found.setdefault(session.id, session)
        return cls(found)

    def session_title(self, session_id: str) -> str:
        """The session's title, or its id when the library does not have it."""
        session = self.sessions.get(session_id)
        return session.title if session else session_id

    def snippet_title(self, session_id: str, snippet_id: str) -> str:
        """The snippet's title, or its id."""
        snippet = self._snippet(session_id, snippet_id)
        return snippet.title if snippet else snippet_id

    def questions(self, session_id: str, snippet_id: str) -> tuple[Question, ...]:
        """The snippet's check-in questions (empty when unknown)."""
        snippet = self._snippet(session_id, snippet_id)
        return snippet.questions if snippet else ()

    def _snippet(self, session_id: str, snippet_id: str) -> Snippet | None:
        session = self.sessions.get(session_id)
        return session.snippet(snippet_id) if session else None


@dataclass(frozen=True)
class RunFilter:
    """Which runs to show. Dates are inclusive local days; check-in filters keep runs with a matching check-in.

    ``text`` is searched in notes as words (any characters are safe); ``body_area`` is a stored value
    such as ``"hip-left"``.
    """

    since: date | None = None
    until: date | None = None
    session_id: str | None = None
    snippet_id: str | None = None
    body_area: str | None = None
    text: str = ""

    @property
    def filters_checkins(self) -> bool:
        """True when a check-in level filter (snippet, body area or text) is set."""
        return bool(self.snippet_id or self.body_area or fts_query(self.text))


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
class TrendPoint:
    """A snippet's answers in one run (its last check-in for that snippet)."""

    run_id: int
    answered_at: str
    discomfort: int | None
    ease: int | None


@dataclass(frozen=True)
class PairPoint:
    """A before/after measurement in one run; ``difference`` is after - before when both are numbers."""

    run_id: int
    answered_at: str
    before: float | None
    after: float | None

    @property
    def difference(self) -> float | None:
        """``after - before`` in the measure's unit, or None when one is missing."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class PairTrend:
    """A before/after test (manifest questions sharing ``pair``) across runs."""

    pair: str
    before: Question
    after: Question
    points: tuple[PairPoint, ...]

    @property
    def differences(self) -> list[float]:
        """after - before of each run with both, in ``after.unit``, oldest first."""
        return [d for d in (p.difference for p in self.points) if d is not None]

    @property
    def mean_difference(self) -> float | None:
        """Mean of after - before over the runs with both, in ``after.unit``; None without any."""
        diffs = self.differences
        return sum(diffs) / len(diffs) if diffs else None

    @property
    def summary(self) -> str:
        """``"toe-touch: after - before +4.5 cm on average over 6 runs"``."""
        mean = self.mean_difference
        if mean is None:
            return f"{self.pair}: no complete before/after measurement yet"
        return (f"{self.pair}: after - before {mean:+.1f} {self.after.unit} on average over "
                f"{_runs(len(self.differences))}")


@dataclass(frozen=True)
class SnippetTrend:
    """Discomfort and ease of one snippet over time, one point per run, oldest first, with measure pairs.

    Stored as columns of equal length (ready for a chart): ``run_ids``, ``times`` (ISO-8601 UTC answer
    times), ``discomfort`` and ``ease`` (None where not answered). ``points`` gives the same as rows.
    """

    session_id: str
    snippet_id: str
    title: str
    run_ids: tuple[int, ...]
    times: tuple[str, ...]
    discomfort: tuple[int | None, ...]
    ease: tuple[int | None, ...]
    pairs: tuple[PairTrend, ...] = ()

    @property
    def points(self) -> tuple[TrendPoint, ...]:
        """The columns as one TrendPoint per run (built on each call)."""
        return tuple(map(TrendPoint, self.run_ids, self.times, self.discomfort, self.ease))

    @property
    def summary(self) -> str:
        """``"Big toe and hip: discomfort 5.3 -> 2 over 8 runs (mean of the first 3 runs against the last 3)"``
        (see trends.change_sentence)."""
        return f"{self.title}: {change_sentence('discomfort', self.discomfort)}"

    @property
    def ease_summary(self) -> str:
        """The same for ease: ``"ease 2 -> 4 over 8 runs (mean of the first 3 runs against the last 3)"``."""
        return change_sentence("ease", self.ease)


@dataclass(frozen=True)
class AreaCount:
    """How often a body area was flagged, and the mean discomfort of those check-ins (None: never rated)."""

    area: str
    label: str
    count: int
    mean_discomfort: float | None


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


def run_history(journal: Journal, *, where: RunFilter = RunFilter(), limit: int | None = 50, offset: int = 0,
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


def count_runs(journal: Journal, *, where: RunFilter = RunFilter(), tz: tzinfo | None = None) -> int:
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


# --- trends and body map -------------------------------------------------------------------------------


def snippet_trends(journal: Journal, *, catalog: SessionCatalog = SessionCatalog(), since: date | None = None,
                   until: date | None = None, session_id: str | None = None, snippet_id: str | None = None,
                   tz: tzinfo | None = None) -> list[SnippetTrend]:
    """Discomfort and ease per snippet over time, sorted by session and snippet title.

    A point is the snippet's last non-skipped check-in of a run that has a discomfort or ease answer.
    Measure pairs come from ``catalog``'s questions (same ``pair``, ``when`` before/after), answered
    anywhere in the same run.
    """
    clause, params = run_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    snippet_clause = " and c.snippet_id = ?" if snippet_id else ""
    rows = journal._db.execute(  # in the order of the (snippet_id, answered_at) index: no sorting step
        "select r.session_id, c.snippet_id, c.run_id, c.answered_at, c.discomfort, c.ease "
        f"from checkins c join runs r on r.id = c.run_id {clause}{' and' if clause else ' where'} not c.skipped "
        f"and (c.discomfort is not null or c.ease is not null){snippet_clause} order by c.snippet_id, c.answered_at",
        [*params, *([snippet_id] if snippet_id else [])],
    )
    groups: dict[tuple[str, str], list[_Point]] = {}
    for session, snippet, *point in rows:
        groups.setdefault((session, snippet), []).append(tuple(point))
    trends = []
    for (session, snippet), found in groups.items():
        run_ids, times, discomfort, ease = zip(*_last_per_run(found), strict=True)
        trends.append(SnippetTrend(
            session_id=session, snippet_id=snippet, title=catalog.snippet_title(session, snippet), run_ids=run_ids,
            times=times, discomfort=discomfort, ease=ease,
            pairs=_pair_trends(journal, catalog, session, snippet, clause, params)))
    return sorted(trends, key=lambda t: (catalog.session_title(t.session_id).casefold(), t.title.casefold()))


_Point = tuple[int, str, int | None, int | None]  # run_id, answered_at, discomfort, ease


def _last_per_run(points: list[_Point]) -> list[_Point]:
    """Keep a run's last check-in of the snippet when it has several (replayed), in time order."""
    if len({p[0] for p in points}) == len(points):
        return points
    last = {p[0]: p for p in points}
    return sorted(last.values(), key=lambda p: p[1])


def body_map(journal: Journal, *, since: date | None = None, until: date | None = None,
             session_id: str | None = None, tz: tzinfo | None = None) -> list[AreaCount]:
    """Per flagged body area: how many check-ins flagged it and their mean discomfort, in body order."""
    clause, params = run_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    rows = journal._db.execute(
        "select j.value, count(*), avg(c.discomfort) from runs r join checkins c on c.run_id = r.id, "
        f"json_each(case when json_valid(c.body_areas) then c.body_areas else '[]' end) j {clause} "
        "group by j.value", params)
    order = {value: index for index, value in enumerate(body_area_values())}
    found = [AreaCount(area=str(value), label=body_area_label(str(value)), count=count, mean_discomfort=mean)
             for value, count, mean in rows]
    return sorted(found, key=lambda a: (order.get(a.area, len(order)), a.area))


# --- search --------------------------------------------------------------------------------------------


# FTS5 reads its query as a C string: a NUL would end it mid-phrase ("unterminated string").
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def fts_query(text: str) -> str:
    """User text as a safe FTS5 query: every word quoted (``"`` doubled) and matched as a prefix.

    Words are ANDed; operators such as ``AND``, ``NEAR(``, ``*`` or a stray ``"`` have no meaning. Returns
    "" when the text has no word characters (nothing to search for).
    """
    text = text.encode("utf-8", "ignore").decode("utf-8")  # lone surrogates cannot reach SQLite
    words = [w for w in CONTROL_CHARACTERS.sub(" ", text).split() if re.search(r"\w", w)]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def search_notes(journal: Journal, text: str, *, where: RunFilter = RunFilter(), limit: int | None = 50,
                 tz: tzinfo | None = None) -> list[NoteHit]:
    """Check-ins whose note contains every word of ``text`` (as a word prefix, stemmed), newest first.

    Other conditions of ``where`` (dates, session, snippet, area) narrow it further; its ``text`` is ignored.
    """
    query = fts_query(text)
    if not query:
        return []
    narrowed = RunFilter(since=where.since, until=where.until, session_id=where.session_id,
                         snippet_id=where.snippet_id, body_area=where.body_area, text=text)
    clause, params = _checkin_clause(narrowed, tz)
    page = "" if limit is None else f" limit {int(limit)}"
    rows = journal._db.execute(
        "select c.id, c.run_id, r.session_id, c.snippet_id, c.answered_at, c.discomfort, c.note "
        f"from checkins c join runs r on r.id = c.run_id {clause} order by c.answered_at desc, c.id desc{page}",
        params)
    return [NoteHit(*row) for row in rows]


def notable_notes(journal: Journal, *, since: date | None = None, until: date | None = None,
                  session_id: str | None = None, limit: int = 5, tz: tzinfo | None = None) -> list[NoteHit]:
    """Non-empty notes that stand out: highest discomfort first, then the most recent."""
    clause, params = _checkin_clause(RunFilter(since=since, until=until, session_id=session_id), tz)
    rows = journal._db.execute(
        "select c.id, c.run_id, r.session_id, c.snippet_id, c.answered_at, c.discomfort, c.note "
        f"from checkins c join runs r on r.id = c.run_id {clause} and trim(c.note) != '' "
        f"order by coalesce(c.discomfort, -1) desc, c.answered_at desc limit {int(limit)}", params)
    return [NoteHit(*row) for row in rows]


# --- for other core queries ----------------------------------------------------------------------------


def run_clause(where: RunFilter, tz: tzinfo | None) -> tuple[str, list[Any]]:
    """SQL ``where ...`` over ``runs r`` for ``where`` (an empty string when no condition), and its parameters.

    For other core queries (exports) that join ``runs r``.
    """
    parts: list[str] = []
    params: list[Any] = []
    if where.since:
        parts.append("r.started_at >= ?")
        params.append(day_start_utc(where.since, tz))
    if where.until:
        parts.append("r.started_at < ?")
        params.append(day_start_utc(where.until + timedelta(days=1), tz))
    if where.session_id:
        parts.append("r.session_id = ?")
        params.append(where.session_id)
    if where.filters_checkins:
        checkin_parts, checkin_params = _checkin_conditions(where)
        # One pass over the matching check-ins (and the full-text index), not one per run.
        parts.append(f"r.id in (select c.run_id from checkins c where {' and '.join(checkin_parts)})")
        params.extend(checkin_params)
    return ("where " + " and ".join(parts) if parts else ""), params


# --- private -------------------------------------------------------------------------------------------


def _runs(count: int) -> str:
    return "1 run" if count == 1 else f"{count} runs"


def _checkin_conditions(where: RunFilter) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if where.snippet_id:
        parts.append("c.snippet_id = ?")
        params.append(where.snippet_id)
    if where.body_area:
        parts.append("exists (select 1 from json_each(case when json_valid(c.body_areas) then c.body_areas "
                     "else '[]' end) j where j.value = ?)")
        params.append(where.body_area)
    query = fts_query(where.text)
    if query:
        parts.append("c.id in (select rowid from checkins_fts where checkins_fts match ?)")
        params.append(query)
    return parts, params


def _checkin_clause(where: RunFilter, tz: tzinfo | None) -> tuple[str, list[Any]]:
    """A ``where ...`` over ``checkins c join runs r`` (always starts with ``where``)."""
    run_only = RunFilter(since=where.since, until=where.until, session_id=where.session_id)
    clause, params = run_clause(run_only, tz)
    parts, extra = _checkin_conditions(where)
    conditions = [clause.removeprefix("where ")] if clause else []
    return "where " + " and ".join([*conditions, *parts] or ["1"]), [*params, *extra]


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
    parts, params = _checkin_conditions(where)
    marks = ",".join("?" * len(run_ids))
    found: dict[int, list[int]] = {}
    for checkin_id, run_id in journal._db.execute(
        f"select c.id, c.run_id from checkins c where c.run_id in ({marks}) and {' and '.join(parts)} "
        "order by c.sequence, c.id", [*run_ids, *params]):
        found.setdefault(run_id, []).append(checkin_id)
    return found


def _pair_trends(journal: Journal, catalog: SessionCatalog, session_id: str, snippet_id: str, clause: str,
                 params: list[Any]) -> tuple[PairTrend, ...]:
    """Pairs whose ``after`` question belongs to this snippet; the ``before`` may be in any snippet."""
    session = catalog.sessions.get(session_id)
    if session is None:
        return ()
    every = [q for s in (*session.preview, *(session.full.parts if session.full else ())) for q in s.questions]
    mine = {q.id for q in catalog.questions(session_id, snippet_id)}
    trends = []
    for after in (q for q in every if q.pair and q.when == "after" and q.id in mine):
        before = next((q for q in every if q.pair == after.pair and q.when == "before"), None)
        if before is not None:
            trends.append(PairTrend(pair=after.pair, before=before, after=after,
                                    points=_pair_points(journal, session_id, before.id, after.id, clause, params)))
    return tuple(trends)


def _pair_points(journal: Journal, session_id: str, before_id: str, after_id: str, clause: str,
                 params: list[Any]) -> tuple[PairPoint, ...]:
    rows = journal._db.execute(
        "select c.run_id, c.answered_at, a.question_id, a.value from answers a "
        f"join checkins c on c.id = a.checkin_id join runs r on r.id = c.run_id {clause}"
        f"{' and' if clause else ' where'} r.session_id = ? and a.question_id in (?, ?) and not c.skipped "
        "order by c.answered_at, a.id", [*params, session_id, before_id, after_id])
    found: dict[int, dict[str, Any]] = {}
    for run_id, answered_at, question_id, value in rows:
        number = _number(value)
        entry = found.setdefault(run_id, {"at": answered_at})
        if number is not None:
            entry[question_id] = number
            entry["at"] = answered_at
    points = [PairPoint(run_id=run_id, answered_at=e["at"], before=e.get(before_id), after=e.get(after_id))
              for run_id, e in found.items() if before_id in e or after_id in e]
    return tuple(sorted(points, key=lambda p: p.answered_at))


def _number(stored: str | None) -> float | None:
    """A stored answer (JSON text) as a finite number, or None for text, lists, null or damage."""
    if stored is None:
        return None
    try:
        number = float(stored)  # JSON numbers are valid float() text; quoted text, lists and null are not
    except ValueError:
        return None
    return number if math.isfinite(number) else None
