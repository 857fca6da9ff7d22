"""Hands backend events (possibly from libVLC's threads) to the GUI thread as queued Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from player.core.errors import PlaybackError


class PlaybackBridge(QObject):
    """A PlaybackListener for one loaded media. ``token`` tells its events from a previous media's.

    Signals carry the token first; connect them with ``Qt.QueuedConnection`` so the GUI thread acts.
    """

    first_frame_shown = Signal(int)
    ended = Signal(int)
    failed = Signal(int, str)

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token

    def playback_first_frame(self) -> None:
        self.first_frame_shown.emit(self.token)

    def playback_ended(self) -> None:
        self.ended.emit(self.token)

    def playback_failed(self, error: PlaybackError) -> None:
        self.failed.emit(self.token, error.message)
