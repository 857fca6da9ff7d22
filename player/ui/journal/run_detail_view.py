"""One run opened from the history: each check-in in order with all its answers; edit or delete one."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
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

from player.core.journal.review import RunDetail, SessionCatalog
from player.core.journal.store import Checkin
from player.core.localtime import local_moment
from player.core.session.question_kinds import answer_label, answer_text
from player.core.session.questions import BODY, DISCOMFORT, EASE

COLUMNS = ("Time", "Movement", "Discomfort", "Ease", "Where", "Note", "Other answers")
MATCH_BACKGROUND = QColor("#fff3c4")  # check-ins that meet the history's filter


def checkin_cells(checkin: Checkin, catalog: SessionCatalog, session_id: str) -> tuple[str, ...]:
    """The table cells of one check-in, in COLUMNS order."""
    a = checkin.answers
    questions = {q.id: q for q in catalog.questions(session_id, checkin.snippet_id)}
    other = "\n".join(f"{answer_label(questions.get(qid), qid)}: {answer_text(value, questions.get(qid))}"
                      for qid, value in a.extra.items())
    return (
        f"{local_moment(checkin.answered_at):%H:%M}",
        catalog.snippet_title(session_id, checkin.snippet_id),
        "skipped" if checkin.skipped else answer_text(a.discomfort, DISCOMFORT),
        "" if checkin.skipped or a.ease is None else answer_text(a.ease, EASE),
        answer_text(list(a.body_areas), BODY) if a.body_areas else "",
        a.note,
        other,
    )


def run_heading(detail: RunDetail, catalog: SessionCatalog) -> tuple[str, str]:
    """(title, details line) of a run: session, day and times, completed, check-ins and the follow-up."""
    run = detail.run
    start = local_moment(run.started_at)
    end = f"–{local_moment(run.ended_at):%H:%M}" if run.ended_at else ""
    count = len(detail.checkins)
    parts = [f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}{end}",
             "completed" if run.completed else "not completed",
             f"{count} check-in{'' if count == 1 else 's'}"]
    if detail.followup is not None:
        answer = detail.followup.answer or "not answered"
        note = f" (“{detail.followup.note}”)" if detail.followup.note else ""
        parts.append(f"next day: {answer}{note}")
    return catalog.session_title(run.session_id), "  ·  ".join(parts)


class RunDetailView(QWidget):
    """Passive view of one run: E (or Enter) edits, Delete deletes the selected check-in; ← goes back."""

    back_requested = Signal()
    edit_requested = Signal(int)  # check-in id
    delete_requested = Signal(int)  # check-in id

    def __init__(self, catalog: SessionCatalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.checkin_ids: list[int] = []
        self.run_id = 0
        back = QPushButton("← All runs (Esc)")
        back.setToolTip("Back to the list of runs (Esc or Backspace)")
        back.clicked.connect(self.back_requested.emit)
        self.title = QLabel()
        self.title.setObjectName("snippetTitle")
        self.details = QLabel()
        self.details.setObjectName("subtitle")
        self.details.setWordWrap(True)
        for label in (self.title, self.details):  # session titles and notes come from files: never rich text
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("checkinTable")
        self.table.setAccessibleName("Check-ins of this run")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for wide in ("Note", "Other answers"):  # long text wraps instead of scrolling sideways
            header.setSectionResizeMode(COLUMNS.index(wide), QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self._edit())
        self.edit_button = QPushButton("Edit check-in… (E)")
        self.edit_button.setToolTip("Correct the selected check-in's answers (E or Enter)")
        self.edit_button.clicked.connect(self._edit)
        self.delete_button = QPushButton("Delete check-in… (Del)")
        self.delete_button.setToolTip("Delete the selected check-in; you are asked first (Delete)")
        self.delete_button.clicked.connect(self._delete)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        # Esc and Backspace (back) belong to the Journal page, which knows where "back" leads.
        for key, handler in (("E", self._edit), ("Return", self._edit), ("Enter", self._edit),
                             ("Delete", self._delete)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def show_detail(self, detail: RunDetail, *, highlight: Collection[int] = (), select: int | None = None) -> None:
        """Show ``detail``; check-ins in ``highlight`` (filter matches) are marked; ``select`` gets the cursor."""
        self.run_id = detail.run.id
        title, details = run_heading(detail, self.catalog)
        self.title.setText(title)
        self.details.setText(details)
        self.checkin_ids = [c.id for c in detail.checkins]
        self.table.setRowCount(len(detail.checkins))
        bold = QFont()
        bold.setBold(True)
        for row, checkin in enumerate(detail.checkins):
            for column, text in enumerate(checkin_cells(checkin, self.catalog, detail.run.session_id)):
                item = QTableWidgetItem(text)
                if checkin.id in highlight:
                    item.setBackground(QBrush(MATCH_BACKGROUND))
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        has_rows = bool(detail.checkins)
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)
        if has_rows:
            wanted = select if select in self.checkin_ids else next(
                (c for c in self.checkin_ids if c in highlight), self.checkin_ids[0])
            self.table.selectRow(self.checkin_ids.index(wanted))
        self.table.setFocus()

    def selected_checkin(self) -> int | None:
        """The id of the check-in under the cursor, or None."""
        row = self.table.currentRow()
        return self.checkin_ids[row] if 0 <= row < len(self.checkin_ids) else None

    def _edit(self) -> None:
        checkin_id = self.selected_checkin()
        if checkin_id is not None:
            self.edit_requested.emit(checkin_id)

    def _delete(self) -> None:
        checkin_id = self.selected_checkin()
        if checkin_id is not None:
            self.delete_requested.emit(checkin_id)
