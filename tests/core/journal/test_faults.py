"""Issue 9: the journal never loses, duplicates or rewrites what it holds — on real files and processes.

Each test here failed before the fix it names and passes after it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from player.core.errors import (
    JournalBusyError,
    JournalDamagedError,
    JournalError,
    JournalForeignError,
    JournalFullError,
    JournalOrphanWalError,
    JournalReadOnlyError,
    JournalTooNewError,
)
from player.core.files import remove_leftover_parts, replaced_when_done
from player.core.journal.backup import auto_backup, list_backups, restore_backup
from player.core.journal.health import inspect_journal, recover_from_wal
from player.core.journal.identity import APPLICATION_ID
from player.core.journal.resume import latest_resume_point, save_resume_point
from player.core.journal.review import RunFilter, count_runs
from player.core.journal.store import Answers, Journal, SnippetPlace
from player.core.localtime import day_start_utc
from player.core.session.settings import load_settings
from tests.conftest import REPO
from tests.journal_files import damage_a_page, fill_pages, killed_journal_files, write_files

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` (journal.db, -wal, -shm, ...) by name and the hash of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def crashed_copy(source: Path, target_dir: Path, *, checkins: int = 40, future: bool = False) -> Path:
    """A journal as a killed app leaves it: commits still in its -wal (never checkpointed), -shm beside it."""
    files = killed_journal_files(source, checkins=checkins, now=NOW, rated=True, newer=future)
    target_dir.mkdir(exist_ok=True)
    return write_files(files, target_dir / "journal.db")


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOVEMENT_PLAYER_BACKEND": "fake"}
    return subprocess.run([sys.executable, "-m", "player.cli", "--data-dir", str(data_dir), *args], cwd=REPO,
                          capture_output=True, text=True, env=env, timeout=60)


# --- 1. the resume point moves to the next snippet in the check-in's own transaction -------------------------

RESUME_CHILD = """
import os, signal, sys
from datetime import datetime, UTC
from pathlib import Path
from player.core.journal.resume import save_resume_point
from player.core.journal.store import Journal, Answers, SnippetPlace
journal = Journal.open(Path(sys.argv[1]))
run = journal.start_run("s", now=datetime.now(UTC))
save_resume_point(journal, run.id, part="preview", snippet_index=0, snippet_id="one", position_ms=1900,
                  now=datetime.now(UTC))
journal.save_checkin(run.id, "one", Answers(discomfort=2), now=datetime.now(UTC),
                     resume_at=SnippetPlace(part="preview", snippet_index=1, snippet_id="two"))
