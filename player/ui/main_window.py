"""The main window: one stack of pages, and fullscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from player.ui.checkin_page import CheckinPage
from player.ui.library_page import LibraryPage
from player.ui.player_page import PlayerPage
from player.ui.summary_page import SummaryPage


class MainWindow(QMainWindow):
    """Holds the pages it is given; shows one at a time. ``closing`` fires before the window closes."""

    closing = Signal()

    def __init__(self, *, library: LibraryPage, player: PlayerPage, checkin: CheckinPage,
                 summary: SummaryPage) -> None:
        super().__init__()
        self.setWindowTitle("Movement Player")
        self.resize(1200, 760)
        self.setMinimumSize(800, 560)
        self.library, self.player, self.checkin, self.summary = library, player, checkin, summary
        self.pages = QStackedWidget()
        for page in (library, player, checkin, summary):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
