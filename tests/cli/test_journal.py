"""``movement-player journal ...``: output, exit codes, files written, no Qt outside the PDF export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli.entry import main
from player.core.journal.store import Journal
from tests.conftest import REPO
from tests.journal_seed import seeded_journal


@pytest.fixture
def seeded_dir(data_dir: Path) -> Path:
    seeded_journal(data_dir / "journal.db")[0].close()
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "journal", "list")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].split() == ["ID", "STARTED", "SESSION", "DONE", "CHECK-INS", "MEAN", "MAX"]
    assert len(lines) == 1 + 5 + 1 and lines[-1].startswith("5 runs;")
    assert "Foot-Spine Connections" in lines[1] and "home-made" in lines[2]
    assert lines[5].split()[-4:] == ["yes", "4", "4.0", "5"]
    code, out, _ = run(capsys, "journal", "list", "--session", "home-made")
    assert code == 0 and out.splitlines()[-1].startswith("1 run;")
    code, out, _ = run(capsys, "journal", "list", "--since", "2030-01-01")
    assert (code, out) == (0, "No runs.\n")


def test_show(seeded_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "journal", "show", "1")
    assert code == 0
    assert out.startswith("Run 1: Foot-Spine Connections, Mon 02 Nov 2026")
    assert "Big toe and hip" in out and "discomfort 5; ease 2; where: Big toe (left), Hip (left)" in out
    assert "note: Left big toe stiff, hip tight" in out and "The weight spiral  (skipped)" in out
    assert "toe-touch before: -8 cm" in out  # worded as in the app (one wording per kind)
    assert out.rstrip().endswith("better (Slept well)")


@pytest.mark.parametrize(("argv", "message"), [
    (["journal", "show", "99"], "There is no run 99 in the journal."),
    (["journal", "show", "x"], "RUN_ID is a number"),
    (["journal", "list", "--since", "23/11/2026"], "--since: expected a day like 2026-11-23, got '23/11/2026'."),
    (["journal", "export", "--format", "csv", "--output", "/nonexistent/dir/x.csv"], "does not exist"),
])
def test_errors_are_one_line(seeded_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                             message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err


def test_no_journal_yet(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "journal", "list")
    assert code == 1 and "There is no journal" in err and not (data_dir / "journal.db").exists()


def test_export_import_round_trip(seeded_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "all.json"
    assert run(capsys, "journal", "export", "--format", "json", "--output", str(exported))[1] \
        == f"Exported 5 runs to {exported}.\n"
    other = tmp_path / "other"
    code, out, _ = run(capsys, "--data-dir", str(other), "journal", "import", str(exported))
    assert code == 0 and out == "Imported 5 runs, 13 check-ins and 1 follow-ups from all.json.\n"
    code, out, _ = run(capsys, "--data-dir", str(other), "journal", "import", str(exported))
    assert out.splitlines() == ["Imported 0 runs, 0 check-ins and 0 follow-ups from all.json.",
                                "Already in the journal, left as they were: 5 runs, 13 check-ins."]
    again = tmp_path / "again.json"
    run(capsys, "--data-dir", str(other), "journal", "export", "--format", "json", "--output", str(again))
    assert again.read_bytes() == exported.read_bytes()


def test_import_problems(seeded_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    runs = [{"session_id": "s", "started_at": f"2026-01-{day:02d}T08:00:00Z", "checkins": [
        {"snippet_id": "a", "answered_at": f"2026-01-{day:02d}T08:01:00Z", "discomfort": 12}]} for day in range(1, 29)]
    runs += [{"session_id": "s", "started_at": "2026-02-01T08:00:00Z", "x": 1}] * 30
    bad.write_text(json.dumps({"format": "movement-player-journal", "version": 1, "runs": runs}))
    code, out, err = run(capsys, "journal", "import", str(bad))
    lines = err.splitlines()
    assert code == 1 and out == ""
    assert lines[0] == "Not imported: The file has 87 problems; nothing was imported."
    assert lines[1] == "  runs[0].checkins[0].discomfort: must be a whole number 0-10 or null, got 12"
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  ... and 37 more"
    with Journal.open(seeded_dir / "journal.db") as journal:
        assert journal._db.table("runs").count == 5


def test_exports_write_files(seeded_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("csv", "md"):
        out = tmp_path / f"j.{fmt}"
        assert run(capsys, "journal", "export", "--format", fmt, "--output", str(out), "--since", "2026-11-09")[0] == 0
        assert out.stat().st_size > 0
    assert "Toe-touch test" in (tmp_path / "j.md").read_text() and "Rolling" not in (tmp_path / "j.md").read_text()
    assert len((tmp_path / "j.csv").read_text().splitlines()) == 1 + 3


def test_pdf_export(seeded_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    out = tmp_path / "report.pdf"
    code, text, _ = run(capsys, "journal", "export", "--format", "pdf", "--output", str(out), "--session",
                        "foot-spine-connections")
    assert code == 0 and text == f"Wrote a one-page report of 4 runs to {out}.\n"
    assert out.read_bytes().startswith(b"%PDF-")


def test_backup(seeded_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "backup.db"
    code, out, _ = run(capsys, "journal", "backup", str(target))
    assert code == 0 and out == f"Backed up 5 runs and 13 check-ins to {target} (integrity ok).\n"
    code, _, err = run(capsys, "journal", "backup", str(target))
    assert code == 1 and "--force" in err
    assert run(capsys, "journal", "backup", str(target), "--force")[0] == 0


QT_PROBE = """
import sys
from player.cli.entry import main
codes = [main(["journal", "list"]), main(["journal", "show", "1"]),
         main(["journal", "export", "--format", "csv", "--output", sys.argv[1] + "/x.csv"]),
         main(["journal", "export", "--format", "json", "--output", sys.argv[1] + "/x.json"]),
         main(["journal", "export", "--format", "md", "--output", sys.argv[1] + "/x.md"]),
         main(["journal", "backup", sys.argv[1] + "/b.db"])]
print("QT:" + ",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))), codes)
"""


def test_only_the_pdf_export_loads_qt(seeded_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", QT_PROBE, str(tmp_path)], cwd=REPO, capture_output=True,
                            text=True, check=True, env={**os.environ, "MOVEMENT_PLAYER_DATA_DIR": str(seeded_dir)})
    assert result.stdout.splitlines()[-1] == "QT: [0, 0, 0, 0, 0, 0]"


def test_pdf_export_without_a_display(seeded_dir: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "player.cli", "--data-dir", str(seeded_dir), "journal", "export",
                             "--format", "pdf", "--output", str(tmp_path / "r.pdf")], cwd=REPO, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


def test_readme_documents_every_journal_action() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for action in ("list", "show", "export", "import", "backup"):
        assert f"`movement-player journal {action}" in readme, action
    assert "## Reviewing your journal" in readme and "`followups`" in readme and "`checkins_fts`" in readme
