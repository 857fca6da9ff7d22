"""Check-in questions: the Question record, the built-in standard set and the body areas.

What each kind of question means (checking, storing, showing an answer) and the parser of manifest question
tables are in ``question_kinds``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """One check-in question. Ids ``discomfort``, ``ease``, ``body-areas``, ``note`` fill journal columns.

    ``kind`` names a registered kind (see ``question_kinds``); ``minimum``/``maximum`` bound a scale or measure.
    """

    id: str
    kind: str
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


def type_name(value: object) -> str:
    """How a TOML value's type reads in an error message ("a string", "a list", ...)."""
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
