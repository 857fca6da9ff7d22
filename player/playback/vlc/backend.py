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
from player.playback.base import MediaRequest, MediaSource, PlaybackListener
from player.playback.vlc.loader import load_vlc
from player.playback.vlc.prepared import PreparedMedia
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
        self._spares: dict[bool, Any] = {}  # per engine, the player that prepares the next snippet
        self._prepared: PreparedMedia | None = None
        self._window_handle: int | None = None
        self._instance, self._player = self._engine(mirrored=False)
        self._listener: PlaybackListener | None = None
        self._lock = threading.Lock()
        self._media: Any = None
        self._stream: StreamCallbacks | None = None
        self._media_name = ""
        self._duration_ms = 0
        self._rate = 1.0
        self._volume_percent: int | None = None  # as last set: a prepared player taking over gets the same
        self._muted = False
        self._seen_frame = False
        self._frame_due_on_play = False  # a prepared player took over with its first picture: play() says so
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
            self._engines[mirrored] = (instance, self._new_player(instance))
        return self._engines[mirrored]

    def _new_player(self, instance: Any) -> Any:
        """A player of ``instance`` whose events reach this backend, drawing into the window if there is one."""
        player = instance.media_player_new()
        events = player.event_manager()
        kinds = self._vlc.EventType
        events.event_attach(kinds.MediaPlayerVout, self._on_vout, player)
        events.event_attach(kinds.MediaPlayerEndReached, self._on_end, player)
        events.event_attach(kinds.MediaPlayerEncounteredError, self._on_error, player)
        if self._window_handle is not None:
            self._embed(player, self._window_handle)
        return player

    def _players(self) -> list[Any]:
        return [player for _instance, player in self._engines.values()] + list(self._spares.values())

    def set_listener(self, listener: PlaybackListener | None) -> None:
        with self._lock:
            self._listener = listener

    def attach_window(self, handle: int) -> None:
        self._window_handle = handle
        for player in self._players():
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
        request = MediaRequest(source, start_ms=start_ms, mirrored=mirrored, cues=cues)
        prepared = self._prepared
        if prepared is not None and prepared.request.matches(request) and prepared.ready_to_play():
            self._take_over(prepared)
            return
        self._release_prepared()
        previous_player, previous_media = self._player, self._media
        self._instance, self._player = self._engine(mirrored=mirrored)
        if previous_media is not None and previous_player is not self._player:
            previous_player.stop()  # the other engine: its picture must not linger
        media, stream = self._new_media(self._instance, request)
        self._media_name = source.name
        # The previous media's callbacks run (reads, then close) until set_media has ended its input:
        # they must not be collected before that.
        previous_stream, self._stream = self._stream, stream
        self._start_parse(media, stream)
        self._media = media
        # Replacing the media (no stop() first) ends the previous input but keeps its video output, so
        # the next snippet's picture comes sooner; set_media returns once the old input has finished.
        self._player.set_media(media)
        if previous_media is not None:
            previous_media.release()
        del previous_stream  # closed by libVLC now
        self._seen_frame = self._frame_due_on_play = False
        self._loaded(start_ms)

    def _new_media(self, instance: Any, request: MediaRequest) -> tuple[Any, StreamCallbacks | None]:
        """A libVLC media for ``request`` (with its own stream reader for a StreamMedia); raises PlaybackError."""
        source, stream = request.source, None
        if isinstance(source, Path):
            if not source.is_file():
                raise PlaybackError(f"{source.name}: file not found")
            media = instance.media_new_path(str(source))
        else:
            stream = StreamCallbacks(source)
            media = stream.new_media(self._vlc, instance)
        if media is None:
            raise PlaybackError(f"{source.name}: libVLC could not open it")
        if request.start_ms > 0:
            media.add_option(f":start-time={request.start_ms / 1000:.3f}")
        if request.cues is not None and request.cues.is_file():
            media.add_option(f":sub-file={request.cues}")
        return media, stream

    def _loaded(self, start_ms: int) -> None:
        """The state of a freshly loaded media, played from ``start_ms``."""
        self._duration_ms = 0
        self._player.set_rate(self._rate)
        self._last_time_ms = max(0, start_ms)
        self._last_time_at = time.monotonic()
        self._time_known = False

    def prepare(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
                cues: Path | None = None) -> None:
        """Also ends what is loaded: libVLC lets one player at a time draw into a window (another one would open
        a window of its own), and a held picture behind the check-in is of no use once the next one is ready."""
        self._release_prepared()
        self._unload()
        request = MediaRequest(source, start_ms=start_ms, mirrored=mirrored, cues=cues)
        instance, _player = self._engine(mirrored=mirrored)
        try:
            media, stream = self._new_media(instance, request)
        except PlaybackError:
            return  # its load will raise the same and say why
        if mirrored not in self._spares:
            self._spares[mirrored] = self._new_player(instance)
        self._prepared = PreparedMedia(request, self._spares[mirrored], media, stream)
        self._start_parse(media, stream)
        self._prepared.start()

    def _take_over(self, prepared: PreparedMedia) -> None:
        """Make the prepared player the playing one; its engine's other player (stopped by prepare()) is the spare."""
        prepared.stop_holding()
        mirrored = prepared.request.mirrored
        instance, engine_player = self._engines[mirrored]
        self._engines[mirrored] = (instance, prepared.player)
        self._spares[mirrored] = engine_player
        # From here its events are the playing player's; one arriving before is recorded on ``prepared``.
        self._seen_frame = False
        self._instance, self._player = instance, prepared.player
        self._prepared = None
        self._media, self._stream = prepared.media, prepared.stream
        self._media_name = prepared.request.source.name
        self._frame_due_on_play = prepared.shown.is_set() and not self._seen_frame
        self._seen_frame = self._seen_frame or prepared.shown.is_set()
        self._player.audio_set_mute(self._muted)  # it was prepared muted
        if self._volume_percent is not None:
            self._player.audio_set_volume(self._volume_percent)
        self._loaded(prepared.request.start_ms)

    def _release_prepared(self) -> None:
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            prepared.release()

    def play(self) -> None:
        if self._media is None:
            return
        if self._player.play() == -1:
            self._forward_failure(f"{self._media_name}: libVLC could not start playing it")
        elif self._frame_due_on_play:  # a prepared player: its first picture is in the window already
            self._frame_due_on_play = False
            self._forward_first_frame()

    def pause(self) -> None:
        if self._media is not None:
            self._player.set_pause(1)  # also while still opening, when is_playing() is not yet true

    def stop(self) -> None:
        self._release_prepared()
        self._unload()

    def _unload(self) -> None:
        """Stop the playing player and release its media (its video output and the window with it)."""
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
        self._volume_percent = max(0, min(100, percent))
        self._player.audio_set_volume(self._volume_percent)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
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
        for player in self._spares.values():
            player.release()
        self._spares.clear()
        for instance, player in self._engines.values():
            player.release()
            instance.release()
        self._engines.clear()

    def _start_parse(self, media: Any, stream: StreamCallbacks | None) -> None:
        """Parse a local file's duration in the background; duration_ms() collects it, never waiting."""
        if stream is None:  # libVLC skips parsing callback media: its length is known once it plays
            media.parse_with_options(self._vlc.MediaParseFlag.local, PARSE_TIMEOUT_MS)

    def _parsed_duration_ms(self) -> int:
        """The parsed duration once the background parse is done; 0 (unknown) before, never a wait."""
        if self._stream is not None or self._media.get_parsed_status() == 0:
            return 0
        return max(0, int(self._media.get_duration()))

    # libVLC threads below: record and forward only, never call libVLC. Each event names its player: only the
    # playing one's reach the listener; the prepared one's are recorded on it; a stopped one's are dropped.
    def _prepared_player(self, player: Any) -> PreparedMedia | None:
        prepared = self._prepared
        return prepared if prepared is not None and prepared.player is player else None

    def _on_vout(self, event: Any, player: Any) -> None:
        if event.u.new_count <= 0:
            return
        if (prepared := self._prepared_player(player)) is not None:
            prepared.on_vout()
        elif player is self._player and not self._seen_frame:
            self._seen_frame = True
            self._forward_first_frame()

    def _forward_first_frame(self) -> None:
        with self._lock:
            if self._listener:
                self._listener.playback_first_frame()

    def _on_end(self, _event: Any, player: Any) -> None:
        if (prepared := self._prepared_player(player)) is not None:
            prepared.on_failed()  # ended before it was held: nothing to play
            return
        if player is not self._player:
            return
        if not self._seen_frame:
            self._forward_failure(f"{self._media_name}: the video could not be decoded (no picture)")
            return
        with self._lock:
            if self._listener:
                self._listener.playback_ended()

    def _on_error(self, _event: Any, player: Any) -> None:
        if (prepared := self._prepared_player(player)) is not None:
            prepared.on_failed()
            return
        if player is not self._player:
            return
        self._forward_failure(f"{self._media_name}: libVLC could not play it (the file may be damaged)")

    def _forward_failure(self, message: str) -> None:
        with self._lock:
            if self._listener:
                self._listener.playback_failed(PlaybackError(message))
