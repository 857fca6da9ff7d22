"""Backups with SQLite's online backup API: consistent while another connection is writing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from player.core.errors import JournalError
from player.core.journal import backup
from player.core.journal.backup import BackgroundBackup, auto_backup, backup_journal
from player.core.journal.exports import document_text, load_records
from player.core.journal.store import Journal
from tests.conftest import REPO
from tests.journal_seed import seeded_journal


def test_backup_during_an_open_write_transaction(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    journal, _ = seeded_journal(path)
    expected = document_text(load_records(journal))
    writer = sqlite3.connect(path, isolation_level=None)  # the app, say, in the middle of saving
    writer.execute("begin immediate")
    writer.execute("insert into runs (session_id, started_at, completed) values ('s', '2030-01-01T00:00:00.000Z', 0)")
    writer.execute("insert into checkins (run_id, snippet_id, answered_at, skipped) "
                   "values (last_insert_rowid(), 'a', '2030-01-01T00:00:01.000Z', 0)")
    try:
        result = backup_journal(path, tmp_path / "copy.db")
    finally:
        writer.execute("commit")
        writer.close()
    assert (result.runs, result.checkins, result.integrity) == (5, 13, "ok")
    assert not (tmp_path / "copy.db-wal").exists()
    with Journal.open(tmp_path / "copy.db") as copy:
        assert document_text(load_records(copy)) == expected  # the committed state, whole
    assert journal._db.table("runs").count == 6  # the write went through afterwards
    journal.close()


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    seeded_journal(path)[0].close()
    target = tmp_path / "backup.db"
    target.write_text("precious")
    with pytest.raises(JournalError, match="already exists; choose another name or add --force"):
        backup_journal(path, target)
    assert target.read_text() == "precious"
    assert backup_journal(path, target, overwrite=True).runs == 5
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.parametrize(("setup", "message"), [
    ("missing", "There is no journal"), ("garbage", "is not an SQLite database"), ("folder", "is a folder"),
    ("no-parent", "does not exist"),
])
def test_refusals(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "journal.db"
    if setup != "missing":
        Journal.open(path).close()
    if setup == "garbage":
        path.write_bytes(b"not a database")
    target = tmp_path if setup == "folder" else tmp_path / "nowhere" / "b.db" if setup == "no-parent" else \
        tmp_path / "b.db"
    with pytest.raises(JournalError, match=message):
        backup_journal(path, target)
    assert not [p for p in tmp_path.rglob("*.part")]


def test_a_background_backup_is_made_one_at_a_time_and_tells_its_failure(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    seeded_journal(path)[0].close()
    release, asked = threading.Event(), []
    real = backup.auto_backup

    def held(journal_path: Path, *, today: date, keep: int) -> Path | None:
        asked.append(today)
        release.wait(10)
        return real(journal_path, today=today, keep=keep)

    monkeypatch.setattr(backup, "auto_backup", held)
    failures: list[tuple[JournalError, bool]] = []

    def record(exc: JournalError) -> None:
        failures.append((exc, threading.current_thread() is threading.main_thread()))

    worker = BackgroundBackup()
    assert worker.start(path, today=date(2026, 11, 23), failed=record)
    assert not worker.start(path, today=date(2026, 11, 23), failed=record)  # one is being made
    assert not worker.wait(timeout_s=0)  # returned while the copy is held
    release.set()
    assert worker.wait(timeout_s=10) and asked == [date(2026, 11, 23)] and failures == []
    assert (tmp_path / "backups" / "journal-2026-11-23.db").is_file()
    (tmp_path / "backups").rename(tmp_path / "moved")
    (tmp_path / "backups").write_text("a file where the folder goes")
    assert worker.start(path, today=date(2026, 11, 24), failed=record)
    assert worker.wait(timeout_s=10)
    ((error, on_main_thread),) = failures
    assert error.message.startswith("The automatic backup failed") and not on_main_thread


QUIT_WHILE_COPYING = r"""
import sys, threading
from datetime import date
from pathlib import Path
from player.core.journal import backup

copying = threading.Event()

