"""The trends tab: per movement, discomfort, ease and any before/after measurements over time, each on its own
QtCharts chart and axis (one shared time axis), the trend in words above them, and the measurements as pairs
with their difference."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.review import PairTrend, SessionCatalog, SnippetTrend
from player.core.localtime import local_moment, parse_utc

DISCOMFORT_COLOR = QColor("#c0392b")  # as the check-in page's high end and the PDF report
EASE_COLOR = QColor("#1d7874")
# Markers on each point while a line has this few; beyond, the line alone reads better.
MARKERS_UP_TO = 40
# A point per run up to this many runs; beyond, single runs blur into a band, so each point is the mean of a
# week (or, when there are more weeks than this, of a month).
MAX_RUN_POINTS = 120
PERIOD_NAMES = {"run": "", "week": ", weekly mean", "month": ", monthly mean"}
PAIR_COLUMNS = ("Day", "Before", "After", "Difference")
MEASURE_COLORS = (QColor("#5b4a9e"), QColor("#b5651d"))  # one per before/after test of a movement


def chart_period(trend: SnippetTrend) -> str:
    """``"run"`` (a point per run) up to MAX_RUN_POINTS runs, else ``"week"`` or, for years, ``"month"``."""
    return _period([local_moment(t) for t in trend.times])


def _period(moments: Sequence[datetime]) -> str:
    if len(moments) <= MAX_RUN_POINTS:
        return "run"
    weeks = {m.isocalendar()[:2] for m in moments}
    return "week" if len(weeks) <= MAX_RUN_POINTS else "month"


def _period_key(moment: datetime, period: str, index: int) -> tuple[int, int]:
    if period == "week":
        year, week, _ = moment.isocalendar()
        return year, week
    return (moment.year, moment.month) if period == "month" else (index, 0)


def _line(moments: Sequence[datetime], values: Sequence[int | None], period: str) -> list[QPointF]:
    """The points of one answer: per run, or the mean time and value of each week or month that has one."""
    groups: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for index, (moment, value) in enumerate(zip(moments, values, strict=True)):
        if value is not None:
            groups.setdefault(_period_key(moment, period, index), []).append((moment.timestamp() * 1000, value))
    return [QPointF(sum(x for x, _ in found) / len(found), sum(v for _, v in found) / len(found))
            for found in groups.values()]


def trend_points(trend: SnippetTrend) -> tuple[list[QPointF], list[QPointF]]:
    """(discomfort, ease) points of ``trend`` at its chart_period; runs without that answer are left out."""
    discomfort, ease, _period_name = _points(trend)
    return discomfort, ease


def _points(trend: SnippetTrend) -> tuple[list[QPointF], list[QPointF], str]:
    """trend_points and chart_period at once, each answer time read once (ten years: ~6,000 per movement)."""
    moments = [local_moment(t) for t in trend.times]
    period = _period(moments)
    return _line(moments, trend.discomfort, period), _line(moments, trend.ease, period), period


def _number(value: float | None, unit: str, *, signed: bool = False) -> str:
    return "-" if value is None else f"{value:{'+' if signed else ''}.1f} {unit}".strip()


class _Plot(QChartView):
    """One answer against the date, on its own value axis."""

    def __init__(self, *, title: str, low: float, high: float, step: float, minimum_height: int) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(minimum_height)
        self.chart_.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setBackgroundRoundness(8)
        self.chart_.setMargins(QMargins(4, 2, 4, 2))
        self.x_axis = QDateTimeAxis()
        self.x_axis.setTickCount(6)
        self.y_axis = QValueAxis()
        self.y_axis.setTickType(QValueAxis.TickType.TicksDynamic)  # labels on whole steps from ``low``
        self.y_axis.setTickAnchor(low)
        self.y_axis.setTickInterval(step)
        self.y_axis.setRange(low - step * 0.15, high + step * 0.15)  # a point at either end is drawn whole
        self.y_axis.setLabelFormat("%g")
        self.y_axis.setTitleText(title)
        self.chart_.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)

    def add_series(self, name: str, color: QColor, *, dashed: bool = False) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        pen = QPen(color, 2.5)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        series.setPen(pen)
        series.setColor(color)
        series.hovered.connect(lambda point, state, s=series: self._hovered(s, point, state))
        self.chart_.addSeries(series)
        series.attachAxis(self.x_axis)
        series.attachAxis(self.y_axis)
        return series

    def show_range(self, low_ms: float, high_ms: float) -> None:
        self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(low_ms)), QDateTime.fromMSecsSinceEpoch(int(high_ms)))
        self.x_axis.setFormat("MMM yyyy" if high_ms - low_ms > 300 * 86_400_000 else "d MMM")

    def _hovered(self, series: QLineSeries, point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        day = QDateTime.fromMSecsSinceEpoch(int(point.x())).toString("ddd d MMM yyyy")
        QToolTip.showText(self.cursor().pos(), f"{day}: {series.name().split(' (')[0].lower()} {point.y():g}", self)


def measure_points(pair: PairTrend) -> tuple[list[QPointF], list[QPointF]]:
    """(before, after) points of a before/after test, one per run that measured it."""
    before = [QPointF(epoch_ms(p.answered_at), p.before) for p in pair.points if p.before is not None]
    after = [QPointF(epoch_ms(p.answered_at), p.after) for p in pair.points if p.after is not None]
    return before, after


def nice_step(span: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about four to eight steps over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def epoch_ms(iso: str) -> float:
    """A journal time as milliseconds since the epoch (the charts' x)."""
    return parse_utc(iso).timestamp() * 1000


class TrendChart(QWidget):
    """One movement against the date, each answer on its own chart and axis: discomfort (0-10), ease (1-5)
    and, for a before/after test, the measurements in their unit (before dashed, after solid)."""

    def __init__(self) -> None:
        super().__init__()
        self.discomfort_plot = _Plot(title="Discomfort", low=0, high=10, step=2, minimum_height=230)
        self.ease_plot = _Plot(title="Ease", low=1, high=5, step=1, minimum_height=200)
        self.measure_plot = _Plot(title="", low=0, high=10, step=2, minimum_height=200)
        self.discomfort = self.discomfort_plot.add_series("Discomfort (0 none – 10 worst)", DISCOMFORT_COLOR)
        self.ease = self.ease_plot.add_series("Ease (1 hard – 5 effortless)", EASE_COLOR)
        self.measures: list[QLineSeries] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.discomfort_plot, 3)
        lower = QHBoxLayout()  # ease and, for a before/after test, the measurements side by side
        lower.setSpacing(6)
        lower.addWidget(self.ease_plot, 1)
        lower.addWidget(self.measure_plot, 1)
        layout.addLayout(lower, 2)
        self.measure_plot.hide()

    def show_trend(self, trend: SnippetTrend | None) -> None:
        """Plot ``trend`` (None: empty charts)."""
        discomfort, ease, period = _points(trend) if trend is not None else ([], [], "run")
        suffix = PERIOD_NAMES[period]
        self.discomfort.setName(f"Discomfort (0 none – 10 worst{suffix})")
        self.ease.setName(f"Ease (1 hard – 5 effortless{suffix})")
        self.discomfort.replace(discomfort)
        self.ease.replace(ease)
        for series, points in ((self.discomfort, discomfort), (self.ease, ease)):
            series.setPointsVisible(len(points) <= MARKERS_UP_TO)
        self.ease_plot.setVisible(bool(ease) or not discomfort)
        measured = self._show_measures(trend.pairs if trend is not None else ())
        xs = [p.x() for p in (*discomfort, *ease, *measured)]
        if not xs:
            return
        low, high = min(xs), max(xs)
        margin = max((high - low) * 0.04, 12 * 3600 * 1000)  # a lone point still gets a day around it
        for plot in (self.discomfort_plot, self.ease_plot, self.measure_plot):
            plot.show_range(low - margin, high + margin)  # one time axis for all: days line up

    def _show_measures(self, pairs: Sequence[PairTrend]) -> list[QPointF]:
        plot = self.measure_plot
        for series in self.measures:
            plot.chart_.removeSeries(series)
        self.measures = []
        shown: list[QPointF] = []
        for index, pair in enumerate(pairs):
            before, after = measure_points(pair)
            colour = MEASURE_COLORS[index % len(MEASURE_COLORS)]
            lines = ((f"{pair.pair} before", before, colour.lighter(170), True),
                     (f"{pair.pair} after", after, colour, False))  # before: lighter and dashed
            for name, points, shade, dashed in lines:
                series = plot.add_series(f"{name} ({pair.after.unit})", shade, dashed=dashed)
                series.replace(points)
                series.setPointsVisible(len(points) <= MARKERS_UP_TO)
                self.measures.append(series)
                shown += points
        plot.setVisible(bool(shown))
        if shown:
            values = [p.y() for p in shown]
            step = nice_step(max(values) - min(values))
            low, high = math.floor(min(values) / step) * step, math.ceil(max(values) / step) * step
            plot.y_axis.setTickAnchor(low)
            plot.y_axis.setTickInterval(step)
            plot.y_axis.setRange(low - step * 0.15, high + step * 0.15)
            plot.y_axis.setTitleText(", ".join(sorted({pair.after.unit for pair in pairs})))
        return shown


