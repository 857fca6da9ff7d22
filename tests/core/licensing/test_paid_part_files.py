"""Encrypted parts are an input surface too: opening one never waits on a FIFO or reads a device."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from player.core.errors import CryptoError
from player.core.licensing.paid_parts import EncryptedPart


def test_a_paid_part_swapped_for_a_fifo_or_a_device_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "part.mpe"
    os.mkfifo(fifo)
    done: list[Path] = []

    def open_them() -> None:
        for path in (fifo, Path("/dev/zero")):
            with pytest.raises(CryptoError, match="is not a regular file"):
                EncryptedPart(path, session_id="s", part_id="p", content_key=bytes(16))
            done.append(path)

    thread = threading.Thread(target=open_them, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert done == [fifo, Path("/dev/zero")]
