"""One input widget per check-in question kind; each reports ``value()`` (None when unanswered)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from player.core.defaults import MAX_NOTE_CHARS
from player.core.session.questions import BODY_AREAS, SIDES, Question


def _toggle(text: str, name: str, *, scale: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    button.setAccessibleName(name)
    if scale:
        button.setObjectName("scale")
    return button


class ScaleInput(QWidget):
    """A row of numbered buttons from the question's min to max, with labelled ends."""

    changed = Signal(int)

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.minimum = int(question.minimum or 0)
        self.maximum = int(question.maximum or 10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        if question.low_label:
            row.addWidget(QLabel(f"{self.minimum} = {question.low_label}"))
        for number in range(self.minimum, self.maximum + 1):
            button = _toggle(str(number), f"{question.prompt} {number}", scale=True)
            key = f"key {number}" if question.id == "discomfort" and number < 10 else "Tab to it, Space"
            button.setToolTip(f"{question.prompt}: {number} ({key})")
            self.group.addButton(button, number)
            row.addWidget(button)
        if question.high_label:
            row.addWidget(QLabel(f"{self.maximum} = {question.high_label}"))
        row.addStretch(1)
        self.group.idClicked.connect(self._clicked)
        self._value: int | None = None

    def value(self) -> int | None:
        return self._value

    def set_value(self, number: int | None) -> None:
        """Select ``number`` (clamped to the scale), or clear the answer with None."""
        self._value = None if number is None else max(self.minimum, min(self.maximum, number))
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == self._value)
        if self._value is not None:
            self.changed.emit(self._value)

    def step(self, delta: int) -> None:
        """Move the answer by ``delta``; from no answer, start at the low end."""
        self.set_value(self.minimum if self._value is None else self._value + delta)

    def _clicked(self, number: int) -> None:
        self.set_value(None if number == self._value else number)


class ChoiceInput(QWidget):
    """One button per option; at most one chosen."""

    def __init__(self, question: Question) -> None:
        super().__init__()
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


class BodyInput(QWidget):
    """Areas along the chain from the feet up; paired areas have a left and a right button."""

    def __init__(self, _question: Question) -> None:
        super().__init__()
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        columns = 3
        for index, (area_id, label, sided) in enumerate(BODY_AREAS):
            cell = QHBoxLayout()
            cell.addWidget(QLabel(label))
            if sided:
                for side in SIDES:
                    self._add(cell, f"{area_id}-{side}", side[0].upper(), f"{label}, {side}")
            else:
                self._add(cell, area_id, "✓", label)
            cell.addStretch(1)
            grid.addLayout(cell, index // columns, index % columns)

    def _add(self, cell: QHBoxLayout, value: str, text: str, name: str) -> None:
        button = _toggle(text, name, scale=True)
        button.setToolTip(name)
        self.buttons[value] = button
        cell.addWidget(button)

    def value(self) -> tuple[str, ...]:
        return tuple(v for v, b in self.buttons.items() if b.isChecked())


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
        row.addWidget(QLabel(question.unit))
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
        self.setAccessibleName(question.prompt)
        self.setPlaceholderText("Optional — type a few words")
        self.setMaxLength(MAX_NOTE_CHARS)
        self.setMinimumWidth(420)

    def value(self) -> str:
        return self.text().strip()


InputWidget = ScaleInput | ChoiceInput | BodyInput | MeasureInput | TextInput
INPUTS: dict[str, type[InputWidget]] = {
    "scale": ScaleInput, "choice": ChoiceInput, "body": BodyInput, "measure": MeasureInput, "text": TextInput,
}


def make_input(question: Question) -> InputWidget:
    """The input widget for ``question``'s kind."""
    return INPUTS[question.kind](question)
