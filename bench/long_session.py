"""A real-length paid session: a generated 50-minute 1080p H.264 part, encrypted with the project's own code,
played by each real backend: seek to a random point -> that point's picture on the screen, CPU while playing
the encrypted part against the same file unencrypted, and how fast it decrypts.

    python bench/long_session.py [--backend vlc|qt ...] [--seeks 25] [--runs 3] [--minutes 50] [--keep DIR]

The video (never committed; made in a temporary folder, or reused from --keep DIR): ffmpeg's ``testsrc2``
at 1920x1080, 25 fps, H.264 ``ultrafast`` at ~1.2 Mb/s with a keyframe every 2 s (50 frames), AAC
audio, ``+faststart``. To keep generation near a minute on 2 cores, a SEGMENT_S (5-minute) segment is
encoded once and repeated with ``-c copy`` up to the length: the file is a true 50-minute MP4 (its index,
size and seeking are those of a 50-minute part), only its pictures repeat. Each frame carries a time code
band (see _band_watch.py): the whole second modulo SEGMENT_S, readable from the screen.
The part is encrypted with ``player.core.licensing.encryption`` (c2sp chunked encryption, as the
publisher tool does) and played through ``EncryptedPart``, as the app plays a paid part.

Figures, each beside its target (DESIGN.md):
- seek -> picture: per backend, in a 1280x720 window on a private Xvfb: while playing, ``backend.seek(ms)``
  to a random point (at least 10 s away, modulo the segment, from where it is), timed from just before the
  call until the screen shows a frame whose time code is that point's second (or the next): the picture
  for that point, not merely any new frame. Read from the screen by a separate process every 2 ms.
  p50/p95/max; target p95 < 300 ms. A seek not shown within SEEK_GIVE_UP_S counts as that long.
- CPU: per backend, fresh headless children play PLAY_S seconds from the middle of the part, plain and
  encrypted alternately: CPU time of all threads while playing; target: encrypted within 5% of plain.
  Peak RSS of those children beside ``cvlc``'s on the same plain file (target <= 250 MB).
- decryption: ChunkedReader reading the whole part in 64 KiB reads (MB/s, and how many times faster than
  the video's bitrate needs), and random 64 KiB reads (what a seek costs), against >= 200 MB/s.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import REPO, percentile, private_xvfb, scratch_dir, verdict

from player.core.licensing.encryption import ChunkedReader, encrypt_stream, media_context

SEGMENT_S = 300
FPS = 25
KEYFRAME_FRAMES = 50
VIDEO_BITRATE = "1200k"
KEY = bytes(range(16))
SEEK_TARGET_MS = 300.0
SEEK_GIVE_UP_S = 5.0
SETTLE_S = (0.6, 1.2)  # plays this long (random) between seeks
MIN_JUMP_S = 10
PLAY_S = 8.0
CLOSE_GIVE_UP_S = 40.0  # a CPU child gets PLAY_S plus this to start, play, print and end
CPU_TARGET_PCT = 5.0
PEAK_TARGET_MB = 250.0
DECRYPT_TARGET_MBPS = 200.0
READ_SIZE = 64 * 1024
# cells 0-8: bits of floor(t) modulo SEGMENT_S, most significant first; 13 and 15 white, 12 and 14 black
BAND_EXPR = "if(lt(X,9),255*mod(floor(floor(T)/pow(2,8-X)),2),if(eq(X,15)+eq(X,13),255,0))"

CPU_CHILD = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, sys.argv[5])
from pathlib import Path
from player.core.licensing.paid_parts import EncryptedPart
from player.playback.registry import entry_named
name, path, play_s, start_ms = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
app = None
if name == "qt":
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication(sys.argv[:1])
source = EncryptedPart(path, session_id="bench", part_id="part", content_key=bytes(range(16))) \\
    if path.suffix == ".mpe" else path
backend = entry_named(name).create(embed=False)
backend.set_muted(True)
backend.load(source, start_ms=start_ms)
started = time.process_time()
backend.play()
if app is not None:
    QTimer.singleShot(int(play_s * 1000), app.quit)
    app.exec()
else:
    time.sleep(play_s)
cpu = time.process_time() - started
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(cpu, peak_kib / 1024)
backend.close()
"""


# ---- the part -------------------------------------------------------------------------------------------


