"""Questions asked before a snippet: the runner's ``before`` phase, without a display."""

from __future__ import annotations

import pytest

from player.core.session.library import builtin_root, scan_library
from player.core.session.runner import Phase, RunnerState, SessionRunner, TransitionError


def phases(runner: SessionRunner) -> list[RunnerState]:
    seen: list[RunnerState] = []
    runner.subscribe(seen.append)
    return seen


def test_before_comes_first_then_the_snippet_plays_then_its_checkin() -> None:
    runner = SessionRunner(3, asks_before=frozenset({1}))
    seen = phases(runner)
    runner.start()
    runner.snippet_ended()
    runner.checkin_done()
    assert runner.state.phase is Phase.BEFORE and runner.state.index == 1
    runner.before_done()
    runner.snippet_ended()
    runner.checkin_done()
    runner.snippet_ended()
    runner.checkin_done()
    assert [(s.phase, s.index) for s in seen] == [
        (Phase.PLAYING, 0), (Phase.CHECKIN, 0), (Phase.BEFORE, 1), (Phase.PLAYING, 1), (Phase.CHECKIN, 1),
        (Phase.PLAYING, 2), (Phase.CHECKIN, 2), (Phase.SUMMARY, 2),
    ]


def test_before_keeps_its_play_id_and_goes_through_the_countdown() -> None:
    runner = SessionRunner(1, countdown=True, asks_before=frozenset({0}))
    runner.start()
    before = runner.state
    assert before.phase is Phase.BEFORE
    runner.before_done()
    assert runner.state.phase is Phase.COUNTDOWN and runner.state.play_id == before.play_id
    runner.countdown_done()
    assert runner.state.phase is Phase.PLAYING


def test_a_replay_does_not_ask_again_and_neither_does_a_later_jump_back() -> None:
    runner = SessionRunner(2, asks_before=frozenset({0}))
    runner.start()
    runner.before_done()
    runner.snippet_ended()
    runner.replay()
    assert runner.state.phase is Phase.PLAYING
    runner.snippet_ended()
    runner.checkin_done()
    runner.jump(0)
    assert runner.state.phase is Phase.PLAYING


def test_a_jump_to_a_snippet_not_asked_yet_asks_first() -> None:
    runner = SessionRunner(3, asks_before=frozenset({2}))
    runner.start()
    runner.jump(2)
    assert (runner.state.phase, runner.state.index) == (Phase.BEFORE, 2)


def test_resuming_mid_snippet_does_not_ask_but_from_its_start_does() -> None:
    resumed = SessionRunner(2, asks_before=frozenset({1}))
    resumed.start(index=1, position_ms=12_000)
    assert resumed.state.phase is Phase.PLAYING and resumed.state.start_position_ms == 12_000
    fresh = SessionRunner(2, asks_before=frozenset({1}))
    fresh.start(index=1)
    assert fresh.state.phase is Phase.BEFORE


def test_from_before_the_user_can_skip_or_go_back_but_not_check_in() -> None:
    runner = SessionRunner(2, asks_before=frozenset({1}))
    runner.start()
    runner.snippet_ended()
    runner.checkin_done()
    with pytest.raises(TransitionError):
        runner.snippet_ended()
    with pytest.raises(TransitionError):
        runner.toggle_pause()
    runner.jump(0)  # back, as the snippet list does
    assert (runner.state.phase, runner.state.index) == (Phase.PLAYING, 0)
    runner.jump(1)
    runner.skip()
    assert runner.state.phase is Phase.SUMMARY


def test_before_done_only_from_before() -> None:
    runner = SessionRunner(1)
    runner.start()
    with pytest.raises(TransitionError):
        runner.before_done()


def test_the_builtin_toe_touch_asks_reach_before_and_after() -> None:
    session = next(e.session for e in scan_library([builtin_root()]) if e.session_id == "foot-spine-connections")
    assert session is not None
    toe = session.snippet("toe-touch-test")
    assert toe is not None
    assert [q.id for q in toe.questions_before] == ["reach-before"]
    assert "reach-after" in [q.id for q in toe.questions_after]
    assert "reach-before" not in [q.id for q in toe.questions_after]
    assert all(not s.questions_before for s in session.preview if s.id != "toe-touch-test")
