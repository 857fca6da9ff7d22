"""One contract, every backend: the fake, real libVLC (headless, --vout=dummy --aout=dummy) and real Qt Multimedia
(headless: offscreen platform, frames decoded into a video sink that nothing draws)."""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest

from player.core.errors import PlaybackError, PlaybackUnavailableError
from player.core.licensing.encryption import encrypt, media_context
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.base import PlaybackBackend
from player.playback.fake import FakeBackend
from tests.conftest import DATA, REPO

CLIP = DATA / "clip-2s.mp4"
CORRUPT = DATA / "corrupt.mp4"
CLIP_MS = 2000


@dataclass
class Recorder:
    """A listener that records events (from any thread) and can wait for them."""

    events: list[str] = field(default_factory=list)
    errors: list[PlaybackError] = field(default_factory=list)
    changed: threading.Event = field(default_factory=threading.Event)

    def playback_first_frame(self) -> None:
        self.events.append("first_frame")
        self.changed.set()

    def playback_ended(self) -> None:
        self.events.append("ended")
        self.changed.set()

    def playback_failed(self, error: PlaybackError) -> None:
        self.events.append("failed")
        self.errors.append(error)
        self.changed.set()


@dataclass
class Harness:
    backend: PlaybackBackend
    recorder: Recorder
    let_time_pass: Callable[[int], None]

    def wait_for(self, event: str, *, within_ms: int) -> bool:
        waited = 0
        while event not in self.recorder.events and waited < within_ms:
            self.let_time_pass(50)
            waited += 50
        return event in self.recorder.events


def _fake() -> tuple[PlaybackBackend, Callable[[int], None]]:
    backend = FakeBackend()  # it reads the clip's length from its MP4 header, as libVLC does
    return backend, backend.advance


def _fake_by_clock() -> tuple[PlaybackBackend, Callable[[int], None]]:
    """The fake as the app runs it (``--backend fake``): time moves by a clock, read when asked."""
    now = [0.0]
    backend = FakeBackend(clock=lambda: now[0])

    def let_time_pass(ms: int) -> None:
        now[0] += ms / 1000
        backend.tick()

    return backend, let_time_pass


def _vlc() -> tuple[PlaybackBackend, Callable[[int], None]]:
    from player.playback.vlc.backend import VlcBackend

    try:
        backend = VlcBackend(headless=True)
    except PlaybackUnavailableError:
        if os.environ.get("CI"):
            raise  # CI installs libVLC: its absence there is a failure, not a skip
        pytest.skip("libVLC is not installed on this machine")
    return backend, lambda ms: time.sleep(ms / 1000)


def _qt(request: pytest.FixtureRequest) -> tuple[PlaybackBackend, Callable[[int], None]]:
    request.getfixturevalue("qapp")  # Qt Multimedia needs a running QApplication (offscreen here)
    try:
        from player.playback.qt.backend import QtBackend

        backend = QtBackend()
    except PlaybackUnavailableError:
        if os.environ.get("CI"):
            raise  # CI installs PySide6 with its FFmpeg plugin: its absence there is a failure, not a skip
        pytest.skip("Qt Multimedia cannot decode video on this machine")
    qtbot = request.getfixturevalue("qtbot")
    return backend, lambda ms: qtbot.wait(ms)  # Qt's signals arrive through the event loop


@pytest.fixture(params=[pytest.param(_fake, id="fake"), pytest.param(_fake_by_clock, id="fake-clock"),
                        pytest.param(_vlc, id="vlc", marks=pytest.mark.vlc),
                        pytest.param(_qt, id="qt", marks=pytest.mark.multimedia)])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    backend, let_time_pass = request.param(request) if request.param is _qt else request.param()
    recorder = Recorder()
    backend.set_listener(recorder)
    yield Harness(backend, recorder, let_time_pass)
    backend.close()


