"""Question kinds, each defined once: how an answer is checked, stored (as JSON), read back, shown as text and
written to a CSV cell, and what a manifest's question table of that kind must hold.

The registry is keyed by kind name (``scale``, ``choice``, ``body``, ``measure``, ``text``). Adding a kind is
one :class:`QuestionKind` subclass passed to :func:`register_kind` here and one input widget registered in
``player/ui/shared/question_inputs.py``. Answers of custom questions are stored as their JSON value (the
journal's ``answers.value`` column and the JSON export); the check-in columns (``discomfort``, ``ease``,
``body_areas``, ``note``) hold the standard questions' answers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from player.core.defaults import MAX_NOTE_CHARS, MAX_QUESTION_MAGNITUDE
from player.core.errors import ManifestError
from player.core.session.questions import (
    SLUG,
    STANDARD_IDS,
    STANDARD_SET,
    Question,
    body_area_label,
    body_area_values,
    type_name,
)

# One answer as the app holds it: a number (scale, measure), a text (choice, text), a list of texts (body),
# or None when not answered. This is also its JSON form.
Answer = float | str | list[str] | None
# Largest number a custom answer may be (a measure in any unit stays far below).
MAX_ANSWER_NUMBER = 1e12
MAX_ANSWER_TEXT = "1e12"  # how it reads in a message
# Most items (and longest item) a list answer may have.
MAX_LIST_ITEMS = 100
MAX_LIST_ITEM_CHARS = 1_000
# What an answer of an unknown question may be, said once for every error that lists it.
ANY_ANSWER = "a number, text, a list of texts or null"


class AnswerError(ValueError):
    """An answer that a kind cannot hold; ``reason`` reads after a field path (``must be ...``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def show_json(value: object) -> str:
    """How a bad JSON value reads in a message: short, never the whole of a huge string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if len(value) <= 40 else f"a text of {len(value):,} characters"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 40 else "a very long number"
    return "a list" if isinstance(value, list) else "an object"


def number_text(value: float) -> str:
    """A number for people: ``12.5``, ``-8``, ``3`` (no trailing ``.0``)."""
    return f"{value:g}"


class QuestionKind:
    """One question kind. Subclasses set ``name`` and override what differs; every method is pure."""

    name: ClassVar[str] = ""

    def manifest_problem(self, question: Question) -> tuple[str, str] | None:
        """A manifest rule of this kind that ``question`` breaks, as (field, reason); None when it is fine."""
        return None

    def problem(self, question: Question, value: Answer) -> str:
        """Why ``value`` is not an answer to ``question`` (for the person answering); "" when it is, or None."""
        return ""

    def reads_json(self, raw: object) -> bool:
        """True when ``raw`` has this kind's JSON shape (used to read an answer whose question is unknown)."""
        return False

    def from_json(self, raw: object) -> Answer:
        """The answer stored or exported as ``raw`` (never None here). Raises AnswerError when it cannot be."""
        raise AnswerError(f"must be {ANY_ANSWER}, got {show_json(raw)}")

    def to_json(self, value: Answer) -> Answer:
        """What is stored and exported for ``value`` (JSON-ready; a list is copied)."""
        return list(value) if isinstance(value, list) else value

    def text(self, value: Answer, question: Question | None = None) -> str:
        """``value`` for people (with the question's unit when known); never None here."""
        return ", ".join(value) if isinstance(value, list) else str(value)

    def data_text(self, value: Answer) -> str:
        """``value`` as data, for exports that key answers by question id (Markdown, the console): numbers as
        JSON writes them (``-8.0``), a list as ``a, b``, text as it is."""
        if isinstance(value, list):
            return ", ".join(value)
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def csv_cell(self, value: Answer) -> str:
        """``value`` in a CSV cell: as :meth:`data_text`, but list items joined with ``;``."""
        return ";".join(value) if isinstance(value, list) else self.data_text(value)


class NumberKind(QuestionKind):
    """Shared by the numeric kinds: a finite number up to MAX_ANSWER_NUMBER in size."""

    def reads_json(self, raw: object) -> bool:
        return isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw)

    def from_json(self, raw: object) -> Answer:
        if not self.reads_json(raw):
            return super().from_json(raw)
        assert isinstance(raw, int | float)
        if abs(raw) > MAX_ANSWER_NUMBER:
            raise AnswerError(f"must be a number up to {MAX_ANSWER_TEXT} in size, got {show_json(raw)}")
        return raw

    def problem(self, question: Question, value: Answer) -> str:
        if value is None:
            return ""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"{question.prompt}: enter a number"
        low, high = question.minimum, question.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{question.prompt}: enter a number from {low:g} to {high:g} {question.unit}".rstrip()
        return ""


