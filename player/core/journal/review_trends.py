"""Trends over the journal: discomfort and ease per snippet over time, before/after measurement pairs, and
the body map (read-only; see :mod:`~player.core.journal.review` for the history and search).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from player.core.journal.review_filters import NO_SESSIONS, RunFilter, SessionCatalog, run_clause
from player.core.journal.store import Journal
from player.core.journal.trends import change_sentence
from player.core.session.questions import Question, body_area_label, body_area_values


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


# --- queries -------------------------------------------------------------------------------


def snippet_trends(journal: Journal, *, catalog: SessionCatalog = NO_SESSIONS, since: date | None = None,
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


# --- private -------------------------------------------------------------------------------------------


def _runs(count: int) -> str:
    return "1 run" if count == 1 else f"{count} runs"


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