def make_part(folder: Path, minutes: int) -> tuple[Path, Path, float]:
    """The plain MP4 and its encrypted ``.mpe`` in ``folder`` (reused when there); seconds spent making them."""
    plain, sealed = folder / f"long-{minutes}min.mp4", folder / f"long-{minutes}min.mpe"
    started = time.monotonic()
    if not plain.is_file():
        if shutil.which("ffmpeg") is None:
            sys.exit("ffmpeg is needed to generate the part (Debian: apt-get install ffmpeg)")
        segment = folder / "segment.mp4"
        band = f"color=c=black:s=16x1:r={FPS},format=rgb24,geq=r='{BAND_EXPR}':g='{BAND_EXPR}':b='{BAND_EXPR}'," \
               "scale=1920:96:flags=neighbor"
        _ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r={FPS}", "-f", "lavfi", "-i", band,
                "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
                "-filter_complex", "[0:v][1:v]overlay=0:0:shortest=1[v]", "-map", "[v]", "-map", "2:a",
                "-t", str(min(SEGMENT_S, minutes * 60)), "-c:v", "libx264", "-preset", "ultrafast",
                "-b:v", VIDEO_BITRATE, "-g", str(KEYFRAME_FRAMES), "-keyint_min", str(KEYFRAME_FRAMES),
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", str(segment))
        loops = max(0, -(-minutes * 60 // SEGMENT_S) - 1)
        _ffmpeg("-stream_loop", str(loops), "-i", str(segment), "-t", str(minutes * 60), "-c", "copy",
                "-movflags", "+faststart", str(plain))
        segment.unlink()
    if not sealed.is_file():
        partial = sealed.with_suffix(".part")
        with plain.open("rb") as source, partial.open("wb") as sink:
            encrypt_stream(source, sink, key=KEY, context=media_context("bench", "part"))
        partial.rename(sealed)
    for path in (plain, sealed):
        path.chmod(0o644)
    return plain, sealed, time.monotonic() - started


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def duration_s(path: Path) -> float:
    """The media's duration by ffprobe."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(path)], check=True, capture_output=True, text=True).stdout
    return float(out.strip())


# ---- decryption -----------------------------------------------------------------------------------------


def decryption(sealed: Path, plain_size: int, length_s: float) -> None:
    """Sequential and random-access decryption of the part, beside the rate the video needs."""
    context = media_context("bench", "part")
    with sealed.open("rb") as source:
        reader = ChunkedReader(source, key=KEY, context=context)
        started = time.perf_counter()
        while reader.read(READ_SIZE):
            pass
        sequential_s = time.perf_counter() - started
        rng = random.Random(3)
        waits = []
        for _ in range(200):
            reader.seek(rng.randrange(0, plain_size - READ_SIZE))
            started = time.perf_counter()
            reader.read(READ_SIZE)
            waits.append((time.perf_counter() - started) * 1000)
    mbps = plain_size / sequential_s / 1e6
    needed_mbps = plain_size / length_s / 1e6
    print(f"decryption, whole part in 64 KiB reads: {mbps:7.0f} MB/s = {mbps / needed_mbps:,.0f}x what playing "
          f"needs ({needed_mbps * 8:.2f} Mb/s)   target >= {DECRYPT_TARGET_MBPS:g} MB/s: "
          f"{verdict(mbps >= DECRYPT_TARGET_MBPS)}")
    print(f"decryption, a random 64 KiB read (after a seek): p50 {percentile(waits, 50):.2f} ms, "
          f"p95 {percentile(waits, 95):.2f} ms")


# ---- seek -> picture ------------------------------------------------------------------------------------


class Lines:
    """A child's stdout lines, collected by a thread; ``second`` is the last time code read (watcher only)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[list[str]] = queue.Queue()
        self.second: int | None = None
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.queue.put(line.split())
        self.queue.put(["eof"])

    def next(self, timeout_s: float) -> list[str] | None:
        """The next line's words; None when none came within ``timeout_s``."""
        try:
            words = self.queue.get(timeout=timeout_s)
        except queue.Empty:
            return None
        if words[0] == "sec":
            self.second = None if words[1] == "-" else int(words[1])
        return words


def seek_times(backend: str, sealed: Path, length_s: float, seeks: int, display: str) -> list[float] | str:
    """Seek -> picture times (ms) of ``seeks`` random seeks; a string saying why when it could not run."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    player = subprocess.Popen([sys.executable, str(REPO / "bench" / "_seek_player.py"), backend, str(sealed)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=env, cwd=REPO)
    watcher: subprocess.Popen[str] | None = None
    try:
        said = Lines(player)
        window = _expect(said, "window", 30)
        if window is None:
            return "the player never showed its window"
        watcher = subprocess.Popen([sys.executable, str(REPO / "bench" / "_band_watch.py"), display, window[1]],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        seen = Lines(watcher)
        if _expect(said, "playing", 30) is None:
            return "no first frame"
        shown = _settle(seen, 2.0)
        if shown is None:
            return "the time code band cannot be read from the screen (is the picture scaled or cropped?)"
        rng = random.Random(11)
        results = []
        for _ in range(seeks):
            target_s = _target(rng, length_s, shown)
            assert player.stdin is not None
            player.stdin.write(f"seek {target_s * 1000 + 400}\n")  # 0.4 s into that second
            player.stdin.flush()
            sought = _expect(said, "sought", 10)
            if sought is None:
                return "the player stopped answering"
            results.append(_picture_ms(seen, float(sought[2]), target_s % SEGMENT_S))
            shown = _settle(seen, rng.uniform(*SETTLE_S))
            if shown is None:
                return "the picture stopped after a seek"
        return results
    finally:
        for process in (watcher, player):
            if process is not None and process.poll() is None:
                assert process.stdin is not None
                process.stdin.close()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _expect(lines: Lines, word: str, timeout_s: float) -> list[str] | None:
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        words = lines.next(left)
        if words is None or words[0] in ("eof", "failed"):
            if words and words[0] == "failed":
                print(f"  player: {' '.join(words)}", file=sys.stderr)
            return None
        if words[0] == word:
            return words
    return None


def _settle(seen: Lines, play_s: float) -> int | None:
    """Let it play ``play_s``; the second shown now (None when no time code is readable)."""
    deadline = time.monotonic() + play_s
    while (left := deadline - time.monotonic()) > 0 and seen.next(left) is not None:
        pass
    return seen.second


def _target(rng: random.Random, length_s: float, shown: int) -> int:
    """A random whole second to seek to: inside the part, and far (modulo the segment) from what is shown."""
    while True:
        target = rng.randrange(5, int(length_s) - 15)
        distance = abs(target % SEGMENT_S - shown)
        if min(distance, SEGMENT_S - distance) >= MIN_JUMP_S:
            return target


def _picture_ms(seen: Lines, sought_at: float, second: int) -> float:
    """Milliseconds from ``sought_at`` until the screen shows ``second`` (or the next one)."""
    wanted = {second, (second + 1) % SEGMENT_S}
    deadline = sought_at + SEEK_GIVE_UP_S
    while (left := deadline - time.monotonic()) > 0:
        words = seen.next(left)
        if words is None:
            break
        if words[0] == "sec" and words[1] != "-" and int(words[1]) in wanted and float(words[2]) > sought_at:
            return (float(words[2]) - sought_at) * 1000
    return SEEK_GIVE_UP_S * 1000


# ---- CPU and memory -------------------------------------------------------------------------------------


def cpu_run(backend: str, path: Path, start_ms: int, hangs: list[str]) -> tuple[float, float]:
    """CPU seconds of a headless child playing PLAY_S from ``start_ms``, and its peak RSS (MB).

    A child that printed its figures but then does not end (``backend.close()`` stuck) is killed after
    CLOSE_GIVE_UP_S and named in ``hangs``; its figures still count.
    """
    command = [sys.executable, "-c", CPU_CHILD, backend, str(path), str(PLAY_S), str(start_ms), str(REPO)]
    try:
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO,
                             timeout=PLAY_S + CLOSE_GIVE_UP_S).stdout
    except subprocess.TimeoutExpired as stuck:
        out = stuck.stdout.decode() if isinstance(stuck.stdout, bytes) else (stuck.stdout or "")
        hangs.append(f"--backend {backend} {path.suffix}")
    words = out.split()
    if len(words) < 2:
        raise RuntimeError(f"the {backend} child playing {path.name} printed no figures")
    return float(words[-2]), float(words[-1])


def cvlc_run(path: Path, start_s: float, stop_s: float) -> tuple[float, float]:
    """cvlc as ``nobody``, headless, from ``start_s`` to ``stop_s``: CPU seconds and peak RSS (MB)."""
    command = ["runuser", "-u", "nobody", "--", "cvlc", "-q", "--play-and-exit", "--vout=dummy", "--aout=dummy",
               f"--start-time={start_s}", f"--stop-time={stop_s}", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cpu_figures(backends: list[str], plain: Path, sealed: Path, length_s: float, runs: int) -> None:
    """Plain against encrypted per backend, and cvlc's figures on the plain file."""
    start_ms = int(length_s * 1000 / 2)
    hangs: list[str] = []
    for backend in backends:
        rows: dict[str, tuple[list[float], list[float]]] = {"plain": ([], []), "encrypted": ([], [])}
        for _ in range(runs):
            for kind, path in (("plain", plain), ("encrypted", sealed)):
                cpu_s, peak_mb = cpu_run(backend, path, start_ms, hangs)
                rows[kind][0].append(cpu_s)
                rows[kind][1].append(peak_mb)
        for kind, (cpu, peak) in rows.items():
            print(f"  --backend {backend:<4} {kind:<10} CPU median {statistics.median(cpu):6.2f} s of {PLAY_S:g} s "
                  f"({', '.join(f'{c:.2f}' for c in cpu)})   peak RSS {max(peak):5.0f} MB")
        extra = (statistics.median(rows["encrypted"][0]) / statistics.median(rows["plain"][0]) - 1) * 100
        peak_mb = max(max(rows["plain"][1]), max(rows["encrypted"][1]))
        print(f"  --backend {backend}: encrypted costs {extra:+.1f}% CPU   target within {CPU_TARGET_PCT:g}%: "
              f"{verdict(extra <= CPU_TARGET_PCT)};   peak RSS {peak_mb:.0f} MB   target <= {PEAK_TARGET_MB:g} MB: "
              f"{verdict(peak_mb <= PEAK_TARGET_MB)}")
    for hang in hangs:
        print(f"  NOTE {hang}: the child did not end after playing (backend.close() stuck); killed after "
              f"{CLOSE_GIVE_UP_S:g} s")
    if shutil.which("cvlc") is None or shutil.which("runuser") is None:
        print("  (cvlc left out: Debian's vlc-bin and runuser are needed)")
        return
    cpu, peak = [], []
    start_s = start_ms / 1000
    for _ in range(runs):
        played_s, played_mb = cvlc_run(plain, start_s, start_s + PLAY_S)
        started_s, _ = cvlc_run(plain, start_s, start_s + 0.05)
        cpu.append(played_s - started_s)
        peak.append(played_mb)
    print(f"  cvlc plain file       CPU median {statistics.median(cpu):6.2f} s of {PLAY_S:g} s "
          f"({', '.join(f'{c:.2f}' for c in cpu)})   peak RSS {max(peak):5.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="a backend to measure (repeatable; default: every real one that works)")
    parser.add_argument("--seeks", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3, help="CPU runs of each kind per backend")
    parser.add_argument("--minutes", type=int, default=50)
    parser.add_argument("--keep", type=Path, default=None,
                        help="make (or reuse) the part in this folder instead of a temporary one")
    args = parser.parse_args()
    from _common import real_backends

    backends = args.backend or real_backends()
    with scratch_dir("long-session") as scratch:
        folder = args.keep or scratch
        folder.mkdir(parents=True, exist_ok=True)
        plain, sealed, made_s = make_part(folder, args.minutes)
        length_s = duration_s(plain)
        size = plain.stat().st_size
        print(f"part: {length_s / 60:.1f} min 1920x1080 H.264 {FPS} fps, keyframe every {KEYFRAME_FRAMES} frames, "
              f"{size / 1e6:.0f} MB plain, {sealed.stat().st_size / 1e6:.0f} MB encrypted "
              f"(made or found in {made_s:.0f} s)")
        decryption(sealed, size, length_s)
        print(f"seek -> that point's picture on the screen, while playing the encrypted part ({args.seeks} seeks):")
        with private_xvfb() as display:
            for backend in backends:
                found = seek_times(backend, sealed, length_s, args.seeks, display)
                if isinstance(found, str):
                    print(f"  --backend {backend}: not measured: {found}")
                    continue
                late = sum(ms >= SEEK_GIVE_UP_S * 1000 for ms in found)
                p95 = percentile(found, 95)
                print(f"  --backend {backend:<4} p50 {percentile(found, 50):6.0f} ms  p95 {p95:6.0f} ms  "
                      f"max {max(found):6.0f} ms{f'  ({late} not shown within {SEEK_GIVE_UP_S:g} s)' if late else ''}"
                      f"   target p95 < {SEEK_TARGET_MS:g} ms: {verdict(p95 < SEEK_TARGET_MS)}")
        print(f"CPU of all threads while playing {PLAY_S:g} s from the middle, headless ({args.runs} runs each):")
        cpu_figures(backends, plain, sealed, length_s, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
