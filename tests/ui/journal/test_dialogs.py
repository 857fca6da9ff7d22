"""A damaged or too-new journal at start: never overwritten; a fresh one only with the user's consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.ui.journal import dialogs as journal_dialogs
from tests.journal_files import mark_newer

AnswerWith = Callable[[str, list[str]], None]  # the answer_with fixture (conftest.py)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_damaged_journal_quit_keeps_it(qtbot: QtBot, tmp_path: Path, answer_with: AnswerWith) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"not sqlite" * 50)
    seen: list[str] = []
    answer_with("Quit", seen)
    assert journal_dialogs.open_journal_with_consent(path, now=NOW) is None
    assert path.read_bytes() == b"not sqlite" * 50
    assert "looks damaged" in seen[0] and "Nothing has been changed in it" in seen[0]


def test_damaged_journal_fresh_start_keeps_old_file(qtbot: QtBot, tmp_path: Path, answer_with: AnswerWith) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"not sqlite" * 50)
    answer_with("Keep it aside", [])
    journal = journal_dialogs.open_journal_with_consent(path, now=NOW)
    assert journal is not None and journal.integrity() == "ok"
    journal.close()
    assert (tmp_path / "journal.set-aside-20261123-090000.db").read_bytes() == b"not sqlite" * 50


def test_newer_journal_says_update(qtbot: QtBot, tmp_path: Path, answer_with: AnswerWith) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    mark_newer(path)
    before = path.read_bytes()
    seen: list[str] = []
    answer_with("Quit", seen)
    assert journal_dialogs.open_journal_with_consent(path, now=NOW) is None
    assert "newer Movement Player" in seen[0] and "Update Movement Player" in seen[0]
    assert path.read_bytes() == before
