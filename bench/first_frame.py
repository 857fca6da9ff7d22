"""Launch to the first video frame of snippet 1: Movement Player with each real backend beside plain VLC (cvlc).

    python bench/first_frame.py [--runs N] [--backend vlc|qt] [--no-floor]
                                (default: every real backend that works here, each with its toolkit floor)

Starts its own Xvfb (needs Xvfb and Debian's vlc-bin; run as root, cvlc runs as ``nobody``). Each run
spawns a fresh process and times, from just before the spawn, until the video's pixels are on the
screen, watched from this process over X (see bench/README.md). Targets (DESIGN.md): with the backend
``auto`` picks, no slower than cvlc (<= 1.0x); with each other real backend <= 1.3x. The player package is
byte-compiled first, as an installed app is (see _common.compile_bytecode).
Same file, same X server; each backend is started as ``movement-player --backend NAME play`` would start it.

Beside each backend it also times the *toolkit floor* (``--no-floor`` leaves it out): ``_floor_driver.py``, a
minimal PySide6 program with the same backend made through ``player.playback.registry`` in a bare window, playing
the same file, with none of the app (no journal, library, pages or ``player.ui``). It is what Python, PySide6,
Qt's first paint and the backend's start cost any such player, so the results can say "app X ms, toolkit
floor Y ms, cvlc Z ms" and what the app itself adds (app minus floor). The targets are judged on the app only.
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
from dataclasses import dataclass, field, replace
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

from player.core.journal.store import Journal
from player.core.paths import journal_path
from player.core.session.settings import load_settings, save_settings
from player.playback.vlc.backend import BASE_OPTIONS

AUTO_TARGET_RATIO = 1.0  # the backend ``auto`` picks
OTHER_TARGET_RATIO = 1.3  # every other real backend
POLL_S = 0.002
RUN_TIMEOUT_S = 20.0
SIGNAL_GRACE_S = 1.0  # how long to wait for the app's own first-frame line after the pixels showed
DRIVER = Path(__file__).with_name("_app_driver.py")
FLOOR_DRIVER = Path(__file__).with_name("_floor_driver.py")  # the toolkit floor: PySide6 + the backend, no app
SIGNAL = "first_frame_shown"
TEMPLATE_DIRNAME = "returning-user"  # the data directory each app run starts from (see returning_user)
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


def spawn_driver(display: str, driver: Path, args: Sequence[str], log: Path) -> tuple[subprocess.Popen[str], float]:
    """Start ``driver`` (``_app_driver.py`` or ``_floor_driver.py``) with ``args`` after T0 (stderr into ``log``);
    returns the process and T0, the ``time.time()`` just before the spawn."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    command = [sys.executable, str(driver), "", *args]
    with log.open("w") as stderr:
        t0 = time.time()
        command[2] = repr(t0)
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   start_new_session=True, preexec_fn=die_with_parent)
    return process, t0


def time_driver(screen: XScreen, display: str, driver: Path, args: Sequence[str], log: Path, *,
                last_mark: str | None = None) -> dict[str, float]:
    """One cold launch of ``driver``: ms to each stage it reported, and to its video pixels (``PIXELS``); after
    the pixels, waits a little for ``last_mark`` when it was not reported yet."""
    report = AppReport()
    process, t0 = spawn_driver(display, driver, args, log)
    threading.Thread(target=report.read, args=(process.stdout,), daemon=True).start()
    try:
        pixels_ms = wait_for_pixels(t0, process, report.video_surface(screen))
        if last_mark:
            report.wait_for_mark(last_mark, SIGNAL_GRACE_S)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n--- {driver.name}'s stderr ---\n{log.read_text()[-3000:]}") from exc
    finally:
        end(process)
    if report.failure:
        raise RuntimeError(f"{driver.name} could not play the snippet: {report.failure}")
    return {**report.marks, PIXELS: pixels_ms}


def time_app(screen: XScreen, display: str, session: BenchSession, data_dir: Path, backend: str) -> dict[str, float]:
    """One cold launch of the app with ``backend``: ms to each stage it reported, and to its video pixels."""
    log = data_dir.with_suffix(".stderr")  # libVLC's harmless VDPAU complaint lands here, or a traceback
    root = session.root
    args = [str(data_dir), session.session_id, str(root.sessions_dir), str(root.media_dir), backend]
    return time_driver(screen, display, DRIVER, args, log, last_mark=SIGNAL)


