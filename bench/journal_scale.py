"""Journal at scale: 10 years of daily practice (~50,000 check-ins) and what reviewing it costs.

    python bench/journal_scale.py [--years 10] [--dir DIR] [--repeat 5] [--seed 7]

Generates the journal in a temporary folder (in DIR, default $TMPDIR or /tmp) through the real schema
(Journal.open: migrations, indexes, FTS triggers), then times (first call after opening, and best of
``--repeat``), with the targets of DESIGN.md:
- journal view ready: what opening the Journal page asks the journal for (JournalController's history tab:
  a page of HISTORY_PAGE runs with their figures, the filtered and total counts, the calendar strip)
  < 150 ms; the same through the real page (offscreen Qt: JournalController.refresh() filling the
  widgets) < 150 ms; the Trends tab the first time it comes to the front (every snippet's trend, all
  time, and its chart) < 150 ms; the page opened for the first time in a running app (fresh process: its
  modules and QtCharts imported, built, filled; best of 3) < 150 ms; the body map, a note search, a
  filtered history: printed.
- every export of everything (CSV, JSON, Markdown, the one-page PDF report) < 1 s each.
- the JSON import into an empty journal < 1 s, in a fresh process that also prints its peak RSS
  (memory bounded: the import reads run by run, so the peak must not grow with the file as a whole).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
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
from player.core.journal.store import Journal, iso_utc  # noqa: E402
from player.core.session.library import builtin_root, scan_library  # noqa: E402
from player.core.session.manifest import Session  # noqa: E402

VIEW_TARGET_MS = 150.0
EXPORT_TARGET_MS = 1000.0
IMPORT_TARGET_MS = 1000.0
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
    start = datetime(2026, 1, 1, 7, 30, tzinfo=UTC) - timedelta(days=365 * years)
    runs = checkins = 0
    with journal.writing("generate the bench journal") as db:  # one transaction; bulk rows in SQL for speed
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
        print(f"{label:<60} {ms:9.1f} ms")
    else:
        print(f"{label:<60} {ms:9.1f} ms   target < {target_ms:.0f} ms   {'ok' if ms < target_ms else 'MISSED'}")


# VmHWM (this process's peak RSS) rather than ru_maxrss, which Linux carries over from the parent across exec.
IMPORT_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from player.core.journal.imports import import_file
from player.core.journal.store import Journal
def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
before_kib = peak_kib()
with Journal.open(Path(sys.argv[2])) as empty:
    start = time.perf_counter()
    result = import_file(empty, Path(sys.argv[3]))
    ms = (time.perf_counter() - start) * 1000
print(ms, before_kib, peak_kib())
"""


def import_in_child(document: Path, folder: Path) -> tuple[float, float, float]:
    """JSON import into an empty journal in a fresh interpreter: (ms, peak RSS before, peak RSS after) in MB."""
    target = folder / "imported.db"
    for leftover in folder.glob("imported.db*"):
        leftover.unlink()
    out = subprocess.run([sys.executable, "-c", IMPORT_CHILD, str(REPO), str(target), str(document)],
                         check=True, capture_output=True, text=True).stdout.split()
    ms, before_kib, after_kib = map(float, out[-3:])
    return ms, before_kib / 1024, after_kib / 1024


