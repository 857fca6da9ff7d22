"""Opening the journal with the user: a refused file is kept unless they agree otherwise.

Damaged, too new, another program's SQLite file, or an empty journal beside a WAL that holds data: the
user chooses between quitting and keeping the file aside (renamed with its -wal and -shm, never changed)
to start fresh; for a lone WAL, what it holds is recovered into the fresh journal where possible. A
journal that is only locked, read-only or on a full disk is told (in a dialog and on stderr) and the app
quits, leaving it alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from player.core.errors import (
    JournalDamagedError,
    JournalError,
    JournalForeignError,
    JournalOrphanWalError,
    JournalTooNewError,
)
from player.core.journal.health import recover_from_wal, side_file
from player.core.journal.store import Journal, set_aside

REFUSED = (JournalDamagedError, JournalTooNewError, JournalForeignError)


def open_journal_with_consent(path: Path, *, now: datetime, parent: QWidget | None = None,
                              before_asking: Callable[[], object] = lambda: None) -> Journal | None:
    """Open the journal; on a refused file ask before starting a fresh one. None: the user quit (or was told
    why the journal cannot be used). ``before_asking`` runs before any dialog (a playing snippet pauses)."""
    try:
        return Journal.open(path)
    except REFUSED as exc:
        before_asking()
        if not _ask_fresh_start(exc, path, parent):
            return None
        try:
            kept = set_aside(path, now=now)
            recovered = _recover(kept) if isinstance(exc, JournalOrphanWalError) else ""
            QMessageBox.information(parent, "Movement Player",
                                    f"Your old journal was kept as:\n{kept}\n\n"
                                    f"{recovered or 'A fresh journal starts now.'}")
            return Journal.open(path)
        except JournalError as error:
            _tell(parent, error)
            return None
    except JournalError as exc:
        before_asking()
        _tell(parent, exc)
        return None


def _recover(kept: Path) -> str:
    """Rebuild the journal from the kept WAL into the journal's place; what to tell the user ("" if nothing)."""
    journal = kept.with_name(kept.name.split(".set-aside-")[0] + kept.suffix)
    health = recover_from_wal(side_file(kept, "-wal"), journal)
    if health is None:
        return "What it held could not be recovered (the WAL does not hold a whole journal); a fresh journal " \
               "starts now."
    return (f"Recovered from it: {health.runs} runs and {health.checkins} check-ins. They are your journal "
            "now.")


def _tell(parent: QWidget | None, error: JournalError) -> None:
    print(error.message, file=sys.stderr)  # started from a terminal, or the dialog never shows
    QMessageBox.critical(parent, "Movement Player", error.message)


def _ask_fresh_start(error: JournalError, path: Path, parent: QWidget | None) -> bool:
    if isinstance(error, JournalTooNewError):
        advice = "Update Movement Player to open it."
    elif isinstance(error, JournalForeignError):
        advice = "Nothing has been changed in it. Another program may need it where it is."
    elif isinstance(error, JournalOrphanWalError):
        advice = ("Nothing has been changed in it. Keeping it aside keeps both files together, and the app then "
                  "recovers what the WAL holds into a fresh journal where it can.")
    else:
        advice = "Nothing has been changed in it. You can try to rescue it with sqlite3's .recover command."
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Movement Player: journal problem")
    box.setText(error.message)
    box.setInformativeText(
        f"{advice}\n\nYou can quit now, or keep the file aside (renamed, never deleted) and start a "
        f"fresh journal at {path}."
    )
    fresh = box.addButton("Keep it aside and start fresh", QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_button)
    box.exec()
    return box.clickedButton() is fresh
