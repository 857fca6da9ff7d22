"""CPU and peak memory of playing a paid (encrypted) part versus the same video unencrypted, with each real
backend, beside plain VLC (cvlc) playing the unencrypted file.

    python bench/paid_cpu.py [--backend vlc|qt] [--runs N]   (default: every real backend that works, 5 runs)

Each measurement is a fresh child process that plays PLAY_S seconds of the video headless (libVLC:
--vout=dummy --aout=dummy; Qt Multimedia: the offscreen platform, frames decoded into a video sink that
nothing draws; both still demux and decode every frame) and reports the CPU time of all its threads during
playback only, and its peak resident memory. Plain and encrypted runs alternate. Target (DESIGN.md): the
encrypted part within 5% of the plain file; peak memory while playing at most 250 MB.

cvlc (as ``nobody``: it refuses to run as root) plays the plain file for PLAY_S seconds with --vout=dummy
--aout=dummy; its CPU is that run's minus a run that stops at once (start-up), its memory the peak of the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import FALLBACK_CLIP, REPO, real_backends, scratch_dir, verdict

from player.core.licensing.encryption import encrypt, media_context

PLAY_S = 8.0
RUNS = 5
TARGET_PCT = 5.0
TARGET_PEAK_MB = 250.0
CHILD = """
import os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.registry import entry_named
name, path, play_s = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
app = None
if name == "qt":  # Qt Multimedia needs a running Qt application and its event loop
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication(sys.argv[:1])
source = EncryptedPart(path, session_id="bench", part_id="part", content_key=bytes(range(16))) \\
    if path.suffix == ".mpe" else path
backend = entry_named(name).create(embed=False)
backend.load(source)
started = time.process_time()  # every thread of this process: the decoder and our decrypting reads
backend.play()
if app is not None:
    QTimer.singleShot(int(play_s * 1000), app.quit)
    app.exec()
else:
    time.sleep(play_s)
print(time.process_time() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
backend.close()
"""


def source_video() -> Path:
    clip = REPO / "media" / "foot-spine-connections" / "01-big-toe-hip.mp4"
    return clip if clip.is_file() else FALLBACK_CLIP


def child_run(backend: str, path: Path) -> tuple[float, float]:
    """CPU seconds the child spent while playing (start-up and shut-down excluded) and its peak RSS in MB."""
    result = subprocess.run([sys.executable, "-c", CHILD, backend, str(path), str(PLAY_S)], cwd=REPO, check=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu_s, peak_mb = result.stdout.split()[-2:]
    return float(cpu_s), float(peak_mb)


def cvlc_run(path: Path, stop_s: float) -> tuple[float, float]:
    """cvlc (as nobody) playing ``path`` headless until ``stop_s``: CPU seconds of the whole process, peak MB."""
    command = ["runuser", "-u", "nobody", "--", "cvlc", "-q", "--play-and-exit", "--vout=dummy", "--aout=dummy",
               f"--stop-time={stop_s}", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)  # runuser waits for cvlc: its usage is counted in
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cvlc_figures(plain: Path, runs: int) -> tuple[list[float], list[float]] | None:
    """cvlc's playing CPU (s) and peak memory (MB) per run, or None when cvlc or runuser is missing."""
    if shutil.which("cvlc") is None or shutil.which("runuser") is None:
        print("(cvlc left out: Debian's vlc-bin and runuser are needed)", file=sys.stderr)
        return None
    cpu, peak = [], []
    for _ in range(runs):
        played_s, played_mb = cvlc_run(plain, PLAY_S)
        start_s, _start_mb = cvlc_run(plain, 0.05)
        cpu.append(played_s - start_s)
        peak.append(played_mb)
    return cpu, peak


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="the backend to play with (repeatable; default: every real one that works)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each kind (default {RUNS})")
    args = parser.parse_args()
    backends = args.backend or real_backends()
    video = source_video()
    with scratch_dir("paid-cpu") as folder:
        plain = folder / "plain.mp4"
        plain.write_bytes(video.read_bytes())
        plain.chmod(0o644)
        sealed = folder / "part.mpe"
        sealed.write_bytes(encrypt(plain.read_bytes(), key=bytes(range(16)), context=media_context("bench", "part")))
        started = time.monotonic()
        figures: dict[str, dict[str, tuple[list[float], list[float]]]] = {}
        for backend in backends:
            rows: dict[str, tuple[list[float], list[float]]] = {"plain": ([], []), "encrypted": ([], [])}
            for _ in range(args.runs):
                for kind, path in (("plain", plain), ("encrypted", sealed)):
                    cpu_s, peak_mb = child_run(backend, path)
                    rows[kind][0].append(cpu_s)
                    rows[kind][1].append(peak_mb)
            figures[backend] = rows
        reference = cvlc_figures(plain, args.runs)
    print(f"{video.name}, {PLAY_S:g} s of playback per run, {args.runs} runs each ({time.monotonic() - started:.0f} s)")
    print(f"  {'':<34} {'median CPU':>11} {'peak RSS':>10}   CPU runs")
    for backend, rows in figures.items():
        for kind, (cpu, peak) in rows.items():
            print(f"  --backend {backend:<4} {kind + ' file' if kind == 'plain' else 'encrypted part':<19} "
                  f"{statistics.median(cpu):9.3f} s {max(peak):7.0f} MB   {runs_text(cpu)}")
    if reference is not None:
        cpu, peak = reference
        print(f"  {'cvlc, plain file':<34} {statistics.median(cpu):9.3f} s {max(peak):7.0f} MB   {runs_text(cpu)}")
    for backend, rows in figures.items():
        extra_pct = (statistics.median(rows["encrypted"][0]) / statistics.median(rows["plain"][0]) - 1) * 100
        peak_mb = max(max(rows["plain"][1]), max(rows["encrypted"][1]))
        print(f"  --backend {backend}: encrypted costs {extra_pct:+.1f}% CPU   target within {TARGET_PCT:g}%: "
              f"{verdict(extra_pct <= TARGET_PCT)};  peak {peak_mb:.0f} MB   target <= {TARGET_PEAK_MB:g} MB: "
              f"{verdict(peak_mb <= TARGET_PEAK_MB)}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
