"""Reading WebVTT cue files: enough to show a snippet's first cue before it plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cue:
    """One cue: its start and end in milliseconds, and its text (lines joined by a space)."""

    start_ms: int
    end_ms: int
    text: str


def parse_timestamp_ms(text: str) -> int:
    """``"00:01:02.500"`` or ``"01:02.500"`` -> milliseconds; ValueError when malformed."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or "." not in parts[-1]:
        raise ValueError(f"not a WebVTT time: {text!r}")
    seconds, millis = parts[-1].split(".")
    hours = int(parts[0]) if len(parts) == 3 else 0
    return ((hours * 60 + int(parts[-2])) * 60 + int(seconds)) * 1000 + int(millis.ljust(3, "0")[:3])


def read_cues(path: Path) -> list[Cue]:
    """Every cue of a WebVTT file, in order; a missing or malformed file gives what could be read."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    cues: list[Cue] = []
    for index, line in enumerate(lines):
        if "-->" not in line:
            continue
        start, _, rest = line.partition("-->")
        try:
            start_ms, end_ms = parse_timestamp_ms(start), parse_timestamp_ms(rest.split()[0])
        except (ValueError, IndexError):
            continue
        text_lines = []
        for text_line in lines[index + 1 :]:
            if not text_line.strip():
                break
            text_lines.append(text_line.strip())
        cues.append(Cue(start_ms, end_ms, " ".join(text_lines)))
    return cues


def first_cue_text(path: Path | None) -> str:
    """The first cue's text of ``path``, or "" when there is none."""
    cues = read_cues(path) if path is not None else []
    return cues[0].text if cues else ""
