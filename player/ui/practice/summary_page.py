"""The summary page: what was logged in this run."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.store import Checkin
from player.core.session.manifest import Session
from player.core.session.question_kinds import answer_label, answer_text
from player.core.session.questions import BODY, DISCOMFORT, EASE

COLUMNS = ("Snippet", "Discomfort", "Ease", "Where", "Note / other answers")


def describe_extra(checkin: Checkin, session: Session) -> str:
    """The note and any custom answers of a check-in, as one line."""
    snippet = session.snippet(checkin.snippet_id)
    questions = {q.id: q for q in snippet.questions} if snippet else {}
    parts = [checkin.answers.note] if checkin.answers.note else []
    for qid, value in checkin.answers.extra.items():
        if value is not None:
            question = questions.get(qid)
            parts.append(f"{answer_label(question, qid)}: {answer_text(value, question)}")  # "toe-touch before"
    return " · ".join(parts)


class SummaryPage(QWidget):
    """Passive view of one finished run."""

    library_requested = Signal()
    again_requested = Signal()
    journal_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("summaryPage")
        self.heading = QLabel("Well done")
        self.heading.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)  # the session title
        self.subtitle.setObjectName("subtitle")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        again = QPushButton("Practise again")
        again.setToolTip("Start this session again from the first snippet")
        again.clicked.connect(self.again_requested.emit)
        back = self.back_button = QPushButton("Back to library (Enter)")
        back.setObjectName("primary")
        back.setToolTip("Back to the list of sessions (Enter)")
        back.clicked.connect(self.library_requested.emit)
        journal = QPushButton("Journal (J)")
        journal.setToolTip("See this run beside the earlier ones: history, trends, body map (J)")
        journal.clicked.connect(self.journal_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(journal)
        buttons.addStretch(1)
        buttons.addWidget(again)
        buttons.addWidget(back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for key, signal in (("Return", self.library_requested), ("Enter", self.library_requested),
                            ("J", self.journal_requested)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(signal.emit)

    def primary_focus(self) -> QWidget:
        """What has the keyboard when the page comes to the front: Back to library (Enter)."""
        return self.back_button

    def show_run(self, session: Session, checkins: list[Checkin], *, failed: frozenset[str] = frozenset()) -> None:
        """Show every check-in of the run just finished; ``failed`` snippets (ids) could not be played."""
        saved = sum(1 for c in checkins if not c.skipped)
        not_played = sum(1 for c in checkins if c.skipped and c.snippet_id in failed)
        skipped = len(checkins) - saved - not_played
        self.subtitle.setText(
            f"{session.title}: {saved} check-in{'s' if saved != 1 else ''} saved to your journal"
            + (f", {skipped} skipped" if skipped else "")
            + (f", {not_played} could not be played" if not_played else "")
        )
        self.table.setRowCount(len(checkins))
        for row, checkin in enumerate(checkins):
            snippet = session.snippet(checkin.snippet_id)
            answers = checkin.answers
            cells = (
                snippet.title if snippet else checkin.snippet_id,
                ("✗ could not be played" if checkin.snippet_id in failed else "skipped") if checkin.skipped
                else answer_text(answers.discomfort, DISCOMFORT),
                "" if checkin.skipped else answer_text(answers.ease, EASE),
                answer_text(list(answers.body_areas) or None, BODY) if not checkin.skipped or answers.body_areas
                else "",
                describe_extra(checkin, session),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.back_button.setFocus(Qt.FocusReason.TabFocusReason)

