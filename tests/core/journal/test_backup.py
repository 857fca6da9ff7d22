"""Backups with SQLite's online backup API: consistent while another connection is writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from player.core.errors import JournalError
from player.core.journal.backup import backup_journal
from player.core.journal.exports import document_text, load_records
from player.core.journal.store import Journal
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
