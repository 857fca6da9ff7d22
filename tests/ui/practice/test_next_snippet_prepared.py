"""While a check-in shows, the next snippet is prepared (fake backend) with exactly what its load will ask for:
Save plays the prepared one; R (repeat), leaving, or a snippet with nothing after it plays no prepared one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from player.core.journal.store import Answers, Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryRoot, scan_library
from player.core.session.runner import Phase
from player.playback.fake import FakeBackend
from player.ui.app import App
from tests.conftest import NO_COUNTDOWN
from tests.paid_fixtures import make_paid_session
from tests.ui.practice.test_session import key, running_demo_app, start


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(durations_ms={"one.mp4": 2000, "two.mp4": 2000, "three.mp4": 2000})


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, backend: FakeBackend) -> Iterator[App]:
    with running_demo_app(qtbot, tmp_path, backend) as application:
        yield application


def to_checkin(qtbot: QtBot, app: App) -> None:
    key(qtbot, app, "N")  # end the snippet now: its check-in
    assert app.window.pages.currentWidget() is app.window.checkin


@pytest.mark.parametrize("mirrored", [False, True], ids=["plain", "mirrored"])
def test_the_checkin_prepares_the_next_snippet_and_save_plays_it(qtbot: QtBot, app: App, backend: FakeBackend,
                                                                 mirrored: bool) -> None:
    start(qtbot, app)
    if mirrored:
        key(qtbot, app, "M")
    assert backend.prepared is None, "nothing is prepared while a snippet plays"
    to_checkin(qtbot, app)
    prepared = backend.prepared
    assert prepared is not None and isinstance(prepared.source, Path) and prepared.source.name == "two.mp4"
    assert (prepared.start_ms, prepared.mirrored, prepared.cues) == (0, mirrored, app.controller.snippets[1].cues)
    key(qtbot, app, "Return")  # Save
    assert backend.loaded is not None and backend.loaded.endswith("two.mp4") and backend.is_playing()
    assert backend.prepared_loads == 1 and backend.prepared is None, "the load took the prepared request over"


def test_repeat_on_the_checkin_plays_this_snippet_not_the_prepared_one(qtbot: QtBot, app: App,
                                                                      backend: FakeBackend) -> None:
    start(qtbot, app)
    to_checkin(qtbot, app)
    assert backend.prepared is not None
    key(qtbot, app, "R")
    assert backend.loaded is not None and backend.loaded.endswith("one.mp4") and backend.is_playing()
    assert backend.position_ms() == 0 and app.window.player.counter.text() == "1 of 3"
    assert backend.prepared_loads == 0 and backend.prepared is None, "the prepared snippet was released unplayed"


def test_leaving_on_the_checkin_releases_the_prepared_snippet(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    to_checkin(qtbot, app)
    assert backend.prepared is not None
    app.show_library()
    assert backend.prepared is None and backend.loaded is None and backend.prepared_loads == 0


def test_the_last_checkin_prepares_nothing(qtbot: QtBot, app: App, backend: FakeBackend) -> None:
    start(qtbot, app)
    for _ in range(2):
        to_checkin(qtbot, app)
        key(qtbot, app, "Return")
    to_checkin(qtbot, app)
    assert backend.prepared is None
    assert backend.prepared_loads == 2


def test_a_paid_part_is_prepared_as_the_very_stream_its_load_plays(qtbot: QtBot, tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "lib")
    backend = FakeBackend()
    application = App(settings=NO_COUNTDOWN, entries=scan_library([LibraryRoot(paid.root / "sessions",
                                                                                paid.root / "media")]),
                      backend=backend, journal=Journal.open(tmp_path / "data" / "journal.db"),
                      licenses=LicenseStore(tmp_path / "data" / "licenses"),
                      now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    qtbot.addWidget(application.window)
    try:
        application.keys.unlock(paid.key())
        assert application.start_session("paid-demo", full=True) and application.controller is not None
        controller = application.controller
        controller.end_now()
        assert controller.state.phase is Phase.CHECKIN
        prepared = backend.prepared
        assert prepared is not None and not isinstance(prepared.source, Path)
        assert prepared.cues is None, "a paid part has no plaintext cue file"
        controller.save_checkin(Answers(discomfort=1))
        # A stream matches only itself: the controller loads the object it prepared, not a new one.
        assert backend.prepared_loads == 1 and backend.loaded == prepared.source.name
    finally:
        application.shut_down()
