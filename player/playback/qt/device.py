"""A seekable QIODevice over a :class:`~player.playback.base.StreamMedia`, e.g. a paid part decrypted on the fly.

Qt Multimedia reads it through ``QMediaPlayer.setSourceDevice`` from its demuxer thread. The plaintext
only ever exists in the chunk being read: nothing is written to disk. Read errors (a damaged chunk fails
its authentication) end the read with -1, which Qt reports as a playback error; they never raise into Qt.
"""

from __future__ import annotations

import logging
import threading
from typing import BinaryIO

from PySide6.QtCore import QIODevice

from player.core.errors import MovementPlayerError, PlaybackError
from player.playback.base import StreamMedia

log = logging.getLogger(__name__)


class StreamDevice(QIODevice):
    """Read-only random-access device over ``source``'s plaintext; opened on construction.

    Raises PlaybackError when the source cannot be opened (wrong key, damaged or missing file).
    """

    def __init__(self, source: StreamMedia) -> None:
        super().__init__()
        self.name = source.name
        self._size = source.size
        self._lock = threading.Lock()  # Qt may read and seek from its own thread while the app closes us
        try:
            self._stream: BinaryIO | None = source.open()
        except (MovementPlayerError, OSError) as exc:
            message = getattr(exc, "message", str(exc))
            raise PlaybackError(f"{source.name}: cannot be opened ({message})") from exc
        self.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)

    def isSequential(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def size(self) -> int:
        """Plaintext size in bytes."""
        return self._size

    def seek(self, pos: int) -> bool:
        """Move to byte ``pos`` of the plaintext; False when out of range or closed."""
        if pos < 0 or pos > self._size:
            return False
        with self._lock:
            if self._stream is None:
                return False
            try:
                self._stream.seek(pos)
            except (MovementPlayerError, OSError, ValueError):
                log.exception("seeking %s to %d failed", self.name, pos)
                return False
        return bool(super().seek(pos))

    def readData(self, maxlen: int) -> bytes | None:  # noqa: N802 (Qt's name)
        with self._lock:
            if self._stream is None:
                return None
            try:
                return self._stream.read(max(0, maxlen))
            except (MovementPlayerError, OSError, ValueError):  # a chunk failed authentication, or I/O
                log.exception("reading %s failed", self.name)
                return None

    def writeData(self, data: bytes | bytearray | memoryview, maxlen: int, /) -> int:  # noqa: N802 (Qt's name)
        return -1  # read-only

    def close(self) -> None:
        """Close the device and the plaintext stream under it."""
        with self._lock:
            if self._stream is not None:
                self._stream.close()
                self._stream = None
        super().close()
