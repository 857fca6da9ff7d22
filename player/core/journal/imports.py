"""Importing a JSON export: validate the whole document first, then add what is new in one transaction.

Every problem is reported with its JSON path (``runs[3].checkins[0].discomfort: must be 0-10, got 12``)
and nothing is written unless there are none. Runs and check-ins already in the journal (same natural
keys: session and start time; snippet and answer time) are left as they are, so importing twice adds
nothing the second time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from player.core.defaults import MAX_NOTE_CHARS
from player.core.errors import JournalError
from player.core.journal.exports import FORMAT_NAME, FORMAT_VERSION
from player.core.journal.followups import FOLLOWUP_ANSWERS
from player.core.journal.store import Journal, iso_utc
from player.core.localtime import parse_utc
from player.core.session.question_kinds import AnswerError, answer_from_json
from player.core.session.questions import STANDARD_IDS, body_area_values

# Files larger than this are refused before they are read: a 10-year journal exports to about 25 MB.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
# Longest id (session, snippet, question) accepted; manifest ids are short slugs.
MAX_ID_CHARS = 100
# What an id may look like: manifest slugs, and a little more for journals edited with other tools.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
# An import stops collecting problems after this many (and says how many more there were).
MAX_PROBLEMS = 1_000

RUN_FIELDS = {"session_id", "started_at", "ended_at", "completed", "followup", "checkins"}
CHECKIN_FIELDS = {"snippet_id", "answered_at", "skipped", "discomfort", "ease", "body_areas", "note", "answers"}
FOLLOWUP_FIELDS = {"asked_on", "answer", "note", "answered_at"}


class JournalImportError(JournalError):
    """The document cannot be imported; ``problems`` lists each one as ``path: reason``. Nothing was written."""

    def __init__(self, message: str, problems: tuple[str, ...] = (), *, more: int = 0) -> None:
        super().__init__(message, detail="\n".join(problems))
        self.problems = problems
        self.more = more


@dataclass(frozen=True)
class ImportResult:
    """What an import added, and what it found already in the journal."""

    runs_added: int
    checkins_added: int
    followups_added: int
    runs_present: int
    checkins_present: int


@dataclass
class _Checkin:
    snippet_id: str
    answered_at: str
    skipped: bool = False
    discomfort: int | None = None
    ease: int | None = None
    body_areas: list[str] = field(default_factory=list)
    note: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Followup:
    asked_on: str
    answer: str | None
    note: str = ""
    answered_at: str | None = None


@dataclass
class _Run:
    session_id: str
    started_at: str
    ended_at: str | None = None
    completed: bool = False
    followup: _Followup | None = None
    checkins: list[_Checkin] = field(default_factory=list)


def import_file(journal: Journal, path: Path) -> ImportResult:
    """Import the JSON export at ``path``; raises JournalImportError (nothing written) when it is not valid."""
    return import_document(journal, read_document(path))


def read_document(path: Path) -> object:
    """Parse the file as JSON, refusing files over MAX_IMPORT_BYTES before reading them.

    Raises JournalImportError for a missing, huge, non-UTF-8, malformed or too deeply nested file.
    Duplicate keys in an object are kept for validate() to report.
    """
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise JournalImportError(f"{path.name} is {size / 1e6:,.0f} MB; an import takes files up to "
                                     f"{MAX_IMPORT_BYTES / 1e6:,.0f} MB.")
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise JournalImportError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise JournalImportError(f"{path.name} is not UTF-8 text (byte {exc.start}).") from exc
    try:
        return json.loads(text, object_pairs_hook=_Object.from_pairs, parse_constant=_no_constant)
    except RecursionError as exc:
        raise JournalImportError(f"{path.name} is nested too deeply to be a journal export.") from exc
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers too long to convert
        raise JournalImportError(f"{path.name} is not valid JSON: {str(exc).rstrip('.')}.") from exc


def import_document(journal: Journal, document: object) -> ImportResult:
    """Validate ``document`` whole, then add its new runs, check-ins and follow-ups in one transaction.

    Raises JournalImportError listing every problem (nothing written) when the document is not valid.
    """
    runs = _validated(document)
    with journal.writing():
        return _insert(journal, runs)


def validate_document(document: object) -> None:
    """Raise JournalImportError listing every problem with its JSON path, unless ``document`` is valid."""
    _validated(document)


def _validated(document: object) -> list[_Run]:
    checker = _Validator()
    runs = checker.document(document)
    if checker.problems:
        count = len(checker.problems) + checker.more
        raise JournalImportError(f"The file has {count} problem{'s' if count > 1 else ''}; nothing was imported.",
                                 tuple(checker.problems), more=checker.more)
    return runs


class _Object(dict[str, Any]):
    """A JSON object that remembers keys given twice (json.loads would silently keep the last)."""

    duplicates: list[str]

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _Object:
        made = cls(pairs)
        made.duplicates = []
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in made.duplicates:
                    made.duplicates.append(key)
                seen.add(key)
        return made


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _show(value: object) -> str:
    """How a bad value reads in a message: short, never the whole of a huge string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if len(value) <= 40 else f"a text of {len(value):,} characters"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 40 else "a very long number"
    return "a list" if isinstance(value, list) else "an object"


