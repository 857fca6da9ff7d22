"""Starting the app: the playback backend (through the registry), the Qt platform, the journal (with the
user's consent), the window.

``movement-player play SESSION`` plays first when the journal has nothing to ask before (see
``player.ui.play_first``); otherwise, and without a session, the journal is opened before anything plays."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from player.core.errors import MovementPlayerError, PlaybackUnavailableError
from player.core.journal.outlook import start_outlook
from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore
from player.core.paths import journal_path
from player.core.session.library import LibraryRoot, library_roots, scan_library
from player.core.session.settings import load_settings, save_settings
from player.playback.base import PlaybackBackend
from player.playback.heap import keep_heap_compact
from player.playback.registry import BackendEntry, choose, create, entry_named, forced_qt_platform, requested_name
from player.ui.app import App
from player.ui.collector import resume_collector
from player.ui.journal.dialogs import open_journal_with_consent
from player.ui.play_first import JournalOpening
from player.ui.shared.about_dialog import DESKTOP_APP_ID, application_icon
from player.ui.shared.single_instance import SingleInstance
from player.ui.style import apply_style

# By then the start has settled: the first picture is up and the journal open (a start that plays first opens it
# within play_first.JOURNAL_OPEN_LATEST_MS). Answering a later start and collecting garbage wait until then.
START_SETTLED_MS = 1_200
# Qt platforms where nobody sees a window: a start-up problem is told on stderr only (a dialog would wait forever).
UNSEEN_PLATFORMS = ("offscreen", "minimal")


def make_backend(name: str, *, headless: bool) -> PlaybackBackend:
    """The backend called ``name``, drawing into the window unless ``headless``; raises
    PlaybackUnavailableError when it does not work here."""
    return entry_named(name).create(embed=not headless)


def prepare_qt_platform(entry: BackendEntry) -> None:
    """Start Qt on a platform ``entry`` can draw on: on Wayland, XWayland (xcb) for backends that embed only
    into X11 windows (libVLC)."""
    platform = forced_qt_platform(entry)
    if platform is not None:
        os.environ["QT_QPA_PLATFORM"] = platform


def tell_start_problem(title: str, problem: MovementPlayerError) -> None:
    """A problem that stops the app from opening: on stderr, and in a dialog where someone can see one (an app
    started from a desktop entry has no terminal)."""
    print(problem.message, file=sys.stderr)
    if QGuiApplication.platformName() not in UNSEEN_PLATFORMS:
        QMessageBox.critical(QWidget(), title, problem.message)


class StartCancelled(Exception):
    """The app does not open (the user quit at a journal problem, nothing can play video, or another window on
    the data directory came forward instead): exit with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def qt_application() -> QApplication:
    """The one QApplication, named and styled (made on first call)."""
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Movement Player")
    qt_app.setWindowIcon(application_icon())
    qt_app.setDesktopFileName(DESKTOP_APP_ID)  # Wayland and taskbars match the window to the desktop entry
    apply_style(qt_app)  # one palette and stylesheet, light whatever the system theme
    return qt_app


def take_data_directory(data_directory: Path, *, session_id: str | None) -> SingleInstance | None:
    """This app's hold on ``data_directory`` (one window per data directory); None when the folder cannot be
    made (opening the journal then says why).

    When another app holds it, asks that app to come forward (and open ``session_id``) and raises
    StartCancelled: 0 when it did, 1 (told on stderr and in a dialog) when it did not answer.
    """
    try:
        data_directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    guard = SingleInstance(data_directory)
    if guard.acquire():
        return guard
    if guard.ask_running(session_id):
        print(f"Movement Player is already open on {data_directory}: its window was brought forward.",
              file=sys.stderr)
        raise StartCancelled(0)
    tell_start_problem("Movement Player is already open", MovementPlayerError(
        f"Movement Player is already open on {data_directory} ({guard.holder()}) but did not answer. "
        "Close it, or wait until it has started, and try again."))
    raise StartCancelled(1)


def come_forward(app: App, session_id: str) -> None:
    """A second start on this data directory: the window comes to the front, and opens ``session_id``'s page
    when one was asked for and no practice run is in progress."""
    app.window.come_forward()
    if session_id and app.controller is None:
        app.open_session(session_id)


