"""The Journal page with a seeded real journal: history by week, a run's check-ins, edit and delete,
trends, the body map, search, the next-day follow-up and the File menu's exports."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from player.core.errors import JournalError
from player.core.journal.followups import followup
from player.core.journal.store import Journal
from player.core.licensing.keystore import LicenseStore
from player.core.session.library import builtin_root, scan_library
from player.playback.fake import FakeBackend
from player.ui.app import App
from player.ui.journal.checkin_edit_dialog import CheckinEditDialog
from player.ui.journal.followup_dialog import FollowupDialog
from player.ui.journal.page import JournalPage
from player.ui.shared.question_inputs import ScaleInput, TextInput
from tests.conftest import NO_COUNTDOWN
from tests.journal_seed import Seeded, seed

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 12 days after the last seeded run


@pytest.fixture(autouse=True)
def utc_calendar() -> Iterator[None]:
    """Local time is UTC here, so the seeded runs fall on known days and weeks."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def build(qtbot: QtBot, data: Path, *, now: datetime = NOW, seeded: bool = True) -> tuple[App, Seeded | None]:
    journal = Journal.open(data / "journal.db")
    ids = seed(journal) if seeded else None
    app = App(settings=NO_COUNTDOWN, entries=scan_library([builtin_root()]), journal=journal, backend=FakeBackend(),
              licenses=LicenseStore(data / "licenses"), now=lambda: now)
    qtbot.addWidget(app.window)
    app.window.show()
    app.window.activateWindow()
    # Shortcuts need the window active, which the platform confirms a little later.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2_000)
    return app, ids


@pytest.fixture
def built(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[App, Seeded]]:
    app, ids = build(qtbot, tmp_path / "data")
    assert ids is not None
    yield app, ids
    app.shut_down()


@pytest.fixture
def app(built: tuple[App, Seeded]) -> App:
    return built[0]


def journal_page(app: App) -> JournalPage:
    assert app.journal_view is not None
    return app.journal_view.page


def opened(app: App) -> JournalPage:
    app.show_journal()
    return journal_page(app)


def history_rows(page: JournalPage) -> list[tuple[str, ...]]:
    return [tuple(item.text(c) for c in range(6)) for item in page.history.run_items()]


def run_row(page: JournalPage, run_id: int) -> int:
    return [item.data(0, Qt.ItemDataRole.UserRole + 1) for item in page.history.run_items()].index(run_id)


def open_run(qtbot: QtBot, page: JournalPage, run_id: int) -> None:
    page.history.tree.setCurrentItem(page.history.run_items()[run_row(page, run_id)])
    qtbot.keyClick(page.history.tree, Qt.Key.Key_Return)
    assert page.history.showing_detail()


# --- opening --------------------------------------------------------------------------------------------


