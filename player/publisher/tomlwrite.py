"""Write session manifests as TOML (the standard library reads TOML but cannot write it).

Only what manifests hold: strings, integers, finite floats, booleans, dates and times, lists and inline
tables as values;
top-level keys, then tables and arrays of tables in the order given.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    """A key, bare when it can be, else quoted."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL, which JSON leaves as it is."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def toml_value(value: Any) -> str:
    """One inline value. Raises ValueError for a type or number TOML manifests cannot hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written to a manifest")
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date; TOML writes all three bare, ISO 8601
        return value.isoformat()
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValueError(f"a {type(value).__name__} cannot be written to a manifest")


def key_values(table: Mapping[str, Any]) -> list[str]:
    """``key = value`` lines of a table's entries."""
    return [f"{toml_key(key)} = {toml_value(value)}" for key, value in table.items()]


def table(name: str, entries: Mapping[str, Any]) -> str:
    """A ``[name]`` table with its entries."""
    return "\n".join([f"[{name}]", *key_values(entries)]) + "\n"


def array_of_tables(name: str, tables: Sequence[Mapping[str, Any]]) -> str:
    """``[[name]]`` blocks, one per table, separated by blank lines."""
    return "\n".join("\n".join([f"[[{name}]]", *key_values(entries)]) + "\n" for entries in tables)