class ScaleKind(NumberKind):
    """A whole number from the question's min to max with labelled ends (discomfort is 0-10)."""

    name = "scale"

    def manifest_problem(self, question: Question) -> tuple[str, str] | None:
        if question.minimum is None or question.maximum is None:
            return "", "a scale question needs min and max"
        return None

    def problem(self, question: Question, value: Answer) -> str:
        if isinstance(value, float) and not value.is_integer():
            return f"{question.prompt}: choose a whole number"
        return super().problem(question, value)

    def text(self, value: Answer, question: Question | None = None) -> str:
        shown = number_text(value) if isinstance(value, int | float) else str(value)
        return f"{shown} / {question.maximum:g}" if question is not None and question.maximum is not None else shown


class MeasureKind(NumberKind):
    """A number with a unit (``12.5 cm``), for before/after tests."""

    name = "measure"

    def manifest_problem(self, question: Question) -> tuple[str, str] | None:
        return (".unit", "missing") if not question.unit else None

    def text(self, value: Answer, question: Question | None = None) -> str:
        shown = number_text(value) if isinstance(value, int | float) else str(value)
        return f"{shown} {question.unit}".strip() if question is not None else shown


class TextKind(QuestionKind):
    """A note of up to MAX_NOTE_CHARS characters."""

    name = "text"

    def reads_json(self, raw: object) -> bool:
        return isinstance(raw, str)

    def from_json(self, raw: object) -> Answer:
        if not isinstance(raw, str):
            return super().from_json(raw)
        if len(raw) > MAX_NOTE_CHARS:
            raise AnswerError(f"must be at most {MAX_NOTE_CHARS:,} characters, got {len(raw):,}")
        return raw

    def problem(self, question: Question, value: Answer) -> str:
        if isinstance(value, str) and len(value) > MAX_NOTE_CHARS:
            return f"{question.prompt}: at most {MAX_NOTE_CHARS:,} characters"
        return ""


class ChoiceKind(TextKind):
    """One of the question's options (left/right/both)."""

    name = "choice"

    def manifest_problem(self, question: Question) -> tuple[str, str] | None:
        return (".options", "a choice question needs at least two options") if len(question.options) < 2 else None

    def problem(self, question: Question, value: Answer) -> str:
        if value is not None and value not in question.options:
            return f"{question.prompt}: choose one of {', '.join(question.options)}"
        return ""


class BodyKind(QuestionKind):
    """Areas along the chain (``hip-left``, ``lower-back``); shown by their labels (``Hip (left)``)."""

    name = "body"

    def reads_json(self, raw: object) -> bool:
        return isinstance(raw, list)

    def from_json(self, raw: object) -> Answer:
        if isinstance(raw, list) and len(raw) <= MAX_LIST_ITEMS and all(
                isinstance(item, str) and len(item) <= MAX_LIST_ITEM_CHARS for item in raw):
            return [str(item) for item in raw]
        raise AnswerError(f"must be a number, text, a list of up to {MAX_LIST_ITEMS} short texts or null, "
                          f"got {show_json(raw)}")

    def problem(self, question: Question, value: Answer) -> str:
        if value is None:
            return ""
        known = set(body_area_values())
        if not isinstance(value, list) or any(area not in known for area in value):
            return f"{question.prompt}: choose body areas from the list"
        return ""

    def text(self, value: Answer, question: Question | None = None) -> str:
        return ", ".join(body_area_label(area) for area in value) if isinstance(value, list) else str(value)


_KINDS: dict[str, QuestionKind] = {}


