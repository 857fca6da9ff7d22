"""Practising again and again with real libVLC (headless) leaves nothing behind per run.

After every practised run (the summary on screen) these counts stay the same: libVLC instances and media
players made (for the app's life one instance and two players, the playing one and the one that prepares the
next snippet during a check-in: no new player per snippet or per run), libVLC
media not yet released (none), the media callbacks' Python state and the decrypting streams of paid parts
(none open), and the app's per-run objects (controllers, event bridges). Counts, not memory figures:
bench/soak_memory.py prints those.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from weakref import WeakSet

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from player.core.errors import PlaybackUnavailableError
from player.core.journal.store import Answers, Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryRoot, scan_library
from player.core.session.runner import Phase
from player.ui.app import App
from player.ui.practice.controller import SessionController
from player.ui.shared.bridge import PlaybackBridge
from tests.conftest import DATA, NO_COUNTDOWN
from tests.paid_fixtures import PaidSession, make_paid_session

pytestmark = pytest.mark.vlc

RUNS = 3
END_MARGIN_MS = 400  # each snippet is sought to this much before its end, then ends by itself
WAIT_MS = 10_000

# python-vlc's functions that make (+1) or release (-1) a libVLC object, by kind.
COUNTED = {
    "libvlc_new": ("instance", +1),
    "libvlc_release": ("instance", -1),
    "libvlc_media_player_new": ("player", +1),
    "libvlc_media_player_release": ("player", -1),
    "libvlc_media_new_path": ("media", +1),
    "libvlc_media_new_location": ("media", +1),
    "libvlc_media_new_callbacks": ("media", +1),
    "libvlc_media_retain": ("media", +1),
    "libvlc_media_release": ("media", -1),
}

THREE_SNIPPETS = """
schema = 1
id = "three"
title = "Three snippets"
""" + "".join(f"""
[[preview]]
id = "clip-{n}"
title = "Clip {n}"
media = "three/clip-{n}.mp4"
duration_s = 2.0
""" for n in (1, 2, 3))


@dataclass
class Native:
    """libVLC objects made and still alive, by kind, as counted through python-vlc."""

    made: Counter[str] = field(default_factory=Counter)
    alive: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def native(monkeypatch: pytest.MonkeyPatch) -> Native:
    try:
        from player.playback.vlc.loader import load_vlc

        vlc = load_vlc()
    except PlaybackUnavailableError:
        if os.environ.get("CI"):
            raise  # CI installs libVLC: its absence there is a failure, not a skip
        pytest.skip("libVLC is not installed on this machine")
    counts = Native()

    def counting(original: Callable[..., Any], kind: str, step: int) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            result = original(*args)
            if step < 0 or result is not None:
                counts.alive[kind] += step
                counts.made[kind] += max(step, 0)
            return result

        return call

    for name, (kind, step) in COUNTED.items():
        monkeypatch.setattr(vlc, name, counting(getattr(vlc, name), kind, step))
    return counts


@pytest.fixture
def library(tmp_path: Path) -> tuple[PaidSession, LibraryRoot]:
    """One root: a three-snippet preview session, and a paid session (two encrypted parts) from the fixtures."""
    paid = make_paid_session(tmp_path / "lib")
    media = paid.root / "media" / "three"
    media.mkdir(parents=True)
    for n in (1, 2, 3):
        shutil.copy(DATA / "clip-2s.mp4", media / f"clip-{n}.mp4")
    (paid.root / "sessions" / "three.toml").write_text(THREE_SNIPPETS)
    return paid, LibraryRoot(paid.root / "sessions", paid.root / "media")


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, native: Native, library: tuple[PaidSession, LibraryRoot]) -> Iterator[App]:
    from player.playback.vlc.backend import VlcBackend

    paid, root = library
    application = App(settings=NO_COUNTDOWN, entries=scan_library([root]), backend=VlcBackend(headless=True),
                      journal=Journal.open(tmp_path / "data" / "journal.db"),
                      licenses=LicenseStore(tmp_path / "data" / "licenses"),
                      now=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    application.keys.unlock(paid.key())
    qtbot.addWidget(application.window)
    application.window.show()
    yield application
    application.shut_down()
    assert native.alive == Counter({"instance": 0, "player": 0, "media": 0}), "closing released everything"


def practise(qtbot: QtBot, app: App, session_id: str, *, full: bool) -> None:
    """One run from the start, as "Practise again" starts it: every snippet to its end and its check-in."""
    assert app.start_session(session_id, full=full)
    controller = app.controller
    assert controller is not None
    for _ in controller.snippets:
        with qtbot.waitSignal(controller.first_frame_shown, timeout=WAIT_MS):
            pass
        duration_ms = controller.backend.duration_ms() or int(controller.snippet.duration_s * 1000)
        controller.seek_to(duration_ms - END_MARGIN_MS)
        qtbot.waitUntil(lambda: controller.state.phase is Phase.CHECKIN, timeout=WAIT_MS)
        controller.save_checkin(Answers(discomfort=1))
    assert controller.state.phase is Phase.SUMMARY
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the previous run's controller
    gc.collect()


def live(kind: type, *, besides: WeakSet[Any] | None = None) -> int:
    """Python objects of ``kind`` still alive (``besides``: not counting these, from before the test)."""
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind) and thing not in (besides or ()))


def open_paid_files() -> int:
    """File descriptors of this process open on a paid part (``.mpe``)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd).endswith(".mpe")) if fds.is_dir() else 0


@pytest.mark.parametrize(("session_id", "full", "snippets"), [("three", False, 3), ("paid-demo", True, 2)],
                         ids=["preview-files", "paid-streams"])
def test_runs_leave_nothing_alive(qtbot: QtBot, app: App, native: Native, session_id: str, full: bool,
                                  snippets: int) -> None:
    from player.playback.vlc.stream import StreamCallbacks

    gc.collect()
    earlier = WeakSet(thing for thing in gc.get_objects() if isinstance(thing, SessionController | PlaybackBridge))
    for run in range(1, RUNS + 1):
        practise(qtbot, app, session_id, full=full)
        assert native.made["instance"] == 1 and native.made["player"] == 2, f"run {run}: one engine for the app's life"
        assert native.alive == Counter({"instance": 1, "player": 2, "media": 0}), f"run {run}"
        # The next snippet's media is made during the check-in and is the one that plays: none made twice.
        assert native.made["media"] == run * snippets, f"run {run}: one media per snippet played"
        assert live(StreamCallbacks) == 0 and open_paid_files() == 0, f"run {run}: a paid part stayed open"
        assert live(SessionController, besides=earlier) == 1, f"run {run}: an earlier run's controller is alive"
        assert live(PlaybackBridge, besides=earlier) <= 1, f"run {run}: earlier snippets' event bridges are alive"
