"""The benchmarks that need no display or cvlc still run against the code as it is (a renamed API once broke
one unnoticed): each runs briefly and prints its figures with their verdicts. Timing is not judged here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

BRIEF_RUNS = {
    "checkin_save.py": ["--saves", "20"],
    "decrypt_throughput.py": [],
    "journal_scale.py": ["--years", "1", "--repeat", "1"],
    "run_end_backup.py": ["--years", "1", "--repeat", "1"],
}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(BRIEF_RUNS))
def test_the_bench_runs(script: str, tmp_path: object) -> None:
    result = subprocess.run([sys.executable, str(REPO / "bench" / script), *BRIEF_RUNS[script]], cwd=REPO,
                            capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "target" in result.stdout  # its figures, each beside its goal
