"""Reading WebVTT cue files: enough to show a snippet's first cue before it plays.

One pass over the lines, in time and memory linear in the file: a cue's text ends at a blank line or
at the next timing line (WebVTT cue text never holds ``-->``), so no line is read twice. Files larger
than MAX_CUE_FILE_BYTES are not read at all. The library reads each cue file once, with its manifest
(``Snippet.first_cue``, and :func:`read_cues` keeps the parsed cues while the file is unchanged), so
nothing is parsed before each snippet.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from player.core.bounded import UnreadableFileError, read_bytes_limited
from player.core.defaults import MAX_CUE_FILE_BYTES

_CACHE: OrderedDict[tuple[str, int, int, int], tuple[Cue, ...]] = OrderedDict()
_CACHE_FILES = 256  # cue files kept parsed: a large library's worth, at most a few MiB each
_TIME = re.compile(r"(?:(\d{1,9}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})")


@dataclass(frozen=True)
class Cue:
    """One cue: its start and end in milliseconds, and its text (lines joined by a space)."""

    start_ms: int
    end_ms: int
    text: str


def parse_timestamp_ms(text: str) -> int:
    """``"00:01:02.500"`` or ``"01:02.500"`` -> milliseconds; ValueError when malformed."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a WebVTT time: {text[:40]!r}")
    hours, minutes, seconds, millis = match.groups()
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis.ljust(3, "0"))


def _timing(line: str) -> tuple[int, int] | None:
    start, _, rest = line.partition("-->")
    words = rest.split(None, 1)
    if not words:
        return None
    try:
        return parse_timestamp_ms(start), parse_timestamp_ms(words[0])
    except ValueError:
        return None


def parse_cues(text: str, *, limit: int | None = None) -> list[Cue]:
    """Every cue of WebVTT ``text`` in order (at most ``limit``); lines that are not cues are skipped.

    Linear in the length of ``text``; never raises.
    """
    lines = text.splitlines()
    cues: list[Cue] = []
    index = 0
    while index < len(lines) and (limit is None or len(cues) < limit):
        line = lines[index]
        index += 1
        if "-->" not in line:
            continue
        times = _timing(line)
        text_lines: list[str] = []
        while index < len(lines) and lines[index].strip() and "-->" not in lines[index]:
            text_lines.append(lines[index].strip())
            index += 1
        if times is not None:
            cues.append(Cue(times[0], times[1], " ".join(text_lines)))
    return cues


def first_cue_in(text: str) -> str:
    """The first cue's text in WebVTT ``text`` ("" when there is none)."""
    cues = parse_cues(text, limit=1)
    return cues[0].text if cues else ""


def read_cues(path: Path, *, max_bytes: int = MAX_CUE_FILE_BYTES) -> list[Cue]:
    """Every cue of a WebVTT file, in order; a missing, unreadable, special (FIFO, device) or too large
    (over ``max_bytes``) file gives no cues, a malformed one what could be read.

    A file is parsed once while it stays the same (same size and modification time): the library reads
    every cue file when it loads, so a player that asks again before a snippet gets the cues without
    parsing on the UI thread.
    """
    try:
        info = path.stat()
    except (OSError, ValueError):
        return []
    key = (str(path), info.st_mtime_ns, info.st_size, max_bytes)
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return list(cached)
    try:
        data = read_bytes_limited(path, max_bytes=max_bytes)
    except UnreadableFileError:
        return []
    cues = tuple(parse_cues(data.decode("utf-8", errors="replace")))
    _CACHE[key] = cues
    while len(_CACHE) > _CACHE_FILES:
        _CACHE.popitem(last=False)
    return list(cues)
