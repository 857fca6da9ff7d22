"""The calendar strip: the last weeks as columns of days (Monday at the top), practice days filled in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from player.core.journal.review import PracticeDay

# Weeks shown: about three months, enough to see a habit forming.
CALENDAR_WEEKS = 12
CELL, GAP = 15.0, 3.0
LABEL_WIDTH, MONTH_HEIGHT = 34.0, 16.0
# Fill per number of runs that day: none, one, two, three or more.
SHADES = (QColor("#e3e7ea"), QColor("#a8d8d1"), QColor("#4fa9a0"), QColor("#1d7874"))
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri", 6: "Sun"}


def strip_start(last: date, weeks: int = CALENDAR_WEEKS) -> date:
    """The Monday that starts a strip of ``weeks`` weeks ending in ``last``'s week."""
    return last - timedelta(days=last.weekday() + 7 * (weeks - 1))


class CalendarStrip(QWidget):
    """Practice days of the last CALENDAR_WEEKS weeks; clicking a day (or Enter on it) emits ``day_chosen``."""

    day_chosen = Signal(object)  # date

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("calendarStrip")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Practice calendar: arrow keys move between days, Enter shows that day's runs")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.last = date.today()
        self.runs: dict[date, int] = {}
        self.focus_day = self.last

    def sizeHint(self) -> QSize:
        return QSize(int(LABEL_WIDTH + CALENDAR_WEEKS * (CELL + GAP)), int(MONTH_HEIGHT + 7 * (CELL + GAP)))

    def show_days(self, days: Sequence[PracticeDay], *, last: date) -> None:
        """Show ``days`` (practice days with their run counts) in the weeks up to ``last`` (today)."""
        self.last = last
        self.runs = {d.day: d.runs for d in days}
        self.focus_day = min(self.focus_day, last) if self.focus_day >= strip_start(last) else last
        self.update()

    def first(self) -> date:
        """The first day shown."""
        return strip_start(self.last)

    def cell(self, day: date) -> QRectF:
        """Where ``day`` is drawn, in widget pixels."""
        offset = (day - self.first()).days
        column, row = divmod(offset, 7)
        return QRectF(LABEL_WIDTH + column * (CELL + GAP), MONTH_HEIGHT + row * (CELL + GAP), CELL, CELL)

    def day_at(self, point: QPointF) -> date | None:
        """The shown day under ``point``, or None."""
        column = int((point.x() - LABEL_WIDTH) // (CELL + GAP))
        row = int((point.y() - MONTH_HEIGHT) // (CELL + GAP))
        if not (0 <= column < CALENDAR_WEEKS and 0 <= row < 7) or point.x() < LABEL_WIDTH:
            return None
        day = self.first() + timedelta(days=column * 7 + row)
        return day if day <= self.last else None

    def describe(self, day: date) -> str:
        """``"Mon 2 Nov 2026: 2 runs"``."""
        runs = self.runs.get(day, 0)
        what = "no practice" if runs == 0 else "1 run" if runs == 1 else f"{runs} runs"
        return f"{day:%a} {day.day} {day:%b %Y}: {what}"

    def month_labels(self) -> list[tuple[int, str]]:
        """(column, "Nov") where a month starts; the first column too when no month starts soon after it."""
        labels = []
        for column in range(CALENDAR_WEEKS):
            sunday = self.first() + timedelta(days=7 * column + 6)
            if sunday.day <= 7:  # this week holds the 1st
                labels.append((column, f"{sunday:%b}"))
        if not labels or labels[0][0] > 2:
            labels.insert(0, (0, f"{self.first():%b}"))
        return labels

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#52616b"))
        font = painter.font()
        font.setPixelSize(11)
        painter.setFont(font)
        for row, label in WEEKDAY_LABELS.items():
            painter.drawText(QRectF(0, MONTH_HEIGHT + row * (CELL + GAP) - 2, LABEL_WIDTH - 4, CELL + 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        for column, month in self.month_labels():
            painter.drawText(QRectF(LABEL_WIDTH + column * (CELL + GAP), 0, 40, MONTH_HEIGHT - 2),
                             Qt.AlignmentFlag.AlignLeft, month)
        day = self.first()
        while day <= self.last:
            rect = self.cell(day)
            runs = self.runs.get(day, 0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SHADES[min(runs, len(SHADES) - 1)])
            painter.drawRoundedRect(rect, 3, 3)
            if day == self.last or (self.hasFocus() and day == self.focus_day):
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(QColor("#1f2a33"), 1.5, Qt.PenStyle.SolidLine if day == self.focus_day and
                                    self.hasFocus() else Qt.PenStyle.DotLine))
                painter.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)
            day += timedelta(days=1)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position())
        if day is not None:
            self.focus_day = day
            self.day_chosen.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -7, Qt.Key.Key_Right: 7}
        key = Qt.Key(event.key())
        if key in steps:
            moved = self.focus_day + timedelta(days=steps[key])
            if self.first() <= moved <= self.last:
                self.focus_day = moved
                QToolTip.showText(self.mapToGlobal(self.cell(moved).bottomRight().toPoint()),
                                  self.describe(moved), self)
                self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.day_chosen.emit(self.focus_day)
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(QPointF(event.pos()))
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(day), self)
            return True
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        return super().event(event)
