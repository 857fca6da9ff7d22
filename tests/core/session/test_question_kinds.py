"""Question kinds: one wording per answer, the JSON form and its reading, CSV cells, manifest rules, the registry."""

from __future__ import annotations

import pytest

from player.core.errors import ManifestError
from player.core.session.question_kinds import (
    AnswerError,
    QuestionKind,
    answer_csv,
    answer_data_text,
    answer_from_json,
    answer_label,
    answer_text,
    answer_to_json,
    kind_named,
    kind_names,
    kind_registered,
    parse_checkin,
    parse_question,
)
from player.core.session.questions import BODY, DISCOMFORT, EASE, NOTE, Question

REACH = Question(id="reach-after", kind="measure", prompt="Reach after: fingertips to floor", unit="cm",
                 minimum=-40, maximum=60, pair="toe-touch", when="after")
SIDE = Question(id="side", kind="choice", prompt="Which side", options=("left", "right", "both"))
AREAS = Question(id="where-else", kind="body", prompt="Anywhere else?")
STIFF = Question(id="stiffness", kind="scale", prompt="Stiffness", minimum=0, maximum=5)


def test_the_five_kinds_are_registered_in_order() -> None:
    assert kind_names()[:5] == ("scale", "choice", "body", "measure", "text")


@pytest.mark.parametrize(("value", "question", "text"), [
    (5, DISCOMFORT, "5 / 10"),
    (2, EASE, "2 / 5"),
    (3, STIFF, "3 / 5"),
    (-8.0, REACH, "-8 cm"),
    (12.5, REACH, "12.5 cm"),
    ("left", SIDE, "left"),
    (["big-toe-left", "lower-back"], AREAS, "Big toe (left), Lower back"),
    (["hip-left"], BODY, "Hip (left)"),
    ("toes spread", NOTE, "toes spread"),
    (None, REACH, "-"),
    (["a", "b"], None, "a, b"),  # a list answer to a question no longer asked: never ['a', 'b']
    (-8.0, None, "-8"),
    ("left", None, "left"),
])
def test_one_wording_for_people(value: float | str | list[str] | None, question: Question | None,
                                text: str) -> None:
    assert answer_text(value, question) == text


def test_data_text_and_csv_cells() -> None:
    assert answer_data_text(-8.0) == "-8.0" and answer_data_text(["a", "b"]) == "a, b"
    assert answer_data_text("x") == "x" and answer_data_text(None) == "-"
    assert answer_csv(-8.0) == "-8.0" and answer_csv(["a", "b"]) == "a;b" and answer_csv(None) == ""
    assert answer_csv(3) == "3" and answer_csv("left") == "left"


def test_json_form_round_trips() -> None:
    for value, question in ((-4.5, REACH), ("both", SIDE), (["hip-left"], AREAS), ("note", NOTE), (7, STIFF)):
        assert answer_from_json(answer_to_json(value, question), question) == value
    stored = ["hip-left"]
    assert answer_to_json(stored) is not stored  # a copy, never the caller's list
    assert answer_from_json(None) is None and answer_to_json(None) is None


@pytest.mark.parametrize(("raw", "reason"), [
    (True, "must be a number, text, a list of texts or null, got true"),
    (float("inf"), "must be a number, text, a list of texts or null, got inf"),
    (1e300, "must be a number up to 1e12 in size, got 1e+300"),
    ("y" * 10_001, "must be at most 10,000 characters, got 10,001"),
    ({"a": 1}, "must be a number, text, a list of up to 100 short texts or null, got an object"),
    (["x"] * 101, "must be a number, text, a list of up to 100 short texts or null, got a list"),
    ([1, 2], "must be a number, text, a list of up to 100 short texts or null, got a list"),
])
def test_reading_a_bad_json_answer_says_why(raw: object, reason: str) -> None:
    with pytest.raises(AnswerError) as caught:
        answer_from_json(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(("question", "value", "problem"), [
    (REACH, 99.0, "Reach after: fingertips to floor: enter a number from -40 to 60 cm"),
    (REACH, 10.0, ""),
    (STIFF, 2.5, "Stiffness: choose a whole number"),
    (STIFF, 6, "Stiffness: enter a number from 0 to 5"),
    (SIDE, "up", "Which side: choose one of left, right, both"),
    (SIDE, "left", ""),
    (AREAS, ["elbow"], "Anywhere else?: choose body areas from the list"),
    (AREAS, ["neck"], ""),
    (NOTE, "x" * 10_001, "Noticed anything new?: at most 10,000 characters"),
    (NOTE, None, ""),
])
def test_each_kind_checks_a_value(question: Question, value: float | str | list[str] | None, problem: str) -> None:
    assert kind_named(question.kind).problem(question, value) == problem


def test_answer_label() -> None:
    assert answer_label(REACH, "reach-after") == "toe-touch after"
    assert answer_label(SIDE, "side") == "Which side"
    assert answer_label(None, "gone") == "gone"


@pytest.mark.parametrize(("table", "message"), [
    ({"id": "r", "kind": "measure", "prompt": "R"}, "f.toml: c[0].unit: missing"),
    ({"id": "r", "kind": "scale", "prompt": "R", "min": 0}, "f.toml: c[0]: a scale question needs min and max"),
    ({"id": "r", "kind": "choice", "prompt": "R", "options": ["a"]},
     "f.toml: c[0].options: a choice question needs at least two options"),
    ({"id": "r", "kind": "slider", "prompt": "R"},
     'f.toml: c[0].kind: unknown question kind "slider" (expected one of scale, choice, body, measure, text)'),
])
def test_manifest_rules_per_kind(table: dict[str, object], message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_checkin([table], file="f.toml", field="c")
    assert str(caught.value).startswith(message)


class Stars(QuestionKind):
    """A kind made up for this test: 1 to 3 stars, stored as a text of stars."""

    name = "stars"

    def reads_json(self, raw: object) -> bool:
        return isinstance(raw, str) and set(raw) == {"*"}

    def from_json(self, raw: object) -> str:
        if isinstance(raw, str) and 1 <= len(raw) <= 3 and set(raw) == {"*"}:
            return raw
        raise AnswerError(f"must be 1 to 3 stars, got {raw!r}")

    def text(self, value: object, question: Question | None = None) -> str:
        return f"{len(str(value))} stars"


def test_a_registered_kind_is_known_to_manifests_and_text_then_forgotten() -> None:
    table = {"id": "liked", "kind": "stars", "prompt": "Liked it?"}
    with kind_registered(Stars()):
        question = parse_question(table, file="f.toml", field="c[0]")
        assert answer_text("**", question) == "2 stars"
        with pytest.raises(AnswerError, match="1 to 3 stars"):
            answer_from_json("****", question)
    with pytest.raises(ManifestError, match='unknown question kind "stars"'):
        parse_question(table, file="f.toml", field="c[0]")
    with pytest.raises(ValueError, match="registered already"):
        with kind_registered(Stars()), kind_registered(Stars()):
            pass
    assert "stars" not in kind_names()