os.kill(os.getpid(), signal.SIGKILL)  # killed right after Save returned
"""


def test_a_kill_right_after_save_resumes_at_the_next_snippet(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    subprocess.run([sys.executable, "-c", RESUME_CHILD, str(path)], cwd=REPO, timeout=60)
    with Journal.open(path) as journal:
        point = latest_resume_point(journal)
        assert point is not None
        assert (point.snippet_index, point.snippet_id, point.position_ms) == (1, "two", 0)
        assert [c.snippet_id for c in journal.checkins(point.run_id)] == ["one"]


# --- 2. the refusal check never changes a byte -----------------------------------------------------------------

def test_a_newer_journal_with_unflushed_commits_is_refused_byte_identical(tmp_path: Path) -> None:
    path = crashed_copy(tmp_path / "live.db", tmp_path / "data", future=True)
    before = snapshot(path.parent)
    assert set(before) == {"journal.db", "journal.db-wal", "journal.db-shm"}
    with pytest.raises(JournalTooNewError):
        Journal.open(path)
    assert snapshot(path.parent) == before


def test_a_restored_backup_beside_an_old_wal_is_refused_byte_identical(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    journal = Journal.open(live)
    run = journal.start_run("s", now=NOW)
    for i in range(200):
        journal.save_checkin(run.id, "a", Answers(note=f"old {i} " * 20), now=NOW + timedelta(seconds=i))
    journal._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    journal._db.execute("PRAGMA wal_autocheckpoint=0")
    for i in range(5):  # the last commits, only in the -wal (a few pages of the old file)
        journal.save_checkin(run.id, "b", Answers(note="late " * 50), now=NOW + timedelta(hours=1, seconds=i))
    data = tmp_path / "data"
    data.mkdir()
    for suffix in ("-wal", "-shm"):
        (data / f"journal.db{suffix}").write_bytes(Path(f"{live}{suffix}").read_bytes())
    journal.close()
    other = tmp_path / "other.db"
    with Journal.open(other) as backup:  # another journal, restored by hand over journal.db
        other_run = backup.start_run("restored", now=NOW)
        for i in range(150):
            backup.save_checkin(other_run.id, "z", Answers(discomfort=3, note=f"new {i}"), now=NOW)
    (data / "journal.db").write_bytes(other.read_bytes())
    before = snapshot(data)
    assert set(before) == {"journal.db", "journal.db-wal", "journal.db-shm"}
    with pytest.raises(JournalDamagedError):
        Journal.open(data / "journal.db")
    assert snapshot(data) == before  # the old -wal and -shm included: nothing replayed, nothing deleted


@pytest.mark.parametrize("command", [("doctor",), ("journal", "list")])
def test_console_commands_never_change_a_refused_journal(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = crashed_copy(tmp_path / "live.db", tmp_path / "data", future=True)
    before = snapshot(path.parent)
    done = cli(path.parent, *command)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "newer Movement Player" in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert snapshot(path.parent) == before


def test_doctor_reports_a_damaged_journal_exits_1_and_never_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "journal.db"
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=NOW)
        for i in range(300):
            journal.save_checkin(run.id, "a", Answers(note="x" * 200), now=NOW + timedelta(seconds=i))
    raw = bytearray(path.read_bytes())
    raw[4096 * 3: 4096 * 3 + 3000] = bytes(3000)
    path.write_bytes(bytes(raw))
    before = snapshot(data)
    done = cli(data, "doctor")
    assert done.returncode == 1 and "PROBLEM" in done.stdout and "Traceback" not in done.stderr
    assert snapshot(data) == before


def test_doctor_reads_a_healthy_journal_without_writing(tmp_path: Path) -> None:
    path = crashed_copy(tmp_path / "live.db", tmp_path / "data")
    before = snapshot(path.parent)
    health = inspect_journal(path)
    assert (health.check, health.runs, health.checkins, health.full_check) == ("ok", 1, 40, True)
    assert snapshot(path.parent) == before


# --- 3. an empty journal.db beside a WAL that holds data ---------------------------------------------------------

def test_an_empty_journal_beside_a_full_wal_is_refused_and_recoverable(tmp_path: Path) -> None:
    path = crashed_copy(tmp_path / "live.db", tmp_path / "data")
    path.write_bytes(b"")  # the database file lost, its WAL (40 check-ins) still there
    before = snapshot(path.parent)
    with pytest.raises(JournalOrphanWalError, match="holds"):
        Journal.open(path)
    assert snapshot(path.parent) == before
    rebuilt = tmp_path / "rebuilt.db"
    health = recover_from_wal(path.with_name("journal.db-wal"), rebuilt)
    assert snapshot(path.parent) == before
    assert health is not None and (health.runs, health.checkins) == (1, 40)
    with Journal.open(rebuilt) as journal:
        run = journal.runs()[0]
        assert [c.snippet_id for c in journal.checkins(run.id)] == [f"snippet-{i}" for i in range(40)]


def test_a_wal_that_is_not_a_wal_recovers_nothing(tmp_path: Path) -> None:
    wal = tmp_path / "journal.db-wal"
    wal.write_bytes(os.urandom(5000))
    assert recover_from_wal(wal, tmp_path / "out.db") is None and not (tmp_path / "out.db").exists()


# --- 5. writes wait for another writer (BEGIN IMMEDIATE and the busy timeout) ------------------------------------

def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another connection writes to the journal and keeps its write lock for ``seconds``, then commits."""
    ready = threading.Event()

    def writer() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("begin immediate")
        other.execute("insert into runs (session_id, started_at, completed) values ('other', '2030-01-01', 0)")
        ready.set()
        time.sleep(seconds)
        other.execute("commit")
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert ready.wait(5)
    return thread


