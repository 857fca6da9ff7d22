"""A real, deterministic backend without video, for tests, demos and UI work (``--backend fake``).

Time moves when :meth:`FakeBackend.advance` says so (fast UI tests, the contract suite) or, given a
``clock``, by that monotonic clock, read at every :meth:`FakeBackend.tick` and every position query. It
accepts what libVLC accepts at the file level (an existing, non-empty file with a video container
signature) and fails the same way otherwise. In the app it shows a test picture
(:mod:`player.playback.fake.picture`) instead of video.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from player.core.errors import CryptoError, PlaybackError
from player.core.session.manifest import VIDEO_SIGNATURES
from player.playback.base import MediaRequest, MediaSource, PlaybackListener

# Length of a fake media file whose duration was not given.
DEFAULT_FAKE_DURATION_MS = 30_000


class FakeBackend:
    """Plays nothing, but keeps position, rate, pause and end exactly like a player would.

    A media's length is its MP4 header's, unless ``durations_ms`` (by file name) says otherwise.
    ``clock`` (seconds, monotonic, e.g. ``time.monotonic``): time passes by it; None: only by ``advance``.
    """

    name = "fake"

    def __init__(self, *, durations_ms: Mapping[str, int] | None = None,
                 default_duration_ms: int = DEFAULT_FAKE_DURATION_MS,
                 clock: Callable[[], float] | None = None) -> None:
        self.durations_ms = dict(durations_ms or {})
        self.default_duration_ms = default_duration_ms
        self.window_handle: int | None = None
        self.loaded: str | None = None
        self.prepared: MediaRequest | None = None  # made ready by prepare(), until a load takes it or drops it
        self.prepared_loads = 0  # loads that took a prepared request over
        self.rate = 1.0
        self.mirrored = False
        self.cues: Path | None = None
        self.cues_visible = True
        self.volume_percent = 100
        self.muted = False
        self._listener: PlaybackListener | None = None
        self._position_ms = 0.0
        self._duration_ms = 0
        self._playing = False
        self._shown_frame = False
        self._broken = False
        self._clock = clock
        self._ticked_at = clock() if clock is not None else 0.0

    def set_listener(self, listener: PlaybackListener | None) -> None:
        self._listener = listener

    def attach_window(self, handle: int) -> None:
        self.window_handle = handle

    def prepare(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
                cues: Path | None = None) -> None:
        self.prepared = None
        try:
            _peek(source)  # what a player opens ahead: a source it cannot open is not prepared
        except (PlaybackError, CryptoError, OSError):
            return
        self.prepared = MediaRequest(source, start_ms=start_ms, mirrored=mirrored, cues=cues)

    def load(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
             cues: Path | None = None) -> None:
        prepared, self.prepared = self.prepared, None
        if prepared is not None and prepared.matches(MediaRequest(source, start_ms=start_ms, mirrored=mirrored,
                                                                  cues=cues)):
            self.prepared_loads += 1
        name, head = _peek(source)
        self.loaded = name
        self.mirrored = mirrored
        self.cues = cues if cues is not None and cues.is_file() else None
        decodable, duration_ms = _media_facts(head, source)
        self._broken = not decodable
        self._duration_ms = self.durations_ms.get(Path(name).name, duration_ms or self.default_duration_ms)
        self._position_ms = float(min(max(0, start_ms), self._duration_ms))
        self._playing = False
        self._shown_frame = False

    def play(self) -> None:
        if self.loaded is None:
            return
        if self._broken:
            self._playing = False
            self._emit_failed(f"{Path(self.loaded).name} could not be decoded")
            return
        if self._position_ms >= self._duration_ms:
            self._position_ms = 0.0
        self.tick()
        self._playing = True

    def pause(self) -> None:
        self.tick()
        self._playing = False

    def stop(self) -> None:
        self._playing = False
        self.loaded = None
        self.prepared = None
        self._position_ms = 0.0

    def seek(self, position_ms: int) -> None:
        self.tick()
        if self.loaded is not None:
            self._position_ms = float(min(max(0, position_ms), self._duration_ms))

    def set_rate(self, rate: float) -> None:
        self.tick()
        self.rate = rate

    def set_volume(self, percent: int) -> None:
        self.volume_percent = max(0, min(100, percent))

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def set_cues_visible(self, visible: bool) -> None:
        self.cues_visible = visible

    def position_ms(self) -> int:
        self.tick()
        return int(self._position_ms)

    def duration_ms(self) -> int:
        return self._duration_ms if self.loaded is not None else 0

    def is_playing(self) -> bool:
        self.tick()
        return self._playing

    def close(self) -> None:
        self.stop()
        self._listener = None

    def tick(self) -> None:
        """With a clock: let the time since the last tick pass (events are sent from here). Else nothing."""
        if self._clock is None:
            return
        now = self._clock()
        elapsed_ms = (now - self._ticked_at) * 1000
        self._ticked_at = now
        if elapsed_ms > 0:
            self.advance(elapsed_ms)

    def advance(self, elapsed_ms: float) -> None:
        """Let ``elapsed_ms`` of wall time pass: show the first frame, move, and end at the end."""
        if not self._playing:
            return
        if not self._shown_frame:
            self._shown_frame = True
            if self._listener:
                self._listener.playback_first_frame()
        self._position_ms = min(self._position_ms + elapsed_ms * self.rate, float(self._duration_ms))
        if self._position_ms >= self._duration_ms:
            self._playing = False
            if self._listener:
                self._listener.playback_ended()

    def _emit_failed(self, message: str) -> None:
        if self._listener:
            self._listener.playback_failed(PlaybackError(message))


def _peek(source: MediaSource) -> tuple[str, bytes]:
    if isinstance(source, Path):
        if not source.is_file():
            raise PlaybackError(f"{source.name}: file not found")
        with source.open("rb") as handle:
            return str(source), handle.read(16)
    with source.open() as stream:
        return source.name, stream.read(16)


def _read_all(source: MediaSource) -> bytes:
    if isinstance(source, Path):
        return source.read_bytes()
    with source.open() as stream:
        return stream.read()


def _top_boxes(data: bytes) -> dict[bytes, bytes] | None:
    """An MP4's top-level boxes by type (their payloads), or None when the chain of boxes is broken."""
    offset, boxes = 0, {}
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        if size < 8 or not kind.isalnum() or offset + size > len(data):
            return None
        boxes[kind] = data[offset + 8 : offset + size]
        offset += size
    return boxes if offset == len(data) else None


def _media_facts(head: bytes, source: MediaSource) -> tuple[bool, int | None]:
    """Whether libVLC could decode it (a known container; for MP4 a sound box chain with ``moov``) and,
    for MP4, the duration in ms from ``moov/mvhd``."""
    if not any(signature(head) for signature in VIDEO_SIGNATURES):
        return False, None
    if head[4:8] != b"ftyp":
        return True, None
    boxes = _top_boxes(_read_all(source))
    if boxes is None or b"moov" not in boxes:
        return False, None
    return True, _mvhd_duration_ms(boxes[b"moov"])


def _mvhd_duration_ms(moov: bytes) -> int | None:
    """The movie header's duration: ``mvhd`` is the first box inside ``moov`` in files this app plays."""
    at = moov.find(b"mvhd")
    if at < 4:
        return None
    body = moov[at + 4 :]
    version = body[0] if body else 0
    if version == 1:
        timescale, duration = int.from_bytes(body[20:24], "big"), int.from_bytes(body[24:32], "big")
    else:
        timescale, duration = int.from_bytes(body[12:16], "big"), int.from_bytes(body[16:20], "big")
    return duration * 1000 // timescale if timescale else None
