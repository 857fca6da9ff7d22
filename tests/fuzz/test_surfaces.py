"""Every input surface under hypothesis, a few dozen hostile cases each (the long campaign: -m slow)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.cases import CASES, World

FAST = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.mark.parametrize("surface", list(CASES))
def test_hostile_input_ends_in_a_result_or_a_clear_refusal(world: World, surface: str) -> None:
    @FAST
    @given(st.data())
    def run(data: st.DataObject) -> None:
        assert CASES[surface](world, data) in ("ok", "refused")

    run()
