"""The running app: builds the window and wires pages, session controller, backend and journal, through one
helper per wing (practice: presenter, run actions, resume offer; journal: actions; library: license keys).
Starting it (Qt, the playback backend, the journal; which comes first) is ``player.ui.bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from player.core.errors import JournalError
from player.core.journal.resume import ResumePoint
from player.core.journal.review_filters import SessionCatalog
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import LibraryEntry, find_entry
from player.core.session.manifest import Session
from player.core.session.playlist import PartName, Playlist, playlist_for
from player.core.session.runner import Phase
from player.core.session.settings import Settings
from player.playback.base import PlaybackBackend
from player.ui.journal.actions import JournalActions
from player.ui.library.licenses import LicenseKeys
from player.ui.main_window import MainWindow
from player.ui.practice.checkin_page import CheckinPage
from player.ui.practice.controller import SessionController
from player.ui.practice.player_page import PlayerPage
from player.ui.practice.presenter import RunPresenter
from player.ui.practice.resume_offer import run_to_continue
from player.ui.practice.run_actions import RunActions
from player.ui.shared.about_dialog import about_dialog_for
from player.ui.shared.pack_install import PackInstaller
from player.ui.shared.preferences import Preferences

if TYPE_CHECKING:
    from player.core.licensing.keys import License
    from player.ui.journal.controller import JournalController
    from player.ui.library.library_page import LibraryPage
    from player.ui.practice.session_page import SessionPage
    from player.ui.practice.summary_page import SummaryPage


class App(QObject):
    """The running app: one window, the library, and at most one session controller."""

    def __init__(self, *, entries: list[LibraryEntry], journal: Journal | None, backend: PlaybackBackend,
                 licenses: LicenseStore, settings: Settings, data_directory: Path | None = None,
                 save_settings: Callable[[Settings], None] = lambda _settings: None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__()  # journal None: opened while the first snippet plays (attach_journal; data_directory)
        self.entries = entries
        self.journal = journal
        self.backend = backend
        self.now = now
        licensed, self.license_problems = licenses.verified(self._sessions())
        self.controller: SessionController | None = None
        self._open_session_id = ""
        self.window = MainWindow(player=PlayerPage(), checkin=CheckinPage(), library=self._library_page,
                                 session=self._session_page, summary=self._summary_page)
        self.preferences = Preferences(settings, save=save_settings, window=self.window, edited=self._use_settings)
        self.keys = LicenseKeys(licenses, licensed, sessions=self._sessions, window=self.window,
                                changed=self._refresh_views)
        self.packs = PackInstaller(self.window, data_directory=data_directory or _folder_of(journal),
                                   entries=self.entries, changed=self._refresh_views)
        self.presenter = RunPresenter(self.window, leave_fullscreen=self.leave_fullscreen)
        self.run_actions = RunActions(self.window, controller=lambda: self.controller)
        self.journal_actions = JournalActions(self.window, journal=journal, catalog=self.catalog,
                                              today=lambda: now().astimezone().date(), now=now,
                                              run_in_progress=lambda: self.controller is not None,
                                              leave_fullscreen=self.leave_fullscreen, parent=self)
        self._wire_pages()
        if journal is not None:  # a start that plays first makes them once the video shows (attach_journal)
            self.window.pages.setCurrentWidget(self.window.make_pages()[0])

    def attach_journal(self, journal: Journal) -> bool:
        """The journal, opened while the first snippet played: the run in progress is recorded now, from when it
        began. False when that failed: the user was told and the library is shown (nothing was answered)."""
        self.journal = self.journal_actions.journal = journal
        self.window.make_pages()
        try:
            if self.controller is not None:
                self.controller.keep_in(journal)
        except JournalError as exc:
            self.window.tell(exc.message)
            self.show_library()
            return False
        return True

    def _sessions(self) -> list[Session]:
        return [e.session for e in self.entries if e.session is not None and e.available]

    def _library_page(self) -> LibraryPage:
        from player.ui.library.library_page import LibraryPage

        page = LibraryPage(self.entries, licensed=frozenset(self.licenses))
        page.session_chosen.connect(self.open_session)
        return page

    def _session_page(self) -> SessionPage:
        from player.ui.practice.session_page import SessionPage

        page = SessionPage()
        page.preview_requested.connect(lambda: self.start_session(self._open_session_id))
        page.full_requested.connect(lambda: self.start_session(self._open_session_id, full=True))
        page.key_entry_requested.connect(self.keys.enter_key)
        page.key_removal_requested.connect(self.keys.remove)
        page.back_requested.connect(self.show_library)
        return page

    def _summary_page(self) -> SummaryPage:
        from player.ui.practice.summary_page import SummaryPage

        page = SummaryPage()
        page.library_requested.connect(self.show_library)
        page.again_requested.connect(self._again)
        return page

    def _wire_pages(self) -> None:
        window = self.window
        window.file_dropped.connect(lambda path: self.packs.take_drop(path, otherwise=self.unlock_with_file))
        window.install_action.triggered.connect(self.packs.choose)
        self.run_actions.connect_pages()
        player = window.player
        player.fullscreen_toggled.connect(self.toggle_fullscreen)
        player.fullscreen_left.connect(self.leave_fullscreen)
        player.shortcuts_requested.connect(self.run_actions.show_shortcuts)
        window.checkin.shortcuts_requested.connect(self.run_actions.show_shortcuts)
        player.leave_requested.connect(self.show_library)
        window.closing.connect(self.shut_down)
        self._wire_journal()

    def _wire_journal(self) -> None:
        """The View, File and Help menus (J on the pages: where each page is made)."""
        window = self.window
        window.journal_action.triggered.connect(self.show_journal)
        window.library_action.triggered.connect(self.show_library)
        for name, action in window.export_actions.items():
            action.triggered.connect(lambda _checked=False, name=name: self.journal_actions.export(name))
        window.import_action.triggered.connect(self.journal_actions.import_runs)
        window.backup_action.triggered.connect(self.journal_actions.back_up)
        window.restore_action.triggered.connect(self.journal_actions.restore)
        window.shortcuts_action.triggered.connect(self.run_actions.show_shortcuts)
        window.about_action.triggered.connect(lambda: self.window.modal(about_dialog_for(self.backend.name, window)))
        window.preferences_action.triggered.connect(self.preferences.edit)

    def open_session(self, session_id: str) -> bool:
        """Show ``session_id``'s page (contents, preview, full session); False when it is unavailable."""
        entry = find_entry(self.entries, session_id)
        if entry is None or entry.session is None or not entry.available:
            return False
        self._open_session_id = session_id
        self.window.session.show_session(entry.session, self.licenses.get(session_id))
        self.window.show_page(self.window.session)
        return True

    def start_session(self, session_id: str, *, full: bool = False, resume: ResumePoint | None = None) -> bool:
        """Play the free preview (or, ``full``, the licensed paid parts) of ``session_id`` from the start,
        or continue the unfinished run ``resume`` where it was.

        False when the session is unavailable, or ``full`` without a license.
        """
        playlist = self._playlist(session_id, "full" if full else "preview")
        if playlist is None:
            return False
        self._end_controller()
        self._open_session_id = session_id
        controller = SessionController(playlist.session, playlist.snippets, backend=self.backend, journal=self.journal,
                                       settings=self.preferences.settings, auto_backup=self.journal_actions.auto_backup,
                                       part=playlist.part, now=self.now, media_for=playlist.media_for)
        controller.settings_changed.connect(self.preferences.keep)
        controller.journal_failed.connect(self.window.tell)
        self.controller = controller
        self.presenter.follow(controller, license_=self.licenses.get(session_id) if full else None)
        try:
            controller.start(resume=resume)
        except JournalError as exc:
            self.window.tell(exc.message)
            self.show_library()
            return False
        return True

    def show_library(self) -> None:
        """Leave any session (recorded as not completed) and show the library."""
        self._end_controller()
        self.leave_fullscreen()
        self.window.show_page(self.window.library)

    def shut_down(self) -> None:
        """Closing the window: an unfinished run stays open to continue next time; release everything."""
        if self.controller is not None:
            try:
                self.controller.suspend()
            except JournalError as exc:
                self.window.tell(exc.message)
            self.controller = None
        self.backend.close()
        if self.journal is not None:
            self.journal.close()

    def _playlist(self, session_id: str, part: PartName) -> Playlist | None:
        """What ``part`` of ``session_id`` plays (paid parts with its license); None when it cannot play."""
        entry = find_entry(self.entries, session_id)
        if entry is None or entry.session is None or not entry.available:
            return None
        license_ = self.licenses.get(session_id)
        return playlist_for(entry.session, part=part, content_key=license_.content_key if license_ else None)

    def offer_resume(self) -> bool:
        """At start: offer to continue an unfinished run where it was. True when it continues."""
        if self.journal is None:  # a start that plays first has none to offer (core/journal/outlook.py)
            return False
        point = run_to_continue(self.window, self.journal, playlist_of=self._playlist, now=self.now)
        return point is not None and self.start_session(point.session_id, full=point.part == "full", resume=point)

    def offer_followup(self) -> bool:
        """At start, on a later day than the last run: ask once how it settled (see JournalActions)."""
        return self.journal_actions.offer_followup()

    def catalog(self) -> SessionCatalog:
        """Titles and questions of the library's sessions, to label journal rows."""
        return SessionCatalog.from_sessions(e.session for e in self.entries if e.session is not None)

    def show_journal(self) -> None:
        """J / Ctrl+J: the Journal page; Back returns to the page before.

        A playing snippet pauses first; during the countdown before a snippet it waits for the snippet.
        """
        if self.run_actions.pause_to_leave_player():
            self.journal_actions.show()

    @property
    def journal_view(self) -> JournalController | None:
        """The Journal page's controller, once the page was opened."""
        return self.journal_actions.view

    def _use_settings(self, settings: Settings) -> None:
        """Preferences changed: the run in progress uses them from its next snippet."""
        if self.controller is not None:
            self.controller.settings = settings
            self.controller.runner.countdown = settings.countdown_enabled

    def toggle_fullscreen(self) -> None:
        """F: fullscreen on or off, with large type and controls that hide when the mouse is still."""
        self.window.toggle_fullscreen()
        self.window.player.set_fullscreen_mode(self.window.isFullScreen())

    def leave_fullscreen(self) -> None:
        """Esc: back to a normal window."""
        self.window.leave_fullscreen()
        self.window.player.set_fullscreen_mode(False)

    def _again(self) -> None:
        if self.controller is not None:
            full = self.controller.part == "full"
            self.start_session(self.controller.session.id, full=full)

    @property
    def licenses(self) -> dict[str, License]:
        """The verified licenses, by session id."""
        return self.keys.by_session

    def unlock_with_file(self, path: Path) -> None:
        """A file dropped on the window: try it as a license file and say what happened."""
        license_ = self.keys.unlock_file(path)
        if license_ is None:
            return
        if self.controller is not None and self.controller.state.phase is not Phase.SUMMARY:
            self.window.tell(f"Unlocked: the full session is licensed to {license_.licensee}. "
                             "It is on the session page when you finish this practice.")
            return
        self.open_session(license_.session_id)

    def _refresh_views(self) -> None:
        focused = QApplication.focusWidget()  # refreshing must not take the keyboard from the page in use
        self.window.library.show_entries(self.entries, licensed=frozenset(self.licenses))
        entry = find_entry(self.entries, self._open_session_id)
        if entry is not None and entry.session is not None:
            self.window.session.show_session(entry.session, self.licenses.get(entry.session_id))
        if focused is not None:
            focused.setFocus()

    def _end_controller(self) -> None:
        if self.controller is not None:
            try:
                self.controller.leave()
            except JournalError as exc:
                self.window.tell(exc.message)
            self.controller.deleteLater()
            self.controller = None
        self.presenter.forget()


def _folder_of(journal: Journal | None) -> Path:
    assert journal is not None, "App needs its data_directory when the journal is opened later"
    return journal.path.parent
