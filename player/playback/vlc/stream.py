"""Feed libVLC from a Python stream (``media_new_callbacks``), e.g. media decrypted on the fly.

The ctypes callbacks and the open stream stay referenced by :class:`StreamCallbacks` for the
media's whole life; libVLC calls them from its input thread. Read errors return -1, never raise.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any, BinaryIO

from player.playback.base import StreamMedia

log = logging.getLogger(__name__)


class StreamCallbacks:
    """The open/read/seek/close callbacks for one StreamMedia, kept alive while libVLC uses them."""

    def __init__(self, source: StreamMedia) -> None:
        self.source = source
        self.stream: BinaryIO | None = None
        self._callbacks: tuple[Any, ...] = ()

    def new_media(self, vlc: Any, instance: Any) -> Any:
        """Create the libVLC media reading through these callbacks."""
        decorators = vlc.CallbackDecorators
        self._callbacks = (
            decorators.MediaOpenCb(self._open),
            decorators.MediaReadCb(self._read),
            decorators.MediaSeekCb(self._seek),
            decorators.MediaCloseCb(self._close),
        )
        return instance.media_new_callbacks(*self._callbacks, None)

    def _open(self, _opaque: Any, datap: Any, sizep: Any) -> int:
        try:
            self.stream = self.source.open()
        except Exception:  # any failure must become -1 for libVLC, not unwind through C
            log.exception("opening %s failed", self.source.name)
            return -1
        datap.contents.value = None
        sizep.contents.value = self.source.size
        return 0

    def _read(self, _opaque: Any, buffer: Any, length: int) -> int:
        if self.stream is None:
            return -1
        try:
            data = self.stream.read(length)
        except Exception:  # authentication failure or I/O error: tell libVLC, keep the app alive
            log.exception("reading %s failed", self.source.name)
            return -1
        count = min(len(data), length)
        ctypes.memmove(buffer, data, count)
        return count

    def _seek(self, _opaque: Any, offset: int) -> int:
        if self.stream is None:
            return -1
        try:
            self.stream.seek(offset)
        except Exception:  # an out-of-range seek must be a -1, not a crash in libVLC's thread
            log.exception("seeking %s failed", self.source.name)
            return -1
        return 0

    def _close(self, _opaque: Any) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
