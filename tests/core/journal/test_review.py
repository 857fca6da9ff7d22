"""Review queries on a real SQLite file: history, filters, weeks, calendar, trends, pairs, body map, search."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from player.core.journal.edits import delete_checkin, update_checkin
from player.core.journal.migrations import MIGRATIONS
from player.core.journal.review import (
    RunFilter,
    SessionCatalog,
    body_map,
    count_runs,
    fts_query,
    group_by_week,
    notable_notes,
    practice_days,
    run_detail,
    run_history,
    search_notes,
    snippet_trends,
)
from player.core.journal.store import Answers, Journal
from tests.journal_seed import OTHER, SESSION, START, Seeded, builtin_catalog


def test_history_newest_first_with_figures(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    history = run_history(journal, tz=UTC)
    assert [s.run.id for s in history] == ids.run_ids[::-1]
    first = history[-1]
    assert first.day == date(2026, 11, 2) and first.run.completed and first.checkin_count == 4
    assert first.mean_discomfort == pytest.approx(4.0) and first.max_discomfort == 5  # the skipped one is left out
    assert history[2].run.completed is False and history[2].max_discomfort == 6
    assert count_runs(journal) == 5


def test_history_pages(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    pages = [run_history(journal, limit=2, offset=offset, tz=UTC) for offset in (0, 2, 4)]
    assert [[s.run.id for s in page] for page in pages] == [ids.run_ids[4:2:-1], ids.run_ids[2:0:-1], ids.run_ids[:1]]


def test_filters(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded

    def found(**options: object) -> list[int]:
        where = RunFilter(**options)  # type: ignore[arg-type]
        assert count_runs(journal, where=where, tz=UTC) == len(run_history(journal, where=where, tz=UTC))
        return sorted(s.run.id for s in run_history(journal, where=where, tz=UTC))

    r = ids.run_ids
    assert found(since=date(2026, 11, 3)) == r[1:]
    assert found(since=date(2026, 11, 3), until=date(2026, 11, 5)) == [r[1], r[2]]
    assert found(session_id=OTHER) == [r[3]]
    assert found(snippet_id="toe-touch-test") == [r[0], r[1], r[4]]
    assert found(body_area="hip-left") == [r[0], r[1], r[2], r[4]]
    assert found(body_area="lower-back", since=date(2026, 11, 4)) == [r[2]]
    assert found(text="stiff") == [r[0], r[1]]  # "stiff" and, stemmed, "Stiffness"
    assert found(text="floor", session_id=SESSION) == [r[4]]
    assert found(text="   ") == r  # no words: no text condition


def test_filters_report_matching_checkins(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    history = run_history(journal, where=RunFilter(body_area="hip-left"), tz=UTC)
    by_run = {s.run.id: s.matches for s in history}
    assert by_run[ids.run_ids[2]] == (ids.checkin_ids[2][0],)
    assert by_run[ids.run_ids[4]] == (ids.checkin_ids[4][1],)
    assert all(s.matches == () for s in run_history(journal, tz=UTC))


def test_local_days_follow_the_time_zone(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    tokyo = timezone(timedelta(hours=9))  # 08:00 UTC is 17:00 there: same day
    samoa = timezone(timedelta(hours=-11))  # 08:00 UTC is 21:00 the day before
    assert run_history(journal, tz=tokyo)[-1].day == date(2026, 11, 2)
    assert run_history(journal, tz=samoa)[-1].day == date(2026, 11, 1)
    only_first = run_history(journal, where=RunFilter(until=date(2026, 11, 1)), tz=samoa)
    assert [s.run.id for s in only_first] == ids.run_ids[:1]


def test_group_by_week(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    weeks = group_by_week(run_history(journal, tz=UTC))
    assert [(w.year, w.week, len(w.runs)) for w in weeks] == [(2026, 46, 2), (2026, 45, 3)]
    assert weeks[1].monday == date(2026, 11, 2) and weeks[1].label == "Week 45, 2026 (2 Nov-8 Nov)"


def test_group_by_week_across_the_year(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        for day in (date(2026, 12, 31), date(2027, 1, 3), date(2027, 1, 4)):
            journal.start_run("s", now=START.replace(year=day.year, month=day.month, day=day.day))
        weeks = group_by_week(run_history(journal, tz=UTC))
    assert [(w.year, w.week, len(w.runs)) for w in weeks] == [(2027, 1, 1), (2026, 53, 2)]


def test_practice_days(seeded: tuple[Journal, Seeded]) -> None:
    journal, _ = seeded
    days = practice_days(journal, first=date(2026, 11, 1), last=date(2026, 11, 9), tz=UTC)
    assert [(d.day.day, d.runs) for d in days] == [(2, 1), (3, 1), (5, 1)]
    assert [d.day.day for d in practice_days(journal, first=date(2026, 11, 10), last=date(2026, 11, 30), tz=UTC)] \
        == [10, 11]
    assert practice_days(journal, first=date(2026, 11, 2), last=date(2026, 11, 30), session_id=OTHER, tz=UTC)[0].day \
        == date(2026, 11, 10)


def test_run_detail(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    detail = run_detail(journal, ids.run_ids[0])
    assert [c.snippet_id for c in detail.checkins] == ["big-toe-hip", "foot-roll-spine", "weight-spiral",
                                                       "toe-touch-test"]
    assert detail.checkins[2].skipped and detail.checkins[3].answers.extra == {"reach-before": -8.0,
                                                                                 "reach-after": -4.5}
    assert detail.followup is not None and detail.followup.answer == "better" and detail.followup.note == "Slept well"
    assert run_detail(journal, ids.run_ids[1]).followup is None


def test_trends_one_point_per_run(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    trends = {(t.session_id, t.snippet_id): t for t in snippet_trends(journal, catalog=builtin_catalog(), tz=UTC)}
    toe_hip = trends[(SESSION, "big-toe-hip")]
    assert toe_hip.title == "Big toe and hip"
    assert toe_hip.run_ids == (ids.run_ids[0], ids.run_ids[1], ids.run_ids[2], ids.run_ids[4])
    assert toe_hip.discomfort == (5, 4, 3, 2) and toe_hip.ease == (2, 3, 3, 4)  # run 3: the replay counts
    assert toe_hip.points[2].answered_at == "2026-11-05T08:02:00.000Z"
    assert toe_hip.summary == ("Big toe and hip: discomfort 4.5 -> 2.5 over 4 runs"
        " (mean of the first 2 runs against the last 2)")
    assert trends[(SESSION, "weight-spiral")].run_ids == (ids.run_ids[1],)  # skipped check-ins are no points
    assert trends[(SESSION, "weight-spiral")].summary == "The weight spiral: discomfort 2 (1 run)"
    assert trends[(OTHER, "warm-up")].title == "warm-up"  # unknown to the library: its id


def test_trend_summary_without_discomfort(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run(SESSION, now=START)
        journal.save_checkin(run.id, "big-toe-hip", Answers(ease=3), now=START)
        (trend,) = snippet_trends(journal, catalog=builtin_catalog())
    assert trend.summary == "Big toe and hip: no discomfort answers yet"


def test_trend_pairs_from_the_manifest(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    (trend,) = snippet_trends(journal, catalog=builtin_catalog(), snippet_id="toe-touch-test", tz=UTC)
    (pair,) = trend.pairs
    assert (pair.pair, pair.before.id, pair.after.id, pair.after.unit) == ("toe-touch", "reach-before", "reach-after",
                                                                         "cm")
    assert [(p.run_id, p.before, p.after, p.difference) for p in pair.points] == [
        (ids.run_ids[0], -8.0, -4.5, 3.5), (ids.run_ids[1], -7.0, -2.0, 5.0), (ids.run_ids[4], -5.0, 0.0, 5.0)]
    assert pair.mean_difference == pytest.approx(4.5)
    assert pair.summary == "toe-touch: after - before +4.5 cm on average over 3 runs"
    assert snippet_trends(journal, snippet_id="toe-touch-test")[0].pairs == ()  # no catalog: no questions known


def test_trends_within_a_period(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    trends = snippet_trends(journal, catalog=builtin_catalog(), since=date(2026, 11, 4), session_id=SESSION, tz=UTC)
    assert [(t.snippet_id, t.run_ids) for t in trends] == [
        ("big-toe-hip", (ids.run_ids[2], ids.run_ids[4])), ("toe-touch-test", (ids.run_ids[4],))]
    assert [len(p.points) for p in trends[1].pairs] == [1]


def test_body_map(seeded: tuple[Journal, Seeded]) -> None:
    journal, _ = seeded
    areas = body_map(journal, tz=UTC)
    assert [(a.area, a.label, a.count) for a in areas] == [
        ("big-toe-left", "Big toe (left)", 1), ("arch-left", "Arch (left)", 1), ("hip-left", "Hip (left)", 4),
        ("lower-back", "Lower back", 2)]
    hip = next(a for a in areas if a.area == "hip-left")
    assert hip.mean_discomfort == pytest.approx((5 + 4 + 6 + 1) / 4)
    assert [a.area for a in body_map(journal, since=date(2026, 11, 5), tz=UTC)] == ["hip-left", "lower-back"]


def test_search_notes_newest_first(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    hits = search_notes(journal, "stiff", tz=UTC)
    assert [h.checkin_id for h in hits] == [ids.checkin_ids[1][0], ids.checkin_ids[0][0]]
    assert hits[0].note == "Stiffness eased after rolling" and hits[0].session_id == SESSION
    assert [h.checkin_id for h in search_notes(journal, "repl slow", tz=UTC)] == [ids.checkin_ids[2][1]]  # prefixes
    assert search_notes(journal, "stiff", where=RunFilter(since=date(2026, 11, 3)), tz=UTC)[0].checkin_id \
        == ids.checkin_ids[1][0]
    assert search_notes(journal, "stiff", limit=1, tz=UTC) == hits[:1]
    assert search_notes(journal, "") == [] and search_notes(journal, '" * ( )') == []


@pytest.mark.parametrize("text", [
    '"', '""', '"quoted', 'AND(', 'AND', 'OR NOT', 'NEAR(x y)', '*', 'back*', '^back', 'col:back', '{note}: x',
    "'; drop table checkins; --", "(", ")", "-", "+", "\\", "\x00", "ü ñ 東京", "a" * 5000, "back AND( \"",
])
def test_hostile_search_text_never_raises(seeded: tuple[Journal, Seeded], text: str) -> None:
    journal, ids = seeded
    search_notes(journal, text)
    run_history(journal, where=RunFilter(text=text))
    if text in ("back*", "^back", 'back AND( "'):  # the words are still found, operators or not
        assert ids.checkin_ids[2][0] in [h.checkin_id for h in search_notes(journal, text)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(), max_size=40) | st.text(alphabet='"*()^:+-{}[]ANDORTNEA \x00\\',
                                                                       max_size=30))
def test_any_search_text_is_safe(seeded: tuple[Journal, Seeded], text: str) -> None:
    journal, _ = seeded
    query = fts_query(text)
    try:
        search_notes(journal, text)
    except sqlite3.OperationalError as exc:  # pragma: no cover - the assertion message is the point
        raise AssertionError(f"{text!r} -> {query!r} raised {exc}") from exc


def test_search_follows_edits_and_deletes(seeded: tuple[Journal, Seeded]) -> None:
    journal, ids = seeded
    target = ids.checkin_ids[3][0]
    update_checkin(journal, target, Answers(discomfort=1, note="Wobbly ankle today"))
    assert [h.checkin_id for h in search_notes(journal, "wobbly")] == [target]
    assert search_notes(journal, "gentle") == []
    delete_checkin(journal, target)
    assert search_notes(journal, "wobbly") == []


def test_existing_notes_are_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    db = Database(sqlite3.connect(path))
    MIGRATIONS.apply(db, stop_before="m002_enable_note_search")  # a journal from before note search
    db.table("runs").insert({"id": 1, "session_id": "s", "started_at": "2026-01-01T08:00:00.000Z", "completed": 1})
    db.table("checkins").insert({"run_id": 1, "snippet_id": "a", "answered_at": "2026-01-01T08:01:00.000Z",
                                 "note": "Old note about the sacrum", "skipped": 0})
    db.close()
    with Journal.open(path) as journal:
        assert [h.note for h in search_notes(journal, "sacrum")] == ["Old note about the sacrum"]


def test_notable_notes(seeded: tuple[Journal, Seeded]) -> None:
    journal, _ = seeded
    notes = notable_notes(journal, limit=3, tz=UTC)
    assert [n.discomfort for n in notes] == [6, 5, 4]
    assert [n.discomfort for n in notable_notes(journal, since=date(2026, 11, 10), tz=UTC)] == [1, 1]


def test_catalog_labels() -> None:
    catalog = builtin_catalog()
    assert catalog.session_title(SESSION) == "Foot-Spine Connections"
    assert catalog.snippet_title(SESSION, "spine-wave") == "Spine wave from the feet up"  # a paid part
    assert catalog.snippet_title("nope", "x") == "x" and SessionCatalog().session_title("nope") == "nope"
    assert [q.id for q in catalog.questions(SESSION, "toe-touch-test")][-2:] == ["reach-before", "reach-after"]
