"""The whole loop in the UI with the fake backend: library -> snippets -> check-ins -> summary."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryEntry, read_entry
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.conftest import DATA, NO_COUNTDOWN

MANIFEST = """
schema = 1
id = "demo"
title = "Demo session"
summary = "Three tiny snippets."

[[preview]]
id = "one"
title = "First movement"
media = "demo/one.mp4"
duration_s = 2.0
gentler = "Do it seated."

[[preview]]
id = "two"
title = "Second movement"
media = "demo/two.mp4"
duration_s = 2.0

[[preview]]
id = "three"
title = "Third movement"
media = "demo/three.mp4"
duration_s = 2.0
checkin = ["standard",
  { id = "reach-after", kind = "measure", prompt = "Reach after", unit = "cm", min = -40, max = 60 }]
"""


def make_library(root: Path, *, broken: str = "") -> list[LibraryEntry]:
    (root / "sessions").mkdir(parents=True)
    media = root / "media" / "demo"
    media.mkdir(parents=True)
    for name in ("one", "two", "three"):
        shutil.copy(DATA / "clip-2s.mp4", media / f"{name}.mp4")
    if broken:
        shutil.copy(DATA / "corrupt.mp4", media / broken)
    manifest = root / "sessions" / "demo.toml"
    manifest.write_text(MANIFEST)
    return [read_entry(manifest, media_dir=root / "media")]


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"one.mp4": 2000, "two.mp4": 2000, "three.mp4": 2000})


@contextmanager
def running_demo_app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    """The app shown on the demo library (``make_library``), a journal in ``tmp_path/data``, no countdown, a
    fixed clock; shut down afterwards. The practice and journal UI tests' ``app`` fixture."""
    journal = Journal.open(tmp_path / "data" / "journal.db")
    application = App(settings=NO_COUNTDOWN, entries=make_library(tmp_path / "lib"), journal=journal, backend=backend,
                      licenses=LicenseStore(tmp_path / "data" / "licenses"),
                      now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    qtbot.addWidget(application.window)
    application.window.show()
    try:
        yield application
    finally:
        application.shut_down()


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    with running_demo_app(qtbot, tmp_path, backend) as application:
        yield application


def key(qtbot: QtBot, app: App, name: str) -> None:
    page = app.window.pages.currentWidget()
    qtbot.keyClick(page.focusWidget() or page, getattr(Qt.Key, f"Key_{name}"))


def start(qtbot: QtBot, app: App) -> None:
    """Enter on the library opens the session page; Enter there plays the free preview."""
    key(qtbot, app, "Return")
    assert app.window.pages.currentWidget() is app.window.session
    key(qtbot, app, "Return")


def play_to_end(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    backend.advance(2500)
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=2000)


def test_library_lists_the_session(app: App) -> None:
    item = app.window.library.list.item(0)
    assert item.text().startswith("Demo session\n3 snippets · 6 s free preview · Ready")
    assert app.window.pages.currentWidget() is app.window.library


def test_enter_starts_and_shows_where_we_are(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    player = app.window.player
    assert app.window.pages.currentWidget() is player
    assert (player.snippet_title.text(), player.counter.text()) == ("First movement", "1 of 3")
    assert backend.is_playing() and backend.loaded and backend.loaded.endswith("one.mp4")
    backend.advance(700)
    qtbot.waitUntil(lambda: player.elapsed.text() == "0:00" and player.remaining.text() == "-0:01", timeout=1000)


def test_full_run_saves_every_answer(qtbot: QtBot, app: App, backend: FakeBackend, tmp_path: Path) -> None:
    start(qtbot, app)
    play_to_end(qtbot, app, backend)
    checkin = app.window.checkin
    key(qtbot, app, "3")
    key(qtbot, app, "Plus")
    checkin.inputs["ease"].set_value(4)  # type: ignore[union-attr]
    checkin.inputs["body-areas"].buttons["hip-left"].click()  # type: ignore[union-attr]
    checkin.inputs["note"].setText("toes spread more")  # type: ignore[union-attr]
    key(qtbot, app, "Return")
    assert app.window.player.counter.text() == "2 of 3"
    play_to_end(qtbot, app, backend)
    key(qtbot, app, "Escape")
    play_to_end(qtbot, app, backend)
    checkin.inputs["reach-after"].edit.setText("12.5")  # type: ignore[union-attr]
    key(qtbot, app, "Return")
    assert app.window.pages.currentWidget() is app.window.summary
    assert app.window.summary.table.rowCount() == 3
    assert "2 check-ins saved" in app.window.summary.subtitle.text()
    with Journal.open(tmp_path / "data" / "journal.db") as journal:
        run = journal.runs()[0]
        rows = journal.checkins(run.id)
    assert run.completed
    assert [(c.snippet_id, c.skipped) for c in rows] == [("one", False), ("two", True), ("three", False)]
    assert rows[0].answers.discomfort == 4 and rows[0].answers.ease == 4
    assert rows[0].answers.body_areas == ("hip-left",) and rows[0].answers.note == "toes spread more"
    assert rows[2].answers.extra == {"reach-after": 12.5}


def test_n_ends_snippet_early(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    key(qtbot, app, "N")
    assert app.window.pages.currentWidget() is app.window.checkin
    assert not backend.is_playing()


def test_space_pauses_and_resumes(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    key(qtbot, app, "Space")
    assert not backend.is_playing() and "Resume" in app.window.player.pause_button.text()
    key(qtbot, app, "Space")
    assert backend.is_playing() and "Pause" in app.window.player.pause_button.text()


def test_arrows_seek_and_r_replays(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    backend.durations_ms["one.mp4"] = 20_000
    start(qtbot, app)
    key(qtbot, app, "Right")
    assert backend.position_ms() == 5000
    key(qtbot, app, "Left")
    assert backend.position_ms() == 0
    backend.advance(3000)
    key(qtbot, app, "R")
    assert backend.position_ms() == 0 and backend.is_playing()


def test_digits_and_keys_on_checkin(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    key(qtbot, app, "N")
    discomfort = app.window.checkin.inputs["discomfort"]
    key(qtbot, app, "9")
    key(qtbot, app, "Tab")  # from Save to the top of the form: the discomfort row; arrows change what has focus
    assert QApplication.focusWidget() is discomfort
    key(qtbot, app, "Right")
    key(qtbot, app, "Right")
    assert discomfort.value() == 10
    key(qtbot, app, "Minus")
    key(qtbot, app, "Left")
    assert discomfort.value() == 8


def test_typing_a_note_does_not_change_discomfort(qtbot: QtBot, app: App) -> None:
    start(qtbot, app)
    key(qtbot, app, "N")
    note = app.window.checkin.inputs["note"]
    note.setFocus()
    qtbot.keyClicks(note, "5 toes")
    assert note.text() == "5 toes" and app.window.checkin.inputs["discomfort"].value() is None


def test_high_discomfort_shows_gentler_option_first(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    key(qtbot, app, "N")
    key(qtbot, app, "7")
    key(qtbot, app, "Return")
    checkin = app.window.checkin
    assert app.window.pages.currentWidget() is checkin and checkin.showing_gentle()
    assert "Do it seated." in checkin.gentle.text()
    assert len(app.controller.checkins()) == 1  # already saved
    key(qtbot, app, "Return")
    assert app.window.player.counter.text() == "2 of 3"


def test_bad_measurement_is_explained(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    for _ in range(2):
        key(qtbot, app, "N")
        key(qtbot, app, "Escape")
    key(qtbot, app, "N")
    app.window.checkin.inputs["reach-after"].edit.setText("999")
    key(qtbot, app, "Return")
    assert "Reach after: enter a number from -40 to 60 cm" in app.window.checkin.problem_label.text()
    assert app.window.pages.currentWidget() is app.window.checkin


def test_leaving_records_unfinished_run(qtbot: QtBot, app: App, tmp_path: Path) -> None:
    start(qtbot, app)
    app.window.player.leave_requested.emit()
    assert app.window.pages.currentWidget() is app.window.library
    run = app.journal.runs()[0]
    assert run.ended_at is not None and not run.completed


def test_corrupt_video_shows_error_and_goes_on(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> None:
    journal = Journal.open(tmp_path / "journal.db")
    app = App(settings=NO_COUNTDOWN, entries=make_library(tmp_path / "lib", broken="one.mp4"), journal=journal,
              backend=backend, licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(app.window)
    app.window.show()
    assert app.start_session("demo")
    qtbot.waitUntil(lambda: app.controller.state.phase is Phase.FAILED, timeout=2000)
    player = app.window.player
    assert player.showing_error() and "one.mp4 could not be decoded" in player.error_label.text()
    key(qtbot, app, "Return")
    assert player.counter.text() == "2 of 3" and not player.showing_error()
    assert journal.checkins(journal.runs()[0].id)[0].skipped
    app.shut_down()


def test_watchdog_ends_a_snippet_whose_end_event_never_comes(qtbot: QtBot, app: App, backend: FakeBackend,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.ui.practice.controller.END_WATCHDOG_MARGIN_MS", 10)
    backend.durations_ms["one.mp4"] = 50
    backend.set_listener = lambda listener: None  # a backend that loses its end event
    start(qtbot, app)
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=2000)


def test_unavailable_session_cannot_start(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> None:
    entries = make_library(tmp_path / "lib")
    (tmp_path / "lib" / "media" / "demo" / "two.mp4").unlink()
    entries = [read_entry(entries[0].file, media_dir=tmp_path / "lib" / "media")]
    app = App(settings=NO_COUNTDOWN, entries=entries, journal=Journal.open(tmp_path / "j.db"), backend=backend,
              licenses=LicenseStore(tmp_path / "licenses"))
    qtbot.addWidget(app.window)
    text = app.window.library.list.item(0).text()
    assert "Unavailable" in text and "A video of this session is missing from this computer." in text
    app.window.library.details_button.click()  # the technical details, on demand
    assert "preview[1].media: two.mp4: file not found" in app.window.library.details.text()
    assert not app.window.library.start_button.isEnabled()
    assert not app.start_session("demo")
    app.shut_down()


def test_arrows_in_the_note_do_not_change_discomfort(qtbot: QtBot, app: App) -> None:
    assert app.start_session("demo")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2_000)
    key(qtbot, app, "N")
    note = app.window.checkin.inputs["note"]
    note.setFocus()
    for name in ("Up", "Down", "Plus", "Minus"):
        qtbot.keyClick(note, getattr(Qt.Key, f"Key_{name}"))
    assert app.window.checkin.inputs["discomfort"].value() is None


def test_repeat_after_the_gentler_note_leaves_the_next_checkin_usable(qtbot: QtBot, app: App) -> None:
    assert app.start_session("demo")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2_000)
    key(qtbot, app, "N")
    key(qtbot, app, "8")
    key(qtbot, app, "Return")
    checkin = app.window.checkin
    assert checkin.showing_gentle() and not checkin.repeat_button.isEnabled()
    key(qtbot, app, "Return")
    key(qtbot, app, "N")
    assert checkin.form_host.isEnabled() and checkin.repeat_button.isEnabled()


def test_measure_without_a_range_explains_a_bad_number(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> None:
    entries = make_library(tmp_path / "lib")
    manifest = entries[0].file
    manifest.write_text(manifest.read_text().replace(", min = -40, max = 60", ""))
    app = App(settings=NO_COUNTDOWN, entries=[read_entry(manifest, media_dir=tmp_path / "lib" / "media")],
              journal=Journal.open(tmp_path / "j.db"), backend=backend, licenses=LicenseStore(tmp_path / "l"))
    qtbot.addWidget(app.window)
    assert app.start_session("demo")
    app.controller.jump(2)  # type: ignore[union-attr]
    app.controller.end_now()  # type: ignore[union-attr]
    app.window.checkin.inputs["reach-after"].edit.setText("-")  # type: ignore[union-attr]
    app.window.checkin._enter()
    assert app.window.checkin.problem_label.text() == "Reach after: enter a number (in cm)"
    app.shut_down()
