"""Check-in save latency: ``Journal.save_checkin`` (WAL, synchronous=FULL) on a real file.

    python bench/checkin_save.py [--saves N] [--dir DIR]

Times N saves of a realistic check-in into a fresh journal in a temporary folder (in DIR, default
$TMPDIR or /tmp), and for reference the disk's own write+fsync of one page. Target: p95 < 10 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import print_distribution, scratch_dir

from player.core.journal.store import Answers, Journal
from player.core.paths import data_dir, journal_path

TARGET_MS = 10.0
PAGE = 4096
FSYNC_SAMPLES = 100
ANSWERS = Answers(
    discomfort=3, ease=4, body_areas=("big-toe-left", "lower-back"),
    note="Left big toe lifts more easily than last week; a slight pull behind the right knee.",
    extra={"reach-after": 12.5},
)


def filesystem(path: Path) -> str:
    """``TYPE on MOUNTPOINT (DEVICE)`` for the mount that holds ``path``."""
    best = ("?", "/", "?")
    with open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            device, mount_point, kind = line.split()[:3]
            inside = str(path).startswith(mount_point.rstrip("/") + "/") or str(path) == mount_point
            if inside and len(mount_point) >= len(best[1]):
                best = (kind, mount_point, device)
    return f"{best[0]} on {best[1]} ({best[2]})"


def same_disk(path: Path, other: Path) -> bool:
    """True when ``path`` and ``other`` (or its nearest existing parent) are on the same device."""
    while not other.exists():
        other = other.parent
    return path.stat().st_dev == other.stat().st_dev


def time_saves(journal: Journal, count: int) -> list[float]:
    """Milliseconds of each of ``count`` saves, one practice run, snippets in turn."""
    run = journal.start_run("foot-spine-connections", now=datetime.now(UTC))
    timings = []
    for index in range(count):
        now = datetime.now(UTC)
        start = time.perf_counter()
        journal.save_checkin(run.id, f"snippet-{index % 4 + 1}", ANSWERS, now=now)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_fsyncs(folder: Path, count: int) -> list[float]:
    """Milliseconds of writing one page and fsync-ing it, ``count`` times: the disk's floor for a commit."""
    path = folder / "fsync-probe"
    timings = []
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for index in range(count):
            start = time.perf_counter()
            os.pwrite(descriptor, os.urandom(PAGE), index * PAGE)
            os.fsync(descriptor)
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(descriptor)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=500, help="number of saves (default 500)")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()),
                        help="where to make the temporary journal folder (default: $TMPDIR or /tmp)")
    args = parser.parse_args()
    tempfile.tempdir = str(args.dir)
    with scratch_dir("save") as folder:
        app_data = journal_path(data_dir())
        print(f"check-in save: journal in {folder}: {filesystem(folder.resolve())}")
        print(f"  the app's data dir {app_data.parent}: {filesystem(app_data.parent.resolve())}; "
              f"same disk: {'yes' if same_disk(folder, app_data.parent) else 'NO'}")
        with Journal.open(folder / "journal.db") as journal:
            mode, synchronous = journal.durability()
            print(f"  journal_mode={mode}, synchronous={synchronous} (2 = FULL); answers: {ANSWERS}")
            saves = time_saves(journal, args.saves)
        fsyncs = time_fsyncs(folder, FSYNC_SAMPLES)
    print_distribution("  Journal.save_checkin       ", saves, pcts=(50, 95, 99), target_ms=TARGET_MS)
    print_distribution("  (disk: 4 KiB write + fsync)", fsyncs, pcts=(50, 95, 99))
    return 0


if __name__ == "__main__":
    sys.exit(main())
