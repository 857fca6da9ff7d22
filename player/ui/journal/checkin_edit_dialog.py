"""Correcting a saved check-in: the check-in's own question widgets, filled with what was saved."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.store import Answers, Checkin
from player.core.session.questions import STANDARD_SET, Question
from player.ui.shared.question_inputs import (
    QuestionInput,
    ScaleInput,
    answers_from_inputs,
    make_input,
    saved_value,
    widget_of,
)


class CheckinEditDialog(QDialog):
    """Edit one check-in; ``answers()`` gives the corrected answers once accepted (Enter saves, Esc cancels)."""

    def __init__(self, checkin: Checkin, questions: Sequence[Question], *, title: str, when: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit check-in")
        self.checkin = checkin
        self.questions = tuple(questions) or STANDARD_SET  # a session no longer installed: the standard set
        self.inputs: dict[str, QuestionInput] = {}
        heading = QLabel(f"<b>{title}</b> · {when}" + (" · was skipped" if checkin.skipped else ""))
        heading.setObjectName("subtitle")
        self.problem = QLabel()
        self.problem.setObjectName("error")
        cancel = QPushButton("Cancel (Esc)")
        cancel.clicked.connect(self.reject)
        save = QPushButton("Save (Enter)")
        save.setObjectName("primary")
        save.clicked.connect(self._save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self._form(), 1)
        layout.addLayout(buttons)
        self._fit_to_screen()
        for key in ("Return", "Enter"):  # Enter saves from anywhere, as on the check-in page
            QShortcut(QKeySequence(key), self).activated.connect(self._save)
        discomfort = self.inputs.get("discomfort")
        if isinstance(discomfort, ScaleInput):  # 0-9 set the discomfort, as on the check-in page
            for digit in range(10):
                QShortcut(QKeySequence(str(digit)), self).activated.connect(
                    lambda d=digit: discomfort.set_value(d))

    def _form(self) -> QScrollArea:
        """The questions with the saved answers, scrolling when the screen is short."""
        host = QWidget()
        form = QFormLayout(host)
        form.setVerticalSpacing(12)
        for question in self.questions:
            made = make_input(question)
            made.set_value(saved_value(self.checkin.answers, question.id))
            self.inputs[question.id] = made
            widget = widget_of(made)
            label = QLabel(question.prompt)
            label.setWordWrap(True)
            label.setMaximumWidth(230)
            label.setBuddy(widget)
            form.addRow(label, widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(host)
        self._form_hint = host.sizeHint()
        return scroll

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        width = min(self._form_hint.width() + 60, int(screen.width() * 0.95))
        height = min(self._form_hint.height() + 140, int(screen.height() * 0.9))
        self.resize(width, height)

    def answers(self) -> Answers:
        """The answers as edited; custom answers to questions no longer asked are kept as they were."""
        return answers_from_inputs(self.inputs, saved=self.checkin.answers)

    def skipped(self) -> bool:
        """Still a skipped check-in: it was one, and nothing has been answered now."""
        a = self.answers()
        answered = a.discomfort is not None or a.ease is not None or a.body_areas or a.note or any(
            v is not None for v in a.extra.values())
        return self.checkin.skipped and not answered

    def _save(self) -> None:
        problems = [problem for w in self.inputs.values() if (problem := w.problem())]
        if problems:
            self.problem.setText(problems[0])
            return
        self.accept()

    def focus_first(self) -> None:
        """The keyboard starts on the first answer."""
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            widget_of(first).setFocus(Qt.FocusReason.OtherFocusReason)
