"""Fixing the journal by hand: edit or delete a check-in (a mistyped entry), each in one transaction."""

from __future__ import annotations

import json

from player.core.defaults import MAX_NOTE_CHARS
from player.core.errors import JournalError
from player.core.journal.store import Answers, Checkin, Journal, write_answers
from player.core.session.questions import body_area_values


def update_checkin(journal: Journal, checkin_id: int, answers: Answers, *, skipped: bool = False) -> Checkin:
    """Replace a check-in's answers (its custom answers too) in one transaction; its time and snippet stay.

    Raises JournalError for an unknown check-in or a value a check-in cannot hold (see check_answers).
    """
    check_answers(answers)
    journal.checkin(checkin_id)
    with journal.writing("save the corrected check-in") as conn:
        conn.execute(
            "update checkins set discomfort = ?, ease = ?, body_areas = ?, note = ?, skipped = ? where id = ?",
            [answers.discomfort, answers.ease, json.dumps(list(answers.body_areas)), answers.note, int(skipped),
             checkin_id])
        conn.execute("delete from answers where checkin_id = ?", [checkin_id])
        write_answers(conn, checkin_id, answers)
    return journal.checkin(checkin_id)


def delete_checkin(journal: Journal, checkin_id: int) -> None:
    """Delete a check-in and its custom answers in one transaction; JournalError when there is none."""
    journal.checkin(checkin_id)
    with journal.writing("delete the check-in") as conn:
        conn.execute("delete from answers where checkin_id = ?", [checkin_id])
        conn.execute("delete from checkins where id = ?", [checkin_id])


def check_answers(answers: Answers) -> None:
    """Raise JournalError unless discomfort is 0-10, ease 1-5, body areas known and the note not too long."""
    if answers.discomfort is not None and not 0 <= answers.discomfort <= 10:
        raise JournalError(f"Discomfort is 0-10, not {answers.discomfort}.")
    if answers.ease is not None and not 1 <= answers.ease <= 5:
        raise JournalError(f"Ease is 1-5, not {answers.ease}.")
    known = set(body_area_values())
    unknown = [area for area in answers.body_areas if area not in known]
    if unknown:
        raise JournalError(f"Unknown body area {unknown[0]!r}.")
    check_note(answers.note)


def check_note(note: str) -> None:
    """Raise JournalError when ``note`` is longer than MAX_NOTE_CHARS."""
    if len(note) > MAX_NOTE_CHARS:
        raise JournalError(f"A note holds up to {MAX_NOTE_CHARS:,} characters, not {len(note):,}.")