def time_floor(screen: XScreen, display: str, session: BenchSession, scratch: Path, backend: str) -> dict[str, float]:
    """One cold launch of the toolkit floor with ``backend`` on snippet 1's file: ms to its stages and pixels."""
    log = scratch / f"floor-{backend}.stderr"
    return time_driver(screen, display, FLOOR_DRIVER, [str(session.first_media), backend], log)


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


def returning_user(template: Path) -> None:
    """The data directory every app run starts from, made once: a journal closed as the app leaves it (with the
    years of practice ``--journal-years`` put there, else empty), and no countdown (a deliberate pause before
    each snippet, Space skips it; not start-up cost)."""
    template.mkdir(exist_ok=True)
    save_settings(template, replace(load_settings(template), countdown_enabled=False))
    Journal.open(journal_path(template)).close()  # created, or checked and migrated, once


def fresh_copy(template: Path, data_dir: Path) -> Path:
    """``data_dir`` as ``template`` (before a run, untimed): each run starts as the same returning user, never
    after a run the benchmark ended mid-snippet (that one would leave the journal asking first, or asking to
    continue it)."""
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(template, data_dir)
    return data_dir


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


@dataclass
class Results:
    """ms per backend and stage for the app and for the toolkit floor (empty without ``--floor``), and per
    cvlc variant."""

    app: dict[str, Figures]
    floor: dict[str, Figures]
    cvlc: Figures


def keep_run(into: dict[str, Figures], backend: str, reached: dict[str, float]) -> None:
    """Append one run's ``reached`` stages (ms) to ``into[backend]``."""
    for stage, value in reached.items():
        into.setdefault(backend, {}).setdefault(stage, []).append(value)


def measure(display: str, session: BenchSession, scratch: Path, runs: int, backends: Sequence[str], *,
            floor: bool) -> Results:
    """Alternate the app with each backend, the toolkit floor with each (when ``floor``) and each cvlc variant,
    one untimed warm-up round first."""
    media = readable_copy(session.first_media, scratch)
    template = scratch / TEMPLATE_DIRNAME
    returning_user(template)
    screen = XScreen(display)
    results = Results(app={}, floor={}, cvlc={label: [] for label in CVLC_VARIANTS})
    try:
        for run in range(runs + 1):
            stages = {backend: time_app(screen, display, session, fresh_copy(template, scratch / "data"), backend)
                      for backend in backends}
            floors = {backend: time_floor(screen, display, session, scratch, backend)
                      for backend in (backends if floor else ())}
            times = {label: time_cvlc(screen, display, media, options) for label, options in CVLC_VARIANTS.items()}
            if run == 0:
                continue  # warm-up: page cache, font and plugin caches
            for backend, reached in stages.items():
                keep_run(results.app, backend, reached)
            for backend, reached in floors.items():
                keep_run(results.floor, backend, reached)
            for label, value in times.items():
                results.cvlc[label].append(value)
    finally:
        screen.close()
    return results


def print_row(label: str, values: Sequence[float]) -> None:
    """``label  median  min  runs: ...``."""
    runs = " ".join(f"{v:.0f}" for v in values)
    print(f"  {label:<44} median {statistics.median(values):7.1f}   min {min(values):7.1f}   runs: {runs}")


# How each backend draws, for the table.
DRAWS = {"vlc": "libVLC embedded in the window", "qt": "Qt Multimedia, Qt draws the frames"}


FLOOR_IS = ("The toolkit floor is a minimal Python program, not the app: PySide6 imported, the same backend "
            "chosen and made through player.playback.registry, a bare window with one native child, load + play of "
            "the same file (no journal, no library, no pages): what any PySide6 player with that backend pays "
            "before its first picture; the targets above are judged on the app.")


def print_stages(label: str, stages: Figures) -> None:
    """The row of the pixels under ``label``, then one row for each stage the process reported."""
    print_row(label, stages[PIXELS])
    for stage, values in stages.items():
        if stage != PIXELS:
            print_row(f"  its stage: {stage}", values)


