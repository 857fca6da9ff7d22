"""A locked, read-only or full journal at every place the app writes to it: told in plain words, never a
traceback (issue 8), with a real SQLite file and the fake backend. QMessageBox is patched to capture the text.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.journal.resume import latest_resume_point
from player.core.journal.store import Answers, Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.settings import Settings
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.journal import dialogs as journal_dialogs
from player.ui.journal.checkin_edit_dialog import CheckinEditDialog
from player.ui.journal.files import back_up_journal, import_journal
from player.ui.journal.followup_dialog import FollowupDialog
from tests.journal_files import killed_journal_files, write_files
from tests.ui.practice.test_session import make_library

AnswerWith = Callable[[str, list[str]], None]  # the answer_with fixture (conftest.py)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOCKED = "database is locked: another program"
READ_ONLY = "the journal is read-only"
FULL = "the disk is full"


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message box text shown (warning, critical, information, or a box of its own)."""
    shown: list[str] = []

    def record(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, record)

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes give up on a held lock after 50 ms instead of 5 s (the wording is what is tested)."""
    monkeypatch.setattr("player.core.journal.store.JOURNAL_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr("player.core.journal.resume.RESUME_BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr("player.ui.practice.controller.RESUME_SAVE_MS", 30)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another program holds the journal's write lock for the duration."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("begin immediate")
    try:
        yield
    finally:
        other.execute("rollback")
        other.close()


@contextmanager
def read_only(journal: Journal) -> Iterator[None]:
    journal._db.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        journal._db.execute("PRAGMA query_only = OFF")


def build(qtbot: QtBot, tmp_path: Path, backend: FakeBackend | None = None, *, now: datetime = NOW) -> App:
    root = tmp_path / "lib"
    entries = make_library(root) if not root.exists() else make_library_again(root)
    journal = Journal.open(tmp_path / "data" / "journal.db")
    journal._db.execute("PRAGMA busy_timeout = 50")
    app = App(settings=Settings(countdown_enabled=False), entries=entries, journal=journal,
              backend=backend or FakeBackend(durations_ms={"one.mp4": 2000, "two.mp4": 2000, "three.mp4": 2000}),
              licenses=LicenseStore(tmp_path / "data" / "licenses"), now=lambda: now)
    qtbot.addWidget(app.window)
    app.window.show()
    app.window.activateWindow()  # shortcuts need the window active, which the platform confirms a little later
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2_000)
    return app


def make_library_again(root: Path):  # type: ignore[no-untyped-def]
    from player.core.session.library import read_entry
    return [read_entry(root / "sessions" / "demo.toml", media_dir=root / "media")]


def leave_a_run_open(qtbot: QtBot, tmp_path: Path) -> int:
    """A run stopped in snippet 2 with a resume point, as a quit leaves it; returns its id."""
    first = build(qtbot, tmp_path)
    assert first.start_session("demo")
    qtbot.keyClick(first.window.player, Qt.Key.Key_N)
    qtbot.keyClick(first.window.checkin, Qt.Key.Key_2)
    qtbot.keyClick(first.window.checkin, Qt.Key.Key_Return)
    run_id = first.controller.run.id  # type: ignore[union-attr]
    first.shut_down()
    return run_id


# --- the resume offer ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["locked", "read-only"])
def test_no_to_continue_on_a_faulty_journal_is_told(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                   monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    run_id = leave_a_run_open(qtbot, tmp_path)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.No)
    again = build(qtbot, tmp_path)
    with locked(again.journal.path) if fault == "locked" else read_only(again.journal):
        assert not again.offer_resume()
    assert told and told[-1].startswith("Could not record the end of this practice: ")
    assert (LOCKED if fault == "locked" else READ_ONLY) in told[-1]
    assert again.journal.run(run_id).ended_at is None  # nothing half-written: it is offered again next time
    again.shut_down()


def test_yes_to_continue_on_a_locked_journal_plays_and_says_so_once(qtbot: QtBot, tmp_path: Path,
                                                                    told: list[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = leave_a_run_open(qtbot, tmp_path)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    backend = FakeBackend(durations_ms={"two.mp4": 20_000, "three.mp4": 20_000})
    again = build(qtbot, tmp_path, backend)
    with locked(again.journal.path):
        assert again.offer_resume()
        assert backend.is_playing() and backend.loaded and backend.loaded.endswith("two.mp4")
        backend.advance(1000)
        qtbot.waitUntil(lambda: len(told) >= 1, timeout=3000)
        qtbot.wait(200)  # the saver keeps trying every 30 ms here; it says so once
    assert len(told) == 1 and "Could not save where you are in the session: " + LOCKED in told[0]
    backend.advance(1000)
    qtbot.waitUntil(lambda: (p := latest_resume_point(again.journal)) is not None and p.position_ms >= 1500,
                    timeout=3000)  # saved again once the lock is gone (it used to stop for the snippet)
    assert latest_resume_point(again.journal).run_id == run_id  # type: ignore[union-attr]
    again.shut_down()


def test_a_kill_right_after_save_continues_at_the_next_snippet(qtbot: QtBot, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path)
    assert app.start_session("demo")
    app.controller.backend.advance(1500)  # type: ignore[union-attr]
    qtbot.wait(100)  # the background saver remembers snippet 1 at ~0:01
    qtbot.keyClick(app.window.player, Qt.Key.Key_N)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_3)
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Return)
    point = latest_resume_point(app.journal)
    assert point is not None and (point.snippet_index, point.snippet_id, point.position_ms) == (1, "two", 0)
    app.shut_down()


def test_every_snippet_answered_then_killed_is_not_offered_again(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path)
    run = app.journal.start_run("demo", now=NOW)
    from player.core.journal.store import SnippetPlace
    for index, snippet in enumerate(("one", "two", "three")):
        app.journal.save_checkin(run.id, snippet, Answers(discomfort=1), now=NOW,
                                 resume_at=SnippetPlace(part="preview", snippet_index=index + 1, snippet_id=snippet))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]))
    assert not app.offer_resume() and asked == []
    ended = app.journal.run(run.id)
    assert ended.ended_at is not None and ended.completed
    app.shut_down()


# --- the next-day question ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["locked", "read-only"])
def test_the_next_day_question_on_a_faulty_journal_is_told(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                          monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    first = build(qtbot, tmp_path)
    run = first.journal.start_run("demo", now=NOW - timedelta(days=1))
    first.journal.save_checkin(run.id, "one", Answers(discomfort=4), now=NOW - timedelta(days=1))
    first.journal.end_run(run.id, now=NOW - timedelta(days=1), completed=False)
    monkeypatch.setattr(FollowupDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    with locked(first.journal.path) if fault == "locked" else read_only(first.journal):
        assert not first.offer_followup()
    assert told and told[-1].startswith("Could not save how the last practice settled: ")
    assert (LOCKED if fault == "locked" else READ_ONLY) in told[-1]
    first.shut_down()


# --- during practice: save, skip, the end of the run --------------------------------------------------------------

def test_save_skip_and_end_on_a_locked_journal_are_told(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path)
    assert app.start_session("demo")
    run_id = app.controller.run.id  # type: ignore[union-attr]
    qtbot.keyClick(app.window.player, Qt.Key.Key_N)
    with locked(app.journal.path):
        qtbot.keyClick(app.window.checkin, Qt.Key.Key_4)
        qtbot.keyClick(app.window.checkin, Qt.Key.Key_Return)
        assert told[-1].startswith("Could not save the check-in: " + LOCKED)
        assert "Your answers are still on screen" in told[-1]
        assert app.window.pages.currentWidget() is app.window.checkin
        def skip_anyway(box: QMessageBox) -> int:  # answers were given: Esc asks first; the user says Skip
            told.append(box.text())
            chosen = next(b for b in box.buttons() if b.text() == "Skip")
            monkeypatch.setattr(box, "clickedButton", lambda: chosen)
            return 0
        monkeypatch.setattr(QMessageBox, "exec", skip_anyway)
        qtbot.keyClick(app.window.checkin, Qt.Key.Key_Escape)
        assert told[-2].startswith("Skip this check-in?")
        assert told[-1].startswith("Could not skip the check-in: " + LOCKED)
        app.show_library()  # leaving records the end of the run
        assert told[-1].startswith("Could not record the end of this practice: " + LOCKED)
    assert app.journal.checkins(run_id) == [] and app.journal.run(run_id).ended_at is None
    app.shut_down()


def test_a_full_disk_at_save_is_told(qtbot: QtBot, tmp_path: Path, told: list[str]) -> None:
    app = build(qtbot, tmp_path)
    assert app.start_session("demo")
    qtbot.keyClick(app.window.player, Qt.Key.Key_N)
    pages = app.journal._db.execute("PRAGMA page_count").fetchone()[0]
    app.journal._db.execute(f"PRAGMA max_page_count = {pages}")
    app.window.checkin.inputs["note"].setText("a long note " * 700)  # needs pages the disk no longer has
    qtbot.keyClick(app.window.checkin, Qt.Key.Key_Return)
    assert told[-1].startswith("Could not save the check-in: " + FULL)
    app.shut_down()


# --- the Journal page: edit and delete; the File menu: import and back up ----------------------------------------

def test_edit_and_delete_on_a_locked_journal_are_told(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path)
    run = app.journal.start_run("demo", now=NOW)
    checkin = app.journal.save_checkin(run.id, "one", Answers(discomfort=4), now=NOW)
    app.show_journal()
    controller = app.journal_view
    assert controller is not None
    monkeypatch.setattr(CheckinEditDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    with locked(app.journal.path):
        controller.edit_checkin(checkin.id)
        assert told[-1].startswith("The check-in was not changed: Could not save the corrected check-in: " + LOCKED)
        controller.delete_checkin(checkin.id)
        assert told[-1].startswith("The check-in was not deleted: Could not delete the check-in: " + LOCKED)
    assert app.journal.checkin(checkin.id).answers.discomfort == 4
    app.shut_down()


def test_import_and_backup_on_a_faulty_journal_are_told(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app = build(qtbot, tmp_path)
    document = tmp_path / "in.json"
    document.write_text('{"format": "movement-player-journal", "version": 1, "runs": [{"session_id": "demo", '
                        '"started_at": "2026-11-20T08:00:00Z", "checkins": []}]}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kw: (str(document), ""))
    with locked(app.journal.path):
        assert import_journal(app.window, app.journal, folder=tmp_path) is None
    assert told[-1].startswith("Could not import the file: " + LOCKED) and "unchanged" in told[-1]
    assert app.journal.runs() == []
    target = tmp_path / "full" / "copy.db"
    target.parent.mkdir()
    monkeypatch.setattr("player.ui.journal.files.ask_save_path", lambda *_args, **_kw: target)

    def no_room(*_args: object, **_kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("player.core.journal.backup._copy", no_room)
    assert back_up_journal(app.window, app.journal, folder=tmp_path, today=NOW.date()) is None
    assert told[-1] == "The backup failed: " + FULL + " Free some space and try again; nothing saved before is lost." \
        or told[-1].startswith("The backup failed: " + FULL)
    app.shut_down()


# --- at start: refused files, a data directory that is a file, a read-only journal -------------------------------

def test_start_with_a_data_directory_that_is_a_file(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    assert journal_dialogs.open_journal_with_consent(data / "journal.db", now=NOW) is None
    assert "is a file, not a folder" in told[-1] and "is a file, not a folder" in capsys.readouterr().err


def test_start_with_a_read_only_journal(qtbot: QtBot, tmp_path: Path, told: list[str]) -> None:
    path = tmp_path / "journal.db"
    Journal.open(path).close()
    path.chmod(0o444)
    assert journal_dialogs.open_journal_with_consent(path, now=NOW) is None
    assert "could not be opened: the journal is read-only" in told[-1]


def crashed_with_future_migration(folder: Path) -> Path:
    files = killed_journal_files(folder / "live.db", checkins=40, now=NOW, newer=True)
    data = folder / "data"
    data.mkdir()
    return write_files(files, data / "journal.db")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("answer", ["Quit", "Keep it aside"])
def test_start_answering_quit_or_keep_aside_never_changes_a_byte(qtbot: QtBot, tmp_path: Path, answer: str,
                                                                 answer_with: AnswerWith) -> None:
    path = crashed_with_future_migration(tmp_path)
    before = files_of(path.parent)
    seen: list[str] = []
    answer_with(answer, seen)
    opened = journal_dialogs.open_journal_with_consent(path, now=NOW)
    if answer == "Quit":
        assert opened is None and files_of(path.parent) == before
        return
    assert opened is not None
    opened.close()
    stamp = "journal.set-aside-20261123-090000.db"
    assert {name.replace(stamp, "journal.db"): data for name, data in files_of(path.parent).items()
            if name.startswith(stamp)} == before


def test_start_with_an_empty_journal_beside_a_wal_recovers_it(qtbot: QtBot, tmp_path: Path,
                                                              answer_with: AnswerWith) -> None:
    files = killed_journal_files(tmp_path / "live.db", checkins=40, now=NOW)
    data = tmp_path / "data"
    data.mkdir()
    write_files({**files, "": b""}, data / "journal.db")
    before = files_of(data)
    seen: list[str] = []
    answer_with("Keep it aside", seen)
    opened = journal_dialogs.open_journal_with_consent(data / "journal.db", now=NOW)
    assert "is empty, but journal.db-wal beside it holds" in seen[0]
    assert "Recovered from it: 1 runs and 40 check-ins" in seen[1]
    assert opened is not None and len(opened.checkins(opened.runs()[0].id)) == 40
    opened.close()
    stamp = "journal.set-aside-20261123-090000.db"
    assert {name.replace(stamp, "journal.db"): data for name, data in files_of(data).items()
            if name.startswith(stamp)} == before


def test_the_console_says_why_a_journal_cannot_open_without_a_traceback(tmp_path: Path) -> None:
    import os
    import sys

    from tests.conftest import REPO
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.db").write_bytes(b"")
    (data / "journal.db-wal").write_bytes(b"x" * 100)
    done = subprocess.run([sys.executable, "-m", "player.cli", "--data-dir", str(data), "journal", "list"],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1 and "is empty, but journal.db-wal" in done.stderr and "Traceback" not in done.stderr


# --- automatic backups: made when a session ends, restored from the File menu -------------------------------------

def test_a_session_end_makes_todays_backup_and_file_menu_restores_it(qtbot: QtBot, tmp_path: Path, told: list[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from player.ui.journal.restore_dialog import RestoreDialog

    app = build(qtbot, tmp_path)
    assert app.start_session("demo")
    app.show_library()  # the run ends: today's automatic backup is made, on a worker thread
    backup = tmp_path / "data" / "backups" / "journal-2026-11-23.db"
    qtbot.waitUntil(backup.is_file)  # moved into place only when complete
    app.journal.start_run("later", now=NOW + timedelta(hours=1))
    assert len(app.journal.runs()) == 2
    listed: list[str] = []

    def choose(dialog: RestoreDialog) -> int:
        listed.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    app.window.restore_action.trigger()
    assert listed == ["Mon 23 Nov 2026: 1 runs, 0 check-ins (23 Nov 2026 to 23 Nov 2026), "
                      f"{backup.stat().st_size / 1e6:.1f} MB"]
    assert [r.session_id for r in app.journal.runs()] == ["demo"]
    assert told[-1].startswith("Your journal now holds the backup of 23 Nov 2026") and "before-restore" in told[-1]
    app.shut_down()


def test_restore_with_no_backups_says_where_they_will_be(qtbot: QtBot, tmp_path: Path, told: list[str]) -> None:
    app = build(qtbot, tmp_path)
    app.window.restore_action.trigger()
    assert "There is none yet" in told[-1]
    app.shut_down()
