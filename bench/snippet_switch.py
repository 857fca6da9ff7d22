"""Snippet switch: check-in saved -> the next snippet's first frame, in-process, with each real backend.

    python bench/snippet_switch.py [--passes N] [--backend vlc|qt]   (default: every real backend that works)

Starts its own Xvfb and builds the app as ``run_app`` does (QT_QPA_PLATFORM=xcb, libVLC drawing into
the window, or Qt Multimedia's frames drawn by Qt). With several backends, each runs in its own process
(one Qt application per process), one after the other. Plays the session N times over; after each
snippet's first frame it ends the snippet
(``end_now``), saves a check-in (``save_checkin(Answers(discomfort=2))``) and times the way to the
next snippet's ``first_frame_shown``. Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from _common import bench_session, print_distribution, private_xvfb, real_backends, scratch_dir
from _qtapp import build_app
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer, Signal

from player.core.journal.store import Answers, Checkin
from player.core.session.runner import Phase, RunnerState
from player.ui.app import App
from player.ui.practice.controller import SessionController

TARGET_MS = 100.0
PLAY_MS = 300  # how long each snippet plays before it is ended
CHECKIN_MS = 150  # how long the check-in page shows before the answers are saved
WAIT_TIMEOUT_S = 10.0
ANSWERS = Answers(discomfort=2)
WATCHER = Path(__file__).with_name("_pixel_watch.py")


@dataclass(frozen=True)
class Switch:
    """One switch, in ms from the save being durable: to first_frame_shown, and to the video's pixels.

    Also: first_frame_shown after save_checkin() returned, and the time save_checkin() took after the save.
    """

    from_saved: float
    pixels_from_saved: float
    from_return: float
    inside_after_save: float


class Probe(QObject):
    """Timestamps (``time.monotonic``) of what a controller and the pixel watcher report; waits for them."""

    pixels_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[tuple[int, float]] = []
        self.lit_at: list[float] = []
        self.saved_at = 0.0
        self.failure = ""
        self._loop = QEventLoop()
        self._wake = QTimer(self, singleShot=True)
        self._wake.timeout.connect(self._loop.quit)
        self.pixels_changed.connect(self._loop.quit)  # queued: emitted by the watcher's reader thread

    def watch(self, controller: SessionController) -> None:
        """Listen to ``controller`` (a new one for each practice run)."""
        self.frames.clear()
        controller.first_frame_shown.connect(self._frame)
        controller.checkin_saved.connect(self._saved)
        controller.state_changed.connect(self._state)

    def frame_time(self, index: int, after: float) -> float | None:
        """When snippet ``index``'s first frame was reported after ``after``, if it was."""
        return next((t for i, t in self.frames if i == index and t > after), None)

    def wait_for_frame(self, index: int, after: float) -> float:
        """Run the event loop until snippet ``index``'s first frame is reported; its time."""
        self.run_until(lambda: self.frame_time(index, after) is not None, WAIT_TIMEOUT_S)
        found = self.frame_time(index, after)
        assert found is not None
        return found

    def read_watcher(self, lines: Iterator[str]) -> None:
        """Collect the pixel watcher's ``lit T`` lines (runs in a thread)."""
        for line in lines:
            word, _, when = line.partition(" ")
            if word == "lit":
                self.lit_at.append(float(when))
                self.pixels_changed.emit()

    def wait_for_pixels(self, after: float) -> float:
        """Run the event loop until the video area lights up after ``after``; when it did."""
        self.run_until(lambda: any(t > after for t in self.lit_at), WAIT_TIMEOUT_S)
        return next(t for t in self.lit_at if t > after)

    def run_until(self, condition: Callable[[], bool], timeout_s: float) -> None:
        """Process events until ``condition()``; raises on a failed snippet or after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"nothing happened within {timeout_s:g} s")
            self._spin(until=deadline)

    def idle(self, ms: int) -> None:
        """Let the app run for ``ms`` milliseconds."""
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self._spin(until=end)

    def _spin(self, *, until: float) -> None:
        """Run the event loop until a reported event or ``until`` (a ``time.monotonic()``)."""
        if self.failure:
            raise RuntimeError(f"a snippet failed: {self.failure}")
        self._wake.start(max(0, int((until - time.monotonic()) * 1000)))
        self._loop.exec()

    def _frame(self, index: int) -> None:
        self.frames.append((index, time.monotonic()))
        self._loop.quit()

    def _saved(self, _checkin: Checkin) -> None:
        self.saved_at = time.monotonic()

    def _state(self, state: RunnerState) -> None:
        if state.phase is Phase.FAILED:
            self.failure = state.error
            self._loop.quit()


def one_pass(app: App, session_id: str, probe: Probe) -> list[Switch]:
    """Practise the session once from the start; one Switch per snippet after the first."""
    if not app.start_session(session_id) or app.controller is None:
        raise RuntimeError(f"session {session_id} is not playable")
    controller = app.controller
    probe.watch(controller)
    probe.wait_for_frame(0, after=0.0)
    switches: list[Switch] = []
    for index in range(len(controller.snippets)):
        probe.idle(PLAY_MS)
        controller.end_now()
        probe.idle(CHECKIN_MS)
        called = time.monotonic()
        controller.save_checkin(ANSWERS)
        if controller.state.phase is Phase.BEFORE:
            controller.skip_before()  # a snippet with questions before it (the toe-touch test): not a switch cost
        returned = time.monotonic()
        if index + 1 == len(controller.snippets):
            break
        frame_at = probe.wait_for_frame(index + 1, after=called)
        pixels_at = probe.wait_for_pixels(after=called)
        saved = probe.saved_at
        switches.append(Switch(from_saved=(frame_at - saved) * 1000, pixels_from_saved=(pixels_at - saved) * 1000,
                               from_return=(frame_at - returned) * 1000, inside_after_save=(returned - saved) * 1000))
    if controller.state.phase is not Phase.SUMMARY:
        raise RuntimeError(f"expected the summary after the last check-in, got {controller.state.phase}")
    return switches


@contextmanager
def pixel_watcher(probe: Probe, display: str, window: int) -> Iterator[None]:
    """Run _pixel_watch.py on ``window`` in its own process, feeding ``probe``."""
    watcher = subprocess.Popen([sys.executable, str(WATCHER), display, str(window)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert watcher.stdout is not None and watcher.stdin is not None
    threading.Thread(target=probe.read_watcher, args=(watcher.stdout,), daemon=True).start()
    try:
        yield
    finally:
        watcher.stdin.close()  # the watcher ends when its stdin closes
        watcher.wait(timeout=5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=7, help="practice runs of the session (default 7)")
    parser.add_argument("--backend", action="append", choices=("vlc", "qt"),
                        help="the backend to play with (repeatable; default: every real one that works)")
    args = parser.parse_args()
    backends = args.backend or real_backends()
    if len(backends) != 1:
        for backend in backends:
            subprocess.run([sys.executable, __file__, "--passes", str(args.passes), "--backend", backend], check=True)
        return 0
    backend = backends[0]
    with scratch_dir("switch") as scratch, private_xvfb() as display:
        os.environ["DISPLAY"] = display  # read when the Qt application starts
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        session = bench_session(scratch)
        qt_app, app = build_app(session.root, scratch / "data", backend=backend)
        probe = Probe()
        with pixel_watcher(probe, display, app.window.player.video.native_handle()):
            switches = [s for _ in range(args.passes) for s in one_pass(app, session.session_id, probe)]
        app.shut_down()
        # Qt (the qt backend's video widget above all) must let go of the X server before it stops.
        app.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del app
        shiboken6.delete(qt_app)
    print(f"snippet switch, --backend {backend}: {session.describe()}; {args.passes} passes, each snippet "
          f"played {PLAY_MS} ms, check-in shown {CHECKIN_MS} ms")
    rows = {
        "check-in saved -> next first_frame_shown  ": ([s.from_saved for s in switches], TARGET_MS),
        "check-in saved -> next video pixels shown ": ([s.pixels_from_saved for s in switches], TARGET_MS),
        "save_checkin() returned -> first_frame_shown": ([s.from_return for s in switches], TARGET_MS),
        "  (save_checkin() after the save: next load)": ([s.inside_after_save for s in switches], None),
    }
    for label, (values, target) in rows.items():
        print_distribution(f"  {label}", values, target_ms=target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
