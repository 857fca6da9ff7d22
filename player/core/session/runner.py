"""The session runner: a pure state machine over a sequence of snippets.

``ready -> [before(0) ->] [countdown(0) ->] playing(0) -> checkin(0) -> [before(1) ->] [countdown(1) ->]
playing(1) -> ... -> checkin(n-1) -> summary``, plus pause, end-now, replay, jump, skip, a failed
snippet the user can go on from, and resuming at a saved position. The countdown before each snippet is
optional; ``before(i)`` comes only for snippets with questions asked before they play, once per run (a
replay or a resumed position does not ask again). Observers are plain callables; the runner knows nothing
of Qt or of the player.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum


class Phase(Enum):
    """Where the runner is."""

    READY = "ready"
    BEFORE = "before"  # questions asked before the snippet plays (e.g. a "before" measurement)
    COUNTDOWN = "countdown"
    PLAYING = "playing"
    FAILED = "failed"
    CHECKIN = "checkin"
    SUMMARY = "summary"


@dataclass(frozen=True)
class RunnerState:
    """An immutable snapshot of the runner.

    ``index`` is the current snippet (0-based); ``start_position_ms`` where playback of it should
    begin (non-zero only when resuming); ``play_id`` changes every time a snippet (re)starts, so
    observers can tell a fresh start (replay, jump) from a pause toggle.
    """

    phase: Phase
    index: int = 0
    paused: bool = False
    error: str = ""
    start_position_ms: int = 0
    play_id: int = 0


class TransitionError(RuntimeError):
    """An action that makes no sense in the current phase (a programming error, not a user error)."""


Observer = Callable[[RunnerState], None]


class SessionRunner:
    """Sequences ``snippet_count`` snippets with a check-in after each, and questions before the snippets
    whose indexes are in ``asks_before``.

    Every action either moves to a new state and notifies observers, or raises TransitionError.
    """

    def __init__(self, snippet_count: int, *, countdown: bool = False,
                 asks_before: frozenset[int] = frozenset()) -> None:
        if snippet_count < 1:
            raise ValueError("a session needs at least one snippet")
        self.snippet_count = snippet_count
        self.countdown = countdown
        self.asks_before = asks_before
        self.state = RunnerState(Phase.READY)
        self._plays = 0
        self._asked_before: set[int] = set()
        self._observers: list[Observer] = []

    def subscribe(self, observer: Observer) -> None:
        """Call ``observer`` with the new state after every transition."""
        self._observers.append(observer)

    @property
    def is_last(self) -> bool:
        """True when the current snippet is the last one."""
        return self.state.index == self.snippet_count - 1

    def start(self, *, index: int = 0, position_ms: int = 0) -> None:
        """Begin playing at snippet ``index`` (resume: at ``position_ms`` into it)."""
        self._require(Phase.READY)
        if not 0 <= index < self.snippet_count:
            raise TransitionError(f"no snippet {index} in a session of {self.snippet_count}")
        self._play(index, position_ms=max(0, position_ms), ask=position_ms <= 0)

    def before_done(self) -> None:
        """The questions before the snippet were answered (or skipped): count down to it, or play it."""
        self._require(Phase.BEFORE)
        self._asked_before.add(self.state.index)
        phase = Phase.COUNTDOWN if self.countdown else Phase.PLAYING
        self._set(replace(self.state, phase=phase))

    def countdown_done(self) -> None:
        """The countdown ran out (or the user skipped it): play the snippet."""
        self._require(Phase.COUNTDOWN)
        self._set(replace(self.state, phase=Phase.PLAYING))

    def jump(self, index: int) -> None:
        """Go straight to snippet ``index`` (from the snippet list)."""
        self._require(Phase.BEFORE, Phase.COUNTDOWN, Phase.PLAYING, Phase.FAILED, Phase.CHECKIN)
        if not 0 <= index < self.snippet_count:
            raise TransitionError(f"no snippet {index} in a session of {self.snippet_count}")
        self._play(index)

    def toggle_pause(self) -> None:
        """Pause a playing snippet, or resume a paused one."""
        self._require(Phase.PLAYING)
        self._set(replace(self.state, paused=not self.state.paused))

    def snippet_ended(self) -> None:
        """The snippet reached its end, or the user ended it early: show its check-in."""
        self._require(Phase.PLAYING, Phase.FAILED)
        self._set(RunnerState(Phase.CHECKIN, index=self.state.index))

    def snippet_failed(self, message: str) -> None:
        """The snippet's video could not be played; ``message`` says why, for the user."""
        self._require(Phase.PLAYING)
        self._set(RunnerState(Phase.FAILED, index=self.state.index, error=message))

    def replay(self) -> None:
        """Play the current snippet again from the start (from playing, failed or its check-in)."""
        self._require(Phase.COUNTDOWN, Phase.PLAYING, Phase.FAILED, Phase.CHECKIN)
        self._play(self.state.index, ask=False)

    def skip(self) -> None:
        """Leave the current snippet without a check-in and go on to the next one (or the summary)."""
        self._require(Phase.BEFORE, Phase.COUNTDOWN, Phase.PLAYING, Phase.FAILED)
        self._advance()

    def checkin_done(self) -> None:
        """The check-in was saved or skipped: go on to the next snippet, or the summary after the last."""
        self._require(Phase.CHECKIN)
        self._advance()

    def _advance(self) -> None:
        if self.is_last:
            self._set(RunnerState(Phase.SUMMARY, index=self.state.index))
        else:
            self._play(self.state.index + 1)

    def _play(self, index: int, *, position_ms: int = 0, ask: bool = True) -> None:
        self._plays += 1
        phase = Phase.COUNTDOWN if self.countdown else Phase.PLAYING
        if ask and index in self.asks_before and index not in self._asked_before:
            phase = Phase.BEFORE
        self._set(RunnerState(phase, index=index, start_position_ms=position_ms, play_id=self._plays))

    def _require(self, *phases: Phase) -> None:
        if self.state.phase not in phases:
            allowed = ", ".join(p.value for p in phases)
            raise TransitionError(f"only allowed while {allowed}; the runner is {self.state.phase.value}")

    def _set(self, state: RunnerState) -> None:
        self.state = state
        for observer in list(self._observers):
            observer(state)
