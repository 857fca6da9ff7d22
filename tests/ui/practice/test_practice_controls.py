"""Practice controls with the fake backend: speed, mirror, loop, countdown, cues, volume, list, fullscreen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.resume import ResumePoint
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import read_entry
from player.core.session.playlist import PartName, Playlist
from player.core.session.runner import Phase
from player.core.session.settings import Settings
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.practice.resume_offer import run_to_continue
from player.ui.shared.settings_dialog import SettingsDialog
from player.ui.shared.shortcuts import ShortcutsDialog
from tests.ui.practice.test_session import make_library


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"one.mp4": 20_000, "two.mp4": 20_000, "three.mp4": 20_000})


@pytest.fixture
def saved() -> list[Settings]:
    return []


def build(qtbot: QtBot, tmp_path: Path, backend: FakeBackend, saved: list[Settings], settings: Settings) -> App:
    library = tmp_path / "lib"
    entries = make_library(library) if not library.exists() else [read_entry(library / "sessions" / "demo.toml",
                                                                              media_dir=library / "media")]
    app = App(entries=entries, journal=Journal.open(tmp_path / "journal.db"),
              backend=backend, licenses=LicenseStore(tmp_path / "licenses"), settings=settings,
              save_settings=saved.append)
    qtbot.addWidget(app.window)
    app.window.show()
    app.window.activateWindow()
    # Shortcuts need the window active, which the platform confirms a little later.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2_000)
    return app


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend, saved: list[Settings]) -> Iterator[App]:
    application = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=False))
    assert application.start_session("demo")
    yield application
    application.shut_down()


def key(qtbot: QtBot, app: App, name: str) -> None:
    page = app.window.pages.currentWidget()
    qtbot.keyClick(page, getattr(Qt.Key, f"Key_{name}"))


def test_speed_steps_are_applied_shown_and_remembered(qtbot: QtBot, app: App, backend: FakeBackend,
                                                     saved: list[Settings]) -> None:
    key(qtbot, app, "BracketLeft")
    key(qtbot, app, "BracketLeft")
    assert backend.rate == 0.75 and "Speed 0.75×" in app.window.player.practice.text()
    key(qtbot, app, "BracketRight")
    assert backend.rate == 0.9 and saved[-1].speed_for("demo") == 0.9


def test_speed_carries_to_the_next_snippet(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    key(qtbot, app, "BracketRight")
    key(qtbot, app, "N")
    key(qtbot, app, "Escape")
    assert backend.loaded.endswith("two.mp4") and backend.rate == 1.1  # type: ignore[union-attr]


def test_mirror_reloads_where_it_was_and_is_remembered(qtbot: QtBot, app: App, backend: FakeBackend,
                                                      saved: list[Settings]) -> None:
    backend.advance(6_000)
    key(qtbot, app, "M")
    assert backend.mirrored and backend.is_playing() and backend.position_ms() == 6_000
    assert saved[-1].mirrored and "Mirrored" in app.window.player.practice.text()
    key(qtbot, app, "M")
    assert not backend.mirrored


def test_practice_toggles_leave_a_paused_snippet_paused_where_it_was(qtbot: QtBot, app: App,
                                                                    backend: FakeBackend) -> None:
    """M (a reload), C, [ ], Up/Down and 0 while paused: still paused, same position, the banner stays."""
    backend.advance(5_000)
    key(qtbot, app, "Space")
    assert app.controller is not None
    assert not backend.is_playing() and app.controller.state.paused
    key(qtbot, app, "M")
    assert app.controller.state.paused and app.window.player.paused_banner.isVisible()
    assert backend.mirrored and backend.muted  # reloaded: silent until its first frame is paused back
    backend.advance(300)  # the reload plays to its first frame ...
    qtbot.waitUntil(lambda: not backend.is_playing(), timeout=1_000)  # ... and is paused back there
    backend.advance(3_000)
    assert backend.position_ms() == 5_000 and not backend.muted
    for name in ("C", "BracketRight", "Up", "Down", "0", "0", "M"):
        key(qtbot, app, name)
        backend.advance(300)
        qtbot.wait(20)
        backend.advance(3_000)
        assert not backend.is_playing() and backend.position_ms() == 5_000, name
    assert app.controller.state.paused and not backend.muted
    assert app.window.player.paused_banner.isVisible() and "Resume" in app.window.player.pause_button.text()
    key(qtbot, app, "Space")
    backend.advance(1_000)
    assert backend.is_playing() and backend.position_ms() == 6_100  # 1.1x since ]


def test_loop_repeats_the_marked_stretch(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    backend.advance(4_000)
    key(qtbot, app, "L")
    assert "Loop from 0:04" in app.window.player.practice.text()
    backend.advance(5_000)
    key(qtbot, app, "L")
    assert "Loop 0:04–0:09" in app.window.player.practice.text()
    backend.advance(1_500)
    qtbot.waitUntil(lambda: backend.position_ms() < 6_000, timeout=1_000)
    key(qtbot, app, "L")
    backend.advance(6_000)
    qtbot.wait(300)
    assert backend.position_ms() >= 9_000 and "Loop" not in app.window.player.practice.text()


def test_cues_are_on_by_default(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    qtbot.waitUntil(lambda: app.controller is not None and app.controller.state.phase is Phase.PLAYING)
    assert backend.cues_visible and "Cues on" in app.window.player.practice.text()


def test_cues_are_loaded_and_toggle(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                    saved: list[Settings]) -> None:
    app = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=False, cues_visible=False))
    assert app.start_session("demo")
    assert backend.cues is None  # the demo library has no cue files
    assert "Cues off" in app.window.player.practice.text()
    key(qtbot, app, "C")
    assert backend.cues_visible and saved[-1].cues_visible and "Cues on" in app.window.player.practice.text()
    key(qtbot, app, "C")
    assert not backend.cues_visible and not saved[-1].cues_visible
    app.shut_down()


def test_volume_and_mute(qtbot: QtBot, app: App, backend: FakeBackend, saved: list[Settings]) -> None:
    key(qtbot, app, "Down")
    assert backend.volume_percent == 70
    key(qtbot, app, "0")
    assert backend.muted and "Muted" in app.window.player.practice.text()
    key(qtbot, app, "Up")
    assert backend.volume_percent == 80 and not backend.muted and saved[-1].volume_percent == 80


def test_snippet_list_shows_progress_and_jumps(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    snippets = app.window.player.snippets
    assert snippets.item(0).text().startswith("▶")
    key(qtbot, app, "N")
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_2)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Return)
    assert snippets.item(0).text().startswith("✓") and snippets.item(1).text().startswith("▶")
    snippets.chosen.emit(2)
    assert backend.loaded.endswith("three.mp4") and app.window.player.counter.text() == "3 of 3"  # type: ignore[union-attr]


def test_checkin_shows_up_next_and_repeats(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    key(qtbot, app, "N")
    checkin = app.window.checkin
    assert "Up next:</b> Second movement · 2 s" in checkin.up_next.text()
    qtbot.keyClick(checkin, Qt.Key.Key_R)
    assert app.window.pages.currentWidget() is app.window.player and app.window.player.counter.text() == "1 of 3"
    assert backend.position_ms() == 0 and backend.is_playing()


def test_shortcuts_overlay(qtbot: QtBot, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda dialog: shown.append(dialog.windowTitle()) or 0)
    qtbot.keyClick(app.window.player, "?")
    assert shown == ["Keyboard shortcuts"]


def test_every_control_has_a_name_and_a_key_in_its_tooltip(app: App) -> None:
    from PySide6.QtWidgets import QPushButton
    buttons = app.window.player.findChildren(QPushButton)
    assert len(buttons) >= 15
    for button in buttons:
        assert button.accessibleName(), button.text()
        if button.accessibleName() != "← Library":
            assert button.toolTip().endswith(")"), button.toolTip()


def test_countdown_before_each_snippet(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                       saved: list[Settings]) -> None:
    app = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=True, countdown_s=3))
    assert app.start_session("demo")
    player = app.window.player
    assert app.controller is not None and app.controller.state.phase is Phase.COUNTDOWN
    assert player.countdown.number.text() == "3" and "Next: First movement" in player.countdown.title.text()
    assert backend.loaded is None
    qtbot.waitUntil(lambda: player.countdown.number.text() == "2", timeout=2_000)
    assert player.stack.currentWidget() is player.countdown
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert app.controller.state.phase is Phase.PLAYING and backend.is_playing()
    assert player.stack.currentWidget() is player.video
    qtbot.keyClick(player, Qt.Key.Key_N)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Escape)
    assert app.controller.state.phase is Phase.COUNTDOWN and "Second movement" in player.countdown.title.text()
    qtbot.waitUntil(lambda: app.controller.state.phase is Phase.PLAYING, timeout=5_000)  # type: ignore[union-attr]
    app.shut_down()


def test_countdown_shows_the_snippets_length_from_the_manifest(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                                               saved: list[Settings]) -> None:
    """Before the backend knows the length (countdown, opening): the manifest's 2.0 s, not "-0:00"."""
    app = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=True, countdown_s=3))
    assert app.start_session("demo")
    player = app.window.player
    assert app.controller is not None and app.controller.state.phase is Phase.COUNTDOWN
    assert (player.remaining.text(), player.elapsed.text(), player.total.text()) == ("-0:02", "0:00", "0:02")
    qtbot.keyClick(player, Qt.Key.Key_Space)
    backend.advance(20_000)  # the first snippet (20 s here) plays to its end
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=2_000)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Escape)
    assert app.controller.state.phase is Phase.COUNTDOWN
    assert (player.remaining.text(), player.elapsed.text(), player.total.text()) == ("-0:02", "0:00", "0:02")
    app.shut_down()


