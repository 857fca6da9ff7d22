"""The garbage collector paused for the start (player.ui.collector): the app's commands pause it before they import
the app, and the start resumes it once settled, with what exists by then frozen out of later collections."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from player.cli import entry
from player.core.session.settings import save_settings
from player.ui import bootstrap
from player.ui.collector import freeze_imports, pause_collector, resume_collector
from tests.conftest import NO_COUNTDOWN


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does, the test process collects as before afterwards."""
    yield
    resume_collector()
    gc.unfreeze()
    gc.enable()


def test_paused_the_imports_frozen_then_resumed(collector_restored: None) -> None:
    frozen_before = gc.get_freeze_count()
    pause_collector()
    assert not gc.isenabled()
    freeze_imports()
    frozen = gc.get_freeze_count()
    assert frozen > frozen_before
    resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # only the imports were frozen

    class Node:
        me: object = None

    node = Node()
    node.me = node  # a cycle made after the imports (a window, a session) ...
    alive = weakref.ref(node)
    del node
    gc.collect()
    assert alive() is None  # ... is collected as usual


def test_resuming_without_a_pause_changes_nothing(collector_restored: None) -> None:
    frozen_before = gc.get_freeze_count()
    freeze_imports()
    resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == frozen_before
    gc.disable()  # someone else's choice (an embedding program) is left alone
    resume_collector()
    assert not gc.isenabled()


def test_opening_the_app_pauses_it_before_the_app_is_imported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              collector_restored: None) -> None:
    seen: list[bool] = []

    def run_app(**_kwargs: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(bootstrap, "run_app", run_app)
    assert entry.main(["--data-dir", str(tmp_path), "play", "foot-spine-connections"]) == 0
    assert seen == [False]


def test_the_start_resumes_it_once_settled_and_then_answers_later_starts(qtbot: QtBot, tmp_path: Path,
                                                                          collector_restored: None) -> None:
    save_settings(tmp_path, NO_COUNTDOWN)
    pause_collector()
    _qt_app, app = bootstrap.build_app(data_directory=tmp_path, backend="fake")
    qtbot.addWidget(app.window)
    try:
        assert not gc.isenabled()
        guard = app.findChild(bootstrap.SingleInstance)
        assert guard is not None
        qtbot.waitUntil(gc.isenabled, timeout=bootstrap.START_SETTLED_MS + 2000)
        assert guard.listening
    finally:
        app.window.close()
        app.shut_down()
