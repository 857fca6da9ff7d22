"""Start-up: the backend chosen through the registry, the fake's test picture, and what is said when nothing plays."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from player.core.errors import PlaybackUnavailableError
from player.core.journal.store import Journal
from player.core.session.library import LibraryRoot
from player.core.session.settings import save_settings
from player.playback import registry
from player.playback.fake import FakeBackend
from player.playback.fake.picture import TestPicture
from player.ui import bootstrap
from player.ui.app import App
from tests.conftest import DATA, NO_COUNTDOWN, REPO

MANIFEST = """
schema = 1
id = "tiny"
title = "Tiny session"
summary = "One short snippet."

[[preview]]
id = "one"
title = "Only movement"
media = "tiny/one.mp4"
duration_s = 2.0
checkin = "standard"
"""


def tiny_library(root: Path) -> LibraryRoot:
    (root / "sessions").mkdir(parents=True)
    (root / "media" / "tiny").mkdir(parents=True)
    shutil.copy(DATA / "clip-2s.mp4", root / "media" / "tiny" / "one.mp4")
    (root / "sessions" / "tiny.toml").write_text(MANIFEST)
    return LibraryRoot(sessions_dir=root / "sessions", media_dir=root / "media")


@pytest.fixture
def fake_app(qtbot: QtBot, tmp_path: Path) -> Iterator[App]:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(data, NO_COUNTDOWN)
    _qt_app, app = bootstrap.build_app(data_directory=data, extra_roots=[tiny_library(tmp_path / "lib")],
                                       backend="fake")
    qtbot.addWidget(app.window)
    yield app
    app.shut_down()


def test_the_fake_backend_plays_a_session_to_the_summary(qtbot: QtBot, fake_app: App, tmp_path: Path) -> None:
    assert isinstance(fake_app.backend, FakeBackend)
    pictures = fake_app.window.player.video.findChildren(TestPicture)
    assert len(pictures) == 1
    assert fake_app.start_session("tiny")
    player = fake_app.window.player
    qtbot.waitUntil(lambda: player.elapsed.text() == "0:01", timeout=3000)  # the clock moves by itself
    assert "one.mp4" in pictures[0].caption() and "/ 0:02" in pictures[0].caption()
    qtbot.waitUntil(lambda: fake_app.window.pages.currentWidget() is fake_app.window.checkin, timeout=4000)
    assert pictures[0].frames > 0
    checkin = fake_app.window.checkin
    checkin.inputs["discomfort"].set_value(2)  # type: ignore[union-attr]
    qtbot.keyClick(checkin.focusWidget() or checkin, Qt.Key.Key_Return)
    assert fake_app.window.pages.currentWidget() is fake_app.window.summary
    with Journal.open(tmp_path / "data" / "journal.db") as journal:
        run = journal.runs()[0]
        assert run.completed and [c.answers.discomfort for c in journal.checkins(run.id)] == [2]


def test_the_picture_follows_pause_rate_and_seek(qtbot: QtBot, fake_app: App) -> None:
    backend = fake_app.backend
    assert isinstance(backend, FakeBackend)
    picture = fake_app.window.player.video.findChildren(TestPicture)[0]
    assert picture.caption() == "Test picture: nothing loaded"
    backend.load(DATA / "clip-2s.mp4")
    backend.set_rate(1.5)
    backend.play()
    backend.pause()
    backend.seek(1000)
    assert picture.caption() == "clip-2s.mp4\n0:01 / 0:02\n1.5×  ·  paused"
    before = backend.position_ms()
    qtbot.wait(200)
    assert backend.position_ms() == before  # paused: the clock does not move it
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() >= before + 150, timeout=2000)


def test_no_backend_is_told_on_stderr_and_in_a_dialog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def missing(_name: str) -> registry.BackendEntry:
        raise PlaybackUnavailableError("libVLC (VLC's engine) was not found.\nInstall it: apt-get install libvlc5")

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(bootstrap, "choose", missing)
    monkeypatch.setattr(bootstrap, "UNSEEN_PLATFORMS", ())  # as if a person could see the screen
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text)))
    with pytest.raises(bootstrap.StartCancelled) as cancelled:
        bootstrap.build_app(data_directory=tmp_path / "data")
    assert cancelled.value.code == 2
    assert "apt-get install libvlc5" in capsys.readouterr().err
    assert shown == [("Movement Player cannot play video",
                      "libVLC (VLC's engine) was not found.\nInstall it: apt-get install libvlc5")]
    assert not (tmp_path / "data" / "journal.db").exists()  # nothing is asked or created before that


def test_the_app_starts_with_the_fake_and_no_libvlc(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_VLC_LIB_PATH": str(tmp_path / "no-libvlc.so.5"), "QT_QPA_PLATFORM": "offscreen",
           "MOVEMENT_PLAYER_BACKEND": "fake"}
    process = subprocess.Popen([sys.executable, "-m", "player.cli", "--data-dir", str(tmp_path / "data")],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        journal = tmp_path / "data" / "journal.db"
        while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        assert process.poll() is None, process.communicate()  # still running: the window is open
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=20)
    assert "Traceback" not in err and "libVLC" not in err


def test_an_unknown_backend_name_is_refused_in_words(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOVEMENT_PLAYER_BACKEND": "nope"}
    result = subprocess.run([sys.executable, "-m", "player.cli", "--data-dir", str(tmp_path)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "There is no playback backend called “nope”; choose one of: auto, " in result.stderr
    assert "vlc" in result.stderr and "fake" in result.stderr
    assert "Traceback" not in result.stderr
