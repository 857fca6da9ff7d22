"""Questions asked before a snippet plays (``when = "before"``): the built-in toe-touch test asks the reach
before rolling the sole, plays, then asks the reach after; both go to the journal and trends pair them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from player.core.journal.review import SessionCatalog, snippet_trends
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import builtin_root, scan_library
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.shared.question_inputs import MeasureInput
from tests.conftest import NO_COUNTDOWN

TOE_TOUCH = 3  # the fourth snippet of Foot-Spine Connections


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    application = App(settings=NO_COUNTDOWN, entries=scan_library([builtin_root()]),
                      journal=Journal.open(tmp_path / "journal.db"), backend=backend,
                      licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(application.window)
    application.window.show()
    qtbot.waitExposed(application.window)
    application.window.activateWindow()
    yield application
    application.shut_down()


def press(qtbot: QtBot, app: App, key: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or app.window.pages.currentWidget(), key)


def measure(app: App, question_id: str) -> MeasureInput:
    widget = app.window.checkin.inputs[question_id]
    assert isinstance(widget, MeasureInput)
    return widget


def to_toe_touch(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    assert app.start_session("foot-spine-connections") and app.controller is not None
    for _ in range(TOE_TOUCH):
        press(qtbot, app, Qt.Key.Key_N)
        press(qtbot, app, Qt.Key.Key_Escape)
    assert app.controller.state.phase is Phase.BEFORE and app.controller.state.index == TOE_TOUCH


def test_reach_before_is_asked_before_the_snippet_and_after_at_its_checkin(qtbot: QtBot, app: App,
                                                                          backend: FakeBackend) -> None:
    to_toe_touch(qtbot, app, backend)
    checkin = app.window.checkin
    assert app.window.pages.currentWidget() is checkin and checkin.asking_before
    assert list(checkin.inputs) == ["reach-before"]
    assert checkin.heading.text() == "Before you start" and "Toe-touch test" in checkin.snippet_label.text()
    assert not backend.is_playing()
    measure(app, "reach-before").edit.setFocus()
    qtbot.keyClicks(measure(app, "reach-before").edit, "-8")
    press(qtbot, app, Qt.Key.Key_Return)
    assert app.window.pages.currentWidget() is app.window.player and backend.is_playing()
    assert backend.loaded is not None and backend.loaded.endswith("04-toe-touch-test.mp4")
    press(qtbot, app, Qt.Key.Key_N)
    assert not checkin.asking_before and "reach-before" not in checkin.inputs and "reach-after" in checkin.inputs
    measure(app, "reach-after").edit.setText("-3.5")
    press(qtbot, app, Qt.Key.Key_3)  # the focus is on Save: the digit is discomfort's
    checkin.save_button.setFocus()
    press(qtbot, app, Qt.Key.Key_Return)
    assert app.window.pages.currentWidget() is app.window.summary
    assert "toe-touch before: -8 cm" in app.window.summary.table.item(TOE_TOUCH, 4).text()
    run_id = app.journal.runs()[0].id
    saved = app.journal.checkins(run_id)[TOE_TOUCH]
    assert saved.snippet_id == "toe-touch-test" and not saved.skipped
    assert dict(saved.answers.extra) == {"reach-before": -8.0, "reach-after": -3.5}
    catalog = SessionCatalog.from_sessions(e.session for e in app.entries if e.session is not None)
    trend = snippet_trends(app.journal, catalog=catalog, snippet_id="toe-touch-test")[0]
    pair = trend.pairs[0]
    assert (pair.pair, [(p.before, p.after) for p in pair.points]) == ("toe-touch", [(-8.0, -3.5)])


def test_esc_starts_without_the_before_answers_and_a_replay_does_not_ask_again(qtbot: QtBot, app: App,
                                                                                backend: FakeBackend) -> None:
    to_toe_touch(qtbot, app, backend)
    press(qtbot, app, Qt.Key.Key_Escape)  # start without answering
    assert app.window.pages.currentWidget() is app.window.player and backend.is_playing()
    press(qtbot, app, Qt.Key.Key_R)  # replay: straight back into the snippet
    assert app.window.pages.currentWidget() is app.window.player and backend.is_playing()
    press(qtbot, app, Qt.Key.Key_N)
    press(qtbot, app, Qt.Key.Key_Escape)  # and skip the check-in too
    saved = app.journal.checkins(app.journal.runs()[0].id)[TOE_TOUCH]
    assert saved.skipped and dict(saved.answers.extra) == {}


def test_a_skipped_checkin_keeps_the_before_answer(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    to_toe_touch(qtbot, app, backend)
    measure(app, "reach-before").edit.setText("4")
    press(qtbot, app, Qt.Key.Key_Return)
    press(qtbot, app, Qt.Key.Key_N)
    press(qtbot, app, Qt.Key.Key_Escape)
    saved = app.journal.checkins(app.journal.runs()[0].id)[TOE_TOUCH]
    assert saved.skipped and dict(saved.answers.extra) == {"reach-before": 4.0}
