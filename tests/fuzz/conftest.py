"""The fuzz tests' shared world: a library, a journal and a license store, made once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.cases import World


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = World.make(tmp_path_factory.mktemp("fuzz"))
    yield made
    made.journal.close()