def register_kind(kind: QuestionKind) -> None:
    """Make ``kind`` known by its name (manifests, check-ins, exports, import). Raises ValueError on a clash."""
    if not kind.name or kind.name in _KINDS:
        raise ValueError(f"question kind {kind.name!r} is empty or registered already")
    _KINDS[kind.name] = kind


def unregister_kind(name: str) -> None:
    """Forget the kind ``name`` (tests register extra kinds for a while)."""
    _KINDS.pop(name, None)


@contextmanager
def kind_registered(kind: QuestionKind) -> Iterator[QuestionKind]:
    """``kind`` is registered inside the block and forgotten after it."""
    register_kind(kind)
    try:
        yield kind
    finally:
        unregister_kind(kind.name)


def kind_names() -> tuple[str, ...]:
    """Every registered kind name, in registration order."""
    return tuple(_KINDS)


def kind_named(name: str) -> QuestionKind:
    """The kind called ``name``; raises KeyError when there is none."""
    return _KINDS[name]


def kind_of(question: Question) -> QuestionKind:
    """The kind of ``question`` (a question is only ever made with a registered kind)."""
    return _KINDS[question.kind]


def kind_for_json(raw: object) -> QuestionKind | None:
    """The first registered kind whose JSON shape ``raw`` has: how an answer to an unknown question is read."""
    return next((kind for kind in _KINDS.values() if kind.reads_json(raw)), None)


for _kind in (ScaleKind(), ChoiceKind(), BodyKind(), MeasureKind(), TextKind()):
    register_kind(_kind)


# --- answers, whatever their kind ------------------------------------------------------------------------


def answer_from_json(raw: object, question: Question | None = None) -> Answer:
    """Read a stored or exported answer: through ``question``'s kind, or, when the question is unknown (the
    JSON export keys answers by question id only), through the kind its shape belongs to. None stays None.

    Raises AnswerError with a reason such as ``must be a number up to 1e+12 in size, got 1e+300``.
    """
    if raw is None:
        return None
    kind = kind_of(question) if question is not None else kind_for_json(raw)
    if kind is None and isinstance(raw, bool | float):  # true/false, or a number JSON cannot hold (1e400)
        raise AnswerError(f"must be {ANY_ANSWER}, got {show_json(raw)}")
    if kind is None:
        raise AnswerError(f"must be a number, text, a list of up to {MAX_LIST_ITEMS} short texts or null, "
                          f"got {show_json(raw)}")
    return kind.from_json(raw)


def answer_to_json(value: Answer, question: Question | None = None) -> Answer:
    """What is stored and exported for ``value`` (None stays None)."""
    kind = _kind_for(value, question)
    return None if value is None or kind is None else kind.to_json(value)


def answer_text(value: Answer, question: Question | None = None) -> str:
    """An answer for people, the one wording everywhere: ``12.5 cm``, ``left``, ``Hip (left), Neck``; ``-``
    when not answered."""
    if value is None:
        return "-"
    kind = _kind_for(value, question)
    return kind.text(value, question) if kind is not None else str(value)


def answer_csv(value: Answer, question: Question | None = None) -> str:
    """An answer in a CSV cell ("" when not answered; list items joined with ``;``)."""
    if value is None:
        return ""
    kind = _kind_for(value, question)
    return kind.csv_cell(value) if kind is not None else str(value)


def answer_data_text(value: Answer, question: Question | None = None) -> str:
    """An answer as data (Markdown export, console): ``-8.0``, ``a, b``; ``-`` when not answered."""
    if value is None:
        return "-"
    kind = _kind_for(value, question)
    return kind.data_text(value) if kind is not None else str(value)


def answer_label(question: Question | None, question_id: str) -> str:
    """A short name for a custom answer: ``toe-touch before`` for a measure pair, else the prompt up to a colon;
    the id when the question is unknown."""
    if question is None:
        return question_id
    if question.pair and question.when:
        return f"{question.pair} {question.when}"
    return question.prompt.split(":")[0]


def _kind_for(value: Answer, question: Question | None) -> QuestionKind | None:
    if question is not None and question.kind in _KINDS:
        return _KINDS[question.kind]
    return kind_for_json(value)


