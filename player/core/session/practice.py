"""Practice helpers without Qt: speed steps and looping a stretch of a snippet."""

from __future__ import annotations

from dataclasses import dataclass

from player.core.defaults import MIN_LOOP_MS, SPEED_STEPS


def next_speed(rate: float, *, faster: bool) -> float:
    """The next step up (``faster``) or down from ``rate``, staying within SPEED_STEPS."""
    if faster:
        return next((s for s in SPEED_STEPS if s > rate + 1e-9), SPEED_STEPS[-1])
    return next((s for s in reversed(SPEED_STEPS) if s < rate - 1e-9), SPEED_STEPS[0])


@dataclass(frozen=True)
class Loop:
    """A stretch of a snippet to repeat: ``start_ms`` is always set, ``end_ms`` once marked."""

    start_ms: int
    end_ms: int | None = None

    @property
    def active(self) -> bool:
        """True once both ends are marked: playback then repeats the stretch."""
        return self.end_ms is not None


def press_loop(loop: Loop | None, position_ms: int) -> Loop | None:
    """L pressed at ``position_ms``: mark the start, then the end, then turn the loop off.

    An end before the start swaps them; an end within MIN_LOOP_MS of the start is ignored (the
    start stays marked), so a double press does not make a loop too short to follow.
    """
    if loop is None:
        return Loop(start_ms=max(0, position_ms))
    if loop.active:
        return None
    start, end = sorted((loop.start_ms, position_ms))
    if end - start < MIN_LOOP_MS:
        return loop
    return Loop(start_ms=start, end_ms=end)


def loop_jump_ms(loop: Loop | None, position_ms: int) -> int | None:
    """Where to seek when playback passed the loop's end, else None."""
    if loop is None or loop.end_ms is None or position_ms < loop.end_ms:
        return None
    return loop.start_ms
