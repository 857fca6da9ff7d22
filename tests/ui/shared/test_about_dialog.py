"""Help > About: version, licence, the backend that plays, the notices; the window's icon."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from player import __version__
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.playback.fake import FakeBackend
from player.playback.registry import entry_named
from player.ui.app import App
from player.ui.shared.about_dialog import AboutDialog, PlayingBackend, about_dialog_for, application_icon
from tests.conftest import NO_COUNTDOWN


def test_about_says_version_licence_backend_and_notices(qtbot: QtBot) -> None:
    dialog = AboutDialog(PlayingBackend(label="Qt Multimedia", about="Qt Multimedia 6.11 with its FFmpeg"))
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version_label.text()
    assert "MIT" in dialog.licence_label.text()
    assert "Qt Multimedia" in dialog.backend_label.text() and "FFmpeg" in dialog.backend_label.text()
    notices = dialog.notices.toPlainText()
    for name in ("Qt", "PySide6", "LGPL-3.0", "FFmpeg", "LGPL-2.1-or-later", "libVLC", "python-vlc", "sqlite-utils"):
        assert name in notices


def test_about_for_a_registered_backend_names_it(qtbot: QtBot) -> None:
    dialog = about_dialog_for("fake")
    qtbot.addWidget(dialog)
    assert entry_named("fake").label in dialog.backend_label.text()


def test_the_app_icon_loads() -> None:
    icon = application_icon()
    assert not icon.isNull() and not icon.pixmap(64, 64).isNull()


def test_help_about_opens_from_the_main_window(qtbot: QtBot, tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "journal.db")
    app = App(settings=NO_COUNTDOWN, entries=[], journal=journal, backend=FakeBackend(),
              licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(app.window)
    assert not app.window.windowIcon().isNull()
    seen: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AboutDialog)
        seen.append(dialog.backend_label.text())
        dialog.reject()

    QTimer.singleShot(200, read_and_close)
    app.window.about_action.trigger()
    assert len(seen) == 1 and "Fake" in seen[0]
    app.shut_down()