def test_duration_is_known_by_the_first_frame(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert abs(harness.backend.duration_ms() - CLIP_MS) <= 100


def test_pause_right_after_play_holds(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    harness.backend.pause()
    harness.let_time_pass(1500)
    assert not harness.backend.is_playing()
    assert harness.backend.position_ms() < 1000 and "ended" not in harness.recorder.events


def test_plays_shows_first_frame_and_ends(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert harness.wait_for("ended", within_ms=5000)
    assert harness.recorder.events == ["first_frame", "ended"]


def test_position_advances_and_pause_holds_it(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.let_time_pass(500)
    assert harness.backend.is_playing()
    assert 0 < harness.backend.position_ms() <= CLIP_MS
    harness.backend.pause()
    harness.let_time_pass(300)
    held = harness.backend.position_ms()
    harness.let_time_pass(300)
    assert not harness.backend.is_playing()
    assert harness.backend.position_ms() == held


def test_seek_moves_position(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.backend.pause()
    harness.let_time_pass(200)
    harness.backend.seek(1500)
    harness.let_time_pass(300)
    assert 1300 <= harness.backend.position_ms() <= CLIP_MS


def test_start_position_is_honoured(harness: Harness) -> None:
    harness.backend.load(CLIP, start_ms=1200)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert harness.backend.position_ms() >= 1100


def test_rate_is_accepted(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.set_rate(1.5)
    harness.backend.play()
    assert harness.wait_for("ended", within_ms=4000)


def test_missing_file_raises_playback_error(harness: Harness) -> None:
    with pytest.raises(PlaybackError, match="missing.mp4: file not found"):
        harness.backend.load(DATA / "missing.mp4")


def test_corrupt_file_fails_without_ending(harness: Harness) -> None:
    harness.backend.load(CORRUPT)
    harness.backend.play()
    assert harness.wait_for("failed", within_ms=5000)
    assert "ended" not in harness.recorder.events
    assert "corrupt.mp4" in harness.recorder.errors[0].message


def test_replay_after_end(harness: Harness) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("ended", within_ms=5000)
    harness.recorder.events.clear()
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)


def _encrypted_clip(tmp_path: Path) -> EncryptedPart:
    key = bytes(range(16))
    sealed = tmp_path / "clip.mpe"
    sealed.write_bytes(encrypt(CLIP.read_bytes(), key=key, context=media_context("s", "p")))
    return EncryptedPart(sealed, session_id="s", part_id="p", content_key=key)


def test_stream_media_plays_decrypted_on_the_fly(harness: Harness, tmp_path: Path) -> None:
    harness.backend.load(_encrypted_clip(tmp_path))
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert abs(harness.backend.duration_ms() - CLIP_MS) <= 100
    harness.backend.seek(1200)
    assert harness.wait_for("ended", within_ms=5000)
    assert "failed" not in harness.recorder.events


def test_no_plaintext_written_while_playing_encrypted(harness: Harness, tmp_path: Path) -> None:
    if harness.backend.name == "fake":
        pytest.skip("the fake backend reads through the same stream but writes nothing; real players are to watch")
    part = _encrypted_clip(tmp_path)
    needle = CLIP.read_bytes()[4096:4160]
    places = [tmp_path, Path(tempfile.gettempdir()), Path.home() / ".cache"]

    def files() -> Iterator[Path]:
        for place in places:
            # Other processes (pytest runs, benchmarks) make and delete folders in /tmp while this test walks
            # it: a folder that vanishes mid-walk is skipped (os.walk's onerror), not a failure.
            for folder, subfolders, names in os.walk(place, onerror=lambda _error: None):
                # pytest moves and deletes other tests' folders (pytest-of-*) while this one runs; this
                # test's own folder is scanned on its own.
                if place != tmp_path:
                    subfolders[:] = [name for name in subfolders if not name.startswith("pytest-of-")]
                for name in names:
                    yield Path(folder) / name

    def plaintext_on_disk() -> list[Path]:
        found: list[Path] = []
        for path in files():
            try:
                if path.is_file() and path.stat().st_size < 200_000_000 and needle in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
        return found

    already = set(plaintext_on_disk())  # copies of the test clip that other tools left in /tmp
    harness.backend.load(part)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    during = set(plaintext_on_disk()) - already
    assert harness.wait_for("ended", within_ms=5000)
    assert during == set() and set(plaintext_on_disk()) - already == set()


def test_load_over_a_paused_media_plays_the_new_one(harness: Harness, tmp_path: Path) -> None:
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.backend.pause()
    harness.recorder.events.clear()
    harness.backend.load(CLIP, start_ms=1000)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.let_time_pass(300)
    assert harness.backend.is_playing() and harness.backend.position_ms() >= 900
    assert harness.wait_for("ended", within_ms=4000)
    assert harness.recorder.events == ["first_frame", "ended"]


# prepare(): the next snippet made ready behind the check-in, as the session controller does it.
LONG = REPO / "media" / "foot-spine-connections" / "01-big-toe-hip.mp4"  # 32 s: never ends within these tests
PREPARE_MS = 400  # a check-in is shown for seconds; this is enough for every backend to get a snippet ready


@dataclass
class CountedStream:
    """A StreamMedia over the clip's bytes that counts the readers opened and those still open."""

    name: str = "counted.mp4"
    opened: int = 0
    still_open: set[int] = field(default_factory=set)

    @property
    def size(self) -> int:
        return CLIP.stat().st_size

    def open(self) -> BinaryIO:
        stream = _Reader(CLIP.read_bytes(), self)
        self.opened += 1
        self.still_open.add(id(stream))
        return stream


class _Reader(io.BytesIO):
    def __init__(self, data: bytes, owner: CountedStream) -> None:
        super().__init__(data)
        self._owner = owner

    def close(self) -> None:
        self._owner.still_open.discard(id(self))
        super().close()


def _held(harness: Harness) -> None:
    """A snippet played to its first frame and paused, as it is held behind its check-in."""
    harness.backend.load(CLIP)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.backend.pause()
    harness.recorder.events.clear()


@pytest.mark.parametrize("mirrored", [False, True], ids=["plain", "mirrored"])
def test_prepare_then_load_plays_it_from_its_start(harness: Harness, mirrored: bool) -> None:
    _held(harness)
    harness.backend.prepare(CLIP, mirrored=mirrored)
    harness.let_time_pass(PREPARE_MS)
    assert harness.recorder.events == [], "nothing of a prepared snippet reaches the listener before its load"
    harness.backend.load(CLIP, mirrored=mirrored)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert harness.backend.position_ms() < 600 and abs(harness.backend.duration_ms() - CLIP_MS) <= 100
    harness.let_time_pass(300)
    assert harness.backend.is_playing() and harness.backend.position_ms() > 0
    assert harness.wait_for("ended", within_ms=4000)
    assert harness.recorder.events == ["first_frame", "ended"]


def test_prepare_then_load_of_another_source_plays_that_one(harness: Harness) -> None:
    _held(harness)
    harness.backend.prepare(LONG)
    harness.let_time_pass(PREPARE_MS)
    harness.backend.load(CLIP)  # e.g. R: the snippet of the check-in again, not the prepared one
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert abs(harness.backend.duration_ms() - CLIP_MS) <= 100
    assert harness.wait_for("ended", within_ms=4000)
    assert harness.recorder.events == ["first_frame", "ended"]


def test_prepare_with_other_options_is_not_used(harness: Harness) -> None:
    _held(harness)
    harness.backend.prepare(CLIP)
    harness.let_time_pass(PREPARE_MS)
    harness.backend.load(CLIP, start_ms=1200)  # M on the check-in, or a resume: not what was prepared
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert harness.backend.position_ms() >= 1100


@pytest.mark.parametrize("ending", ["close", "stop"])
def test_prepare_then_close_or_stop_releases_it(harness: Harness, ending: str) -> None:
    stream = CountedStream()
    _held(harness)
    harness.backend.prepare(stream)
    harness.let_time_pass(PREPARE_MS)
    getattr(harness.backend, ending)()
    harness.let_time_pass(100)
    assert stream.opened >= 1 and stream.still_open == set(), "the prepared stream's readers are closed"
    assert "first_frame" not in harness.recorder.events
    if ending == "stop":
        assert not harness.backend.is_playing()


def test_prepared_paid_part_plays_right(harness: Harness, tmp_path: Path) -> None:
    playing, following = _encrypted_clip(tmp_path), _encrypted_clip(tmp_path)
    harness.backend.load(playing)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    harness.backend.pause()
    harness.recorder.events.clear()
    harness.backend.prepare(following)  # its own reader, beside the one of the part held behind the check-in
    harness.let_time_pass(PREPARE_MS)
    harness.backend.load(following)
    harness.backend.play()
    assert harness.wait_for("first_frame", within_ms=3000)
    assert abs(harness.backend.duration_ms() - CLIP_MS) <= 100 and harness.backend.position_ms() < 600
    harness.backend.seek(1200)
    assert harness.wait_for("ended", within_ms=5000)
    assert harness.recorder.events == ["first_frame", "ended"]


def test_prepare_of_a_missing_file_leaves_the_error_to_load(harness: Harness) -> None:
    harness.backend.prepare(DATA / "missing.mp4")
    with pytest.raises(PlaybackError, match="missing.mp4: file not found"):
        harness.backend.load(DATA / "missing.mp4")
