"""The next-day question: how did the last practice settle? Better, same or worse, and a note; optional."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from player.core.defaults import MAX_NOTE_CHARS
from player.core.journal.followups import FOLLOWUP_ANSWERS, FollowupAnswer

LABELS: dict[FollowupAnswer, str] = {"better": "&Better", "same": "About the &same", "worse": "&Worse"}


def when_text(day: date, today: date) -> str:
    """``"yesterday"``, ``"on Saturday"`` (this week) or ``"on 2 Nov"``."""
    days = (today - day).days
    if days == 1:
        return "yesterday"
    return f"on {day:%A}" if days < 7 else f"on {day.day} {day:%b}"


class FollowupDialog(QDialog):
    """Accepted with an answer (B, S or W, then Enter); rejected (Esc, "Don't ask") means dismissed."""

    def __init__(self, *, session_title: str, day: date, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("How did it settle?")
        question = QLabel(f"You practised <b>{session_title}</b> {when_text(day, today)}.<br>"
                          "How does your body feel since then?")
        question.setObjectName("subtitle")
        question.setWordWrap(True)
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        for answer in FOLLOWUP_ANSWERS:
            button = QPushButton(LABELS[answer])
            button.setCheckable(True)
            button.setObjectName(f"followup-{answer}")
            self.group.addButton(button)
            row.addWidget(button)
        self.group.buttonToggled.connect(lambda _button, _on: self._update())
        self.note = QLineEdit()
        self.note.setPlaceholderText("A note, if you like: e.g. lower back calmer this morning")
        self.note.setAccessibleName("Note")
        self.note.setMaxLength(MAX_NOTE_CHARS)
        hint = QLabel("It is kept with that run in your journal. Optional: skip it and you are not asked again.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        skip = QPushButton("Don't ask (Esc)")
        skip.clicked.connect(self.reject)
        self.save_button = QPushButton("Save (Enter)")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self._save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(skip)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(question)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self).activated.connect(self._save)
        for answer in FOLLOWUP_ANSWERS:  # B, S, W (Alt+ the letter while typing the note)
            QShortcut(QKeySequence(answer[0].upper()), self).activated.connect(lambda a=answer: self.choose(a))
        self.setMinimumWidth(560)
        self._update()

    def choose(self, answer: FollowupAnswer) -> None:
        """Select ``answer`` (as clicking its button does)."""
        for button in self.group.buttons():
            button.setChecked(button.objectName() == f"followup-{answer}")

    def answer(self) -> FollowupAnswer | None:
        """The chosen answer, or None."""
        checked = self.group.checkedButton()
        if checked is None:
            return None
        name = checked.objectName().removeprefix("followup-")
        return next(a for a in FOLLOWUP_ANSWERS if a == name)

    def note_text(self) -> str:
        """The note, trimmed."""
        return self.note.text().strip()

    def _update(self) -> None:
        self.save_button.setEnabled(self.answer() is not None)

    def _save(self) -> None:
        if self.answer() is not None:
            self.accept()
