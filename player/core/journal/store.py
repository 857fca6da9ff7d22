"""The practice journal: one SQLite file (WAL, synchronous=FULL); the only code that speaks SQL to it.

Tables (documented in the README): ``runs``, ``checkins``, ``answers`` (custom questions), ``followups``
and ``resume_points``. A damaged file, a file from a newer version or another program's SQLite file is
never written to: :meth:`Journal.open` checks it without changing a byte (see :mod:`.health`) and raises;
only :func:`set_aside` (called with the user's consent) moves it out of the way.

Every write goes through :meth:`Journal._write`: ``BEGIN IMMEDIATE`` (so a writer waits for another
connection's write, up to the busy timeout, instead of failing at once) and one place that turns
SQLite's errors into :class:`JournalError` subclasses with one wording per cause.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from player.core.defaults import JOURNAL_BUSY_TIMEOUT_MS
from player.core.errors import (
    JournalBusyError,
    JournalDamagedError,
    JournalError,
    JournalFullError,
    JournalReadOnlyError,
)
from player.core.journal.health import check_folder, check_unchanged_open
from player.core.journal.identity import APPLICATION_ID

if TYPE_CHECKING:  # sqlite-utils is imported when a journal is opened, not when this module is
    from sqlite_utils import Database

AnswerValue = float | str | None
# Which part of a session a run plays: the free preview or the licensed full session.
PartKind = Literal["preview", "full"]

# One wording per cause, after "Could not save the check-in: " or "The journal … could not be opened: ".
BUSY_WORDING = ("database is locked: another program (or another Movement Player) is writing to the journal. "
                "Nothing saved before is lost; try again in a moment.")
READ_ONLY_WORDING = ("the journal is read-only (check the permissions of the file and of its folder). "
                     "Nothing saved before is lost.")
FULL_WORDING = "the disk is full. Free some space and try again; nothing saved before is lost."
DAMAGED_WORDING = "the journal looks damaged. Nothing more is written to it; quit and start the app again."


def iso_utc(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and a ``Z``: ``2026-11-23T09:15:02.120Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Answers:
    """What the user gave on one check-in. ``extra`` holds custom questions by question id."""

    discomfort: int | None = None
    ease: int | None = None
    body_areas: tuple[str, ...] = ()
    note: str = ""
    extra: Mapping[str, AnswerValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Run:
    """One practice run of a session. Times are ISO-8601 UTC strings."""

    id: int
    session_id: str
    started_at: str
    ended_at: str | None
    completed: bool


@dataclass(frozen=True)
class Checkin:
    """One saved (or skipped) check-in after a snippet."""

    id: int
    run_id: int
    snippet_id: str
    answered_at: str
    skipped: bool
    answers: Answers


@dataclass(frozen=True)
class SnippetPlace:
    """A place in a run: snippet ``snippet_index`` (its ``snippet_id``) of ``part``, at ``position_ms``.

    ``snippet_index`` equal to the number of snippets means "every snippet was answered".
    """

    part: PartKind
    snippet_index: int
    snippet_id: str
    position_ms: int = 0


def journal_error(exc: sqlite3.Error | OSError, lead: str) -> JournalError:
    """SQLite's (or the OS's) error as a JournalError: ``lead`` + ``": "`` + the one wording of its cause."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    errno = getattr(exc, "errno", None)
    if primary in (5, 6) or "locked" in text or "busy" in text:
        return JournalBusyError(f"{lead}: {BUSY_WORDING}", detail=repr(exc))
    if primary == 8 or "readonly" in text or "read-only" in text or errno in (13, 30):
        return JournalReadOnlyError(f"{lead}: {READ_ONLY_WORDING}", detail=repr(exc))
    if primary == 13 or "is full" in text or errno == 28:
        return JournalFullError(f"{lead}: {FULL_WORDING}", detail=repr(exc))
    if primary in (11, 26) or "malformed" in text or "not a database" in text:
        return JournalDamagedError(f"{lead}: {DAMAGED_WORDING}", detail=repr(exc))
    return JournalError(f"{lead}: {str(exc).rstrip('.')}.", detail=repr(exc))


