"""Memory while practising: RSS after each practised run of the built-in preview, beside plain ``cvlc``.

    python bench/soak_memory.py [--runs N] [--tail-ms MS] [--backend vlc|qt] [--mirror] [--trim] [--python]
                                [--cvlc-passes N]

Starts its own Xvfb and builds the app as ``run_app`` does (QT_QPA_PLATFORM=xcb, the real backend
drawing into the window; each real backend in turn, in a process of its own, unless ``--backend`` names
one), then practises the session's preview N times back to back, as "Practise again" does: for each
snippet it waits for the first frame, seeks to TAIL before the end, lets it end by itself, saves a
check-in, and the next snippet loads. After each run it prints the process's VmRSS and VmHWM
(``/proc/self/status``) and glibc's account of its heap; at the end the growth per run (least-squares
slope over the later runs), the peak, and the same snippets played by plain ``cvlc`` (as ``nobody``,
same X server, same default video output). Targets: peak <= 250 MB, flat across runs.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import operator
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import shiboken6
from _common import BenchSession, bench_session, die_with_parent, private_xvfb, real_backends, scratch_dir, verdict
from _qtapp import build_app
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from player.core.journal.store import Answers
from player.core.session.library import find_entry, scan_library
from player.core.session.manifest import Snippet
from player.core.session.runner import Phase, RunnerState
from player.playback.vlc.backend import BASE_OPTIONS
from player.ui.app import App
from player.ui.practice.controller import SessionController

PEAK_TARGET_MB = 250.0
SLOPE_TARGET_MB = 1.0  # "flat": less than this per practised run, over the later runs
DEFAULT_RUNS = 12
DEFAULT_TAIL_MS = 1500  # each snippet plays its last 1.5 s: the whole load/first frame/end/check-in path
WAIT_TIMEOUT_S = 15.0
SETTLE_MS = 300  # the summary shows this long before the run's memory is read, as a user would look at it
ANSWERS = Answers(discomfort=2)
CVLC_POLL_S = 0.05
KIB_PER_MB = 1024


# ---- memory figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Memory:
    """Resident memory now and its high-water mark, in MB (MiB), from ``/proc/PID/status``."""

    rss_mb: float
    hwm_mb: float


def read_memory(pid: int | str = "self") -> Memory | None:
    """VmRSS and VmHWM of ``pid``; None once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        return Memory(int(fields["VmRSS"].split()[0]) / KIB_PER_MB, int(fields["VmHWM"].split()[0]) / KIB_PER_MB)
    except KeyError:  # a zombie has no memory lines
        return None


def slope_per_run(values: Sequence[float]) -> float:
    """Least-squares slope of ``values`` against their index (MB per run)."""
    count = len(values)
    mean_x, mean_y = (count - 1) / 2, sum(values) / count
    spread = sum((x - mean_x) ** 2 for x in range(count))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread if spread else 0.0


def later_runs(count: int) -> int:
    """Index of the first run the slope is taken from: the first third are warm-up (fonts, shaders, caches)."""
    return min(max(1, count // 3), max(0, count - 3))


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                      "fsmblks", "uordblks", "fordblks", "keepcost")]


@dataclass(frozen=True)
class Heap:
    """glibc's malloc heap in MB: in use by the program, freed but still held (resident or not), arenas."""

    in_use_mb: float
    held_free_mb: float
    arenas: int

    def describe(self) -> str:
        """``malloc: in use 15.1 MB, freed but held 80.2 MB in 16 arenas``."""
        plural = "s" if self.arenas != 1 else ""
        return (f"malloc: in use {self.in_use_mb:5.1f} MB, freed but held {self.held_free_mb:6.1f} MB "
                f"in {self.arenas:2d} arena{plural}")


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallinfo2") else None


def read_heap() -> Heap | None:
    """mallinfo2() and the arena count from malloc_info(); None without glibc 2.33+."""
    libc = _libc()
    if libc is None:
        return None
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    libc.open_memstream.restype = ctypes.c_void_p
    buffer, size = ctypes.c_void_p(), ctypes.c_size_t()
    stream = libc.open_memstream(ctypes.byref(buffer), ctypes.byref(size))
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    xml = ctypes.string_at(buffer, size.value).decode()
    libc.free(buffer)
    mb = 1024 * 1024
    return Heap(info.uordblks / mb, info.fordblks / mb, xml.count("<heap nr="))


