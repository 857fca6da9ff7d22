"""CPU cost of playing a paid (encrypted) part versus the same video unencrypted, with real libVLC.

Each measurement is a fresh child process that plays PLAY_S seconds of the video headless
(--vout=dummy --aout=dummy: libVLC still demuxes and decodes every frame) and reports the CPU time
of all its threads during playback only. Plain and encrypted runs alternate. Target (DESIGN.md):
the encrypted part within 5% of the plain file.

Run: ``.venv/bin/python bench/paid_cpu.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import FALLBACK_CLIP, REPO, verdict

from player.core.licensing.encryption import encrypt, media_context

PLAY_S = 8.0
RUNS = 5
TARGET_PCT = 5.0
CHILD = """
import sys, time
from pathlib import Path
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.vlc.backend import VlcBackend
path, play_s = Path(sys.argv[1]), float(sys.argv[2])
source = EncryptedPart(path, session_id="bench", part_id="part", content_key=bytes(range(16))) \\
    if path.suffix == ".mpe" else path
backend = VlcBackend(headless=True)
backend.load(source)
started = time.process_time()  # every thread of this process: libVLC's decoder and our read callbacks
backend.play()
time.sleep(play_s)
print(time.process_time() - started)
backend.close()
"""


def source_video() -> Path:
    clip = REPO / "media" / "foot-spine-connections" / "01-big-toe-hip.mp4"
    return clip if clip.is_file() else FALLBACK_CLIP


def child_cpu_s(path: Path) -> float:
    """CPU seconds the child spent while playing (start-up and shut-down excluded)."""
    result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(PLAY_S)], cwd=REPO, check=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return float(result.stdout.split()[-1])


def main() -> None:
    video = source_video()
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain.mp4"
        plain.write_bytes(video.read_bytes())
        sealed = Path(folder) / "part.mpe"
        sealed.write_bytes(encrypt(plain.read_bytes(), key=bytes(range(16)), context=media_context("bench", "part")))
        started = time.monotonic()
        plain_s, sealed_s = [], []
        for _ in range(RUNS):
            plain_s.append(child_cpu_s(plain))
            sealed_s.append(child_cpu_s(sealed))
    plain_median, sealed_median = statistics.median(plain_s), statistics.median(sealed_s)
    extra_pct = (sealed_median / plain_median - 1) * 100
    print(f"{video.name}, {PLAY_S:g} s of playback per run, {RUNS} runs each ({time.monotonic() - started:.0f} s)")
    print(f"  plain file:     median CPU {plain_median:.3f} s  (runs: {', '.join(f'{v:.3f}' for v in plain_s)})")
    print(f"  encrypted part: median CPU {sealed_median:.3f} s  (runs: {', '.join(f'{v:.3f}' for v in sealed_s)})")
    met = verdict(extra_pct <= TARGET_PCT)
    print(f"  encrypted costs {extra_pct:+.1f}% CPU   target within {TARGET_PCT:g}%: {met}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
