"""The Journal page's search box and filters: notes text, session, movement, body area and dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from player.core.journal.review import RunFilter, SessionCatalog
from player.core.session.questions import body_area_label, body_area_values

# Typing pauses this long before the search runs, so each key does not query the journal.
SEARCH_DELAY_MS = 250
# A date edit at its minimum means "no bound" (shown as its special text).
NO_DAY = QDate(2000, 1, 1)


class DayEdit(QDateEdit):
    """A day, or no bound (shown as ``empty_text``). From no bound, ↑/↓ and the calendar start at today."""

    def __init__(self, empty_text: str, tip: str) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(NO_DAY)
        self.setSpecialValueText(empty_text)
        self.setDate(NO_DAY)
        self.setToolTip(tip + " — ↑/↓ change it, Alt+↓ opens a calendar, Delete empties it")
        self.setAccessibleName(tip)
        self.calendarWidget().installEventFilter(self)

    def stepBy(self, steps: int) -> None:
        if self.date() == NO_DAY:
            self.setDate(QDate.currentDate())
        else:
            super().stepBy(steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        return QAbstractSpinBox.StepEnabledFlag.StepUpEnabled | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.date() != NO_DAY:
            self.setDate(NO_DAY)
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.date() == NO_DAY:  # open the calendar on this month
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


def _day(edit: QDateEdit) -> date | None:
    value = edit.date().toPython()
    return value if isinstance(value, date) and edit.date() != NO_DAY else None


def _labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldLabel")
    label.setBuddy(widget)
    return label


class FilterBar(QWidget):
    """Passive: holds the filters; ``changed`` fires when one changes (typing: after a short pause)."""

    changed = Signal()

    def __init__(self, catalog: SessionCatalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search your notes (Ctrl+F), e.g. stiff toe")
        self.search.setAccessibleName("Search notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(480)
        self.session = QComboBox()
        self.session.setAccessibleName("Session")
        self.snippet = QComboBox()
        self.snippet.setAccessibleName("Movement")
        self.area = QComboBox()
        self.area.setAccessibleName("Body area")
        self.area.addItem("Anywhere", None)
        for value in body_area_values():
            self.area.addItem(body_area_label(value), value)
        self.since = DayEdit("any day", "From this day (empty: from the start)")
        self.until = DayEdit("today", "To this day (empty: up to today)")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Clear every filter and the search: show every run again")
        for combo in (self.session, self.snippet, self.area):  # long titles may shrink on a narrow window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.clear_button.clicked.connect(self.clear)
        self._fill_sessions()
        self._fill_snippets()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.changed.emit)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.session.currentIndexChanged.connect(self._session_changed)
        for combo in (self.snippet, self.area):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _day: self.changed.emit())
        self._lay_out()

    def _lay_out(self) -> None:
        """The filters in one row of labelled fields; the search box goes where the page puts it."""
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        fields = (("Sess&ion", self.session), ("&Movement", self.snippet), ("Body &area", self.area),
                  ("Fr&om", self.since), ("T&o", self.until))
        for column, (text, widget) in enumerate(fields):
            grid.addWidget(_labelled(text, widget), 0, column)
            grid.addWidget(widget, 1, column)
        grid.addWidget(self.clear_button, 1, len(fields))
        for column, stretch in enumerate((3, 3, 2, 2, 2)):
            grid.setColumnStretch(column, stretch)

    def _fill_sessions(self) -> None:
        self.session.addItem("All sessions", None)
        for session in sorted(self.catalog.sessions.values(), key=lambda s: s.title.casefold()):
            self.session.addItem(session.title, session.id)

    def _fill_snippets(self) -> None:
        """Movements of the chosen session (of every session when none is chosen)."""
        self.snippet.blockSignals(True)
        self.snippet.clear()
        self.snippet.addItem("All movements", None)
        chosen = self.session.currentData()
        for session in self.catalog.sessions.values():
            if chosen is None or session.id == chosen:
                for snippet in (*session.preview, *(session.full.parts if session.full else ())):
                    if self.snippet.findData(snippet.id) < 0:
                        self.snippet.addItem(snippet.title, snippet.id)
        self.snippet.blockSignals(False)

    def _session_changed(self) -> None:
        self._fill_snippets()
        self.changed.emit()

    def where(self) -> RunFilter:
        """The filter as set now."""
        return RunFilter(since=_day(self.since), until=_day(self.until), session_id=self.session.currentData(),
                         snippet_id=self.snippet.currentData(), body_area=self.area.currentData(),
                         text=self.search.text())

    def set_area(self, area: str) -> None:
        """Filter by body area ``area`` (a stored value such as ``"hip-left"``)."""
        self.area.setCurrentIndex(max(0, self.area.findData(area)))

    def set_day(self, day: date) -> None:
        """Show only ``day``'s runs."""
        def both() -> None:
            for edit in (self.since, self.until):
                edit.setDate(QDate(day.year, day.month, day.day))
        self._quietly(both)

    def clear(self) -> None:
        """Every filter off: all runs."""
        def reset() -> None:
            self.search.clear()
            self._timer.stop()
            for combo in (self.session, self.area):
                combo.setCurrentIndex(0)
            self._fill_snippets()
            self.snippet.setCurrentIndex(0)
            self.since.setDate(NO_DAY)
            self.until.setDate(NO_DAY)
        self._quietly(reset)

    def _quietly(self, change: Callable[[], object]) -> None:
        """Make several changes, then fire ``changed`` once."""
        widgets = (self.search, self.session, self.snippet, self.area, self.since, self.until)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            change()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._timer.stop()
        self.changed.emit()

    def describe(self) -> str:
        """The filters in words, "" when none: ``"notes with “stiff”, Hip (left), from 1 Nov 2026"``."""
        where = self.where()
        parts = []
        if where.text.strip():
            parts.append(f"notes with “{where.text.strip()}”")
        for combo, value in ((self.session, where.session_id), (self.snippet, where.snippet_id),
                             (self.area, where.body_area)):
            if value:
                parts.append(combo.currentText())
        if where.since:
            parts.append(f"from {where.since.day} {where.since:%b %Y}")
        if where.until:
            parts.append(f"to {where.until.day} {where.until:%b %Y}")
        return ", ".join(parts)

    def focus_search(self) -> None:
        """Ctrl+F: the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
