"""Validating a journal export's runs, check-ins and follow-ups: each problem named with its JSON path
(``runs[3].checkins[0].discomfort: must be 0-10, got 12``), each valid value turned into a record to add.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from player.core.defaults import MAX_NOTE_CHARS
from player.core.journal.followups import FOLLOWUP_ANSWERS
from player.core.journal.store import iso_utc
from player.core.localtime import parse_utc
from player.core.session.question_kinds import AnswerError, answer_from_json
from player.core.session.questions import STANDARD_IDS, body_area_values

# A canonical journal time, as exports write it: kept as it is once its date is checked.
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Longest id (session, snippet, question) accepted; manifest ids are short slugs.
MAX_ID_CHARS = 100
# What an id may look like: manifest slugs, and a little more for journals edited with other tools.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
# An import stops collecting problems after this many (and says how many more there were).
MAX_PROBLEMS = 1_000

RUN_FIELDS = {"session_id", "started_at", "ended_at", "completed", "followup", "checkins"}
CHECKIN_FIELDS = {"snippet_id", "answered_at", "skipped", "discomfort", "ease", "body_areas", "note", "answers"}
FOLLOWUP_FIELDS = {"asked_on", "answer", "note", "answered_at"}


@dataclass(slots=True)
class ImportedCheckin:
    snippet_id: str
    answered_at: str
    skipped: bool = False
    discomfort: int | None = None
    ease: int | None = None
    body_areas: list[str] = field(default_factory=list)
    note: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ImportedFollowup:
    asked_on: str
    answer: str | None
    note: str = ""
    answered_at: str | None = None


@dataclass(slots=True)
class ImportedRun:
    session_id: str
    started_at: str
    ended_at: str | None = None
    completed: bool = False
    followup: ImportedFollowup | None = None
    checkins: list[ImportedCheckin] = field(default_factory=list)


def show_value(value: object) -> str:
    """How a bad value reads in a message: short, never the whole of a huge string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) > 40:
            return f"a text of {len(value):,} characters"
        return json.dumps(value, ensure_ascii=_SURROGATE.search(value) is not None)
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 40 else "a very long number"
    return "a list" if isinstance(value, list) else "an object"


