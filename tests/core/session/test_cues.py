"""WebVTT reading for the countdown and the up-next card."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.core.session.cues import Cue, first_cue_in, parse_timestamp_ms, read_cues
from player.core.session.library import builtin_root, scan_library


def test_timestamps() -> None:
    assert parse_timestamp_ms("00:01:02.500") == 62_500
    assert parse_timestamp_ms("01:02.5") == 62_500
    with pytest.raises(ValueError):
        parse_timestamp_ms("12")


def test_read_cues(tmp_path: Path) -> None:
    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000 line:90%\nLift the big toe\nslowly\n\n"
                    "00:00:04.000 --> 00:00:08.000\nLet the hip follow\n")
    assert read_cues(path) == [Cue(0, 4000, "Lift the big toe slowly"), Cue(4000, 8000, "Let the hip follow")]
    assert first_cue_in(path.read_text()) == "Lift the big toe slowly"


def test_missing_or_empty(tmp_path: Path) -> None:
    assert first_cue_in("") == "" and read_cues(tmp_path / "none.vtt") == []


def test_builtin_cues_all_read() -> None:
    session = next(e.session for e in scan_library([builtin_root()]) if e.session)
    for snippet in session.preview:
        assert snippet.cues is not None and snippet.first_cue  # read with the manifest
