"""Decryption throughput of paid media: ChunkedReader reading a real encrypted file sequentially.

Run: ``.venv/bin/python bench/decrypt_throughput.py``. Target (DESIGN.md): 200 MB/s or more.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from _common import verdict

from player.core.licensing.encryption import ChunkedReader, encrypt_stream, media_context

SIZE_BYTES = 64 * 1024**2  # large enough that per-open costs vanish, small enough for 2 cores
READ_BYTES = 64 * 1024  # what libVLC asks for per read callback, roughly
RUNS = 5
TARGET_MB_S = 200


def make_encrypted(folder: Path, key: bytes) -> Path:
    """A SIZE_BYTES random file encrypted as a paid part, on the same disk as the data directory."""
    plain = folder / "plain.bin"
    plain.write_bytes(os.urandom(SIZE_BYTES))
    sealed = folder / "part.mpe"
    with plain.open("rb") as source, sealed.open("wb") as sink:
        encrypt_stream(source, sink, key=key, context=media_context("bench", "part"))
    plain.unlink()
    return sealed


def read_all_mb_s(path: Path, key: bytes) -> float:
    started = time.perf_counter()
    with path.open("rb") as ciphertext:
        reader = ChunkedReader(ciphertext, key=key, context=media_context("bench", "part"))
        while reader.read(READ_BYTES):
            pass
    return SIZE_BYTES / 1e6 / (time.perf_counter() - started)


def main() -> None:
    key = os.urandom(16)
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as folder:
        sealed = make_encrypted(Path(folder), key)
        rates = [read_all_mb_s(sealed, key) for _ in range(RUNS)]
    median = statistics.median(rates)
    print(f"decryption, {SIZE_BYTES // 1024**2} MiB in {READ_BYTES // 1024} KiB reads, {RUNS} runs: "
          f"median {median:,.0f} MB/s, min {min(rates):,.0f} MB/s   target >= {TARGET_MB_S} MB/s: "
          f"{verdict(min(rates) >= TARGET_MB_S)}")


if __name__ == "__main__":
    main()
