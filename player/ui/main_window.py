"""The main window: one stack of pages, the menu bar (File, View, Help), and fullscreen.

The practice pages (player, check-in) exist from the start; the library, session and summary pages are made
when first needed (``make_pages``), so that a start straight into a session shows its video sooner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from player.core.journal.export_formats import export_formats
from player.ui.practice.checkin_page import CheckinPage
from player.ui.practice.player_page import PlayerPage
from player.ui.shared.about_dialog import application_icon
from player.ui.shared.dialog_keys import DialogEscape

if TYPE_CHECKING:
    from player.ui.library.library_page import LibraryPage
    from player.ui.practice.session_page import SessionPage
    from player.ui.practice.summary_page import SummaryPage

# A page made on first use (the library, session and summary pages).
LazyPage = TypeVar("LazyPage", "LibraryPage", "SessionPage", "SummaryPage")


class MainWindow(QMainWindow):
    """Holds the pages it is given (or how to make them); shows one at a time. ``closing`` fires before the
    window closes."""

    closing = Signal()
    file_dropped = Signal(object)  # Path of a file or folder dropped on the window (a license file, a pack)

    def __init__(self, *, player: PlayerPage, checkin: CheckinPage, library: Callable[[], LibraryPage],
                 session: Callable[[], SessionPage], summary: Callable[[], SummaryPage]) -> None:
        super().__init__()
        self.setWindowTitle("Movement Player")
        self.setWindowIcon(application_icon())
        self.setMinimumSize(640, 480)  # fits 200 % scaling of a 1080p screen (960x540 logical pixels)
        self._fit_to_screen()
        self.player, self.checkin = player, checkin
        self._make_library, self._make_session, self._make_summary = library, session, summary
        self._library: LibraryPage | None = None
        self._session: SessionPage | None = None
        self._summary: SummaryPage | None = None
        self.setAcceptDrops(True)
        self.pages = QStackedWidget()
        for page in (player, checkin):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self.journal: QWidget | None = None  # the Journal page, added when first opened
        self.dialog_keys = DialogEscape(self)  # Esc in a dialog closes only the dialog, on release
        self.dialog_keys.start()
        self._build_menus()

    def _build_menus(self) -> None:
        """File: exports, import, backup, quit. View: library, journal. Help: keyboard shortcuts.

        The app connects the actions; their shortcuts work on every page (the menu bar hides in fullscreen).
        """
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        export_menu = file_menu.addMenu("&Export journal as")
        self.export_actions: dict[str, QAction] = {}
        for fmt in export_formats():  # one entry per registered format (core/journal/export_formats.py)
            self.export_actions[fmt.name] = export_menu.addAction(fmt.menu_text)
        self.import_action = file_menu.addAction("&Import a journal export (JSON)…")
        self.backup_action = file_menu.addAction("&Back up journal…")
        self.restore_action = file_menu.addAction("&Restore an automatic backup…")
        file_menu.addSeparator()
        self.install_action = file_menu.addAction("Install session &pack…")  # also: drop a pack on the window
        file_menu.addSeparator()
        self.preferences_action = file_menu.addAction("&Preferences…")
        self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        view_menu = bar.addMenu("&View")
        self.library_action = view_menu.addAction("&Library")
        self.library_action.setShortcut(QKeySequence("Ctrl+L"))
        self.journal_action = view_menu.addAction("&Journal")
        self.journal_action.setShortcut(QKeySequence("Ctrl+J"))
        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = help_menu.addAction("&Keyboard shortcuts")
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.about_action = help_menu.addAction("&About Movement Player")
        for action in (quit_action, self.library_action, self.journal_action, self.shortcuts_action,
                       self.preferences_action):
            self.addAction(action)  # shortcuts keep working while the menu bar is hidden

    @property
    def library(self) -> LibraryPage:
        """The library page (made on first use)."""
        if self._library is None:
            self._library = self._added(self._make_library())
            self._library.setFocusProxy(self._library.list)  # its keyboard is its cards (↑ / ↓, Enter)
        return self._library

    @property
    def session(self) -> SessionPage:
        """The session page (made on first use)."""
        if self._session is None:
            self._session = self._added(self._make_session())
        return self._session

    @property
    def summary(self) -> SummaryPage:
        """The summary page (made on first use)."""
        if self._summary is None:
            self._summary = self._added(self._make_summary())
        return self._summary

    def _added(self, page: LazyPage) -> LazyPage:
        """``page``, now in the stack, its J key and Journal button wired to View > Journal."""
        self.pages.addWidget(page)
        page.journal_requested.connect(self.journal_action.trigger)
        return page

    def make_pages(self) -> tuple[LibraryPage, SessionPage, SummaryPage]:
        """The library, session and summary pages, made now where they were not yet."""
        return self.library, self.session, self.summary

    def add_journal_page(self, page: QWidget) -> None:
        """Add the Journal page (built the first time it is opened, so start-up does not load it)."""
        self.journal = page
        self.pages.addWidget(page)

    def _fit_to_screen(self) -> None:
        """1200x760 where it fits; on a small (or heavily scaled) screen, most of what is available."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1200, 760
        if screen is not None and screen.width() > 0:
            width, height = min(width, int(screen.width() * 0.95)), min(height, int(screen.height() * 0.95))
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))

    def show_page(self, page: QWidget) -> None:
        """Bring ``page`` to the front and give the keyboard to its primary action (``primary_focus()``, where
        the page has one: Save, Play, Back to library; else the page), shown with a focus ring."""
        self.pages.setCurrentWidget(page)
        primary = getattr(page, "primary_focus", None)
        target = primary() if callable(primary) else page
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def modal(self, dialog: QDialog) -> int:
        """Show ``dialog`` and return its result; then the keyboard goes back to the page, whatever the window
        manager."""
        page = self.pages.currentWidget()
        result = dialog.exec()
        self.take_keyboard_back(page)
        return result

    def take_keyboard_back(self, page: QWidget | None = None) -> None:
        """After a dialog: activate this window and focus ``page`` (default: the page in front)."""
        self.activateWindow()
        page = page if page is not None else self.pages.currentWidget()
        focused = QApplication.focusWidget()
        if page is not None and (focused is None or not page.isAncestorOf(focused)):
            primary = getattr(page, "primary_focus", None)
            (primary() if callable(primary) else page).setFocus(Qt.FocusReason.TabFocusReason)

    def tell(self, message: str) -> None:
        """A problem the user should know about, in words (a warning box)."""
        QMessageBox.warning(self, "Movement Player", message)

    def come_forward(self) -> None:
        """Show this window in front of the others, restored if it was minimised (a second start asked)."""
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    def toggle_fullscreen(self) -> None:
        """F: fullscreen on or off (Qt's showFullScreen; libVLC follows its window)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.menuBar().setVisible(not self.isFullScreen())

    def leave_fullscreen(self) -> None:
        """Esc: back to a normal window."""
        if self.isFullScreen():
            self.showNormal()
        self.menuBar().setVisible(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.file_dropped.emit(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.dialog_keys.stop()
        self.closing.emit()
        super().closeEvent(event)
