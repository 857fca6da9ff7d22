"""Child process of first_frame.py: the app as ``movement-player play SESSION`` starts it, with reports.

    python bench/_app_driver.py T0 DATA_DIR SESSION_ID SESSIONS_DIR MEDIA_DIR [BACKEND]

It imports and starts what the command does, in its order (the CLI module, the collector's pause, then
``bootstrap.launch``), and nothing of bench/: the parent writes the data directory's settings (countdown off)
before the runs. T0 is the parent's ``time.time()`` taken just before it spawned this process. Prints one
line each: ``window XID`` (the video surface's X window), ``mark MS STAGE`` (MS after T0) for each stage —
``imported``, ``session started`` (``bootstrap.launch`` returned), ``event loop running``,
``first_frame_shown`` (when the app's signal reached the GUI thread) and ``journal open`` (a start that
plays first opens it after the first frame) — or ``failed MESSAGE``. BACKEND is what ``--backend`` would
say (default: auto). Then it keeps playing until the parent ends it (or quits after LINGER_MS), so that the
parent can watch the pixels.
"""
# ruff: noqa: E402  (the app's imports come after the collector's pause, as in the app)
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # this working tree's player package (not bench/_common.py: the app imports none of it)
    sys.path.insert(0, str(REPO))

import player.cli.entry  # noqa: F401  (`movement-player play` loads the CLI module first: count its imports too)
from player.ui.collector import pause_collector

pause_collector()  # as `movement-player play` does before it imports the app (player/cli/entry.py)

from PySide6.QtCore import QTimer

from player.core.session.library import LibraryRoot, builtin_root
from player.core.session.runner import Phase, RunnerState
from player.ui.bootstrap import launch
from player.ui.collector import freeze_imports

freeze_imports()  # as the command does once the app is imported

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
    extra = [] if root == builtin_root() else [root]
    qt_app, app = launch(data_directory=data_dir, session_id=session_id, backend=backend, extra_roots=extra)
    controller = app.controller
    if controller is None:
        say("failed", f"session {session_id} is not playable")
        return 3
    say("window", app.window.player.video.native_handle())
    mark("session started")

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
