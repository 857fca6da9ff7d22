"""Issue 10, finding 9: text from files (manifests, notes) reaches the terminal escaped, never obeyed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from player.cli.entry import main
from player.core.journal.store import Answers, Journal
from player.core.paths import journal_path

ESCAPES = "\x1b]0;owned\x07\x1b[2J\u202e"


def test_journal_show_escapes_a_note(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)
    with Journal.open(journal_path(data_dir)) as journal:
        run = journal.start_run("foot-spine-connections", now=start)
        journal.save_checkin(run.id, "big-toe-hip", Answers(discomfort=2, note=f"fine{ESCAPES}\nnext"), now=start)
    assert main(["journal", "show", str(run.id)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "note: fine\\x1b]0;owned\\x07\\x1b[2J\\u202e\\nnext" in out


def test_check_and_sessions_escape_what_the_manifest_says(tmp_path: Path, data_dir: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    manifest = data_dir / "packs" / "evil" / "sessions" / "evil.toml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('schema = 1\nid = "evil"\ntitle = "T\\u001b[2J"\n[[preview]]\nid = "a"\ntitle = "A"\n'
                        'media = "x\\u001b]0;owned\\u0007.mp4"\nduration_s = 1\n')
    assert main(["check", str(manifest)]) == 1
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "x\\x1b]0;owned\\x07.mp4: file not found" in out
