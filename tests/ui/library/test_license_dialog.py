"""Unlocking in the UI with the fake backend: locked session page, key dialog, file drop, paid playback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryRoot, scan_library
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.library.license_dialog import LicenseDialog, group_span
from tests.conftest import NO_COUNTDOWN
from tests.paid_fixtures import PaidSession


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"free.mp4": 2000, "part-one.mpe": 2000, "part-two.mpe": 2000})


def build(qtbot: QtBot, paid: PaidSession, backend: FakeBackend, data: Path) -> App:
    entries = scan_library([LibraryRoot(paid.root / "sessions", paid.root / "media")])
    app = App(settings=NO_COUNTDOWN, entries=entries, journal=Journal.open(data / "journal.db"), backend=backend,
              licenses=LicenseStore(data / "licenses"))
    qtbot.addWidget(app.window)
    app.window.show()
    return app


@pytest.fixture
def app(qtbot: QtBot, paid: PaidSession, backend: FakeBackend, tmp_path: Path) -> Iterator[App]:
    application = build(qtbot, paid, backend, tmp_path / "data")
    yield application
    application.shut_down()


def open_session_page(qtbot: QtBot, app: App) -> None:
    qtbot.keyClick(app.window.library.list, Qt.Key.Key_Return)
    assert app.window.pages.currentWidget() is app.window.session


def test_locked_session_shows_what_is_inside(qtbot: QtBot, app: App) -> None:
    assert "Full session: 2 parts, 4 s (locked, $20)" in app.window.library.list.item(0).text()
    open_session_page(qtbot, app)
    page = app.window.session
    assert page.full_heading.text() == "Full session  ·  2 parts  ·  4 s"
    assert "Paid part-one" in page.full_list.text() and "$20" in page.full_status.text()
    assert page.key_button.isVisible() and not page.full_button.isVisible()
    assert page.key_button.text() == "Enter license key…  K"  # every button shows its key
    assert page.key_button.accessibleName() == "Enter license key…"
    assert not app.start_session("paid-demo", full=True)


def test_dialog_explains_errors_then_unlocks(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    open_session_page(qtbot, app)
    dialog = LicenseDialog(app.keys.unlock, app.window)
    qtbot.addWidget(dialog)
    key = paid.key()
    dialog.key_edit.setPlainText(key[:40] + ("2" if key[40] != "2" else "3") + key[41:])
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)
    assert "looks mistyped" in dialog.error.text() and dialog.license is None
    dialog.key_edit.setPlainText(key.lower().replace("-", " "))
    dialog._try_unlock()
    assert dialog.license is not None and dialog.result() == LicenseDialog.DialogCode.Accepted
    page = app.window.session
    assert "Licensed to Ada  ·  license 7" in page.full_status.text()
    assert page.full_button.isVisible() and not page.key_button.isVisible()
    assert "(unlocked)" in app.window.library.list.item(0).text()


def test_paid_parts_play_with_checkins(qtbot: QtBot, app: App, paid: PaidSession, backend: FakeBackend) -> None:
    app.keys.unlock(paid.key())
    open_session_page(qtbot, app)
    qtbot.keyClick(app.window.session, Qt.Key.Key_Return)
    assert app.window.player.snippet_title.text() == "Paid part-one" and backend.loaded == "part-one.mpe"
    backend.advance(2500)
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=2000)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_4)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Return)
    assert backend.loaded == "part-two.mpe"
    run = app.journal.runs()[0]
    assert [(c.snippet_id, c.answers.discomfort) for c in app.journal.checkins(run.id)] == [("part-one", 4)]


def test_dropping_a_license_file_unlocks(qtbot: QtBot, app: App, paid: PaidSession, tmp_path: Path) -> None:
    license_file = tmp_path / "my.key"
    license_file.write_text("# bought today\n" + paid.key(licensee="Cy"))
    app.unlock_with_file(license_file)
    assert app.window.pages.currentWidget() is app.window.session
    assert "Licensed to Cy" in app.window.session.full_status.text()


def test_dropping_a_wrong_file_says_why(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))
    (tmp_path / "notes.txt").write_text("shopping list")
    app.unlock_with_file(tmp_path / "notes.txt")
    assert told and told[0].startswith("notes.txt did not unlock anything:")


def test_key_survives_restart_and_can_be_removed(qtbot: QtBot, paid: PaidSession, backend: FakeBackend,
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(qtbot, paid, backend, tmp_path / "data")
    first.keys.unlock(paid.key())
    first.shut_down()
    again = build(qtbot, paid, FakeBackend(), tmp_path / "data")
    assert "paid-demo" in again.licenses
    open_session_page(qtbot, again)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    again.window.session.remove_button.click()
    assert again.licenses == {} and "Locked" in again.window.session.full_status.text()
    again.shut_down()


def test_enter_in_the_key_field_unlocks(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    dialog = LicenseDialog(app.keys.unlock, app.window)
    qtbot.addWidget(dialog)
    dialog.key_edit.setPlainText(paid.key())
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)
    assert dialog.license is not None and "paid-demo" in app.licenses


def test_patched_app_that_skips_the_license_check_still_cannot_play(qtbot: QtBot, app: App, paid: PaidSession,
                                                                   backend: FakeBackend) -> None:
    """Pretend the check was patched out: a License with any key but the real one is forced in."""
    genuine = app.keys.unlock(paid.key())
    app.licenses["paid-demo"] = replace(genuine, content_key=bytes(16))
    assert app.start_session("paid-demo", full=True)
    qtbot.waitUntil(lambda: app.controller is not None and app.controller.state.phase is Phase.FAILED, timeout=2_000)
    assert "this key does not unlock this media" in app.window.player.error_label.text()
    assert not backend.is_playing()


def test_dropping_a_key_during_practice_does_not_leave_the_player(qtbot: QtBot, app: App, paid: PaidSession,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))
    assert app.start_session("paid-demo")
    license_file = tmp_path / "my.key"
    license_file.write_text(paid.key(licensee="Di"))
    app.unlock_with_file(license_file)
    assert app.window.pages.currentWidget() is app.window.player
    assert "paid-demo" in app.licenses and "licensed to Di" in told[0]


def test_group_span_counts_groups_as_the_key_reader_does() -> None:
    assert group_span("MP1-AAAAA-BBBBB-CCCCC", 2) == (10, 15)
    assert group_span("aaaaa bbbbb\nccccc", 3) == (12, 17)
    assert group_span("mpl-AAAAA-BBBBB", 1) == (4, 9)  # the prefix with L for 1 is still the prefix
    assert group_span("MP1-AAAAA", 2) is None and group_span("MP1-AAAAA", 0) is None


def test_the_mistyped_group_is_highlighted_until_mended(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    dialog = LicenseDialog(app.keys.unlock, app.window)
    qtbot.addWidget(dialog)
    key = paid.key()
    wrong = key[:40] + ("2" if key[40] != "2" else "3") + key[41:]  # in group 7 (after "MP1-")
    dialog.key_edit.setPlainText(wrong)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)
    assert "Group 7" in dialog.error.text()
    marks = dialog.key_edit.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == wrong[40:45]
    assert dialog.key_edit.textCursor().position() == 40
    dialog.key_edit.insertPlainText("x")
    assert dialog.key_edit.extraSelections() == []


def test_remove_key_defaults_to_no(qtbot: QtBot, app: App, paid: PaidSession) -> None:
    license_ = app.keys.unlock(paid.key())
    open_session_page(qtbot, app)
    seen: list[str] = []

    def answer_with_the_default() -> None:  # what Enter (or Space on it) does, once the question shows
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, answer_with_the_default)
            return
        seen.append(boxes[0].defaultButton().text())
        boxes[0].defaultButton().click()

    QTimer.singleShot(0, answer_with_the_default)
    app.window.session.remove_button.click()
    assert seen and "No" in seen[0]
    assert license_.session_id in app.licenses and "Licensed to" in app.window.session.full_status.text()
