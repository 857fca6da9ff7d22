"""The session page: what a session holds, its free preview, and its paid full session (locked or not)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from player.core.session.manifest import Session, Snippet
from player.ui.shared.formatting import length

if TYPE_CHECKING:
    from player.core.licensing.keys import License


def _contents(snippets: tuple[Snippet, ...]) -> str:
    return "\n".join(f"{i}. {s.title}  ·  {length(s.duration_s)}" for i, s in enumerate(snippets, 1))


def _card(*widgets: QWidget) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 16, 20, 16)
    for widget in widgets:
        layout.addWidget(widget)
    return card


class SessionPage(QWidget):
    """Passive view of one session. Enter plays the full session when unlocked, else the preview."""

    preview_requested = Signal()
    full_requested = Signal()
    key_entry_requested = Signal()
    key_removal_requested = Signal(str)  # license id
    back_requested = Signal()
    journal_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("sessionPage")
        self.license: License | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("subtitle")
        self.summary.setWordWrap(True)
        self.preview_list = QLabel()
        self.full_heading = QLabel()
        self.full_heading.setObjectName("snippetTitle")
        self.full_list = QLabel()
        self.full_status = QLabel()
        self.full_status.setWordWrap(True)
        for label in (self.title, self.summary, self.preview_list, self.full_heading, self.full_list, self.full_status):
            label.setTextFormat(Qt.TextFormat.PlainText)  # manifest and licensee text: never rich text
        self.preview_button = self._button("▶ Play the free preview", "Play the free snippets (Enter when locked)",
                                          self.preview_requested)
        self.preview_button.setObjectName("primary")
        self.full_button = self._button("▶ Play the full session", "Play the paid parts (Enter)", self.full_requested)
        self.full_button.setObjectName("primary")
        self.key_button = self._button("Enter license key…", "Paste a key or open a license file (K)",
                                       self.key_entry_requested)
        self.key_button.setText("Enter license key…  K")  # labelled with its key, like the player's buttons
        self.remove_button = QPushButton("Remove key")
        self.remove_button.setToolTip("Forget this license key on this computer")
        self.remove_button.clicked.connect(self._remove)
        back = self._button("← Library", "Back to the list of sessions (Backspace)", self.back_requested)
        back.setText("← Library  Backspace")  # labelled with its key, like the player's buttons
        preview_heading = QLabel("Free preview")
        preview_heading.setObjectName("snippetTitle")
        full_buttons = QHBoxLayout()
        full_buttons.addWidget(self.full_button)
        full_buttons.addWidget(self.key_button)
        full_buttons.addWidget(self.remove_button)
        full_buttons.addStretch(1)
        full_row = QWidget()
        full_row.setLayout(full_buttons)
        self.full_card = _card(self.full_heading, self.full_list, self.full_status, full_row)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 16)
        outer.setSpacing(12)
        journal = self._button("Journal (J)", "Your practice history, trends and body map (J)",
                               self.journal_requested)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addStretch(1)
        top.addWidget(journal)
        outer.addLayout(top)
        contents = QWidget()
        contents.setObjectName("sessionContents")
        layout = QVBoxLayout(contents)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(12)
        self.summary.setMinimumWidth(200)
        self.full_status.setMinimumWidth(200)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(_card(preview_heading, self.preview_list, self.preview_button))
        layout.addWidget(self.full_card)
        layout.addStretch(1)
        scroll = QScrollArea()  # a small or scaled screen scrolls the contents; nothing is squeezed
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes between the buttons
        scroll.setWidget(contents)
        outer.addWidget(scroll, 1)
        self._scroll = scroll
        for key, handler in (("Return", self._enter), ("Enter", self._enter), ("K", self.key_entry_requested.emit),
                             ("Backspace", self.back_requested.emit), ("J", self.journal_requested.emit)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    @staticmethod
    def _button(text: str, tip: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.clicked.connect(signal.emit)
        return button

    def show_session(self, session: Session, license_: License | None) -> None:
        """Show ``session``; ``license_`` is the verified license for its full session, if any."""
        self.license = license_
        self.title.setText(session.title)
        self.summary.setText(session.summary + (f"\nTeacher: {session.teacher}" if session.teacher else ""))
        self.preview_list.setText(_contents(session.preview))
        self.full_card.setVisible(session.full is not None)
        if session.full is not None:
            parts = session.full.parts
            total = length(session.full_duration_s)
            self.full_heading.setText(f"Full session  ·  {len(parts)} parts  ·  {total}")
            self.full_list.setText(_contents(parts))
            if license_ is None:
                self.full_status.setText(f"Locked. Buy it from the publisher ({session.full.price}) and enter "
                                         "the license key you receive, or drop the license file on this window.")
            else:
                self.full_status.setText(f"Licensed to {license_.licensee}  ·  license {license_.license_id}  ·  "
                                         f"issued {license_.issued_on.isoformat()}")
        self.full_button.setVisible(license_ is not None)
        self.remove_button.setVisible(license_ is not None)
        self.key_button.setVisible(license_ is None)
        self.preview_button.setObjectName("primary" if license_ is None else "")  # one primary: what Enter plays
        self.preview_button.style().unpolish(self.preview_button)
        self.preview_button.style().polish(self.preview_button)
        self.primary_focus().setFocus(Qt.FocusReason.TabFocusReason)
        self._reveal_primary_soon()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Coming to the front: the action that has the keyboard is scrolled into view (a small screen)."""
        super().showEvent(event)
        self._reveal_primary_soon()

    def _reveal_primary_soon(self) -> None:
        # Once the layout has placed the contents (after this event), not with the sizes from before.
        QTimer.singleShot(0, self, self.reveal_primary)

    def reveal_primary(self) -> None:
        """Scroll so the primary action (what has the keyboard, what Enter plays) is fully on screen."""
        if self.isVisible():
            self._scroll.ensureWidgetVisible(self.primary_focus(), 0, 16)

    def primary_focus(self) -> QWidget:
        """What has the keyboard when the page comes to the front: what Enter plays."""
        return self.full_button if self.license is not None else self.preview_button

    def _enter(self) -> None:
        if self.license is not None:
            self.full_requested.emit()
        else:
            self.preview_requested.emit()

    def _remove(self) -> None:
        if self.license is not None:
            self.key_removal_requested.emit(self.license.license_id)
