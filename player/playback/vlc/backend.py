"""The libVLC backend (python-vlc).

libVLC calls event callbacks on its own threads: they only record a fact or forward the event to
the listener, never call libVLC (that deadlocks). The end of a snippet is its EndReached or
EncounteredError event; the app adds a watchdog. Position is interpolated between libVLC's coarse
``get_time()`` steps with a monotonic clock.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from player.core.defaults import PARSE_TIMEOUT_MS
from player.core.errors import PlaybackError, PlaybackUnavailableError
from player.playback.base import MediaSource, PlaybackListener
from player.playback.vlc.loader import load_vlc
from player.playback.vlc.stream import StreamCallbacks

# libVLC options for every instance: no title overlay, no stray windows, quiet logs.
# No automatic subtitles: a cue file beside the video is the app's to show or hide, not libVLC's.
BASE_OPTIONS = ("--no-video-title-show", "--no-snapshot-preview", "--quiet", "--no-stats", "--no-sub-autodetect-file")
# With no window to draw in, libVLC must not open its own window or a terminal video output.
HEADLESS_OPTIONS = ("--vout=dummy", "--aout=dummy")
# The mirrored engine's extra options: flip every picture left-right.
MIRROR_OPTIONS = ("--video-filter=transform", "--transform-type=hflip")
# A libVLC position report may trail the real one by this much; interpolation never runs further ahead.
MAX_INTERPOLATION_MS = 1_000
# After a seek, time reports further than this from the target are stale, for at most SEEK_SETTLE_S.
SEEK_TOLERANCE_MS = 1_500
SEEK_SETTLE_S = 1.5


class VlcBackend:
    """Plays media with libVLC, into an embedded window or headless."""

    name = "vlc"

    def __init__(self, *, headless: bool = False, extra_options: tuple[str, ...] = ()) -> None:
        """Start a libVLC instance; raises PlaybackUnavailableError when libVLC is missing or refuses."""
        self._vlc: Any = load_vlc()
        self._options = [*BASE_OPTIONS, *(HEADLESS_OPTIONS if headless else ()), *extra_options]
        self._engines: dict[bool, tuple[Any, Any]] = {}
        self._window_handle: int | None = None
        self._instance, self._player = self._engine(mirrored=False)
        self._listener: PlaybackListener | None = None
        self._lock = threading.Lock()
        self._media: Any = None
        self._stream: StreamCallbacks | None = None
        self._media_name = ""
        self._duration_ms = 0
        self._rate = 1.0
        self._seen_frame = False
        self._last_time_ms = 0
        self._last_time_at = time.monotonic()
        self._time_known = False
        self._seeked_at = 0.0

    def _engine(self, *, mirrored: bool) -> tuple[Any, Any]:
        """The libVLC instance and player for plain or mirrored video, made on first use.

        libVLC 3 applies video filters per instance only (a ``:video-filter`` media option is ignored),
        so mirroring plays through a second instance started with the transform filter.
        """
        if mirrored not in self._engines:
            options = [*self._options, *MIRROR_OPTIONS] if mirrored else self._options
            instance = self._vlc.Instance(options)
            if instance is None:
                raise PlaybackUnavailableError("libVLC would not start with these options.", detail=" ".join(options))
            player = instance.media_player_new()
            events = player.event_manager()
            kinds = self._vlc.EventType
            events.event_attach(kinds.MediaPlayerVout, self._on_vout)
            events.event_attach(kinds.MediaPlayerEndReached, self._on_end)
            events.event_attach(kinds.MediaPlayerEncounteredError, self._on_error)
            self._engines[mirrored] = (instance, player)
            if self._window_handle is not None:
                self._embed(player, self._window_handle)
        return self._engines[mirrored]

    def set_listener(self, listener: PlaybackListener | None) -> None:
        with self._lock:
            self._listener = listener

    def attach_window(self, handle: int) -> None:
        self._window_handle = handle
        for _instance, player in self._engines.values():
            self._embed(player, handle)

    @staticmethod
    def _embed(player: Any, handle: int) -> None:
        # Keys and mouse movement over the video belong to the app (shortcuts, waking fullscreen controls).
        player.video_set_key_input(False)
        player.video_set_mouse_input(False)
        if sys.platform.startswith("linux"):
            player.set_xwindow(handle)
        elif sys.platform == "win32":
            player.set_hwnd(handle)
        elif sys.platform == "darwin":
            player.set_nsobject(handle)

    def load(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
             cues: Path | None = None) -> None:
        previous_player, previous_media = self._player, self._media
        self._instance, self._player = self._engine(mirrored=mirrored)
        if previous_media is not None and previous_player is not self._player:
            previous_player.stop()  # the other engine: its picture must not linger
        stream: StreamCallbacks | None = None
        if isinstance(source, Path):
            if not source.is_file():
                raise PlaybackError(f"{source.name}: file not found")
            media = self._instance.media_new_path(str(source))
            self._media_name = source.name
        else:
            stream = StreamCallbacks(source)
            media = stream.new_media(self._vlc, self._instance)
            self._media_name = source.name
        if media is None:
            raise PlaybackError(f"{self._media_name}: libVLC could not open it")
        if start_ms > 0:
            media.add_option(f":start-time={start_ms / 1000:.3f}")
        if cues is not None and cues.is_file():
            media.add_option(f":sub-file={cues}")
        self._duration_ms = 0
        # The previous media's callbacks run (reads, then close) until set_media has ended its input:
        # they must not be collected before that.
        previous_stream, self._stream = self._stream, stream
        self._start_parse(media)
        self._media = media
        # Replacing the media (no stop() first) ends the previous input but keeps its video output, so
        # the next snippet's picture comes sooner; set_media returns once the old input has finished.
        self._player.set_media(media)
        if previous_media is not None:
            previous_media.release()
        del previous_stream  # closed by libVLC now
        self._player.set_rate(self._rate)
        self._seen_frame = False
        self._last_time_ms = max(0, start_ms)
        self._last_time_at = time.monotonic()
        self._time_known = False

    def play(self) -> None:
        if self._media is not None and self._player.play() == -1:
            self._forward_failure(f"{self._media_name}: libVLC could not start playing it")

    def pause(self) -> None:
        if self._media is not None:
            self._player.set_pause(1)  # also while still opening, when is_playing() is not yet true

    def stop(self) -> None:
        if self._media is not None:
            self._player.stop()
            self._media.release()
        self._media = None
        self._stream = None
        self._duration_ms = 0

    def seek(self, position_ms: int) -> None:
        if self._media is None:
            return
        target = max(0, min(position_ms, self._duration_ms - 1 if self._duration_ms else position_ms))
        self._player.set_time(int(target))
        self._last_time_ms = int(target)
        self._last_time_at = self._seeked_at = time.monotonic()
        self._time_known = True

    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self._player.set_rate(rate)

    def set_volume(self, percent: int) -> None:
        self._player.audio_set_volume(max(0, min(100, percent)))

    def set_muted(self, muted: bool) -> None:
        self._player.audio_set_mute(muted)

    def set_cues_visible(self, visible: bool) -> None:
        if not visible:
            self._player.video_set_spu(-1)
            return
        tracks = [track_id for track_id, _name in self._player.video_get_spu_description() or [] if track_id >= 0]
        if tracks:
            self._player.video_set_spu(tracks[0])

    def cue_track_count(self) -> int:
        """How many subtitle tracks libVLC has for the playing media (the loaded cues among them)."""
        return max(0, int(self._player.video_get_spu_count()))

    def position_ms(self) -> int:
        if self._media is None:
            return 0
        reported = int(self._player.get_time())
        now = time.monotonic()
        if self._seek_pending(reported, now):
            reported = self._last_time_ms
        if reported > 0 and reported != self._last_time_ms:
            # libVLC reports 0 until the decoder has really started (even at a start-time): skip those.
            self._last_time_ms, self._last_time_at, self._time_known = reported, now, True
        position = self._last_time_ms
        if self._time_known and self._player.is_playing():
            ahead = (now - self._last_time_at) * 1000 * self._rate
            position += int(min(ahead, MAX_INTERPOLATION_MS))
        return min(position, self._duration_ms) if self._duration_ms else position

    def _seek_pending(self, reported_ms: int, now: float) -> bool:
        """True while libVLC still reports the time from before the last seek (it lags up to ~1 s)."""
        return now - self._seeked_at < SEEK_SETTLE_S and abs(reported_ms - self._last_time_ms) > SEEK_TOLERANCE_MS

    def duration_ms(self) -> int:
        if self._duration_ms == 0 and self._media is not None:
            self._duration_ms = self._parsed_duration_ms() or max(0, int(self._player.get_length()))
        return self._duration_ms

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def close(self) -> None:
        self.set_listener(None)
        self.stop()
        for instance, player in self._engines.values():
            player.release()
            instance.release()
        self._engines.clear()

    def _start_parse(self, media: Any) -> None:
        """Parse a local file's duration in the background; duration_ms() collects it, never waiting."""
        if self._stream is None:  # libVLC skips parsing callback media: its length is known once it plays
            media.parse_with_options(self._vlc.MediaParseFlag.local, PARSE_TIMEOUT_MS)

    def _parsed_duration_ms(self) -> int:
        """The parsed duration once the background parse is done; 0 (unknown) before, never a wait."""
        if self._stream is not None or self._media.get_parsed_status() == 0:
            return 0
        return max(0, int(self._media.get_duration()))

    # libVLC threads below: record and forward only, never call libVLC.
    def _on_vout(self, event: Any) -> None:
        if event.u.new_count > 0 and not self._seen_frame:
            self._seen_frame = True
            with self._lock:
                if self._listener:
                    self._listener.playback_first_frame()

    def _on_end(self, _event: Any) -> None:
        if not self._seen_frame:
            self._forward_failure(f"{self._media_name}: the video could not be decoded (no picture)")
            return
        with self._lock:
            if self._listener:
                self._listener.playback_ended()

    def _on_error(self, _event: Any) -> None:
        self._forward_failure(f"{self._media_name}: libVLC could not play it (the file may be damaged)")

    def _forward_failure(self, message: str) -> None:
        with self._lock:
            if self._listener:
                self._listener.playback_failed(PlaybackError(message))