# The first press of J in a running app: QApplication and the journal already there, the Journal page's
# modules (QtCharts among them) not imported yet; time to a filled page.
FIRST_OPEN_CHILD = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[1])
from datetime import date
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from player.core.journal.review import SessionCatalog
from player.core.journal.store import Journal
from player.core.session.library import builtin_root, scan_library
catalog = SessionCatalog.from_sessions([e.session for e in scan_library([builtin_root()]) if e.session])
journal = Journal.open(Path(sys.argv[2]))
start = time.perf_counter()
from player.ui.journal.controller import JournalController
from player.ui.journal.page import JournalPage
imported = time.perf_counter()
page = JournalPage(catalog)
JournalController(page, journal=journal, catalog=catalog, today=lambda: date(2026, 1, 1)).refresh()
print((imported - start) * 1000, (time.perf_counter() - start) * 1000)
"""


def first_open_ms(journal_path: Path) -> tuple[float, float]:
    """The Journal page opened for the first time in a running app (fresh process): (imports, total) in ms."""
    out = subprocess.run([sys.executable, "-c", FIRST_OPEN_CHILD, str(REPO), str(journal_path)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[-2]), float(out[-1])


def page_figures(journal_path: Path, catalog: review.SessionCatalog, today: date, repeat: int) -> None:
    """The real Journal page (offscreen Qt), as the app opens it: history tab, then the Trends tab."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from player.ui.journal.controller import JournalController
    from player.ui.journal.page import JournalPage

    qt_app = QApplication.instance() or QApplication([])
    firsts: dict[str, float] = {}
    bests: dict[str, list[float]] = {"page": [], "trends": []}
    for attempt in range(max(1, repeat)):
        with Journal.open(journal_path) as journal:
            page = JournalPage(catalog)
            controller = JournalController(page, journal=journal, catalog=catalog, today=lambda: today)
            start = time.perf_counter()
            controller.refresh()
            page_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            page.tabs.setCurrentWidget(page.trends)
            trends_ms = (time.perf_counter() - start) * 1000
            page.deleteLater()
            qt_app.processEvents()
        if attempt == 0:
            firsts = {"page": page_ms, "trends": trends_ms}
        bests["page"].append(page_ms)
        bests["trends"].append(trends_ms)
    report("Journal page filled (Qt), first call after opening", firsts["page"], VIEW_TARGET_MS)
    report("Journal page filled (Qt), best", min(bests["page"]), VIEW_TARGET_MS)
    report("Trends tab filled (Qt, chart), first time shown", firsts["trends"], VIEW_TARGET_MS)
    report("Trends tab filled (Qt, chart), best", min(bests["trends"]), VIEW_TARGET_MS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from player.ui.journal.controller import HISTORY_PAGE  # the page size the Journal page loads

    sessions: list[Session] = [e.session for e in scan_library([builtin_root()]) if e.session is not None]
    catalog = review.SessionCatalog.from_sessions(sessions)
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

        def view_ready() -> None:  # JournalController._show_history, with no filter
            review.run_history(journal, limit=HISTORY_PAGE)
            review.count_runs(journal)
            review.count_runs(journal)
            review.practice_days(journal, first=today - timedelta(weeks=12), last=today)

        report("journal view ready (page's queries), first call after opening", best_ms(view_ready, 1),
               VIEW_TARGET_MS)
        report("journal view ready (page's queries), best", best_ms(view_ready, repeat), VIEW_TARGET_MS)
        report("trends of every snippet, all time (Trends tab's query)",
               best_ms(lambda: review.snippet_trends(journal, catalog=catalog), repeat))
        report("body map, all time", best_ms(lambda: review.body_map(journal), repeat))
        report('search notes for "stiff back"', best_ms(lambda: review.search_notes(journal, "stiff back"), repeat))
        searched = review.RunFilter(text="stiff back")
        report('history filtered by "stiff back" (page + count)', best_ms(
            lambda: (review.run_history(journal, where=searched), review.count_runs(journal, where=searched)), repeat))
        report("trend of one snippet (toe-touch-test, with pairs)", best_ms(
            lambda: review.snippet_trends(journal, catalog=catalog, snippet_id="toe-touch-test"), repeat))
        journal.close()
        page_figures(path, catalog, today, min(repeat, 3))
        opened = [first_open_ms(path) for _ in range(3)]
        imports_ms, total_ms = min(opened, key=lambda pair: pair[1])
        report(f"Journal page first opened in a running app (imports {imports_ms:.0f} ms)", total_ms, VIEW_TARGET_MS)
        out = Path(folder)
        with Journal.open(path) as journal:
            for fmt in ("csv", "json", "md", "pdf"):
                ms = best_ms(lambda fmt=fmt: export_file(journal, out / f"all.{fmt}", format=fmt, catalog=catalog,
                                                         today=today), max(1, args.repeat // 2))
                size = (out / f"all.{fmt}").stat().st_size / 1e6
                report(f"{fmt.upper()} export of everything ({size:.1f} MB)", ms, EXPORT_TARGET_MS)
        ms, before_mb, peak_mb = import_in_child(out / "all.json", out)
        report("JSON import into an empty journal (fresh process)", ms, IMPORT_TARGET_MS)
        json_mb = (out / "all.json").stat().st_size / 1e6
        print(f"{'  peak RSS while importing':<60} {peak_mb:9.1f} MB   (before the import {before_mb:.1f} MB; "
              f"file {json_mb:.1f} MB; grows {peak_mb - before_mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
