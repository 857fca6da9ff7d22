"""File > Export journal as: one entry per registered export format, each writing through its writer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.export_formats import export_formats, register_format, unregister_format
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.conftest import NO_COUNTDOWN
from tests.core.journal.test_export_formats import PLAIN
from tests.journal_seed import seed


def build(qtbot: QtBot, data: Path) -> App:
    journal = Journal.open(data / "journal.db")
    seed(journal)
    app = App(settings=NO_COUNTDOWN, entries=[], journal=journal, backend=FakeBackend(),
              licenses=LicenseStore(data / "licenses"), now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    qtbot.addWidget(app.window)
    return app


def menu_entries(app: App) -> list[str]:
    return [action.text() for action in app.window.export_actions.values()]


def test_the_menu_offers_every_registered_format(qtbot: QtBot, tmp_path: Path) -> None:
    app = build(qtbot, tmp_path)
    assert list(app.window.export_actions) == [f.name for f in export_formats()]
    assert menu_entries(app) == [f.menu_text for f in export_formats()]
    app.shut_down()


@pytest.fixture
def plain() -> Iterator[None]:
    register_format(PLAIN)
    yield
    unregister_format(PLAIN.name)


def test_a_new_format_reaches_the_menu_and_writes(plain: None, qtbot: QtBot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path / "data")
    assert "Plain text…" in menu_entries(app)
    asked: list[tuple[str, str]] = []

    def save_as(_parent: object, caption: str, suggested: str, file_filter: str) -> tuple[str, str]:
        asked.append((caption, file_filter))
        return str(tmp_path / "runs"), file_filter  # no suffix typed: the format's is added

    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *_a: told.append(f"{title}: {text}"))
    app.window.export_actions["plain"].trigger()
    assert asked == [("Export your journal as plain text", "Text files (*.txt)")]
    assert len((tmp_path / "runs.txt").read_text().splitlines()) == 5
    assert told == [f"Journal exported: Exported 5 runs to\n{tmp_path / 'runs.txt'}"]
    app.shut_down()