class Journal:
    """An open journal file. Use :meth:`open`; close with :meth:`close` or as a context manager."""

    def __init__(self, db: Database, path: Path) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Journal:
        """Open (creating if needed) the journal at ``path`` and apply pending migrations.

        Before anything is written the file is checked without changing a byte (``-wal`` and ``-shm``
        included). Raises JournalDamagedError (not a healthy SQLite database, or an empty file beside a
        WAL that holds data: JournalOrphanWalError), JournalTooNewError (a newer Movement Player wrote it),
        JournalForeignError (another program's SQLite file), JournalReadOnlyError, JournalBusyError,
        JournalFullError or JournalError (the data directory is a file).
        """
        check_folder(path.parent)
        existed = check_unchanged_open(path)
        if existed and not _writable(path):
            raise JournalReadOnlyError(f"The journal {path} could not be opened: {READ_ONLY_WORDING}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise journal_error(exc, f"The journal {path} could not be created") from exc
        if not _writable(path.parent):
            raise JournalReadOnlyError(f"The journal {path} could not be opened: {READ_ONLY_WORDING}")
        try:
            connection = sqlite3.connect(str(path), timeout=JOURNAL_BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise journal_error(exc, f"The journal {path} could not be opened") from exc
        # No sqlite-utils plugins: nothing installed beside the app touches the journal's connection (and
        # looking them up costs ~20 ms of every start).
        from sqlite_utils import Database

        from player.core.journal.migrations import MIGRATIONS

        journal = cls(Database(connection, execute_plugins=False), path)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            with journal._write("", lead=f"The journal {path} could not be opened"):
                MIGRATIONS.apply(journal._db)
                if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except BaseException as exc:
            connection.close()  # an open handle would keep the file from being set aside (Windows)
            if isinstance(exc, sqlite3.Error):
                raise journal_error(exc, f"The journal {path} could not be opened") from exc
            raise
        return journal

    def close(self) -> None:
        """Close the database connection (every write is already durable)."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_run(self, session_id: str, *, now: datetime) -> Run:
        """Record the start of a practice run of ``session_id``. Raises JournalError."""
        with self._write("record the start of this practice") as conn:
            cursor = conn.execute("insert into runs (session_id, started_at, ended_at, completed) "
                                  "values (?, ?, null, 0)", [session_id, iso_utc(now)])
            run_id = int(cursor.lastrowid or 0)
        return self.run(run_id)

    def end_run(self, run_id: int, *, now: datetime, completed: bool) -> Run:
        """Record that run ``run_id`` ended (``completed`` when every snippet was reached); its resume point goes.

        Raises JournalError.
        """
        with self._write("record the end of this practice") as conn:
            conn.execute("update runs set ended_at = ?, completed = ? where id = ?",
                         [iso_utc(now), int(completed), run_id])
            conn.execute("delete from resume_points where run_id = ?", [run_id])
        return self.run(run_id)

    def save_checkin(self, run_id: int, snippet_id: str, answers: Answers, *, now: datetime, skipped: bool = False,
                     resume_at: SnippetPlace | None = None) -> Checkin:
        """Save one check-in and its custom answers in one transaction; durable when this returns.

        ``resume_at`` (usually the next snippet at 0:00) replaces the run's resume point in the same
        transaction, so a crash right after Save never replays the answered snippet. Raises JournalError.
        """
        action = "skip the check-in" if skipped else "save the check-in"
        with self._write(action) as conn:
            checkin_id = insert_checkin(conn, run_id, snippet_id=snippet_id, answered_at=iso_utc(now),
                                        answers=answers, skipped=skipped)
            if resume_at is not None:
                put_resume_point(conn, run_id, resume_at, now=now)
        return self.checkin(checkin_id)

    def run(self, run_id: int) -> Run:
        """The run with this id; raises JournalError when there is none."""
        rows = list(self._db.query("select * from runs where id = ?", [run_id]))
        if not rows:
            raise JournalError(f"There is no run {run_id} in the journal.")
        return run_from_row(rows[0])

    def runs(self, *, session_id: str | None = None) -> list[Run]:
        """Every run, newest first, optionally only those of ``session_id``."""
        where, params = ("where session_id = ?", [session_id]) if session_id else ("", [])
        rows = self._db.query(f"select * from runs {where} order by started_at desc, id desc", params)
        return [run_from_row(r) for r in rows]

    def checkin(self, checkin_id: int) -> Checkin:
        """The check-in with this id; raises JournalError when there is none."""
        found = self._checkins("where id = ?", [checkin_id])
        if not found:
            raise JournalError(f"There is no check-in {checkin_id} in the journal.")
        return found[0]

    def checkins(self, run_id: int) -> list[Checkin]:
        """The check-ins of run ``run_id`` in the order they were saved (their sequence, not the clock)."""
        return self._checkins("where run_id = ?", [run_id])

    def counts(self) -> tuple[int, int]:
        """How many runs and check-ins the journal holds."""
        row = self._db.execute("select (select count(*) from runs), (select count(*) from checkins)").fetchone()
        return int(row[0]), int(row[1])

    def durability(self) -> tuple[str, int]:
        """``PRAGMA journal_mode`` and ``PRAGMA synchronous`` as opened: ``("wal", 2)`` (2 is FULL)."""
        mode = self._db.execute("PRAGMA journal_mode").fetchone()[0]
        return str(mode), int(self._db.execute("PRAGMA synchronous").fetchone()[0])

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` result: ``"ok"`` for a healthy file."""
        return "; ".join(str(row[0]) for row in self._db.execute("PRAGMA integrity_check").fetchall())

    def writing(self, action: str = "write to the journal") -> _WriteGuard:
        """One transaction for a multi-step write made elsewhere in core/journal (edits, imports, follow-ups).

        Yields the connection; everything inside commits together or not at all. A database failure
        raises JournalError whose message starts "Could not {action}: ".
        """
        return self._write(action)

    def _checkins(self, where: str, params: list[Any]) -> list[Checkin]:
        rows = list(self._db.query(f"select * from checkins {where} order by run_id, sequence, id", params))
        extras: dict[int, dict[str, AnswerValue]] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            for answer in self._db.query(
                f"select checkin_id, question_id, value from answers where checkin_id in ({marks}) order by id",
                [r["id"] for r in rows],
            ):
                extras.setdefault(answer["checkin_id"], {})[answer["question_id"]] = json.loads(answer["value"])
        return [_checkin(r, extras.get(r["id"], {})) for r in rows]

    def _write(self, action: str, *, lead: str = "", busy_timeout_ms: int | None = None) -> _WriteGuard:
        return _WriteGuard(self._db.conn, lead or f"Could not {action}", busy_timeout_ms)


class _WriteGuard:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; SQLite's errors become JournalError. Nested use joins the outer write."""

    def __init__(self, conn: sqlite3.Connection, lead: str, busy_timeout_ms: int | None) -> None:
        self.conn = conn
        self.lead = lead
        self.busy_timeout_ms = busy_timeout_ms
        self._outer = False

    def __enter__(self) -> sqlite3.Connection:
        if self.conn.in_transaction:
            return self.conn  # inside a write already: it commits or rolls back as a whole
        self._outer = True
        try:
            if self.busy_timeout_ms is not None:
                self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            finally:
                if self.busy_timeout_ms is not None:
                    self.conn.execute(f"PRAGMA busy_timeout = {JOURNAL_BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            raise journal_error(exc, self.lead) from exc
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if not self._outer:
            return
        try:
            if kind is None:
                self.conn.commit()
                return
            if self.conn.in_transaction:
                self.conn.rollback()
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                try:
                    self.conn.rollback()
                except sqlite3.Error:
                    pass
            raise journal_error(error, self.lead) from error
        if isinstance(exc, sqlite3.Error):
            raise journal_error(exc, self.lead) from exc


def insert_checkin(conn: sqlite3.Connection, run_id: int, *, snippet_id: str, answered_at: str, answers: Answers,
                   skipped: bool, sequence: int | None = None) -> int:
    """The one writer of a check-in row (and its custom answers), inside a write; returns its id.

    Its ``sequence`` (when not given: one more than the run's last) orders it within its run, so the order
    never depends on the clock.
    """
    body_areas = _areas_json(tuple(answers.body_areas))
    if sequence is None:
        cursor = conn.execute(
            "insert into checkins (run_id, snippet_id, answered_at, discomfort, ease, body_areas, note, skipped, "
            "sequence) values (?, ?, ?, ?, ?, ?, ?, ?, "
            "(select coalesce(max(sequence), 0) + 1 from checkins where run_id = ?))",
            [run_id, snippet_id, answered_at, answers.discomfort, answers.ease, body_areas, answers.note,
             int(skipped), run_id])
    else:
        cursor = conn.execute(
            "insert into checkins (run_id, snippet_id, answered_at, discomfort, ease, body_areas, note, skipped, "
            "sequence) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, snippet_id, answered_at, answers.discomfort, answers.ease, body_areas, answers.note,
             int(skipped), sequence])
    checkin_id = int(cursor.lastrowid or 0)
    write_answers(conn, checkin_id, answers)
    return checkin_id


@contextmanager
def note_index_deferred(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside a write: check-ins inserted in the block are added to the note search index in one step at
    its end (its per-row trigger is set aside meanwhile, in the same transaction), ~3x faster for imports."""
    row = conn.execute("select sql from sqlite_master where type = 'trigger' and name = 'checkins_ai'").fetchone()
    if row is None:
        yield
        return
    first = int(conn.execute("select coalesce(max(id), 0) from checkins").fetchone()[0])
    conn.execute("drop trigger checkins_ai")
    yield
    conn.execute("insert into checkins_fts (rowid, note) select id, note from checkins where id > ?", [first])
    conn.execute(row[0])


@lru_cache(maxsize=1024)  # a journal holds few distinct lists of areas: encode each once
def _areas_json(areas: tuple[str, ...]) -> str:
    return json.dumps(list(areas))


def write_answers(conn: sqlite3.Connection, checkin_id: int, answers: Answers) -> None:
    """Store the custom answers of check-in ``checkin_id`` (inside a write)."""
    if answers.extra:
        conn.executemany("insert into answers (checkin_id, question_id, value) values (?, ?, ?)",
                         [(checkin_id, qid, json.dumps(value)) for qid, value in answers.extra.items()])


def put_resume_point(conn: sqlite3.Connection, run_id: int, place: SnippetPlace, *, now: datetime) -> None:
    """Replace the resume point of run ``run_id`` with ``place`` (inside a write)."""
    conn.execute(
        "insert into resume_points (run_id, part, snippet_index, snippet_id, position_ms, saved_at) "
        "values (?, ?, ?, ?, ?, ?) on conflict(run_id) do update set part = excluded.part, "
        "snippet_index = excluded.snippet_index, snippet_id = excluded.snippet_id, "
        "position_ms = excluded.position_ms, saved_at = excluded.saved_at",
        [run_id, place.part, place.snippet_index, place.snippet_id, max(0, place.position_ms), iso_utc(now)])


def set_aside(path: Path, *, now: datetime) -> Path:
    """Rename a refused journal and its ``-wal``/``-shm`` together so a fresh one can start; returns the new name.

    The bytes are never changed: a rename only. Raises JournalError when the files cannot be renamed.
    """
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.set-aside-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}.set-aside-{stamp}-{counter}{path.suffix}")
    try:
        if path.exists():
            path.rename(target)
        else:
            target.touch()  # only a -wal was left: keep the set together under one name
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        raise JournalError(f"The journal {path} could not be set aside: {exc.strerror or exc}.") from exc
    return target


def run_from_row(row: Mapping[str, Any]) -> Run:
    """A ``runs`` table row (by column name) as a Run: the one place a row becomes a Run."""
    return Run(id=row["id"], session_id=row["session_id"], started_at=row["started_at"],
               ended_at=row["ended_at"], completed=bool(row["completed"]))


def _checkin(row: Mapping[str, Any], extra: Mapping[str, AnswerValue]) -> Checkin:
    answers = Answers(discomfort=row["discomfort"], ease=row["ease"],
                      body_areas=tuple(json.loads(row["body_areas"] or "[]")), note=row["note"] or "", extra=extra)
    return Checkin(id=row["id"], run_id=row["run_id"], snippet_id=row["snippet_id"],
                   answered_at=row["answered_at"], skipped=bool(row["skipped"]), answers=answers)


def _writable(path: Path) -> bool:
    """True when the user may write ``path``: its write bit is set (honoured even for root) and access allows it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o200) and os.access(path, os.W_OK)
