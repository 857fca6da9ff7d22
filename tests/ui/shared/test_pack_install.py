"""File > Install session pack… and a pack dropped on the window (player/ui/shared/pack_install.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import builtin_root, scan_library
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.conftest import NO_COUNTDOWN
from tests.core.session.test_packs import zip_folder
from tests.paid_fixtures import make_paid_session


class Dialogs:
    """What the app showed: message boxes (answered with ``answer``) and warnings."""

    def __init__(self) -> None:
        self.boxes: list[QMessageBox] = []
        self.told: list[str] = []
        self.answer = QMessageBox.StandardButton.Ok

    def modal(self, dialog: QDialog) -> int:
        assert isinstance(dialog, QMessageBox)
        self.boxes.append(dialog)
        return int(self.answer.value)


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    journal = Journal.open(tmp_path / "data" / "journal.db")
    application = App(settings=NO_COUNTDOWN, entries=scan_library([builtin_root()]), journal=journal,
                      backend=FakeBackend(), licenses=LicenseStore(tmp_path / "data" / "licenses"))
    qtbot.addWidget(application.window)
    monkeypatch.setattr(application.window, "modal", dialogs.modal)
    monkeypatch.setattr(application.window, "tell", dialogs.told.append)
    yield application
    application.shut_down()


def library_ids(app: App) -> list[str]:
    return [app.window.library.card(row).session_id for row in range(app.window.library.list.count())]


def test_file_menu_installs_a_zip_and_the_library_shows_it(app: App, tmp_path: Path, dialogs: Dialogs,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    archive = zip_folder(make_paid_session(tmp_path / "pack").root, tmp_path / "pack.zip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    assert "paid-demo" not in library_ids(app)
    app.window.install_action.trigger()
    assert dialogs.told == []
    assert "paid-demo" in library_ids(app) and "foot-spine-connections" in library_ids(app)
    assert "Installed “" in dialogs.boxes[-1].text()
    assert app.open_session("paid-demo")  # and it opens


def test_a_dropped_pack_folder_installs_and_a_license_file_is_still_a_license(app: App, tmp_path: Path,
                                                                              dialogs: Dialogs) -> None:
    folder = make_paid_session(tmp_path / "pack").root
    app.window.file_dropped.emit(folder)
    assert "paid-demo" in library_ids(app)
    note = tmp_path / "key.txt"
    note.write_text("not a key")
    app.window.file_dropped.emit(note)  # not a pack: tried as a license file, refused in words
    assert dialogs.told and "paid-demo" in library_ids(app)


def test_a_pack_from_another_publisher_asks_first_and_no_is_the_default(app: App, tmp_path: Path,
                                                                         dialogs: Dialogs) -> None:
    genuine = make_paid_session(tmp_path / "genuine")
    app.window.file_dropped.emit(genuine.root)
    stranger = make_paid_session(tmp_path / "stranger")
    dialogs.answer = QMessageBox.StandardButton.No
    app.window.file_dropped.emit(stranger.root)
    question = dialogs.boxes[-1]
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.No)
    assert question.escapeButton() is question.button(QMessageBox.StandardButton.No)
    assert "stop license keys bought for it from working" in question.text()
    assert dialogs.told[-1].endswith("was not installed; your sessions are as they were.")
    pack_manifest = tmp_path / "data" / "packs" / "paid-demo" / "sessions"
    before = sorted(p.read_bytes() for p in pack_manifest.glob("*.toml"))
    assert before == sorted(p.read_bytes() for p in (genuine.root / "sessions").glob("*.toml"))
    dialogs.answer = QMessageBox.StandardButton.Yes
    app.window.file_dropped.emit(stranger.root)
    after = sorted(p.read_bytes() for p in pack_manifest.glob("*.toml"))
    assert after == sorted(p.read_bytes() for p in (stranger.root / "sessions").glob("*.toml"))


def test_a_broken_pack_is_told_in_words_and_nothing_changes(app: App, tmp_path: Path, dialogs: Dialogs,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    before = library_ids(app)
    app.window.file_dropped.emit(broken)
    assert dialogs.told and dialogs.told[-1].startswith("The session pack could not be installed.")
    assert "Traceback" not in dialogs.told[-1] and "broken.zip" in dialogs.told[-1]
    assert library_ids(app) == before
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "notes.txt"), ""))
    app.window.install_action.trigger()
    assert "is not a session pack" in dialogs.told[-1]
