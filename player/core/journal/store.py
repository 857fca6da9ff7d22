"""The practice journal: one SQLite file (WAL, synchronous=FULL) through sqlite-utils.

Tables (documented in the README): ``runs``, ``checkins`` and ``answers`` (custom questions).
A damaged file or one from a newer version is never written to: opening it raises, and only
:func:`set_aside` (called with the user's consent) moves it out of the way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from player.core.errors import JournalDamagedError, JournalError, JournalTooNewError
from player.core.journal.migrations import MIGRATIONS, known_names

SQLITE_HEADER = b"SQLite format 3\x00"
AnswerValue = float | str | None


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


class Journal:
    """An open journal file. Use :meth:`open`; close with :meth:`close` or as a context manager."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Journal:
        """Open (creating if needed) the journal at ``path`` and apply pending migrations.

        Raises JournalDamagedError when the file is not a healthy SQLite database and
        JournalTooNewError when a newer Movement Player wrote it. Neither case writes to the file.
        """
        existed = path.exists() and path.stat().st_size > 0
        if existed:
            _check_header(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(path), timeout=5)
        try:
            db = Database(connection)
            if existed:
                _check_health(db, path)
            db.enable_wal()
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            MIGRATIONS.apply(db)
        except BaseException as exc:
            connection.close()  # an open handle would keep the file from being set aside (Windows)
            if isinstance(exc, sqlite3.OperationalError):
                # Locked, read-only, disk full or an I/O error: the file may be fine, so no "damaged".
                raise JournalError(f"The journal {path} could not be opened: {exc}.", detail=repr(exc)) from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise JournalDamagedError(
                    f"The journal {path} could not be opened: it looks damaged.", detail=str(exc)
                ) from exc
            raise
        return cls(db, path)

    def close(self) -> None:
        """Close the database connection (every write is already durable)."""
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_run(self, session_id: str, *, now: datetime) -> Run:
        """Record the start of a practice run of ``session_id``."""
        with self._write():
            table = self.db.table("runs")
            table.insert({"session_id": session_id, "started_at": iso_utc(now), "ended_at": None, "completed": 0})
            run_id = int(table.last_pk or 0)
        return self.run(run_id)

    def end_run(self, run_id: int, *, now: datetime, completed: bool) -> Run:
        """Record that run ``run_id`` ended (``completed`` when every snippet was reached)."""
        with self._write():
            self.db.table("runs").update(run_id, {"ended_at": iso_utc(now), "completed": int(completed)})
        return self.run(run_id)

    def save_checkin(
        self, run_id: int, snippet_id: str, answers: Answers, *, now: datetime, skipped: bool = False
    ) -> Checkin:
        """Save one check-in and its custom answers in one transaction; durable when this returns."""
        with self._write():
            table = self.db.table("checkins")
            table.insert({
                "run_id": run_id, "snippet_id": snippet_id, "answered_at": iso_utc(now),
                "discomfort": answers.discomfort, "ease": answers.ease,
                "body_areas": json.dumps(list(answers.body_areas)), "note": answers.note,
                "skipped": int(skipped),
            })
            checkin_id = int(table.last_pk or 0)
            self.db.table("answers").insert_all(
                {"checkin_id": checkin_id, "question_id": qid, "value": json.dumps(value)}
                for qid, value in answers.extra.items()
            )
        return self.checkin(checkin_id)

    def run(self, run_id: int) -> Run:
        """The run with this id; raises JournalError when there is none."""
        rows = list(self.db.query("select * from runs where id = ?", [run_id]))
        if not rows:
            raise JournalError(f"There is no run {run_id} in the journal.")
        return run_from_row(rows[0])

    def runs(self, *, session_id: str | None = None) -> list[Run]:
        """Every run, newest first, optionally only those of ``session_id``."""
        where, params = ("where session_id = ?", [session_id]) if session_id else ("", [])
        rows = self.db.query(f"select * from runs {where} order by started_at desc, id desc", params)
        return [run_from_row(r) for r in rows]

    def checkin(self, checkin_id: int) -> Checkin:
        """The check-in with this id; raises JournalError when there is none."""
        found = self._checkins("where id = ?", [checkin_id])
        if not found:
            raise JournalError(f"There is no check-in {checkin_id} in the journal.")
        return found[0]

    def checkins(self, run_id: int) -> list[Checkin]:
        """The check-ins of run ``run_id`` in the order they were answered."""
        return self._checkins("where run_id = ?", [run_id])

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` result: ``"ok"`` for a healthy file."""
        return "; ".join(str(row[0]) for row in self.db.execute("PRAGMA integrity_check").fetchall())

    def writing(self) -> AbstractContextManager[None]:
        """One transaction for a multi-step write made elsewhere in core (edits, imports).

        Everything inside commits together or not at all; a database failure raises JournalError.
        """
        return self._write()

    def _checkins(self, where: str, params: list[Any]) -> list[Checkin]:
        rows = list(self.db.query(f"select * from checkins {where} order by answered_at, id", params))
        extras: dict[int, dict[str, AnswerValue]] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            for answer in self.db.query(
                f"select checkin_id, question_id, value from answers where checkin_id in ({marks}) order by id",
                [r["id"] for r in rows],
            ):
                extras.setdefault(answer["checkin_id"], {})[answer["question_id"]] = json.loads(answer["value"])
        return [_checkin(r, extras.get(r["id"], {})) for r in rows]

    @contextmanager
    def _write(self) -> Iterator[None]:
        try:
            with self.db.atomic():
                yield
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"Could not write to the journal {self.path}: {exc}", detail=repr(exc)) from exc


def set_aside(path: Path, *, now: datetime) -> Path:
    """Rename a damaged or too-new journal (and its WAL files) so a fresh one can start; returns the new name."""
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.set-aside-{stamp}{path.suffix}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise JournalDamagedError(f"The journal {path} cannot be read: {exc.strerror}.") from exc
    if header != SQLITE_HEADER:
        raise JournalDamagedError(f"The journal {path} is not an SQLite database (it looks damaged).")


def _check_health(db: Database, path: Path) -> None:
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise JournalDamagedError(f"The journal {path} failed its integrity check.", detail=str(result))
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known_names()]
    if unknown:
        raise JournalTooNewError(
            f"The journal {path} was written by a newer Movement Player; update the app to open it.",
            detail="unknown migrations: " + ", ".join(unknown),
        )


def run_from_row(row: Mapping[str, Any]) -> Run:
    """A ``runs`` table row (by column name) as a Run."""
    return Run(id=row["id"], session_id=row["session_id"], started_at=row["started_at"],
               ended_at=row["ended_at"], completed=bool(row["completed"]))


def _checkin(row: Mapping[str, Any], extra: Mapping[str, AnswerValue]) -> Checkin:
    answers = Answers(discomfort=row["discomfort"], ease=row["ease"],
                      body_areas=tuple(json.loads(row["body_areas"] or "[]")), note=row["note"] or "", extra=extra)
    return Checkin(id=row["id"], run_id=row["run_id"], snippet_id=row["snippet_id"],
                   answered_at=row["answered_at"], skipped=bool(row["skipped"]), answers=answers)
