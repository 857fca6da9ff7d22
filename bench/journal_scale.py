"""Journal at scale: 10 years of daily practice (~50,000 check-ins) and what reviewing it costs.

    python bench/journal_scale.py [--years 10] [--dir DIR] [--repeat 5] [--seed 7]

Generates the journal in a temporary folder (in DIR, default $TMPDIR or /tmp) through the real schema
(Journal.open: migrations, FTS triggers), then times, best of ``--repeat`` on a freshly opened journal:
- journal view ready: what the Journal page needs before it can show anything — the first page of
  runs with their figures and the total count, the calendar strip (last 12 weeks), and the trends of every
  snippet over all time. Target (DESIGN.md): < 300 ms.
- the body map (all time), a note search, one snippet's trend: printed.
- CSV export of everything: target < 1 s. JSON and Markdown export, the JSON import into an empty
  journal, and the one-page PDF report (offscreen Qt): printed.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # measure the working tree this bench/ belongs to, installed or not
    sys.path.insert(0, str(REPO))

from player.core.journal import review  # noqa: E402
from player.core.journal.exports import export_file  # noqa: E402
from player.core.journal.imports import import_file  # noqa: E402
from player.core.journal.report import build_report  # noqa: E402
from player.core.journal.store import Journal, iso_utc  # noqa: E402
from player.core.session.library import builtin_root, scan_library  # noqa: E402
from player.core.session.manifest import Session  # noqa: E402

VIEW_TARGET_MS = 300.0
CSV_TARGET_MS = 1000.0
SESSION_ID = "foot-spine-connections"
PREVIEW = ("big-toe-hip", "foot-roll-spine", "weight-spiral", "toe-touch-test")
FULL = ("arch-and-ankle", "knee-hip-line", "pelvis-and-sacrum", "spine-wave")
AREAS = {
    "big-toe-hip": ("big-toe-left", "big-toe-right", "hip-left", "hip-right"),
    "foot-roll-spine": ("arch-left", "arch-right", "lower-back", "mid-back"),
    "weight-spiral": ("ankle-left", "knee-right", "hip-left", "pelvis-sacrum"),
    "toe-touch-test": ("lower-back", "heel-left", "heel-right", "neck"),
    "arch-and-ankle": ("arch-left", "ankle-left", "ankle-right"),
    "knee-hip-line": ("knee-left", "knee-right", "hip-right"),
    "pelvis-and-sacrum": ("pelvis-sacrum", "lower-back"),
    "spine-wave": ("upper-back", "mid-back", "neck", "shoulder-left", "jaw-right"),
}
NOTES = (
    "Left big toe lifts more easily than last week.", "A slight pull behind the right knee.",
    "Lower back stiff in the morning, better after the roll.", "Felt the arch wake up.",
    "Hip clicked once, no pain.", "Tired today, made the movement smaller.", "Warm feet afterwards.",
    "Noticed the spiral going all the way up to the neck.", "Heel sore after a long walk yesterday.",
    "Breathing slower by the end.", "Stiffness in the mid back eased.", "Jaw tight, let it go on the exhale.",
)


def generate(path: Path, *, years: int, seed: int) -> tuple[int, int]:
    """A journal at ``path``: daily practice for ``years`` years; returns (runs, check-ins)."""
    rng = random.Random(seed)
    Journal.open(path).close()  # the real schema: migrations, indexes, FTS triggers
    journal = Journal.open(path)
    db = journal._db.conn
    start = datetime(2026, 1, 1, 7, 30, tzinfo=UTC) - timedelta(days=365 * years)
    runs = checkins = 0
    with journal.writing():
        for day in range(365 * years):
            if rng.random() > 0.85:
                continue
            moment = start + timedelta(days=day, minutes=rng.randint(0, 600))
            for _ in range(rng.randint(3, 5)):
                snippets = PREVIEW if rng.random() < 0.5 else FULL
                run_id = _run(db, rng, moment, snippets, progress=day / (365 * years))
                runs += 1
                checkins += len(snippets)
                moment += timedelta(minutes=rng.randint(4, 40))
            if rng.random() < 0.6:
                db.execute("insert into followups (run_id, asked_on, answer, note, answered_at) values (?,?,?,?,?)",
                           [run_id, (moment + timedelta(days=1)).date().isoformat(),
                            rng.choice(("better", "better", "same", "worse", None)), "",
                            iso_utc(moment + timedelta(days=1))])
    journal.close()
    return runs, checkins


def _run(db: Any, rng: random.Random, moment: datetime, snippets: tuple[str, ...], *, progress: float) -> int:
    ended = moment + timedelta(seconds=40 * len(snippets))
    cursor = db.execute("insert into runs (session_id, started_at, ended_at, completed) values (?, ?, ?, 1)",
                        [SESSION_ID, iso_utc(moment), iso_utc(ended)])
    run_id = int(cursor.lastrowid)
    for index, snippet in enumerate(snippets):
        at = moment + timedelta(seconds=40 * (index + 1), milliseconds=rng.randint(0, 999))
        skipped = rng.random() < 0.03
        base = 6 - 4 * progress + (1 if snippet in ("toe-touch-test", "pelvis-and-sacrum") else 0)
        discomfort = None if skipped or rng.random() < 0.05 else max(0, min(10, round(rng.gauss(base, 1.5))))
        ease = None if skipped else max(1, min(5, round(rng.gauss(2 + 2 * progress, 0.8))))
        areas = [] if skipped else rng.sample(AREAS[snippet], k=rng.choice((0, 0, 1, 1, 2)))
        note = rng.choice(NOTES) if not skipped and rng.random() < 0.08 else ""
        cursor = db.execute(
            "insert into checkins (run_id, snippet_id, answered_at, discomfort, ease, body_areas, note, skipped) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, snippet, iso_utc(at), discomfort, ease, "[" + ", ".join(f'"{a}"' for a in areas) + "]",
             note, int(skipped)])
        if snippet == "toe-touch-test" and not skipped:
            before = round(rng.gauss(-10 + 12 * progress, 3), 1)
            db.executemany("insert into answers (checkin_id, question_id, value) values (?, ?, ?)",
                           [(cursor.lastrowid, "reach-before", str(before)),
                            (cursor.lastrowid, "reach-after", str(round(before + rng.gauss(3, 1.5), 1)))])
    return run_id


def best_ms(action: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` timed calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def report(label: str, ms: float, target_ms: float | None = None) -> None:
    """One figure, with its target and verdict when it has one."""
    if target_ms is None:
        print(f"{label:<52} {ms:9.1f} ms")
    else:
        print(f"{label:<52} {ms:9.1f} ms   target < {target_ms:.0f} ms   {'ok' if ms < target_ms else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sessions: list[Session] = [e.session for e in scan_library([builtin_root()]) if e.session is not None]
    catalog = review.Catalog.from_sessions(sessions)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        path = Path(folder) / "journal.db"
        start = time.perf_counter()
        runs, checkins = generate(path, years=args.years, seed=args.seed)
        print(f"journal: {runs:,} runs, {checkins:,} check-ins over {args.years} years, "
              f"{path.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - start:.1f} s")
        print(f"python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
              f"{os.cpu_count()} CPUs\n")
        journal = Journal.open(path)
        today = date(2026, 1, 1)
        repeat = args.repeat

        def view_ready() -> None:
            review.run_history(journal, limit=50)
            review.count_runs(journal)
            review.practice_days(journal, first=today - timedelta(weeks=12), last=today)
            review.snippet_trends(journal, catalog=catalog)

        def first_page() -> None:
            review.run_history(journal, limit=50)
            review.count_runs(journal)

        report("journal view ready, first call after opening", best_ms(view_ready, 1), VIEW_TARGET_MS)
        report("journal view ready (page, calendar, all trends)", best_ms(view_ready, repeat), VIEW_TARGET_MS)
        report("  first page of 50 runs + count", best_ms(first_page, repeat))
        report("  trends of every snippet, all time", best_ms(lambda: review.snippet_trends(journal, catalog=catalog),
                                                                repeat))
        report("body map, all time", best_ms(lambda: review.body_map(journal), repeat))
        report('search notes for "stiff back"', best_ms(lambda: review.search_notes(journal, "stiff back"), repeat))
        searched = review.RunFilter(text="stiff back")
        report('history filtered by "stiff back" (page + count)', best_ms(
            lambda: (review.run_history(journal, where=searched), review.count_runs(journal, where=searched)), repeat))
        report("trend of one snippet (toe-touch-test, with pairs)", best_ms(
            lambda: review.snippet_trends(journal, catalog=catalog, snippet_id="toe-touch-test"), repeat))
        out = Path(folder)
        for fmt, target in (("csv", CSV_TARGET_MS), ("json", None), ("md", None)):
            ms = best_ms(lambda fmt=fmt: export_file(journal, out / f"all.{fmt}", format=fmt, catalog=catalog),
                         max(1, args.repeat // 2))
            size = (out / f"all.{fmt}").stat().st_size / 1e6
            report(f"{fmt.upper()} export of everything ({size:.1f} MB)", ms, target)
        journal.close()

        def fresh_import() -> None:
            target = out / "imported.db"
            for leftover in out.glob("imported.db*"):
                leftover.unlink()
            with Journal.open(target) as empty:
                import_file(empty, out / "all.json")

        report("JSON import into an empty journal", best_ms(fresh_import, 1))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from player.ui.journal.report_pdf import write_report_pdf

        with Journal.open(path) as journal:
            def pdf() -> None:
                write_report_pdf(build_report(journal, today=today, catalog=catalog), out / "report.pdf")

            report("PDF report, all time (as the CLI: offscreen Qt started each time)",
                   best_ms(pdf, max(1, args.repeat // 2)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
