"""The history tab: the calendar strip, every run newest first grouped by week, and one run opened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.review import PracticeDay, RunDetail, RunSummary, SessionCatalog, WeekGroup
from player.core.journal.store import Checkin
from player.core.localtime import local_moment
from player.core.session.questions import body_area_label
from player.ui.journal.calendar_strip import CALENDAR_WEEKS, CalendarStrip
from player.ui.journal.run_detail_view import RunDetailView

COLUMNS = ("When", "Session", "Done", "Mean discomfort", "Max", "Check-ins")
# Below this height (pixels) the history shows its list without the calendar strip above it.
CALENDAR_MIN_VIEW_HEIGHT = 400
KIND, RUN_ID, CHECKIN_ID = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2


def run_cells(summary: RunSummary, catalog: SessionCatalog) -> tuple[str, ...]:
    """One history row, in COLUMNS order."""
    start = local_moment(summary.run.started_at)
    mean, top = summary.mean_discomfort, summary.max_discomfort
    return (f"{start:%a} {start.day} {start:%b}, {start:%H:%M}", catalog.session_title(summary.run.session_id),
            "✓ yes" if summary.run.completed else "no", "-" if mean is None else f"{mean:.1f}",
            "-" if top is None else str(top), str(summary.checkin_count))


def match_text(checkin: Checkin, catalog: SessionCatalog, session_id: str) -> str:
    """A check-in that met the filter, on one line: time, movement, discomfort, where, note."""
    a = checkin.answers
    parts = [f"{local_moment(checkin.answered_at):%H:%M}  {catalog.snippet_title(session_id, checkin.snippet_id)}"]
    if a.discomfort is not None:
        parts.append(f"discomfort {a.discomfort}")
    if a.body_areas:
        parts.append(", ".join(body_area_label(x) for x in a.body_areas))
    if a.note:
        parts.append(f"“{' '.join(a.note.split())}”")
    return "  ·  ".join(parts)


class HistoryView(QWidget):
    """Passive: shows what the controller gives it. Enter or a double click on a run opens it."""

    run_opened = Signal(int, object)  # run id, check-in id to select (or None)
    more_requested = Signal()
    day_chosen = Signal(object)  # date, from the calendar strip

    def __init__(self, catalog: SessionCatalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.calendar = CalendarStrip()
        self.calendar.day_chosen.connect(self.day_chosen.emit)
        self.calendar_caption = QLabel()
        self.calendar_caption.setObjectName("hint")
        self.calendar_caption.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("sectionTitle")
        self.tree = QTreeWidget()
        self.tree.setObjectName("history")
        self.tree.setAccessibleName("Practice runs, newest first, by week")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        tips = {"Done": "Completed: every snippet was reached", "Mean discomfort": "Mean discomfort (0-10) of the "
                "run's answered check-ins", "Max": "Highest discomfort (0-10) in the run"}
        header_item = self.tree.headerItem()
        for column, tip in tips.items():
            header_item.setToolTip(COLUMNS.index(column), tip)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._activated)
        self.detail = RunDetailView(catalog)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._list_page())
        self.stack.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _list_page(self) -> QWidget:
        page = QWidget()
        self.calendar_row = QWidget()
        top = QHBoxLayout(self.calendar_row)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.calendar)
        top.addSpacing(16)
        top.addWidget(self.calendar_caption, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.addWidget(self.calendar_row)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        """On a short window the runs need the room: the calendar strip steps aside."""
        self.calendar_row.setVisible(event.size().height() >= CALENDAR_MIN_VIEW_HEIGHT)
        super().resizeEvent(event)

    def show_calendar(self, days: Sequence[PracticeDay], *, today: date) -> None:
        """The strip of the last weeks up to ``today`` with ``days`` filled in."""
        self.calendar.show_days(days, last=today)
        runs = sum(d.runs for d in days)
        self.calendar_caption.setText(
            f"<b>{len(days)} practice day{'' if len(days) == 1 else 's'}</b> in the last {CALENDAR_WEEKS} weeks "
            f"({runs} run{'' if runs == 1 else 's'}).<br>Darker: more runs that day. Click a day, or move with "
            "the arrow keys and press Enter, to see its runs.")

    def show_runs(self, groups: Sequence[WeekGroup], *, status: str, more: int = 0,
                  matched: Mapping[int, Sequence[Checkin]] | None = None, empty: str = "No runs.") -> None:
        """Runs by week; ``matched`` lists, per run, the check-ins that met the filter (shown under it);
        ``more`` runs are not loaded yet (a last row loads them)."""
        current = self.current_run()
        self.status.setText(status)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for group in groups:
            week = QTreeWidgetItem([f"{group.label}  ·  {len(group.runs)} run{'' if len(group.runs) == 1 else 's'}"])
            week.setData(0, KIND, "week")
            week.setFont(0, bold)
            week.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(week)
            week.setFirstColumnSpanned(True)
            for summary in group.runs:
                self._add_run(week, summary, (matched or {}).get(summary.run.id, ()))
            week.setExpanded(True)
        if more:
            row = QTreeWidgetItem([f"Show more: {more} older run{'' if more == 1 else 's'} (Enter)"])
            row.setData(0, KIND, "more")
            self.tree.addTopLevelItem(row)
            row.setFirstColumnSpanned(True)
        if not groups:
            row = QTreeWidgetItem([empty])
            row.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(row)
            row.setFirstColumnSpanned(True)
        self._select_run(current)

    def _add_run(self, week: QTreeWidgetItem, summary: RunSummary, matches: Sequence[Checkin]) -> None:
        item = QTreeWidgetItem(list(run_cells(summary, self.catalog)))
        item.setData(0, KIND, "run")
        item.setData(0, RUN_ID, summary.run.id)
        for column in range(3, len(COLUMNS)):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
        week.addChild(item)
        for checkin in matches:
            child = QTreeWidgetItem([match_text(checkin, self.catalog, summary.run.session_id)])
            child.setData(0, KIND, "checkin")
            child.setData(0, RUN_ID, summary.run.id)
            child.setData(0, CHECKIN_ID, checkin.id)
            item.addChild(child)
            child.setFirstColumnSpanned(True)
        item.setExpanded(bool(matches))

    def run_items(self) -> list[QTreeWidgetItem]:
        """The run rows, newest first."""
        rows: list[QTreeWidgetItem] = []
        for index in range(self.tree.topLevelItemCount()):
            week = self.tree.topLevelItem(index)
            if week is not None and week.data(0, KIND) == "week":
                rows.extend(child for j in range(week.childCount()) if (child := week.child(j)) is not None)
        return rows

    def current_run(self) -> int | None:
        """The run id of the row under the cursor (a check-in row counts as its run), or None."""
        item = self.tree.currentItem()
        return None if item is None or item.data(0, RUN_ID) is None else int(item.data(0, RUN_ID))

    def _select_run(self, run_id: int | None) -> None:
        rows = self.run_items()
        chosen = next((r for r in rows if r.data(0, RUN_ID) == run_id), rows[0] if rows else None)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)

    def _activated(self, item: QTreeWidgetItem) -> None:
        kind = item.data(0, KIND)
        if kind == "more":
            self.more_requested.emit()
        elif kind in ("run", "checkin"):
            self.run_opened.emit(int(item.data(0, RUN_ID)), item.data(0, CHECKIN_ID))
        elif kind == "week":
            item.setExpanded(not item.isExpanded())

    def show_detail(self, detail: RunDetail, *, highlight: Sequence[int] = (), select: int | None = None) -> None:
        """Open one run in place of the list."""
        self.detail.show_detail(detail, highlight=highlight, select=select)
        self.stack.setCurrentWidget(self.detail)
        self.detail.table.setFocus()

    def showing_detail(self) -> bool:
        """True while a run is open."""
        return self.stack.currentWidget() is self.detail

    def show_list(self) -> None:
        """Back from a run to the list, the cursor on that run."""
        self.stack.setCurrentIndex(0)
        self._select_run(self.detail.run_id)
        self.tree.setFocus()
