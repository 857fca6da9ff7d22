"""Importing a JSON export: read it one run at a time, validate each, add what is new in one transaction.

Every problem is reported with its JSON path (``runs[3].checkins[0].discomfort: must be 0-10, got 12``)
and nothing is written unless there are none (the transaction is rolled back). The text is read by
:mod:`~player.core.journal.import_json` and each value checked by :mod:`~player.core.journal.import_checks`;
this module adds what is valid. Runs and check-ins already in the journal (same natural
keys: session and start time; snippet and answer time) are left as they are, so importing twice adds
nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.core.defaults import MAX_IMPORT_BYTES
from player.core.errors import JournalImportError
from player.core.journal.exports import FORMAT_NAME, FORMAT_VERSION
from player.core.journal.import_checks import MAX_PROBLEMS, ImportedCheckin, ImportedRun, Validator, show_value
from player.core.journal.import_json import JsonObject, Scanner
from player.core.journal.store import Answers, Journal, insert_checkin, note_index_deferred

__all__ = ["MAX_IMPORT_BYTES", "ImportResult", "JournalImportError", "import_document", "import_file",
           "validate_document"]
# SQLite's page cache while importing, in KiB as PRAGMA cache_size takes it (negative): building the
# full-text index of 50,000 notes is ~40 % faster with it than with the default 2 MB.
IMPORT_CACHE_KIB = -32 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What an import added, and what it found already in the journal."""

    runs_added: int
    checkins_added: int
    followups_added: int
    runs_present: int
    checkins_present: int


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
        self.scan = Scanner(text, name)
        self.name = name
        self.sink = sink
        self.top = Validator()
        self.body = Validator()
        self.repeats = Validator()

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
        fields = JsonObject()
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
            self.top.fail("format", f'must be "{FORMAT_NAME}", got {show_value(top["format"])}')
        if "version" in top and (type(top["version"]) is not int or top["version"] != FORMAT_VERSION):
            self.top.fail("version", f"must be {FORMAT_VERSION} (this app reads version {FORMAT_VERSION}), "
                                     f"got {show_value(top['version'])}")
        if "runs" in top and not isinstance(top["runs"], list):
            self.top.fail("runs", f"must be a list, got {show_value(top['runs'])}")

    def one_run(self, index: int, seen_runs: dict[tuple[str, str], int]) -> None:
        path = f"runs[{index}]"
        if self.scan.peek() != "{":
            self.body.run(self.scan.value(), path)
            return
        whole = self.scan.small_object()
        if whole is not None:  # an ordinary run: parsed in one go, its check-ins checked from the parsed list
            checker = Validator()
            checkins = self.checkins_of(whole.get("checkins"), path, checker)
            if isinstance(whole.get("checkins"), list):
                whole["checkins"] = []
            self.finish_run(index, path, whole, checker, checkins, seen_runs)
            return
        fields = JsonObject()
        checker = Validator()
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

    def checkins_of(self, items: object, path: str, checker: Validator) -> list[ImportedCheckin]:
        """The valid check-ins among ``items`` (a list, or check-ins read one at a time), problems to ``checker``."""
        if not isinstance(items, Iterable) or isinstance(items, str | dict):
            return []
        checkins: list[ImportedCheckin] = []
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

    def finish_run(self, index: int, path: str, fields: Mapping[str, Any], checker: Validator,
                   checkins: list[ImportedCheckin], seen_runs: dict[tuple[str, str], int]) -> None:
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


class _Sink:
    """Adds validated runs to the journal inside the import's transaction, counting what it adds."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.existing = {(s, t): i for i, s, t in conn.execute("select id, session_id, started_at from runs")}
        self.counts = {"runs": 0, "checkins": 0, "followups": 0, "runs_present": 0, "checkins_present": 0}

    def add(self, run: ImportedRun) -> None:
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


