"""Today's automatic backup of the journal after a run ends, made on a worker thread so the summary shows at once.

One per app (JournalActions holds it and tells its failures; ``ui/app.py`` hands it to every run's
controller): one backup at a time, whichever run asked. It outlives the controllers, so a failure is told
even when the user has already left the summary page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from player.core.errors import JournalError

if TYPE_CHECKING:
    from player.core.journal.backup import BackgroundBackup


class AutoBackup(QObject):
    """Starts :class:`~player.core.journal.backup.BackgroundBackup` and tells its failure on the GUI thread."""

    failed = Signal(str)  # why today's backup was not made, in words; emitted on the GUI thread
    _failed_in_worker = Signal(str)  # emitted on the worker thread, queued on to `failed`

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: BackgroundBackup | None = None  # made when a run first ends: no backup code at start-up
        self._failed_in_worker.connect(self.failed, Qt.ConnectionType.QueuedConnection)

    def start(self, journal_path: Path, *, today: date) -> bool:
        """Start making today's backup unless there is one; returns at once. False while one is being made."""
        if self._worker is None:
            from player.core.journal.backup import BackgroundBackup

            self._worker = BackgroundBackup()
        return self._worker.start(journal_path, today=today, failed=self._tell)

    def wait(self, *, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` seconds for the backup being made; True when none is being made now."""
        return self._worker is None or self._worker.wait(timeout_s=timeout_s)

    def _tell(self, exc: JournalError) -> None:  # on the worker thread: only a queued signal, no widget
        try:
            self._failed_in_worker.emit(f"Today's automatic backup of your journal was not made: {exc.message}")
        except RuntimeError:
            pass  # the app was closed meanwhile: nobody is left to tell