def test_j_and_ctrl_j_open_the_journal_and_esc_goes_back(qtbot: QtBot, app: App) -> None:
    window = app.window
    qtbot.keyClick(window.library.list, Qt.Key.Key_J)
    assert window.pages.currentWidget() is journal_page(app)
    qtbot.keyClick(journal_page(app).history.tree, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.library
    qtbot.keyClick(window.library.list, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is journal_page(app)
    qtbot.keyClick(journal_page(app).history.tree, Qt.Key.Key_Escape)
    assert app.open_session("foot-spine-connections")
    qtbot.keyClick(window.session, Qt.Key.Key_J)
    assert window.pages.currentWidget() is journal_page(app)
    qtbot.keyClick(journal_page(app).history.tree, Qt.Key.Key_Backspace)
    assert window.pages.currentWidget() is window.session


def test_ctrl_j_during_a_snippet_pauses_it_and_back_returns_to_it(qtbot: QtBot, app: App) -> None:
    window = app.window
    assert app.start_session("foot-spine-connections") and app.controller is not None
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.player, timeout=2000)
    qtbot.keyClick(window.player, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is journal_page(app) and app.controller.state.paused
    assert len(journal_page(app).history.run_items()) == 6  # the run just started is there
    qtbot.keyClick(journal_page(app).history.tree, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.player and app.controller.state.paused


def test_j_on_the_summary_page(qtbot: QtBot, app: App) -> None:
    app.window.show_page(app.window.summary)
    qtbot.keyClick(app.window.summary, Qt.Key.Key_J)
    assert app.window.pages.currentWidget() is journal_page(app)


def test_journal_buttons_and_menu(qtbot: QtBot, app: App) -> None:
    window = app.window
    window.library.journal_button.click()
    assert window.pages.currentWidget() is journal_page(app)
    window.library_action.trigger()
    assert window.pages.currentWidget() is window.library
    window.journal_action.trigger()
    assert window.pages.currentWidget() is journal_page(app)
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&View", "&Help"]


# --- history --------------------------------------------------------------------------------------------


def test_history_by_week_newest_first(app: App, built: tuple[App, Seeded]) -> None:
    page = opened(app)
    tree = page.history.tree
    weeks = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert weeks == ["Week 46, 2026 (9 Nov-15 Nov)  ·  2 runs", "Week 45, 2026 (2 Nov-8 Nov)  ·  3 runs"]
    rows = history_rows(page)
    assert rows[0] == ("Wed 11 Nov, 08:00", "Foot-Spine Connections", "✓ yes", "1.5", "2", "2")
    assert rows[1] == ("Tue 10 Nov, 08:00", "home-made", "✓ yes", "1.0", "1", "1")  # not installed: its id
    assert rows[2][2:] == ("no", "4.5", "6", "2")
    assert rows[4] == ("Mon 2 Nov, 08:00", "Foot-Spine Connections", "✓ yes", "4.0", "5", "4")
    assert page.history.status.text() == "5 runs"
    assert "5 practice days" in page.history.calendar_caption.text()
    assert page.history.calendar.runs[datetime(2026, 11, 2).date()] == 1


def test_opening_a_run_shows_each_checkin_with_all_answers(qtbot: QtBot, app: App, built: tuple[App, Seeded]) -> None:
    page = opened(app)
    open_run(qtbot, page, built[1].run_ids[0])
    detail = page.history.detail
    assert detail.title.text() == "Foot-Spine Connections"
    assert "Monday 2 November 2026, 08:00–08:05" in detail.details.text()
    assert "next day: better (“Slept well”)" in detail.details.text()
    cells = [[detail.table.item(r, c).text() for c in range(7)] for r in range(detail.table.rowCount())]
    assert cells[0] == ["08:01", "Big toe and hip", "5 / 10", "2 / 5", "Big toe (left), Hip (left)",
                        "Left big toe stiff, hip tight", ""]
    assert cells[2][1:3] == ["The weight spiral", "skipped"]
    assert cells[3][6] == "toe-touch before: -8 cm\ntoe-touch after: -4.5 cm"
    qtbot.keyClick(detail.table, Qt.Key.Key_Escape)
    assert not page.history.showing_detail() and app.window.pages.currentWidget() is page


def test_editing_a_checkin_changes_it_in_sqlite(qtbot: QtBot, app: App, built: tuple[App, Seeded],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ids = built[1]
    page = opened(app)
    open_run(qtbot, page, ids.run_ids[0])

    def edit(dialog: CheckinEditDialog) -> int:
        assert isinstance(dialog.inputs["discomfort"], ScaleInput) and dialog.inputs["discomfort"].value() == 5
        dialog.inputs["discomfort"].set_value(1)
        note = dialog.inputs["note"]
        assert isinstance(note, TextInput) and note.text() == "Left big toe stiff, hip tight"
        note.setText("Only the toe, not the hip")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CheckinEditDialog, "exec", edit)
    qtbot.keyClick(page.history.detail.table, Qt.Key.Key_E)
    saved = app.journal.checkin(ids.checkin_ids[0][0])
    assert saved.answers.discomfort == 1 and saved.answers.note == "Only the toe, not the hip"
    assert saved.answers.ease == 2 and saved.answers.body_areas == ("big-toe-left", "hip-left")  # kept
    assert page.history.detail.table.item(0, 2).text() == "1 / 10"
    qtbot.keyClick(page.history.detail.table, Qt.Key.Key_Escape)
    assert history_rows(page)[-1][3:5] == ("2.7", "4")  # the run's figures follow the edit


def test_editing_keeps_measurements_and_can_be_cancelled(qtbot: QtBot, app: App, built: tuple[App, Seeded],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ids = built[1]
    page = opened(app)
    open_run(qtbot, page, ids.run_ids[0])
    page.history.detail.table.selectRow(3)
    monkeypatch.setattr(CheckinEditDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    page.history.detail.edit_button.click()
    monkeypatch.setattr(CheckinEditDialog, "exec", lambda _dialog: QDialog.DialogCode.Accepted)
    page.history.detail.edit_button.click()
    saved = app.journal.checkin(ids.checkin_ids[0][3])
    assert dict(saved.answers.extra) == {"reach-before": -8.0, "reach-after": -4.5}


def test_delete_asks_first_then_removes(qtbot: QtBot, app: App, built: tuple[App, Seeded],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = built[1]
    page = opened(app)
    open_run(qtbot, page, ids.run_ids[0])
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
            asked.append(title + " " + text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(page.history.detail.table, Qt.Key.Key_Delete)
    assert app.journal.checkin(ids.checkin_ids[0][0]).answers.discomfort == 5
    assert "Delete this check-in?" in asked[0] and "Big toe and hip" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(page.history.detail.table, Qt.Key.Key_Delete)
    with pytest.raises(JournalError):
        app.journal.checkin(ids.checkin_ids[0][0])
    assert page.history.detail.table.rowCount() == 3
    assert page.history.detail.table.item(0, 1).text() == "Rolling the foot, turning the spine"


# --- trends and body map --------------------------------------------------------------------------------


def test_trend_chart_points_summary_and_pairs(qtbot: QtBot, app: App) -> None:
    page = opened(app)
    qtbot.keyClick(page.history.tree, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.trends
    titles = [page.trends.movements.item(i).text().split("\n")[0] for i in range(page.trends.movements.count())]
    assert titles == ["Big toe and hip", "Rolling the foot, turning the spine", "The weight spiral",
                      "Toe-touch test", "warm-up"]
    page.trends.movements.setCurrentRow(0)
    chart = page.trends.chart
    assert chart.discomfort.count() == 4 and chart.ease.count() == 4  # one point per run (the replay's last)
    assert [p.y() for p in chart.discomfort.points()] == [5, 4, 3, 2]
    assert page.trends.summary.text() == ("Big toe and hip: discomfort 4.5 -> 2.5 over 4 runs"
        " (mean of the first 2 runs against the last 2)")
    assert page.trends.pairs.isHidden()
    page.trends.movements.setCurrentRow(3)
    assert "toe-touch: after - before +4.5 cm on average over 3 runs" in page.trends.pair_summary.text()
    pairs = page.trends.pairs
    assert [[pairs.item(0, c).text() for c in range(4)]] == [["Wed 11 Nov 2026", "-5.0 cm", "0.0 cm", "+5.0 cm"]]
    assert pairs.rowCount() == 3


def test_a_long_trend_is_drawn_as_weekly_means(qtbot: QtBot) -> None:
    from player.core.journal.review import SnippetTrend
    from player.ui.journal.trends_view import TrendChart, chart_period, trend_points

    days = 200  # daily practice: 200 runs in 29 weeks
    times = tuple(f"{(datetime(2026, 1, 5, 8, tzinfo=UTC) + timedelta(days=d)).isoformat()}" for d in range(days))
    trend = SnippetTrend(session_id="s", snippet_id="x", title="X", run_ids=tuple(range(days)), times=times,
                         discomfort=tuple(6 if d < 7 else 2 for d in range(days)), ease=(None,) * days)
    assert chart_period(trend) == "week"
    discomfort, ease = trend_points(trend)
    assert len(discomfort) == 29 and ease == []
    assert discomfort[0].y() == 6 and discomfort[1].y() == 2  # the first week alone was 6
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.show_trend(trend)
    assert chart.discomfort.count() == 29 and chart.discomfort.name().endswith("weekly mean)")


def test_clicking_a_body_area_filters_the_history(qtbot: QtBot, app: App, built: tuple[App, Seeded]) -> None:
    ids = built[1]
    page = opened(app)
    page.show_tab(page.body)
    figure = page.body.figure
    assert figure.counts["hip-left"].count == 4
    qtbot.mouseClick(figure, Qt.MouseButton.LeftButton, pos=figure.spot_center("lower-back").toPoint())
    assert page.tabs.currentWidget() is page.history
    assert page.filters.where().body_area == "lower-back"
    runs = [item.data(0, Qt.ItemDataRole.UserRole + 1) for item in page.history.run_items()]
    assert runs == [ids.run_ids[2], ids.run_ids[1]]
    flagged = page.history.run_items()[0].child(0)
    assert flagged.text(0).startswith("08:01  Big toe and hip  ·  discomfort 6  ·  Hip (left), Lower back")
    assert page.history.status.text().startswith("2 runs · filtered by Lower back")
    page.show_tab(page.body)
    assert figure.selected == "lower-back"


def test_body_map_by_keyboard(qtbot: QtBot, app: App) -> None:
    page = opened(app)
    page.show_tab(page.body)
    figure = page.body.figure
    start = figure.focus_index
    qtbot.keyClick(figure, Qt.Key.Key_Right)
    assert figure.focus_index == start + 1
    qtbot.keyClick(figure, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.history and page.filters.where().body_area is not None


# --- search and filters ---------------------------------------------------------------------------------


def test_search_filters_runs_and_lists_the_notes(qtbot: QtBot, app: App, built: tuple[App, Seeded]) -> None:
    ids = built[1]
    page = opened(app)
    qtbot.keyClick(page.history.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filters.search.hasFocus()
    with qtbot.waitSignal(page.filters.changed, timeout=2000):
        qtbot.keyClicks(page.filters.search, "stiff")
    runs = [item.data(0, Qt.ItemDataRole.UserRole + 1) for item in page.history.run_items()]
    assert runs == [ids.run_ids[1], ids.run_ids[0]]  # "stiff" and "Stiffness"
    assert "“Stiffness eased after rolling”" in page.history.run_items()[0].child(0).text(0)
    with qtbot.waitSignal(page.filters.changed, timeout=2000):
        page.filters.search.setText("nothing like this")
    assert page.history.run_items() == []
    assert page.history.tree.topLevelItem(0).text(0).startswith("No runs match these filters")


def test_session_and_date_filters(app: App, built: tuple[App, Seeded]) -> None:
    ids = built[1]
    page = opened(app)
    filters = page.filters
    filters.session.setCurrentIndex(filters.session.findData("foot-spine-connections"))
    assert len(page.history.run_items()) == 4
    filters.snippet.setCurrentIndex(filters.snippet.findData("toe-touch-test"))
    assert len(page.history.run_items()) == 3
    filters.clear()
    page.history.day_chosen.emit(datetime(2026, 11, 5).date())  # a day on the calendar strip
    runs = [item.data(0, Qt.ItemDataRole.UserRole + 1) for item in page.history.run_items()]
    assert runs == [ids.run_ids[2]]
    filters.clear()
    assert len(page.history.run_items()) == 5


# --- next-day follow-up ---------------------------------------------------------------------------------


def test_followup_asked_on_a_later_day_stored_and_not_asked_again(qtbot: QtBot, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    app, ids = build(qtbot, tmp_path / "data", now=datetime(2026, 11, 12, 9, 0, tzinfo=UTC))
    assert ids is not None
    shown: list[str] = []

    def answer(dialog: FollowupDialog) -> int:
        shown.append(dialog.findChild(type(dialog.note)).placeholderText())
        dialog.choose("better")
        dialog.note.setText("  Lower back calmer  ")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FollowupDialog, "exec", answer)
    assert app.offer_followup()
    saved = followup(app.journal, ids.run_ids[-1])
    assert saved is not None and (saved.answer, saved.note) == ("better", "Lower back calmer")
    assert str(saved.asked_on) == "2026-11-12"
    assert not app.offer_followup() and len(shown) == 1
    app.shut_down()


def test_followup_dismissed_is_stored_and_not_asked_again(qtbot: QtBot, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    app, ids = build(qtbot, tmp_path / "data", now=datetime(2026, 11, 12, 9, 0, tzinfo=UTC))
    assert ids is not None
    monkeypatch.setattr(FollowupDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    assert not app.offer_followup()
    saved = followup(app.journal, ids.run_ids[-1])
    assert saved is not None and saved.answer is None
    monkeypatch.setattr(FollowupDialog, "exec", lambda _dialog: pytest.fail("asked twice"))
    assert not app.offer_followup()
    app.shut_down()


def test_followup_dialog_keys(qtbot: QtBot) -> None:
    today = datetime(2026, 11, 12).date()
    dialog = FollowupDialog(session_title="Foot-Spine Connections", day=datetime(2026, 11, 11).date(), today=today)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    dialog.choose("worse")
    assert dialog.answer() == "worse" and dialog.save_button.isEnabled()


def test_no_followup_on_the_same_day(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FollowupDialog, "exec", lambda _dialog: pytest.fail("not due"))
    assert not app.offer_followup()  # the last run was 12 days ago: it has settled into the runs since


# --- files ----------------------------------------------------------------------------------------------


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *_a: messages.append(f"{title}: {text}"))

    def exec_(box: QMessageBox) -> int:
        messages.append(f"{box.windowTitle()}: {box.text()}\n{box.detailedText()}")
        return 0
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return messages


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    captions: list[str] = []

    def dialog(_parent: object, caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        captions.append(caption)
        return str(path), _filter
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return captions


def test_exports_write_files(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("csv", "json", "md", "pdf"):
        save_as(monkeypatch, out / "journal")  # no suffix typed: the format's is added
        app.window.export_actions[name].trigger()
    assert (out / "journal.csv").read_text().startswith("run_id,session_id,started_at,snippet_id")
    document = json.loads((out / "journal.json").read_text())
    assert document["format"] == "movement-player-journal" and len(document["runs"]) == 5
    assert (out / "journal.md").read_text().startswith("# Movement Player journal")
    assert (out / "journal.pdf").read_bytes().startswith(b"%PDF")
    assert told[0] == f"Journal exported: Exported 5 runs to\n{out / 'journal.csv'}"
    assert len(told) == 4 and not list(out.glob(".*part"))


def test_export_from_the_journal_page_covers_its_period(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        told: list[str]) -> None:
    page = opened(app)
    page.history.day_chosen.emit(datetime(2026, 11, 3).date())
    captions = save_as(monkeypatch, tmp_path / "day.json")
    app.window.export_actions["json"].trigger()
    assert len(json.loads((tmp_path / "day.json").read_text())["runs"]) == 1
    assert captions == ["Export your journal as JSON (runs from 3 Nov 2026, to 3 Nov 2026)"]


def test_export_problem_is_told_in_plain_words(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               told: list[str]) -> None:
    save_as(monkeypatch, tmp_path / "missing-folder" / "journal.csv")
    app.window.export_actions["csv"].trigger()
    assert told[0].startswith("The journal was not exported: Cannot write") and "Traceback" not in told[0]


def test_backup_and_import(qtbot: QtBot, app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           told: list[str]) -> None:
    save_as(monkeypatch, tmp_path / "copy.db")
    app.window.backup_action.trigger()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("select count(*) from runs").fetchone()[0] == 5
    assert told[-1].startswith("Journal backed up: Backed up 5 runs and 13 check-ins")
    save_as(monkeypatch, tmp_path / "all.json")
    app.window.export_actions["json"].trigger()

    other, _ = build(qtbot, tmp_path / "other", seeded=False)
    page = opened(other)
    assert page.history.run_items() == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(tmp_path / "all.json"), ""))
    other.window.import_action.trigger()
    assert told[-1].startswith("Journal imported: Imported 5 runs, 13 check-ins and 1 follow-ups from all.json.")
    assert len(page.history.run_items()) == 5  # the open Journal page shows them at once
    (tmp_path / "bad.json").write_text('{"format": "movement-player-journal", "version": 1, "runs": [{}]}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(tmp_path / "bad.json"), ""))
    other.window.import_action.trigger()
    assert told[-1].startswith("Nothing was imported: bad.json:") and "runs[0]" in told[-1]
    assert len(page.history.run_items()) == 5
    other.shut_down()
