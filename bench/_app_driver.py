"""Child process of first_frame.py: the app as ``movement-player play SESSION`` starts it, with reports.

    python bench/_app_driver.py T0 DATA_DIR SESSION_ID SESSIONS_DIR MEDIA_DIR [BACKEND]

T0 is the parent's ``time.time()`` taken just before it spawned this process. Prints one line each:
``window XID`` (the video surface's X window), ``mark NAME MS`` (MS after T0) for each stage —
``imported``, ``session started`` (``bootstrap.launch`` returned), ``event loop running``,
``first_frame_shown`` (when the app's signal reached the GUI thread) and ``journal open`` (a start that
plays first opens it after the first frame) — or ``failed MESSAGE``. BACKEND is what ``--backend`` would say (default:
auto). Then it keeps playing until the parent ends it (or
quits after LINGER_MS), so that the parent can watch the pixels.
"""

# ruff: noqa: E402  (the app's imports come after the collector's pause, as in the app)
from __future__ import annotations

import sys
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repository on sys.path first)

from player.ui.collector import pause_collector

pause_collector()  # as `movement-player play` does before it imports the app (player/cli/entry.py)

from _qtapp import launch_playing
from PySide6.QtCore import QTimer

import player.cli.entry  # noqa: F401  (`movement-player play` loads the CLI module first: count its imports too)
from player.core.session.library import LibraryRoot
from player.core.session.runner import Phase, RunnerState

LINGER_MS = 30_000


def say(*words: object) -> None:
    """One line to the parent, flushed at once."""
    print(*words, flush=True)


def main(argv: list[str]) -> int:
    t0, data_dir, session_id, sessions_dir, media_dir = float(argv[0]), Path(argv[1]), argv[2], *map(Path, argv[3:5])
    backend = argv[5] if len(argv) > 5 else None

    def mark(stage: str) -> None:
        say("mark", f"{(time.time() - t0) * 1000:.1f}", stage)

    mark("imported")
    root = LibraryRoot(sessions_dir=sessions_dir, media_dir=media_dir)
    qt_app, app = launch_playing(root, data_dir, session_id, backend=backend)
    say("window", app.window.player.video.native_handle())
    mark("session started")
    controller = app.controller
    assert controller is not None

    def on_state(state: RunnerState) -> None:
        if state.phase is Phase.FAILED:
            say("failed", state.error)
            qt_app.exit(3)

    controller.first_frame_shown.connect(lambda _index: mark("first_frame_shown"))
    QTimer.singleShot(0, lambda: mark("event loop running"))
    journal_seen = QTimer(app, interval=5)
    journal_seen.timeout.connect(lambda: app.journal is not None and (mark("journal open"), journal_seen.stop()))
    journal_seen.start()
    controller.state_changed.connect(on_state)
    QTimer.singleShot(LINGER_MS, qt_app.quit)
    return qt_app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