class Validator:
    """Checks a parsed run, check-in or follow-up of an export and collects each problem with its JSON path
    (at most MAX_PROBLEMS; ``more`` counts the rest)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.more = 0

    def fail(self, path: str, reason: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{path.removeprefix('.') or '(the document)'}: {reason}")
        else:
            self.more += 1

    def obj(self, value: object, path: str, known: set[str], required: tuple[str, ...]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, got {show_value(value)}")
            return None
        for key in getattr(value, "duplicates", []):
            self.fail(f"{path}.{_key(key)}", "appears twice in the same object")
        for key in value:
            if key not in known:
                self.fail(f"{path}.{_key(key)}", "unknown field")
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}", "missing")
        return value

    def merge(self, other: Validator) -> None:
        """Add ``other``'s problems after this one's (the cap still applies)."""
        for problem in other.problems:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)
            else:
                self.more += 1
        self.more += other.more

    def run(self, value: object, path: str) -> ImportedRun | None:
        data = self.obj(value, path, RUN_FIELDS, ("session_id", "started_at"))
        if data is None:
            return None
        run = ImportedRun(session_id=self.ident(data, "session_id", path),
                          started_at=self.moment(data, "started_at", path),
                          ended_at=self.moment(data, "ended_at", path, nullable=True) or None,
                          completed=self.flag(data, "completed", path))
        if data.get("followup") is not None:
            run.followup = self.followup(data["followup"], f"{path}.followup")
        checkins = data.get("checkins", [])
        if not isinstance(checkins, list):  # a list's items are read one at a time by _Importer
            self.fail(f"{path}.checkins", f"must be a list, got {show_value(checkins)}")
        return run

    def checkin(self, value: object, path: str) -> ImportedCheckin | None:
        data = self.obj(value, path, CHECKIN_FIELDS, ("snippet_id", "answered_at"))
        if data is None:
            return None
        return ImportedCheckin(
            snippet_id=self.ident(data, "snippet_id", path), answered_at=self.moment(data, "answered_at", path),
            skipped=self.flag(data, "skipped", path), discomfort=self.integer(data, "discomfort", path, 0, 10),
            ease=self.integer(data, "ease", path, 1, 5), body_areas=self.areas(data, path),
            note=self.text(data, "note", path), answers=self.answers(data.get("answers", {}), f"{path}.answers"),
        )

    def followup(self, value: object, path: str) -> ImportedFollowup | None:
        data = self.obj(value, path, FOLLOWUP_FIELDS, ("asked_on", "answer"))
        if data is None:
            return None
        asked_on = data.get("asked_on")
        if "asked_on" in data and not _is_date(asked_on):
            self.fail(f"{path}.asked_on", f"must be a date like 2026-11-24, got {show_value(asked_on)}")
        answer = data.get("answer")
        if answer is not None and answer not in FOLLOWUP_ANSWERS:
            self.fail(f"{path}.answer", f'must be "better", "same", "worse" or null, got {show_value(answer)}')
        return ImportedFollowup(asked_on=str(asked_on), answer=answer if isinstance(answer, str) else None,
                                note=self.text(data, "note", path),
                                answered_at=self.moment(data, "answered_at", path, nullable=True) or None)

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if key not in data:
            return ""
        if not isinstance(value, str) or not _is_id(value):
            self.fail(f"{path}.{key}", f"must be an id of letters, digits and - _ . : (up to {MAX_ID_CHARS} "
                                       f"characters), got {show_value(value)}")
            return ""
        return value

    def moment(self, data: Mapping[str, Any], key: str, path: str, *, nullable: bool = False) -> str:
        value = data.get(key)
        if key not in data or (value is None and nullable):
            return ""
        if isinstance(value, str) and len(value) <= 40:
            try:
                if _CANONICAL_TIME.fullmatch(value):
                    datetime.fromisoformat(value[:-1])  # a real day and time: then it is stored as it is
                    return value
                return iso_utc(parse_utc(value))
            except ValueError:
                pass
        self.fail(f"{path}.{key}", "must be an ISO-8601 time with a time zone, like 2026-11-23T09:15:02.120Z, "
                                   f"got {show_value(value)}")
        return ""

    def flag(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"must be true or false, got {show_value(value)}")
            return False
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if type(value) is not int or not low <= value <= high:
            self.fail(f"{path}.{key}", f"must be a whole number {low}-{high} or null, got {show_value(value)}")
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, got {show_value(value)}")
            return ""
        if len(value) > MAX_NOTE_CHARS:
            self.fail(f"{path}.{key}", f"must be at most {MAX_NOTE_CHARS:,} characters, got {len(value):,}")
            return ""
        if _SURROGATE.search(value):
            self.fail(f"{path}.{key}", f"holds {_surrogate(value)}, which is not text (a lone UTF-16 surrogate)")
            return ""
        return value

    def areas(self, data: Mapping[str, Any], path: str) -> list[str]:
        value = data.get("body_areas", [])
        known = _known_areas()
        if not isinstance(value, list) or len(value) > len(known):
            self.fail(f"{path}.body_areas", f"must be a list of body area ids, got {show_value(value)}")
            return []
        for index, area in enumerate(value):
            if not isinstance(area, str):
                self.fail(f"{path}.body_areas[{index}]", f"must be a body area id (text), got {show_value(area)}")
            elif area not in known:
                self.fail(f"{path}.body_areas[{index}]", f"unknown body area {show_value(area)}")
        if len(set(map(str, value))) != len(value):
            self.fail(f"{path}.body_areas", "lists an area twice")
        return [str(a) for a in value]

    def answers(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object of question id: answer, got {show_value(value)}")
            return {}
        for key in getattr(value, "duplicates", []):
            self.fail(f"{path}.{_key(key)}", "appears twice in the same object")
        found: dict[str, Any] = {}
        for key, answer in value.items():
            where = f"{path}.{_key(key)}"
            if not _is_id(key) or key in STANDARD_IDS:
                self.fail(where, f"must be a custom question id (letters, digits and - _ . : up to {MAX_ID_CHARS} "
                                 "characters; not discomfort, ease, body-areas or note)")
            elif self.answer(answer, where):
                found[key] = answer
        return found

    def answer(self, value: object, path: str) -> bool:
        # Answers carry no kind: each is read by the question kind its JSON shape belongs to (question_kinds).
        try:
            answer_from_json(value)
        except AnswerError as exc:
            self.fail(path, exc.reason)
            return False
        if isinstance(value, str) and _SURROGATE.search(value):
            self.fail(path, f"holds {_surrogate(value)}, which is not text (a lone UTF-16 surrogate)")
            return False
        for index, item in enumerate(value if isinstance(value, list) else []):
            if _SURROGATE.search(item):
                self.fail(f"{path}[{index}]", f"holds {_surrogate(item)}, which is not text (a lone UTF-16 "
                                              "surrogate)")
                return False
        return True


@cache
def _known_areas() -> frozenset[str]:
    return frozenset(body_area_values())


def _surrogate(value: str) -> str:
    found = _SURROGATE.search(value)
    return f"\\u{ord(found.group()):04x}" if found else "nothing odd"


def _key(key: str) -> str:
    """An object key as it appears in a problem's path: plain keys as they are, others quoted and shortened."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key):
        return key
    return json.dumps(key if len(key) <= 40 else key[:37] + "...", ensure_ascii=True)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID_CHARS and _is_id_text(value)


@lru_cache(maxsize=4096)  # a journal holds few distinct ids, each checked thousands of times
def _is_id_text(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
