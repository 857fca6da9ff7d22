"""The library page: a card per session (poster, title, teacher, length, what is free and what is locked),
the unavailable ones with the reason in plain words and the technical details on demand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.core.session.library import LibraryEntry
from player.ui.library.cards import CARD_ROLE, CARD_SIZE, GAP, POSTER_ROLE, Card, CardDelegate, PosterCache, card_for
from player.ui.library.reasons import WHAT_TO_DO, plain_reasons, technical_details
from player.ui.shared.formatting import length

ID_ROLE = Qt.ItemDataRole.UserRole
UNAVAILABLE_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(entry: LibraryEntry, *, licensed: bool = False) -> str:
    """The card in words (what a screen reader says): title, contents, and status or the plain reason."""
    if entry.session is None or entry.problems:
        reasons = " ".join(plain_reasons(entry))
        contents = ""
        if entry.session is not None:
            count = len(entry.session.preview)
            contents = f"{count} snippet{'s' if count != 1 else ''} · {length(entry.session.preview_duration_s)} · "
        return f"{entry.title}\n{contents}Unavailable\n{reasons}"
    session = entry.session
    count = len(session.preview)
    contents = f"{count} snippet{'s' if count != 1 else ''} · {length(session.preview_duration_s)}"
    full = ""
    if session.full is not None:
        parts = session.full.parts
        state = "unlocked" if licensed else f"locked, {session.full.price}"
        full = f" · Full session: {len(parts)} parts, {length(sum(p.duration_s for p in parts))} ({state})"
    return f"{session.title}\n{contents} free preview · Ready{full}\n{session.summary}"


class LibraryPage(QWidget):
    """Session cards; arrows move between them, Enter or *Open session* opens one; J opens the journal.

    On an unavailable card Enter (or *Show details*) shows the technical details for whoever mends it.
    """

    session_chosen = Signal(str)
    journal_requested = Signal()

    def __init__(self, entries: list[LibraryEntry], *, licensed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.setObjectName("libraryPage")
        self._posters = PosterCache()
        self._unread: list[Path] = []  # posters still to read, one per turn of the event loop
        self._poster_timer = QTimer(self, interval=0)
        self._poster_timer.timeout.connect(self._read_next_poster)
        self._entries: list[LibraryEntry] = []
        title = QLabel("Your sessions")
        title.setObjectName("pageTitle")
        hint = QLabel("Choose a session with the arrow keys and press Enter to open it.")
        hint.setObjectName("hint")
        self.list = QListWidget()
        self.list.setObjectName("libraryCards")
        self.list.setAccessibleName("Sessions")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(GAP // 2)
        self.list.setGridSize(QSize(CARD_SIZE.width() + GAP, CARD_SIZE.height() + GAP))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setItemDelegate(CardDelegate(self.list))
        self.list.viewport().installEventFilter(self)  # its width decides how many cards fit side by side
        self.list.itemActivated.connect(lambda _item: self._activate())
        self.list.currentRowChanged.connect(lambda _row: self._show_selected())
        self.status = QLabel()
        self.status.setObjectName("cardStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # manifest text: never rich text
        self.status.setWordWrap(True)
        self.details_button = QPushButton("Show details")
        self.details_button.setToolTip("What exactly is wrong, for whoever mends the session (Enter)")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.details = QLabel()
        self.details.setObjectName("hint")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton("Open session")
        self.start_button.setObjectName("primary")
        self.start_button.setToolTip("Open the selected session (Enter)")
        self.start_button.clicked.connect(self._start_selected)
        self.journal_button = QPushButton("Journal (J)")
        self.journal_button.setToolTip("Your practice history, trends and body map (J)")
        self.journal_button.clicked.connect(self.journal_requested.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 16)
        layout.setSpacing(10)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.journal_button)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        footer.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(footer)
        layout.addWidget(self.details)
        layout.insertLayout(0, header)  # added last, so the cards come first for the keyboard
        journal_key = QShortcut(QKeySequence("J"), self)
        journal_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        journal_key.activated.connect(self.journal_requested.emit)
        self.show_entries(entries, licensed=licensed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._spread_cards()
        return super().eventFilter(watched, event)

    def _spread_cards(self) -> None:
        """As many cards as fit side by side, the spare width shared between them (not left at the right)."""
        room = self.list.viewport().width() - 2
        columns = max(1, room // (CARD_SIZE.width() + GAP))
        width = max(CARD_SIZE.width() + GAP, room // columns)
        self.list.setGridSize(QSize(width, CARD_SIZE.height() + GAP))

    def show_entries(self, entries: list[LibraryEntry], *, licensed: frozenset[str] = frozenset()) -> None:
        """Show ``entries`` (``licensed``: ids whose full session is unlocked); keep the chosen card, else
        choose the first available."""
        chosen = self._selected_entry()
        self._entries = list(entries)
        self.list.clear()
        for entry in entries:
            card = card_for(entry, licensed=entry.session_id in licensed)
            item = QListWidgetItem(describe(entry, licensed=entry.session_id in licensed))
            item.setData(ID_ROLE, entry.session_id)
            item.setData(CARD_ROLE, card)
            known, poster = self._posters.cached(card.poster)
            item.setData(POSTER_ROLE, poster)
            if not known and card.poster is not None and card.poster not in self._unread:
                self._unread.append(card.poster)
            item.setSizeHint(CARD_SIZE)
            item.setToolTip(item.text())  # the whole card in words, for a title cut short on the card
            if not entry.available:
                item.setData(UNAVAILABLE_ROLE, "unavailable")
            self.list.addItem(item)
        if self._unread:
            self._poster_timer.start()  # the cards show at once; each picture follows when read
        ids = [e.session_id for e in entries]
        first = next((i for i, e in enumerate(entries) if e.available), 0)
        self.list.setCurrentRow(ids.index(chosen.session_id) if chosen and chosen.session_id in ids else first)
        self.list.setFocus()
        self._show_selected()

    def _read_next_poster(self) -> None:
        """Read one poster and put it on its cards: a library of many packs never holds the window up."""
        if not self._unread:
            self._poster_timer.stop()
            return
        path = self._unread.pop(0)
        poster = self._posters.get(path, scale=self.devicePixelRatioF())
        for row in range(self.list.count()):
            item = self.list.item(row)
            if self.card(row).poster == path:
                item.setData(POSTER_ROLE, poster)

    def posters_pending(self) -> bool:
        """True while some posters are still to be read."""
        return bool(self._unread)

    def card(self, row: int) -> Card:
        """The card shown at ``row``."""
        card = self.list.item(row).data(CARD_ROLE)
        assert isinstance(card, Card)
        return card

    def _selected_entry(self) -> LibraryEntry | None:
        row = self.list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _selected_available(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.data(UNAVAILABLE_ROLE) == "unavailable":
            return None
        return str(item.data(ID_ROLE))

    def _show_selected(self) -> None:
        """Below the cards: the selected session's summary, or why it cannot be opened."""
        entry = self._selected_entry()
        available = entry is not None and entry.available
        self.start_button.setEnabled(available)
        self.details_button.setVisible(entry is not None and not available)
        self.details_button.setChecked(False)
        self._toggle_details(False)
        if entry is None:
            self.status.setText("No sessions are installed.")
        elif available and entry.session is not None:
            self.status.setText(entry.session.summary)
        else:
            self.status.setText(f"{entry.title} cannot be opened. {' '.join(plain_reasons(entry))} {WHAT_TO_DO}")

    def _toggle_details(self, shown: bool) -> None:
        entry = self._selected_entry()
        self.details.setText(technical_details(entry) if shown and entry is not None else "")
        self.details.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")
        if shown:  # the details take room from the cards: keep the chosen one in view
            QTimer.singleShot(0, self, self._keep_current_in_view)

    def _keep_current_in_view(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.scrollToItem(item)

    def _activate(self) -> None:
        if self._selected_available() is not None:
            self._start_selected()
        else:
            self.details_button.toggle()

    def _start_selected(self) -> None:
        session_id = self._selected_available()
        if session_id is not None:
            self.session_chosen.emit(session_id)
