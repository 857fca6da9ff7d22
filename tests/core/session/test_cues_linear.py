"""Issue 10, finding 4: the WebVTT reader is linear in time and memory, has a size limit, and the app reads
each snippet's first cue once, with the manifest, never before each snippet."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from player.core.defaults import MAX_CUE_FILE_BYTES
from player.core.session.cues import parse_cues, read_cues
from player.core.session.manifest import read_session
from tests.conftest import DATA

TIMING = "00:00.000 --> 00:01.000\n"  # timing lines and no blank line: the old reader copied the rest per cue


def test_a_14_mb_file_of_timing_lines_parses_in_linear_time_and_memory(tmp_path: Path) -> None:
    text = "WEBVTT\n\n" + TIMING * 58_333  # 1.4 MB: the old reader needed ~6 GB and minutes
    started = time.perf_counter()
    cues = parse_cues(text)
    seconds = time.perf_counter() - started  # ~0.15 s here; the old reader ran out of memory after 24 s
    assert len(cues) == 58_333 and all(cue.text == "" for cue in cues)
    tracemalloc.start()
    parse_cues(text)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 3 and peak < 60 * len(text), (seconds, peak)


def test_time_grows_linearly(tmp_path: Path) -> None:
    def timed(count: int) -> float:
        text = TIMING * count
        started = time.perf_counter()
        parse_cues(text)
        return time.perf_counter() - started

    small, large = min(timed(5_000) for _ in range(3)), min(timed(40_000) for _ in range(3))
    assert large < small * 8 * 3  # 8 times the input: linear is ~8x, quadratic was ~64x


def test_files_over_the_limit_are_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.vtt"
    big.write_text("WEBVTT\n\n" + TIMING + "hello\n" + "x" * MAX_CUE_FILE_BYTES)
    assert read_cues(big) == []


def test_the_first_cue_is_read_with_the_manifest_and_not_again(tmp_path: Path) -> None:
    (tmp_path / "sessions").mkdir()
    media = tmp_path / "media" / "demo"
    media.mkdir(parents=True)
    shutil.copy(DATA / "clip-2s.mp4", media / "one.mp4")
    (media / "one.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nLift the big toe\n")
    manifest = tmp_path / "sessions" / "demo.toml"
    manifest.write_text('schema = 1\nid = "demo"\ntitle = "Demo"\n[[preview]]\nid = "one"\ntitle = "One"\n'
                        'media = "demo/one.mp4"\ncues = "demo/one.vtt"\nduration_s = 2.0\n')
    session, problems = read_session(manifest, media_root=tmp_path / "media")
    assert problems == [] and session is not None
    (media / "one.vtt").unlink()  # what the countdown and the up-next card show no longer needs the file
    assert session.preview[0].first_cue == "Lift the big toe"


def test_the_player_asking_again_gets_the_cues_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from player.core.session import cues as module

    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nLift the big toe\n")
    first = read_cues(path)
    calls: list[str] = []
    monkeypatch.setattr(module, "parse_cues", lambda text, **kw: calls.append(text) or [])
    assert read_cues(path) == first and calls == []  # unchanged file: from the cache
    path.write_text("WEBVTT\n\n00:00.000 --> 00:03.000\nSomething else entirely\n")
    read_cues(path)
    assert len(calls) == 1  # a changed file is parsed again
