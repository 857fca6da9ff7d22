"""The trends tab: per movement, discomfort and ease over time as a QtCharts line chart, the summary in
words under it, and the before/after measurements as pairs with their difference."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from player.core.journal.review import Catalog, PairTrend, SnippetTrend
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


def epoch_ms(iso: str) -> float:
    """A journal time as milliseconds since the epoch (the chart's x)."""
    return parse_utc(iso).timestamp() * 1000


def chart_period(trend: SnippetTrend) -> str:
    """``"run"`` (a point per run) up to MAX_RUN_POINTS runs, else ``"week"`` or, for years, ``"month"``."""
    if len(trend.times) <= MAX_RUN_POINTS:
        return "run"
    weeks = {local_moment(t).isocalendar()[:2] for t in trend.times}
    return "week" if len(weeks) <= MAX_RUN_POINTS else "month"


def _period_key(iso: str, period: str, index: int) -> tuple[int, int]:
    moment = local_moment(iso)
    if period == "week":
        year, week, _ = moment.isocalendar()
        return year, week
    return (moment.year, moment.month) if period == "month" else (index, 0)


def _line(trend: SnippetTrend, values: Sequence[int | None], period: str) -> list[QPointF]:
    """The points of one answer: per run, or the mean time and value of each week or month that has one."""
    groups: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for index, (iso, value) in enumerate(zip(trend.times, values, strict=True)):
        if value is not None:
            groups.setdefault(_period_key(iso, period, index), []).append((epoch_ms(iso), value))
    return [QPointF(sum(x for x, _ in found) / len(found), sum(v for _, v in found) / len(found))
            for found in groups.values()]


def trend_points(trend: SnippetTrend) -> tuple[list[QPointF], list[QPointF]]:
    """(discomfort, ease) points of ``trend`` at its chart_period; runs without that answer are left out."""
    period = chart_period(trend)
    return _line(trend, trend.discomfort, period), _line(trend, trend.ease, period)


def _number(value: float | None, unit: str, *, signed: bool = False) -> str:
    return "-" if value is None else f"{value:{'+' if signed else ''}.1f} {unit}".strip()


class TrendChart(QChartView):
    """Discomfort (0-10, left axis) and ease (1-5, right axis) of one movement against the date."""

    def __init__(self) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.chart_.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setBackgroundRoundness(8)
        self.discomfort = self._series("Discomfort (0 none – 10 worst)", DISCOMFORT_COLOR)
        self.ease = self._series("Ease (1 hard – 5 effortless)", EASE_COLOR)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setTickCount(6)
        self.discomfort_axis = self._axis(0, 10, "Discomfort", "%d")
        self.ease_axis = self._axis(0, 5, "Ease", "%d")
        self.chart_.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.discomfort_axis, Qt.AlignmentFlag.AlignLeft)
        self.chart_.addAxis(self.ease_axis, Qt.AlignmentFlag.AlignRight)
        for series, axis in ((self.discomfort, self.discomfort_axis), (self.ease, self.ease_axis)):
            series.attachAxis(self.x_axis)
            series.attachAxis(axis)

    def _series(self, name: str, color: QColor) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        series.setPen(QPen(color, 2.5))
        series.setColor(color)
        series.hovered.connect(lambda point, state, s=series: self._hovered(s, point, state))
        self.chart_.addSeries(series)
        return series

    @staticmethod
    def _axis(low: float, high: float, title: str, label_format: str) -> QValueAxis:
        axis = QValueAxis()
        axis.setRange(low, high)
        axis.setTickCount(6)  # 0-10 in steps of 2 and 0-5 in steps of 1 share the grid lines
        axis.setLabelFormat(label_format)
        axis.setTitleText(title)
        return axis

    def show_trend(self, trend: SnippetTrend | None) -> None:
        """Plot ``trend`` (None: empty chart)."""
        discomfort, ease = trend_points(trend) if trend is not None else ([], [])
        suffix = PERIOD_NAMES[chart_period(trend)] if trend is not None else ""
        self.discomfort.setName(f"Discomfort (0 none – 10 worst{suffix})")
        self.ease.setName(f"Ease (1 hard – 5 effortless{suffix})")
        self.discomfort.replace(discomfort)
        self.ease.replace(ease)
        for series, points in ((self.discomfort, discomfort), (self.ease, ease)):
            series.setPointsVisible(len(points) <= MARKERS_UP_TO)
        xs = [p.x() for p in (*discomfort, *ease)]
        if not xs:
            return
        low, high = min(xs), max(xs)
        margin = max((high - low) * 0.04, 12 * 3600 * 1000)  # a lone point still gets a day around it
        self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(low - margin)),
                             QDateTime.fromMSecsSinceEpoch(int(high + margin)))
        self.x_axis.setFormat("MMM yyyy" if high - low > 300 * 86_400_000 else "d MMM")

    def _hovered(self, series: QLineSeries, point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        day = QDateTime.fromMSecsSinceEpoch(int(point.x())).toString("ddd d MMM yyyy")
        QToolTip.showText(self.cursor().pos(), f"{day}: {series.name().split(' (')[0].lower()} {point.y():.1f}", self)


class TrendsView(QWidget):
    """Passive: a list of movements; the chosen one's chart, summary and before/after pairs."""

    def __init__(self, catalog: Catalog) -> None:
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
        right = QVBoxLayout()
        right.addWidget(self.chart, 1)
        right.addWidget(self.summary)
        right.addWidget(self.pair_summary)
        right.addWidget(self.pairs)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.movements, 1)
        layout.addLayout(right, 3)

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
        self.movements.blockSignals(False)
        keys = [(t.session_id, t.snippet_id) for t in self.trends]
        self.movements.setCurrentRow(keys.index(key) if key in keys else 0 if self.trends else -1)
        self._show_row(self.movements.currentRow())

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
