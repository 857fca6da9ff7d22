"""Journal files as a crash or a failing disk leaves them, written through the real Journal API."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from player.core.journal.store import Answers, Journal, Run

PAGE_SIZE = 4096  # SQLite's default page size, the journal's
# A migration this version does not know: the journal then looks written by a newer Movement Player.
FROM_THE_FUTURE = ("insert into _sqlite_migrations (migration_set, name, applied_at) "
                   "values ('movement-player-journal', 'm099_from_the_future', '2030-01-01')")


def mark_newer(path: Path) -> None:
    """Make the closed journal at ``path`` look written by a newer Movement Player."""
    with sqlite3.connect(path) as conn:
        conn.execute(FROM_THE_FUTURE)


def killed_journal_files(live: Path, *, checkins: int, now: datetime, snippet: str = "snippet",
                         note: str = "n" * 30, rated: bool = False, newer: bool = False) -> dict[str, bytes]:
    """Write a journal at ``live`` whose commits all stay in its -wal, as an app killed mid-run leaves it: one
    run with ``checkins`` check-ins (``{snippet}-{i}``; with ``rated`` check-in i has discomfort i % 11), and
    with ``newer`` a migration from a newer version.

    Returns the bytes of the three files, by suffix (``""``, ``"-wal"``, ``"-shm"``), read before it closes.
    """
    journal = Journal.open(live)
    journal._db.execute("PRAGMA wal_autocheckpoint=0")
    run = journal.start_run("s", now=now)
    for i in range(checkins):
        journal.save_checkin(run.id, f"{snippet}-{i}", Answers(discomfort=i % 11 if rated else None, note=note),
                             now=now)
    if newer:
        with journal.writing():
            journal._db.execute(FROM_THE_FUTURE)
    files = {suffix: Path(f"{live}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}
    journal.close()
    return files


def write_files(files: dict[str, bytes], path: Path) -> Path:
    """Write ``killed_journal_files``' files as ``path`` and its -wal and -shm; returns ``path``."""
    for suffix, data in files.items():
        Path(f"{path}{suffix}").write_bytes(data)
    return path


def fill_pages(journal: Journal, *, now: datetime) -> Run:
    """A run of 300 check-ins with 200-character notes, checkpointed into the main file (pages past the 3rd
    hold them); returns the run."""
    run = journal.start_run("s", now=now)
    for i in range(300):
        journal.save_checkin(run.id, "a", Answers(note="x" * 200), now=now + timedelta(seconds=i))
    journal._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return run


def damage_a_page(raw: bytearray) -> None:
    """Zero 3000 bytes of the journal's 4th page (one of ``fill_pages``' check-ins), as a failing disk might."""
    raw[PAGE_SIZE * 3: PAGE_SIZE * 3 + 3000] = bytes(3000)
