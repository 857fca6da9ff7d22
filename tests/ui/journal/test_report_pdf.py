"""The one-page clinician report: what it gathers, and a PDF whose text a PDF reader can extract."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest

from player.core.journal.report import REPORT_MAX_TRENDS, build_report
from player.core.journal.store import Answers, Journal
from tests.journal_seed import OTHER, SESSION, START, Seeded, builtin_catalog

TODAY = date(2026, 11, 23)


def pdf_text(path: Path) -> str:
    """The PDF's text through poppler's pdftotext (skipped without it, except in CI where it must be there)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def test_report_contents(seeded: tuple[Journal, Seeded]) -> None:
    journal, _ = seeded
    report = build_report(journal, today=TODAY, catalog=builtin_catalog(), tz=UTC)
    assert (report.first_day, report.last_day, report.prepared_on) == (date(2026, 11, 2), date(2026, 11, 11), TODAY)
    assert (report.runs, report.completed, report.practice_days) == (5, 4, 5)
    assert [(s.title, s.runs, s.completed) for s in report.sessions] == [("Foot-Spine Connections", 4, 3),
                                                                       ("home-made", 1, 1)]
    assert report.trends[0].summary == ("Big toe and hip: discomfort 4.5 -> 2.5 over 4 runs"
        " (mean of the first 2 runs against the last 2)")
    assert [n.discomfort for n in report.notes] == [6, 5, 4, 3, 1]
    assert report.notes[0].snippet_title == "Big toe and hip" and report.notes[0].day == date(2026, 11, 5)
    assert {a.area for a in report.body} == {"big-toe-left", "arch-left", "hip-left", "lower-back"}
    period = build_report(journal, today=TODAY, since=date(2026, 11, 9), session_id=SESSION, tz=UTC)
    assert (period.first_day, period.last_day, period.runs) == (date(2026, 11, 9), date(2026, 11, 11), 1)


def test_pdf_one_page_with_the_titles(seeded: tuple[Journal, Seeded], tmp_path: Path, qapp: object) -> None:
    from player.ui.journal.report_pdf import write_report_pdf

    journal, _ = seeded
    out = tmp_path / "report.pdf"
    write_report_pdf(build_report(journal, today=TODAY, catalog=builtin_catalog(), tz=UTC), out)
    assert out.read_bytes().startswith(b"%PDF-") and pages(out) == 1
    text = " ".join(pdf_text(out).split())
    for expected in ("Movement practice report", "Period: 2 Nov 2026 to 11 Nov 2026", "Foot-Spine Connections",
                     OTHER, "Big toe and hip: discomfort 4.5 -> 2.5 over 4 runs",
                     "mean of the first 2 runs against the last 2",
                     "toe-touch: after - before +4.5 cm on average over 3 runs", "Hip (left): 4",
                     "Left big toe stiff, hip tight", "Sessions done", "Notable notes"):
        assert expected in text, expected


def test_pdf_stays_one_page_with_a_lot_to_say(tmp_path: Path, qapp: object) -> None:
    from player.ui.journal.report_pdf import write_report_pdf

    with Journal.open(tmp_path / "journal.db") as journal:
        for index in range(40):
            run = journal.start_run(f"session-{index % 9}", now=START + timedelta(hours=index))
            for snippet in range(12):
                journal.save_checkin(run.id, f"snippet-with-a-rather-long-id-{snippet}",
                                     Answers(discomfort=(index + snippet) % 11, body_areas=("neck", "knee-left"),
                                             note=("A long note. " * 800)[:10_000]),
                                     now=START + timedelta(hours=index, minutes=snippet))
        report = build_report(journal, today=TODAY, tz=UTC)
    assert report.more_trends == 9 * 12 - REPORT_MAX_TRENDS
    out = tmp_path / "busy.pdf"
    write_report_pdf(report, out)
    assert pages(out) == 1
    assert "less practised movements not shown" in pdf_text(out)


def test_pdf_of_an_empty_journal(tmp_path: Path, qapp: object) -> None:
    from player.ui.journal.report_pdf import write_report_pdf

    with Journal.open(tmp_path / "journal.db") as journal:
        report = build_report(journal, today=TODAY)
    write_report_pdf(report, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert "no runs yet" in text and "No check-ins in this period." in text


def test_next_day_answers_are_in_the_report(seeded: tuple[Journal, Seeded], tmp_path: Path, qapp: object) -> None:
    from player.core.journal.followups import save_followup
    from player.core.journal.report import NextDay, NextDayNote
    from player.ui.journal.report_pdf import write_report_pdf

    journal, ids = seeded
    save_followup(journal, ids.run_ids[1], answer="worse", note="Low back stiff in the morning " * 20,
                  today=date(2026, 11, 6), now=START + timedelta(days=4))
    save_followup(journal, ids.run_ids[2], answer=None, today=date(2026, 11, 8), now=START + timedelta(days=6))
    report = build_report(journal, today=TODAY, catalog=builtin_catalog(), tz=UTC)
    assert report.next_day.answered == 2  # the dismissed question is not an answer
    assert report.next_day == NextDay(better=1, same=0, worse=1, notes=(
        NextDayNote(day=date(2026, 11, 3), answer="worse", note="Low back stiff in the morning " * 20),
        NextDayNote(day=date(2026, 11, 2), answer="better", note="Slept well")))
    out = tmp_path / "report.pdf"
    write_report_pdf(report, out)
    assert pages(out) == 1
    text = " ".join(pdf_text(out).split())
    assert "Next day (2 runs answered): 1 better, 0 about the same, 1 worse." in text
    assert "2 Nov 2026, better: Slept well" in text and "3 Nov 2026, worse: Low back stiff" in text


def test_report_without_next_day_answers_says_so(tmp_path: Path, qapp: object) -> None:
    from player.ui.journal.report_pdf import write_report_pdf

    with Journal.open(tmp_path / "journal.db") as journal:
        run = journal.start_run("s", now=START)
        journal.save_checkin(run.id, "x", Answers(discomfort=3), now=START)
        report = build_report(journal, today=TODAY, tz=UTC)
    assert report.next_day.answered == 0
    write_report_pdf(report, tmp_path / "r.pdf")
    assert "no answers to" in " ".join(pdf_text(tmp_path / "r.pdf").split())
