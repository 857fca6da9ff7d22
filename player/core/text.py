"""Text from files and keys, made safe to show: control characters and terminal escapes never reach a
console raw, and labels that must stay on one line can be checked for them.
"""

from __future__ import annotations

import unicodedata

# Characters that reorder the text around them (bidirectional overrides and isolates): shown escaped,
# so a label cannot make the rest of a line read backwards.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(char: str) -> bool:
    """True for a character that is no visible text: C0/C1 controls (newline, ESC, DEL ...), line and
    paragraph separators, bidirectional controls, and lone surrogates."""
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS


def control_characters(text: str) -> list[str]:
    """The distinct control characters in ``text`` (see :func:`is_control`), as ``U+001B`` names, in order."""
    found: list[str] = []
    for char in text:
        name = f"U+{ord(char):04X}"
        if is_control(char) and name not in found:
            found.append(name)
    return found


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``), so a
    terminal shows it and obeys none of it. Visible text is left as it is."""
    if not any(is_control(char) for char in text):
        return text
    return "".join(_escaped(char) if is_control(char) else char for char in text)


def _escaped(char: str) -> str:
    shown = repr(char)[1:-1]
    if shown == char:  # repr leaves some separators as they are
        return f"\\u{ord(char):04x}"
    return shown
