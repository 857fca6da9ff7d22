"""Resume points on a real journal file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from player.core.journal.resume import ResumePoint, latest_resume_point, save_resume_point
from player.core.journal.store import Journal

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_latest_point_of_an_unfinished_run(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        assert latest_resume_point(journal) is None
        run = journal.start_run("s", now=NOW)
        for second in range(3):
            save_resume_point(journal, run.id, part="preview", snippet_index=1, snippet_id="b",
                              position_ms=1000 * second, now=NOW + timedelta(seconds=second))
        assert latest_resume_point(journal) == ResumePoint(run.id, "s", "preview", 1, "b", 2000,
                                                           "2026-11-23T09:00:02.000Z")


def test_survives_reopening_and_goes_when_the_run_ends(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=NOW)
        save_resume_point(journal, run.id, part="full", snippet_index=0, snippet_id="a", position_ms=500, now=NOW)
    with Journal.open(tmp_path / "journal.db") as journal:
        point = latest_resume_point(journal)
        assert point is not None and point.part == "full"
        journal.end_run(run.id, now=NOW, completed=False)
        assert latest_resume_point(journal) is None

