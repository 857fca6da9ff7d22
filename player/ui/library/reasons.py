"""Why a session cannot be opened, in words a practitioner understands; the technical lines on demand."""

from __future__ import annotations

from player.core.errors import ManifestError
from player.core.session.library import LibraryEntry

UNREADABLE = "This session's description file has a mistake, so the app cannot open it."
WHAT_TO_DO = "Installing the session again usually mends it; if not, its publisher can."


def plain_reason(problem: ManifestError, *, parsed: bool) -> str:
    """One sentence for ``problem`` without file names or field paths. ``parsed``: the manifest itself was
    read (then the problem is with a file it points at)."""
    field, reason = problem.field, problem.reason.casefold()
    if not parsed:
        return UNREADABLE
    if field.endswith(".media"):
        paid = field.startswith("full.")
        what = "A video of the full session" if paid else "A video of this session"
        if "file not found" in reason:
            return f"{what} is missing from this computer."
        return f"{what} is damaged or is not a video this app can play."
    if field.endswith(".cues"):
        return "The cue text of a snippet is missing or damaged."
    if field == "poster":
        return "The session's picture is missing or damaged."
    return UNREADABLE


def plain_reasons(entry: LibraryEntry) -> list[str]:
    """The distinct plain sentences for an unavailable entry, most telling first (empty when available)."""
    sentences: list[str] = []
    for problem in entry.problems:
        sentence = plain_reason(problem, parsed=entry.session is not None)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def technical_details(entry: LibraryEntry) -> str:
    """Every problem as ``file: field: reason``, one a line, for whoever mends the session."""
    return "\n".join(problem.message for problem in entry.problems)
