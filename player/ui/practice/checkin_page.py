"""The check-in page: "how did that feel?", built from the snippet's questions; also the questions asked
before a snippet plays (``when = "before"``).

Keys (see the README's Keyboard section): digits set discomfort (1 then 0 within a second: 10), + / − step
it, Alt+1…5 set ease, ← / → change only the answer that has the keyboard, ↑ / ↓ move between the answers,
Tab goes through the answers from the top and then the buttons, Enter saves (after the gentler-option note:
continues), Esc skips (asking first when answers were given), R repeats the snippet (keeping the answers),
? shows every shortcut. While a text field has the keyboard, digits, arrows and ? are its text.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.store import Answers
from player.core.session.manifest import Snippet
from player.core.session.question_kinds import Answer
from player.core.session.questions import Question
from player.ui.shared.formatting import length
from player.ui.shared.question_inputs import (
    BodyInput,
    QuestionInput,
    ScaleInput,
    answers_from_inputs,
    make_input,
    widget_of,
)

CALM_NOTE = (
    "That was a lot. Next time make the movement smaller, go slower, or rest and skip it — "
    "moving without strain teaches the body more than pushing through."
)
SKIP_QUESTION = "Skip this check-in? The answers you gave will not be saved."
TEN_WITHIN_S = 1.0  # "1" then "0" within this many seconds sets discomfort 10


def _escaped(text: str) -> str:
    """``text`` safe inside the rich text of a label (the html module loads at the first check-in, not at start)."""
    import html

    return html.escape(text)


class _FormArea(QScrollArea):
    """The scrolling form; ↑ / ↓ go to the page (between the answers), not to scrolling: the form scrolls to
    whichever answer has the keyboard."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            event.ignore()
        else:
            super().keyPressEvent(event)


