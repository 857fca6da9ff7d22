"""The Qt Multimedia backend beyond the shared contract: its decrypting device, seeking in a paid part, pitch,
mirror, cues and sound. Device tests are fast; playing ones carry the ``multimedia`` marker (offscreen)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QIODevice, Qt
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QVideoFrame, QVideoSink
from pytestqt.qtbot import QtBot

from player.core.errors import PlaybackError, PlaybackUnavailableError
from player.core.licensing.encryption import encrypt, media_context
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.qt.device import StreamDevice
from tests.conftest import DATA, REPO
from tests.playback.test_contract import Recorder

SNIPPET = REPO / "media" / "foot-spine-connections" / "01-big-toe-hip.mp4"
SNIPPET_CUES = SNIPPET.with_suffix(".vtt")
KEY = bytes(range(16))
PLAIN = SNIPPET.read_bytes()


def _seal(tmp_path: Path, plain: bytes = PLAIN) -> EncryptedPart:
    sealed = tmp_path / "part.mpe"
    sealed.write_bytes(encrypt(plain, key=KEY, context=media_context("s", "p")))
    return EncryptedPart(sealed, session_id="s", part_id="p", content_key=KEY)


@pytest.fixture(scope="module")
def sealed_snippet(tmp_path_factory: pytest.TempPathFactory) -> EncryptedPart:
    return _seal(tmp_path_factory.mktemp("sealed"))


def _read(device: StreamDevice, n: int) -> bytes:
    return bytes(device.read(n).data())


@settings(max_examples=40, deadline=None)
@given(offsets=st.lists(st.integers(min_value=0, max_value=len(PLAIN)), min_size=1, max_size=6),
       length=st.integers(min_value=1, max_value=40_000))
def test_device_reads_the_plaintext_at_any_offset(sealed_snippet: EncryptedPart, offsets: list[int],
                                                  length: int) -> None:
    device = StreamDevice(sealed_snippet)
    assert device.size() == len(PLAIN) and not device.isSequential()
    for offset in offsets:
        assert device.seek(offset)
        assert device.pos() == offset
        assert _read(device, length) == PLAIN[offset : offset + length]
    device.close()


def test_device_refuses_seeks_outside_and_reads_nothing_once_closed(sealed_snippet: EncryptedPart) -> None:
    device = StreamDevice(sealed_snippet)
    assert not device.seek(-1) and not device.seek(len(PLAIN) + 1)
    assert device.seek(len(PLAIN)) and device.atEnd()
    device.close()
    assert not device.isOpen() and not device.seek(0)


def test_device_reports_a_damaged_chunk_as_a_read_error(tmp_path: Path) -> None:
    part = _seal(tmp_path)
    damaged = bytearray(part.path.read_bytes())
    damaged[56 + 16400 + 100] ^= 0xFF  # inside the second chunk: the header and the first chunk still open
    part.path.write_bytes(bytes(damaged))
    device = StreamDevice(part)
    assert _read(device, 1000) == PLAIN[:1000]
    assert device.seek(20_000)
    assert device.read(100).size() == 0  # -1 from readData: Qt sees a failed read, nothing raised


def test_device_that_cannot_open_says_which_part(tmp_path: Path) -> None:
    part = _seal(tmp_path)
    part.path.unlink()
    with pytest.raises(PlaybackError, match=r"part\.mpe: cannot be opened"):
        StreamDevice(part)


def test_device_is_read_only(sealed_snippet: EncryptedPart) -> None:
    device = StreamDevice(sealed_snippet)
    assert device.openMode() & QIODevice.OpenModeFlag.ReadOnly
    assert device.write(b"x") == -1
    assert not isinstance(device, io.IOBase)  # a Qt device: nothing here goes through Python file APIs


# Playing, for real (offscreen).

class FrameCounter:
    """A display sink stand-in: the frames and subtitle texts that reach the picture."""

    def __init__(self) -> None:
        self.sink = QVideoSink()
        self.frames: list[QVideoFrame] = []
        self.sink.videoFrameChanged.connect(self.frames.append)


@pytest.fixture
def qt_backend(qapp: object) -> Iterator[tuple[object, Recorder]]:
    try:
        from player.playback.qt.backend import QtBackend

        backend = QtBackend()
    except PlaybackUnavailableError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Qt Multimedia cannot decode video on this machine")
    recorder = Recorder()
    backend.set_listener(recorder)
    yield backend, recorder
    backend.close()


@pytest.mark.multimedia
def test_paid_part_seeks_back_and_forth_through_the_device(qtbot: QtBot, qt_backend: tuple, tmp_path: Path) -> None:
    backend, recorder = qt_backend
    backend.load(_seal(tmp_path), start_ms=20_000)
    backend.play()
    qtbot.waitUntil(lambda: "first_frame" in recorder.events, timeout=4000)
    assert backend.position_ms() >= 19_900
    for target in (5_000, 30_000, 1_000):
        backend.seek(target)
        qtbot.waitUntil(lambda t=target: t <= backend.position_ms() <= t + 1500, timeout=3000)
    assert backend.is_playing() and recorder.events == ["first_frame"]


@pytest.mark.multimedia
def test_rate_keeps_the_pitch_and_changes_speed(qtbot: QtBot, qt_backend: tuple) -> None:
    backend, recorder = qt_backend
    assert backend.pitch_kept
    backend.load(SNIPPET)
    backend.set_rate(0.5)
    backend.play()
    qtbot.waitUntil(lambda: "first_frame" in recorder.events, timeout=4000)
    qtbot.wait(200)
    start = backend.position_ms()
    qtbot.wait(1000)
    slow = backend.position_ms() - start
    backend.set_rate(1.5)
    qtbot.wait(200)
    start = backend.position_ms()
    qtbot.wait(1000)
    fast = backend.position_ms() - start
    assert 350 <= slow <= 700 and 1250 <= fast <= 1800


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference of sampled grey levels, 0-255."""
    total = count = 0
    for y in range(0, min(a.height(), b.height()), 7):
        for x in range(0, min(a.width(), b.width()), 7):
            total += abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness())
            count += 1
    return total / max(count, 1)


