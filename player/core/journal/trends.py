"""A trend in words from a robust summary: the mean of the first few runs against the mean of the last few.

One good or bad day should not make the sentence: comparing only the first and the last run did exactly
that. Pure functions over the answers in run order; no SQL, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TREND_WINDOW_RUNS = 3  # runs averaged at each end of a trend (fewer when there are fewer than twice as many)


@dataclass(frozen=True)
class Change:
    """The mean answer of the first ``window`` runs against the last ``window`` of ``count`` runs."""

    first_mean: float
    last_mean: float
    window: int
    count: int


def robust_change(values: Sequence[float | None], *, window: int = TREND_WINDOW_RUNS) -> Change | None:
    """Compare the first and last runs that answered (None: not answered, left out), oldest first.

    The two ends never overlap: with fewer than ``2 * window`` answers each end takes half of them (the
    middle one of an odd count is left out). None with fewer than two answers. Raises ValueError when
    ``window`` is below 1.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 run, got {window}")
    answered = [float(v) for v in values if v is not None]
    if len(answered) < 2:
        return None
    size = min(window, len(answered) // 2)
    first, last = answered[:size], answered[-size:]
    return Change(first_mean=sum(first) / size, last_mean=sum(last) / size, window=size, count=len(answered))


def figure(value: float) -> str:
    """A mean for a sentence: ``5`` for a whole number, else one decimal (``4.5``)."""
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def change_sentence(what: str, values: Sequence[float | None]) -> str:
    """``"discomfort 5.3 -> 2 over 8 runs (mean of the first 3 runs against the last 3)"``.

    ``what`` names the answer. One answer: ``"discomfort 4 (1 run)"``; none: ``"no discomfort answers yet"``.
    """
    answered = [v for v in values if v is not None]
    if not answered:
        return f"no {what} answers yet"
    change = robust_change(values)
    if change is None:
        return f"{what} {figure(answered[0])} (1 run)"
    ends = ("the first run against the last" if change.window == 1
            else f"mean of the first {change.window} runs against the last {change.window}")
    return f"{what} {figure(change.first_mean)} -> {figure(change.last_mean)} over {change.count} runs ({ends})"
