"""Checking a journal file without changing a byte of it, and rescuing what a lone WAL holds.

"Never overwritten" holds literally: the check reads the file through an immutable connection (no
locks, no ``-shm``, nothing written) or, when a ``-wal`` holds data, through an ordinary connection to
a private copy of ``journal.db`` and its ``-wal``. A file that is refused is therefore byte-identical
afterwards, ``-wal`` and ``-shm`` included.

What the check covers: the 16-byte SQLite header; ``PRAGMA integrity_check`` on journals up to
FULL_CHECK_MAX_BYTES (every page, every index entry against its table) and ``PRAGMA quick_check``
above that (every page and record, but not whether each index matches its table); the
``application_id`` (a Movement Player journal, not another program's SQLite file); and the applied
migrations (not written by a newer Movement Player).
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from player.core.defaults import FULL_CHECK_MAX_BYTES
from player.core.errors import (
    JournalDamagedError,
    JournalError,
    JournalForeignError,
    JournalOrphanWalError,
    JournalTooNewError,
)
from player.core.journal.identity import APPLICATION_ID, MIGRATION_SET

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
_COPY_ATTEMPTS = 3


@dataclass(frozen=True)
class JournalHealth:
    """What a read-only look at a journal found: the check's result and what the file holds."""

    check: str  # "ok", or what integrity_check/quick_check reported
    runs: int
    checkins: int
    full_check: bool  # integrity_check (True) or quick_check (False)


def side_file(path: Path, suffix: str) -> Path:
    """``journal.db-wal`` or ``journal.db-shm`` beside ``path``."""
    return path.with_name(path.name + suffix)


def check_folder(folder: Path) -> None:
    """Raise JournalError when the data directory (or a folder above it) is a file, not a folder."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise JournalError(f"The data directory {folder} cannot be used: {candidate} is a file, not a "
                                   "folder. Move that file away, or choose another folder with --data-dir.")
            return


def check_unchanged_open(path: Path) -> bool:
    """Check the journal at ``path`` without changing a byte; True when it exists and holds a database.

    False when there is none yet (or an empty file with no WAL beside it). Raises JournalOrphanWalError
    (an empty file beside a WAL that holds data), JournalDamagedError, JournalTooNewError or
    JournalForeignError; never writes, locks or creates a file beside ``path``.
    """
    wal = side_file(path, "-wal")
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        if wal.exists() and wal.stat().st_size > 0:
            raise JournalOrphanWalError(
                f"The journal {path} is empty, but {wal.name} beside it holds "
                f"{wal.stat().st_size:,} bytes of saved changes that SQLite would throw away.",
                detail="a 0-byte journal.db beside a non-empty -wal")
        return False
    _check_header(path)
    _check(path, full=None)
    return True


def inspect_journal(path: Path) -> JournalHealth:
    """A read-only look at the journal for ``doctor``: its full integrity check and counts, nothing written.

    Raises what :func:`check_unchanged_open` raises (JournalDamagedError when the check fails).
    """
    if not check_unchanged_open(path):
        return JournalHealth(check="ok", runs=0, checkins=0, full_check=True)
    return _check(path, full=True)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise JournalDamagedError(f"The journal {path} cannot be read: {exc.strerror}.") from exc
    if header != SQLITE_HEADER:
        raise JournalDamagedError(f"The journal {path} is not an SQLite database (it looks damaged).")


def _check(path: Path, *, full: bool | None) -> JournalHealth:
    """Run the checks on an unchanging view of ``path``; retried when a writer changed it during the copy."""
    for attempt in range(_COPY_ATTEMPTS):
        before = _stamp(path)
        try:
            with unchanging_view(path) as connection:
                return _checks(connection, path, full=full)
        except JournalError:
            if _stamp(path) == before or attempt == _COPY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _stamp(path: Path) -> tuple[tuple[int, int], ...]:
    stamps = []
    for candidate in (path, side_file(path, "-wal")):
        try:
            stat = candidate.stat()
            stamps.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((-1, -1))
    return tuple(stamps)


@contextmanager
def unchanging_view(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change ``path``: immutable on the file, or ordinary on a private copy."""
    wal = side_file(path, "-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            yield connection
        finally:
            connection.close()
        return
    with tempfile.TemporaryDirectory(prefix="movement-player-check-") as folder:
        copy = Path(folder) / "journal.db"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, side_file(copy, "-wal"))
        except OSError as exc:
            raise JournalError(f"The journal {path} could not be checked: {exc.strerror or exc}.") from exc
        connection = sqlite3.connect(copy)
        try:
            yield connection
        finally:
            connection.close()


