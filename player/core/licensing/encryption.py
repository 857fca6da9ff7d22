"""Encrypted media: c2sp.org/chunked-encryption, instantiated as Cobblestone-128.

HKDF-Expand over SHA-512 derives a per-file AES-128-GCM key, a base nonce and a 32-byte key commitment
from the input key, a 24-byte random salt and a context. The plaintext is cut into 16 KiB chunks; the
final chunk is always shorter than 16 KiB (possibly empty), which authenticates the length. Layout::

    salt (24) || commitment (32) || chunk 0 || chunk 1 || ... || final chunk

Chunk ``k`` starts at ciphertext offset ``56 + k * (16384 + 16)``, so any byte range can be decrypted
without touching the rest of the file (seeking in the player).
"""

from __future__ import annotations

import hmac
import io
import os
from collections import OrderedDict
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA512
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from player.core.errors import CryptoError

KEY_SIZE = 16  # AES-128 input key, bytes
SALT_SIZE = 24  # random per file, bytes
COMMITMENT_SIZE = 32  # key commitment, bytes
HEADER_SIZE = SALT_SIZE + COMMITMENT_SIZE  # 56 bytes before chunk 0
CHUNK_SIZE = 16384  # plaintext bytes per full chunk
TAG_SIZE = 16  # AES-GCM tag, bytes
SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE  # ciphertext bytes per full chunk
MAX_CHUNKS = 2**38  # the spec's hard limit on the chunk counter
DEFAULT_CACHE_CHUNKS = 4  # decrypted chunks kept by ChunkedReader: 64 KiB, enough for sequential reads

_NONCE_SIZE = 12
_INFO_PREFIX = b"c2sp.org/chunked-encryption@v1+AEAD_AES_128_GCM\x00"
_MEDIA_CONTEXT_PREFIX = b"movement-player/media/v1\x00"


class InvalidKeySizeError(CryptoError):
    """The content key does not have the 16 bytes AES-128 needs."""


class HeaderError(CryptoError):
    """The header is truncated or the key commitment does not match (wrong key, context, or damage)."""


