"""The journal on a real SQLite file: durability settings, round trips, damaged and too-new files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from player.core.errors import JournalDamagedError, JournalError, JournalTooNewError
from player.core.journal.migrations import known_names
from player.core.journal.store import Answers, Journal, iso_utc, set_aside
from tests.conftest import REPO
from tests.journal_files import damage_a_page, fill_pages, mark_newer

NOW = datetime(2026, 11, 23, 9, 15, 2, 120000, tzinfo=UTC)


def test_iso_utc() -> None:
    assert iso_utc(NOW) == "2026-11-23T09:15:02.120Z"
    assert iso_utc(NOW.astimezone(tz=None)) == "2026-11-23T09:15:02.120Z"


def test_wal_and_full_sync(journal: Journal) -> None:
    assert journal.durability() == ("wal", 2)  # 2: FULL


def test_schema_columns(journal: Journal) -> None:
    assert list(journal._db.table("runs").columns_dict) == ["id", "session_id", "started_at", "ended_at", "completed"]
    assert list(journal._db.table("checkins").columns_dict) == [
        "id", "run_id", "snippet_id", "answered_at", "discomfort", "ease", "body_areas", "note", "skipped", "sequence",
    ]
    assert list(journal._db.table("answers").columns_dict) == ["id", "checkin_id", "question_id", "value"]


def test_run_and_checkins_round_trip(journal: Journal) -> None:
    run = journal.start_run("foot-spine-connections", now=NOW)
    answers = Answers(discomfort=3, ease=4, body_areas=("hip-left", "lower-back"), note="warm feet",
                      extra={"reach-before": -4.5, "reach-after": None})
    saved = journal.save_checkin(run.id, "big-toe-hip", answers, now=NOW + timedelta(seconds=40))
    skipped = journal.save_checkin(run.id, "foot-roll", Answers(), now=NOW + timedelta(seconds=80), skipped=True)
    ended = journal.end_run(run.id, now=NOW + timedelta(minutes=3), completed=True)
    assert journal.checkins(run.id) == [saved, skipped]
    assert saved.answers == answers and saved.answered_at == "2026-11-23T09:15:42.120Z"
    assert skipped.skipped and skipped.answers == Answers()
    assert ended.completed and ended.ended_at == "2026-11-23T09:18:02.120Z"
    assert journal.runs() == [ended]


def test_rows_are_plain_for_other_tools(journal: Journal, tmp_path: Path) -> None:
    run = journal.start_run("s", now=NOW)
    journal.save_checkin(run.id, "a", Answers(discomfort=7, body_areas=("neck",), extra={"side": "left"}), now=NOW)
    journal.close()
    db = Database(tmp_path / "journal.db")
    row = next(db.query("select * from checkins"))
    assert row["discomfort"] == 7 and json.loads(row["body_areas"]) == ["neck"] and row["answered_at"].endswith("Z")
    assert next(db.query("select question_id, value from answers")) == {"question_id": "side", "value": '"left"'}


def test_runs_newest_first_and_by_session(journal: Journal) -> None:
    first = journal.start_run("a", now=NOW)
    second = journal.start_run("b", now=NOW + timedelta(days=1))
    assert [r.id for r in journal.runs()] == [second.id, first.id]
    assert [r.id for r in journal.runs(session_id="a")] == [first.id]


def test_reopen_applies_no_migration_twice(tmp_path: Path) -> None:
    Journal.open(tmp_path / "journal.db").close()
    journal = Journal.open(tmp_path / "journal.db")
    assert journal._db.execute("select count(*) from _sqlite_migrations").fetchone()[0] == len(known_names())


def test_garbage_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(JournalDamagedError, match="not an SQLite database"):
        Journal.open(path)
    assert path.read_bytes() == before


def test_corrupted_pages_are_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        fill_pages(journal, now=NOW)
    data = bytearray(path.read_bytes())
    damage_a_page(data)
    path.write_bytes(bytes(data))
    with pytest.raises(JournalDamagedError):
        Journal.open(path)
    assert path.read_bytes() == bytes(data)


def test_newer_version_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    mark_newer(path)
    before = path.read_bytes()
    with pytest.raises(JournalTooNewError, match="newer Movement Player"):
        Journal.open(path)
    assert path.read_bytes() == before


def test_set_aside_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"garbage")
    kept = set_aside(path, now=NOW)
    assert kept.name == "journal.set-aside-20261123-091502.db" and kept.read_bytes() == b"garbage"
    assert not path.exists()
    Journal.open(path).close()


KILL_CHILD = """
import os, sys
from datetime import datetime, UTC
from pathlib import Path
from player.core.journal.store import Journal, Answers
journal = Journal.open(Path(sys.argv[1]))
run = journal.start_run("s", now=datetime.now(UTC))
for i in range(25):
    journal.save_checkin(run.id, f"snippet-{i}", Answers(discomfort=i % 11, note="n" * 50), now=datetime.now(UTC))
    print(i, flush=True)
sys.stdin.readline()
"""


def test_saved_checkins_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(path)], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for expected in range(25):
        assert child.stdout.readline().strip() == str(expected)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with Journal.open(path) as journal:
        assert journal.integrity() == "ok"
        run = journal.runs()[0]
        assert [c.snippet_id for c in journal.checkins(run.id)] == [f"snippet-{i}" for i in range(25)]


def test_locked_journal_is_not_called_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()

    def locked(_db: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("player.core.journal.migrations.MIGRATIONS.apply", locked)
    with pytest.raises(JournalError, match="could not be opened: database is locked") as raised:
        Journal.open(path)
    assert not isinstance(raised.value, JournalDamagedError)


def test_no_sqlite_utils_plugin_touches_the_journal(tmp_path: Path) -> None:
    """A sqlite-utils plugin installed beside the app (it could register SQL functions or change pragmas) is
    never run on the journal's connection."""
    from sqlite_utils import hookimpl
    from sqlite_utils.plugins import pm

    prepared: list[object] = []

    class Plugin:
        @hookimpl
        def prepare_connection(self, conn: object) -> None:
            prepared.append(conn)

    plugin = Plugin()
    pm.register(plugin)
    try:
        Journal.open(tmp_path / "journal.db").close()
        Database(memory=True)  # the plugin is live: sqlite-utils' default does run it
    finally:
        pm.unregister(plugin)
    assert len(prepared) == 1
