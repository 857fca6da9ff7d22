"""``movement-player sessions``: the library as a table (id, title, snippets, duration, status). No Qt."""

from __future__ import annotations

from pathlib import Path

from player.core.session.library import LibraryEntry, library_roots, scan_library
from player.core.session.manifest import Session
from player.core.text import printable


def run_sessions(data_directory: Path) -> int:
    """Print every session of the library and its problems; returns the exit code (always 0)."""
    entries = scan_library(library_roots(data_directory))
    if not entries:
        print("No sessions found.")
        return 0
    from player.core.licensing.keystore import LICENSES_DIRNAME, LicenseStore

    sessions = [e.session for e in entries if e.session is not None and e.available]
    licensed = set(LicenseStore(data_directory / LICENSES_DIRNAME).verified(sessions)[0])
    rows = [("ID", "TITLE", "SNIPPETS", "DURATION", "STATUS")]
    for entry in entries:
        session = entry.session
        count = _count(session) if session else "-"
        duration = _minutes(session.preview_duration_s + session.full_duration_s) if session else "-"
        rows.append((printable(entry.session_id), printable(entry.title), count, duration, _status(entry, licensed)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for entry in entries:
        for problem in entry.problems:
            print(f"  {printable(entry.session_id)}: {printable(problem.message)}")  # file text: never obeyed
    return 0


def _status(entry: LibraryEntry, licensed: set[str]) -> str:
    if entry.session is None:
        return "broken manifest"
    if not entry.available:
        return "unavailable"
    if entry.session.full is None:
        return "ready"
    return "ready, full session " + ("unlocked" if entry.session_id in licensed else "locked")


def _count(session: Session) -> str:
    paid = f" + {len(session.full.parts)} paid" if session.full else ""
    return f"{len(session.preview)}{paid}"


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"
