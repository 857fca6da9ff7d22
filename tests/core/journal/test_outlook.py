"""The look before ``play SESSION`` starts its video: play first only when opening the journal would ask nothing,
and never a byte changed (``-wal`` and ``-shm`` included)."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from player.core.journal.followups import save_followup
from player.core.journal.outlook import start_outlook
from player.core.journal.resume import save_resume_point
from player.core.journal.store import Answers, Journal

MONDAY = date(2026, 11, 2)
MONDAY_9 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def files_of(path: Path) -> dict[str, bytes | None]:
    """The journal's bytes and its side files' (None: absent)."""
    return {p.name: (p.read_bytes() if p.exists() else None)
            for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))}


def looks(path: Path, today: date = MONDAY) -> bool:
    """``play_first``, checking that looking changed nothing."""
    before = files_of(path)
    outlook = start_outlook(path, today=today, tz=UTC)
    assert files_of(path) == before
    assert outlook.reason
    return outlook.play_first


def test_no_journal_yet_plays_first(tmp_path: Path) -> None:
    assert looks(tmp_path / "journal.db")
    assert list(tmp_path.iterdir()) == []


def test_a_data_directory_that_is_a_file_asks_first(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    assert not looks(tmp_path / "data" / "journal.db")


def test_a_closed_journal_with_nothing_to_ask_plays_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=MONDAY_9)
        journal.save_checkin(run.id, "a", Answers(discomfort=2), now=MONDAY_9 + timedelta(minutes=1))
        journal.end_run(run.id, now=MONDAY_9 + timedelta(minutes=5), completed=True)
    assert looks(path)  # the same day: nothing to ask yet


def test_an_unfinished_run_asks_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=MONDAY_9)
        save_resume_point(journal, run.id, part="preview", snippet_index=1, snippet_id="b", position_ms=4000,
                          now=MONDAY_9 + timedelta(minutes=1))
    assert not looks(path)


def test_the_next_day_question_asks_first_until_answered(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    tuesday = MONDAY + timedelta(days=1)
    with Journal.open(path) as journal:
        run = journal.start_run("s", now=MONDAY_9)
        journal.save_checkin(run.id, "a", Answers(discomfort=2), now=MONDAY_9 + timedelta(minutes=1))
        journal.end_run(run.id, now=MONDAY_9 + timedelta(minutes=5), completed=True)
    assert not looks(path, tuesday)
    with Journal.open(path) as journal:
        save_followup(journal, run.id, answer="better", today=tuesday, now=MONDAY_9 + timedelta(days=1))
    assert looks(path, tuesday)


def test_changes_waiting_in_the_wal_ask_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    journal = Journal.open(path)  # left open: its -wal holds the run
    try:
        journal.start_run("s", now=MONDAY_9)
        assert not looks(path)
    finally:
        journal.close()


def test_other_files_ask_first(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("create table notes (text)")
    connection.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    torn = tmp_path / "torn.db"
    torn.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    for path in (foreign, garbage, torn):
        assert not looks(path), path.name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=4096), header=st.booleans())
def test_hostile_files_never_raise_or_change(tmp_path: Path, body: bytes, header: bool) -> None:
    path = tmp_path / "hostile.db"
    path.write_bytes((b"SQLite format 3\x00" if header else b"") + body)
    looks(path)  # no exception, no byte changed; whatever it says, the full open decides after


def test_a_folder_that_cannot_be_read_asks_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data directory the user may not list (made by root, mode 0700): Path.exists raises; the look says
    "ask first" and the usual start tells what is wrong."""
    def denied(self: Path, **_kwargs: object) -> os.stat_result:
        raise PermissionError(13, "Permission denied", str(self))

    path = tmp_path / "journal.db"
    Journal.open(path).close()
    monkeypatch.setattr(Path, "stat", denied)
    outlook = start_outlook(path, today=MONDAY, tz=UTC)
    assert not outlook.play_first and "Permission denied" in outlook.reason