class CheckinPage(QWidget):
    """Passive view: shows the questions, emits the answers, or a skip.

    ``asking_before`` is True while it shows the questions before a snippet; the same signals then mean
    "start the snippet with these answers" (``submitted``) and "start it without them" (``skipped``).
    """

    submitted = Signal(object)  # Answers
    skipped = Signal()
    went_on = Signal()
    repeat_requested = Signal()
    shortcuts_requested = Signal()  # ? (as on the player; F1 is the window's)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("checkinPage")
        self.inputs: dict[str, QuestionInput] = {}
        self.asking_before = False
        self._gentle_text = ""
        self._gentle_showing = False
        self._last_digit: tuple[int, float] | None = None  # (digit, when) for "1 0" = ten
        self._snippet_id = ""  # whose check-in is shown
        # R keeps what was answered: (snippet id, answer by question id), shown again when that snippet's
        # check-in comes back; forgotten on save, on skip, or when another snippet's check-in is shown.
        self._draft: tuple[str, dict[str, Answer]] | None = None
        self.heading = QLabel("How did that feel?")
        self.heading.setObjectName("pageTitle")
        self.snippet_label = QLabel()
        self.snippet_label.setTextFormat(Qt.TextFormat.PlainText)  # from the manifest
        self.snippet_label.setObjectName("subtitle")
        self.snippet_label.setWordWrap(True)
        # The keys on the page itself: people answer from a few steps away, without the shortcuts overlay.
        self.keys_hint = QLabel()
        self.keys_hint.setObjectName("subtitle")
        self.keys_hint.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("error")
        self.problem_label.setWordWrap(True)
        self.form_host = _FormArea()
        self.form_host.setWidgetResizable(True)
        self.form_host.setFrameShape(QFrame.Shape.NoFrame)
        self.form_host.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.gentle = QLabel()
        self.gentle.setObjectName("gentle")
        self.gentle.setWordWrap(True)
        self.up_next = QLabel()
        self.up_next.setObjectName("upNext")
        self.up_next.setWordWrap(True)
        self.up_next.setMaximumWidth(380)
        self.up_next.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.repeat_button = QPushButton("⟲ Repeat snippet (R)")
        self.repeat_button.setToolTip("Play this snippet again before checking in (R)")
        self.repeat_button.clicked.connect(self._repeat)
        self.skip_button = QPushButton("Skip (Esc)")
        self.skip_button.setToolTip("Go on without answering; recorded as skipped (Esc)")
        self.skip_button.clicked.connect(self._skip)
        self.save_button = QPushButton("Save and go on (Enter)")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Save these answers and go on to the next snippet (Enter)")
        self.save_button.clicked.connect(self._enter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.repeat_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.snippet_label)
        titles.addWidget(self.keys_hint)
        top.addLayout(titles, 1)
        top.addWidget(self.up_next, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.form_host, 1)
        layout.addWidget(self.gentle)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        self._bind_keys()

    def _bind_keys(self) -> None:
        keys: dict[str, object] = {"Return": self._enter, "Enter": self._enter, "Escape": self._skip, "R": self._repeat,
                                 "?": self.shortcuts_requested.emit}
        keys.update({str(d): (lambda d=d: self._digit(d)) for d in range(10)})
        keys.update({"+": lambda: self._step_discomfort(1), "=": lambda: self._step_discomfort(1),
                     "-": lambda: self._step_discomfort(-1)})
        keys.update({f"Alt+{n}": (lambda n=n: self._set_scale("ease", n)) for n in range(1, 6)})
        for key, handler in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setAutoRepeat(key not in ("Return", "Enter", "Escape", "R", "?"))  # a held key acts once
            shortcut.activated.connect(handler)

    def primary_focus(self) -> QWidget:
        """What has the keyboard when the page comes to the front: Save (Enter), with Tab next at the top."""
        return self.save_button

    def show_checkin(self, snippet: Snippet, *, number: int, count: int, up_next: Snippet | None = None) -> None:
        """Show the questions for ``snippet`` (``number`` of ``count``) and what comes next: empty, or after R
        (repeat) with the answers given before it."""
        self.asking_before = False
        self._snippet_id = snippet.id
        self.heading.setText("How did that feel?")
        self.snippet_label.setText(f"After “{snippet.title}” — {number} of {count}")
        if up_next is None:
            self.up_next.setText("<b>Up next:</b> the summary of this practice")
        else:
            cue = up_next.first_cue if not up_next.paid else ""
            self.up_next.setText(f"<b>Up next:</b> {_escaped(up_next.title)} · {length(up_next.duration_s)}"
                                 + (f"<br><i>“{_escaped(cue)}”</i>" if cue else ""))  # the file's text stays plain
        self.up_next.show()
        self._show_questions(snippet.questions_after)
        self._restore_draft(snippet.id)
        self.repeat_button.show()
        self._gentle_text = snippet.gentler
        self.save_button.setText("Save and go on (Enter)")
        self.save_button.setToolTip("Save these answers and go on to the next snippet (Enter)")
        self.skip_button.setText("Skip (Esc)")
        self.skip_button.setToolTip("Go on without answering; recorded as skipped (Esc)")

    def show_before(self, snippet: Snippet, *, number: int, count: int) -> None:
        """Show the questions asked before ``snippet`` plays (e.g. a "before" measurement)."""
        self.asking_before = True
        self.heading.setText("Before you start")
        self.snippet_label.setText(f"Before “{snippet.title}” — {number} of {count}")
        self.up_next.hide()
        self._show_questions(snippet.questions_before)
        self.repeat_button.hide()
        self._gentle_text = ""
        self.save_button.setText("Start the snippet (Enter)")
        self.save_button.setToolTip("Keep these answers and play the snippet (Enter)")
        self.skip_button.setText("Start without (Esc)")
        self.skip_button.setToolTip("Play the snippet without answering these (Esc)")

    def _show_questions(self, questions: tuple[Question, ...]) -> None:
        self.inputs = {}
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow window puts answers under
        form.setVerticalSpacing(12)
        for question in questions:
            made = make_input(question)
            self.inputs[question.id] = made
            widget = widget_of(made)
            label = QLabel(question.prompt)
            label.setTextFormat(Qt.TextFormat.PlainText)  # from the manifest
            label.setWordWrap(True)
            label.setMaximumWidth(260)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.form_host.setWidget(form_widget)
        self.keys_hint.setText(_keys_hint(self.inputs))
        self._chain_tabs([widget_of(made) for made in self.inputs.values()])
        self.gentle.hide()
        self._gentle_showing = False
        self.form_host.setEnabled(True)
        self.repeat_button.setEnabled(True)
        self.problem_label.clear()
        self.skip_button.setEnabled(True)
        self._last_digit = None
        self.save_button.setFocus(Qt.FocusReason.TabFocusReason)

    def _chain_tabs(self, inputs: list[QWidget]) -> None:
        """Tab from Save goes to the top of the form, down through the answers, then to the buttons."""
        chain: list[QWidget] = [self.save_button]
        for widget in inputs:
            if isinstance(widget, BodyInput):
                # Every area in its place: only the one with the keyboard takes Tab, and Tab / Shift+Tab from
                # it go on to the next / previous answer whichever area it is.
                chain.extend(widget.area_buttons())
                continue
            stops = [w for w in (widget, *widget.findChildren(QWidget))
                     if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
            chain.extend(stops[:1] if isinstance(widget, ScaleInput) else stops)
        chain.extend([self.repeat_button, self.skip_button, self.save_button])
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def answers(self) -> Answers:
        """What is entered now, split into the journal's columns and the custom answers."""
        return answers_from_inputs(self.inputs)

    def show_gentle(self) -> None:
        """After a high discomfort: show the gentler option (or a calm note) before going on."""
        text = self._gentle_text or CALM_NOTE
        self.gentle.setText(f"<b>Go gently next time.</b> {_escaped(text)}")  # the rest is plain text
        self.gentle.show()
        self._gentle_showing = True
        # The keyboard moves to "continue" before the form is disabled: from wherever it was, Enter goes on.
        self.save_button.setText("Saved — continue (Enter)")
        self.save_button.setFocus(Qt.FocusReason.TabFocusReason)
        self.form_host.setEnabled(False)
        self.repeat_button.setEnabled(False)
        self.skip_button.setEnabled(False)

    def showing_gentle(self) -> bool:
        """True while the gentler-option note waits for the user to go on."""
        return self._gentle_showing

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """↑ / ↓ move between the answers (the answers themselves take ← / →)."""
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            if event.key() == Qt.Key.Key_Up:
                self.focusPreviousChild()
            else:
                self.focusNextChild()
            focused = QApplication.focusWidget()
            if focused is not None and self.form_host.isAncestorOf(focused):
                self.form_host.ensureWidgetVisible(focused)
        else:
            super().keyPressEvent(event)

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
        if not self.asking_before:
            self._draft = None
        self.submitted.emit(self.answers())

    def _repeat(self) -> None:
        if not self.showing_gentle() and not self.asking_before:
            self._draft = (self._snippet_id, {qid: made.value() for qid, made in self.inputs.items()})
            self.repeat_requested.emit()

    def _restore_draft(self, snippet_id: str) -> None:
        if self._draft is None or self._draft[0] != snippet_id:
            self._draft = None
            return
        for qid, value in self._draft[1].items():
            if qid in self.inputs:
                self.inputs[qid].set_value(value)

    def _skip(self) -> None:
        if self.showing_gentle():
            return
        if not self.asking_before:
            if self._answered() and not self._skip_confirmed():
                return
            self._draft = None
        self.skipped.emit()

    def _answered(self) -> bool:
        """True when any question has an answer (a rating, an area, a word, a number, a choice)."""
        return any(value is not None and value != "" and value != []
                   for value in (made.value() for made in self.inputs.values()))

    def _skip_confirmed(self) -> bool:
        """Ask before throwing answers away; Enter and Esc keep answering (the dialog holds its Esc until
        release: shared/dialog_keys.py). The keyboard goes back where it was."""
        focused = QApplication.focusWidget()
        box = QMessageBox(QMessageBox.Icon.Question, "Skip this check-in?", SKIP_QUESTION,
                          QMessageBox.StandardButton.NoButton, self)
        skip = box.addButton("Skip", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep answering", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        confirmed = box.clickedButton() is skip
        box.deleteLater()
        if not confirmed:
            self.window().activateWindow()
            (focused if focused is not None and self.isAncestorOf(focused) else self.save_button).setFocus(
                Qt.FocusReason.TabFocusReason)
        return confirmed

    def _scale_keys_apply(self) -> bool:
        # While a line edit has focus every key belongs to the text (it takes digits before the shortcuts).
        return not self.showing_gentle() and not isinstance(QApplication.focusWidget(), QLineEdit)

    def _set_scale(self, question_id: str, value: int) -> None:
        scale = self.inputs.get(question_id)
        if isinstance(scale, ScaleInput) and self._scale_keys_apply():
            scale.set_value(value)

    def _step_discomfort(self, delta: int) -> None:
        scale = self.inputs.get("discomfort")
        if isinstance(scale, ScaleInput) and self._scale_keys_apply():
            scale.step(delta)

    def _digit(self, digit: int) -> None:
        """0-9 set discomfort; "1" then "0" within TEN_WITHIN_S seconds sets 10."""
        now = time.monotonic()
        ten = digit == 0 and self._last_digit is not None and self._last_digit[0] == 1 \
            and now - self._last_digit[1] <= TEN_WITHIN_S
        self._last_digit = None if ten else (digit, now)
        self._set_scale("discomfort", 10 if ten else digit)


def _keys_hint(inputs: dict[str, QuestionInput]) -> str:
    """The page's keys in one line, naming only the direct keys of the questions it asks."""
    keys = []
    if "discomfort" in inputs:
        keys.append("0–9 (1 then 0 for ten) discomfort")
    if "ease" in inputs:
        keys.append("Alt+1–5 ease")
    keys.append("Tab or ↑ ↓ move · ← → change the answer in focus")
    return "Keys: " + " · ".join(keys)
