"""The check-in page: "how did that feel?", built from the snippet's questions."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.store import Answers
from player.core.session.manifest import Snippet
from player.ui.shared.formatting import length
from player.ui.shared.question_inputs import QuestionInput, ScaleInput, answers_from_inputs, make_input, widget_of

CALM_NOTE = (
    "That was a lot. Next time make the movement smaller, go slower, or rest and skip it — "
    "moving without strain teaches the body more than pushing through."
)


class CheckinPage(QWidget):
    """Passive view: shows the questions, emits the answers, or a skip."""

    submitted = Signal(object)  # Answers
    skipped = Signal()
    went_on = Signal()
    repeat_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("checkinPage")
        self.inputs: dict[str, QuestionInput] = {}
        self._gentle_text = ""
        self._gentle_showing = False
        self.heading = QLabel("How did that feel?")
        self.heading.setObjectName("pageTitle")
        self.snippet_label = QLabel()
        self.snippet_label.setTextFormat(Qt.TextFormat.PlainText)  # from the manifest
        self.snippet_label.setObjectName("subtitle")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("error")
        self.form_host = QScrollArea()
        self.form_host.setWidgetResizable(True)
        self.form_host.setFrameShape(QFrame.Shape.NoFrame)
        self.gentle = QLabel()
        self.gentle.setObjectName("gentle")
        self.gentle.setWordWrap(True)
        self.up_next = QLabel()
        self.up_next.setObjectName("upNext")
        self.up_next.setWordWrap(True)
        self.repeat_button = QPushButton("⟲ Repeat this snippet (R)")
        self.repeat_button.setToolTip("Play this snippet again before checking in (R)")
        self.repeat_button.clicked.connect(self._repeat)
        self.skip_button = QPushButton("Skip check-in (Esc)")
        self.skip_button.setToolTip("Go on without answering; recorded as skipped (Esc)")
        self.skip_button.clicked.connect(self._skip)
        self.save_button = QPushButton("Save and go on (Enter)")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Save these answers and go on to the next snippet (Enter)")
        self.save_button.clicked.connect(self._enter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.repeat_button)
        buttons.addWidget(self.problem_label, 1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.snippet_label)
        top.addLayout(titles, 1)
        top.addWidget(self.up_next)
        layout.addLayout(top)
        layout.addWidget(self.form_host, 1)
        layout.addWidget(self.gentle)
        layout.addLayout(buttons)
        self._bind_keys()

    def _bind_keys(self) -> None:
        keys: dict[str, object] = {
            "Return": self._enter, "Enter": self._enter, "Escape": self._skip, "R": self._repeat,
            "+": lambda: self._step(1), "=": lambda: self._step(1), "-": lambda: self._step(-1),
            "Right": lambda: self._step(1), "Up": lambda: self._step(1),
            "Left": lambda: self._step(-1), "Down": lambda: self._step(-1),
        }
        keys.update({str(d): (lambda d=d: self._set_discomfort(d)) for d in range(10)})
        for key, handler in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def show_checkin(self, snippet: Snippet, *, number: int, count: int, up_next: Snippet | None = None) -> None:
        """Show fresh, empty questions for ``snippet`` (``number`` of ``count``) and what comes next."""
        self.snippet_label.setText(f"After “{snippet.title}” — {number} of {count}")
        if up_next is None:
            self.up_next.setText("<b>Up next:</b> the summary of this practice")
        else:
            cue = up_next.first_cue if not up_next.paid else ""
            self.up_next.setText(f"<b>Up next:</b> {html.escape(up_next.title)} · {length(up_next.duration_s)}"
                                 + (f"<br><i>“{html.escape(cue)}”</i>" if cue else ""))  # the file's text stays plain
        self.inputs = {}
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setVerticalSpacing(14)
        for question in snippet.questions:
            made = make_input(question)
            self.inputs[question.id] = made
            widget = widget_of(made)
            label = QLabel(question.prompt)
            label.setTextFormat(Qt.TextFormat.PlainText)  # from the manifest
            label.setWordWrap(True)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.form_host.setWidget(form_widget)
        self.gentle.hide()
        self._gentle_showing = False
        self.form_host.setEnabled(True)
        self.repeat_button.setEnabled(True)
        self.problem_label.clear()
        self._gentle_text = snippet.gentler
        self.save_button.setText("Save and go on (Enter)")
        self.skip_button.setEnabled(True)
        self.setFocus()

    def answers(self) -> Answers:
        """What is entered now, split into the journal's columns and the custom answers."""
        return answers_from_inputs(self.inputs)

    def show_gentle(self) -> None:
        """After a high discomfort: show the gentler option (or a calm note) before going on."""
        text = self._gentle_text or CALM_NOTE
        self.gentle.setText(f"<b>Go gently next time.</b> {html.escape(text)}")  # the rest is plain text
        self.gentle.show()
        self._gentle_showing = True
        self.form_host.setEnabled(False)
        self.repeat_button.setEnabled(False)
        self.skip_button.setEnabled(False)
        self.save_button.setText("Saved — continue (Enter)")

    def showing_gentle(self) -> bool:
        """True while the gentler-option note waits for the user to go on."""
        return self._gentle_showing

    def _enter(self) -> None:
        if self.showing_gentle():
            self._gentle_showing = False
            self.form_host.setEnabled(True)
            self.went_on.emit()
            return
        problems = [problem for w in self.inputs.values() if (problem := w.problem())]
        if problems:
            self.problem_label.setText(problems[0])
            return
        self.submitted.emit(self.answers())

    def _repeat(self) -> None:
        if not self.showing_gentle():
            self.repeat_requested.emit()

    def _skip(self) -> None:
        if not self.showing_gentle():
            self.skipped.emit()

    def _discomfort(self) -> ScaleInput | None:
        widget = self.inputs.get("discomfort")
        return widget if isinstance(widget, ScaleInput) else None

    def _scale_keys_apply(self) -> bool:
        # Up/Down are not taken by a line edit, but while one has focus every key belongs to the text.
        return not self.showing_gentle() and not isinstance(QApplication.focusWidget(), QLineEdit)

    def _set_discomfort(self, value: int) -> None:
        if (scale := self._discomfort()) is not None and self._scale_keys_apply():
            scale.set_value(value)

    def _step(self, delta: int) -> None:
        if (scale := self._discomfort()) is not None and self._scale_keys_apply():
            scale.step(delta)
