"""Writing a file so that a crash or an error leaves the old file or the new one, never half of one."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PART = re.compile(r"\..+\.pid(\d+)\.[^.]+\.part")


@contextmanager
def replaced_when_done(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved onto ``path`` when the block succeeds and removed otherwise.

    The new file is flushed to disk (fsync) before the move and the folder after it, and gets the mode a
    plain new file gets (0644 with the usual umask), not a temporary file's 0600. Leftovers of a writer that
    was killed (``.NAME.pidN.XXXX.part`` whose process is gone) are removed first.
    Raises OSError when the folder cannot be written or the move fails; callers word the message.
    """
    remove_leftover_parts(path.parent)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
        _fsync_folder(path.parent)
    finally:
        temp.unlink(missing_ok=True)


def remove_leftover_parts(folder: Path) -> int:
    """Remove ``.NAME.pidN.XXXX.part`` files in ``folder`` whose writing process is gone; returns how many."""
    removed = 0
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.endswith(".part")]
    except OSError:
        return 0
    for name in names:
        match = _PART.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            (folder / name).unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows): the file itself is already on disk
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