def test_fullscreen_hides_controls_until_a_key(qtbot: QtBot, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.window, "toggle_fullscreen", lambda: None)
    monkeypatch.setattr(app.window, "isFullScreen", lambda: True)
    player = app.window.player
    player._hide_timer.setInterval(50)
    app.toggle_fullscreen()
    qtbot.waitUntil(lambda: not player.controls_visible(), timeout=1_000)
    qtbot.keyClick(player, Qt.Key.Key_Shift)
    assert player.controls_visible()
    app.leave_fullscreen()
    assert player.controls_visible() and not player.fullscreen


def test_quit_mid_snippet_then_continue_the_same_run(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                                     saved: list[Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.ui.practice.controller.RESUME_SAVE_MS", 30)
    first = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=False))
    assert first.start_session("demo")
    qtbot.keyClick(first.window.player, Qt.Key.Key_N)
    assert first.window.pages.currentWidget() is first.window.checkin
    qtbot.keyClick(first.window.checkin, Qt.Key.Key_4)
    qtbot.keyClick(first.window.checkin, Qt.Key.Key_Return)
    assert first.window.player.counter.text() == "2 of 3"
    backend.advance(6_000)
    qtbot.wait(120)
    run_id = first.controller.run.id  # type: ignore[union-attr]
    first.shut_down()  # like quitting: the run stays open
    asked: list[str] = []

    def answer_yes(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    again_backend = FakeBackend(durations_ms={"two.mp4": 20_000, "three.mp4": 20_000})
    again = build(qtbot, tmp_path, again_backend, saved, Settings(countdown_enabled=False))
    assert again.offer_resume()
    assert "snippet 2 of 3, “Second movement”, at 0:06" in asked[0]
    assert "you stopped in the free preview, snippet 2 of 3, “Second movement”" in asked[0]
    assert again_backend.loaded.endswith("two.mp4") and abs(again_backend.position_ms() - 6_000) <= 2_000  # type: ignore[union-attr]
    assert again.controller.run.id == run_id  # type: ignore[union-attr]
    qtbot.keyClick(again.window.player, Qt.Key.Key_N)
    qtbot.keyClick(again.window.checkin, Qt.Key.Key_2)
    qtbot.keyClick(again.window.checkin, Qt.Key.Key_Return)
    assert [c.snippet_id for c in again.journal.checkins(run_id)] == ["one", "two"]
    assert len(again.journal.runs()) == 1
    again.shut_down()


@pytest.mark.parametrize(("part", "words"), [("full", "you stopped in the full session, part 2 of 3, “Second"),
                                              ("preview", "you stopped in the free preview, snippet 2 of 3, “Second")])
def test_the_resume_question_names_the_part(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                            saved: list[Settings], monkeypatch: pytest.MonkeyPatch,
                                            part: PartName, words: str) -> None:
    app = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=False))
    session = app.entries[0].session
    assert session is not None
    point = ResumePoint(run_id=1, session_id="demo", part=part, snippet_index=1, snippet_id="two",
                        position_ms=5_000, saved_at="")
    monkeypatch.setattr("player.ui.practice.resume_offer.latest_resume_point", lambda _journal: point)
    asked: list[str] = []

    def answer_yes(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    found = run_to_continue(app.window, app.journal, now=datetime.now,
                            playlist_of=lambda _id, kind: Playlist(session=session, part=kind,
                                                                   snippets=session.preview))
    assert found == point and words in asked[0] and "at 0:05" in asked[0]
    app.shut_down()


def test_declining_to_continue_ends_the_run(qtbot: QtBot, tmp_path: Path, backend: FakeBackend,
                                            saved: list[Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(qtbot, tmp_path, backend, saved, Settings(countdown_enabled=False))
    assert first.start_session("demo")
    first.shut_down()
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.No)
    again = build(qtbot, tmp_path, FakeBackend(), saved, Settings(countdown_enabled=False))
    assert not again.offer_resume() and again.controller is None
    run = again.journal.runs()[0]
    assert run.ended_at is not None and not run.completed
    assert not again.offer_resume()
    again.shut_down()


def test_preferences_change_the_countdown(qtbot: QtBot, app: App, saved: list[Settings],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def choose(dialog: SettingsDialog) -> int:
        dialog.countdown.setChecked(True)
        dialog.seconds.setValue(5)
        return SettingsDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", choose)
    app.window.preferences_action.trigger()
    assert saved[-1].countdown_enabled and saved[-1].countdown_s == 5
    key(qtbot, app, "N")
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Escape)
    assert app.controller is not None and app.controller.state.phase is Phase.COUNTDOWN
    assert app.window.player.countdown.number.text() == "5"
