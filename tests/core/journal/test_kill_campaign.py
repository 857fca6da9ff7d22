"""The kill campaign (issue 9): SIGKILL a real process at random moments while it uses the real journal API.

A driver opens the journal (start-up, with its refusal check), saves resume points and check-ins, ends
runs, makes automatic backups, exports and imports, and tries to open a refused journal beside; it prints
each check-in once its save returned. After at least 50 kills: no saved check-in is lost, none is
duplicated, the journal passes integrity_check, and the refused journal is byte-identical. Run with
``pytest -m slow`` (about a minute).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from player.core.journal.backup import auto_backup
from player.core.journal.exports import export_file
from player.core.journal.store import Journal
from tests.conftest import REPO
from tests.journal_files import killed_journal_files, write_files

KILLS = 60
SEED = 20261128

DRIVER = r'''
import json, random, sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from player.core.errors import JournalError
from player.core.journal.backup import auto_backup
from player.core.journal.exports import export_file
from player.core.journal.health import inspect_journal
from player.core.journal.imports import import_file
from player.core.journal.resume import save_resume_point
from player.core.journal.store import Answers, Journal, SnippetPlace

data, refused, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
tag, n = f"k{seed}", 0
print("started", flush=True)
while True:
    journal = Journal.open(data / "journal.db")  # start-up: the refusal check, migrations
    try:
        Journal.open(refused / "journal.db")
    except JournalError:
        pass
    run = journal.start_run("s", now=datetime.now(UTC))
    for index in range(rng.randint(1, 5)):
        snippet = f"{tag}-{n}"
        n += 1
        save_resume_point(journal, run.id, part="preview", snippet_index=index, snippet_id=snippet,
                          position_ms=rng.randint(0, 5000), now=datetime.now(UTC))
        journal.save_checkin(run.id, snippet, Answers(discomfort=rng.randint(0, 10), note="x" * rng.randint(0, 800)),
                             now=datetime.now(UTC),
                             resume_at=SnippetPlace(part="preview", snippet_index=index + 1, snippet_id=snippet))
        print("saved", snippet, flush=True)
    journal.end_run(run.id, now=datetime.now(UTC), completed=rng.random() < 0.7)
    choice = rng.random()
    if choice < 0.3:
        auto_backup(data / "journal.db", today=date(2026, 1, 1) + timedelta(days=rng.randint(0, 60)), keep=3)
    elif choice < 0.55:
        export_file(journal, data / "export.json", format="json")
    elif choice < 0.85:
        snippet = f"{tag}-{n}"
        n += 1
        started = (datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=seed * 1000 + n)).isoformat()
        document = {"format": "movement-player-journal", "version": 1, "runs": [
            {"session_id": "imported", "started_at": started, "checkins": [
                {"snippet_id": snippet, "answered_at": started, "discomfort": 1}]}]}
        (data / "import.json").write_text(json.dumps(document))
        import_file(journal, data / "import.json")
        print("saved", snippet, flush=True)
    else:
        try:
            inspect_journal(refused / "journal.db")
        except JournalError:
            pass
    journal.close()
'''


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def refused_journal(folder: Path) -> Path:
    """A journal from a newer version with commits still in its -wal, as a killed newer app left it."""
    files = killed_journal_files(folder / "live.db", checkins=30, now=datetime(2026, 1, 1, tzinfo=UTC),
                                 snippet="old", note="n" * 40, newer=True)
    target = folder / "refused"
    target.mkdir()
    write_files(files, target / "journal.db")
    return target


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data = tmp_path / "data"
    data.mkdir()
    refused = refused_journal(tmp_path)
    refused_before = snapshot(refused)
    acknowledged: list[str] = []
    started = time.monotonic()
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", DRIVER, str(data), str(refused), str(kill)], cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 0.9))  # start-up, a save, an export, an import, a backup: wherever it is
        os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        assert "Traceback" not in err, err
        acknowledged += [line.split()[1] for line in out.splitlines(keepends=True)
                         if line.startswith("saved ") and line.endswith("\n")]
    elapsed = time.monotonic() - started
    with Journal.open(data / "journal.db") as journal:
        assert journal.integrity() == "ok"
        counts = Counter(row[0] for row in journal._db.execute("select snippet_id from checkins"))
        export_file(journal, data / "export.json", format="json")  # a next export clears a killed one's leftovers
    auto_backup(data / "journal.db", today=datetime.now(UTC).date(), keep=3)  # and a next backup its own
    lost = [snippet for snippet in acknowledged if counts[snippet] == 0]
    duplicated = [snippet for snippet, count in counts.items() if count > 1]
    assert len(acknowledged) > 100, "the campaign saved too little to mean anything"
    assert (lost, duplicated) == ([], [])
    assert snapshot(refused) == refused_before
    leftovers = [p.name for folder in (data, data / "backups") if folder.exists() for p in folder.iterdir()
                 if p.name.endswith(".part")]
    assert leftovers == []
    with sqlite3.connect(data / "journal.db") as probe:
        assert probe.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    probe.close()
    print(f"\n{KILLS} kills in {elapsed:.0f} s: {len(acknowledged)} saved check-ins acknowledged, 0 lost, "
          "0 duplicated, the refused journal byte-identical")
