"""Shared fixtures: test data paths, a per-test data directory, the seeded journal, a paid session, a fast KDF."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from player.core.journal.store import Journal
from player.core.session.settings import Settings
from player.publisher import defaults as publisher_defaults
from tests.journal_seed import Seeded, seeded_journal

if TYPE_CHECKING:
    from tests.paid_fixtures import PaidSession

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


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Journal, Seeded]]:
    """A journal at tmp_path/journal.db with tests/journal_seed.py's runs in it, and their ids; closed after."""
    journal, ids = seeded_journal(tmp_path / "journal.db")
    yield journal, ids
    journal.close()


@pytest.fixture
def paid(tmp_path: Path) -> PaidSession:
    """A paid session (a free snippet, two encrypted parts, a key issuer) under tmp_path/lib."""
    from tests.paid_fixtures import make_paid_session  # it imports DATA from here

    return make_paid_session(tmp_path / "lib")


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at 2**10 instead of 2**17: the same code, fast enough for tests (``usefixtures("fast_kdf")``)."""
    monkeypatch.setattr(publisher_defaults, "SCRYPT_LOG_N", 10)
