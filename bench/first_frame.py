"""Launch to the first video frame of snippet 1: Movement Player with each real backend beside plain VLC (cvlc).

    python bench/first_frame.py [--runs N] [--backend vlc|qt]   (default: every real backend that works here)

Starts its own Xvfb (needs Xvfb and Debian's vlc-bin; run as root, cvlc runs as ``nobody``). Each run
spawns a fresh process and times, from just before the spawn, until the video's pixels are on the
screen, watched from this process over X (see bench/README.md). Targets (DESIGN.md): with the backend
``auto`` picks, no slower than cvlc (<= 1.0x); with each other real backend <= 1.3x. The player package is
byte-compiled first, as an installed app is (see _common.compile_bytecode).
Same file, same X server; each backend is started as ``movement-player --backend NAME play`` would start it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _common import (
    REPO,
    BenchSession,
    bench_session,
    compile_bytecode,
    die_with_parent,
    private_xvfb,
    real_backends,
    scratch_dir,
    verdict,
)
from _x11 import VideoWatch, XScreen

from player.playback.vlc.backend import BASE_OPTIONS

AUTO_TARGET_RATIO = 1.0  # the backend ``auto`` picks
OTHER_TARGET_RATIO = 1.3  # every other real backend
POLL_S = 0.002
RUN_TIMEOUT_S = 20.0
SIGNAL_GRACE_S = 1.0  # how long to wait for the app's own first-frame line after the pixels showed
DRIVER = Path(__file__).with_name("_app_driver.py")
SIGNAL = "first_frame_shown"
PIXELS = "video pixels on screen"
# Plain VLC: libVLC's default vout (what the embedded app gets: OpenGL) first, the reference; then plain X11.
CVLC_VARIANTS = {"cvlc, libVLC's default vout (as the app)": (), "cvlc --vout=xcb_x11": ("--vout=xcb_x11",)}

Watches = Callable[[], list[VideoWatch]]


@dataclass
class AppReport:
    """What the app's process printed: its video window, when it reached each stage (ms), a failure."""

    window: int | None = None
    marks: dict[str, float] = field(default_factory=dict)
    failure: str = ""

    def read(self, lines: Iterable[str]) -> None:
        """Consume the driver's stdout (in a thread)."""
        for line in lines:
            word, _, rest = line.strip().partition(" ")
            if word == "window":
                self.window = int(rest)
            elif word == "mark":
                ms, _, stage = rest.partition(" ")
                self.marks[stage] = float(ms)
            elif word == "failed":
                self.failure = rest

    def video_surface(self, screen: XScreen) -> Watches:
        """The watch on the app's video surface, once the app said which window it is."""
        watches: list[VideoWatch] = []

        def find() -> list[VideoWatch]:
            if not watches and self.window:
                watches.append(VideoWatch(screen, self.window))
            return watches

        return find

    def wait_for_mark(self, stage: str, timeout_s: float) -> None:
        """Give the app ``timeout_s`` to report ``stage`` (if it has not yet)."""
        deadline = time.monotonic() + timeout_s
        while stage not in self.marks and not self.failure and time.monotonic() < deadline:
            time.sleep(POLL_S)


def elapsed_ms(t0: float) -> float:
    """Milliseconds of wall-clock time since ``t0`` (a ``time.time()``)."""
    return (time.time() - t0) * 1000


