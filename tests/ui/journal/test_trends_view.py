"""The trends tab: discomfort and ease on charts of their own, measurements plotted, sentences from means."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from pytestqt.qtbot import QtBot

from player.core.journal.review import snippet_trends
from player.ui.journal.trends_view import TrendChart, TrendsView, measure_points
from tests.journal_seed import SESSION, builtin_catalog, seeded_journal


def trends_for(tmp_path: Path) -> dict[str, object]:
    journal, _ = seeded_journal(tmp_path / "journal.db")
    try:
        return {t.snippet_id: t for t in snippet_trends(journal, catalog=builtin_catalog(), session_id=SESSION,
                                                        tz=UTC)}
    finally:
        journal.close()


def test_discomfort_and_ease_each_have_their_own_chart_and_axis(qtbot: QtBot, tmp_path: Path) -> None:
    trend = trends_for(tmp_path)["big-toe-hip"]
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.show_trend(trend)  # type: ignore[arg-type]
    assert chart.discomfort.chart() is not chart.ease.chart()  # ease 4 no longer sits where discomfort 8 does
    discomfort_axis, = [a for a in chart.discomfort.attachedAxes() if a is chart.discomfort_plot.y_axis]
    ease_axis, = [a for a in chart.ease.attachedAxes() if a is chart.ease_plot.y_axis]
    assert discomfort_axis.min() < 0 < 10 < discomfort_axis.max() < 11  # 0-10, the ends drawn whole
    assert discomfort_axis.tickAnchor() == 0 and discomfort_axis.tickInterval() == 2
    assert 0 < ease_axis.min() < 1 and 5 < ease_axis.max() < 6
    assert ease_axis.tickAnchor() == 1 and ease_axis.tickInterval() == 1
    assert [p.y() for p in chart.ease.points()] == [2, 3, 3, 4]
    assert chart.measure_plot.isHidden() and chart.measures == []  # big toe and hip has no measurement
    assert chart.discomfort_plot.x_axis.min() == chart.ease_plot.x_axis.min()  # one time axis: days line up


def test_reach_measurements_are_plotted_before_and_after(qtbot: QtBot, tmp_path: Path) -> None:
    trend = trends_for(tmp_path)["toe-touch-test"]
    before, after = measure_points(trend.pairs[0])  # type: ignore[attr-defined]
    assert [p.y() for p in before] == [-8.0, -7.0, -5.0] and [p.y() for p in after] == [-4.5, -2.0, 0.0]
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.show()
    chart.show_trend(trend)  # type: ignore[arg-type]
    assert not chart.measure_plot.isHidden()
    assert [s.name() for s in chart.measures] == ["toe-touch before (cm)", "toe-touch after (cm)"]
    assert [[p.y() for p in s.points()] for s in chart.measures] == [[-8.0, -7.0, -5.0], [-4.5, -2.0, 0.0]]
    axis = chart.measure_plot.y_axis
    assert axis.min() < -8.0 and axis.max() > 0.0 and axis.titleText() == "cm"
    assert axis.tickInterval() == 2 and axis.tickAnchor() == -8  # round steps over -8 .. 0
    chart.show_trend(trends_for(tmp_path / "again")["big-toe-hip"])  # type: ignore[arg-type]
    assert chart.measures == [] and chart.measure_plot.isHidden()  # the old test's lines are gone


def test_the_view_says_both_trends_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    trends = trends_for(tmp_path)
    view = TrendsView(builtin_catalog())
    qtbot.addWidget(view)
    view.show_trends([trends["big-toe-hip"]])  # type: ignore[list-item]
    assert view.summary.text() == ("Big toe and hip: discomfort 4.5 -> 2.5 over 4 runs"
                                   " (mean of the first 2 runs against the last 2)")
    assert view.ease_summary.text() == "Ease 2.5 -> 3.5 over 4 runs (mean of the first 2 runs against the last 2)"
    view.show_trends([])
    assert view.ease_summary.isHidden() and "No rated check-ins" in view.summary.text()


def test_nice_steps() -> None:
    from player.ui.journal.trends_view import nice_step

    assert [nice_step(span) for span in (0, 8, 3, 45, 0.6)] == [1.0, 2, 1, 10, 0.2]