def test_a_save_waits_while_another_connection_writes_then_succeeds(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        journal.checkins(run.id)  # a read first: the old code's snapshot then could not be upgraded to a write
        thread = hold_write_lock(journal.path, 0.5)
        started = time.monotonic()
        saved = journal.save_checkin(run.id, "a", Answers(discomfort=1), now=NOW)
        waited = time.monotonic() - started
        thread.join()
        assert saved.answers.discomfort == 1 and waited >= 0.3
        assert len(journal.runs()) == 2  # the other writer's run is there too


def test_a_lock_held_past_the_timeout_is_told_as_busy_and_nothing_half_written(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        journal._db.execute("PRAGMA busy_timeout = 100")
        thread = hold_write_lock(journal.path, 1.0)
        with pytest.raises(JournalBusyError) as caught:
            journal.save_checkin(run.id, "a", Answers(), now=NOW)
        thread.join()
        assert caught.value.message.startswith("Could not save the check-in: database is locked: another program")
        assert journal.checkins(run.id) == []
        save_resume_point(journal, run.id, part="preview", snippet_index=0, snippet_id="a", position_ms=5, now=NOW)
        assert latest_resume_point(journal) is not None  # writing works again once the lock is gone


# --- one wording per cause, each caused for real -----------------------------------------------------------------

def test_disk_full_is_told_as_full(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
        journal._db.execute(f"PRAGMA max_page_count = {pages}")  # a disk with no room for one more page
        with pytest.raises(JournalFullError, match="Could not save the check-in: the disk is full"):
            journal.save_checkin(run.id, "a", Answers(note="x" * 9000), now=NOW)
        assert journal.checkins(run.id) == []


def test_read_only_connection_is_told_as_read_only(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        journal._db.execute("PRAGMA query_only = ON")
        with pytest.raises(JournalReadOnlyError, match="Could not record the end of this practice: the journal is "
                                                       "read-only"):
            journal.end_run(run.id, now=NOW, completed=True)


def test_a_read_only_journal_is_reported_at_start(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    path.chmod(0o444)
    before = snapshot(tmp_path)
    with pytest.raises(JournalReadOnlyError, match="could not be opened: the journal is read-only"):
        Journal.open(path)
    assert snapshot(tmp_path) == before


def test_a_page_damaged_under_an_open_journal_is_told_as_damaged_on_write(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        run = fill_pages(journal, now=NOW)
        raw = bytearray(path.read_bytes())
        damage_a_page(raw)  # the disk damages a page of check-ins
        with path.open("r+b") as handle:
            handle.write(raw)
        journal._db.execute("PRAGMA shrink_memory")  # the page is read from the disk again
        with pytest.raises(JournalDamagedError, match="Could not save the check-in: the journal looks damaged"):
            journal.save_checkin(run.id, "b", Answers(note="y" * 3000), now=NOW)


# --- 8. lower findings -----------------------------------------------------------------------------------------

def test_a_data_directory_that_is_a_file_is_told(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("oops")
    with pytest.raises(JournalError, match="is a file, not a folder"):
        Journal.open(data / "journal.db")
    done = cli(data, "journal", "list")
    assert done.returncode == 1 and "is a file, not a folder" in done.stderr and "Traceback" not in done.stderr


def test_index_only_damage_is_found_at_start(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=NOW)
        for i in range(20):
            journal.save_checkin(run.id, f"s{i}", Answers(), now=NOW + timedelta(seconds=i))
        root = journal._db.execute("select rootpage from sqlite_master where name = 'idx_checkins_snippet_id_"
                                   "answered_at'").fetchone()[0]
    raw = bytearray(path.read_bytes())
    page = (root - 1) * 4096
    cell = int.from_bytes(raw[page + 8: page + 10], "big")  # the first cell of a leaf index page
    raw[page + cell + 5] ^= 0x01  # one byte of one key: the table is fine, the index no longer matches it
    path.write_bytes(bytes(raw))
    with sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True) as probe:
        assert probe.execute("PRAGMA quick_check").fetchone()[0] == "ok"  # what the old check ran
    with pytest.raises(JournalDamagedError, match="failed its integrity check"):
        Journal.open(path)


def test_a_second_bad_settings_file_keeps_the_first(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{first")
    load_settings(tmp_path)
    (tmp_path / "settings.json").write_text("{second")
    load_settings(tmp_path)
    assert (tmp_path / "settings.bad").read_text() == "{first"
    assert (tmp_path / "settings.bad.2").read_text() == "{second"


def test_leftover_part_files_of_a_killed_writer_go_and_new_files_are_0644(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)
    leftover = tmp_path / f".export.json.pid{dead}.abc123.part"
    leftover.write_bytes(b"x" * 1000)
    mine = tmp_path / f".export.json.pid{os.getpid()}.live.part"
    mine.write_bytes(b"in progress")
    target = tmp_path / "export.json"
    old_umask = os.umask(0o022)
    try:
        with replaced_when_done(target) as temp:
            temp.write_text("{}")
    finally:
        os.umask(old_umask)
    assert not leftover.exists() and mine.exists() and target.read_text() == "{}"
    assert target.stat().st_mode & 0o777 == 0o644
    assert remove_leftover_parts(tmp_path) == 0


def test_day_filters_where_dst_starts_at_midnight() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2026-09-06: clocks go from 00:00 straight to 01:00
    assert day_start_utc(date(2026, 9, 6), santiago) == "2026-09-06T04:00:00.000Z"
    env = {**os.environ, "TZ": "America/Santiago"}
    code = ("from datetime import date; from player.core.localtime import day_start_utc; "
            "print(day_start_utc(date(2026, 9, 6)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "2026-09-06T04:00:00.000Z", done.stderr  # the computer's own zone too


def test_day_filter_counts_a_run_at_the_first_instant_of_a_dst_day(tmp_path: Path) -> None:
    santiago = ZoneInfo("America/Santiago")
    with Journal.open(tmp_path / "journal.db") as journal:
        journal.start_run("s", now=datetime(2026, 9, 6, 3, 30, tzinfo=UTC))  # 23:30 on 5 Sept in Santiago
        journal.start_run("s", now=datetime(2026, 9, 6, 4, 10, tzinfo=UTC))  # 01:10 on 6 Sept
        day = date(2026, 9, 6)
        assert count_runs(journal, where=RunFilter(since=day, until=day), tz=santiago) == 1


def test_check_ins_keep_their_order_when_the_clock_steps_back(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        journal.save_checkin(run.id, "first", Answers(), now=NOW + timedelta(minutes=5))
        journal.save_checkin(run.id, "second", Answers(), now=NOW + timedelta(minutes=1))  # clock set back
        journal.save_checkin(run.id, "third", Answers(), now=NOW + timedelta(minutes=2))
        assert [c.snippet_id for c in journal.checkins(run.id)] == ["first", "second", "third"]


def test_the_sequence_migration_numbers_existing_check_ins_in_their_old_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=NOW)
        for i, minute in enumerate((3, 1, 2)):
            journal.save_checkin(run.id, f"c{i}", Answers(), now=NOW + timedelta(minutes=minute))
    with sqlite3.connect(path) as conn:  # as a journal from before m005 looked
        conn.execute("delete from _sqlite_migrations where name = 'm005_add_checkin_sequence'")
        conn.execute("drop index idx_checkins_run_id_sequence")
        conn.execute("alter table checkins drop column sequence")
    with Journal.open(path) as journal:
        assert [c.snippet_id for c in journal.checkins(1)] == ["c1", "c2", "c0"]  # by time, as before


# --- 9. automatic backups and application_id --------------------------------------------------------------------

def test_a_new_journal_carries_the_application_id_and_a_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    foreign = tmp_path / "other" / "journal.db"
    foreign.parent.mkdir()
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table photos (id integer primary key, name text)")
        conn.execute("insert into photos (name) values ('cat.jpg')")
    conn.close()
    before = snapshot(foreign.parent)
    with pytest.raises(JournalForeignError, match="another program's SQLite database"):
        Journal.open(foreign)
    assert snapshot(foreign.parent) == before


def test_an_old_journal_without_application_id_is_ours_and_gets_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 0")
    conn.close()
    Journal.open(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_automatic_backups_once_a_day_last_n_kept_listed_and_restored(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        for day in range(5):
            journal.start_run("s", now=NOW + timedelta(days=day))
            made = auto_backup(path, today=date(2026, 11, 23) + timedelta(days=day), keep=3)
            assert made is not None and made.name == f"journal-{date(2026, 11, 23) + timedelta(days=day)}.db"
            assert auto_backup(path, today=date(2026, 11, 23) + timedelta(days=day), keep=3) is None  # once a day
        backups = list_backups(path)
        assert [b.made_on.day for b in backups] == [27, 26, 25]  # the last three, newest first
        assert [(b.runs, b.problem) for b in backups] == [(5, ""), (4, ""), (3, "")]
        assert backups[2].first_run == "2026-11-23T09:00:00.000Z" and backups[2].last_run == "2026-11-25T09:00:00.000Z"
        backup_bytes = backups[2].path.read_bytes()
        kept = restore_backup(journal, backups[2].path, now=NOW)
        assert len(journal.runs()) == 3  # the open journal now holds the backup's content
        assert backups[2].path.read_bytes() == backup_bytes  # the backup itself is never changed
        journal.start_run("after", now=NOW)  # and it is still written to as before
        assert len(journal.runs()) == 4
    with Journal.open(kept) as before_restore:
        assert len(before_restore.runs()) == 5  # the journal as it was, kept aside first


def test_a_damaged_backup_is_listed_with_its_problem_and_not_restored(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        journal.start_run("s", now=NOW)
        folder = tmp_path / "backups"
        folder.mkdir()
        (folder / "journal-2026-11-20.db").write_bytes(b"garbage" * 100)
        (info,) = list_backups(path)
        assert info.problem and info.runs == 0
        with pytest.raises(JournalDamagedError):
            restore_backup(journal, info.path, now=NOW)
        assert len(journal.runs()) == 1


def test_a_place_past_the_last_snippet_is_kept(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        journal.save_checkin(run.id, "three", Answers(), now=NOW,
                             resume_at=SnippetPlace(part="preview", snippet_index=3, snippet_id="three"))
        point = latest_resume_point(journal)
        assert point is not None and point.snippet_index == 3
        journal.end_run(run.id, now=NOW, completed=True)
        assert latest_resume_point(journal) is None


def test_doctor_says_when_the_data_directory_is_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("oops")
    done = cli(data, "doctor")
    assert done.returncode == 1 and "is a file, not a folder" in done.stdout and "Traceback" not in done.stderr


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB file system (tmpfs), so the disk really fills up; skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> None:
    with (disk / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass


def test_no_to_continue_on_a_really_full_disk_is_told(tiny_disk: Path) -> None:
    path = tiny_disk / "journal.db"
    journal = Journal.open(path)
    run = journal.start_run("s", now=NOW)
    save_resume_point(journal, run.id, part="preview", snippet_index=0, snippet_id="a", position_ms=1, now=NOW)
    journal.close()
    with Journal.open(path) as journal:  # the next start: the WAL is empty again, and the disk fills up
        fill(tiny_disk)
        with pytest.raises(JournalFullError, match="Could not record the end of this practice: the disk is full"):
            journal.end_run(run.id, now=NOW, completed=False)  # what "No" to "Continue where you left off?" does
        with pytest.raises(JournalFullError, match="Could not save the check-in: the disk is full"):
            journal.save_checkin(run.id, "a", Answers(note="x" * 5000), now=NOW)
        assert latest_resume_point(journal) is not None and journal.checkins(run.id) == []
