"""Fills the Journal page from the journal's review queries and carries out its edits and deletions.

Only the tab in front is queried; the others are refreshed when they come to the front, so opening the
page on a ten-year journal costs one page of runs, their count and the calendar strip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from player.core.errors import JournalError
from player.core.journal.edits import delete_checkin, update_checkin
from player.core.journal.review import (
    RunFilter,
    RunSummary,
    SessionCatalog,
    body_map,
    count_runs,
    group_by_week,
    practice_days,
    run_detail,
    run_history,
    snippet_trends,
)
from player.core.journal.store import Checkin, Journal, Run
from player.core.localtime import local_moment
from player.ui.journal.calendar_strip import strip_start
from player.ui.journal.checkin_edit_dialog import CheckinEditDialog
from player.ui.journal.page import JournalPage

# Runs loaded into the history at a time (a "Show more" row loads the next ones).
HISTORY_PAGE = 200


class JournalController(QObject):
    """Owns no data: asks the journal and gives the page what to show."""

    def __init__(self, page: JournalPage, *, journal: Journal, catalog: SessionCatalog, today: Callable[[], date],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page, self.journal, self.catalog, self.today = page, journal, catalog, today
        self.loaded = HISTORY_PAGE
        self.summaries: list[RunSummary] = []
        self._stale: set[QWidget] = set()
        page.filters.changed.connect(self._filters_changed)
        page.tabs.currentChanged.connect(lambda _index: self._refresh_front())
        history = page.history
        history.run_opened.connect(self.open_run)
        history.more_requested.connect(self._more)
        history.day_chosen.connect(page.filters.set_day)
        history.detail.edit_requested.connect(self.edit_checkin)
        history.detail.delete_requested.connect(self.delete_checkin)
        page.body.area_chosen.connect(self.show_area)

    def refresh(self, *, select: int | None = None) -> None:
        """Everything may have changed (page opened, import, edit): refresh the tab in front, mark the rest.

        An open run is shown again (``select``: the check-in to put the cursor on).
        """
        self._stale = {self.page.history, self.page.trends, self.page.body}
        self._refresh_front()
        if self.page.history.showing_detail():
            self._reopen(select)

    def _filters_changed(self) -> None:
        self.loaded = HISTORY_PAGE
        if self.page.history.showing_detail():
            self.page.history.show_list()
        self.refresh()

    def _refresh_front(self) -> None:
        front = self.page.tabs.currentWidget()
        if front not in self._stale:
            return
        self._stale.discard(front)
        if front is self.page.history:
            self._show_history()
        elif front is self.page.trends:
            self._show_trends()
        else:
            self._show_body()

    def _show_history(self) -> None:
        where = self.page.filters.where()
        self.summaries = run_history(self.journal, where=where, limit=self.loaded)
        total = count_runs(self.journal, where=where)
        everything = count_runs(self.journal)
        matched = self._matched(self.summaries) if where.filters_checkins else None
        described = self.page.filters.describe()
        runs = f"{total} run{'' if total == 1 else 's'}"
        status = f"{runs} · filtered by {described}" if described else runs
        if where.filters_checkins:
            status += " · the check-ins that match are listed under each run"
        self.page.subtitle.setText(f"{everything} practice run{'' if everything == 1 else 's'} in your journal")
        empty = ("No runs match these filters; Clear shows every run again." if everything else
                 "No runs yet: practise a session, and each run appears here with its check-ins.")
        self.page.history.show_runs(group_by_week(self.summaries), status=status, matched=matched,
                                    more=total - len(self.summaries), empty=empty)
        today = self.today()
        self.page.history.show_calendar(
            practice_days(self.journal, first=strip_start(today), last=today, session_id=where.session_id),
            today=today)

    def _matched(self, summaries: list[RunSummary]) -> dict[int, list[Checkin]]:
        """The check-ins that met the filter, per run (those of the loaded runs only)."""
        return {s.run.id: [self.journal.checkin(c) for c in s.matches] for s in summaries if s.matches}

    def _more(self) -> None:
        self.loaded += HISTORY_PAGE
        self._show_history()

    def _show_trends(self) -> None:
        where = self.page.filters.where()
        self.page.trends.show_trends(snippet_trends(
            self.journal, catalog=self.catalog, since=where.since, until=where.until, session_id=where.session_id,
            snippet_id=where.snippet_id))

    def _show_body(self) -> None:
        where = self.page.filters.where()
        self.page.body.show_areas(body_map(self.journal, since=where.since, until=where.until,
                                           session_id=where.session_id), selected=where.body_area,
                                  period=self.export_scope()[1])

    def show_area(self, area: str) -> None:
        """A body area chosen on the map: the history of the check-ins that flagged it."""
        self.page.tabs.setCurrentWidget(self.page.history)
        if self.page.filters.where().body_area == area:
            self._refresh_front()
        else:
            self.page.filters.set_area(area)
        self.page.history.tree.setFocus()

    def open_run(self, run_id: int, checkin_id: int | None = None) -> None:
        """Show one run with every check-in; ``checkin_id`` gets the cursor."""
        try:
            detail = run_detail(self.journal, run_id)
        except JournalError as exc:
            self._tell(exc.message)
            return
        summary = next((s for s in self.summaries if s.run.id == run_id), None)
        self.page.history.show_detail(detail, highlight=summary.matches if summary else (), select=checkin_id)

    def _reopen(self, select: int | None = None) -> None:
        detail_view = self.page.history.detail
        self.open_run(detail_view.run_id, select if select is not None else detail_view.selected_checkin())

    def _checkin_and_run(self, checkin_id: int) -> tuple[Checkin, Run] | None:
        """The check-in and its run, or None after telling the user why not."""
        try:
            checkin = self.journal.checkin(checkin_id)
            return checkin, self.journal.run(checkin.run_id)
        except JournalError as exc:
            self._tell(exc.message)
            return None

    def edit_checkin(self, checkin_id: int) -> None:
        """The edit dialog for one check-in; saved answers replace the old ones in one transaction."""
        found = self._checkin_and_run(checkin_id)
        if found is None:
            return
        checkin, run = found
        moment = local_moment(checkin.answered_at)
        dialog = CheckinEditDialog(checkin, self.catalog.questions(run.session_id, checkin.snippet_id),
                                   title=self.catalog.snippet_title(run.session_id, checkin.snippet_id),
                                   when=f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}", parent=self.page)
        dialog.focus_first()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self._focus_back()
        if not accepted:
            return
        try:
            update_checkin(self.journal, checkin_id, dialog.answers(), skipped=dialog.skipped())
        except JournalError as exc:
            self._tell(f"The check-in was not changed: {exc.message}")
            return
        self._changed(select=checkin_id)

    def delete_checkin(self, checkin_id: int) -> None:
        """Delete one check-in after asking (No is the default)."""
        found = self._checkin_and_run(checkin_id)
        if found is None:
            return
        checkin, run = found
        moment = local_moment(checkin.answered_at)
        answer = QMessageBox.question(
            self.page, "Delete this check-in?",
            f"Delete the check-in after “{self.catalog.snippet_title(run.session_id, checkin.snippet_id)}” "
            f"({moment:%a} {moment.day} {moment:%b %Y, %H:%M}) and all its answers?\n\nThis cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        self._focus_back()
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_checkin(self.journal, checkin_id)
        except JournalError as exc:
            self._tell(f"The check-in was not deleted: {exc.message}")
            return
        self._changed()

    def _changed(self, select: int | None = None) -> None:
        self.refresh(select=select)

    def export_scope(self) -> tuple[RunFilter, str]:
        """The period and session chosen on the page, which an export made from it covers, and in words."""
        where = self.page.filters.where()
        scope = RunFilter(since=where.since, until=where.until, session_id=where.session_id)
        parts = [self.page.filters.session.currentText()] if where.session_id else []
        if where.since:
            parts.append(f"from {where.since.day} {where.since:%b %Y}")
        if where.until:
            parts.append(f"to {where.until.day} {where.until:%b %Y}")
        return scope, ("runs " + ", ".join(parts)) if parts else ""

    def _focus_back(self) -> None:
        """After a dialog the keyboard returns to the window, whatever the window manager did."""
        self.page.window().activateWindow()
        self.page.history.detail.table.setFocus()

    def _tell(self, message: str) -> None:
        QMessageBox.warning(self.page, "Movement Player", message)

