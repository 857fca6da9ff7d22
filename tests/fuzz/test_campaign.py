"""The long fuzz campaign (issue 10): thousands of hostile cases per input surface, 0 tracebacks, 0 hangs.

Run with ``pytest -m slow tests/fuzz`` (CI runs it as its own step). Each surface prints how many cases
ran and how they ended; ``MOVEMENT_PLAYER_FUZZ_CASES`` changes the number per surface (default 2,000).
Memory: the peak Python allocation over the first TRACED_CASES cases of each surface is measured with
tracemalloc (which triples the time, hence not all of them) and must stay bounded (inputs are a few
kilobytes; the limits keep every read small).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz import surfaces
from tests.fuzz.cases import CASES, World

CASES_PER_SURFACE = int(os.environ.get("MOVEMENT_PLAYER_FUZZ_CASES", "2000"))
PEAK_LIMIT_BYTES = 256 * 1024**2  # peak of Python allocations over the traced cases of one surface
TRACED_CASES = 300

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("surface", list(CASES))
def test_campaign(world: World, surface: str, capsys: pytest.CaptureFixture[str]) -> None:
    outcomes: Counter[str] = Counter()
    before = surfaces.COUNTS[surface]

    @settings(max_examples=CASES_PER_SURFACE, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data: st.DataObject) -> None:
        outcomes[CASES[surface](world, data)] += 1
        if sum(outcomes.values()) == TRACED_CASES and tracemalloc.is_tracing():
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    peaks: list[int] = []
    tracemalloc.start()
    started = time.perf_counter()
    try:
        run()
    finally:
        if tracemalloc.is_tracing():
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    peak = max(peaks)
    ran = surfaces.COUNTS[surface] - before
    with capsys.disabled():
        print(f"\nfuzz campaign: {surface}: {ran} cases in {time.perf_counter() - started:.0f} s, "
              f"{outcomes['ok']} accepted, {outcomes['refused']} refused with a message, 0 tracebacks, 0 hangs, "
              f"peak Python memory {peak / 1024**2:.1f} MiB (first {TRACED_CASES} cases)")
    assert ran >= CASES_PER_SURFACE * 0.9
    assert peak < PEAK_LIMIT_BYTES
