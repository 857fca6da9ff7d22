"""Check-in questions: the built-in standard set and the parser for manifest question tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from player.core.errors import ManifestError

QuestionKind = Literal["scale", "choice", "body", "measure", "text"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("scale", "choice", "body", "measure", "text")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Areas along the chain from the feet up, in body order. Paired areas take a side.
BODY_AREAS: tuple[tuple[str, str, bool], ...] = (
    ("big-toe", "Big toe", True),
    ("arch", "Arch", True),
    ("heel", "Heel", True),
    ("ankle", "Ankle", True),
    ("knee", "Knee", True),
    ("hip", "Hip", True),
    ("pelvis-sacrum", "Pelvis / sacrum", False),
    ("lower-back", "Lower back", False),
    ("mid-back", "Mid back", False),
    ("upper-back", "Upper back", False),
    ("neck", "Neck", False),
    ("jaw", "Jaw", True),
    ("shoulder", "Shoulder", True),
)
SIDES = ("left", "right")


def body_area_values() -> list[str]:
    """Every value a body question can store, e.g. ``"hip-left"``, ``"lower-back"``."""
    values: list[str] = []
    for area_id, _label, sided in BODY_AREAS:
        if sided:
            values.extend(f"{area_id}-{side}" for side in SIDES)
        else:
            values.append(area_id)
    return values


def body_area_label(value: str) -> str:
    """Human label of a stored body value: ``"hip-left"`` -> ``"Hip (left)"``."""
    for area_id, label, sided in BODY_AREAS:
        if value == area_id:
            return label
        if sided and value.startswith(area_id + "-") and value[len(area_id) + 1 :] in SIDES:
            return f"{label} ({value[len(area_id) + 1:]})"
    return value


@dataclass(frozen=True)
class Question:
    """One check-in question. Ids ``discomfort``, ``ease``, ``body-areas``, ``note`` fill journal columns."""

    id: str
    kind: QuestionKind
    prompt: str
    minimum: float | None = None
    maximum: float | None = None
    low_label: str = ""
    high_label: str = ""
    options: tuple[str, ...] = ()
    unit: str = ""
    pair: str = ""
    when: str = ""


DISCOMFORT = Question(
    id="discomfort", kind="scale", prompt="Discomfort", minimum=0, maximum=10,
    low_label="none", high_label="worst imaginable",
)
EASE = Question(
    id="ease", kind="scale", prompt="Ease of the movement", minimum=1, maximum=5,
    low_label="hard", high_label="effortless",
)
BODY = Question(id="body-areas", kind="body", prompt="Where in the body did you feel it?")
NOTE = Question(id="note", kind="text", prompt="Noticed anything new?")
STANDARD_SET: tuple[Question, ...] = (DISCOMFORT, EASE, BODY, NOTE)
STANDARD_IDS = frozenset(q.id for q in STANDARD_SET)



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
    known = {"id", "kind", "prompt", "min", "max", "low_label", "high_label", "options", "unit", "pair", "when"}
    for key in table:
        if key not in known:
            raise ManifestError(file, f"{field}.{key}", "unknown field")
    question_id = _text(table, "id", file=file, field=field)
    if not SLUG.match(question_id):
        raise ManifestError(file, f"{field}.id", "must be lowercase letters, digits and dashes")
    if question_id in STANDARD_IDS:
        raise ManifestError(file, f"{field}.id", f'"{question_id}" belongs to the standard set; use "standard" '
                                                 "or another id")
    kind = _text(table, "kind", file=file, field=field)
    if kind not in QUESTION_KINDS:
        raise ManifestError(
            file, f"{field}.kind", f'unknown question kind "{kind}" (expected one of {", ".join(QUESTION_KINDS)})'
        )
    prompt = _text(table, "prompt", file=file, field=field)
    minimum = _number(table, "min", file=file, field=field)
    maximum = _number(table, "max", file=file, field=field)
    if kind == "scale" and (minimum is None or maximum is None):
        raise ManifestError(file, field, "a scale question needs min and max")
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise ManifestError(file, f"{field}.max", "must be greater than min")
    options = table.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) and o for o in options):
        raise ManifestError(file, f"{field}.options", "must be a list of non-empty strings")
    if kind == "choice" and len(options) < 2:
        raise ManifestError(file, f"{field}.options", "a choice question needs at least two options")
    unit = _text(table, "unit", file=file, field=field, required=kind == "measure")
    when = _text(table, "when", file=file, field=field, required=False)
    if when not in ("", "before", "after"):
        raise ManifestError(file, f"{field}.when", 'must be "before" or "after"')
    return Question(
        id=question_id, kind=kind, prompt=prompt, minimum=minimum, maximum=maximum,
        low_label=_text(table, "low_label", file=file, field=field, required=False),
        high_label=_text(table, "high_label", file=file, field=field, required=False),
        options=tuple(options), unit=unit,
        pair=_text(table, "pair", file=file, field=field, required=False), when=when,
    )


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
    return float(value)


def type_name(value: object) -> str:
    """How a TOML value's type reads in an error message ("a string", "a list", ...)."""
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
