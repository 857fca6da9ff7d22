"""Between snippets (a check-in, the summary) the controller gives the heap's free pages back, once that page
is up: libVLC's decoder threads free a snippet's memory when the next one loads (see player.playback.heap)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from player.core.journal.store import Answers
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.practice import controller as controller_module
from tests.ui.practice.test_session import app, backend, play_to_end, start  # noqa: F401  (fixtures)

Recorder = Callable[[App], list[QWidget]]


@pytest.fixture
def given_back(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Attach to an app: the page on screen each time the controller gave memory back."""

    def attach(application: App) -> list[QWidget]:
        pages: list[QWidget] = []

        def record() -> bool:
            pages.append(application.window.pages.currentWidget())
            return True

        monkeypatch.setattr(controller_module, "give_back_freed_memory", record)
        return pages

    return attach


def test_memory_goes_back_at_each_checkin_and_at_the_summary(qtbot: QtBot, app: App, backend: FakeBackend,  # noqa: F811
                                                             given_back: Recorder) -> None:
    pages = given_back(app)
    window = app.window
    start(qtbot, app)
    qtbot.wait(50)
    assert pages == []  # never while a snippet loads or plays: that is the switch users wait for
    for number in range(1, 4):
        play_to_end(qtbot, app, backend)
        qtbot.waitUntil(lambda n=number: len(pages) == n, timeout=1000)
        assert pages[-1] is window.checkin  # the check-in page is up first
        assert app.controller is not None
        app.controller.save_checkin(Answers(discomfort=1))
        qtbot.wait(50)
        assert len(pages) == number or number == 3  # the next snippet plays: nothing more given back
    qtbot.waitUntil(lambda: len(pages) == 4, timeout=1000)
    assert pages[-1] is window.summary
