"""One input widget per check-in question kind, built through a registry keyed by kind name.

Every input has ``value()`` (None, "" or [] when unanswered), ``set_value(answer)`` (shows a saved answer;
one it cannot hold clears it) and ``problem()`` (why what is entered is not an answer, "" when it is).
:func:`answers_from_inputs` is the one mapping from the inputs of a form to the journal's ``Answers``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from player.core.defaults import MAX_NOTE_CHARS
from player.core.journal.store import Answers, AnswerValue
from player.core.session.question_kinds import Answer, kind_of, number_text
from player.core.session.questions import BODY_AREAS, SIDES, STANDARD_IDS, Question


class QuestionInput(Protocol):
    """What every input widget offers (each is also a QWidget: see :func:`widget_of`)."""

    def value(self) -> Answer:
        """The answer as entered now (None, "" or [] when not answered)."""

    def set_value(self, value: Answer) -> None:
        """Show ``value``; one this input cannot hold clears it."""

    def problem(self) -> str:
        """Why what is entered is not an answer (with the question's prompt); "" when it is."""


InputBuilder = Callable[[Question], QuestionInput]


def _toggle(text: str, name: str, *, scale: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    button.setAccessibleName(name)
    if scale:
        button.setObjectName("scale")
    return button


# The keys that set a scale directly, by question id (the check-in page binds them; tooltips name them).
SCALE_KEYS = {"discomfort": "{n}", "ease": "Alt+{n}"}


class ScaleInput(QFrame):
    """A row of numbered buttons from the question's min to max, with labelled ends.

    The row is one stop for Tab (the buttons take no focus): ← / → change its answer only while it has the
    keyboard (from no answer, → picks the low end and ← leaves it unanswered), Delete clears it, ↑ / ↓ are
    left to the form (the previous or next question).
    """

    changed = Signal(int)

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.setObjectName("scaleInput")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(question.prompt)
        self.question = question
        self.minimum = int(question.minimum or 0)
        self.maximum = int(question.maximum or 10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        grid = QGridLayout(self)  # the buttons, and under the two ends what they mean: fits a narrow window
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        pattern = SCALE_KEYS.get(question.id)
        count = self.maximum - self.minimum + 1
        for column, number in enumerate(range(self.minimum, self.maximum + 1)):
            button = _toggle(str(number), f"{question.prompt} {number}", scale=True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the tab stop; arrows move its answer
            key = pattern.format(n=number) if pattern else "Tab to the row, then ← / →"
            if question.id == "discomfort" and number == 10:
                key = "1 then 0"
            button.setToolTip(f"{question.prompt}: {number} ({key})")
            self.group.addButton(button, number)
            grid.addWidget(button, 0, column)
        half = max(1, count // 2)
        for text, first, span, align in (
                (f"{self.minimum} = {question.low_label}" if question.low_label else "", 0, half,
                 Qt.AlignmentFlag.AlignLeft),
                (f"{self.maximum} = {question.high_label}" if question.high_label else "", half, count - half,
                 Qt.AlignmentFlag.AlignRight)):
            if text:
                end_label = plain_label(text)
                end_label.setObjectName("scaleEnd")
                grid.addWidget(end_label, 1, first, 1, span, align)
        grid.setColumnStretch(count, 1)
        self.group.idClicked.connect(self._clicked)
        self._value: int | None = None

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: Answer) -> None:
        """Select ``value`` (clamped to the scale), or clear the answer with None (or a non-number)."""
        number = int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        self._value = None if number is None else max(self.minimum, min(self.maximum, number))
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == self._value)
        if self._value is not None:
            self.changed.emit(self._value)

    def problem(self) -> str:
        return kind_of(self.question).problem(self.question, self._value)

    def step(self, delta: int) -> None:
        """Move the answer by ``delta``; from no answer, going up starts at the low end and going down leaves
        it unanswered (a rating never appears by stepping down)."""
        if self._value is None:
            if delta > 0:
                self.set_value(self.minimum)
            return
        self.set_value(self._value + delta)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}
        if event.key() in steps and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.step(steps[Qt.Key(event.key())])
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        else:
            super().keyPressEvent(event)  # ↑ / ↓, Tab, Enter: the form's

    def _clicked(self, number: int) -> None:
        self.set_value(None if number == self._value else number)


class ChoiceInput(QWidget):
    """One button per option; at most one chosen."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for option in question.options:
            button = _toggle(option, f"{question.prompt}: {option}")
            self.group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)

    def value(self) -> str | None:
        checked = self.group.checkedButton()
        return checked.text() if checked else None

    def set_value(self, value: Answer) -> None:
        """Choose the option ``value`` (none when it is not one of the options)."""
        self.group.setExclusive(False)  # an exclusive group cannot uncheck its last button
        for button in self.group.buttons():
            button.setChecked(button.text() == value)
        self.group.setExclusive(True)

    def problem(self) -> str:
        return kind_of(self.question).problem(self.question, self.value())


class BodyInput(QWidget):
    """Areas along the chain from the feet up; paired areas have a left and a right button ("L", "R"), an
    area of its own one button with its name (so nothing looks chosen before it is).

    The areas are one stop for Tab: ← / → move between them (changing nothing), Space chooses or clears the
    one with the keyboard; ↑ / ↓ are left to the form.
    """

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.buttons: dict[str, QPushButton] = {}
        self._order: list[QPushButton] = []  # filled below; events arrive while the buttons are added
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        columns = 3
        for index, (area_id, label, sided) in enumerate(BODY_AREAS):
            cell = QHBoxLayout()
            if sided:
                cell.addWidget(QLabel(label))
                for side in SIDES:
                    self._add(cell, f"{area_id}-{side}", side[0].upper(), f"{label}, {side}", scale=True)
            else:
                self._add(cell, area_id, label, label, scale=False)
            cell.addStretch(1)
            grid.addLayout(cell, index // columns, index % columns)
        self._order = list(self.buttons.values())
        self._roam_to(0)

    def _add(self, cell: QHBoxLayout, value: str, text: str, name: str, *, scale: bool) -> None:
        button = _toggle(text, name, scale=scale)
        if not scale:
            button.setObjectName("area")
        button.setToolTip(f"{name} (← / → to move, Space to choose)")
        button.installEventFilter(self)
        self.buttons[value] = button
        cell.addWidget(button)

    def _roam_to(self, index: int) -> None:
        """Only the area at ``index`` takes Tab, so Tab enters and leaves the areas in one step."""
        for position, button in enumerate(self._order):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if position == index else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in self._order:
            index = self._order.index(watched)
            if event.type() == QEvent.Type.FocusIn:
                self._roam_to(index)
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
                if event.key() in moves:
                    target = max(0, min(len(self._order) - 1, index + moves[Qt.Key(event.key())]))
                    self._roam_to(target)
                    self._order[target].setFocus(Qt.FocusReason.TabFocusReason)
                    return True
        return super().eventFilter(watched, event)

    def area_buttons(self) -> list[QPushButton]:
        """The area buttons in their order (feet up, left before right)."""
        return list(self._order)

    def value(self) -> list[str]:
        return [v for v, b in self.buttons.items() if b.isChecked()]

    def set_value(self, value: Answer) -> None:
        """Check exactly the areas in ``value`` (a list of area ids; anything else clears them)."""
        chosen = set(value) if isinstance(value, list | tuple) else set()
        for area, button in self.buttons.items():
            button.setChecked(area in chosen)

    def problem(self) -> str:
        return kind_of(self.question).problem(self.question, self.value())


class MeasureInput(QWidget):
    """A number with its unit; empty means not measured."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.edit = QLineEdit()
        self.edit.setAccessibleName(question.prompt)
        self.edit.setMaximumWidth(140)
        low = question.minimum if question.minimum is not None else -1e9
        high = question.maximum if question.maximum is not None else 1e9
        validator = QDoubleValidator(low, high, 1, self.edit)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.edit.setValidator(validator)
        self.edit.setPlaceholderText("not measured")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(plain_label(question.unit))
        if question.minimum is not None and question.maximum is not None:
            hint = QLabel(f"({question.minimum:g} to {question.maximum:g})")
            hint.setObjectName("hint")
            row.addWidget(hint)
        row.addStretch(1)

    def value(self) -> float | None:
        text = self.edit.text().strip().replace(",", ".")
        if not text or not self.edit.hasAcceptableInput():
            return None
        return float(text)

    def set_value(self, value: Answer) -> None:
        """Show the number ``value`` (empty for None or a non-number)."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        self.edit.setText(number_text(value) if number and isinstance(value, int | float) else "")

    def problem(self) -> str:
        """Why the typed text is not a usable answer ("" when it is, or when empty)."""
        if self.edit.text().strip() and not self.edit.hasAcceptableInput():
            low, high, unit = self.question.minimum, self.question.maximum, self.question.unit
            if low is not None and high is not None:
                return f"{self.question.prompt}: enter a number from {low:g} to {high:g} {unit}"
            return f"{self.question.prompt}: enter a number (in {unit})"
        return ""


class TextInput(QLineEdit):
    """A one-line note."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setAccessibleName(question.prompt)
        self.setPlaceholderText("Optional — type a few words")
        self.setMaxLength(MAX_NOTE_CHARS)
        self.setMinimumWidth(420)

    def value(self) -> str:
        return self.text().strip()

    def set_value(self, value: Answer) -> None:
        """Show the text ``value`` (empty for None or a non-text)."""
        self.setText(value if isinstance(value, str) else "")

    def problem(self) -> str:
        return kind_of(self.question).problem(self.question, self.value())


_BUILDERS: dict[str, InputBuilder] = {}


def register_input(kind_name: str, builder: InputBuilder) -> None:
    """Build inputs of the kind ``kind_name`` with ``builder`` (a QWidget class taking the Question will do)."""
    _BUILDERS[kind_name] = builder


def unregister_input(kind_name: str) -> None:
    """Forget the builder of ``kind_name`` (tests add kinds for a while)."""
    _BUILDERS.pop(kind_name, None)


@contextmanager
def input_registered(kind_name: str, builder: InputBuilder) -> Iterator[None]:
    """``builder`` builds inputs of ``kind_name`` inside the block only."""
    register_input(kind_name, builder)
    try:
        yield
    finally:
        unregister_input(kind_name)


for _name, _builder in (("scale", ScaleInput), ("choice", ChoiceInput), ("body", BodyInput),
                        ("measure", MeasureInput), ("text", TextInput)):
    register_input(_name, _builder)


def make_input(question: Question) -> QuestionInput:
    """The input widget for ``question``'s kind; KeyError when the kind has no widget."""
    return _BUILDERS[question.kind](question)


def widget_of(made: QuestionInput) -> QWidget:
    """The input as the QWidget it is (to lay it out or focus it)."""
    if not isinstance(made, QWidget):
        raise TypeError(f"{type(made).__name__} is not a QWidget")
    return made


def saved_value(answers: Answers, question_id: str) -> Answer:
    """What ``answers`` hold for ``question_id`` (a journal column or a custom answer)."""
    columns: dict[str, Answer] = {"discomfort": answers.discomfort, "ease": answers.ease,
                                  "body-areas": list(answers.body_areas), "note": answers.note}
    if question_id in columns:
        return columns[question_id]
    return cast(Answer, answers.extra.get(question_id))


def answers_from_inputs(inputs: Mapping[str, QuestionInput], *, saved: Answers | None = None) -> Answers:
    """The answers entered in ``inputs`` (by question id), split into the journal's columns and custom answers.

    A question without an input keeps what ``saved`` holds (an edit), or nothing (a new check-in); custom
    answers in ``saved`` to questions no longer asked are kept as they were.
    """
    base = saved or Answers()
    values = {qid: widget.value() for qid, widget in inputs.items()}
    extra: dict[str, Answer] = {qid: saved_value(base, qid) for qid in base.extra}
    extra.update({qid: value for qid, value in values.items() if qid not in STANDARD_IDS})

    def standard(qid: str) -> Answer:
        return values[qid] if qid in values else saved_value(base, qid)

    discomfort, ease, body = standard("discomfort"), standard("ease"), standard("body-areas")
    return Answers(discomfort=_whole(discomfort), ease=_whole(ease),
                   body_areas=tuple(body) if isinstance(body, list) else (), note=str(standard("note") or ""),
                   extra=cast(dict[str, AnswerValue], extra))  # the store keeps lists too (body answers)


def _whole(value: Answer) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def plain_label(text: str) -> QLabel:
    """A label for text from a manifest: shown as plain text, never interpreted as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
