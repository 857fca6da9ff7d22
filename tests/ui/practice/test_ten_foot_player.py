"""The player read from a few steps away: large title, "2 of 4" and time left (also fullscreen, controls
hidden), a large Paused banner, a brief confirmation of every practice change, toggles that show their state,
a few primary buttons and a practice drawer; a failed snippet is marked as failed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.practice import Loop
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.practice.player_parts import PracticeState, practice_change_text
from player.ui.style import STYLESHEET
from tests.conftest import NO_COUNTDOWN
from tests.ui.practice.test_session import make_library


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"one.mp4": 20_000, "two.mp4": 20_000, "three.mp4": 20_000})


def build(qtbot: QtBot, tmp_path: Path, backend: FakeBackend, *, broken: str = "") -> App:
    QApplication.instance().setStyleSheet(STYLESHEET)  # type: ignore[union-attr]
    app = App(settings=NO_COUNTDOWN, entries=make_library(tmp_path / "lib", broken=broken),
              journal=Journal.open(tmp_path / "journal.db"), backend=backend,
              licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(app.window)
    app.window.show()
    qtbot.waitExposed(app.window)
    app.window.activateWindow()
    return app


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    application = build(qtbot, tmp_path, backend)
    assert application.start_session("demo")
    yield application
    application.shut_down()
    QApplication.instance().setStyleSheet("")  # type: ignore[union-attr]


def key(qtbot: QtBot, app: App, name: str) -> None:
    qtbot.keyClick(app.window.player, getattr(Qt.Key, f"Key_{name}"))


def test_each_practice_change_is_confirmed_on_screen(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    player = app.window.player
    assert player.osd.isHidden()  # nothing to confirm at the start
    expected = [("BracketLeft", "Speed 0.9×"), ("M", "Mirror on"), ("C", "Cues off"), ("Down", "Volume 70%"),
                ("0", "Muted"), ("0", "Volume 70%"), ("M", "Mirror off"), ("BracketRight", "Speed 1×")]
    for name, text in expected:
        key(qtbot, app, name)
        assert player.osd.isVisible() and player.osd.text() == text, name
    backend.advance(4000)
    key(qtbot, app, "L")
    assert player.osd.text() == "Loop from 0:04 — L again marks the end"
    backend.advance(5000)
    key(qtbot, app, "L")
    assert player.osd.text() == "Loop 0:04–0:09"
    key(qtbot, app, "L")
    assert player.osd.text() == "Loop off"
    player._osd_timer.setInterval(30)
    key(qtbot, app, "BracketRight")
    qtbot.waitUntil(player.osd.isHidden, timeout=1000)  # brief: it goes by itself


def test_change_text_names_only_what_changed() -> None:
    base = PracticeState(rate=1.0, mirrored=False, loop=None, cues_visible=True, volume_percent=80, muted=False)
    assert practice_change_text(None, base) == ""
    assert practice_change_text(base, base) == ""
    from dataclasses import replace
    assert practice_change_text(base, replace(base, rate=1.25)) == "Speed 1.25×"
    assert practice_change_text(base, replace(base, loop=Loop(4000, 9000))) == "Loop 0:04–0:09"
    assert practice_change_text(base, replace(base, muted=True)) == "Muted"


def test_toggles_show_their_state(qtbot: QtBot, app: App) -> None:
    toggles = app.window.player.toggles
    assert all(b.isCheckable() for b in toggles.values())
    assert toggles["cues"].isChecked() and not toggles["mirror"].isChecked() and not toggles["mute"].isChecked()
    key(qtbot, app, "M")
    key(qtbot, app, "0")
    key(qtbot, app, "C")
    assert toggles["mirror"].isChecked() and toggles["mute"].isChecked() and not toggles["cues"].isChecked()
    app.window.player.toggle_drawer()
    toggles["mirror"].click()  # a click goes through the session too, and shows its answer
    assert app.controller is not None
    assert not toggles["mirror"].isChecked() and not app.controller.settings.mirrored
    key(qtbot, app, "L")
    assert toggles["loop"].isChecked()
    on, off = toggles["loop"].grab().toImage(), toggles["mirror"].grab().toImage()
    assert on.pixelColor(on.width() // 2, 4) != off.pixelColor(off.width() // 2, 4)  # filled when on


def test_a_large_paused_banner(qtbot: QtBot, app: App) -> None:
    player = app.window.player
    assert player.paused_banner.isHidden()
    key(qtbot, app, "Space")
    assert player.paused_banner.isVisible() and "Paused" in player.paused_banner.text()
    assert QFontInfo(player.paused_banner.font()).pixelSize() >= 32
    key(qtbot, app, "Space")
    assert player.paused_banner.isHidden()


def test_a_few_primary_buttons_and_the_rest_in_the_drawer(qtbot: QtBot, app: App) -> None:
    player = app.window.player
    shown = [b for b in player.findChildren(QPushButton) if b.isVisible()]
    names = [b.accessibleName() for b in shown]
    assert names == ["← Library", "◀◀ 5 s", "❚❚ Pause", "End snippet, check in", "☰ Practice", "Fullscreen"]
    assert player.drawer.isHidden()
    key(qtbot, app, "P")
    assert player.drawer.isVisible() and player.drawer_button.isChecked()
    in_drawer = {b.accessibleName() for b in player.drawer.findChildren(QPushButton)}
    assert {"⟲ Replay", "5 s ▶▶", "Slower", "Faster", "Mirror", "Loop", "Cues", "Vol −", "Vol +", "Mute",
            "Keys"} == in_drawer
    key(qtbot, app, "P")
    assert player.drawer.isHidden()


def test_title_counter_and_time_left_are_large_and_stay_in_fullscreen(qtbot: QtBot, app: App,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window, player = app.window, app.window.player
    normal = {label: QFontInfo(label.font()).pixelSize() for label in (player.remaining, player.counter)}
    assert all(size >= 28 for size in normal.values())
    monkeypatch.setattr(window, "toggle_fullscreen", lambda: window.resize(1920, 1080))
    monkeypatch.setattr(window, "isFullScreen", lambda: True)
    player._hide_timer.setInterval(50)
    app.toggle_fullscreen()
    qtbot.waitUntil(lambda: window.width() == 1920 and not player.controls_visible(), timeout=2000)
    labels: list[QLabel] = [player.snippet_title, player.remaining, player.counter]
    for label in labels:
        assert label.isVisible(), label.objectName()
        assert QFontInfo(label.font()).pixelSize() >= 32, label.objectName()
        assert label.height() >= 32 and label.fontMetrics().height() >= 32, label.objectName()
    assert player.snippet_title.text() == "First movement" and player.counter.text() == "1 of 3"
    qtbot.waitUntil(lambda: not player.controls_visible(), timeout=2000)
    qtbot.keyClick(player, Qt.Key.Key_M)  # a shortcut key wakes the controls, and its confirmation shows
    assert player.controls_visible() and player.osd.isVisible() and player.osd.text() == "Mirror on"
    qtbot.waitUntil(lambda: not player.controls_visible(), timeout=2000)
    key(qtbot, app, "Space")
    assert player.paused_banner.isVisible()  # paused, with the controls hidden again: still said, large
    qtbot.waitUntil(lambda: not player.controls_visible(), timeout=2000)
    assert player.paused_banner.isVisible() and player.remaining.isVisible()


def test_a_failed_snippet_is_marked_failed_and_its_message_is_not_clipped(qtbot: QtBot, tmp_path: Path,
                                                                         backend: FakeBackend) -> None:
    app = build(qtbot, tmp_path, backend, broken="one.mp4")
    app.window.resize(1024, 600)
    assert app.start_session("demo")
    assert app.controller is not None
    qtbot.waitUntil(lambda: app.controller.state.phase is Phase.FAILED, timeout=2000)  # type: ignore[union-attr]
    player = app.window.player
    qtbot.wait(50)
    label = player.error_label
    assert label.isVisible() and label.height() >= label.heightForWidth(label.width())  # all its lines
    go_on = next(b for b in player.error_panel.findChildren(QPushButton) if b.objectName() == "primary")
    below = go_on.mapTo(player.error_panel, go_on.rect().topLeft()).y()
    assert label.mapTo(player.error_panel, label.rect().bottomLeft()).y() < below  # not behind the buttons
    qtbot.keyClick(player, Qt.Key.Key_Return)  # go on
    assert player.snippets.item(0).text().startswith("✗") and player.snippets.item(1).text().startswith("▶")
    for _ in range(2):
        qtbot.keyClick(player, Qt.Key.Key_N)
        qtbot.keyClick(app.window.checkin.save_button, Qt.Key.Key_Escape)
    summary = app.window.summary
    assert app.window.pages.currentWidget() is summary
    assert summary.table.item(0, 1).text() == "✗ could not be played"
    assert "1 could not be played" in summary.subtitle.text() and "2 skipped" in summary.subtitle.text()
    app.shut_down()
