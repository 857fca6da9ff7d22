"""One window per data directory: a second start brings the first forward; console commands work beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from player.core.session.settings import save_settings
from player.ui import bootstrap
from player.ui.app import App
from player.ui.shared.single_instance import LOCK_FILENAME, SingleInstance, server_name
from tests.conftest import NO_COUNTDOWN, REPO


def send(qtbot: QtBot, name: str, request: bytes) -> bytes:
    """What a second start sends, from this (event-looped) process: the running app answers in our loop."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    assert socket.waitForConnected(1000)
    socket.write(request)
    socket.flush()
    reply = bytearray()
    qtbot.waitUntil(lambda: reply.extend(bytes(socket.readAll().data())) or reply.endswith(b"\n"), timeout=2000)
    socket.disconnectFromServer()
    return bytes(reply)


def test_the_first_start_holds_the_directory_and_a_second_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = SingleInstance(tmp_path), SingleInstance(tmp_path)
    assert first.acquire()
    first.listen()
    assert (tmp_path / LOCK_FILENAME).exists()
    assert not second.acquire()
    assert second.holder() == f"process {os.getpid()}"
    assert SingleInstance(tmp_path / "other").name != first.name  # another directory, another app
    with qtbot.waitSignal(first.raise_requested) as raised:
        assert send(qtbot, first.name, b"raise foot-spine-connections\n") == b"ok\n"
    assert raised.args == ["foot-spine-connections"]
    with qtbot.waitSignal(first.raise_requested) as raised:
        assert send(qtbot, first.name, b"raise\n") == b"ok\n"
    assert raised.args == [""]
    first.release()
    assert second.acquire()  # closed: the next start holds it
    second.release()


def test_a_lock_left_by_a_killed_app_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / LOCK_FILENAME).write_text(f"{dead.stdout.strip()}\nmovement-player\n{os.uname().nodename}\n")
    guard = SingleInstance(tmp_path)
    assert guard.acquire()
    guard.release()


def test_a_request_that_is_not_ours_is_not_obeyed(qtbot: QtBot, tmp_path: Path) -> None:
    guard = SingleInstance(tmp_path)
    assert guard.acquire()
    guard.listen()
    seen: list[str] = []
    guard.raise_requested.connect(seen.append)
    assert send(qtbot, guard.name, b"delete everything\n") == b"ok\n"
    qtbot.wait(50)
    assert seen == []
    guard.release()


@pytest.fixture
def running(qtbot: QtBot, tmp_path: Path) -> Iterator[App]:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(data, NO_COUNTDOWN)
    _qt_app, app = bootstrap.build_app(data_directory=data, backend="fake")
    qtbot.addWidget(app.window)
    guard = app.findChild(SingleInstance)
    assert guard is not None and not guard.listening  # it answers later starts once it has started
    qtbot.waitUntil(lambda: guard.listening, timeout=bootstrap.START_SETTLED_MS + 2000)
    yield app
    app.window.close()  # releases the directory
    app.shut_down()


def test_the_running_window_comes_forward_and_opens_the_session_asked_for(qtbot: QtBot, running: App,
                                                                         tmp_path: Path) -> None:
    running.window.showMinimized()
    assert send(qtbot, server_name(tmp_path / "data"), b"raise foot-spine-connections\n") == b"ok\n"
    qtbot.waitUntil(lambda: not running.window.isMinimized(), timeout=2000)
    assert running.window.pages.currentWidget() is running.window.session


def test_closing_the_window_frees_the_directory(qtbot: QtBot, running: App, tmp_path: Path) -> None:
    assert not SingleInstance(tmp_path / "data").acquire()
    running.window.close()
    again = SingleInstance(tmp_path / "data")
    assert again.acquire()
    again.release()


def test_a_second_start_brings_the_first_forward_and_console_commands_still_work(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOVEMENT_PLAYER_BACKEND": "fake"}
    command = [sys.executable, "-m", "player.cli", "--data-dir", str(data)]
    first = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (data / "journal.db").exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first.poll() is None, first.communicate()
        console = subprocess.run([*command, "sessions"], cwd=REPO, env=env, capture_output=True, text=True,
                                 timeout=60)
        assert console.returncode == 0 and "foot-spine-connections" in console.stdout
        started = time.monotonic()
        second = subprocess.run([*command, "play", "foot-spine-connections"], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert f"Movement Player is already open on {data}: its window was brought forward." in second.stderr
        assert time.monotonic() - started < 15
        assert first.poll() is None  # the first window is still open
    finally:
        first.terminate()
        _out, err = first.communicate(timeout=20)
    assert "Traceback" not in err
