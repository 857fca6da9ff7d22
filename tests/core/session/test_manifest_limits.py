"""Issue 10, findings 1, 2 and 8: manifests with non-finite or huge numbers, deep nesting, long names,
special files and unusable publisher keys end in a problem naming the file and field, never a traceback,
a hang or an unbounded read; the app lists such a session as broken and starts."""

from __future__ import annotations

import base64
import os
import shutil
import threading
from pathlib import Path

import pytest

from player.cli.entry import main
from player.core.defaults import MAX_CUE_FILE_BYTES, MAX_MANIFEST_BYTES
from player.core.session.library import library_roots, scan_library
from player.core.session.manifest import read_session
from player.core.session.packs import PackError, install_pack
from tests.conftest import DATA

HEAD = """schema = 1
id = "demo"
title = "Demo"
"""
SNIPPET = """
[[preview]]
id = "one"
title = "One"
media = "{media}"
duration_s = {duration}
"""
IDENTITY = base64.b64encode(bytes([1]) + bytes(31)).decode()


def library(root: Path, *, duration: str = "2.0", media: str = "demo/one.mp4", extra: str = "") -> Path:
    (root / "sessions").mkdir(parents=True, exist_ok=True)
    (root / "media" / "demo").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "clip-2s.mp4", root / "media" / "demo" / "one.mp4")
    manifest = root / "sessions" / "demo.toml"
    manifest.write_text(HEAD + extra + SNIPPET.format(media=media, duration=duration))
    return manifest


def found(manifest: Path) -> list[str]:
    session, problems = read_session(manifest, media_root=manifest.parent.parent / "media")
    assert problems or session is not None
    return [f"{p.field}: {p.reason}" for p in problems]


@pytest.mark.parametrize("duration", ["nan", "inf", "-inf", "+nan", "1e400", str(10**400), "86401", "0", "-3"])
def test_non_finite_or_out_of_range_durations_are_refused(tmp_path: Path, duration: str) -> None:
    problems = found(library(tmp_path, duration=duration))
    assert len(problems) == 1 and problems[0].startswith("preview[0].duration_s: must be")


@pytest.mark.parametrize("value", ["nan", "inf", str(10**400), "-1e300"])
def test_question_numbers_must_be_finite_and_in_range(tmp_path: Path, value: str) -> None:
    manifest = library(tmp_path)
    manifest.write_text(manifest.read_text() + f'checkin = [{{ id = "q", kind = "scale", prompt = "Q", min = 0, '
                                               f"max = {value} }}]\n")
    problems = found(manifest)
    assert len(problems) == 1 and problems[0].startswith("preview[0].checkin[0].max: must be")


def test_huge_size_bytes_is_refused_with_its_field(tmp_path: Path) -> None:
    manifest = library(tmp_path)
    manifest.write_text(manifest.read_text() + f"size_bytes = {10**400}\n")
    assert found(manifest) == []  # a preview ignores size_bytes ...
    text = manifest.read_text().replace("[[preview]]", "[[preview]]\n").replace("size_bytes", "size_bytes")
    paid = text + f"""
[publisher]
name = "P"
public_key = "H8p2GVRMIREWO4/8fdvmTbw58QOms7lD8+yih3HxtM0="
[full]
price = "$1"
[[full.parts]]
id = "two"
title = "Two"
media = "demo/one.mp4"
duration_s = 2.0
sha256 = "{'0' * 64}"
size_bytes = {10**400}
"""
    manifest.write_text(paid)
    problems = found(manifest)
    assert [p.split(":")[0] for p in problems] == ["full.parts[0].size_bytes"]
    assert "an integer of" in problems[0]


@pytest.mark.parametrize("depth", [500, 5000])
def test_deep_nesting_is_a_clear_problem(tmp_path: Path, depth: int) -> None:
    manifest = tmp_path / "deep.toml"
    manifest.write_text(HEAD + "x = " + "[" * depth + "]" * depth + "\n")
    problems = found(manifest)
    assert len(problems) == 1 and "is not valid TOML" in problems[0]


