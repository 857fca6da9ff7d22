"""The next snippet made ready while the check-in shows (``VlcBackend.prepare``).

A second libVLC player of the same instance, drawing into the same window, starts the media muted while the
check-in page hides the video, and is paused and put back at its start as soon as its video output exists:
the input, the decoder and the video output are set up by then. That set-up is most of a switch: libVLC 3
opens its video output again for every output format the decoder offers (VA-API, VDPAU, then software), three
display openings (~50 ms) on a machine without hardware decoding. ``load()`` of the same request takes the
player over; ``play()`` resumes it.

The pause is made on a small thread of its own (libVLC may not be called from its event callbacks). Holding
the player with ``:start-paused`` and a frame step instead was tried: libVLC 3 then resumed with its clock
ahead (a 2 s clip ended 0.7 s after play), so the player runs and is put back at its start.
"""

from __future__ import annotations

import threading
from typing import Any

from player.playback.base import MediaRequest
from player.playback.vlc.stream import StreamCallbacks

# The longest wait for the prepared player to have its video output (a local file: ~40-100 ms).
OPEN_WAIT_S = 2.0
# The longest a load waits for a prepared player not yet held (a check-in saved at once); then it loads anew.
READY_WAIT_S = 0.3


class PreparedMedia:
    """One prepared request: its player (once ready: paused at the request's start), media and stream."""

    def __init__(self, request: MediaRequest, player: Any, media: Any, stream: StreamCallbacks | None) -> None:
        self.request = request
        self.player = player
        self.media = media
        self.stream = stream  # referenced until the player has let go of the media
        self.shown = threading.Event()  # libVLC's Vout event: it has a video output
        self.failed = threading.Event()  # libVLC could not open or decode it
        self.held = threading.Event()  # paused at its start: ready to be taken over
        self._wake = threading.Event()  # shown, failed or cancelled: the holder waits no more
        self._lock = threading.Lock()
        self._cancelled = False
        self._holder = threading.Thread(target=self._hold, name="vlc-prepare", daemon=True)

    # Called from libVLC's event threads: record only, never call libVLC.
    def on_vout(self) -> None:
        """libVLC made the prepared player's video output."""
        self.shown.set()
        self._wake.set()

    def on_failed(self) -> None:
        """libVLC could not open or decode the prepared media (its load will try, and say why)."""
        self.failed.set()
        self._wake.set()

    def start(self) -> None:
        """Start the media, muted; it is held at its start once it has a video output."""
        self.player.audio_set_mute(True)
        self.player.set_media(self.media)
        self.player.play()
        self._holder.start()

    def ready_to_play(self) -> bool:
        """Wait (at most READY_WAIT_S) until it is held at its start; False when it failed or is not held yet.

        A load soon after the prepare (a check-in saved at once) waits here for the rest of the set-up."""
        self._holder.join(READY_WAIT_S)
        return self.held.is_set() and not self.failed.is_set()

    def stop_holding(self) -> None:
        """Nothing more from the holder thread (the player is taken over or released)."""
        with self._lock:
            self._cancelled = True
        self._wake.set()
        if self._holder.ident is not None:  # started
            self._holder.join()

    def release(self) -> None:
        """Stop the player and release the media; the player itself stays for the next prepare."""
        self.stop_holding()
        self.player.stop()  # ends the input: the stream's callbacks have run their close by now
        self.media.release()
        self.stream = None

    def _hold(self) -> None:
        self._wake.wait(OPEN_WAIT_S)
        with self._lock:
            if not self._cancelled and self.shown.is_set() and not self.failed.is_set():
                self.player.set_pause(1)
                self.player.set_time(self.request.start_ms)  # back to where its load starts, still paused
                self.held.set()