def malloc_trim() -> None:
    """Give freed heap pages back to the kernel (glibc); tells fragmentation from memory still in use."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


# ---- driving the app -----------------------------------------------------------------------------------


class Waiter:
    """Runs the Qt event loop until a condition holds; raises on a failed snippet or a timeout."""

    def __init__(self) -> None:
        self.failure = ""
        self.frames: set[int] = set()  # snippets of the current run whose first frame was shown
        self._loop = QEventLoop()
        self._wake = QTimer(singleShot=True)
        self._wake.timeout.connect(self._loop.quit)

    def watch(self, controller: SessionController) -> None:
        """Wake on ``controller``'s reports (a new controller for each run)."""
        self.frames.clear()
        controller.first_frame_shown.connect(self._frame)
        controller.state_changed.connect(self._state)

    def until(self, condition: Callable[[], bool], what: str) -> None:
        """Process events until ``condition()``."""
        deadline = time.monotonic() + WAIT_TIMEOUT_S
        while not condition():
            if self.failure:
                raise RuntimeError(f"a snippet failed: {self.failure}")
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no {what} within {WAIT_TIMEOUT_S:g} s")
            self._wake.start(50)
            self._loop.exec()

    def idle(self, ms: int) -> None:
        """Let the app run for ``ms`` milliseconds."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self._wake.start(max(1, int((end - time.monotonic()) * 1000)))
            self._loop.exec()

    def _frame(self, index: int) -> None:
        self.frames.add(index)
        self._loop.quit()

    def _state(self, state: RunnerState) -> None:
        if state.phase is Phase.FAILED:
            self.failure = state.error
        self._loop.quit()


def practise_once(app: App, session_id: str, waiter: Waiter, *, tail_ms: int, mirror: bool = False) -> None:
    """One practised run of the preview from the start, as "Practise again" starts it; ``mirror``: press M in
    its first snippet (the picture flips, and stays flipped, until the next run's first snippet)."""
    if not app.start_session(session_id) or app.controller is None:
        raise RuntimeError(f"session {session_id} is not playable")
    controller = app.controller
    waiter.watch(controller)
    for index in range(len(controller.snippets)):
        waiter.until(lambda: index in waiter.frames or _asks_before(controller), f"snippet {index + 1}")  # noqa: B023
        if _asks_before(controller):
            controller.skip_before()  # a "before" measurement: not what is measured here
        waiter.until(partial(operator.contains, waiter.frames, index), f"first frame of snippet {index + 1}")
        if mirror and index == 0:
            waiter.frames.clear()
            controller.toggle_mirror()  # the snippet reloads in the other engine where it was
            waiter.until(partial(operator.contains, waiter.frames, index), "first frame after the flip")
        duration_ms = controller.backend.duration_ms() or int(controller.snippet.duration_s * 1000)
        controller.seek_to(max(0, duration_ms - tail_ms))
        waiter.until(lambda: controller.state.phase is Phase.CHECKIN, f"end of snippet {index + 1}")
        controller.save_checkin(ANSWERS)
    waiter.until(lambda: controller.state.phase is Phase.SUMMARY, "summary")
    waiter.idle(SETTLE_MS)


def _close(qt_app: QApplication, app: App) -> None:
    """Release the player and the journal, then Qt's X connection, before the private Xvfb goes away."""
    app.shut_down()
    app.window.close()
    app.window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shiboken6.delete(qt_app)


def _asks_before(controller: SessionController) -> bool:
    """The run waits for questions asked before the snippet plays (sessions with "before" measurements)."""
    before = getattr(Phase, "BEFORE", None)
    return before is not None and controller.state.phase is before


def soak_app(session: BenchSession, data_dir: Path, *, runs: int, tail_ms: int, trim: bool, python: bool,
             mirror: bool, backend: str) -> tuple[Memory, list[Memory], list[Memory]]:
    """Memory after the app is built, after each run, and (``trim``) after each run plus malloc_trim."""
    qt_app, app = build_app(session.root, data_dir, backend=backend)
    built = read_memory()
    assert built is not None
    waiter = Waiter()
    after: list[Memory] = []
    trimmed: list[Memory] = []
    if python:
        tracemalloc.start()
    try:
        for number in range(1, runs + 1):
            practise_once(app, session.session_id, waiter, tail_ms=tail_ms, mirror=mirror)
            memory = read_memory()
            assert memory is not None
            after.append(memory)
            heap = read_heap()
            line = f"  run {number:2d}: RSS {memory.rss_mb:6.1f} MB   HWM {memory.hwm_mb:6.1f} MB"
            line += f"   {heap.describe()}" if heap else ""
            if python:
                line += f"   Python {tracemalloc.get_traced_memory()[0] / 2**20:5.1f} MB"
                line += f", {len(gc.get_objects())} objects"
            if trim:
                malloc_trim()
                memory = read_memory()
                assert memory is not None
                trimmed.append(memory)
                line += f"   after malloc_trim {memory.rss_mb:6.1f} MB"
            print(line, flush=True)
    finally:
        _close(qt_app, app)
    return built, after, trimmed


# ---- plain cvlc ----------------------------------------------------------------------------------------


def cvlc_peak(session: BenchSession, scratch: Path, display: str, *, passes: int, tail_ms: int) -> Memory | None:
    """Peak and last RSS of ``cvlc`` (as ``nobody``) playing the same snippets' tails ``passes`` times over."""
    if shutil.which("cvlc") is None or shutil.which("runuser") is None:
        print("  cvlc: not measured (needs vlc-bin's cvlc and runuser)")
        return None
    items: list[str] = []
    folder = scratch / "cvlc"
    folder.mkdir()
    folder.chmod(0o755)
    for number, snippet in enumerate(_snippets(session), start=1):
        copy = folder / f"{number}{snippet.media.suffix}"
        shutil.copyfile(snippet.media, copy)
        copy.chmod(0o644)
        start_s = max(0.0, snippet.duration_s - tail_ms / 1000)
        items += [str(copy), f":start-time={start_s:.3f}"]
    command = ["runuser", "-u", "nobody", "--", "cvlc", *BASE_OPTIONS, "--play-and-exit", "--aout=dummy",
               *(items * passes)]
    child = subprocess.Popen(command, env={**os.environ, "DISPLAY": display, "HOME": str(folder)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    last: Memory | None = None
    while child.poll() is None:
        pid = _vlc_pid(child.pid)
        memory = read_memory(pid) if pid else None
        last = memory or last
        time.sleep(CVLC_POLL_S)
    if child.returncode != 0:
        print(f"  cvlc exited with {child.returncode}")
    return last


def _snippets(session: BenchSession) -> Sequence[Snippet]:
    entry = find_entry(scan_library([session.root]), session.session_id)
    assert entry is not None and entry.session is not None
    return entry.session.preview


def _vlc_pid(parent: int) -> int | None:
    """The vlc process under ``runuser`` (its child or grandchild)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    todo = list(children.get(parent, []))
    while todo:
        pid = todo.pop()
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "vlc":
                return pid
        except OSError:
            continue
        todo += children.get(pid, [])
    return None


# ---- report --------------------------------------------------------------------------------------------


def report(built: Memory, after: list[Memory], trimmed: list[Memory], cvlc: Memory | None, *, passes: int) -> None:
    """Growth per run, peak, and the cvlc figures, with the targets."""
    first = later_runs(len(after))
    rss = [m.rss_mb for m in after]
    slope = slope_per_run(rss[first:])
    peak = after[-1].hwm_mb
    print(f"  app built: RSS {built.rss_mb:.1f} MB; after run 1: {rss[0]:.1f} MB; "
          f"after run {len(rss)}: {rss[-1]:.1f} MB")
    print(f"  growth per run (least squares, runs {first + 1}-{len(rss)}): {slope:+.2f} MB/run   "
          f"target |slope| < {SLOPE_TARGET_MB:g} MB/run: {verdict(abs(slope) < SLOPE_TARGET_MB)}   "
          f"(all runs: {slope_per_run(rss):+.2f} MB/run)")
    if trimmed:
        trimmed_slope = slope_per_run([m.rss_mb for m in trimmed][first:])
        print(f"    (after malloc_trim each run: {trimmed_slope:+.2f} MB/run, last {trimmed[-1].rss_mb:.1f} MB)")
    cvlc_text = (f"cvlc peak {cvlc.hwm_mb:.1f} MB (RSS at its end {cvlc.rss_mb:.1f} MB, {passes} passes)"
                 if cvlc else "cvlc not measured")
    ratio = f" = {peak / cvlc.hwm_mb:.2f}x" if cvlc else ""
    print(f"  peak (VmHWM): app {peak:.1f} MB   {cvlc_text}{ratio}   "
          f"target app <= {PEAK_TARGET_MB:g} MB: {verdict(peak <= PEAK_TARGET_MB)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help=f"practised runs (default {DEFAULT_RUNS})")
    parser.add_argument("--tail-ms", type=int, default=DEFAULT_TAIL_MS,
                        help=f"how much of each snippet's end is played (default {DEFAULT_TAIL_MS})")
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="the backend to play with (repeatable; default: every real one that works, each in "
                             "a process of its own)")
    parser.add_argument("--mirror", action="store_true",
                        help="flip the picture (M) in the first snippet of every run: the mirrored engine in turn")
    parser.add_argument("--trim", action="store_true", help="also print RSS after malloc_trim(0) after each run")
    parser.add_argument("--python", action="store_true",
                        help="also trace Python's own allocations (tracemalloc) and count its objects")
    parser.add_argument("--cvlc-passes", type=int, default=2, help="times cvlc plays the snippets (default 2; 0: skip)")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2")
    backends = args.backend or real_backends()
    if len(backends) != 1:
        for backend in backends:
            subprocess.run([sys.executable, *sys.argv, "--backend", backend], check=True)
        return 0
    backend = backends[0]
    with scratch_dir("soak") as scratch, private_xvfb() as display:
        os.environ["DISPLAY"] = display  # read when the Qt application starts
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        session = bench_session(scratch)
        mirror = ", the picture flipped in each run's first snippet" if args.mirror else ""
        print(f"soak memory, --backend {backend}: {session.describe()}; {args.runs} runs, each snippet plays "
              f"its last {args.tail_ms} ms{mirror}", flush=True)
        built, after, trimmed = soak_app(session, scratch / "data", runs=args.runs, tail_ms=args.tail_ms,
                                         trim=args.trim, python=args.python, mirror=args.mirror, backend=backend)
        cvlc = (cvlc_peak(session, scratch, display, passes=args.cvlc_passes, tail_ms=args.tail_ms)
                if args.cvlc_passes > 0 else None)
    report(built, after, trimmed, cvlc, passes=args.cvlc_passes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