def build_app(*, data_directory: Path, extra_roots: Sequence[LibraryRoot] = (),
              backend: str | None = None, session_id: str | None = None) -> tuple[QApplication, App]:
    """The Qt application and the app's shown window, with the video attached; no session started.

    ``backend``: the ``--backend`` name (None: ``$MOVEMENT_PLAYER_BACKEND``, else ``auto``). ``session_id``
    is passed on to an app already open on ``data_directory``, which comes forward instead; with one, the
    journal is left for :func:`launch` to open after the session starts when its outlook allows
    (``app.journal`` is then None). Raises StartCancelled after telling the user why.
    """
    keep_heap_compact()  # before Qt or the player start a thread (see player.playback.heap)
    try:
        entry = choose(requested_name(backend))
    except PlaybackUnavailableError as exc:
        qt_application()
        tell_start_problem("Movement Player cannot play video", exc)
        raise StartCancelled(2) from exc
    prepare_qt_platform(entry)
    qt_app = qt_application()
    guard = take_data_directory(data_directory, session_id=session_id)
    path = journal_path(data_directory)
    journal = None
    if session_id is None or not start_outlook(path, today=datetime.now().date()).play_first:
        journal = open_journal_with_consent(path, now=datetime.now(UTC))
        if journal is None:
            if guard is not None:
                guard.release()
            raise StartCancelled(1)
    try:
        player = create(entry, requested=requested_name(backend), platform=QGuiApplication.platformName())
    except PlaybackUnavailableError as exc:
        tell_start_problem("Movement Player cannot play video", exc)
        if journal is not None:
            journal.close()
        if guard is not None:
            guard.release()
        raise StartCancelled(2) from exc
    app = App(entries=scan_library([*library_roots(data_directory), *extra_roots]), journal=journal,
              data_directory=data_directory, backend=player, licenses=LicenseStore(data_directory / LICENSES_DIRNAME),
              settings=load_settings(data_directory),
              save_settings=lambda settings: save_settings(data_directory, settings))
    if guard is not None:
        guard.setParent(app)
        guard.raise_requested.connect(lambda asked: come_forward(app, asked))
        app.window.closing.connect(guard.release)
    app.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    app.window.show()
    app.window.player.video.show_video_of(app.backend)
    QTimer.singleShot(START_SETTLED_MS, app, lambda: settle(guard))
    return qt_app, app


def settle(guard: SingleInstance | None) -> None:
    """Once the start has settled: answer later starts on the data directory, and collect garbage again (paused
    for the start by the app's command; see player.ui.collector)."""
    if guard is not None:
        guard.listen()
    resume_collector()


def launch(*, data_directory: Path, session_id: str | None = None, backend: str | None = None,
           extra_roots: Sequence[LibraryRoot] = ()) -> tuple[QApplication, App]:
    """Everything ``run_app`` does before Qt's event loop: the app built, the questions asked, ``session_id``
    started. With nothing to ask first, the session starts and the journal opens once it shows (see
    ``player.ui.play_first``). Raises StartCancelled after telling the user why."""
    qt_app, app = build_app(data_directory=data_directory, backend=backend, session_id=session_id,
                            extra_roots=extra_roots)
    if app.journal is None:
        assert session_id is not None
        app.window.dialog_keys.stop()  # until the journal opens (see JournalOpening): no filter before the picture
        if not app.license_problems and app.start_session(session_id):
            JournalOpening(app, journal_path(data_directory), session_id, quit_app=qt_app.exit)
            return qt_app, app
        app.window.dialog_keys.start()
        # A license problem to tell, or no such session: the usual way after all (journal, questions, session).
        journal = open_journal_with_consent(journal_path(data_directory), now=datetime.now(UTC), parent=app.window)
        if journal is None:
            app.window.close()
            raise StartCancelled(1)
        app.attach_journal(journal)
        app.show_library()  # the page a start without a session shows (greet may start one)
    greet(app, session_id)
    return qt_app, app


def greet(app: App, session_id: str | None) -> None:
    """At start, before anything plays: a license key that no longer works, an unfinished run to continue or
    the last practice's next-day question; then ``session_id`` (when given and not continued)."""
    for problem in app.license_problems:
        QMessageBox.warning(app.window, "Movement Player: a license key no longer works",
                            f"{problem.file.name}: {problem.message}")
    resumed = app.offer_resume()
    if not resumed:
        app.offer_followup()
    if session_id is not None and not resumed and not app.start_session(session_id):
        QMessageBox.warning(app.window, "Movement Player",
                            f"There is no playable session “{session_id}”; showing the library instead.")


def run_app(*, data_directory: Path, session_id: str | None = None, backend: str | None = None) -> int:
    """Open the app (the library, or straight into ``session_id``) playing with ``backend`` (None: the
    environment's choice, else auto); returns the exit code."""
    try:
        qt_app, app = launch(data_directory=data_directory, session_id=session_id, backend=backend)
    except StartCancelled as cancelled:
        return cancelled.code
    code = qt_app.exec()
    app.journal_actions.let_backup_finish()  # the window closed and freed the data directory first
    return code
