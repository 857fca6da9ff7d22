"""File ▸ Restore an automatic backup: what each backup holds, then the journal replaced by the chosen one
(the journal as it is now is kept aside first)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from player.core.defaults import AUTO_BACKUPS_KEPT, BACKUPS_DIRNAME
from player.core.errors import JournalError
from player.core.journal.backup import BackupInfo, list_backups, restore_backup
from player.core.journal.store import Journal
from player.core.localtime import local_day


def describe(info: BackupInfo) -> str:
    """One backup in words: ``Mon 23 Nov 2026: 12 runs, 48 check-ins (2 Nov 2026 to 22 Nov 2026), 0.3 MB``."""
    made = f"{info.made_on:%a} {info.made_on.day} {info.made_on:%b %Y}"
    if info.problem:
        return f"{made}: cannot be restored ({info.problem})"
    span = ""
    if info.first_run and info.last_run:
        first, last = local_day(info.first_run), local_day(info.last_run)
        span = f" ({first.day} {first:%b %Y} to {last.day} {last:%b %Y})"
    return f"{made}: {info.runs} runs, {info.checkins} check-ins{span}, {info.size_bytes / 1e6:.1f} MB"


class RestoreDialog(QDialog):
    """The automatic backups, newest first; Restore is enabled for a healthy one."""

    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore an automatic backup")
        self.backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel("Your journal is backed up after a session ends, at most once a day; the last "
                       f"{AUTO_BACKUPS_KEPT} are kept. Choose one to put back in place of your journal. Your "
                       "journal as it is now is kept first, beside it.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.list = QListWidget()
        for info in backups:
            item = QListWidgetItem(describe(info))
            if info.problem:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(lambda _row: self.restore_button.setEnabled(self.chosen() is not None))
        healthy = next((row for row, info in enumerate(backups) if not info.problem), None)
        if healthy is not None:
            self.list.setCurrentRow(healthy)
        self.list.setFocus()

    def chosen(self) -> BackupInfo | None:
        """The selected backup when it can be restored."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.backups) or self.backups[row].problem:
            return None
        return self.backups[row]


def restore_from_backup(parent: QWidget, journal: Journal, *, now: datetime) -> bool:
    """Show the automatic backups and restore the one chosen (after asking); True when the journal changed.

    Every journal problem is told in a message box, never raised.
    """
    backups = list_backups(journal.path)
    if not backups:
        QMessageBox.information(parent, "No automatic backups yet",
                                "Your journal is backed up after a session ends, at most once a day, into "
                                f"{journal.path.parent / BACKUPS_DIRNAME}. There is none yet.")
        return False
    dialog = RestoreDialog(backups, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or (info := dialog.chosen()) is None:
        return False
    answer = QMessageBox.question(
        parent, "Restore this backup?",
        f"Put the backup of {describe(info)} in place of your journal?\n\nYour journal as it is now is kept "
        "first, as a file beside it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        kept = restore_backup(journal, info.path, now=now)
    except JournalError as exc:
        QMessageBox.warning(parent, "The backup was not restored", f"{exc.message}\nYour journal is unchanged.")
        return False
    QMessageBox.information(parent, "Backup restored",
                            f"Your journal now holds the backup of {info.made_on:%d %b %Y}.\n\nYour journal as it "
                            f"was is kept as:\n{kept}")
    return True
