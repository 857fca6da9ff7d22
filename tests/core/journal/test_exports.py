"""Exports on a real SQLite file: CSV rows, a JSON document that round-trips byte for byte, readable Markdown."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date
from pathlib import Path
from typing import TextIO

import pytest

from player.core.errors import JournalError
from player.core.journal import exports as exchange
from player.core.journal.exports import FORMAT_NAME, FORMAT_VERSION, document_text, export_file, load_records
from player.core.journal.imports import import_file
from player.core.journal.store import Answers, Journal
from tests.journal_seed import OTHER, SESSION, START, Seeded, builtin_catalog


def test_csv_one_row_per_checkin(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, ids = seeded
    out = tmp_path / "journal.csv"
    assert export_file(journal, out, format="csv") == 5
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["run_id", "session_id", "started_at", "snippet_id", "answered_at", "discomfort", "ease",
                             "body_areas", "note", "skipped", "reach-before", "reach-after"]
    assert len(rows) == sum(len(c) for c in ids.checkin_ids)
    first = rows[0]
    assert first == {"run_id": str(ids.run_ids[0]), "session_id": SESSION, "started_at": "2026-11-02T08:00:00.000Z",
                     "snippet_id": "big-toe-hip", "answered_at": "2026-11-02T08:01:00.000Z", "discomfort": "5",
                     "ease": "2", "body_areas": "big-toe-left;hip-left", "note": "Left big toe stiff, hip tight",
                     "skipped": "0", "reach-before": "", "reach-after": ""}
    assert (rows[2]["skipped"], rows[2]["discomfort"]) == ("1", "")
    assert (rows[3]["reach-before"], rows[3]["reach-after"]) == ("-8.0", "-4.5")


def test_csv_guards_spreadsheet_formulas(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=START)
        journal.save_checkin(run.id, "a", Answers(note='=HYPERLINK("http://x")', extra={"side": "+left", "n": -2}),
                             now=START)
        export_file(journal, tmp_path / "out.csv", format="csv")
    row = next(csv.DictReader((tmp_path / "out.csv").open(newline="", encoding="utf-8")))
    assert row["note"] == "'=HYPERLINK(\"http://x\")" and row["side"] == "'+left" and row["n"] == "-2"


def test_filters(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, ids = seeded
    assert [r.run.id for r in load_records(journal, since=date(2026, 11, 4), tz=UTC)] == ids.run_ids[2:]
    assert [r.run.id for r in load_records(journal, session_id=OTHER)] == [ids.run_ids[3]]
    assert export_file(journal, tmp_path / "x.json", format="json", since=date(2026, 11, 10), session_id=SESSION,
                       tz=UTC) == 1


def test_json_document(seeded: tuple[Journal, Seeded]) -> None:
    journal, _ = seeded
    document = json.loads(document_text(load_records(journal)))
    assert (document["format"], document["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    first = document["runs"][0]
    assert list(first) == ["session_id", "started_at", "ended_at", "completed", "followup", "checkins"]
    assert first["followup"] == {"asked_on": "2026-11-03", "answer": "better", "note": "Slept well",
                                 "answered_at": "2026-11-03T09:00:00.000Z"}
    assert first["checkins"][3] == {
        "snippet_id": "toe-touch-test", "answered_at": "2026-11-02T08:04:00.000Z", "skipped": False, "discomfort": 3,
        "ease": 3, "body_areas": [], "note": "", "answers": {"reach-before": -8.0, "reach-after": -4.5}}
    assert "id" not in first and "run_id" not in first["checkins"][0]  # natural keys only


def test_export_import_export_is_identical(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, _ = seeded
    first = tmp_path / "first.json"
    export_file(journal, first, format="json")
    with Journal.open(tmp_path / "other" / "journal.db") as empty:
        result = import_file(empty, first)
        assert (result.runs_added, result.checkins_added, result.followups_added) == (5, 13, 1)
        again = import_file(empty, first)
        assert (again.runs_added, again.checkins_added, again.followups_added) == (0, 0, 0)
        assert (again.runs_present, again.checkins_present) == (5, 13)
        export_file(empty, tmp_path / "second.json", format="json")
    assert (tmp_path / "second.json").read_bytes() == first.read_bytes()


def test_import_adds_only_what_is_missing(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, ids = seeded
    export_file(journal, tmp_path / "all.json", format="json")
    with Journal.open(tmp_path / "other.db") as partial:
        document = json.loads((tmp_path / "all.json").read_text())
        document["runs"] = document["runs"][:2]
        document["runs"][1]["checkins"] = document["runs"][1]["checkins"][:1]
        (tmp_path / "part.json").write_text(json.dumps(document))
        import_file(partial, tmp_path / "part.json")
        result = import_file(partial, tmp_path / "all.json")
        assert (result.runs_added, result.checkins_added, result.runs_present, result.checkins_present) == (3, 8, 2, 5)
        assert document_text(load_records(partial)) == document_text(load_records(journal))


def test_markdown_is_readable_and_escaped(seeded: tuple[Journal, Seeded], tmp_path: Path) -> None:
    journal, ids = seeded
    journal.save_checkin(ids.run_ids[4], "big-toe-hip", Answers(note="a | b\nsecond *line* <b>"), now=START)
    export_file(journal, tmp_path / "j.md", format="md", catalog=builtin_catalog(), tz=UTC)
    text = (tmp_path / "j.md").read_text(encoding="utf-8")
    assert text.startswith("# Movement Player journal\n\n5 runs, 02 Nov 2026 to 11 Nov 2026")
    assert "## Mon 02 Nov 2026, 08:00 — Foot-Spine Connections" in text
    assert "Completed, 4 check-ins. Next day: better: Slept well." in text
    assert "| 08:01 | Big toe and hip | 5 | 2 | Big toe (left), Hip (left) | Left big toe stiff, hip tight |  |" in text
    assert "| 08:03 | The weight spiral | skipped |" in text
    assert "reach-before: -8.0; reach-after: -4.5" in text
    assert "## Tue 10 Nov 2026, 08:00 — home-made" in text  # not in the library: its id
    assert r"a \| b<br>second \*line\* \<b\>" in text
    assert all(line.count(" | ") == 6 for line in text.splitlines() if line.startswith("| 08:") or line.startswith(
        "| 00:"))


def test_empty_journal_exports(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        for fmt in ("csv", "json", "md"):
            assert export_file(journal, tmp_path / f"empty.{fmt}", format=fmt) == 0  # type: ignore[arg-type]
    assert (tmp_path / "empty.md").read_text().endswith("No runs in this period.\n")
    assert json.loads((tmp_path / "empty.json").read_text())["runs"] == []


def test_export_leaves_no_partial_file(seeded: tuple[Journal, Seeded], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    journal, _ = seeded
    with pytest.raises(JournalError, match="Cannot write"):
        export_file(journal, tmp_path / "missing" / "x.csv", format="csv")
    target = tmp_path / "keep.md"
    target.write_text("old")

    def fail_half_way(records: object, out: TextIO, **options: object) -> None:
        out.write("# half")
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(exchange, "write_markdown", fail_half_way)
    with pytest.raises(RuntimeError):
        export_file(journal, target, format="md")
    assert target.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
