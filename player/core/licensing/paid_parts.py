"""Paid parts, decrypted on the fly: a seekable plaintext stream over an encrypted file, never on disk."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

from player.core.errors import CryptoError
from player.core.licensing.encryption import ChunkedReader, media_context
from player.core.session.manifest import Session, Snippet


class DecryptingFile(io.RawIOBase):
    """A read-only, seekable file of plaintext over an encrypted part; closing closes the ciphertext."""

    def __init__(self, ciphertext: BinaryIO, reader: ChunkedReader) -> None:
        super().__init__()
        self._ciphertext = ciphertext
        self._reader = reader

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._reader.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._reader.seek(offset, whence)

    def tell(self) -> int:
        return self._reader.tell()

    def close(self) -> None:
        if not self.closed:
            self._ciphertext.close()
        super().close()


class EncryptedPart:
    """A paid part and its content key; satisfies the playback layer's ``StreamMedia``.

    Construction opens the file once: it checks the key commitment and authenticates the length,
    raising CryptoError (wrong key, swapped part, damaged or truncated file) before anything plays.
    """

    def __init__(self, path: Path, *, session_id: str, part_id: str, content_key: bytes) -> None:
        self.path = path
        self.name = path.name
        self._context = media_context(session_id, part_id)
        self._key = content_key
        with self.open() as stream:
            self._size = stream.seek(0, io.SEEK_END)

    @property
    def size(self) -> int:
        """Plaintext size in bytes."""
        return self._size

    def open(self) -> BinaryIO:
        """A fresh plaintext stream. Raises CryptoError when the key or the file is wrong."""
        try:  # without blocking on a FIFO, and only a regular file: a device would never end
            descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise CryptoError(f"{self.name}: cannot be read ({exc.strerror})") from exc
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise CryptoError(f"{self.name}: is not a regular file")
        ciphertext = os.fdopen(descriptor, "rb")
        try:
            reader = ChunkedReader(ciphertext, key=self._key, context=self._context)
        except CryptoError:
            ciphertext.close()
            raise
        return DecryptingFile(ciphertext, reader)  # type: ignore[return-value]


def open_part(session: Session, part: Snippet, content_key: bytes) -> EncryptedPart:
    """The decrypting stream of ``part`` of ``session``; raises CryptoError when the key does not fit."""
    return EncryptedPart(part.media, session_id=session.id, part_id=part.id, content_key=content_key)


def check_unlocks(session: Session, content_key: bytes) -> None:
    """Prove ``content_key`` decrypts every paid part of ``session`` (commitment and length checks).

    Raises CryptoError naming the first part that does not open.
    """
    for part in session.full.parts if session.full else ():
        open_part(session, part, content_key)