def _picture_at(qtbot: QtBot, backend: object, recorder: Recorder, display: FrameCounter, *, mirrored: bool) -> QImage:
    """The first picture that reaches the display when SNIPPET is loaded 6 s in (paused there)."""
    recorder.events.clear()
    display.frames.clear()
    backend.load(SNIPPET, start_ms=6_000, mirrored=mirrored, cues=SNIPPET_CUES)  # type: ignore[attr-defined]
    backend.play()  # type: ignore[attr-defined]
    backend.pause()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(display.frames) >= 1, timeout=4000)
    qtbot.wait(300)
    return display.frames[-1].toImage()


@pytest.mark.multimedia
def test_mirror_flips_the_picture_and_cues_reach_it_unflipped(qtbot: QtBot, qt_backend: tuple) -> None:
    backend, recorder = qt_backend
    display = FrameCounter()
    backend.set_video_sink(display.sink)
    plain = _picture_at(qtbot, backend, recorder, display, mirrored=False)
    assert display.sink.subtitleText() == "Lift the big toe; the heel stays down" == backend.cue_text()
    plain_format = display.frames[-1].pixelFormat()
    mirrored = _picture_at(qtbot, backend, recorder, display, mirrored=True)
    # the decoder's frame, copied under a mirrored surface format: no conversion to RGB on the way
    assert display.frames[-1].pixelFormat() == plain_format and display.frames[-1].surfaceFormat().isMirrored()
    flipped = plain.flipped(Qt.Orientation.Horizontal)
    assert _difference(mirrored, flipped) < 3 < _difference(mirrored, plain)
    assert display.sink.subtitleText() == "Lift the big toe; the heel stays down"  # text, drawn upright
    shown = len(display.frames)
    backend.set_cues_visible(False)
    assert display.sink.subtitleText() == "" == backend.cue_text()
    assert len(display.frames) == shown + 1  # paused: the picture goes again, so the widget redraws without text
    backend.set_cues_visible(True)
    assert display.sink.subtitleText() == "Lift the big toe; the heel stays down"


@pytest.mark.multimedia
def test_cue_follows_the_position(qtbot: QtBot, qt_backend: tuple) -> None:
    backend, recorder = qt_backend
    display = FrameCounter()
    backend.set_video_sink(display.sink)
    backend.load(SNIPPET, start_ms=4_000, cues=SNIPPET_CUES)
    backend.play()
    assert backend.cue_text() == "Big toe and hip"
    qtbot.waitUntil(lambda: display.sink.subtitleText() == "Lift the big toe; the heel stays down", timeout=4000)


@pytest.mark.multimedia
def test_volume_and_mute_reach_the_audio_output(qt_backend: tuple) -> None:
    backend, _recorder = qt_backend
    backend.set_volume(40)
    assert backend.volume_percent == 40
    backend.set_volume(140)
    assert backend.volume_percent == 100
    backend.set_muted(True)
    assert backend.muted and backend.volume_percent == 100
    backend.set_muted(False)
    assert not backend.muted


@pytest.mark.multimedia
def test_wrong_key_for_a_paid_part_is_a_playback_error(qt_backend: tuple, tmp_path: Path) -> None:
    backend, recorder = qt_backend
    part = _seal(tmp_path, (DATA / "clip-2s.mp4").read_bytes())
    part._key = bytes(16)  # what a patched licence check would hand over
    with pytest.raises(PlaybackError, match="part.mpe: cannot be opened"):
        backend.load(part)
    assert recorder.events == []
