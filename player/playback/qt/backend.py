"""The Qt Multimedia backend: QMediaPlayer with the FFmpeg inside the PySide6 wheels.

Every decoded frame reaches the backend's own ``QVideoSink`` first (that is the first-frame event), then
goes on, flipped left-right if asked, to the sink of whatever draws it (a ``QVideoWidget`` in the player page).
Cues are read from the WebVTT file by the app and handed to that sink as subtitle text, so they are never
mirrored. Paid parts stream through :class:`~player.playback.qt.device.StreamDevice`. Qt emits the player's
signals on the thread that owns the backend (the GUI thread); frames may arrive on Qt's render thread and
are handed over through a queued signal. A QGuiApplication must exist before the backend is made.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from player.core.errors import PlaybackError, PlaybackUnavailableError
from player.core.session.cues import Cue, read_cues
from player.playback.base import MediaRequest, MediaSource, PlaybackListener

if TYPE_CHECKING:
    from player.playback.qt.device import StreamDevice

try:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLoggingCategory, QObject, Qt, QUrl, Signal
    from PySide6.QtMultimedia import (
        QAudioOutput,
        QMediaFormat,
        QMediaPlayer,
        QVideoFrame,
        QVideoFrameFormat,
        QVideoSink,
    )
except ImportError as exc:  # PySide6 without its QtMultimedia module
    raise PlaybackUnavailableError(
        "Qt Multimedia is not installed.", detail=f"PySide6.QtMultimedia cannot be imported: {exc}"
    ) from exc

log = logging.getLogger(__name__)

# Statuses after which frames belong to the media just loaded (earlier ones may be the previous media's).
_LOADED = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferingMedia,
           QMediaPlayer.MediaStatus.BufferedMedia, QMediaPlayer.MediaStatus.EndOfMedia)


# FFmpeg's own chatter (a dump of every file opened) goes to Qt's info level: quiet unless asked for.
QUIET_FFMPEG_RULES = "qt.multimedia.ffmpeg*.info=false\nqt.multimedia.ffmpeg*.debug=false"


def quiet_ffmpeg_logs() -> None:
    """Keep FFmpeg's per-file dumps off the terminal (warnings stay), unless QT_LOGGING_RULES says otherwise.

    Qt reads the rule when its FFmpeg plugin loads, so this runs before any player or format query.
    """
    if "QT_LOGGING_RULES" not in os.environ:
        QLoggingCategory.setFilterRules(QUIET_FFMPEG_RULES)


def qt_multimedia_problem() -> str | None:
    """Why Qt Multimedia cannot decode video here, or None when it can.

    Without a running Qt application (``doctor``) it looks for the FFmpeg media plugin's file; with one,
    it asks Qt whether any media backend decodes MP4.
    """
    quiet_ffmpeg_logs()
    if QCoreApplication.instance() is None:
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
        if not any("ffmpeg" in plugin.name for plugin in plugins.glob("*")):
            return f"Qt's FFmpeg media plugin is missing (nothing in {plugins})"
        return None
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    if QMediaFormat.FileFormat.MPEG4 not in formats:
        return "Qt Multimedia has no media backend that decodes MP4 (its FFmpeg plugin is missing)"
    return None


def _mirror(frame: QVideoFrame) -> QVideoFrame:
    """``frame`` to be shown flipped left-right.

    Qt's video widget ignores ``QVideoFrame.setMirrored`` on the decoder's YUV frames (seen with Qt 6.11 and
    FFmpeg 7.1) but honours a mirrored *surface format*: the planes are copied into a frame whose format says
    so (about 0.1 ms for 640x360, one memory copy; converting to a flipped RGB picture took ~3.5 ms). A frame
    that cannot be mapped (a GPU frame) is converted and flipped instead. The cue, drawn by the widget as
    subtitle text, is never flipped.
    """
    surface = QVideoFrameFormat(frame.size(), frame.pixelFormat())
    surface.setMirrored(not frame.surfaceFormat().isMirrored())
    mirrored = QVideoFrame(surface)
    if frame.map(QVideoFrame.MapMode.ReadOnly):
        try:
            if mirrored.map(QVideoFrame.MapMode.WriteOnly):
                try:
                    for plane in range(frame.planeCount()):
                        _copy_plane(frame, mirrored, plane)
                finally:
                    mirrored.unmap()
            else:
                mirrored = QVideoFrame()
        finally:
            frame.unmap()
    else:
        mirrored = QVideoFrame()
    if not mirrored.isValid():
        mirrored = QVideoFrame(frame.toImage().flipped(Qt.Orientation.Horizontal))
    mirrored.setStartTime(frame.startTime())
    mirrored.setEndTime(frame.endTime())
    return mirrored


def _copy_plane(source: QVideoFrame, target: QVideoFrame, plane: int) -> None:
    """Copy one mapped plane, row by row when the two frames' lines are padded differently."""
    source_bits, target_bits = memoryview(source.bits(plane)), memoryview(target.bits(plane))
    source_line, target_line = source.bytesPerLine(plane), target.bytesPerLine(plane)
    if source_line == target_line:
        count = min(len(source_bits), len(target_bits))
        target_bits[:count] = source_bits[:count]
        return
    width = min(source_line, target_line)
    for row in range(min(len(source_bits) // source_line, len(target_bits) // target_line)):
        into, out_of = row * target_line, row * source_line
        target_bits[into : into + width] = source_bits[out_of : out_of + width]


class _FrameRelay(QObject):
    """Lives on the GUI thread; frames from Qt's render thread reach it through a queued signal."""

    frame_arrived = Signal(QVideoFrame)


class QtBackend:
    """Plays media with Qt Multimedia; video goes to the sink given to :meth:`set_video_sink`."""

    name = "qt"

    def __init__(self) -> None:
        """Raises PlaybackUnavailableError when Qt Multimedia cannot decode video on this machine."""
        quiet_ffmpeg_logs()
        problem = "no Qt application is running" if QCoreApplication.instance() is None else qt_multimedia_problem()
        if problem is not None:
            raise PlaybackUnavailableError(f"Qt Multimedia cannot play video here: {problem}.")
        self._player = QMediaPlayer()
        self._audio = QAudioOutput()
        self._player.setAudioOutput(self._audio)
        self._tap = QVideoSink()
        self._player.setVideoSink(self._tap)
        self._relay = _FrameRelay()
        self._tap.videoFrameChanged.connect(self._relay.frame_arrived, Qt.ConnectionType.QueuedConnection)
        self._relay.frame_arrived.connect(self._on_frame)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._player.positionChanged.connect(self._show_cue)
        if self._player.pitchCompensationAvailability() != QMediaPlayer.PitchCompensationAvailability.Unavailable:
            self._player.setPitchCompensation(True)  # slower or faster, the teacher's voice keeps its pitch
        self._display: QVideoSink | None = None
        self._listener: PlaybackListener | None = None
        self._device: QObject | None = None
        self._prepared: tuple[MediaRequest, StreamDevice] | None = None  # a stream's device, opened during the check-in
        self._media_name = ""
        self._loaded = False
        self._pending_start_ms = 0
        self._seen_frame = False
        self._ended = False
        self._failed = False
        self._mirrored = False
        self._cues: list[Cue] = []
        self._cues_visible = True
        self._cue_text = ""
        self._rate = 1.0
        self._shown: QVideoFrame | None = None  # the last picture handed to the display
        self._closed = False

    def set_listener(self, listener: PlaybackListener | None) -> None:
        self._listener = listener

    def attach_window(self, handle: int) -> None:
        """Qt draws the video itself (see :meth:`set_video_sink`); a native window is not used."""

    def set_video_sink(self, sink: QVideoSink | None) -> None:
        """Send every frame (and the current cue as subtitle text) to ``sink``, e.g. a QVideoWidget's."""
        self._display = sink
        if sink is not None:
            sink.setSubtitleText(self._cue_text)

    @property
    def pitch_kept(self) -> bool:
        """True when a changed rate keeps the pitch (Qt's pitch compensation is on)."""
        return bool(self._player.pitchCompensation())

    def prepare(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
                cues: Path | None = None) -> None:
        """Qt Multimedia opens and decodes a snippet quickly (switch p95 ~62 ms by pixels without preparing; a
        second QMediaPlayer held ahead would cost a decoder and its memory for nothing), so only a stream's
        device is opened ahead: its key checked and its first chunk read during the check-in, not after Save."""
        self._drop_prepared()
        if isinstance(source, Path):
            return
        from player.playback.qt.device import StreamDevice

        try:
            device = StreamDevice(source)
        except PlaybackError:
            return  # its load raises the same and says why
        self._prepared = (MediaRequest(source, start_ms=start_ms, mirrored=mirrored, cues=cues), device)

    def _drop_prepared(self) -> None:
        if self._prepared is not None:
            self._prepared[1].close()
            self._prepared[1].deleteLater()
            self._prepared = None

    def load(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
             cues: Path | None = None) -> None:
        request = MediaRequest(source, start_ms=start_ms, mirrored=mirrored, cues=cues)
        device: StreamDevice | None = None
        if self._prepared is not None and self._prepared[0].matches(request):
            device, self._prepared = self._prepared[1], None
        self._drop_prepared()
        if isinstance(source, Path):
            if not source.is_file():
                raise PlaybackError(f"{source.name}: file not found")
        elif device is None:
            from player.playback.qt.device import StreamDevice

            device = StreamDevice(source)  # raises PlaybackError when the key or the file is wrong
        self._media_name = source.name
        self._release_media()
        self._shown = None
        if self._display is not None:
            self._display.setVideoFrame(QVideoFrame())  # black until the new media's first frame, not the old picture
        self._loaded = self._seen_frame = self._ended = self._failed = False
        self._pending_start_ms = max(0, start_ms)
        self._mirrored = mirrored
        self._cues = read_cues(cues) if cues is not None else []
        self._show_cue(self._pending_start_ms)
        self._player.setPlaybackRate(self._rate)
        if device is None:
            assert isinstance(source, Path)
            self._player.setSource(QUrl.fromLocalFile(str(source.resolve())))
        else:
            self._device = device
            # The URL only names the media (and hints its format); every byte comes from the device.
            self._player.setSourceDevice(device, QUrl(f"stream:///{self._media_name}"))

    def _release_media(self) -> None:
        self._player.stop()
        self._player.setSource(QUrl())
        if self._device is not None:
            self._device.close()  # type: ignore[attr-defined]
            self._device.deleteLater()
            self._device = None

    def play(self) -> None:
        if self._player.source().isEmpty() and self._device is None:
            return
        if self._ended:  # played to the end: a new play starts over, like libVLC
            self._ended = False
            self._player.setPosition(0)
        self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def stop(self) -> None:
        self._drop_prepared()
        self._release_media()
        self._loaded = False
        self._cues = []
        self._show_cue(0)

    def seek(self, position_ms: int) -> None:
        duration = self._player.duration()
        target = max(0, min(position_ms, duration - 1 if duration > 0 else position_ms))
        if self._loaded:
            self._player.setPosition(int(target))
        else:
            self._pending_start_ms = int(target)  # Qt ignores a position given before the media is loaded

    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self._player.setPlaybackRate(rate)

    def set_volume(self, percent: int) -> None:
        self._audio.setVolume(max(0, min(100, percent)) / 100)

    def set_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)

    @property
    def volume_percent(self) -> int:
        """The audio output's volume, 0-100 percent."""
        return round(self._audio.volume() * 100)

    @property
    def muted(self) -> bool:
        """True while the audio output is muted."""
        return bool(self._audio.isMuted())

    def set_cues_visible(self, visible: bool) -> None:
        self._cues_visible = visible
        self._show_cue(self.position_ms())

    def cue_text(self) -> str:
        """The cue shown now ("" when none, or when cues are hidden)."""
        return self._cue_text

    def position_ms(self) -> int:
        if not self._loaded:
            return self._pending_start_ms if self._media_name else 0
        return max(0, int(self._player.position()))

    def duration_ms(self) -> int:
        return max(0, int(self._player.duration()))

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState and not self._ended

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._listener = None
        self._display = None
        self._shown = None
        self._drop_prepared()
        self._release_media()
        self._tap.videoFrameChanged.disconnect(self._relay.frame_arrived)
        self._player.setVideoSink(None)  # type: ignore[arg-type]
        self._player.deleteLater()
        self._audio.deleteLater()

    # Qt's signals, on the GUI thread.
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in _LOADED and not self._loaded:
            self._loaded = True
            if self._pending_start_ms > 0:
                self._player.setPosition(self._pending_start_ms)
        if status == QMediaPlayer.MediaStatus.EndOfMedia and not self._ended and not self._failed:
            self._ended = True
            if not self._seen_frame:
                self._fail(f"{self._media_name}: the video could not be decoded (no picture)")
            elif self._listener is not None:
                self._listener.playback_ended()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia and not self._failed:
            self._fail(f"{self._media_name}: Qt Multimedia could not play it (the file may be damaged)")

    def _on_error(self, error: QMediaPlayer.Error, description: str) -> None:
        if error != QMediaPlayer.Error.NoError and not self._failed:
            self._fail(f"{self._media_name}: Qt Multimedia could not play it ({description or error.name})")

    def _fail(self, message: str) -> None:
        self._failed = True
        if self._listener is not None:
            self._listener.playback_failed(PlaybackError(message))

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid() or not self._loaded:
            return  # an empty frame (media released) or the previous media's last one
        if not self._seen_frame:
            self._seen_frame = True
            if self._listener is not None:
                self._listener.playback_first_frame()
        self._shown = _mirror(frame) if self._mirrored else frame
        if self._display is not None:
            self._display.setVideoFrame(self._shown)

    def _show_cue(self, position_ms: int) -> None:
        text = ""
        if self._cues_visible:
            text = next((cue.text for cue in self._cues if cue.start_ms <= position_ms < cue.end_ms), "")
        if text != self._cue_text:
            self._cue_text = text
            if self._display is not None:
                self._display.setSubtitleText(text)
                if self._shown is not None and not self.is_playing():
                    # The widget draws the text of the frame it gets, and ignores the frame it already shows:
                    # paused, no new frame would come, so the picture goes again as a new frame.
                    self._display.setVideoFrame(QVideoFrame(self._shown.toImage()))