@pytest.mark.parametrize("name", ["a" * 256, "é" * 128, "demo/" + "b" * 300 + ".mp4"])
def test_names_over_255_bytes_are_refused(tmp_path: Path, name: str) -> None:
    problems = found(library(tmp_path, media=name))
    assert len(problems) == 1 and "longer than 255 bytes" in problems[0]


def test_long_cue_name_and_nul_are_refused(tmp_path: Path) -> None:
    manifest = library(tmp_path)
    manifest.write_text(manifest.read_text() + f'cues = "{"c" * 300}.vtt"\n')
    assert ["longer than 255 bytes" in p for p in found(manifest)] == [True]
    manifest.write_text(manifest.read_text().replace(f'{"c" * 300}.vtt', "a\\u0000b.vtt"))
    assert ["NUL" in p for p in found(manifest)] == [True]


def read_in_thread(manifest: Path) -> list[str]:
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.extend(found(manifest)), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "reading the manifest hung"
    return result


def test_a_fifo_named_as_a_manifest_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert read_in_thread(fifo) == [": is not a regular file"]


def test_dev_zero_as_a_manifest_is_refused_without_reading(tmp_path: Path) -> None:
    assert read_in_thread(Path("/dev/zero")) == [": is not a regular file"]


def test_a_huge_manifest_is_refused_before_reading(tmp_path: Path) -> None:
    manifest = tmp_path / "big.toml"
    with manifest.open("wb") as handle:
        handle.truncate(MAX_MANIFEST_BYTES + 1)
    assert read_in_thread(manifest) == [": is too large (1.0 MiB; at most 1.0 MiB)"]


def test_cue_file_special_or_too_large_is_a_problem(tmp_path: Path) -> None:
    manifest = library(tmp_path)
    manifest.write_text(manifest.read_text() + 'cues = "demo/one.vtt"\n')
    cues = tmp_path / "media" / "demo" / "one.vtt"
    os.mkfifo(cues)
    assert read_in_thread(manifest) == ["preview[0].cues: one.vtt: is not a regular file"]
    cues.unlink()
    with cues.open("wb") as handle:
        handle.truncate(MAX_CUE_FILE_BYTES + 1)
    assert [p.startswith("preview[0].cues: one.vtt: is too large") for p in found(manifest)] == [True]


@pytest.mark.parametrize("raw", [
    bytes([1]) + bytes(31),  # the identity (order 1)
    bytes(32),  # order 4
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),  # order 8
    bytes([0xEC]) + b"\xff" * 30 + bytes([0x7F]),  # order 2
    bytes([0xED]) + b"\xff" * 30 + bytes([0x7F]),  # y = p: not canonical
    bytes([1]) + bytes(30) + bytes([0x80]),  # identity with the sign bit: not canonical
])
def test_small_order_and_non_canonical_publisher_keys_are_refused(tmp_path: Path, raw: bytes) -> None:
    manifest = library(tmp_path, extra=f'[publisher]\nname = "P"\npublic_key = "{base64.b64encode(raw).decode()}"\n')
    problems = found(manifest)
    assert len(problems) == 1 and problems[0].startswith("publisher.public_key: is not a usable Ed25519 public key")


def test_installed_nan_pack_is_listed_as_broken_and_the_app_starts(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 1: whatever is in packs/, `sessions` and the app's library load never raise."""
    pack = tmp_path / "pack"
    library(pack, duration="nan")
    with pytest.raises(PackError, match=r"duration_s: must be a finite number"):
        install_pack(pack, data_directory=tmp_path / "data")
    # as if an older version had installed it: copied by hand into packs/
    shutil.copytree(pack, tmp_path / "data" / "packs" / "demo")
    entries = scan_library(library_roots(tmp_path / "data"))
    broken = next(e for e in entries if e.session_id == "demo")
    assert not broken.available and broken.session is None
    assert main(["--data-dir", str(tmp_path / "data"), "sessions"]) == 0
    out = capsys.readouterr().out
    assert "broken manifest" in out and "duration_s: must be a finite number" in out