def print_table(results: Results) -> None:
    """Every side's ms to the pixels (and its stages): each backend's app and floor, then cvlc."""
    print("ms from spawn to the first video pixels on the screen:")
    for backend, stages in results.app.items():
        print_stages(f"Movement Player --backend {backend} ({DRAWS.get(backend, backend)})", stages)
        if backend in results.floor:
            print_stages(f"toolkit floor, {backend} (PySide6, bare window, the registry's backend)",
                         results.floor[backend])
    for label, values in results.cvlc.items():
        print_row(label, values)


def print_verdicts(app: dict[str, Figures], reference: Sequence[float]) -> None:
    """Each backend's app against cvlc (ratio of the medians against cvlc with libVLC's default vout, the one
    the embedded libVLC gets), with its target."""
    from player.playback.registry import auto_choice

    picked = auto_choice()
    for backend, stages in app.items():
        ratio = statistics.median(stages[PIXELS]) / statistics.median(reference)
        min_ratio = min(stages[PIXELS]) / min(reference)
        is_auto = picked is not None and picked.name == backend
        target = AUTO_TARGET_RATIO if is_auto else OTHER_TARGET_RATIO
        print(f"ratio --backend {backend}/cvlc: {ratio:.2f}x of the medians ({min_ratio:.2f}x of the minimums)   "
              f"target <= {target}x ({'the one auto picks' if is_auto else 'not the one auto picks'}): "
              f"{verdict(ratio <= target)}")


def print_floor(results: Results, reference: Sequence[float]) -> None:
    """Per backend: app, floor and cvlc side by side, the floor's ratio to cvlc and what the app adds to it."""
    cvlc_median, cvlc_min = statistics.median(reference), min(reference)
    for backend, floor in results.floor.items():
        app, base = results.app[backend][PIXELS], floor[PIXELS]
        print(f"{backend}: app {statistics.median(app):.0f} ms, toolkit floor {statistics.median(base):.0f} ms, "
              f"cvlc {cvlc_median:.0f} ms (medians; minimums {min(app):.0f} / {min(base):.0f} / {cvlc_min:.0f}); "
              f"floor/cvlc {statistics.median(base) / cvlc_median:.2f}x ({min(base) / cvlc_min:.2f}x of the "
              f"minimums); app minus floor {statistics.median(app) - statistics.median(base):+.0f} ms "
              f"({min(app) - min(base):+.0f} ms of the minimums)")
    print(FLOOR_IS)


def print_results(results: Results) -> None:
    """The table, the verdicts on the app, and (when measured) the toolkit floor beside them."""
    print_table(results)
    reference = next(iter(results.cvlc.values()))
    print_verdicts(results.app, reference)
    if results.floor:
        print_floor(results, reference)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side (default 5)")
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="the backend to start the app with (repeatable; default: every real one that works)")
    parser.add_argument("--journal-years", type=int, default=0,
                        help="start as a returning user with this many years of daily practice in the journal "
                             "(journal_scale.py's generator; ~5,000 check-ins a year; default 0: a fresh journal)")
    parser.add_argument("--floor", action=argparse.BooleanOptionalAction, default=True,
                        help="also time the toolkit floor with each backend: PySide6 and the backend in a bare "
                             "window, none of the app (_floor_driver.py; default: on)")
    args = parser.parse_args()
    backends = args.backend or real_backends()
    check_tools()
    compile_bytecode()
    with scratch_dir("first-frame") as scratch, private_xvfb() as display:
        session = bench_session(scratch)
        print(f"first frame after launch: {session.describe()}")
        if args.journal_years:
            from journal_scale import generate

            (scratch / TEMPLATE_DIRNAME).mkdir()
            runs, checkins = generate(journal_path(scratch / TEMPLATE_DIRNAME), years=args.journal_years, seed=7)
            print(f"journal: {args.journal_years} years of practice, {runs:,} runs, {checkins:,} check-ins")
        sides = "the app, the toolkit floor and cvlc" if args.floor else "the app and cvlc"
        print(f"Xvfb {display}; {args.runs} runs per side ({sides}) after one untimed warm-up round (warm page "
              f"cache, fresh processes, each app run from a copy of one returning user's data)")
        results = measure(display, session, scratch, args.runs, backends, floor=args.floor)
    print_results(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
