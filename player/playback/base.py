"""The playback protocol every backend implements. Qt-free; units in names.

Events go to a :class:`PlaybackListener`. A backend may call the listener from its own thread
(libVLC does): a listener must only hand the event over (e.g. emit a queued Qt signal), never call
back into the backend from inside the callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from player.core.errors import PlaybackError


class StreamMedia(Protocol):
    """Media read from a Python stream instead of a file path (e.g. decrypted on the fly)."""

    name: str

    @property
    def size(self) -> int:
        """Plaintext size in bytes."""
        ...

    def open(self) -> BinaryIO:
        """A fresh, seekable binary stream of the plaintext."""
        ...


MediaSource = Path | StreamMedia


@dataclass(frozen=True, eq=False)
class MediaRequest:
    """What one ``load()`` or ``prepare()`` asks for: the media and how to play it."""

    source: MediaSource
    start_ms: int = 0
    mirrored: bool = False
    cues: Path | None = None

    def matches(self, other: MediaRequest) -> bool:
        """True when ``other`` plays the same thing the same way: an equal path, or the very same stream
        object (a stream is compared by identity: its key and reader are its own), and equal options."""
        if isinstance(self.source, Path):
            same = isinstance(other.source, Path) and self.source == other.source
        else:
            same = self.source is other.source
        return same and (self.start_ms, self.mirrored, self.cues) == (other.start_ms, other.mirrored, other.cues)


class PlaybackListener(Protocol):
    """Receives a backend's events, possibly on a foreign thread."""

    def playback_first_frame(self) -> None:
        """The first video frame of the loaded media is on screen."""

    def playback_ended(self) -> None:
        """The media played to its end."""

    def playback_failed(self, error: PlaybackError) -> None:
        """The media cannot be played; ``error.message`` says why."""


class PlaybackBackend(Protocol):
    """What the app needs from a video player."""

    name: str

    def set_listener(self, listener: PlaybackListener | None) -> None:
        """Send events to ``listener`` (None: drop them)."""

    def attach_window(self, handle: int) -> None:
        """Draw video into the native window ``handle`` (X11 window id, HWND or NSView)."""

    def load(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
             cues: Path | None = None) -> None:
        """Load ``source`` for playing from ``start_ms``; raises PlaybackError if it cannot be opened.

        ``mirrored`` flips the picture left-right; ``cues`` is a WebVTT file shown as subtitles.
        """

    def prepare(self, source: MediaSource, *, start_ms: int = 0, mirrored: bool = False,
                cues: Path | None = None) -> None:
        """Get ``source`` ready to play while something else is shown (the check-in), never raising.

        A later :meth:`load` with a matching request (see :meth:`MediaRequest.matches`) then costs little and
        :meth:`play` shows its picture at once; any other load, :meth:`stop` or :meth:`close` releases it
        unplayed. Nothing of it is heard or seen before that load. A source that cannot be opened is not
        prepared: its load raises as usual. A new prepare replaces the previous one. It may end what is
        loaded (libVLC lets one player at a time draw into a window): call it once that is done with.
        """

    def play(self) -> None:
        """Start or resume playback."""

    def pause(self) -> None:
        """Pause playback (no-op when not playing)."""

    def stop(self) -> None:
        """Stop playback and release the loaded media (and the prepared one)."""

    def seek(self, position_ms: int) -> None:
        """Jump to ``position_ms`` (clamped to the media)."""

    def set_rate(self, rate: float) -> None:
        """Playback speed, 1.0 is normal."""

    def set_volume(self, percent: int) -> None:
        """Audio volume, 0-100 percent."""

    def set_muted(self, muted: bool) -> None:
        """Silence the audio (or not) without changing the volume."""

    def set_cues_visible(self, visible: bool) -> None:
        """Show or hide the cues loaded with the media."""

    def position_ms(self) -> int:
        """Current position in milliseconds (smooth, not in decoder steps)."""

    def duration_ms(self) -> int:
        """Length of the loaded media in milliseconds; 0 while unknown (known by the first frame)."""

    def is_playing(self) -> bool:
        """True while playing (not paused, stopped or ended)."""

    def close(self) -> None:
        """Release every resource; the backend is unusable afterwards."""