def stuck(source, target):  # half a copy written, then the process quits
    target.write_bytes(b"SQLite format 3\x00 half a copy")
    copying.set()
    threading.Event().wait()

backup._copy = stuck
worker = backup.BackgroundBackup()
worker.start(Path(sys.argv[1]), today=date(2026, 11, 24), failed=print)
assert copying.wait(10) and not worker.wait(timeout_s=0.01)
print("quitting", flush=True)
"""


def test_quitting_while_a_background_backup_copies_leaves_the_backups_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    seeded_journal(path)[0].close()
    yesterday = auto_backup(path, today=date(2026, 11, 23))
    assert yesterday is not None
    kept = yesterday.read_bytes()
    done = subprocess.run([sys.executable, "-c", QUIT_WHILE_COPYING, str(path)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)  # a daemon thread: the process ends without it
    assert (done.returncode, done.stdout, done.stderr) == (0, "quitting\n", "")
    folder = tmp_path / "backups"
    assert yesterday.read_bytes() == kept and not (folder / "journal-2026-11-24.db").exists()
    assert [p for p in folder.iterdir() if p.name.endswith(".part")]  # the stopped copy, hidden
    assert auto_backup(path, today=date(2026, 11, 24)) == folder / "journal-2026-11-24.db"  # the next one
    assert sorted(p.name for p in folder.iterdir()) == ["journal-2026-11-23.db", "journal-2026-11-24.db"]


def journal_with_daily_backups(tmp_path: Path, days: int, *, keep: int) -> tuple[Path, Path]:
    """A seeded journal and its automatic backups of 1 .. ``days`` November 2026: (journal, backups folder)."""
    path = tmp_path / "journal.db"
    seeded_journal(path)[0].close()
    for day in range(1, days + 1):
        assert auto_backup(path, today=date(2026, 11, day), keep=keep) is not None
    return path, tmp_path / "backups"


def test_a_damaged_copy_is_never_kept_as_todays_backup_and_no_older_one_goes(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path, folder = journal_with_daily_backups(tmp_path, 3, keep=3)
    kept = sorted(folder.iterdir())
    real_copy = backup._copy

    def damaged(source: Path, target: Path) -> tuple[int, int, str]:
        runs, checkins, _ok = real_copy(source, target)
        return runs, checkins, "*** in database main *** Page 7: btreeInitPage() returns error code 11"

    monkeypatch.setattr(backup, "_copy", damaged)
    with pytest.raises(JournalError, match="integrity check"):
        auto_backup(path, today=date(2026, 11, 4), keep=3)
    assert sorted(folder.iterdir()) == kept  # nothing of the damaged copy, every earlier backup still there


def test_an_old_backup_that_cannot_be_removed_stays_without_a_traceback(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path, folder = journal_with_daily_backups(tmp_path, 2, keep=2)
    stuck = folder / "journal-2026-11-01.db"
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == stuck:
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    assert auto_backup(path, today=date(2026, 11, 3), keep=2) == folder / "journal-2026-11-03.db"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["journal-2026-11-01.db", "journal-2026-11-02.db", "journal-2026-11-03.db"]


def test_anything_the_worker_meets_is_told_as_a_journal_error(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever goes wrong on the worker thread reaches ``failed`` in words, never a thread traceback."""
    told: list[JournalError] = []
    worker = BackgroundBackup()
    for problem in (PermissionError(13, "Permission denied", "backups"), sqlite3.OperationalError("disk I/O error"),
                    RuntimeError("something else")):
        def broken(*_args: object, problem: Exception = problem, **_kwargs: object) -> None:
            raise problem

        monkeypatch.setattr(backup, "auto_backup", broken)
        assert worker.start(tmp_path / "journal.db", today=date(2026, 11, 3), failed=told.append)
        assert worker.wait(timeout_s=5)
    assert len(told) == 3 and all(isinstance(error, JournalError) for error in told)
    assert [error.message.split(":")[0] for error in told] == ["The automatic backup failed"] * 2 + [
        "The automatic backup failed unexpectedly"]
    assert "something else" in told[2].message