class _Validator:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.more = 0

    def fail(self, path: str, reason: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{path.removeprefix('.') or '(the document)'}: {reason}")
        else:
            self.more += 1

    def obj(self, value: object, path: str, known: set[str], required: tuple[str, ...]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, got {_show(value)}")
            return None
        for key in getattr(value, "duplicates", []):
            self.fail(f"{path}.{_key(key)}", "appears twice in the same object")
        for key in value:
            if key not in known:
                self.fail(f"{path}.{_key(key)}", "unknown field")
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}", "missing")
        return value

    def document(self, value: object) -> list[_Run]:
        top = self.obj(value, "", {"format", "version", "runs"}, ("format", "version", "runs"))
        if top is None:
            return []
        if "format" in top and top["format"] != FORMAT_NAME:
            self.fail("format", f'must be "{FORMAT_NAME}", got {_show(top["format"])}')
        if "version" in top and (type(top["version"]) is not int or top["version"] != FORMAT_VERSION):
            self.fail("version", f"must be {FORMAT_VERSION} (this app reads version {FORMAT_VERSION}), "
                                 f"got {_show(top['version'])}")
        runs = top.get("runs", [])
        if not isinstance(runs, list):
            self.fail("runs", f"must be a list, got {_show(runs)}")
            return []
        parsed = [(index, run) for index, item in enumerate(runs) if (run := self.run(item, f"runs[{index}]"))]
        self.flag_repeats([(i, (r.session_id, r.started_at)) for i, r in parsed], "runs",
                          "the same run (session_id and started_at) as runs")
        return [run for _index, run in parsed]

    def flag_repeats(self, keyed: list[tuple[int, tuple[str, str]]], path: str, what: str) -> None:
        """Report every item whose natural key an earlier item already has (``{what}[i]`` names it)."""
        seen: dict[tuple[str, str], int] = {}
        for index, key in keyed:
            if key in seen:
                self.fail(f"{path}[{index}]", f"{what}[{seen[key]}]")
            seen.setdefault(key, index)

    def run(self, value: object, path: str) -> _Run | None:
        data = self.obj(value, path, RUN_FIELDS, ("session_id", "started_at"))
        if data is None:
            return None
        run = _Run(session_id=self.ident(data, "session_id", path), started_at=self.moment(data, "started_at", path),
                   ended_at=self.moment(data, "ended_at", path, nullable=True) or None,
                   completed=self.flag(data, "completed", path))
        if data.get("followup") is not None:
            run.followup = self.followup(data["followup"], f"{path}.followup")
        checkins = data.get("checkins", [])
        if not isinstance(checkins, list):
            self.fail(f"{path}.checkins", f"must be a list, got {_show(checkins)}")
            return run
        parsed = [(index, checkin) for index, item in enumerate(checkins)
                  if (checkin := self.checkin(item, f"{path}.checkins[{index}]"))]
        self.flag_repeats([(i, (c.snippet_id, c.answered_at)) for i, c in parsed], f"{path}.checkins",
                          "the same check-in (snippet_id and answered_at) as checkins")
        run.checkins.extend(checkin for _index, checkin in parsed)
        return run

    def checkin(self, value: object, path: str) -> _Checkin | None:
        data = self.obj(value, path, CHECKIN_FIELDS, ("snippet_id", "answered_at"))
        if data is None:
            return None
        return _Checkin(
            snippet_id=self.ident(data, "snippet_id", path), answered_at=self.moment(data, "answered_at", path),
            skipped=self.flag(data, "skipped", path), discomfort=self.integer(data, "discomfort", path, 0, 10),
            ease=self.integer(data, "ease", path, 1, 5), body_areas=self.areas(data, path),
            note=self.text(data, "note", path), answers=self.answers(data.get("answers", {}), f"{path}.answers"),
        )

    def followup(self, value: object, path: str) -> _Followup | None:
        data = self.obj(value, path, FOLLOWUP_FIELDS, ("asked_on", "answer"))
        if data is None:
            return None
        asked_on = data.get("asked_on")
        if "asked_on" in data and not _is_date(asked_on):
            self.fail(f"{path}.asked_on", f"must be a date like 2026-11-24, got {_show(asked_on)}")
        answer = data.get("answer")
        if answer is not None and answer not in FOLLOWUP_ANSWERS:
            self.fail(f"{path}.answer", f'must be "better", "same", "worse" or null, got {_show(answer)}')
        return _Followup(asked_on=str(asked_on), answer=answer if isinstance(answer, str) else None,
                         note=self.text(data, "note", path),
                         answered_at=self.moment(data, "answered_at", path, nullable=True) or None)

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if key not in data:
            return ""
        if not isinstance(value, str) or not _is_id(value):
            self.fail(f"{path}.{key}", f"must be an id of letters, digits and - _ . : (up to {MAX_ID_CHARS} "
                                       f"characters), got {_show(value)}")
            return ""
        return value

    def moment(self, data: Mapping[str, Any], key: str, path: str, *, nullable: bool = False) -> str:
        value = data.get(key)
        if key not in data or (value is None and nullable):
            return ""
        if isinstance(value, str) and len(value) <= 40:
            try:
                return iso_utc(parse_utc(value))
            except ValueError:
                pass
        self.fail(f"{path}.{key}", "must be an ISO-8601 time with a time zone, like 2026-11-23T09:15:02.120Z, "
                                   f"got {_show(value)}")
        return ""

    def flag(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"must be true or false, got {_show(value)}")
            return False
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if type(value) is not int or not low <= value <= high:
            self.fail(f"{path}.{key}", f"must be a whole number {low}-{high} or null, got {_show(value)}")
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, got {_show(value)}")
            return ""
        if len(value) > MAX_NOTE_CHARS:
            self.fail(f"{path}.{key}", f"must be at most {MAX_NOTE_CHARS:,} characters, got {len(value):,}")
            return ""
        return value

    def areas(self, data: Mapping[str, Any], path: str) -> list[str]:
        value = data.get("body_areas", [])
        known = set(body_area_values())
        if not isinstance(value, list) or len(value) > len(known):
            self.fail(f"{path}.body_areas", f"must be a list of body area ids, got {_show(value)}")
            return []
        for index, area in enumerate(value):
            if area not in known:
                self.fail(f"{path}.body_areas[{index}]", f"unknown body area {_show(area)}")
        if len(set(map(str, value))) != len(value):
            self.fail(f"{path}.body_areas", "lists an area twice")
        return [str(a) for a in value]

    def answers(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object of question id: answer, got {_show(value)}")
            return {}
        for key in getattr(value, "duplicates", []):
            self.fail(f"{path}.{_key(key)}", "appears twice in the same object")
        found: dict[str, Any] = {}
        for key, answer in value.items():
            where = f"{path}.{_key(key)}"
            if not _is_id(key) or key in STANDARD_IDS:
                self.fail(where, f"must be a custom question id (letters, digits and - _ . : up to {MAX_ID_CHARS} "
                                 "characters; not discomfort, ease, body-areas or note)")
            elif self.answer(answer, where):
                found[key] = answer
        return found

    def answer(self, value: object, path: str) -> bool:
        # Answers carry no kind: each is read by the question kind its JSON shape belongs to (question_kinds).
        try:
            answer_from_json(value)
        except AnswerError as exc:
            self.fail(path, exc.reason)
            return False
        return True


def _key(key: str) -> str:
    """An object key as it appears in a problem's path: plain keys as they are, others quoted and shortened."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key):
        return key
    return json.dumps(key if len(key) <= 40 else key[:37] + "...", ensure_ascii=True)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID_CHARS and ID_PATTERN.fullmatch(value) is not None


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _insert(journal: Journal, runs: list[_Run]) -> ImportResult:
    db = journal.db.conn
    existing = {(s, t): i for i, s, t in db.execute("select id, session_id, started_at from runs")}
    counts = {"runs": 0, "checkins": 0, "followups": 0, "runs_present": 0, "checkins_present": 0}
    for run in runs:
        run_id = existing.get((run.session_id, run.started_at))
        present: set[tuple[str, str]] = set()
        if run_id is None:
            cursor = db.execute("insert into runs (session_id, started_at, ended_at, completed) values (?, ?, ?, ?)",
                                [run.session_id, run.started_at, run.ended_at, int(run.completed)])
            run_id = int(cursor.lastrowid or 0)
            counts["runs"] += 1
        else:
            counts["runs_present"] += 1
            present = set(db.execute("select snippet_id, answered_at from checkins where run_id = ?", [run_id]))
        for c in run.checkins:
            if (c.snippet_id, c.answered_at) in present:
                counts["checkins_present"] += 1
                continue
            cursor = db.execute(
                "insert into checkins (run_id, snippet_id, answered_at, discomfort, ease, body_areas, note, skipped) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, c.snippet_id, c.answered_at, c.discomfort, c.ease, json.dumps(c.body_areas), c.note,
                 int(c.skipped)])
            checkin_id = cursor.lastrowid
            db.executemany("insert into answers (checkin_id, question_id, value) values (?, ?, ?)",
                           [(checkin_id, q, json.dumps(v)) for q, v in c.answers.items()])
            counts["checkins"] += 1
        if run.followup is not None:
            f = run.followup
            cursor = db.execute(
                "insert into followups (run_id, asked_on, answer, note, answered_at) values (?, ?, ?, ?, ?) "
                "on conflict(run_id) do nothing", [run_id, f.asked_on, f.answer, f.note, f.answered_at])
            counts["followups"] += cursor.rowcount
    return ImportResult(runs_added=counts["runs"], checkins_added=counts["checkins"],
                        followups_added=counts["followups"], runs_present=counts["runs_present"],
                        checkins_present=counts["checkins_present"])
