"""The run's end on the GUI thread with a 10-year journal (~50,000 check-ins): what today's automatic backup costs it.

    python bench/run_end_backup.py [--years 10] [--dir DIR] [--repeat 5]

Generates the journal as bench/journal_scale.py does, then times, each with no backup of the day yet, what
``SessionController._end_run`` does on the GUI thread: the run's end recorded, then
- before: ``auto_backup`` called there (the GUI thread waited for the whole copy and its check);
- after: ``AutoBackup.start`` (the copy made on a worker thread), its finish timed apart.
Target: the GUI thread is back within 16 ms (one frame) however large the journal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # measure the working tree this bench/ belongs to, installed or not
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from bench.journal_scale import generate, report  # noqa: E402
from player.core.journal.backup import auto_backup  # noqa: E402
from player.core.journal.store import Journal  # noqa: E402
from player.ui.journal.auto_backup import AutoBackup  # noqa: E402

TARGET_MS = 16.0
TODAY = date(2026, 1, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    qt_app = QCoreApplication.instance() or QCoreApplication([])
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        path = Path(folder) / "journal.db"
        runs, checkins = generate(path, years=args.years, seed=7)
        print(f"journal: {runs:,} runs, {checkins:,} check-ins, {path.stat().st_size / 1e6:.1f} MB")
        backups = Path(folder) / "backups"
        before: list[float] = []
        after: list[float] = []
        made: list[float] = []
        worker = AutoBackup()
        with Journal.open(path) as journal:
            for _ in range(args.repeat):
                shutil.rmtree(backups, ignore_errors=True)
                run = journal.start_run("bench", now=datetime.now(UTC))
                start = time.perf_counter()
                journal.end_run(run.id, now=datetime.now(UTC), completed=True)
                auto_backup(path, today=TODAY)
                before.append((time.perf_counter() - start) * 1000)

                shutil.rmtree(backups, ignore_errors=True)
                run = journal.start_run("bench", now=datetime.now(UTC))
                start = time.perf_counter()
                journal.end_run(run.id, now=datetime.now(UTC), completed=True)
                assert worker.start(path, today=TODAY)
                after.append((time.perf_counter() - start) * 1000)
                assert worker.wait(timeout_s=60)
                made.append((time.perf_counter() - start) * 1000)
                qt_app.processEvents()
                assert (backups / f"journal-{TODAY.isoformat()}.db").is_file()
        print(f"GUI thread blocked at the run's end, median of {args.repeat}:")
        report(f"before: backup on the GUI thread ({min(before):.0f}-{max(before):.0f})", statistics.median(before),
               TARGET_MS)
        report(f"after: backup on a worker ({min(after):.1f}-{max(after):.1f})", statistics.median(after), TARGET_MS)
        report("the worker's backup done after (off the GUI thread)", statistics.median(made))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
