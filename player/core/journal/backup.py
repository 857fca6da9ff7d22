"""Copies of the journal with SQLite's online backup API, safe while the app is writing to it.

- :func:`backup_journal`: one copy where the user says (``journal backup DEST``, File ▸ Back up).
- :func:`auto_backup`: after a session ends, at most one a day, into ``backups/`` in the data directory,
  keeping the last AUTO_BACKUPS_KEPT (the oldest are removed); :class:`BackgroundBackup` makes it on a
  worker thread, one at a time, so the run's end never waits for the copy.
- :func:`list_backups` and :func:`restore_backup`: what each automatic backup holds (runs and check-ins,
  first and last run), and putting one back in place of the journal, the current journal kept aside first.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from player.core.defaults import AUTO_BACKUPS_KEPT, BACKUPS_DIRNAME
from player.core.errors import JournalError
from player.core.files import remove_leftover_parts, replaced_when_done
from player.core.journal.health import SQLITE_HEADER, check_unchanged_open
from player.core.journal.store import Journal, journal_error

_AUTO_NAME = re.compile(r"journal-(\d{4}-\d\d-\d\d)\.db")


@dataclass(frozen=True)
class BackupResult:
    """What was copied: the copy's path, its run and check-in counts and its integrity check (``"ok"``)."""

    path: Path
    runs: int
    checkins: int
    integrity: str


@dataclass(frozen=True)
class BackupInfo:
    """One automatic backup and what it holds. ``first_run``/``last_run`` are ISO UTC times (None: no runs)."""

    path: Path
    made_on: date
    size_bytes: int
    runs: int
    checkins: int
    first_run: str | None
    last_run: str | None
    problem: str  # "" when the backup is a healthy journal, else why it cannot be restored


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
        raise journal_error(exc, "The backup failed") from exc
    return BackupResult(path=destination, runs=result[0], checkins=result[1], integrity=result[2])


def auto_backup(journal_path: Path, *, today: date, keep: int = AUTO_BACKUPS_KEPT) -> Path | None:
    """Today's automatic backup of the journal, unless there is one already; returns its path or None.

    Written as ``backups/journal-YYYY-MM-DD.db`` beside the journal; afterwards only the ``keep`` newest
    are kept. Raises JournalError when the copy cannot be made or fails SQLite's integrity check (then nothing
    is kept of it and no older backup is removed; the journal itself is not touched).
    """
    folder = journal_path.parent / BACKUPS_DIRNAME
    target = folder / f"journal-{today.isoformat()}.db"
    if target.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
        remove_leftover_parts(folder)
    except OSError as exc:
        raise journal_error(exc, "The automatic backup failed") from exc
    made = backup_journal(journal_path, target)
    if made.integrity != "ok":  # never rotate good backups out for a damaged copy
        target.unlink(missing_ok=True)
        raise JournalError(f"the copy of {journal_path.name} failed SQLite's integrity check ({made.integrity}); "
                           "the earlier backups are kept.")
    for old in _auto_backups(folder)[keep:]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass  # an old backup that cannot be removed stays: one more kept, tried again next time
    return target


