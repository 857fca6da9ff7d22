"""Every transition of the session runner, without a display."""

from __future__ import annotations

import pytest

from player.core.session.runner import Phase, RunnerState, SessionRunner, TransitionError


@pytest.fixture
def runner() -> SessionRunner:
    return SessionRunner(3)


def phases(runner: SessionRunner) -> list[RunnerState]:
    seen: list[RunnerState] = []
    runner.subscribe(seen.append)
    return seen


def test_starts_ready() -> None:
    assert SessionRunner(1).state == RunnerState(Phase.READY)


def test_needs_a_snippet() -> None:
    with pytest.raises(ValueError):
        SessionRunner(0)


def test_full_sequence_to_summary(runner: SessionRunner) -> None:
    seen = phases(runner)
    runner.start()
    for _ in range(3):
        runner.snippet_ended()
        runner.checkin_done()
    assert [(s.phase, s.index) for s in seen] == [
        (Phase.PLAYING, 0), (Phase.CHECKIN, 0), (Phase.PLAYING, 1), (Phase.CHECKIN, 1),
        (Phase.PLAYING, 2), (Phase.CHECKIN, 2), (Phase.SUMMARY, 2),
    ]


def test_pause_toggles_without_restarting(runner: SessionRunner) -> None:
    runner.start()
    play_id = runner.state.play_id
    runner.toggle_pause()
    assert runner.state.paused and runner.state.play_id == play_id
    runner.toggle_pause()
    assert not runner.state.paused and runner.state.play_id == play_id


def test_replay_restarts_same_snippet(runner: SessionRunner) -> None:
    runner.start()
    runner.snippet_ended()
    runner.checkin_done()
    first = runner.state.play_id
    runner.replay()
    assert runner.state.phase is Phase.PLAYING and runner.state.index == 1 and runner.state.play_id != first


def test_replay_from_checkin(runner: SessionRunner) -> None:
    runner.start()
    runner.snippet_ended()
    runner.replay()
    assert (runner.state.phase, runner.state.index) == (Phase.PLAYING, 0)


def test_skip_moves_on_without_checkin(runner: SessionRunner) -> None:
    runner.start(index=2)
    runner.skip()
    assert runner.state.phase is Phase.SUMMARY


def test_failure_then_go_on(runner: SessionRunner) -> None:
    runner.start()
    runner.snippet_failed("clip.mp4 could not be decoded")
    assert runner.state == RunnerState(Phase.FAILED, index=0, error="clip.mp4 could not be decoded")
    runner.skip()
    assert (runner.state.phase, runner.state.index) == (Phase.PLAYING, 1)


def test_failure_then_retry(runner: SessionRunner) -> None:
    runner.start()
    runner.snippet_failed("boom")
    runner.replay()
    assert runner.state.phase is Phase.PLAYING and runner.state.error == ""


def test_resume_at_position(runner: SessionRunner) -> None:
    runner.start(index=2, position_ms=12_500)
    assert (runner.state.index, runner.state.start_position_ms) == (2, 12_500)
    runner.snippet_ended()
    runner.checkin_done()
    assert runner.state.phase is Phase.SUMMARY


def test_start_out_of_range(runner: SessionRunner) -> None:
    with pytest.raises(TransitionError):
        runner.start(index=3)


@pytest.mark.parametrize("action", ["toggle_pause", "snippet_ended", "checkin_done", "skip", "replay"])
def test_actions_refused_when_ready(runner: SessionRunner, action: str) -> None:
    with pytest.raises(TransitionError):
        getattr(runner, action)()


def test_checkin_done_refused_while_playing(runner: SessionRunner) -> None:
    runner.start()
    with pytest.raises(TransitionError, match="only allowed while checkin"):
        runner.checkin_done()


def test_nothing_after_summary(runner: SessionRunner) -> None:
    runner.start(index=2)
    runner.snippet_ended()
    runner.checkin_done()
    for action in (runner.replay, runner.snippet_ended, runner.toggle_pause, runner.checkin_done):
        with pytest.raises(TransitionError):
            action()


def test_countdown_comes_before_each_snippet() -> None:
    runner = SessionRunner(2, countdown=True)
    seen = phases(runner)
    runner.start()
    runner.countdown_done()
    runner.snippet_ended()
    runner.checkin_done()
    runner.countdown_done()
    assert [(s.phase, s.index) for s in seen] == [
        (Phase.COUNTDOWN, 0), (Phase.PLAYING, 0), (Phase.CHECKIN, 0), (Phase.COUNTDOWN, 1), (Phase.PLAYING, 1),
    ]
    assert seen[0].play_id == seen[1].play_id


def test_countdown_keeps_the_resume_position() -> None:
    runner = SessionRunner(3, countdown=True)
    runner.start(index=1, position_ms=9_000)
    runner.countdown_done()
    assert (runner.state.phase, runner.state.index, runner.state.start_position_ms) == (Phase.PLAYING, 1, 9_000)


def test_countdown_done_only_during_countdown(runner: SessionRunner) -> None:
    runner.start()
    with pytest.raises(TransitionError):
        runner.countdown_done()


def test_jump_from_checkin_and_bounds(runner: SessionRunner) -> None:
    runner.start()
    runner.snippet_ended()
    runner.jump(2)
    assert (runner.state.phase, runner.state.index) == (Phase.PLAYING, 2)
    with pytest.raises(TransitionError):
        runner.jump(3)
