"""A consistent copy of the journal with SQLite's online backup API, safe while the app is writing to it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from player.core.errors import JournalError
from player.core.files import replaced_when_done
from player.core.journal.store import SQLITE_HEADER


@dataclass(frozen=True)
class BackupResult:
    """What was copied: the copy's path, its run and check-in counts and its integrity check (``"ok"``)."""

    path: Path
    runs: int
    checkins: int
    integrity: str


def backup_journal(source: Path, destination: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the journal at ``source`` to ``destination`` as one self-contained SQLite file.

    The copy is the last committed state (a write in progress elsewhere is not in it), made through a
    read-only connection, written beside ``destination`` first and moved into place when complete.
    Raises JournalError when there is no journal, ``destination`` exists (unless ``overwrite``) or is a
    folder, or a file cannot be read or written.
    """
    if not source.is_file():
        raise JournalError(f"There is no journal at {source} yet.")
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise JournalError(f"{source} is not an SQLite database; copy the file itself instead.")
    if destination.resolve() == source.resolve():
        raise JournalError(f"{destination} is the journal itself; choose another place for the copy.")
    if destination.is_dir():
        raise JournalError(f"{destination} is a folder; name the copy, e.g. {destination / 'journal.db'}.")
    if destination.exists() and not overwrite:
        raise JournalError(f"{destination} already exists; choose another name or add --force to replace it.")
    if not destination.parent.is_dir():
        raise JournalError(f"The folder {destination.parent} does not exist.")
    try:
        with replaced_when_done(destination) as temp:
            result = _copy(source, temp)
    except (sqlite3.Error, OSError) as exc:
        raise JournalError(f"The backup failed: {exc}.", detail=repr(exc)) from exc
    return BackupResult(path=destination, runs=result[0], checkins=result[1], integrity=result[2])


def _copy(source: Path, target: Path) -> tuple[int, int, str]:
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)  # all pages in one step: one consistent snapshot
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        integrity = "; ".join(str(row[0]) for row in writer.execute("PRAGMA integrity_check"))
        runs = _count(writer, "runs")
        checkins = _count(writer, "checkins")
    finally:
        reader.close()
        writer.close()
    return runs, checkins, integrity


def _count(db: sqlite3.Connection, table: str) -> int:
    try:
        return int(db.execute(f"select count(*) from {table}").fetchone()[0])
    except sqlite3.DatabaseError:
        return 0
