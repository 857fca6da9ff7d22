"""What the journal's review queries share: the session catalog that labels rows, the run filter, the
full-text query made from the user's words, and the SQL clauses a filter becomes (for review and exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from player.core.localtime import day_start_utc
from player.core.session.manifest import Session, Snippet
from player.core.session.questions import Question


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


NO_SESSIONS = SessionCatalog()  # the default catalog: every row labelled with its ids


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


EVERY_RUN = RunFilter()  # the default filter: no condition


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


# --- SQL clauses ----------------------------------------------------------------------------


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
        checkin_parts, checkin_params = checkin_conditions(where)
        # One pass over the matching check-ins (and the full-text index), not one per run.
        parts.append(f"r.id in (select c.run_id from checkins c where {' and '.join(checkin_parts)})")
        params.extend(checkin_params)
    return ("where " + " and ".join(parts) if parts else ""), params


def checkin_conditions(where: RunFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions over ``checkins c`` for ``where``'s check-in filters (snippet, body area, text), and
    their parameters."""
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


def checkin_clause(where: RunFilter, tz: tzinfo | None) -> tuple[str, list[Any]]:
    """A ``where ...`` over ``checkins c join runs r`` (always starts with ``where``)."""
    run_only = RunFilter(since=where.since, until=where.until, session_id=where.session_id)
    clause, params = run_clause(run_only, tz)
    parts, extra = checkin_conditions(where)
    conditions = [clause.removeprefix("where ")] if clause else []
    return "where " + " and ".join([*conditions, *parts] or ["1"]), [*params, *extra]
