"""Opening the journal with the user: a damaged or too-new file is kept unless they agree otherwise."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from player.core.errors import JournalDamagedError, JournalError, JournalTooNewError
from player.core.journal.store import Journal, set_aside


def open_journal_with_consent(path: Path, *, now: datetime, parent: QWidget | None = None) -> Journal | None:
    """Open the journal; on a damaged or too-new file ask before starting a fresh one. None: the user quit."""
    try:
        return Journal.open(path)
    except (JournalDamagedError, JournalTooNewError) as exc:
        if not _ask_fresh_start(exc, path, parent):
            return None
        kept = set_aside(path, now=now)
        QMessageBox.information(parent, "Movement Player",
                                f"Your old journal was kept as:\n{kept}\n\nA fresh journal starts now.")
        return Journal.open(path)
    except JournalError as exc:
        QMessageBox.critical(parent, "Movement Player", exc.message)
        return None


def _ask_fresh_start(error: JournalError, path: Path, parent: QWidget | None) -> bool:
    advice = (
        "Update Movement Player to open it." if isinstance(error, JournalTooNewError)
        else "Nothing has been changed in it. You can try to rescue it with sqlite3's .recover command."
    )
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
