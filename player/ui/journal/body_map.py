"""The body map: a front and a back figure, each flagged area shaded by how often it was flagged.

The areas sit where the clinician's PDF report puts them (``report_pdf.AREA_SPOTS``), so the app and the
report read the same way. Clicking an area (or Enter on it, after moving with the arrow keys) asks the
journal to show the check-ins that flagged it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QToolTip, QVBoxLayout, QWidget

from player.core.journal.review import AreaCount
from player.core.session.questions import body_area_label, body_area_values
from player.ui.journal.report_pdf import ACCENT, AREA_SPOTS, BACK, FIGURE_FILL, FRONT, OUTLINE, SPOT_RADIUS

# The figures are drawn in the report's units (a 180-unit tall figure), scaled to the widget.
FIGURE_WIDTH, FIGURE_HEIGHT, FIGURE_GAP = 90.0, 205.0, 40.0
TOP_ROOM = 12.0  # above the head: the L / R letters
SELECTED = QColor("#1d7874")  # the area the history is filtered by: the app's accent
AREA_ORDER = [area for area in body_area_values() if area in AREA_SPOTS]  # keyboard order: feet up


def describe_area(area: str, found: AreaCount | None) -> str:
    """``"Hip (left): flagged 12 times, mean discomfort 4.2"`` (or "not flagged")."""
    if found is None:
        return f"{body_area_label(area)}: not flagged in this period"
    times = "once" if found.count == 1 else f"{found.count} times"
    mean = f", mean discomfort {found.mean_discomfort:.1f}" if found.mean_discomfort is not None else ""
    return f"{found.label}: flagged {times}{mean}"


class BodyMapWidget(QWidget):
    """Front and back figures; ``area_chosen`` carries a stored area value such as ``"hip-left"``."""

    area_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("bodyMap")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Body map: arrow keys move between areas, Enter shows their check-ins")
        self.setMinimumSize(200, 220)
        self.counts: dict[str, AreaCount] = {}
        self.selected: str | None = None
        self.focus_index = 0

    def show_areas(self, areas: Sequence[AreaCount], *, selected: str | None = None) -> None:
        """Shade ``areas``; ``selected`` (the history's body-area filter) gets a ring."""
        self.counts = {a.area: a for a in areas}
        self.selected = selected
        if selected in AREA_ORDER:
            self.focus_index = AREA_ORDER.index(selected)
        self.update()

    # --- geometry ---

    def _scale(self) -> float:
        return max(0.5, min(self.width() / (2 * FIGURE_WIDTH + FIGURE_GAP), self.height() / FIGURE_HEIGHT))

    def _origin(self, view: str) -> QPointF:
        """Where a figure's centre line meets the top of its head, in widget pixels."""
        scale = self._scale()
        left = (self.width() - (2 * FIGURE_WIDTH + FIGURE_GAP) * scale) / 2
        column = 0 if view == FRONT else 1
        x = left + (FIGURE_WIDTH / 2 + column * (FIGURE_WIDTH + FIGURE_GAP)) * scale
        return QPointF(x, (self.height() - FIGURE_HEIGHT * scale) / 2 + TOP_ROOM * scale)

    def spot_center(self, area: str) -> QPointF:
        """Where ``area`` is drawn, in widget pixels."""
        view, dx, dy = AREA_SPOTS[area]
        origin, scale = self._origin(view), self._scale()
        return QPointF(origin.x() + dx * scale, origin.y() + dy * scale)

    def area_at(self, point: QPointF) -> str | None:
        """The area under ``point`` (nearest within reach), or None."""
        reach = SPOT_RADIUS * self._scale() + 4
        best: tuple[float, str] | None = None
        for area in AREA_ORDER:
            delta = self.spot_center(area) - point
            distance = (delta.x() ** 2 + delta.y() ** 2) ** 0.5
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, area)
        return best[1] if best else None

    # --- drawing ---

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for view in (FRONT, BACK):
            self._figure(painter, view)
        most = max((a.count for a in self.counts.values()), default=0)
        for index, area in enumerate(AREA_ORDER):
            self._spot(painter, area, most, focused=self.hasFocus() and index == self.focus_index)
        painter.end()

    def _figure(self, painter: QPainter, view: str) -> None:
        """The report's plain standing outline, scaled, with its caption and the L / R sides."""
        origin, scale = self._origin(view), self._scale()
        painter.save()
        painter.translate(origin)
        painter.scale(scale, scale)
        pen = QPen(OUTLINE, 1.2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QBrush(FIGURE_FILL))
        painter.drawEllipse(QPointF(0, 11), 10, 11)  # head
        painter.drawRect(QRectF(-4, 21, 8, 9))  # neck
        painter.drawRoundedRect(QRectF(-24, 30, 48, 72), 8, 8)  # torso and pelvis
        for side in (-1, 1):
            painter.drawRoundedRect(QRectF(side * 27 - 5, 33, 10, 68), 5, 5)  # arm
            painter.drawRoundedRect(QRectF(side * 12 - 7, 100, 14, 70), 6, 6)  # leg
            foot = (QRectF(side * 13 - 9 + side * 3, 168, 18, 10) if view == FRONT
                    else QRectF(side * 13 - 6, 168, 12, 10))
            painter.drawEllipse(foot)
        painter.restore()
        painter.setPen(QColor("#52616b"))
        caption = "Front (facing you)" if view == FRONT else "Back"
        painter.drawText(QRectF(origin.x() - 80, origin.y() + 182 * scale, 160, 22),
                         Qt.AlignmentFlag.AlignCenter, caption)
        left = 1 if view == FRONT else -1  # which side of the drawing is the person's left
        for letter, sign in (("L", left), ("R", -left)):
            painter.drawText(QRectF(origin.x() + sign * 36 * scale - 10, origin.y() - TOP_ROOM * scale, 20, 20),
                             Qt.AlignmentFlag.AlignCenter, letter)

    def _spot(self, painter: QPainter, area: str, most: int, *, focused: bool) -> None:
        centre, radius = self.spot_center(area), SPOT_RADIUS * self._scale()
        found = self.counts.get(area)
        if found is not None and most:
            shade = QColor(ACCENT)
            shade.setAlphaF(0.25 + 0.7 * found.count / most)
            painter.setPen(QPen(ACCENT.darker(130), 1))
            painter.setBrush(QBrush(shade))
        else:
            painter.setPen(QPen(OUTLINE, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, radius, radius)
        if area == self.selected:
            painter.setPen(QPen(SELECTED, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 4, radius + 4)
        if focused:
            painter.setPen(QPen(QColor("#1f2a33"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 7, radius + 7)

    # --- input ---

    def mousePressEvent(self, event: QMouseEvent) -> None:
        area = self.area_at(event.position())
        if area is None:
            super().mousePressEvent(event)
            return
        self.focus_index = AREA_ORDER.index(area)
        self.area_chosen.emit(area)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            self.focus_index = (self.focus_index + step) % len(AREA_ORDER)
            area = AREA_ORDER[self.focus_index]
            self.setToolTip(describe_area(area, self.counts.get(area)))
            QToolTip.showText(self.mapToGlobal(self.spot_center(area).toPoint()), self.toolTip(), self)
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.area_chosen.emit(AREA_ORDER[self.focus_index])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            area = self.area_at(QPointF(event.pos()))
            if area is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), describe_area(area, self.counts.get(area)), self)
            return True
        return super().event(event)


class BodyMapView(QWidget):
    """The body tab: the figures, and the flagged areas as a list (most often first) for the keyboard."""

    area_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.figure = BodyMapWidget()
        self.figure.area_chosen.connect(self.area_chosen.emit)
        self.caption = QLabel()
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        self.areas = QListWidget()
        self.areas.setObjectName("areaList")
        self.areas.setAccessibleName("Flagged body areas, most often first")
        self.areas.setWordWrap(True)
        self.areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.areas.itemActivated.connect(self._activated)
        side = QVBoxLayout()
        self.heading = QLabel("Most often flagged")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        side.addWidget(self.heading)
        side.addWidget(self.areas, 1)
        side.addWidget(self.caption)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.figure, 3)
        layout.addLayout(side, 2)

    def show_areas(self, areas: Sequence[AreaCount], *, selected: str | None = None, period: str = "") -> None:
        """Show ``areas`` on the figures and in the list; ``period`` says which runs they come from."""
        self.figure.show_areas(areas, selected=selected)
        self.heading.setText(f"Most often flagged ({period or 'all runs'})")
        self.areas.clear()
        for found in sorted(areas, key=lambda a: (-a.count, AREA_ORDER.index(a.area) if a.area in AREA_ORDER else 99)):
            mean = f" · mean discomfort {found.mean_discomfort:.1f}" if found.mean_discomfort is not None else ""
            item = QListWidgetItem(f"{found.label}: {found.count}×{mean}")
            item.setToolTip(describe_area(found.area, found))
            item.setData(Qt.ItemDataRole.UserRole, found.area)
            self.areas.addItem(item)
        if not areas:
            self.areas.addItem(QListWidgetItem("No body areas were flagged in this period."))
        self.caption.setText("Darker red: flagged more often. Click an area, or press Enter on it here or on the "
                             "figure (arrow keys move), to list the check-ins that flagged it.")

    def _activated(self, item: QListWidgetItem) -> None:
        area = item.data(Qt.ItemDataRole.UserRole)
        if area:
            self.area_chosen.emit(str(area))