class TrendsView(QWidget):
    """Passive: a list of movements; the chosen one's chart, summary and before/after pairs."""

    def __init__(self, catalog: SessionCatalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.trends: list[SnippetTrend] = []
        self.movements = QListWidget()
        self.movements.setObjectName("movementList")
        self.movements.setAccessibleName("Movements: choose one to see its trend")
        self.movements.setWordWrap(True)
        self.movements.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrapped titles get their height
        self.movements.setMinimumWidth(280)
        self.movements.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.movements.currentRowChanged.connect(self._show_row)
        self.chart = TrendChart()
        self.summary = QLabel()
        self.summary.setObjectName("trendSummary")
        self.summary.setWordWrap(True)
        self.ease_summary = QLabel()
        self.ease_summary.setWordWrap(True)
        self.pair_summary = QLabel()
        self.pair_summary.setWordWrap(True)
        self.pairs = QTableWidget(0, len(PAIR_COLUMNS))
        self.pairs.setObjectName("pairTable")
        self.pairs.setAccessibleName("Before and after measurements")
        self.pairs.setHorizontalHeaderLabels(PAIR_COLUMNS)
        self.pairs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pairs.verticalHeader().setVisible(False)
        self.pairs.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.pairs.setMaximumHeight(160)
        content = QWidget()
        right = QVBoxLayout(content)
        right.setContentsMargins(0, 0, 6, 0)
        right.addWidget(self.summary)
        right.addWidget(self.ease_summary)
        right.addWidget(self.chart, 1)
        right.addWidget(self.pair_summary)
        right.addWidget(self.pairs)
        scroll = QScrollArea()  # on a short window the charts keep a readable height and scroll
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.movements, 1)
        layout.addWidget(scroll, 3)

    def show_trends(self, trends: Sequence[SnippetTrend]) -> None:
        """List ``trends`` (one per movement) and show the chosen one (the same movement as before if any)."""
        chosen = self.current()
        key = (chosen.session_id, chosen.snippet_id) if chosen else None
        self.trends = list(trends)
        self.movements.blockSignals(True)
        self.movements.clear()
        several = len({t.session_id for t in self.trends}) > 1  # name the session only when it tells them apart
        for trend in self.trends:
            runs = f"{len(trend.run_ids)} run{'' if len(trend.run_ids) == 1 else 's'}"
            session = f" · {self.catalog.session_title(trend.session_id)}" if several else ""
            item = QListWidgetItem(f"{trend.title}\n{runs}{session}")
            item.setToolTip(f"{trend.title} ({self.catalog.session_title(trend.session_id)}): {runs}")
            self.movements.addItem(item)
        if not self.trends:
            placeholder = QListWidgetItem("No movement rated in this period yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.movements.addItem(placeholder)
        keys = [(t.session_id, t.snippet_id) for t in self.trends]
        self.movements.setCurrentRow(keys.index(key) if key in keys else 0 if self.trends else -1)
        self.movements.blockSignals(False)
        self._show_row(self.movements.currentRow())  # once (the row change above would have drawn it too)

    def current(self) -> SnippetTrend | None:
        """The movement shown, or None."""
        row = self.movements.currentRow()
        return self.trends[row] if 0 <= row < len(self.trends) else None

    def _show_row(self, row: int) -> None:
        trend = self.trends[row] if 0 <= row < len(self.trends) else None
        self.chart.show_trend(trend)
        self.chart.setVisible(trend is not None)  # an empty chart would only show a meaningless time axis
        self.summary.setText(trend.summary if trend else "No rated check-ins in this period: practise a session, "
                             "or widen the filters.")
        self.ease_summary.setText(trend.ease_summary[0].upper() + trend.ease_summary[1:] if trend else "")
        self.ease_summary.setVisible(trend is not None)
        self._show_pairs(trend.pairs if trend else ())

    def _show_pairs(self, pairs: Sequence[PairTrend]) -> None:
        rows = [(pair, point) for pair in pairs for point in reversed(pair.points)]  # newest first
        self.pair_summary.setText("<br>".join(f"<b>Before/after</b> {p.summary}" for p in pairs))
        self.pair_summary.setVisible(bool(pairs))
        self.pairs.setVisible(bool(rows))
        self.pairs.setRowCount(len(rows))
        for row, (pair, point) in enumerate(rows):
            unit = pair.after.unit
            moment = local_moment(point.answered_at)
            cells = (f"{moment:%a} {moment.day} {moment:%b %Y}", _number(point.before, unit),
                     _number(point.after, unit), _number(point.difference, unit, signed=True))
            for column, text in enumerate(cells):
                self.pairs.setItem(row, column, QTableWidgetItem(text))