def wait_for_pixels(t0: float, process: subprocess.Popen[str], find_watches: Watches) -> float:
    """Poll until one of the windows ``find_watches`` returns shows video; ms since ``t0``."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(watch.shows_video() for watch in find_watches()):
            return elapsed_ms(t0)
        if process.poll() is not None:
            raise RuntimeError(f"the process ended (exit {process.returncode}) before a frame was shown")
        time.sleep(POLL_S)
    raise RuntimeError(f"no video frame on the screen within {RUN_TIMEOUT_S:g} s")


def end(process: subprocess.Popen[str]) -> None:
    """Stop a process started in its own session, with everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def spawn_app(display: str, session: BenchSession, data_dir: Path, log: Path,
              backend: str) -> tuple[subprocess.Popen[str], float]:
    """Start the app's process with ``backend`` (stderr into ``log``); returns it and the ``time.time()`` just
    before."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    root = session.root
    command = [sys.executable, str(DRIVER), "", str(data_dir), session.session_id, str(root.sessions_dir),
               str(root.media_dir), backend]
    with log.open("w") as stderr:
        t0 = time.time()
        command[2] = repr(t0)
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   start_new_session=True, preexec_fn=die_with_parent)
    return process, t0


def time_app(screen: XScreen, display: str, session: BenchSession, data_dir: Path, backend: str) -> dict[str, float]:
    """One cold launch of the app with ``backend``: ms to each stage it reported, and to its video pixels
    (``PIXELS``)."""
    log = data_dir.with_suffix(".stderr")  # libVLC's harmless VDPAU complaint lands here, or a traceback
    report = AppReport()
    process, t0 = spawn_app(display, session, data_dir, log, backend)
    threading.Thread(target=report.read, args=(process.stdout,), daemon=True).start()
    try:
        pixels_ms = wait_for_pixels(t0, process, report.video_surface(screen))
        report.wait_for_mark(SIGNAL, SIGNAL_GRACE_S)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n--- the app's stderr ---\n{log.read_text()[-3000:]}") from exc
    finally:
        end(process)
    if report.failure:
        raise RuntimeError(f"the app could not play the snippet: {report.failure}")
    return {**report.marks, PIXELS: pixels_ms}


def time_cvlc(screen: XScreen, display: str, media: Path, options: tuple[str, ...]) -> float:
    """One cold start of cvlc (as ``nobody``) on ``media``: ms to video pixels in its new window."""
    before = screen.top_windows()
    watches: dict[int, VideoWatch] = {}

    def new_windows() -> list[VideoWatch]:
        for window in screen.top_windows() - before - watches.keys():
            watches[window] = VideoWatch(screen, window)
        return list(watches.values())

    command = ["runuser", "-u", "nobody", "--", "cvlc", *BASE_OPTIONS, "--play-and-exit", "--aout=dummy",
               *options, str(media)]
    t0 = time.time()
    process = subprocess.Popen(command, env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True, preexec_fn=die_with_parent)
    try:
        return wait_for_pixels(t0, process, new_windows)
    finally:
        end(process)


def readable_copy(media: Path, scratch: Path) -> Path:
    """A copy of ``media`` that ``nobody`` can read (cvlc refuses to run as root)."""
    folder = scratch / "cvlc-media"
    folder.mkdir(mode=0o755, exist_ok=True)
    copy = folder / media.name
    shutil.copyfile(media, copy)
    copy.chmod(0o644)
    return copy


def check_tools() -> None:
    """Exit with advice when a tool is missing."""
    if shutil.which("cvlc") is None:
        sys.exit("cvlc is needed for the side-by-side figure (Debian: apt-get install vlc-bin)")
    if shutil.which("runuser") is None:
        sys.exit("runuser is needed (util-linux): cvlc refuses to run as root")


Figures = dict[str, list[float]]


def measure(display: str, session: BenchSession, scratch: Path, runs: int,
            backends: Sequence[str]) -> tuple[dict[str, Figures], Figures]:
    """Alternate the app with each backend and each cvlc variant, one untimed warm-up round first; ms per
    backend and stage, and per cvlc variant."""
    media = readable_copy(session.first_media, scratch)
    screen = XScreen(display)
    ours: dict[str, Figures] = {backend: {} for backend in backends}
    plain: Figures = {label: [] for label in CVLC_VARIANTS}
    try:
        for run in range(runs + 1):
            # One data directory for every run, as a returning user has: the warm-up run creates the
            # journal (a first launch also applies its migrations once).
            stages = {backend: time_app(screen, display, session, scratch / "data", backend) for backend in backends}
            times = {label: time_cvlc(screen, display, media, options) for label, options in CVLC_VARIANTS.items()}
            if run == 0:
                continue  # warm-up: page cache, font and plugin caches
            for backend, reached in stages.items():
                for stage, value in reached.items():
                    ours[backend].setdefault(stage, []).append(value)
            for label, value in times.items():
                plain[label].append(value)
    finally:
        screen.close()
    return ours, plain


def print_row(label: str, values: Sequence[float]) -> None:
    """``label  median  min  runs: ...``."""
    runs = " ".join(f"{v:.0f}" for v in values)
    print(f"  {label:<44} median {statistics.median(values):7.1f}   min {min(values):7.1f}   runs: {runs}")


# How each backend draws, for the table.
DRAWS = {"vlc": "libVLC embedded in the window", "qt": "Qt Multimedia, Qt draws the frames"}


def print_results(ours: dict[str, Figures], plain: Figures) -> None:
    """The table, each backend beside cvlc, and the verdicts (ratio of the medians against cvlc with libVLC's
    default vout, the one the embedded libVLC gets)."""
    print("ms from spawn to the first video pixels on the screen:")
    for backend, stages in ours.items():
        print_row(f"Movement Player --backend {backend} ({DRAWS.get(backend, backend)})", stages[PIXELS])
        for stage, values in stages.items():
            if stage != PIXELS:
                print_row(f"  its stage: {stage}", values)
    for label, values in plain.items():
        print_row(label, values)
    reference = next(iter(plain.values()))
    from player.playback.registry import auto_choice

    picked = auto_choice()
    for backend, stages in ours.items():
        ratio = statistics.median(stages[PIXELS]) / statistics.median(reference)
        min_ratio = min(stages[PIXELS]) / min(reference)
        is_auto = picked is not None and picked.name == backend
        target = AUTO_TARGET_RATIO if is_auto else OTHER_TARGET_RATIO
        print(f"ratio --backend {backend}/cvlc: {ratio:.2f}x of the medians ({min_ratio:.2f}x of the minimums)   "
              f"target <= {target}x ({'the one auto picks' if is_auto else 'not the one auto picks'}): "
              f"{verdict(ratio <= target)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side (default 5)")
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="the backend to start the app with (repeatable; default: every real one that works)")
    parser.add_argument("--journal-years", type=int, default=0,
                        help="start as a returning user with this many years of daily practice in the journal "
                             "(journal_scale.py's generator; ~5,000 check-ins a year; default 0: a fresh journal)")
    args = parser.parse_args()
    backends = args.backend or real_backends()
    check_tools()
    compile_bytecode()
    with scratch_dir("first-frame") as scratch, private_xvfb() as display:
        session = bench_session(scratch)
        print(f"first frame after launch: {session.describe()}")
        if args.journal_years:
            from journal_scale import generate

            (scratch / "data").mkdir()
            runs, checkins = generate(scratch / "data" / "journal.db", years=args.journal_years, seed=7)
            print(f"journal: {args.journal_years} years of practice, {runs:,} runs, {checkins:,} check-ins")
        print(f"Xvfb {display}; {args.runs} runs per side after one untimed warm-up round (warm page cache, "
              f"fresh processes, one data dir as a returning user has)")
        ours, plain = measure(display, session, scratch, args.runs, backends)
    print_results(ours, plain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
