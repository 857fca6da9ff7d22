"""Small text formatters shared by the pages."""

from __future__ import annotations


def clock(milliseconds: int) -> str:
    """``75_400`` -> ``"1:15"``; hours appear only when needed (``"1:02:03"``)."""
    seconds = max(0, milliseconds) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def length(seconds: float) -> str:
    """A duration for people: ``"2 min 05 s"``, ``"45 s"``."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
