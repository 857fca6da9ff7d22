"""Today's automatic backup after a run ends (ui/journal/auto_backup.py): made on a worker thread, so the run's
end never waits for it; one at a time however many runs end; a failure told in words on the GUI thread; quitting
does not wait for it. Real journal files, the fake backend; the backup is slowed by an Event, never timed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import player.core.journal.backup as backup
from player.core.journal.store import Journal
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.ui.practice.test_session import running_demo_app

TODAY = date(2026, 11, 23)


@dataclass
class Gate:
    """auto_backup held until ``release`` is set; ``calls`` holds the day of each backup asked of it."""

    release: threading.Event = field(default_factory=threading.Event)
    started: threading.Event = field(default_factory=threading.Event)
    calls: list[date] = field(default_factory=list)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate()
    real = backup.auto_backup

    def slowed(journal_path: Path, *, today: date, keep: int = 7) -> Path | None:
        held.calls.append(today)
        held.started.set()
        held.release.wait(10)
        return real(journal_path, today=today, keep=keep)

    monkeypatch.setattr(backup, "auto_backup", slowed)
    yield held
    held.release.set()  # no worker is left waiting after the test


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Each warning shown: its text, and whether it was shown on the GUI thread."""
    shown: list[tuple[str, bool]] = []

    def record(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        shown.append((text, threading.current_thread() is threading.main_thread()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[App]:
    backend = FakeBackend(durations_ms={"one.mp4": 2000, "two.mp4": 2000, "three.mp4": 2000})
    with running_demo_app(qtbot, tmp_path, backend) as application:
        yield application


def todays(app: App) -> Path:
    assert app.journal is not None
    return app.journal.path.parent / "backups" / f"journal-{TODAY.isoformat()}.db"


def test_the_run_ends_without_waiting_for_the_backup(qtbot: QtBot, app: App, gate: Gate) -> None:
    assert app.start_session("demo")
    app.show_library()  # the run ends; the backup is still held
    assert gate.started.wait(5) and not todays(app).exists()  # returned while the copy had not even begun
    gate.release.set()
    qtbot.waitUntil(todays(app).is_file)
    with Journal.open(todays(app)) as copy:
        assert [(r.session_id, r.ended_at is not None) for r in copy.runs()] == [("demo", True)]


def test_two_runs_ending_back_to_back_make_one_backup(qtbot: QtBot, app: App, gate: Gate) -> None:
    assert app.start_session("demo")
    app.show_library()
    assert app.start_session("demo")
    app.show_library()  # the first run's backup is still being made: no second copy of the same day's file
    gate.release.set()
    qtbot.waitUntil(todays(app).is_file)
    assert app.journal_actions.auto_backup.wait(timeout_s=5)
    assert gate.calls == [TODAY]
    assert [p.name for p in todays(app).parent.iterdir()] == [todays(app).name]  # no copy left beside it
    assert app.start_session("demo")
    app.show_library()  # once it is made, a later run's end finds it
    assert app.journal_actions.auto_backup.wait(timeout_s=5) and gate.calls == [TODAY, TODAY]


def test_a_failed_backup_is_told_in_words_on_the_gui_thread(qtbot: QtBot, app: App,
                                                            told: list[tuple[str, bool]]) -> None:
    assert app.journal is not None
    (app.journal.path.parent / "backups").write_text("a file where the folder of backups goes")
    assert app.start_session("demo")
    app.show_library()  # the run's controller is gone by the time the worker fails: the app tells it
    qtbot.waitUntil(lambda: len(told) > 0)
    ((text, on_gui_thread),) = told
    assert text.startswith("Today's automatic backup of your journal was not made: ") and on_gui_thread
    assert app.journal.runs()[0].ended_at is not None  # the run itself was recorded


def test_quitting_waits_for_a_backup_being_made_only_briefly(qtbot: QtBot, app: App, gate: Gate,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.ui.journal.actions.AUTO_BACKUP_QUIT_WAIT_S", 0.01)
    assert app.start_session("demo")
    app.show_library()
    assert gate.started.wait(5)
    waits: list[float] = []
    real_wait = app.journal_actions.auto_backup.wait
    monkeypatch.setattr(app.journal_actions.auto_backup, "wait",
                        lambda *, timeout_s: waits.append(timeout_s) or real_wait(timeout_s=timeout_s))
    app.window.close()
    assert waits == []  # closing the window (which frees the data directory) never waits for the copy
    app.journal_actions.let_backup_finish()  # what run_app does once the event loop has ended
    assert waits == [0.01]
    assert not real_wait(timeout_s=0) and not todays(app).exists()  # left: a daemon thread, stopped with the app
    gate.release.set()
    assert real_wait(timeout_s=5)


def test_a_failure_after_the_window_closed_is_told_on_stderr_not_in_a_dialog(
        qtbot: QtBot, app: App, told: list[tuple[str, bool]], capsys: pytest.CaptureFixture[str]) -> None:
    assert app.journal is not None
    (app.journal.path.parent / "backups").write_text("a file where the folder of backups goes")
    gate = threading.Event()
    real = backup.auto_backup

    def after_close(journal_path: Path, *, today: date, keep: int = 7) -> Path | None:
        gate.wait(5)
        return real(journal_path, today=today, keep=keep)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backup, "auto_backup", after_close)
        assert app.start_session("demo")
        app.show_library()
        app.window.close()
        gate.set()
        app.journal_actions.let_backup_finish()
    assert told == []  # no message box behind a closed window
    assert "Today's automatic backup of your journal was not made: " in capsys.readouterr().err
