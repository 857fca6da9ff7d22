"""A damaged or too-new journal at start: never overwritten; a fresh one only with the user's consent."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.ui.journal import dialogs as journal_dialogs

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def answer_with(monkeypatch: pytest.MonkeyPatch, label: str, seen: list[str]) -> None:
    """Make the question box click the button whose text starts with ``label``."""
    def exec_(box: QMessageBox) -> int:
        seen.append(box.text() + "\n" + box.informativeText())
        chosen = next(b for b in box.buttons() if b.text().startswith(label))
        monkeypatch.setattr(box, "clickedButton", lambda: chosen)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: None)


def test_damaged_journal_quit_keeps_it(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"not sqlite" * 50)
    seen: list[str] = []
    answer_with(monkeypatch, "Quit", seen)
    assert journal_dialogs.open_journal_with_consent(path, now=NOW) is None
    assert path.read_bytes() == b"not sqlite" * 50
    assert "looks damaged" in seen[0] and "Nothing has been changed in it" in seen[0]


def test_damaged_journal_fresh_start_keeps_old_file(qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(b"not sqlite" * 50)
    answer_with(monkeypatch, "Keep it aside", [])
    journal = journal_dialogs.open_journal_with_consent(path, now=NOW)
    assert journal is not None and journal.integrity() == "ok"
    journal.close()
    assert (tmp_path / "journal.set-aside-20261123-090000.db").read_bytes() == b"not sqlite" * 50


def test_newer_journal_says_update(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                     "values ('movement-player-journal', 'm999_future', '2031-01-01')")
    before = path.read_bytes()
    seen: list[str] = []
    answer_with(monkeypatch, "Quit", seen)
    assert journal_dialogs.open_journal_with_consent(path, now=NOW) is None
    assert "newer Movement Player" in seen[0] and "Update Movement Player" in seen[0]
    assert path.read_bytes() == before