class BackgroundBackup:
    """Today's :func:`auto_backup` made on a worker thread, one at a time; the caller never waits for the copy.

    The thread is a daemon: quitting while it copies (after :meth:`wait` gave up) stops it there. A copy is
    moved into place only when complete, so the backups already made stay as they were; the
    stopped copy's hidden ``.part`` file is removed by the next backup.
    """

    def __init__(self) -> None:
        self._busy = threading.Lock()  # held from start() until the worker is done
        self._thread: threading.Thread | None = None

    def start(self, journal_path: Path, *, today: date, failed: Callable[[JournalError], None],
              keep: int = AUTO_BACKUPS_KEPT) -> bool:
        """Start making today's backup of the journal at ``journal_path`` and return at once.

        False (nothing started) while a backup is still being made: that one is the day's (or, just after
        midnight, the next run's end makes the new day's). ``failed`` is called on the worker thread with
        the JournalError when the copy cannot be made; it must not touch a GUI.
        """
        if not self._busy.acquire(blocking=False):
            return False

        def work() -> None:
            try:
                auto_backup(journal_path, today=today, keep=keep)
            except JournalError as exc:
                failed(exc)
            except (OSError, sqlite3.Error) as exc:  # a folder or file it could not even look at
                failed(journal_error(exc, "The automatic backup failed"))
            except Exception as exc:  # noqa: BLE001 - on a worker thread: told in words, never a traceback
                failed(JournalError(f"The automatic backup failed unexpectedly: {exc}"))
            finally:
                self._busy.release()

        self._thread = threading.Thread(target=work, name="auto-backup", daemon=True)
        self._thread.start()
        return True

    def wait(self, *, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` seconds for the backup being made; True when none is being made now."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self._thread is None or not self._thread.is_alive()


def list_backups(journal_path: Path) -> list[BackupInfo]:
    """The automatic backups beside the journal, newest first, each with what it holds.

    Each is read without changing a byte; one that cannot be read is listed with its ``problem``.
    """
    folder = journal_path.parent / BACKUPS_DIRNAME
    return [_info(path) for path in _auto_backups(folder)] if folder.is_dir() else []


def restore_backup(journal: Journal, backup: Path, *, now: datetime) -> Path:
    """Put the backup's content in place of the open journal's; returns where the current journal was kept.

    The backup is checked first (never changed); the current journal is then copied aside as
    ``journal.before-restore-YYYYMMDD-HHMMSS.db`` beside it, and only then replaced, through SQLite's
    backup API on the open connection (so every part of the app keeps using the same journal). A backup
    from an older version gets the newer migrations. Raises JournalError (nothing changed) when the backup
    is damaged, from a newer version or not a journal, or the current journal cannot be copied aside.
    """
    if not check_unchanged_open(backup):
        raise JournalError(f"{backup} is empty: there is nothing in it to restore.")
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept = journal.path.with_name(f"{journal.path.stem}.before-restore-{stamp}{journal.path.suffix}")
    backup_journal(journal.path, kept)
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?immutable=1", uri=True)
    try:
        source.backup(journal._db.conn)
        journal._db.conn.execute("PRAGMA journal_mode=WAL")
        with journal._write("restore the backup"):
            from player.core.journal.migrations import MIGRATIONS

            MIGRATIONS.apply(journal._db)
    except sqlite3.Error as exc:
        raise journal_error(exc, f"The backup could not be restored (your journal was kept as {kept})") from exc
    finally:
        source.close()
    return kept


def _auto_backups(folder: Path) -> list[Path]:
    """Automatic backups in ``folder``, newest first (by the day in their name)."""
    found = [p for p in folder.iterdir() if _AUTO_NAME.fullmatch(p.name) and p.is_file()] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _info(path: Path) -> BackupInfo:
    match = _AUTO_NAME.fullmatch(path.name)
    assert match is not None
    made_on = date.fromisoformat(match.group(1))
    size = path.stat().st_size
    try:
        if not check_unchanged_open(path):
            raise JournalError(f"{path.name} is empty.")
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            runs, checkins, first, last = connection.execute(
                "select (select count(*) from runs), (select count(*) from checkins), "
                "(select min(started_at) from runs), (select max(started_at) from runs)").fetchone()
        finally:
            connection.close()
    except (JournalError, sqlite3.Error) as exc:
        return BackupInfo(path=path, made_on=made_on, size_bytes=size, runs=0, checkins=0, first_run=None,
                          last_run=None, problem=str(exc))
    return BackupInfo(path=path, made_on=made_on, size_bytes=size, runs=int(runs), checkins=int(checkins),
                      first_run=first, last_run=last, problem="")


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
