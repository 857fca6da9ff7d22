"""Issue 11, the blocker: leaving a session and playing it again must show the player, not play hidden."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.ui.practice.test_session import app, backend, key, play_to_end, start  # noqa: F401  (fixtures)


def play_again(qtbot: QtBot, application: App) -> None:
    """Choose the session in the library again (as a click does), then Enter plays its preview."""
    application.window.library.session_chosen.emit("demo")
    assert application.window.pages.currentWidget() is application.window.session
    key(qtbot, application, "Return")


def test_play_again_after_leaving_the_player_shows_the_player(qtbot: QtBot, app: App, backend: FakeBackend) -> None:  # noqa: F811  (pytest fixtures)
    start(qtbot, app)
    assert app.window.pages.currentWidget() is app.window.player
    app.window.player.leave_requested.emit()
    assert app.window.pages.currentWidget() is app.window.library
    play_again(qtbot, app)
    assert app.window.pages.currentWidget() is app.window.player
    assert app.window.player.snippet_title.text() == "First movement"
    assert backend.is_playing()


def test_play_again_after_leaving_a_checkin_shows_the_player(qtbot: QtBot, app: App, backend: FakeBackend) -> None:  # noqa: F811  (pytest fixtures)
    start(qtbot, app)
    play_to_end(qtbot, app, backend)
    app.show_library()
    play_again(qtbot, app)
    assert app.window.pages.currentWidget() is app.window.player
    # Space on the player pauses this run; it never starts another one.
    runs_before = len(app.journal.runs())
    key(qtbot, app, "Space")
    assert len(app.journal.runs()) == runs_before
    assert not backend.is_playing()
