"""The journal in the running app: the Journal page (built when first opened), the File menu's export, import
and backup, the automatic backup after each run, and the next-day question at start. Journal problems are told
in words, never raised into Qt."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QWidget

from player.core.defaults import AUTO_BACKUP_QUIT_WAIT_S
from player.core.errors import JournalError
from player.core.journal.followups import followup_due, save_followup
from player.core.journal.review_filters import SessionCatalog
from player.core.journal.store import Journal
from player.core.localtime import local_day
from player.ui.journal.auto_backup import AutoBackup
from player.ui.main_window import MainWindow

if TYPE_CHECKING:
    from player.ui.journal.controller import JournalController


class JournalActions(QObject):
    """What the app does with the journal outside a practice run.

    ``run_in_progress()`` says whether a practice run still holds the player pages (Back from the journal
    returns there only then); ``leave_fullscreen`` is called before the Journal page shows. ``journal`` is
    None in the moment a start that plays first has not opened it yet: a command then has ``open_pending``
    open it at once (asking first where it must) and goes on when it opened.
    """

    def __init__(self, window: MainWindow, *, journal: Journal | None, catalog: Callable[[], SessionCatalog],
                 today: Callable[[], date], now: Callable[[], datetime], run_in_progress: Callable[[], bool],
                 leave_fullscreen: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.journal = journal
        self.catalog = catalog
        self.today = today
        self.now = now
        self.run_in_progress = run_in_progress
        self.leave_fullscreen = leave_fullscreen
        self.view: JournalController | None = None  # the Journal page's controller, once opened
        self._before: QWidget | None = None
        self._files_folder = Path.home()  # where the file dialogs open (the last folder used)
        self.open_pending: Callable[[], None] = lambda: None  # opens a journal not opened yet (see play_first)
        self.auto_backup = AutoBackup(self)  # every run's controller starts it: one at a time, told even after
        self.auto_backup.failed.connect(self._backup_failed)

    def let_backup_finish(self) -> None:
        """Once the window has closed (and freed the data directory): an automatic backup still being made gets
        a moment to finish, then is left (a daemon thread, stopped with the app; the backups already made stay,
        the next one removes its unfinished copy). A failure meanwhile is told on stderr."""
        self.auto_backup.wait(timeout_s=AUTO_BACKUP_QUIT_WAIT_S)
        QCoreApplication.sendPostedEvents(self.auto_backup)  # its failure, if one came: no event loop runs now

    def _backup_failed(self, message: str) -> None:
        if self.window.isVisible():
            self.window.tell(message)
        else:  # the window has closed: no dialog left behind it
            print(message, file=sys.stderr)

    def _opened(self) -> Journal | None:
        """The journal, opened now when a start that played first had not yet; None when it could not be
        (the user was told, or quit)."""
        if self.journal is None:
            self.open_pending()
        return self.journal

    def show(self) -> None:
        """The Journal page, refreshed; Back returns to the page before."""
        journal = self._opened()
        if journal is None:
            return
        view = self._journal_view(journal)
        if self.window.pages.currentWidget() is not view.page:
            self._before = self.window.pages.currentWidget()
        self.leave_fullscreen()
        view.refresh()
        self.window.show_page(view.page)
        view.page.focus_start()

    def _journal_view(self, journal: Journal) -> JournalController:
        if self.view is None:
            from player.ui.journal.controller import JournalController
            from player.ui.journal.page import JournalPage  # QtCharts: loaded when the journal is first opened

            catalog = self.catalog()
            page = JournalPage(catalog)
            self.window.add_journal_page(page)
            page.back_requested.connect(self._leave)
            self.view = JournalController(page, journal=journal, catalog=catalog, today=self.today,
                                          parent=self)
        return self.view

    def _leave(self) -> None:
        page = self._before
        run_pages = (self.window.player, self.window.checkin, self.window.summary)
        if page is None or (page in run_pages and not self.run_in_progress()):
            page = self.window.library
        self.window.show_page(page)

    def export(self, format: str) -> None:
        """File > Export: write the journal in ``format`` (a registered export format) where the user says.

        From the Journal page it covers the period and session chosen there; elsewhere, everything.
        """
        from player.ui.journal.files import export_journal

        journal = self._opened()
        if journal is None:
            return
        view = self.view
        on_page = view is not None and self.window.pages.currentWidget() is view.page
        scope, scope_text = view.export_scope() if view is not None and on_page else (None, "")
        path = export_journal(self.window, journal, format=format, folder=self._files_folder,
                              today=self.today(), catalog=self.catalog(), scope=scope, scope_text=scope_text)
        self._after_file_dialog(path)

    def import_runs(self) -> None:
        """File > Import: add the runs of a JSON export that the journal does not have yet."""
        from player.ui.journal.files import import_journal

        journal = self._opened()
        if journal is None:
            return
        path = import_journal(self.window, journal, folder=self._files_folder)
        if path is not None and self.view is not None:
            self.view.refresh()
        self._after_file_dialog(path)

    def back_up(self) -> None:
        """File > Back up journal: a consistent copy, made with SQLite's online backup."""
        from player.ui.journal.files import back_up_journal

        journal = self._opened()
        if journal is None:
            return
        self._after_file_dialog(back_up_journal(self.window, journal, folder=self._files_folder,
                                                today=self.today()))

    def restore(self) -> None:
        """File > Restore an automatic backup: choose one by what it holds; the journal as it is is kept first."""
        from player.ui.journal.restore_dialog import restore_from_backup

        journal = self._opened()
        if journal is None:
            return
        if restore_from_backup(self.window, journal, now=self.now()) and self.view is not None:
            self.view.refresh()
        self.window.take_keyboard_back()

    def _after_file_dialog(self, path: Path | None) -> None:
        if path is not None:
            self._files_folder = path.parent
        self.window.take_keyboard_back()

    def offer_followup(self) -> bool:
        """At start, on a later day than the last run: ask once how it settled. True when answered.

        Declining (Esc, "Don't ask", closing the dialog) stores a dismissal, so it is not asked again.
        """
        today, journal = self.today(), self.journal
        if journal is None:  # a start that plays first asks nothing (see core/journal/outlook.py)
            return False
        run = followup_due(journal, today=today)
        if run is None:
            return False
        from player.ui.journal.followup_dialog import FollowupDialog

        dialog = FollowupDialog(session_title=self.catalog().session_title(run.session_id), today=today,
                                day=local_day(run.ended_at or run.started_at), parent=self.window)
        accepted = self.window.modal(dialog) == QDialog.DialogCode.Accepted
        answer = dialog.answer() if accepted else None
        try:
            save_followup(journal, run.id, answer=answer, note=dialog.note_text() if answer else "",
                          today=today, now=self.now())
        except JournalError as exc:
            self.window.tell(exc.message)
            return False
        return answer is not None
