"""Starting the app: the Qt platform, the journal (with the user's consent), libVLC, the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from player.core.errors import PlaybackUnavailableError
from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore
from player.core.paths import journal_path
from player.core.session.library import LibraryRoot, library_roots, scan_library
from player.core.session.settings import load_settings, save_settings
from player.playback.base import PlaybackBackend
from player.ui.app import EMBEDDING_PLATFORMS, App
from player.ui.journal.dialogs import open_journal_with_consent
from player.ui.style import STYLESHEET


def make_vlc_backend(*, headless: bool) -> PlaybackBackend:
    """The libVLC backend (imported lazily so the fake-backend tests never load libVLC)."""
    from player.playback.vlc.backend import VlcBackend

    return VlcBackend(headless=headless)


def prepare_qt_platform() -> None:
    """On Wayland, use XWayland (xcb): libVLC can only embed into X11 windows there."""
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "xcb"


class StartCancelled(Exception):
    """The app cannot open (the user quit at a journal problem, or libVLC is missing): exit with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def build_app(*, data_directory: Path, extra_roots: Sequence[LibraryRoot] = ()) -> tuple[QApplication, App]:
    """The Qt application and the app's shown window, with the video attached; no session started.

    Raises StartCancelled after telling the user why.
    """
    prepare_qt_platform()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Movement Player")
    qt_app.setStyleSheet(STYLESHEET)
    journal = open_journal_with_consent(journal_path(data_directory), now=datetime.now(UTC))
    if journal is None:
        raise StartCancelled(1)
    try:
        backend = make_vlc_backend(headless=QGuiApplication.platformName() not in EMBEDDING_PLATFORMS)
    except PlaybackUnavailableError as exc:
        print(exc.message, file=sys.stderr)
        QMessageBox.critical(QWidget(), "Movement Player needs VLC", exc.message)
        journal.close()
        raise StartCancelled(2) from exc
    app = App(entries=scan_library([*library_roots(data_directory), *extra_roots]), journal=journal,
              backend=backend, licenses=LicenseStore(data_directory / LICENSES_DIRNAME),
              settings=load_settings(data_directory),
              save_settings=lambda settings: save_settings(data_directory, settings))
    app.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    app.window.show()
    app.attach_video()
    return qt_app, app


def run_app(*, data_directory: Path, session_id: str | None = None) -> int:
    """Open the app (the library, or straight into ``session_id``); returns the exit code."""
    try:
        qt_app, app = build_app(data_directory=data_directory)
    except StartCancelled as cancelled:
        return cancelled.code
    for problem in app.license_problems:
        QMessageBox.warning(app.window, "Movement Player: a license key no longer works",
                            f"{problem.file.name}: {problem.message}")
    resumed = app.offer_resume()
    if not resumed:
        app.offer_followup()
    if session_id is not None and not resumed and not app.start_session(session_id):
        QMessageBox.warning(app.window, "Movement Player",
                            f"There is no playable session “{session_id}”; showing the library instead.")
    return qt_app.exec()


def main() -> int:
    """GUI entry point (``movement-player-app``): the same as ``movement-player`` with no command."""
    from player.cli.entry import main as cli_main

    return cli_main([])
