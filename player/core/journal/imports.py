"""Importing a JSON export: read it one run at a time, validate each, add what is new in one transaction.

Every problem is reported with its JSON path (``runs[3].checkins[0].discomfort: must be 0-10, got 12``)
and nothing is written unless there are none
(the transaction is rolled back). Runs and check-ins already in the journal (same natural
keys: session and start time; snippet and answer time) are left as they are, so importing twice adds
nothing the second time.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NoReturn

from player.core.defaults import MAX_IMPORT_BYTES, MAX_NOTE_CHARS
from player.core.errors import JournalError
from player.core.journal.exports import FORMAT_NAME, FORMAT_VERSION
from player.core.journal.followups import FOLLOWUP_ANSWERS
from player.core.journal.store import Answers, Journal, insert_checkin, iso_utc, note_index_deferred
from player.core.localtime import parse_utc
from player.core.session.question_kinds import AnswerError, answer_from_json
from player.core.session.questions import STANDARD_IDS, body_area_values

__all__ = ["MAX_IMPORT_BYTES", "ImportResult", "JournalImportError", "import_document", "import_file",
           "validate_document"]
# A document nested deeper than this is not a journal export (an export is four levels deep).
MAX_DEPTH = 500
# A document that is not an object is parsed (to name what it is) only when it is this small.
_SMALL_DOCUMENT_CHARS = 64 * 1024
# SQLite's page cache while importing, in KiB as PRAGMA cache_size takes it (negative): building the
# full-text index of 50,000 notes is ~40 % faster with it than with the default 2 MB.
IMPORT_CACHE_KIB = -32 * 1024
# Above these shares of the text (lists and objects, quotes, commas per character), values are measured
# before they are parsed. A pretty-printed export has ~1 %, ~8 % and ~3 %; a compact one ~2 %, ~14 %, ~6 %.
DENSE_CONTAINERS = 0.025
DENSE_QUOTES = 0.16
DENSE_COMMAS = 0.08
# The longest value parsed in one go when values are measured: a run of 3,000 check-ins is shorter.
MAX_VALUE_CHARS = 1024**2
_OPENERS = '[{"'
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_CHARS = " \t\n\r"
# A canonical journal time, as exports write it: kept as it is once its date is checked.
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
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


@dataclass(slots=True)
class _Checkin:
    snippet_id: str
    answered_at: str
    skipped: bool = False
    discomfort: int | None = None
    ease: int | None = None
    body_areas: list[str] = field(default_factory=list)
    note: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Followup:
    asked_on: str
    answer: str | None
    note: str = ""
    answered_at: str | None = None


@dataclass(slots=True)
class _Run:
    session_id: str
    started_at: str
    ended_at: str | None = None
    completed: bool = False
    followup: _Followup | None = None
    checkins: list[_Checkin] = field(default_factory=list)


def import_file(journal: Journal, path: Path) -> ImportResult:
    """Import the JSON export at ``path``; raises JournalImportError (nothing written) when it is not valid.

    The file's size is checked before it is read (MAX_IMPORT_BYTES). It is then read one run, and within a
    run one check-in, at a time: memory stays within a few times the file's size. Each valid run is added
    as it is read, inside one transaction that is rolled back when any problem is found.
    """
    return _import_text(journal, _read_text(path), path.name)


def import_document(journal: Journal, document: object) -> ImportResult:
    """Validate ``document`` (parsed JSON) and add its new runs, check-ins and follow-ups in one transaction.

    Raises JournalImportError listing every problem (nothing written) when the document is not valid.
    """
    return _import_text(journal, _as_json(document), "the document")


def validate_document(document: object) -> None:
    """Raise JournalImportError listing every problem with its JSON path, unless ``document`` is valid."""
    _Importer(_as_json(document), "the document", sink=None).read()


def _as_json(document: object) -> str:
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError) as exc:
        raise JournalImportError(f"The document cannot be imported: {exc}.") from exc


def _read_text(path: Path) -> str:
    """The file as text, refusing anything but a regular file of at most MAX_IMPORT_BYTES before reading."""
    try:
        if not path.is_file():
            raise JournalImportError(f"{path} cannot be read: it is not a file." if path.exists()
                                     else f"{path} cannot be read: no such file.")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise JournalImportError(f"{path.name} is {size / 1e6:,.0f} MB; an import takes files up to "
                                     f"{MAX_IMPORT_BYTES / 1e6:,.0f} MB.")
        with path.open("rb") as handle:
            data = handle.read(size + 1)  # read(n) sets n bytes aside first: the file's size, not the limit
        if len(data) > size:
            raise JournalImportError(f"{path.name} grew while it was read; try again once it is written.")
        return data.decode("utf-8")
    except OSError as exc:
        raise JournalImportError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise JournalImportError(f"{path.name} is not UTF-8 text (byte {exc.start}).") from exc


def _import_text(journal: Journal, text: str, name: str) -> ImportResult:
    with journal.writing("import the file") as conn:
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")  # the full-text index is built faster in memory
        try:
            sink = _Sink(conn)
            with note_index_deferred(conn):
                _Importer(text, name, sink=sink).read()
            return sink.result()
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache)}")


class _Importer:
    """Reads a JSON export one run (and one check-in) at a time, validating each and handing valid runs on.

    Problems are collected in document order (a run's own fields before its check-ins); after the first
    one nothing more is handed on, and JournalImportError is raised at the end.
    """

    def __init__(self, text: str, name: str, *, sink: _Sink | None) -> None:
        self.scan = _Scanner(text, name)
        self.name = name
        self.sink = sink
        self.top = _Validator()
        self.body = _Validator()
        self.repeats = _Validator()

    def read(self) -> None:
        if self.scan.peek() != "{":
            self.top.obj(self.scan.small_value(), "", set(), ())
        else:
            self.document()
        self.scan.end()
        problems = [*self.top.problems, *self.body.problems, *self.repeats.problems]
        more = self.top.more + self.body.more + self.repeats.more + max(0, len(problems) - MAX_PROBLEMS)
        if problems:
            count = len(problems) + more - max(0, len(problems) - MAX_PROBLEMS)
            raise JournalImportError(f"The file has {count} problem{'s' if count > 1 else ''}; nothing was imported.",
                                     tuple(problems[:MAX_PROBLEMS]), more=more)

    def failed(self) -> bool:
        return bool(self.top.problems or self.body.problems or self.repeats.problems)

    def document(self) -> None:
        fields = _Object()
        seen_runs: dict[tuple[str, str], int] = {}
        for key in self.scan.members():
            if key in fields:
                fields.duplicates.append(key)
            if key == "runs" and self.scan.peek() == "[":
                fields[key] = []
                for index in self.scan.elements():
                    self.one_run(index, seen_runs)
            else:
                fields[key] = self.scan.value()
        top = self.top.obj(fields, "", {"format", "version", "runs"}, ("format", "version", "runs"))
        if top is None:
            return
        if "format" in top and top["format"] != FORMAT_NAME:
            self.top.fail("format", f'must be "{FORMAT_NAME}", got {_show(top["format"])}')
        if "version" in top and (type(top["version"]) is not int or top["version"] != FORMAT_VERSION):
            self.top.fail("version", f"must be {FORMAT_VERSION} (this app reads version {FORMAT_VERSION}), "
                                     f"got {_show(top['version'])}")
        if "runs" in top and not isinstance(top["runs"], list):
            self.top.fail("runs", f"must be a list, got {_show(top['runs'])}")

    def one_run(self, index: int, seen_runs: dict[tuple[str, str], int]) -> None:
        path = f"runs[{index}]"
        if self.scan.peek() != "{":
            self.body.run(self.scan.value(), path)
            return
        whole = self.scan.small_object()
        if whole is not None:  # an ordinary run: parsed in one go, its check-ins checked from the parsed list
            checker = _Validator()
            checkins = self.checkins_of(whole.get("checkins"), path, checker)
            if isinstance(whole.get("checkins"), list):
                whole["checkins"] = []
            self.finish_run(index, path, whole, checker, checkins, seen_runs)
            return
        fields = _Object()
        checker = _Validator()
        checkins = []
        for key in self.scan.members():
            if key in fields:
                fields.duplicates.append(key)
            if key == "checkins" and self.scan.peek() == "[":
                fields[key] = []
                checkins = self.checkins_of((self.scan.value() for _ in self.scan.elements()), path, checker)
            else:
                fields[key] = self.scan.value()
        self.finish_run(index, path, fields, checker, checkins, seen_runs)

    def checkins_of(self, items: object, path: str, checker: _Validator) -> list[_Checkin]:
        """The valid check-ins among ``items`` (a list, or check-ins read one at a time), problems to ``checker``."""
        if not isinstance(items, Iterable) or isinstance(items, str | dict):
            return []
        checkins: list[_Checkin] = []
        seen: dict[tuple[str, str], int] = {}
        for number, item in enumerate(items):
            where = f"{path}.checkins[{number}]"
            checkin = checker.checkin(item, where)
            if checkin is not None:
                key_of = (checkin.snippet_id, checkin.answered_at)
                if key_of in seen:
                    checker.fail(where, f"the same check-in (snippet_id and answered_at) as checkins[{seen[key_of]}]")
                seen.setdefault(key_of, number)
                checkins.append(checkin)
        return checkins

    def finish_run(self, index: int, path: str, fields: Mapping[str, Any], checker: _Validator,
                   checkins: list[_Checkin], seen_runs: dict[tuple[str, str], int]) -> None:
        run = self.body.run(fields, path)
        self.body.merge(checker)
        if run is None:
            return
        run.checkins = checkins
        natural = (run.session_id, run.started_at)
        if natural in seen_runs:
            self.repeats.fail(path, f"the same run (session_id and started_at) as runs[{seen_runs[natural]}]")
        seen_runs.setdefault(natural, index)
        if self.sink is not None and not self.failed():
            self.sink.add(run)


class _Scanner:
    """Walks the top two levels of a JSON text by hand; everything below is parsed by json, one value at a time."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.pos = 0
        # A text denser in lists, objects, strings or numbers than an export gets each value measured before
        # it is parsed (parsed, [[],[],...] takes ~25 bytes of memory per byte); an export is read at full speed.
        size = max(len(text), 1)
        self.guarded = ((text.count("[") + text.count("{")) / size > DENSE_CONTAINERS
                        or text.count('"') / size > DENSE_QUOTES or text.count(",") / size > DENSE_COMMAS)

    def fail(self, what: str) -> NoReturn:
        error = json.JSONDecodeError(what, self.text, min(self.pos, len(self.text)))
        raise JournalImportError(f"{self.name} is not valid JSON: {str(error).rstrip('.')}.")

    def peek(self) -> str:
        char = self.text[self.pos:self.pos + 1]
        if char in _SPACE_CHARS and char:
            match = _SPACE.match(self.text, self.pos)
            self.pos = match.end() if match else self.pos
            char = self.text[self.pos:self.pos + 1]
        return char

    def take(self, char: str, what: str) -> None:
        if self.peek() != char:
            self.fail(what)
        self.pos += 1

    def value(self, decoder: json.JSONDecoder | None = None) -> object:
        if self.peek() in _OPENERS and self.guarded:
            self.check_length(self.pos)
        try:
            value, self.pos = (decoder or _DECODER).raw_decode(self.text, self.pos)
        except RecursionError:
            raise JournalImportError(f"{self.name} is nested too deeply to be a journal export.") from None
        except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers too long to convert
            raise JournalImportError(f"{self.name} is not valid JSON: {str(exc).rstrip('.')}.") from exc
        return value

    def check_length(self, start: int) -> None:
        """Raise JournalImportError when the value at ``start`` is longer than MAX_VALUE_CHARS (measured by
        its brackets and strings, without parsing it)."""
        end = _value_end(self.text, start, MAX_VALUE_CHARS)
        if end is None:
            raise JournalImportError(f"{self.name}: the value at character {start:,} is longer than "
                                     f"{MAX_VALUE_CHARS:,} characters; no run or check-in of an export is.")

    def small_object(self) -> dict[str, Any] | None:
        """The object here, parsed whole when it holds at most RUN_OBJECTS_IN_ONE_GO objects; else None
        (nothing consumed: the caller reads it member by member, keeping memory bounded)."""
        start = self.pos
        if self.guarded and _value_end(self.text, start, MAX_VALUE_CHARS) is None:
            return None
        _BUDGET[0] = RUN_OBJECTS_IN_ONE_GO
        try:
            value = self.value(_BUDGETED)
        except _OverBudget:
            self.pos = start
            return None
        finally:
            _BUDGET[0] = -1
        assert isinstance(value, dict)
        return value

    def small_value(self) -> object:
        """The whole document when it is not an object: parsed only when small, else named by its first character."""
        self.peek()
        rest = self.text[self.pos:self.pos + MAX_DEPTH + 1]
        if len(rest) - len(rest.lstrip("[{ \t\r\n")) > MAX_DEPTH:
            raise JournalImportError(f"{self.name} is nested too deeply to be a journal export.")
        if len(self.text) - self.pos <= _SMALL_DOCUMENT_CHARS:
            return self.value()
        self.pos = len(self.text)
        return [] if rest.startswith("[") else ""

    def members(self) -> Iterator[str]:
        """The keys of an object, in order; the caller reads each value."""
        self.take("{", "Expecting '{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                self.fail("Expecting property name enclosed in double quotes")
            key = self.value()
            assert isinstance(key, str)
            self.take(":", "Expecting ':' delimiter")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("}", "Expecting ',' delimiter")
            return

    def elements(self) -> Iterator[int]:
        """The indexes of a list's items, in order; the caller reads each item."""
        self.take("[", "Expecting '['")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("]", "Expecting ',' delimiter")
            return

    def end(self) -> None:
        if self.peek():
            self.fail("Extra data")


def _value_end(text: str, start: int, limit: int) -> int | None:
    """Where the list, object or string starting at ``start`` ends, or None when it runs past ``limit``
    characters (or never ends)."""
    depth = 0
    for token in _TOKEN.finditer(text, start):
        if token.end() - start > limit:
            return None
        first = text[token.start()]
        if first in "[{":
            depth += 1
        elif first in "]}":
            depth -= 1
        if depth <= 0:
            return token.end()
    return None


class _Sink:
    """Adds validated runs to the journal inside the import's transaction, counting what it adds."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.existing = {(s, t): i for i, s, t in conn.execute("select id, session_id, started_at from runs")}
        self.counts = {"runs": 0, "checkins": 0, "followups": 0, "runs_present": 0, "checkins_present": 0}

    def add(self, run: _Run) -> None:
        conn = self.conn
        run_id = self.existing.get((run.session_id, run.started_at))
        present: set[tuple[str, str]] = set()
        sequence = 0
        if run_id is None:
            cursor = conn.execute("insert into runs (session_id, started_at, ended_at, completed) values (?, ?, ?, ?)",
                                  [run.session_id, run.started_at, run.ended_at, int(run.completed)])
            run_id = int(cursor.lastrowid or 0)
            self.existing[(run.session_id, run.started_at)] = run_id
            self.counts["runs"] += 1
        else:
            self.counts["runs_present"] += 1
            present = set(conn.execute("select snippet_id, answered_at from checkins where run_id = ?", [run_id]))
            sequence = int(conn.execute("select coalesce(max(sequence), 0) from checkins where run_id = ?",
                                        [run_id]).fetchone()[0])
        for c in run.checkins:
            if (c.snippet_id, c.answered_at) in present:
                self.counts["checkins_present"] += 1
                continue
            answers = Answers(discomfort=c.discomfort, ease=c.ease, body_areas=tuple(c.body_areas), note=c.note,
                              extra=c.answers)
            sequence += 1
            insert_checkin(conn, run_id, snippet_id=c.snippet_id, answered_at=c.answered_at, answers=answers,
                           skipped=c.skipped, sequence=sequence)
            self.counts["checkins"] += 1
        if run.followup is not None:
            f = run.followup
            cursor = conn.execute(
                "insert into followups (run_id, asked_on, answer, note, answered_at) values (?, ?, ?, ?, ?) "
                "on conflict(run_id) do nothing", [run_id, f.asked_on, f.answer, f.note, f.answered_at])
            self.counts["followups"] += cursor.rowcount

    def result(self) -> ImportResult:
        counts = self.counts
        return ImportResult(runs_added=counts["runs"], checkins_added=counts["checkins"],
                            followups_added=counts["followups"], runs_present=counts["runs_present"],
                            checkins_present=counts["checkins_present"])


class _Object(dict[str, Any]):
    """A JSON object that remembers keys given twice (json.loads would silently keep the last)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.duplicates: list[str] = []

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """A plain dict (small, fast) unless a key is given twice: then an _Object that names it."""
        plain = dict(pairs)
        if len(plain) == len(pairs):
            return plain
        made = cls(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in made.duplicates:
                    made.duplicates.append(key)
                seen.add(key)
        return made


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(object_pairs_hook=_Object.from_pairs, parse_constant=_no_constant)
# Objects a run may still hold to be parsed in one go (an ordinary run holds a few dozen); -1: no budget.
RUN_OBJECTS_IN_ONE_GO = 1_000
_BUDGET = [-1]


class _OverBudget(Exception):
    """More objects than the budget: parse this value piece by piece instead."""


def _budgeted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if _BUDGET[0] == 0:
        raise _OverBudget
    _BUDGET[0] -= 1
    return _Object.from_pairs(pairs)


_BUDGETED = json.JSONDecoder(object_pairs_hook=_budgeted_pairs, parse_constant=_no_constant)


def _show(value: object) -> str:
    """How a bad value reads in a message: short, never the whole of a huge string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) > 40:
            return f"a text of {len(value):,} characters"
        return json.dumps(value, ensure_ascii=_SURROGATE.search(value) is not None)
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

    def merge(self, other: _Validator) -> None:
        """Add ``other``'s problems after this one's (the cap still applies)."""
        for problem in other.problems:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)
            else:
                self.more += 1
        self.more += other.more

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
        if not isinstance(checkins, list):  # a list's items are read one at a time by _Importer
            self.fail(f"{path}.checkins", f"must be a list, got {_show(checkins)}")
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
                if _CANONICAL_TIME.fullmatch(value):
                    datetime.fromisoformat(value[:-1])  # a real day and time: then it is stored as it is
                    return value
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
        if _SURROGATE.search(value):
            self.fail(f"{path}.{key}", f"holds {_surrogate(value)}, which is not text (a lone UTF-16 surrogate)")
            return ""
        return value

    def areas(self, data: Mapping[str, Any], path: str) -> list[str]:
        value = data.get("body_areas", [])
        known = _known_areas()
        if not isinstance(value, list) or len(value) > len(known):
            self.fail(f"{path}.body_areas", f"must be a list of body area ids, got {_show(value)}")
            return []
        for index, area in enumerate(value):
            if not isinstance(area, str):
                self.fail(f"{path}.body_areas[{index}]", f"must be a body area id (text), got {_show(area)}")
            elif area not in known:
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
        if isinstance(value, str) and _SURROGATE.search(value):
            self.fail(path, f"holds {_surrogate(value)}, which is not text (a lone UTF-16 surrogate)")
            return False
        for index, item in enumerate(value if isinstance(value, list) else []):
            if _SURROGATE.search(item):
                self.fail(f"{path}[{index}]", f"holds {_surrogate(item)}, which is not text (a lone UTF-16 "
                                              "surrogate)")
                return False
        return True


@cache
def _known_areas() -> frozenset[str]:
    return frozenset(body_area_values())


def _surrogate(value: str) -> str:
    found = _SURROGATE.search(value)
    return f"\\u{ord(found.group()):04x}" if found else "nothing odd"


def _key(key: str) -> str:
    """An object key as it appears in a problem's path: plain keys as they are, others quoted and shortened."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key):
        return key
    return json.dumps(key if len(key) <= 40 else key[:37] + "...", ensure_ascii=True)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID_CHARS and _is_id_text(value)


@lru_cache(maxsize=4096)  # a journal holds few distinct ids, each checked thousands of times
def _is_id_text(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
