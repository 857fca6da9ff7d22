"""``movement-player play-check``: frames from a session's first snippet and first paid part, or exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DEMO_KEY = REPO / "tests" / "data" / "demo-publisher" / "demo-license.key"


def _play_check(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MOVEMENT_PLAYER_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "player.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.multimedia
def test_qt_plays_the_builtin_snippet_and_a_paid_part_with_frames(tmp_path: Path) -> None:
    done = _play_check(tmp_path, "--backend", "qt", "play-check", "--paid", "--key", str(DEMO_KEY))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if ": first frame after" in line]
    assert [line.split(":")[0] for line in lines] == ["free snippet big-toe-hip",
                                                      "paid part arch-and-ankle (decrypted on the fly)"]
    for line in lines:
        frames = int(line.split(" frames")[0].rsplit(" ", 1)[-1])
        assert frames >= 10 and line.endswith(": ok")


@pytest.mark.multimedia
def test_paid_part_demanded_without_a_licence_fails(tmp_path: Path) -> None:
    done = _play_check(tmp_path, "--backend", "qt", "play-check", "--paid")
    assert done.returncode == 1 and "no licence for this session" in done.stderr


@pytest.mark.multimedia
def test_unknown_session_fails_in_words(tmp_path: Path) -> None:
    done = _play_check(tmp_path, "--backend", "qt", "play-check", "no-such-session")
    assert done.returncode == 1 and "'no-such-session' cannot play: not in the library" in done.stderr
    assert "Traceback" not in done.stderr
