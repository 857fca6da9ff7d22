"""``play SESSION`` with nothing to ask first: the video starts, then the journal opens and records the run
from when it began; with something to ask (or a journal that cannot be opened as it is), it asks first."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.resume import save_resume_point
from player.core.journal.store import Journal
from player.core.session.runner import Phase
from player.core.session.settings import Settings, save_settings
from player.ui import bootstrap, play_first
from player.ui.app import App
from player.ui.journal import dialogs
from tests.conftest import NO_COUNTDOWN, REPO
from tests.ui.test_bootstrap import tiny_library


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    save_settings(folder, NO_COUNTDOWN)
    return folder


@pytest.fixture
def started(qtbot: QtBot, data: Path, tmp_path: Path) -> Iterator[list[App]]:
    """Apps started by a test (``launch`` with the fake backend); shut down after it."""
    apps: list[App] = []
    yield apps
    for app in apps:
        if app.window.isVisible():
            app.window.close()


def launch(qtbot: QtBot, data: Path, library: Path, started: list[App]) -> App:
    _qt_app, app = bootstrap.launch(data_directory=data, session_id="tiny", backend="fake",
                                    extra_roots=[tiny_library(library)])
    qtbot.addWidget(app.window)
    started.append(app)
    return app


def files_of(path: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.exists() else None)
            for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))}


def answer_the_first_check_in(qtbot: QtBot, app: App, *, discomfort: int, data: Path) -> list[float | None]:
    """Answer the first check-in when it shows, save, close the app; the discomforts the journal then holds
    for its one run."""
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.window.checkin, timeout=5000)
    app.window.checkin.inputs["discomfort"].set_value(discomfort)  # type: ignore[union-attr]
    app.run_actions.save_checkin(app.window.checkin.answers())
    app.window.close()
    with Journal.open(data / "journal.db") as journal:
        (run,) = journal.runs()
        return [c.answers.discomfort for c in journal.checkins(run.id)]


def test_the_video_starts_before_the_journal_opens(qtbot: QtBot, data: Path, tmp_path: Path,
                                                   started: list[App]) -> None:
    before = datetime.now(UTC)
    app = launch(qtbot, data, tmp_path / "lib", started)
    controller = app.controller
    assert controller is not None and controller.state.phase is Phase.PLAYING
    assert app.journal is None and not (data / "journal.db").exists()  # nothing opened before the video
    assert app.window.pages.currentWidget() is app.window.player
    assert app.window.pages.count() == 2  # the player and check-in pages only: the others are made later
    assert not app.window.dialog_keys.watching  # no event filter on the application before the picture either
    frames: list[int] = []
    controller.first_frame_shown.connect(frames.append)
    qtbot.waitUntil(lambda: app.journal is not None, timeout=3000)
    assert frames == [0]  # the journal opened after the first frame
    assert app.window.dialog_keys.watching  # Esc held in dialogs from then on
    run = controller.run
    assert run is not None and run.session_id == "tiny" and run.ended_at is None
    assert before <= datetime.fromisoformat(run.started_at) <= datetime.now(UTC)
    assert app.journal.runs()[0].id == run.id  # recorded in the file, before any answer
    assert app.window.pages.count() == 5 and app.window.pages.currentWidget() is app.window.player


def test_starting_imports_no_journal_library_or_chart_code() -> None:
    """What the start-up imports before the first frame (measured by bench/first_frame.py, held here)."""
    later = ("sqlite_utils", "PySide6.QtCharts", "player.ui.library.library_page", "player.ui.practice.session_page",
             "player.ui.practice.summary_page", "player.ui.journal.page", "cryptography", "vlc",
             "PySide6.QtNetwork", "hashlib", "platform", "html")
    script = ("import sys, player.cli.entry, player.ui.bootstrap; "
              f"print(','.join(m for m in {later!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_first_check_in_is_saved_in_the_run(qtbot: QtBot, data: Path, tmp_path: Path,
                                                started: list[App]) -> None:
    app = launch(qtbot, data, tmp_path / "lib", started)
    assert answer_the_first_check_in(qtbot, app, discomfort=4, data=data) == [4]


def test_an_unfinished_run_is_asked_about_before_anything_plays(qtbot: QtBot, data: Path, tmp_path: Path,
                                                                 started: list[App],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC)
    with Journal.open(data / "journal.db") as journal:
        run = journal.start_run("tiny", now=now - timedelta(minutes=5))
        save_resume_point(journal, run.id, part="preview", snippet_index=0, snippet_id="one", position_ms=500,
                          now=now - timedelta(minutes=4))
    asked: list[bool] = []

    def answer_no(*_args: object) -> QMessageBox.StandardButton:
        asked.append(app_playing())
        return QMessageBox.StandardButton.No

    def app_playing() -> bool:
        return any(a.controller is not None for a in started)

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    app = launch(qtbot, data, tmp_path / "lib", started)
    assert asked == [False]  # asked before anything played
    assert app.journal is not None and app.controller is not None and app.controller.run is not None
    assert app.controller.run.id != run.id


def written_by_a_newer_app(path: Path) -> None:
    """A journal the outlook cannot tell from a good one, that the full open refuses (too new)."""
    Journal.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                           "values ('movement-player-journal', 'm999_from_the_future', '2030-01-01')")
    connection.close()


def test_a_journal_refused_after_the_first_frame_stops_the_session_asks_and_stays_unchanged(
        qtbot: QtBot, data: Path, tmp_path: Path, started: list[App], monkeypatch: pytest.MonkeyPatch) -> None:
    path = data / "journal.db"
    written_by_a_newer_app(path)
    before = files_of(path)
    behind: list[object] = []

    def quit_at_the_question(_error: object, _path: object, _parent: object) -> bool:
        app = started[0]
        behind.append((app.controller, app.window.pages.currentWidget() is app.window.library,
                       app.window.dialog_keys.watching))
        return False

    exits: list[int] = []
    monkeypatch.setattr(dialogs, "_ask_fresh_start", quit_at_the_question)
    monkeypatch.setattr(bootstrap.QApplication, "exit", staticmethod(exits.append))
    app = launch(qtbot, data, tmp_path / "lib", started)
    assert app.journal is None and app.controller is not None
    qtbot.waitUntil(lambda: exits == [1], timeout=3000)
    assert behind == [(None, True, True)]  # nothing plays behind the question, asked once, Esc held in it
    assert not app.window.isVisible()
    assert files_of(path) == before  # refused: not a byte changed


def test_kept_aside_during_the_countdown_asks_once_and_starts_the_session_again(
        qtbot: QtBot, data: Path, tmp_path: Path, started: list[App], monkeypatch: pytest.MonkeyPatch) -> None:
    """The countdown is on (the default): the journal opens at once; a refused one is asked about once, even
    when the first frame would have come while the question is up; then the session starts from its start
    with its run in the fresh journal, and a check-in is saved there."""
    save_settings(data, Settings())
    written_by_a_newer_app(data / "journal.db")
    asked: list[bool] = []

    def keep_aside_after_reading(_error: object, _path: object, _parent: object) -> bool:
        asked.append(True)
        qtbot.wait(1500)  # reading the question: timers and the first frame come and go meanwhile
        return True

    monkeypatch.setattr(dialogs, "_ask_fresh_start", keep_aside_after_reading)
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: QMessageBox.StandardButton.Ok)
    app = launch(qtbot, data, tmp_path / "lib", started)
    qtbot.waitUntil(lambda: app.journal is not None, timeout=5000)
    qtbot.wait(300)
    assert asked == [True]
    controller = app.controller
    assert controller is not None and controller.run is not None and controller.state.index == 0
    assert app.journal.runs()[0].id == controller.run.id
    assert len(list(data.glob("journal.set-aside-*.db"))) == 1
    controller.skip_countdown()
    assert answer_the_first_check_in(qtbot, app, discomfort=3, data=data) == [3]


def test_no_such_session_shows_the_library(qtbot: QtBot, data: Path, tmp_path: Path, started: list[App],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warned.append(text))
    _qt_app, app = bootstrap.launch(data_directory=data, session_id="nope", backend="fake",
                                    extra_roots=[tiny_library(tmp_path / "lib")])
    qtbot.addWidget(app.window)
    started.append(app)
    assert app.journal is not None and app.controller is None
    assert app.window.pages.currentWidget() is app.window.library
    assert warned == ["There is no playable session “nope”; showing the library instead."]


def test_a_journal_command_at_once_opens_the_journal_then(qtbot: QtBot, data: Path, tmp_path: Path,
                                                          started: list[App]) -> None:
    app = launch(qtbot, data, tmp_path / "lib", started)
    assert app.journal is None
    app.show_journal()  # Ctrl+J before the first frame: the journal opens now and its page shows
    assert app.journal is not None and app.journal_view is not None
    assert app.window.pages.currentWidget() is app.journal_view.page
    controller = app.controller
    assert controller is not None and controller.run is not None and controller.state.paused


def test_leaving_at_once_still_opens_the_journal(qtbot: QtBot, data: Path, tmp_path: Path,
                                                 started: list[App], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(play_first, "JOURNAL_OPEN_LATEST_MS", 300)
    app = launch(qtbot, data, tmp_path / "lib", started)
    app.show_library()  # before the first frame: nothing was practised, nothing to record
    qtbot.waitUntil(lambda: app.journal is not None, timeout=3000)
    assert app.journal.runs() == []
    assert app.start_session("tiny")  # the next run is recorded at once
    assert app.controller is not None and app.controller.run is not None


def test_an_unforeseen_error_opening_the_journal_is_told_and_ends_the_app(
        qtbot: QtBot, data: Path, tmp_path: Path, started: list[App], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_path: Path) -> Journal:
        raise OSError(5, "Input/output error")

    told: list[str] = []
    exits: list[int] = []
    monkeypatch.setattr(Journal, "open", staticmethod(broken))
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(bootstrap.QApplication, "exit", staticmethod(exits.append))
    app = launch(qtbot, data, tmp_path / "lib", started)
    qtbot.waitUntil(lambda: exits == [1], timeout=3000)
    assert len(told) == 1 and "could not open your journal" in told[0] and "Input/output error" in told[0]
    assert not app.window.isVisible()


def test_a_journal_command_that_meets_a_refused_journal_goes_on_with_nothing_playing(
        qtbot: QtBot, data: Path, tmp_path: Path, started: list[App], monkeypatch: pytest.MonkeyPatch) -> None:
    written_by_a_newer_app(data / "journal.db")
    monkeypatch.setattr(dialogs, "_ask_fresh_start", lambda _error, _path, _parent: True)
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: QMessageBox.StandardButton.Ok)
    app = launch(qtbot, data, tmp_path / "lib", started)
    app.show_journal()  # J before the first frame: the journal is refused, kept aside, a fresh one opened
    assert app.journal is not None and app.journal_view is not None
    assert app.window.pages.currentWidget() is app.journal_view.page
    assert app.controller is None  # the session stopped for the question and does not play behind the page
    assert app.journal.runs() == []
