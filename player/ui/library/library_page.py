"""The library page: every session, available or not (with the reason), and how to start one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from player.core.session.library import LibraryEntry
from player.ui.shared.formatting import length


def describe(entry: LibraryEntry, *, licensed: bool = False) -> str:
    """Two or more lines of text for a library row: title, contents, and status or problems."""
    if entry.session is None:
        reasons = "\n".join(f"  • {p.field or 'file'}: {p.reason}" for p in entry.problems[:3])
        return f"{entry.title}\nUnavailable: the manifest has problems\n{reasons}"
    session = entry.session
    count = len(session.preview)
    contents = f"{count} snippet{'s' if count != 1 else ''} · {length(session.preview_duration_s)}"
    if entry.problems:
        reasons = "\n".join(f"  • {p.field}: {p.reason}" for p in entry.problems[:3])
        return f"{session.title}\n{contents} · Unavailable\n{reasons}"
    full = ""
    if session.full is not None:
        parts = session.full.parts
        state = "unlocked" if licensed else f"locked, {session.full.price}"
        full = f" · Full session: {len(parts)} parts, {length(sum(p.duration_s for p in parts))} ({state})"
    return f"{session.title}\n{contents} free preview · Ready{full}\n{session.summary}"


class LibraryPage(QWidget):
    """Lists sessions; Enter or the Open button opens the selected one; J opens the journal."""

    session_chosen = Signal(str)
    journal_requested = Signal()

    def __init__(self, entries: list[LibraryEntry], *, licensed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.setObjectName("libraryPage")
        title = QLabel("Your sessions")
        title.setObjectName("pageTitle")
        hint = QLabel("Choose a session with ↑/↓ and press Enter to open it.")
        hint.setObjectName("hint")
        self.list = QListWidget()
        self.list.setAccessibleName("Sessions")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _item: self._start_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_start())
        self.start_button = QPushButton("Open session")
        self.start_button.setObjectName("primary")
        self.start_button.setToolTip("Open the selected session (Enter)")
        self.start_button.clicked.connect(self._start_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(14)
        self.journal_button = QPushButton("Journal (J)")
        self.journal_button.setToolTip("Your practice history, trends and body map (J)")
        self.journal_button.clicked.connect(self.journal_requested.emit)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.journal_button)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.insertLayout(0, header)  # added last, so the list comes first for the keyboard
        journal_key = QShortcut(QKeySequence("J"), self)
        journal_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        journal_key.activated.connect(self.journal_requested.emit)
        self.show_entries(entries, licensed=licensed)

    def show_entries(self, entries: list[LibraryEntry], *, licensed: frozenset[str] = frozenset()) -> None:
        """Show ``entries`` (``licensed``: ids whose full session is unlocked); select the first available."""
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(describe(entry, licensed=entry.session_id in licensed))
            item.setData(Qt.ItemDataRole.UserRole, entry.session_id)
            if not entry.available:
                item.setForeground(Qt.GlobalColor.darkRed)
                item.setData(Qt.ItemDataRole.UserRole + 1, "unavailable")
            self.list.addItem(item)
        first = next((i for i, e in enumerate(entries) if e.available), 0)
        self.list.setCurrentRow(first)
        self.list.setFocus()
        self._update_start()

    def _selected_available(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole + 1) == "unavailable":
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def _update_start(self) -> None:
        self.start_button.setEnabled(self._selected_available() is not None)

    def _start_selected(self) -> None:
        session_id = self._selected_available()
        if session_id is not None:
            self.session_chosen.emit(session_id)
