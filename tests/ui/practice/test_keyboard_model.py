"""The keyboard model (README, Keyboard): a key does one thing on each page; dialogs keep their own keys;
arrows change only what has the keyboard; focus lands on each page's primary action with a visible ring."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import builtin_root, scan_library
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.practice import checkin_page
from player.ui.shared.dialog_keys import ESC_QUIET_S
from player.ui.shared.question_inputs import BodyInput, MeasureInput, ScaleInput
from player.ui.shared.shortcuts import ShortcutsDialog
from player.ui.style import STYLESHEET
from tests.conftest import NO_COUNTDOWN
from tests.ui.practice.test_session import make_library


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"one.mp4": 20_000, "two.mp4": 20_000, "three.mp4": 20_000})


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    QApplication.instance().setStyleSheet(STYLESHEET)  # type: ignore[union-attr]
    journal = Journal.open(tmp_path / "data" / "journal.db")
    application = App(settings=NO_COUNTDOWN, entries=make_library(tmp_path / "lib"), journal=journal,
                      backend=backend, licenses=LicenseStore(tmp_path / "data" / "licenses"),
                      now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    qtbot.addWidget(application.window)
    application.window.show()
    qtbot.waitExposed(application.window)
    application.window.activateWindow()
    yield application
    application.shut_down()
    QApplication.instance().setStyleSheet("")  # type: ignore[union-attr]


Presses = list[str]


def press(qtbot: QtBot, app: App, name: str, *, count: Presses | None = None,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press and release to whatever has the keyboard, as a person would give it."""
    target = QApplication.focusWidget() or app.window.pages.currentWidget()
    qtbot.keyClick(target, getattr(Qt.Key, f"Key_{name}"), modifier)
    if count is not None:
        count.append(name if modifier == Qt.KeyboardModifier.NoModifier else f"Alt+{name}")


def to_checkin(qtbot: QtBot, app: App) -> checkin_page.CheckinPage:
    assert app.start_session("demo")
    press(qtbot, app, "N")
    checkin = app.window.checkin
    assert app.window.pages.currentWidget() is checkin
    return checkin


def scale(checkin: checkin_page.CheckinPage, question_id: str) -> ScaleInput:
    widget = checkin.inputs[question_id]
    assert isinstance(widget, ScaleInput)
    return widget


