"""Manifest parsing: every problem names the file, the field path and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from player.core.session.manifest import read_session
from player.core.session.questions import STANDARD_SET
from tests.conftest import DATA

GOOD = """
schema = 1
id = "demo"
title = "Demo"
summary = "A demo."

[[preview]]
id = "one"
title = "One"
media = "demo/one.mp4"
cues = "demo/one.vtt"
duration_s = 2.0
gentler = "Smaller."
checkin = ["standard", { id = "reach-before", kind = "measure", prompt = "Reach", unit = "cm", min = -40, max = 60 }]

[[preview]]
id = "two"
title = "Two"
media = "demo/two.mp4"
duration_s = 2
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "sessions").mkdir()
    media = tmp_path / "media" / "demo"
    media.mkdir(parents=True)
    shutil.copy(DATA / "clip-2s.mp4", media / "one.mp4")
    shutil.copy(DATA / "clip-2s.mp4", media / "two.mp4")
    (media / "one.vtt").write_text("WEBVTT\n")
    return tmp_path


def write(library: Path, text: str) -> Path:
    path = library / "sessions" / "demo.toml"
    path.write_text(text)
    return path


def problems(library: Path, text: str) -> list[str]:
    _session, found = read_session(write(library, text), media_root=library / "media")
    return [f"{p.field}: {p.reason}" for p in found]


def test_good_manifest(library: Path) -> None:
    session, found = read_session(write(library, GOOD), media_root=library / "media")
    assert found == []
    assert session is not None
    assert [s.id for s in session.preview] == ["one", "two"]
    one = session.preview[0]
    assert one.media == library / "media" / "demo" / "one.mp4"
    assert one.questions[: len(STANDARD_SET)] == STANDARD_SET
    assert one.questions[-1].kind == "measure" and one.questions[-1].unit == "cm"
    assert session.preview[1].questions == STANDARD_SET
    assert session.preview_duration_s == 4.0


def test_error_names_file_field_and_reason(library: Path) -> None:
    path = write(library, GOOD.replace('title = "One"\n', ""))
    _session, found = read_session(path, media_root=library / "media")
    assert [p.message for p in found] == [f"{path}: preview[0].title: missing"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (('id = "demo"', 'id = 7'), "id: must be a non-empty string, got an integer"),
        (("duration_s = 2.0", 'duration_s = "long"'), "preview[0].duration_s: must be a positive number of seconds"),
        (('kind = "measure"', 'kind = "slider"'), 'preview[0].checkin[1].kind: unknown question kind "slider"'),
        (('media = "demo/one.mp4"', 'media = "/etc/passwd"'), 'preview[0].media: "/etc/passwd" is absolute'),
        (('media = "demo/one.mp4"', 'media = "../../secret.mp4"'), "preview[0].media: \"../../secret.mp4\" climbs out"),
        (('media = "demo/one.mp4"', 'media = "demo/nope.mp4"'), "preview[0].media: nope.mp4: file not found"),
        (('cues = "demo/one.vtt"', 'cues = "demo/nope.vtt"'), "preview[0].cues: nope.vtt: file not found"),
        (("schema = 1", "schema = 2"), "schema: must be 1, got 2"),
        (('id = "two"', 'id = "one"'), 'preview: snippet id "one" appears twice'),
        (('checkin = ["standard",', 'checkin = ["fancy",'), 'preview[0].checkin[0]: unknown check-in set "fancy"'),
        (('gentler = "Smaller."', 'gentler = "Smaller."\ncolour = "red"'), "preview[0].colour: unknown field"),
        (('unit = "cm", ', ""), "preview[0].checkin[1].unit: missing"),
    ],
)
def test_each_problem_is_reported_precisely(library: Path, edit: tuple[str, str], expected: str) -> None:
    assert edit[0] in GOOD
    found = problems(library, GOOD.replace(edit[0], edit[1], 1))
    assert any(p.startswith(expected) for p in found), found


def test_several_problems_reported_together(library: Path) -> None:
    text = GOOD.replace('title = "One"\n', "").replace("duration_s = 2\n", "")
    assert problems(library, text) == ["preview[0].title: missing", "preview[1].duration_s: missing"]


def test_missing_preview(library: Path) -> None:
    text = GOOD[: GOOD.index("[[preview]]")]
    assert problems(library, text) == ["preview: missing: a session needs at least one snippet"]


def test_not_toml(library: Path) -> None:
    found = problems(library, "id = = 3")
    assert len(found) == 1 and found[0].startswith(": is not valid TOML")


def test_not_a_video(library: Path) -> None:
    (library / "media" / "demo" / "two.mp4").write_text("hello, I am text")
    assert problems(library, GOOD) == ["preview[1].media: two.mp4: is not a video file this app can play "
                                       "(expected MP4, WebM/Matroska or Ogg)"]


def test_empty_media(library: Path) -> None:
    (library / "media" / "demo" / "two.mp4").write_bytes(b"")
    assert problems(library, GOOD) == ["preview[1].media: two.mp4: file is empty"]


def test_unreadable_manifest(tmp_path: Path) -> None:
    _session, found = read_session(tmp_path / "gone.toml", media_root=tmp_path)
    assert found[0].reason.startswith("cannot be read")


def test_standard_ids_are_reserved(library: Path) -> None:
    text = GOOD.replace('{ id = "reach-before"', '{ id = "discomfort"')
    assert problems(library, text)[0].startswith('preview[0].checkin[1].id: "discomfort" belongs to the standard set')


def test_publisher_key_and_part_hash_are_checked(library: Path) -> None:
    text = GOOD.replace('summary = "A demo."', 'summary = "A demo."\n[publisher]\nname = "P"\npublic_key = "not-a-key"')
    assert "publisher.public_key: must be an Ed25519 public key: base64 of 32 bytes" in problems(library, text)
