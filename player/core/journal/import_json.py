"""Reading a journal export's JSON text a run (and within a run a check-in) at a time, with bounded memory.

:class:`Scanner` walks the top two levels by hand and hands each value to ``json``; a text denser in lists,
objects, strings or numbers than an export has each value measured before it is parsed. Problems with the
text itself (not JSON, nested too deeply, a value too long) raise JournalImportError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NoReturn

from player.core.errors import JournalImportError

# A document nested deeper than this is not a journal export (an export is four levels deep).
MAX_DEPTH = 500
# A document that is not an object is parsed (to name what it is) only when it is this small.
_SMALL_DOCUMENT_CHARS = 64 * 1024
# Above these shares of the text (lists and objects, quotes, commas per character), values are measured
# before they are parsed. A pretty-printed export has ~1 %, ~8 % and ~3 %; a compact one ~2 %, ~14 %, ~6 %.
DENSE_CONTAINERS = 0.025
DENSE_QUOTES = 0.16
DENSE_COMMAS = 0.08
# The longest value parsed in one go when values are measured: a run of 3,000 check-ins is shorter.
MAX_VALUE_CHARS = 1024**2
_OPENERS = '[{"'
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_CHARS = " \t\n\r"


class Scanner:
    """Walks the top two levels of a JSON text by hand; everything below is parsed by json, one value at a time."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.pos = 0
        # A text denser in lists, objects, strings or numbers than an export gets each value measured before
        # it is parsed (parsed, [[],[],...] takes ~25 bytes of memory per byte); an export is read at full speed.
        size = max(len(text), 1)
        self.guarded = ((text.count("[") + text.count("{")) / size > DENSE_CONTAINERS
                        or text.count('"') / size > DENSE_QUOTES or text.count(",") / size > DENSE_COMMAS)

    def fail(self, what: str) -> NoReturn:
        error = json.JSONDecodeError(what, self.text, min(self.pos, len(self.text)))
        raise JournalImportError(f"{self.name} is not valid JSON: {str(error).rstrip('.')}.")

    def peek(self) -> str:
        char = self.text[self.pos:self.pos + 1]
        if char in _SPACE_CHARS and char:
            match = _SPACE.match(self.text, self.pos)
            self.pos = match.end() if match else self.pos
            char = self.text[self.pos:self.pos + 1]
        return char

    def take(self, char: str, what: str) -> None:
        if self.peek() != char:
            self.fail(what)
        self.pos += 1

    def value(self, decoder: json.JSONDecoder | None = None) -> object:
        if self.peek() in _OPENERS and self.guarded:
            self.check_length(self.pos)
        try:
            value, self.pos = (decoder or DECODER).raw_decode(self.text, self.pos)
        except RecursionError:
            raise JournalImportError(f"{self.name} is nested too deeply to be a journal export.") from None
        except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers too long to convert
            raise JournalImportError(f"{self.name} is not valid JSON: {str(exc).rstrip('.')}.") from exc
        return value

    def check_length(self, start: int) -> None:
        """Raise JournalImportError when the value at ``start`` is longer than MAX_VALUE_CHARS (measured by
        its brackets and strings, without parsing it)."""
        end = value_end(self.text, start, MAX_VALUE_CHARS)
        if end is None:
            raise JournalImportError(f"{self.name}: the value at character {start:,} is longer than "
                                     f"{MAX_VALUE_CHARS:,} characters; no run or check-in of an export is.")

    def small_object(self) -> dict[str, Any] | None:
        """The object here, parsed whole when it holds at most RUN_OBJECTS_IN_ONE_GO objects; else None
        (nothing consumed: the caller reads it member by member, keeping memory bounded)."""
        start = self.pos
        if self.guarded and value_end(self.text, start, MAX_VALUE_CHARS) is None:
            return None
        _BUDGET[0] = RUN_OBJECTS_IN_ONE_GO
        try:
            value = self.value(BUDGETED)
        except OverBudget:
            self.pos = start
            return None
        finally:
            _BUDGET[0] = -1
        assert isinstance(value, dict)
        return value

    def small_value(self) -> object:
        """The whole document when it is not an object: parsed only when small, else named by its first character."""
        self.peek()
        rest = self.text[self.pos:self.pos + MAX_DEPTH + 1]
        if len(rest) - len(rest.lstrip("[{ \t\r\n")) > MAX_DEPTH:
            raise JournalImportError(f"{self.name} is nested too deeply to be a journal export.")
        if len(self.text) - self.pos <= _SMALL_DOCUMENT_CHARS:
            return self.value()
        self.pos = len(self.text)
        return [] if rest.startswith("[") else ""

    def members(self) -> Iterator[str]:
        """The keys of an object, in order; the caller reads each value."""
        self.take("{", "Expecting '{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                self.fail("Expecting property name enclosed in double quotes")
            key = self.value()
            assert isinstance(key, str)
            self.take(":", "Expecting ':' delimiter")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("}", "Expecting ',' delimiter")
            return

    def elements(self) -> Iterator[int]:
        """The indexes of a list's items, in order; the caller reads each item."""
        self.take("[", "Expecting '['")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("]", "Expecting ',' delimiter")
            return

    def end(self) -> None:
        if self.peek():
            self.fail("Extra data")


def value_end(text: str, start: int, limit: int) -> int | None:
    """Where the list, object or string starting at ``start`` ends, or None when it runs past ``limit``
    characters (or never ends)."""
    depth = 0
    for token in _TOKEN.finditer(text, start):
        if token.end() - start > limit:
            return None
        first = text[token.start()]
        if first in "[{":
            depth += 1
        elif first in "]}":
            depth -= 1
        if depth <= 0:
            return token.end()
    return None


class JsonObject(dict[str, Any]):
    """A JSON object that remembers keys given twice (json.loads would silently keep the last)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.duplicates: list[str] = []

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """A plain dict (small, fast) unless a key is given twice: then an JsonObject that names it."""
        plain = dict(pairs)
        if len(plain) == len(pairs):
            return plain
        made = cls(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in made.duplicates:
                    made.duplicates.append(key)
                seen.add(key)
        return made


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


DECODER = json.JSONDecoder(object_pairs_hook=JsonObject.from_pairs, parse_constant=_no_constant)
# Objects a run may still hold to be parsed in one go (an ordinary run holds a few dozen); -1: no budget.
RUN_OBJECTS_IN_ONE_GO = 1_000
_BUDGET = [-1]


class OverBudget(Exception):
    """More objects than the budget: parse this value piece by piece instead."""


def _budgeted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if _BUDGET[0] == 0:
        raise OverBudget
    _BUDGET[0] -= 1
    return JsonObject.from_pairs(pairs)


BUDGETED = json.JSONDecoder(object_pairs_hook=_budgeted_pairs, parse_constant=_no_constant)
