"""Shared fixtures: test data paths and a per-test data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from player.core.session.settings import Settings

# Fast UI tests draw offscreen; the Xvfb end-to-end step sets QT_QPA_PLATFORM=xcb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
# Most UI tests play at once; the countdown has its own tests.
NO_COUNTDOWN = Settings(countdown_enabled=False)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory, also exported as MOVEMENT_PLAYER_DATA_DIR."""
    directory = tmp_path / "data"
    directory.mkdir()
    monkeypatch.setenv("MOVEMENT_PLAYER_DATA_DIR", str(directory))
    return directory
