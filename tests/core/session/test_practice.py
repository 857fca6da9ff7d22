"""Speed steps, the loop marker, and settings persistence, without Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.core.session.practice import Loop, loop_jump_ms, next_speed, press_loop
from player.core.session.settings import SETTINGS_FILENAME, Settings, load_settings, save_settings


@pytest.mark.parametrize(("rate", "faster", "expected"), [
    (1.0, True, 1.1), (1.0, False, 0.9), (1.5, True, 1.5), (0.5, False, 0.5), (0.75, False, 0.6), (1.25, True, 1.5),
])
def test_speed_steps(rate: float, faster: bool, expected: float) -> None:
    assert next_speed(rate, faster=faster) == expected


def test_loop_marks_start_then_end_then_off() -> None:
    loop = press_loop(None, 4_000)
    assert loop == Loop(4_000) and not loop.active
    loop = press_loop(loop, 9_000)
    assert loop == Loop(4_000, 9_000) and loop.active
    assert press_loop(loop, 12_000) is None


def test_loop_end_before_start_swaps() -> None:
    assert press_loop(Loop(9_000), 4_000) == Loop(4_000, 9_000)


def test_double_press_does_not_make_a_tiny_loop() -> None:
    assert press_loop(Loop(4_000), 4_400) == Loop(4_000)


def test_loop_jump() -> None:
    loop = Loop(4_000, 9_000)
    assert loop_jump_ms(loop, 8_999) is None
    assert loop_jump_ms(loop, 9_050) == 4_000
    assert loop_jump_ms(Loop(4_000), 20_000) is None
    assert loop_jump_ms(None, 20_000) is None


def test_settings_round_trip(tmp_path: Path) -> None:
    settings = Settings(mirrored=True, volume_percent=35, muted=True, countdown_s=5).with_speed("s", 0.75)
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path) == settings
    assert json.loads((tmp_path / SETTINGS_FILENAME).read_text())["version"] == 2


def test_cues_are_on_by_default_and_an_old_off_is_not_carried_over(tmp_path: Path) -> None:
    assert Settings().cues_visible
    # Version 1 wrote "off" for everyone (the old demo footage burnt its cues in): cues come on.
    (tmp_path / SETTINGS_FILENAME).write_text(json.dumps({"version": 1, "settings": {
        "cues_visible": False, "mirrored": True}}))
    assert load_settings(tmp_path) == Settings(mirrored=True, cues_visible=True)
    save_settings(tmp_path, Settings(cues_visible=False))  # turned off by the user since: stays off
    assert not load_settings(tmp_path).cues_visible


def test_missing_settings_are_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()


def test_damaged_settings_are_kept_aside(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILENAME).write_text("{not json")
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.bad").read_text() == "{not json"


def test_wrong_types_fall_back_per_key(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILENAME).write_text(json.dumps({"version": 1, "settings": {
        "mirrored": "yes", "volume_percent": 250, "muted": True, "countdown_s": 0, "speeds": {"a": 0.77, "b": 1.25},
        "unknown": 1,
    }}))
    settings = load_settings(tmp_path)
    assert (settings.mirrored, settings.volume_percent, settings.muted, settings.countdown_s) == (False, 100, True, 1)
    assert settings.speeds == {"b": 1.25}


@pytest.mark.parametrize("content", ['{"settings": []}', "[1, 2]", '{"version": 1}', '"text"'])
def test_settings_of_the_wrong_shape_are_kept_aside(tmp_path: Path, content: str) -> None:
    (tmp_path / SETTINGS_FILENAME).write_text(content)
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.bad").read_text() == content
