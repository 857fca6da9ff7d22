"""Reading untrusted files with their size checked first: never a FIFO that blocks, a device that never
ends (``/dev/zero``) or a file larger than the caller's limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from player.core.errors import MovementPlayerError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opened without it waits for a writer; Windows has no FIFOs


class UnreadableFileError(MovementPlayerError):
    """A file that cannot be read as asked: missing, not a regular file, too large or an I/O error.

    ``reason`` says what is wrong without the file name (callers put it where their message wants it).
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def describe_size(size: int) -> str:
    """A byte count for people: ``"2.0 MiB"``, ``"64 KiB"``, ``"512 bytes"``."""
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MiB"
    if size >= 1024:
        return f"{size // 1024} KiB"
    return f"{size} bytes"


def read_bytes_limited(path: Path, *, max_bytes: int) -> bytes:
    """Read the regular file at ``path`` if it holds at most ``max_bytes`` bytes.

    The file is opened without blocking and checked (regular file, size) before a byte is read, and
    never more than ``max_bytes + 1`` bytes are read (a file growing meanwhile is caught too).
    Raises UnreadableFileError (missing, a folder, a FIFO or device, too large, or an OS error).
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableFileError(path, "cannot be read (no such file)") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise UnreadableFileError(path, f"cannot be read ({_why(exc)})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(path, "is not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableFileError(
                path, f"is too large ({describe_size(info.st_size)}; at most {describe_size(max_bytes)})")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot be read ({_why(exc)})") from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise UnreadableFileError(path, f"is too large (more than {describe_size(max_bytes)})")
    return data


def read_text_limited(path: Path, *, max_bytes: int) -> str:
    """:func:`read_bytes_limited`, decoded as UTF-8 (strict). Raises UnreadableFileError, also for
    text that is not UTF-8 (the reason names the byte offset)."""
    data = read_bytes_limited(path, max_bytes=max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(path, f"is not UTF-8 text (byte {exc.start})") from None


def _why(exc: Exception) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
