"""The app built in-process step by step as ``player.ui.app.run_app`` builds it, minus ``exec()``."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import _common  # noqa: F401  (puts the repository on sys.path first)
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from player.core.library import LibraryRoot, library_roots, scan_library
from player.core.licenses import LICENSES_DIRNAME, LicenseStore
from player.core.paths import journal_path
from player.ui.app import EMBEDDING_PLATFORMS, App, make_vlc_backend, prepare_qt_platform
from player.ui.journal_dialogs import open_journal_with_consent
from player.ui.style import STYLESHEET


def build_app(root: LibraryRoot, data_directory: Path) -> tuple[QApplication, App]:
    """Qt application, journal, libVLC backend and window, shown with the video attached; no session yet.

    The library is the app's own (built-in sessions and installed packs) plus ``root`` if it is not among them.
    """
    prepare_qt_platform()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Movement Player")
    qt_app.setStyleSheet(STYLESHEET)
    journal = open_journal_with_consent(journal_path(data_directory), now=datetime.now(UTC))
    if journal is None:
        raise RuntimeError(f"the journal in {data_directory} could not be opened")
    backend = make_vlc_backend(headless=QGuiApplication.platformName() not in EMBEDDING_PLATFORMS)
    roots = library_roots(data_directory)
    app = App(entries=scan_library(roots if root in roots else [*roots, root]), journal=journal, backend=backend,
              licenses=LicenseStore(data_directory / LICENSES_DIRNAME))
    app.window.show()
    app.attach_video()
    app.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    return qt_app, app


def start(app: App, session_id: str) -> None:
    """``app.start_session`` as ``run_app`` calls it; raises when the session cannot play."""
    if not app.start_session(session_id):
        raise RuntimeError(f"session {session_id} is not playable")
