"""Writing a file so that a crash or an error leaves the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_when_done(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved onto ``path`` when the block succeeds and removed otherwise.

    Raises OSError when the folder cannot be written or the move fails; callers word the message.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
