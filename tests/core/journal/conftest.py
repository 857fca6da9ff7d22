"""The journal tests' shared fixture: an empty journal on a real file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from player.core.journal.store import Journal


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A new journal at tmp_path/journal.db, closed after the test."""
    with Journal.open(tmp_path / "journal.db") as opened:
        yield opened
