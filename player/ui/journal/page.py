"""The Journal page: history, trends and the body map of the practice journal, with search and filters.

Passive: it holds its views and says what the user asked for; ``JournalController`` fills it.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from player.core.journal.review import SessionCatalog
from player.ui.journal.body_map import BodyMapView
from player.ui.journal.filters import FilterBar
from player.ui.journal.history_view import HistoryView
from player.ui.journal.trends_view import TrendsView


class JournalPage(QWidget):
    """Esc (or Backspace, or the button) goes back: from an open run to the list, else to the page before."""

    back_requested = Signal()

    def __init__(self, catalog: SessionCatalog) -> None:
        super().__init__()
        self.setObjectName("journalPage")
        back = QPushButton("← Back (Esc)")
        back.setToolTip("Back to where you were (Esc)")
        back.clicked.connect(self.go_back)
        title = QLabel("Journal")
        title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)  # on a narrow window it takes two lines rather than pushing the search
        self.filters = FilterBar(catalog)
        self.history = HistoryView(catalog)
        self.trends = TrendsView(catalog)
        self.body = BodyMapView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("journalTabs")
        self.tabs.addTab(self.history, "&History")
        self.tabs.addTab(self.trends, "&Trends")
        self.tabs.addTab(self.body, "&Body map")
        header = QHBoxLayout()
        header.addWidget(back)
        header.addSpacing(12)
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.subtitle, 1)
        header.addWidget(self.filters.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 18, 32, 18)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(self.tabs, 1)
        self._bind_keys()
        f = self.filters
        chain = (back, f.search, f.session, f.snippet, f.area, f.since, f.until, f.clear_button, self.tabs.tabBar())
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _bind_keys(self) -> None:
        keys = {
            "Escape": self.go_back, "Ctrl+F": self.filters.focus_search,
            "Alt+1": lambda: self.show_tab(self.history), "Alt+2": lambda: self.show_tab(self.trends),
            "Alt+3": lambda: self.show_tab(self.body),
        }
        for key, handler in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)
        # Backspace goes back too, except while typing (a text field keeps its Backspace).
        backspace = QShortcut(QKeySequence("Backspace"), self)
        backspace.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        backspace.activated.connect(self.go_back)

    def show_tab(self, view: QWidget) -> None:
        """Bring a tab to the front and give it the keyboard."""
        self.tabs.setCurrentWidget(view)
        focus = {self.history: self.history.tree, self.trends: self.trends.movements, self.body: self.body.figure}
        target = self.history.detail.table if view is self.history and self.history.showing_detail() else focus[view]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_back(self) -> None:
        """From an open run back to the list; otherwise ``back_requested``."""
        if self.tabs.currentWidget() is self.history and self.history.showing_detail():
            self.history.show_list()
        else:
            self.back_requested.emit()

    def focus_start(self) -> None:
        """Where the keyboard starts when the page opens: the list of the tab in front."""
        self.show_tab(self.tabs.currentWidget())