# --- manifest question tables ----------------------------------------------------------------------------

QUESTION_FIELDS = {"id", "kind", "prompt", "min", "max", "low_label", "high_label", "options", "unit", "pair", "when"}


def parse_checkin(value: Any, *, file: str, field: str) -> tuple[Question, ...]:
    """Parse a snippet's ``checkin`` value: a list of ``"standard"`` and/or inline question tables.

    Raises ManifestError naming ``file`` and the field path of the first problem.
    """
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ManifestError(file, field, 'must be a list of "standard" and/or question tables')
    questions: list[Question] = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if isinstance(item, str):
            if item != "standard":
                raise ManifestError(file, where, f'unknown check-in set "{item}" (only "standard" exists)')
            questions.extend(STANDARD_SET)
        elif isinstance(item, Mapping):
            questions.append(parse_question(item, file=file, field=where))
        else:
            raise ManifestError(file, where, 'must be "standard" or a question table')
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise ManifestError(file, field, f'question id "{question.id}" appears twice')
        seen.add(question.id)
    return tuple(questions)


def parse_question(table: Mapping[str, Any], *, file: str, field: str) -> Question:
    """Parse one inline question table; raises ManifestError on a missing/wrong field or unknown kind."""
    for key in table:
        if key not in QUESTION_FIELDS:
            raise ManifestError(file, f"{field}.{key}", "unknown field")
    question_id = _text(table, "id", file=file, field=field)
    if not SLUG.match(question_id):
        raise ManifestError(file, f"{field}.id", "must be lowercase letters, digits and dashes")
    if question_id in STANDARD_IDS:
        raise ManifestError(file, f"{field}.id", f'"{question_id}" belongs to the standard set; use "standard" '
                                                 "or another id")
    kind_name = _text(table, "kind", file=file, field=field)
    if kind_name not in _KINDS:
        raise ManifestError(file, f"{field}.kind",
                            f'unknown question kind "{kind_name}" (expected one of {", ".join(_KINDS)})')
    minimum = _number(table, "min", file=file, field=field)
    maximum = _number(table, "max", file=file, field=field)
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise ManifestError(file, f"{field}.max", "must be greater than min")
    options = table.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) and o for o in options):
        raise ManifestError(file, f"{field}.options", "must be a list of non-empty strings")
    # "before": asked on a page of its own before the snippet plays; "after" (or not given): at the check-in.
    when = _text(table, "when", file=file, field=field, required=False)
    if when not in ("", "before", "after"):
        raise ManifestError(file, f"{field}.when", f'must be "before" or "after", got "{when}"')
    question = Question(
        id=question_id, kind=kind_name, prompt=_text(table, "prompt", file=file, field=field),
        minimum=minimum, maximum=maximum,
        low_label=_text(table, "low_label", file=file, field=field, required=False),
        high_label=_text(table, "high_label", file=file, field=field, required=False),
        options=tuple(options), unit=_text(table, "unit", file=file, field=field, required=False),
        pair=_text(table, "pair", file=file, field=field, required=False), when=when,
    )
    broken = _KINDS[kind_name].manifest_problem(question)
    if broken is not None:
        raise ManifestError(file, field + broken[0], broken[1])
    return question


def _text(table: Mapping[str, Any], key: str, *, file: str, field: str, required: bool = True) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise ManifestError(file, f"{field}.{key}", "missing")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ManifestError(file, f"{field}.{key}", f"must be a non-empty string, got {type_name(value)}")
    return value


def _number(table: Mapping[str, Any], key: str, *, file: str, field: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ManifestError(file, f"{field}.{key}", f"must be a number, got {type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ManifestError(file, f"{field}.{key}", f"must be a finite number, got {value}")
    if abs(value) > MAX_QUESTION_MAGNITUDE:  # also keeps float() away from integers beyond float range
        raise ManifestError(file, f"{field}.{key}", f"must be between -{MAX_QUESTION_MAGNITUDE:g} and "
                                                    f"{MAX_QUESTION_MAGNITUDE:g}")
    return float(value)
