"""The File menu's journal actions: export (CSV, JSON, Markdown, a PDF report), import a JSON export, and
back up the journal — each through a file dialog, with problems told in plain words (never a traceback)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from player.core.errors import JournalError
from player.core.journal.backup import backup_journal
from player.core.journal.export_formats import ExportScope, format_named, write_export
from player.core.journal.imports import JournalImportError, import_file
from player.core.journal.review import RunFilter, SessionCatalog
from player.core.journal.store import Journal

# An import refused for many reasons lists this many of them.
SHOWN_PROBLEMS = 20


def ask_save_path(parent: QWidget, *, caption: str, suggested: Path, suffix: str, file_filter: str) -> Path | None:
    """A file name from the save dialog (the suffix added when left out), or None when cancelled."""
    name, _chosen = QFileDialog.getSaveFileName(parent, caption, str(suggested), file_filter)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_name(f"{path.name}.{suffix}")


def export_journal(parent: QWidget, journal: Journal, *, format: str, folder: Path, today: date,
                   catalog: SessionCatalog, scope: RunFilter | None = None, scope_text: str = "") -> Path | None:
    """Ask where, then write the export of the runs in ``scope`` (its dates and session; None: all runs);
    returns the file written, or None."""
    scope = scope or RunFilter()
    fmt = format_named(format)
    caption = f"Export your journal as {fmt.title}"
    path = ask_save_path(parent, caption=caption + (f" ({scope_text})" if scope_text else ""),
                         suggested=folder / f"movement-journal-{today.isoformat()}.{fmt.extension}",
                         suffix=fmt.extension, file_filter=fmt.file_filter)
    if path is None:
        return None
    try:
        count = write_export(journal, path, format=fmt.name, scope=ExportScope(
            since=scope.since, until=scope.until, session_id=scope.session_id, catalog=catalog, today=today))
    except JournalError as exc:
        _warn(parent, "The journal was not exported", exc.message)
        return None
    runs = "1 run" if count == 1 else f"{count} runs"
    QMessageBox.information(parent, "Journal exported", f"Exported {runs} to\n{path}")
    return path


def import_journal(parent: QWidget, journal: Journal, *, folder: Path) -> Path | None:
    """Ask for a JSON export and add what the journal lacks; the file or None (cancelled or refused)."""
    name, _chosen = QFileDialog.getOpenFileName(parent, "Import a journal export (JSON)", str(folder),
                                                "JSON files (*.json);;All files (*)")
    if not name:
        return None
    path = Path(name)
    try:
        result = import_file(journal, path)
    except JournalImportError as exc:
        shown = exc.problems[:SHOWN_PROBLEMS]
        hidden = len(exc.problems) - len(shown) + exc.more
        details = "\n".join(shown) + (f"\n... and {hidden} more" if hidden > 0 else "")
        _warn(parent, "Nothing was imported", f"{path.name}: {exc.message}\nYour journal is unchanged.", details)
        return None
    except JournalError as exc:
        _warn(parent, "Nothing was imported", f"{exc.message}\nYour journal is unchanged.")
        return None
    text = (f"Imported {result.runs_added} runs, {result.checkins_added} check-ins and {result.followups_added} "
            f"follow-ups from {path.name}.")
    if result.runs_present or result.checkins_present:
        text += (f"\n\nAlready in your journal, left as they were: {result.runs_present} runs, "
                 f"{result.checkins_present} check-ins.")
    QMessageBox.information(parent, "Journal imported", text)
    return path


def back_up_journal(parent: QWidget, journal: Journal, *, folder: Path, today: date) -> Path | None:
    """Ask where, then copy the journal with SQLite's online backup; the copy's path or None."""
    path = ask_save_path(parent, caption="Back up your journal", suffix="db",
                         suggested=folder / f"movement-journal-backup-{today.isoformat()}.db",
                         file_filter="SQLite database (*.db)")
    if path is None:
        return None
    try:
        result = backup_journal(journal.path, path, overwrite=True)  # the dialog asked before replacing
    except JournalError as exc:
        _warn(parent, "The journal was not backed up", exc.message)
        return None
    if result.integrity != "ok":
        _warn(parent, "The backup has a problem", f"The copy at {path} was made, but the journal fails its "
              f"integrity check: {result.integrity}")
        return None
    QMessageBox.information(parent, "Journal backed up",
                            f"Backed up {result.runs} runs and {result.checkins} check-ins to\n{path}\n\n"
                            "To restore it, see “Backup” in the README.")
    return path


def _warn(parent: QWidget, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()