def _checks(connection: sqlite3.Connection, path: Path, *, full: bool | None) -> JournalHealth:
    try:
        size = path.stat().st_size
        use_full = full if full is not None else size <= FULL_CHECK_MAX_BYTES
        pragma = "integrity_check" if use_full else "quick_check"
        result = "; ".join(str(row[0]) for row in connection.execute(f"PRAGMA {pragma}").fetchmany(20))
        if result != "ok":
            raise JournalDamagedError(f"The journal {path} failed its integrity check.", detail=result)
        _check_owner(connection, path)
        _check_version(connection, path)
        runs, checkins = connection.execute(
            "select (select count(*) from runs), (select count(*) from checkins)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise JournalDamagedError(f"The journal {path} could not be opened: it looks damaged.",
                                  detail=str(exc)) from exc
    return JournalHealth(check=result, runs=int(runs), checkins=int(checkins), full_check=use_full)


def _check_owner(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's SQLite file: a foreign application_id, or tables and no journal migrations."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return
    if application_id == 0:
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
        if not tables:
            return  # an empty database: nothing to lose, it becomes a journal
        if "_sqlite_migrations" in tables and connection.execute(
                "select 1 from _sqlite_migrations where migration_set = ? limit 1", [MIGRATION_SET]).fetchone():
            return  # a journal made before application_id was set
    raise JournalForeignError(
        f"{path} is another program's SQLite database, not a Movement Player journal.",
        detail=f"application_id {application_id:#x}")


def _check_version(connection: sqlite3.Connection, path: Path) -> None:
    from player.core.journal.migrations import known_names  # imports sqlite-utils: only when checking

    rows = connection.execute("select name from _sqlite_migrations where migration_set = ?",
                              [MIGRATION_SET]).fetchall() if _has_table(connection, "_sqlite_migrations") else []
    unknown = [name for (name,) in rows if name not in known_names()]
    if unknown:
        raise JournalTooNewError(
            f"The journal {path} was written by a newer Movement Player; update the app to open it.",
            detail="unknown migrations: " + ", ".join(unknown),
        )


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("select 1 from sqlite_master where type = 'table' and name = ?",
                              [name]).fetchone() is not None


def recover_from_wal(wal: Path, target: Path) -> JournalHealth | None:
    """Rebuild a database from a WAL whose database file was lost (0 bytes) into ``target``.

    Takes the last committed version of each page from the frames whose salts and checksums are valid,
    up to the last commit. Returns what the rebuilt file holds, or None (``target`` not written) when the
    WAL does not hold a whole, healthy database. Never changes ``wal``.
    """
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    pages = _committed_pages(data)
    if pages is None:
        return None
    page_size, database_pages, content = pages
    if 1 not in content or any(number not in content for number in range(1, database_pages + 1)):
        return None  # some pages were only ever in the lost file: nothing whole to rebuild
    temp = target.with_name(f".{target.name}.recovering")
    try:
        with temp.open("wb") as handle:
            for number in range(1, database_pages + 1):
                handle.write(content[number])
        _force_rollback_journal_mode(temp)
        health = _check(temp, full=True)
        temp.replace(target)
    except (OSError, JournalError, sqlite3.Error):
        temp.unlink(missing_ok=True)
        return None
    return health


def _force_rollback_journal_mode(path: Path) -> None:
    """Mark the rebuilt file as a plain (non-WAL) database so it opens without its WAL."""
    with path.open("r+b") as handle:
        handle.seek(18)
        handle.write(b"\x01\x01")


def _committed_pages(data: bytes) -> tuple[int, int, dict[int, bytes]] | None:
    """(page size, database size in pages, last committed content of each page) from WAL bytes, or None."""
    if len(data) < 32:
        return None
    magic, _version, page_size, _sequence, salt1, salt2, check1, check2 = struct.unpack(">8I", data[:32])
    if magic not in WAL_MAGICS or page_size < 512 or page_size & (page_size - 1):
        return None
    big_endian = magic & 1 == 1
    s1, s2 = _checksum(data[:24], 0, 0, big_endian=big_endian)
    if (s1, s2) != (check1, check2):
        return None
    frame_size = 24 + page_size
    committed: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    database_pages = 0
    offset = 32
    while offset + frame_size <= len(data):
        number, size_after, frame_salt1, frame_salt2, f1, f2 = struct.unpack(">6I", data[offset:offset + 24])
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            break
        s1, s2 = _checksum(data[offset:offset + 8], s1, s2, big_endian=big_endian)
        s1, s2 = _checksum(data[offset + 24:offset + frame_size], s1, s2, big_endian=big_endian)
        if (s1, s2) != (f1, f2):
            break
        pending[number] = data[offset + 24:offset + frame_size]
        if size_after:
            committed.update(pending)
            pending = {}
            database_pages = size_after
        offset += frame_size
    if not database_pages:
        return None
    return page_size, database_pages, committed


def _checksum(chunk: bytes, s1: int, s2: int, *, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum over ``chunk`` (a multiple of 8 bytes), continuing from (s1, s2)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(chunk) // 4}I", chunk)
    for index in range(0, len(words), 2):
        s1 = (s1 + words[index] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[index + 1] + s1) & 0xFFFFFFFF
    return s1, s2
