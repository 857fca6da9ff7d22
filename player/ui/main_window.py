"""The main window: one stack of pages, and fullscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from player.ui.checkin_page import CheckinPage
from player.ui.library_page import LibraryPage
from player.ui.player_page import PlayerPage
from player.ui.session_page import SessionPage
from player.ui.summary_page import SummaryPage


class MainWindow(QMainWindow):
    """Holds the pages it is given; shows one at a time. ``closing`` fires before the window closes."""

    closing = Signal()
    file_dropped = Signal(object)  # Path of a file dropped on the window (a license file)

    def __init__(self, *, library: LibraryPage, session: SessionPage, player: PlayerPage, checkin: CheckinPage,
                 summary: SummaryPage) -> None:
        super().__init__()
        self.setWindowTitle("Movement Player")
        self.setMinimumSize(800, 560)
        self._fit_to_screen()
        self.library, self.session, self.player = library, session, player
        self.checkin, self.summary = checkin, summary
        self.setAcceptDrops(True)
        self.pages = QStackedWidget()
        for page in (library, session, player, checkin, summary):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

    def _fit_to_screen(self) -> None:
        """1200x760 where it fits; on a small (or heavily scaled) screen, most of what is available."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1200, 760
        if screen is not None and screen.width() > 0:
            width, height = min(width, int(screen.width() * 0.95)), min(height, int(screen.height() * 0.95))
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))

    def show_page(self, page: QWidget) -> None:
        """Bring ``page`` to the front and give it the keyboard."""
        self.pages.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_fullscreen(self) -> None:
        """F: fullscreen on or off (Qt's showFullScreen; libVLC follows its window)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def leave_fullscreen(self) -> None:
        """Esc: back to a normal window."""
        if self.isFullScreen():
            self.showNormal()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.file_dropped.emit(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