def test_arrows_on_ease_never_change_discomfort(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    discomfort, ease = scale(checkin, "discomfort"), scale(checkin, "ease")
    press(qtbot, app, "6")
    press(qtbot, app, "Tab")
    press(qtbot, app, "Tab")
    assert QApplication.focusWidget() is ease
    for name in ("Right", "Right", "Left", "Up", "Down"):  # ↑ ↓ move between answers, changing none
        if QApplication.focusWidget() is not ease:
            ease.setFocus()
        press(qtbot, app, name)
    assert discomfort.value() == 6  # was 8 in issue 11 (arrows went to discomfort whatever had focus)
    # → from no answer starts at the low end (1), → 2, ← 1; ↑ takes the keyboard to discomfort and ↓ (from ease
    # again) on to the areas: neither changes a rating
    assert ease.value() == 1


def test_an_unanswered_rating_never_becomes_a_number_by_stepping_down(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    discomfort, ease = scale(checkin, "discomfort"), scale(checkin, "ease")
    discomfort.setFocus()
    for name in ("Left", "Down", "Up", "Minus"):
        discomfort.setFocus()
        press(qtbot, app, name)
    ease.setFocus()
    press(qtbot, app, "Left")
    assert discomfort.value() is None and ease.value() is None
    checkin.save_button.setFocus()
    for name in ("Left", "Right", "Up", "Down"):  # on Save: arrows move the keyboard, never an answer
        press(qtbot, app, name)
    assert discomfort.value() is None and ease.value() is None


def test_every_ease_value_has_a_key_and_digits_set_discomfort_including_ten(
        qtbot: QtBot, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    checkin = to_checkin(qtbot, app)
    discomfort, ease = scale(checkin, "discomfort"), scale(checkin, "ease")
    for value in range(1, 6):
        press(qtbot, app, str(value), modifier=Qt.KeyboardModifier.AltModifier)
        assert ease.value() == value
    assert discomfort.value() is None  # Alt+digit is ease's, not discomfort's
    clock = [100.0]
    monkeypatch.setattr(checkin_page.time, "monotonic", lambda: clock[0])
    press(qtbot, app, "1")
    press(qtbot, app, "0")
    assert discomfort.value() == 10
    press(qtbot, app, "1")
    clock[0] += 1.5  # later than a second: 0 means 0
    press(qtbot, app, "0")
    assert discomfort.value() == 0
    press(qtbot, app, "7")
    assert discomfort.value() == 7 and ease.value() == 5


def test_the_page_names_its_direct_keys(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    assert checkin.keys_hint.isVisible()
    hint = checkin.keys_hint.text()
    assert "discomfort" in hint and "Alt+1–5 ease" in hint


def test_tab_starts_at_the_top_of_the_form_and_save_shows_a_ring(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    save = checkin.save_button
    assert QApplication.focusWidget() is save
    ring = save.grab().toImage()
    checkin.skip_button.setFocus()
    plain = save.grab().toImage()
    assert ring != plain, "Save looks the same with and without the keyboard"
    save.setFocus()
    order = []
    for _ in range(4):
        press(qtbot, app, "Tab")
        order.append(QApplication.focusWidget())
    body = checkin.inputs["body-areas"]
    assert isinstance(body, BodyInput)
    assert order[:3] == [scale(checkin, "discomfort"), scale(checkin, "ease"), body.buttons["big-toe-left"]]
    assert order[3] is checkin.inputs["note"]  # the 26 areas are one Tab stop (← / → inside)


def test_one_sided_areas_never_look_chosen(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    body = checkin.inputs["body-areas"]
    assert isinstance(body, BodyInput)
    for area in ("lower-back", "neck", "pelvis-sacrum", "mid-back", "upper-back"):
        button = body.buttons[area]
        assert "✓" not in button.text() and not button.isChecked() and button.text()
    body.buttons["big-toe-left"].setFocus()
    press(qtbot, app, "Right")
    press(qtbot, app, "Right")
    press(qtbot, app, "Space")
    assert body.value() == ["arch-left"]


def test_after_the_gentler_note_enter_continues_from_the_form(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    checkin = to_checkin(qtbot, app)
    press(qtbot, app, "7")
    note = checkin.inputs["note"]
    assert isinstance(note, QWidget)
    note.setFocus()
    press(qtbot, app, "Return")
    assert checkin.showing_gentle()
    press(qtbot, app, "Return")  # focus was in the note (now disabled): Enter still goes on
    assert app.window.pages.currentWidget() is app.window.player
    assert app.window.player.counter.text() == "2 of 3"


def test_a_full_checkin_by_keys_alone(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    """Discomfort, ease, one area, save: 7 key presses (README: Keyboard)."""
    to_checkin(qtbot, app)
    count: Presses = []
    press(qtbot, app, "3", count=count)
    press(qtbot, app, "4", count=count, modifier=Qt.KeyboardModifier.AltModifier)
    for _ in range(3):
        press(qtbot, app, "Tab", count=count)  # discomfort, ease, the areas (big toe, left)
    press(qtbot, app, "Space", count=count)
    press(qtbot, app, "Return", count=count)
    assert app.window.player.counter.text() == "2 of 3"
    assert len(count) == 7
    rows = app.journal.checkins(app.controller.run.id)  # type: ignore[union-attr]
    answers = rows[0].answers
    assert (answers.discomfort, answers.ease, answers.body_areas) == (3, 4, ("big-toe-left",))


def close_next_dialog_with(qtbot: QtBot, key: Qt.Key, seen: list[str], *, release: bool = True) -> None:
    """Once a modal dialog is up: Esc's press (and its release, unless ``release`` is False) to it."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        seen.append(type(dialog).__name__)
        target = dialog.focusWidget() or dialog
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier))
        seen.append("open after press" if dialog.isVisible() else "closed on press")
        if release:
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier))
            seen.append("open after release" if dialog.isVisible() else "closed on release")
        if dialog.isVisible():
            dialog.reject()
    QTimer.singleShot(20, act)


def test_esc_on_the_shortcuts_overlay_closes_only_the_overlay(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    app.window.shortcuts_action.trigger()  # F1
    assert seen == ["ShortcutsDialog", "open after press", "closed on release"]
    assert app.window.pages.currentWidget() is checkin
    assert app.journal.checkins(app.controller.run.id) == []  # type: ignore[union-attr]  # not skipped
    qtbot.waitUntil(lambda: checkin.isAncestorOf(QApplication.focusWidget()), timeout=2000)  # keyboard back


def test_the_overlay_pauses_the_video(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    assert app.start_session("demo")
    assert backend.is_playing()
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    press(qtbot, app, "Question")
    assert seen[0] == "ShortcutsDialog"
    assert not backend.is_playing() and app.controller is not None and app.controller.state.paused
    assert app.window.pages.currentWidget() is app.window.player


@pytest.mark.parametrize("make", [
    lambda parent: ShortcutsDialog(parent),
    lambda parent: QMessageBox(QMessageBox.Icon.Question, "Sure?", "Sure?",
                               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent),
])
def test_any_dialog_holds_esc_until_release_and_the_page_never_sees_it(
        qtbot: QtBot, app: App, make: Callable[[QWidget], QDialog]) -> None:
    checkin = to_checkin(qtbot, app)
    skipped: list[bool] = []
    checkin.skipped.connect(lambda: skipped.append(True))
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    app.window.modal(make(app.window))
    assert seen[1:] == ["open after press", "closed on release"]
    assert skipped == []
    qtbot.waitUntil(lambda: checkin.isAncestorOf(QApplication.focusWidget()), timeout=2000)
    qtbot.wait(int(ESC_QUIET_S * 1000) + 100)
    press(qtbot, app, "Escape")  # with no dialog, Esc is the page's again
    assert skipped == [True]


def test_esc_held_to_close_the_overlay_does_not_skip_the_checkin(qtbot: QtBot, app: App) -> None:
    """Seen under X11: holding Esc on the overlay closed it, then the key's auto-repeat skipped the check-in."""
    checkin = to_checkin(qtbot, app)
    skipped: list[bool] = []
    checkin.skipped.connect(lambda: skipped.append(True))
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    app.window.shortcuts_action.trigger()
    assert seen[-1] == "closed on release"
    qtbot.waitUntil(lambda: checkin.isAncestorOf(QApplication.focusWidget()), timeout=2000)
    target = QApplication.focusWidget()
    for repeat in (True, False, True):  # auto-repeat, also when the X server reports it as fresh presses
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_Escape,
                                                 Qt.KeyboardModifier.NoModifier, "", repeat))
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape,
                                                 Qt.KeyboardModifier.NoModifier, "", repeat))
        qtbot.wait(50)
    assert skipped == [] and app.window.pages.currentWidget() is checkin
    assert app.journal.checkins(app.controller.run.id) == []  # type: ignore[union-attr]


def test_focus_lands_on_each_pages_primary_action(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    library = app.window.library
    assert app.open_session("demo")
    session = app.window.session
    assert QApplication.focusWidget() is session.preview_button
    press(qtbot, app, "Return")
    assert app.window.pages.currentWidget() is app.window.player
    for _ in range(3):
        press(qtbot, app, "N")
        press(qtbot, app, "Escape")
    summary = app.window.summary
    assert app.window.pages.currentWidget() is summary
    assert QApplication.focusWidget() is summary.back_button
    press(qtbot, app, "Return")
    assert app.window.pages.currentWidget() is library
    assert QApplication.focusWidget() is library.list  # ↓ and Enter work at once, no Tab first
    press(qtbot, app, "Down")
    press(qtbot, app, "Return")
    assert app.window.pages.currentWidget() is session


def test_primary_buttons_show_a_focus_ring(qtbot: QtBot, app: App) -> None:
    assert app.open_session("demo")
    button = app.window.session.preview_button
    assert isinstance(button, QPushButton) and button.hasFocus()
    ring = button.grab().toImage()
    app.window.session.key_button.setFocus()
    assert button.grab().toImage() != ring



def test_esc_in_edit_checkin_closes_only_the_dialog(qtbot: QtBot, app: App) -> None:
    """Issue 11: Esc in "Edit check-in" also went back two levels, to the library."""
    to_checkin(qtbot, app)
    press(qtbot, app, "4")
    press(qtbot, app, "Return")
    app.show_library()
    app.show_journal()
    assert app.journal_view is not None
    page = app.journal_view.page
    run_id = app.journal.runs()[0].id
    items = page.history.run_items()
    page.history.tree.setCurrentItem(next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole + 1) == run_id))
    qtbot.keyClick(page.history.tree, Qt.Key.Key_Return)
    assert page.history.showing_detail()
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    qtbot.keyClick(page.history.detail.table, Qt.Key.Key_E)
    assert seen == ["CheckinEditDialog", "open after press", "closed on release"]
    assert app.window.pages.currentWidget() is page and page.history.showing_detail()
    assert app.journal.checkins(run_id)[0].answers.discomfort == 4  # cancelled: unchanged


@pytest.mark.parametrize("rights", [0, 1, 5])
def test_tab_and_shift_tab_leave_the_areas_from_whichever_area_has_the_keyboard(
        qtbot: QtBot, app: App, rights: int) -> None:
    checkin = to_checkin(qtbot, app)
    body = checkin.inputs["body-areas"]
    assert isinstance(body, BodyInput)
    press(qtbot, app, "7")
    for _ in range(3):  # from Save: discomfort, ease, the areas
        press(qtbot, app, "Down")
    assert body.isAncestorOf(QApplication.focusWidget())
    for _ in range(rights):
        press(qtbot, app, "Right")
    assert QApplication.focusWidget() is list(body.buttons.values())[rights]
    press(qtbot, app, "Tab")
    assert QApplication.focusWidget() is checkin.inputs["note"]
    for _ in range(rights):  # back into the areas, on from the same area
        press(qtbot, app, "Up")
        press(qtbot, app, "Right")
        press(qtbot, app, "Tab")
        assert QApplication.focusWidget() is checkin.inputs["note"]
    press(qtbot, app, "Up")
    for _ in range(rights):
        press(qtbot, app, "Right")
    press(qtbot, app, "Backtab")
    assert QApplication.focusWidget() is scale(checkin, "ease")
    assert scale(checkin, "discomfort").value() == 7


def test_question_mark_on_the_checkin_opens_the_shortcuts_overlay(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)
    press(qtbot, app, "Question")
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=2000)
    assert seen == ["ShortcutsDialog", "open after press", "closed on release"]
    assert app.window.pages.currentWidget() is checkin
    assert app.journal.checkins(app.controller.run.id) == []  # type: ignore[union-attr]  # not skipped
    note = checkin.inputs["note"]
    assert isinstance(note, QWidget)
    qtbot.waitUntil(lambda: checkin.isAncestorOf(QApplication.focusWidget()), timeout=2000)  # keyboard back
    note.setFocus()
    press(qtbot, app, "Question")  # in the note, ? is text
    assert checkin.answers().note == "?"


def give_answers(qtbot: QtBot, app: App, checkin: checkin_page.CheckinPage) -> None:
    """Discomfort 3, ease 4, the left big toe and a note, by keys."""
    press(qtbot, app, "3")
    press(qtbot, app, "4", modifier=Qt.KeyboardModifier.AltModifier)
    body = checkin.inputs["body-areas"]
    assert isinstance(body, BodyInput)
    body.buttons["big-toe-left"].setFocus()
    press(qtbot, app, "Space")
    note = checkin.inputs["note"]
    assert isinstance(note, QWidget)
    note.setFocus()
    qtbot.keyClicks(note, "left knee warm")


def test_repeat_keeps_the_answers_given_and_save_saves_them(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    give_answers(qtbot, app, checkin)
    checkin.save_button.setFocus()
    press(qtbot, app, "R")
    assert app.window.pages.currentWidget() is app.window.player  # the snippet plays again
    press(qtbot, app, "N")
    assert app.window.pages.currentWidget() is checkin
    answers = checkin.answers()
    assert (answers.discomfort, answers.ease, answers.body_areas, answers.note) == \
        (3, 4, ("big-toe-left",), "left knee warm")
    press(qtbot, app, "Return")
    rows = app.journal.checkins(app.controller.run.id)  # type: ignore[union-attr]
    saved = rows[0].answers
    assert (saved.discomfort, saved.ease, saved.body_areas, saved.note) == (3, 4, ("big-toe-left",), "left knee warm")
    # The next snippet's check-in starts empty: the draft belonged to the first.
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.player, timeout=2000)
    press(qtbot, app, "N")
    assert app.window.pages.currentWidget() is checkin
    assert checkin.answers().discomfort is None and checkin.answers().note == ""


def answer_next_box_with(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    """Once a message box is up: note its text, then click its button named ``button_text``."""
    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        seen.extend(sorted(b.text() for b in box.buttons()))
        seen.append(f"default {box.defaultButton().text()}, Esc {box.escapeButton().text()}")
        next(b for b in box.buttons() if b.text() == button_text).click()
    QTimer.singleShot(20, act)


def test_esc_with_answers_given_asks_first_and_keep_answering_keeps_them(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    skipped: list[bool] = []
    checkin.skipped.connect(lambda: skipped.append(True))
    give_answers(qtbot, app, checkin)
    checkin.save_button.setFocus()
    seen: list[str] = []
    close_next_dialog_with(qtbot, Qt.Key.Key_Escape, seen)  # Esc in the question: Keep answering
    press(qtbot, app, "Escape")
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=2000)
    assert seen == ["QMessageBox", "open after press", "closed on release"]
    assert skipped == [] and app.window.pages.currentWidget() is checkin
    answers = checkin.answers()
    assert (answers.discomfort, answers.ease, answers.note) == (3, 4, "left knee warm")
    assert app.journal.checkins(app.controller.run.id) == []  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: checkin.isAncestorOf(QApplication.focusWidget()), timeout=2000)  # keyboard back
    asked: list[str] = []
    answer_next_box_with(qtbot, "Keep answering", asked)
    checkin.skip_button.click()
    assert asked == ["Skip this check-in? The answers you gave will not be saved.", "Keep answering", "Skip",
                     "default Keep answering, Esc Keep answering"]
    assert skipped == []
    answer_next_box_with(qtbot, "Skip", asked)
    qtbot.wait(int(ESC_QUIET_S * 1000) + 100)
    press(qtbot, app, "Escape")
    assert skipped == [True]


def test_esc_with_no_answers_skips_at_once(qtbot: QtBot, app: App) -> None:
    checkin = to_checkin(qtbot, app)
    skipped: list[bool] = []
    checkin.skipped.connect(lambda: skipped.append(True))
    press(qtbot, app, "Escape")
    assert skipped == [True] and QApplication.activeModalWidget() is None


def test_repeat_keeps_a_custom_answer_too(qtbot: QtBot, tmp_path: Path) -> None:
    application = App(settings=NO_COUNTDOWN, entries=scan_library([builtin_root()]),
                      journal=Journal.open(tmp_path / "journal.db"), backend=FakeBackend(),
                      licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(application.window)
    application.window.show()
    qtbot.waitExposed(application.window)
    application.window.activateWindow()
    try:
        assert application.start_session("foot-spine-connections")
        qtbot.waitUntil(lambda: application.window.player.isAncestorOf(QApplication.focusWidget()), timeout=2000)
        checkin = application.window.checkin
        for _ in range(3):  # to the toe-touch test, whose check-in asks "reach-after" (a custom measure)
            press(qtbot, application, "N")
            press(qtbot, application, "Escape")
        press(qtbot, application, "Escape")  # its before question: start without
        press(qtbot, application, "N")
        reach = checkin.inputs["reach-after"]
        assert isinstance(reach, MeasureInput)
        reach.edit.setText("-3.5")
        checkin.save_button.setFocus()
        press(qtbot, application, "R")
        press(qtbot, application, "N")
        reach = checkin.inputs["reach-after"]
        assert isinstance(reach, MeasureInput) and reach.value() == -3.5
        press(qtbot, application, "Return")
        run_id = application.journal.runs()[0].id
        assert dict(application.journal.checkins(run_id)[3].answers.extra) == {"reach-after": -3.5}
    finally:
        application.shut_down()
