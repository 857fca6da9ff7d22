"""The app built exactly as ``movement-player`` builds it (``player.ui.bootstrap.build_app``), for the benchmarks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import _common  # noqa: F401  (puts the repository on sys.path first)
from PySide6.QtWidgets import QApplication

from player.core.session.library import LibraryRoot, builtin_root
from player.core.session.settings import load_settings, save_settings
from player.ui.app import App
from player.ui.bootstrap import build_app as build_app_as_run_app_does


def build_app(root: LibraryRoot, data_directory: Path, *, backend: str | None = None) -> tuple[QApplication, App]:
    """Qt application and shown window with the video attached, no session yet; ``root`` joins the library.

    ``backend``: the ``--backend`` name the app is started with (None: as the app chooses, ``auto``).

    The countdown is switched off in the settings first: it is a deliberate pause before each snippet
    (Space skips it), not start-up or switching cost.
    """
    save_settings(data_directory, replace(load_settings(data_directory), countdown_enabled=False))
    extra = [] if root == builtin_root() else [root]
    return build_app_as_run_app_does(data_directory=data_directory, extra_roots=extra, backend=backend)


def start(app: App, session_id: str) -> None:
    """``app.start_session`` as ``run_app`` calls it; raises when the session cannot play."""
    if not app.start_session(session_id):
        raise RuntimeError(f"session {session_id} is not playable")