class DamagedMediaError(CryptoError):
    """A chunk failed authentication, or the ciphertext has an impossible (truncated/extended) length."""

    def __init__(self, message: str, *, chunk: int | None = None, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.chunk = chunk


def media_context(session_id: str, part_id: str) -> bytes:
    """Return the encryption context binding a paid part to its session and part id.

    Raises ValueError if either id contains a NUL character (it would make the encoding ambiguous).
    """
    if "\x00" in session_id or "\x00" in part_id:
        raise ValueError("session and part ids must not contain NUL characters")
    return _MEDIA_CONTEXT_PREFIX + session_id.encode() + b"\x00" + part_id.encode()


def plaintext_size(ciphertext_size: int) -> int:
    """Return the plaintext size in bytes for a ciphertext of ``ciphertext_size`` bytes.

    Raises HeaderError if the size cannot hold the header, DamagedMediaError if it is otherwise impossible
    (a truncated or extended file).
    """
    if ciphertext_size < HEADER_SIZE:
        raise HeaderError("the encrypted media is too short to be valid (the header is incomplete)")
    full, rest = divmod(ciphertext_size - HEADER_SIZE, SEALED_CHUNK_SIZE)
    if rest < TAG_SIZE:
        raise DamagedMediaError(
            "the encrypted media is truncated or has extra data at its end",
            detail=f"ciphertext size {ciphertext_size} is not a valid chunked-encryption length",
        )
    return full * CHUNK_SIZE + rest - TAG_SIZE


class _Cipher:
    """Per-file AEAD state derived from the input key, salt and context."""

    def __init__(self, key: bytes, salt: bytes, context: bytes) -> None:
        _check_key(key)
        info = _INFO_PREFIX + salt + context
        okm = HKDFExpand(SHA512(), KEY_SIZE + _NONCE_SIZE + COMMITMENT_SIZE, info).derive(key)
        self._aead = AESGCM(okm[:KEY_SIZE])
        self._base_nonce = int.from_bytes(okm[KEY_SIZE : KEY_SIZE + _NONCE_SIZE], "big")
        self.commitment = okm[KEY_SIZE + _NONCE_SIZE :]

    def _nonce(self, index: int) -> bytes:
        if not 0 <= index < MAX_CHUNKS:
            raise DamagedMediaError("the encrypted media is too long", chunk=index)
        return (self._base_nonce ^ index).to_bytes(_NONCE_SIZE, "big")

    def seal(self, index: int, plaintext: bytes) -> bytes:
        return self._aead.encrypt(self._nonce(index), plaintext, None)

    def open(self, index: int, sealed: bytes) -> bytes:
        """Decrypt chunk ``index``; raises DamagedMediaError if it fails authentication."""
        try:
            return self._aead.decrypt(self._nonce(index), sealed, None)
        except InvalidTag:
            raise DamagedMediaError(
                f"the encrypted media is damaged or was modified (chunk {index})", chunk=index
            ) from None


def _check_key(key: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise InvalidKeySizeError(
            "the content key has the wrong size", detail=f"{len(key)} bytes, expected {KEY_SIZE}"
        )


def _open_header(header: bytes, *, key: bytes, context: bytes) -> _Cipher:
    """Check the commitment; raises InvalidKeySizeError or HeaderError."""
    if len(header) < HEADER_SIZE:
        raise HeaderError("the encrypted media is too short to be valid (the header is incomplete)")
    cipher = _Cipher(key, header[:SALT_SIZE], context)
    if not hmac.compare_digest(cipher.commitment, header[SALT_SIZE:HEADER_SIZE]):
        raise HeaderError(
            "this key does not unlock this media (wrong key or session, or a damaged file header)"
        )
    return cipher


def _read_exact(source: BinaryIO, n: int) -> bytes:
    """Read up to ``n`` bytes, looping over short reads; fewer only at end of file."""
    data = source.read(n)
    if len(data) == n or not data:
        return data
    parts = [data]
    got = len(data)
    while got < n:
        more = source.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


class ChunkedWriter:
    """Streaming encryptor: ``write()`` plaintext, then ``close()`` to emit the final short chunk.

    The header is written to ``sink`` at construction. ``close()`` does not close ``sink``.
    """

    def __init__(self, sink: BinaryIO, *, key: bytes, context: bytes, salt: bytes | None = None) -> None:
        """Raises InvalidKeySizeError for a key that is not 16 bytes, ValueError for a salt not 24 bytes."""
        salt = os.urandom(SALT_SIZE) if salt is None else salt
        if len(salt) != SALT_SIZE:
            raise ValueError(f"the salt must be {SALT_SIZE} bytes")
        self._cipher = _Cipher(key, salt, context)
        self._sink = sink
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        sink.write(salt + self._cipher.commitment)

    def write(self, data: bytes) -> int:
        """Encrypt ``data`` (buffered per 16 KiB chunk); returns len(data). ValueError once closed."""
        if self._closed:
            raise ValueError("write to a closed ChunkedWriter")
        view = memoryview(data)
        if self._buffer:
            take = CHUNK_SIZE - len(self._buffer)
            self._buffer += view[:take]
            view = view[take:]
            if len(self._buffer) < CHUNK_SIZE:
                return len(data)
            self._emit(bytes(self._buffer))
            self._buffer.clear()
        while len(view) >= CHUNK_SIZE:
            self._emit(bytes(view[:CHUNK_SIZE]))
            view = view[CHUNK_SIZE:]
        self._buffer += view
        return len(data)

    def close(self) -> None:
        """Write the final (short, possibly empty) chunk. Calling it again does nothing."""
        if not self._closed:
            self._emit(bytes(self._buffer))
            self._buffer.clear()
            self._closed = True

    def _emit(self, chunk: bytes) -> None:
        self._sink.write(self._cipher.seal(self._index, chunk))
        self._index += 1

    def __enter__(self) -> ChunkedWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def encrypt_stream(
    source: BinaryIO, sink: BinaryIO, *, key: bytes, context: bytes, salt: bytes | None = None
) -> int:
    """Encrypt everything readable from ``source`` into ``sink``; returns the plaintext size in bytes.

    Raises InvalidKeySizeError for a key that is not 16 bytes, ValueError for a salt not 24 bytes.
    """
    total = 0
    with ChunkedWriter(sink, key=key, context=context, salt=salt) as writer:
        while block := source.read(4 * CHUNK_SIZE):
            total += writer.write(block)
    return total


def encrypt(plaintext: bytes, *, key: bytes, context: bytes, salt: bytes | None = None) -> bytes:
    """Encrypt ``plaintext`` and return the whole ciphertext (56 + size + 16 per chunk bytes).

    ``salt`` is random unless given (tests only). Raises InvalidKeySizeError, or ValueError for a bad salt.
    """
    sink = io.BytesIO()
    with ChunkedWriter(sink, key=key, context=context, salt=salt) as writer:
        writer.write(plaintext)
    return sink.getvalue()


class ChunkedReader:
    """Random-access decryptor over a seekable ciphertext source, with a file-like interface.

    Opening checks the key size and commitment, derives the plaintext size from the ciphertext size
    and decrypts the final chunk so the length is authenticated. Reads decrypt only the chunks they
    touch; the last few decrypted chunks are cached. Not thread-safe. The source is not closed.
    """

    def __init__(
        self,
        source: BinaryIO,
        *,
        key: bytes,
        context: bytes,
        ciphertext_size: int | None = None,
        cache_chunks: int = DEFAULT_CACHE_CHUNKS,
    ) -> None:
        """Open ``source`` (``ciphertext_size`` bytes; measured by seeking if None).

        Raises InvalidKeySizeError, HeaderError (truncated header, wrong key or context, damaged
        header), or DamagedMediaError (impossible length, or a final chunk that fails authentication).
        """
        _check_key(key)
        if ciphertext_size is None:
            ciphertext_size = source.seek(0, io.SEEK_END)
        self._source = source
        source.seek(0)
        self._cipher = _open_header(_read_exact(source, HEADER_SIZE), key=key, context=context)
        self._size = plaintext_size(ciphertext_size)
        self._last_chunk = self._size // CHUNK_SIZE
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_chunks = max(1, cache_chunks)
        self._position = 0
        self._chunk(self._last_chunk)

    @property
    def size(self) -> int:
        """The authenticated plaintext size in bytes."""
        return self._size

    def _chunk(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        self._source.seek(HEADER_SIZE + index * SEALED_CHUNK_SIZE)
        want = SEALED_CHUNK_SIZE if index < self._last_chunk else self._size % CHUNK_SIZE + TAG_SIZE
        sealed = _read_exact(self._source, want)
        if len(sealed) != want:
            raise DamagedMediaError(f"the encrypted media is truncated (chunk {index})", chunk=index)
        plaintext = self._cipher.open(index, sealed)
        self._cache[index] = plaintext
        if len(self._cache) > self._cache_chunks:
            self._cache.popitem(last=False)
        return plaintext

    def read_at(self, offset: int, n: int) -> bytes:
        """Return up to ``n`` plaintext bytes starting at byte ``offset`` (fewer only at the end).

        Raises ValueError for a negative offset or count, DamagedMediaError if a chunk fails
        authentication.
        """
        if offset < 0 or n < 0:
            raise ValueError("offset and count must not be negative")
        end = min(offset + n, self._size)
        parts: list[bytes] = []
        while offset < end:
            index, start = divmod(offset, CHUNK_SIZE)
            stop = min(CHUNK_SIZE, start + end - offset)
            chunk = self._chunk(index)
            parts.append(chunk if start == 0 and stop == len(chunk) else chunk[start:stop])
            offset += stop - start
        return b"".join(parts)

    def read(self, n: int = -1) -> bytes:
        """Read up to ``n`` bytes (all remaining if negative) from the current position and advance it.

        Raises DamagedMediaError if a chunk fails authentication (the position is then unchanged).
        """
        if n < 0:
            n = max(0, self._size - self._position)
        data = self.read_at(self._position, n)
        self._position += len(data)
        return data

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        """Move to byte ``pos`` relative to start, current position or end; return the new position.

        Positions past the end are allowed (reads there return b""). Raises ValueError for a bad
        ``whence`` or a negative resulting position.
        """
        bases = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}
        if whence not in bases:
            raise ValueError(f"invalid whence: {whence}")
        target = bases[whence] + pos
        if target < 0:
            raise ValueError("negative seek position")
        self._position = target
        return target

    def tell(self) -> int:
        """Return the current plaintext position in bytes."""
        return self._position

    def readable(self) -> bool:
        """Always True (file-like protocol)."""
        return True

    def seekable(self) -> bool:
        """Always True (file-like protocol)."""
        return True
