"""A real, deterministic backend without video: time moves only when :meth:`FakeBackend.advance` says so.

Used by fast UI tests and by the contract suite. It accepts what libVLC accepts at the file level
(an existing, non-empty file with a video container signature) and fails the same way otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from player.core.errors import PlaybackError
from player.core.manifest import VIDEO_SIGNATURES
from player.playback.base import MediaSource, PlaybackListener

# Length of a fake media file whose duration was not given.
DEFAULT_FAKE_DURATION_MS = 30_000


class FakeBackend:
    """Plays nothing, but keeps position, rate, pause and end exactly like a player would."""

    name = "fake"

    def __init__(self, *, durations_ms: Mapping[str, int] | None = None,
                 default_duration_ms: int = DEFAULT_FAKE_DURATION_MS) -> None:
        self.durations_ms = dict(durations_ms or {})
        self.default_duration_ms = default_duration_ms
        self.window_handle: int | None = None
        self.loaded: str | None = None
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

    def set_listener(self, listener: PlaybackListener | None) -> None:
        self._listener = listener

    def attach_window(self, handle: int) -> None:
        self.window_handle = handle

    def load(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
             cues: Path | None = None) -> None:
        name, head = _peek(source)
        self.loaded = name
        self.mirrored = mirrored
        self.cues = cues if cues is not None and cues.is_file() else None
        self._duration_ms = self.durations_ms.get(Path(name).name, self.default_duration_ms)
        self._broken = not _looks_decodable(head, source)
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
        self._playing = True

    def pause(self) -> None:
        self._playing = False

    def stop(self) -> None:
        self._playing = False
        self.loaded = None
        self._position_ms = 0.0

    def seek(self, position_ms: int) -> None:
        if self.loaded is not None:
            self._position_ms = float(min(max(0, position_ms), self._duration_ms))

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    def set_volume(self, percent: int) -> None:
        self.volume_percent = max(0, min(100, percent))

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def set_cues_visible(self, visible: bool) -> None:
        self.cues_visible = visible

    def position_ms(self) -> int:
        return int(self._position_ms)

    def duration_ms(self) -> int:
        return self._duration_ms if self.loaded is not None else 0

    def is_playing(self) -> bool:
        return self._playing

    def close(self) -> None:
        self.stop()
        self._listener = None

    def advance(self, elapsed_ms: int) -> None:
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


def _looks_decodable(head: bytes, source: MediaSource) -> bool:
    """A known container signature and, for MP4, a sound chain of top-level boxes with a ``moov``."""
    if not any(signature(head) for signature in VIDEO_SIGNATURES):
        return False
    if head[4:8] != b"ftyp":
        return True
    if isinstance(source, Path):
        data = source.read_bytes()
    else:
        with source.open() as stream:
            data = stream.read()
    offset, boxes = 0, set()
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        if size < 8 or not kind.isalnum() or offset + size > len(data):
            return False
        boxes.add(kind)
        offset += size
    return b"moov" in boxes and offset == len(data)
