"""The publisher's tools without the command line: workspace, pack, keys, long-video cuts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from player.core.errors import LicenseError, PublisherError
from player.core.licensing import encryption as chunked
from player.core.licensing.encryption import ChunkedReader, HeaderError, media_context
from player.core.licensing.keys import LicenseNotGenuineError, LicenseWrongSessionError
from player.core.session.manifest import read_session
from player.publisher.ledger import open_ledger, sales
from player.publisher.pack import Pack, build_pack
from player.publisher.sales import issue_key, verify_key
from player.publisher.source import ManifestProblemsError
from player.publisher.tomlwrite import toml_string
from player.publisher.video import Stretch, plan_cuts, read_chapters_file
from player.publisher.workspace import Workspace, create_workspace, open_workspace
from tests.conftest import DATA, REPO

CLIP = DATA / "clip-2s.mp4"
TODAY = dt.date(2026, 11, 23)
PASSPHRASE = b"correct horse"


def needs_ffmpeg() -> None:
    """Skip where ffmpeg is absent; on CI its absence is a failure."""
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        if os.environ.get("CI"):
            pytest.fail("ffmpeg/ffprobe are missing on CI")
        pytest.skip("ffmpeg is not installed on this machine")


pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return create_workspace(tmp_path / "ws", passphrase=PASSPHRASE, name="Test Publisher")


def make_source(folder: Path, session_id: str, *, parts: tuple[str, ...] = ("part-a", "part-b"),
                media: bool = True, extra: str = "") -> Path:
    """A source folder: clip-2s.mp4 as the preview and as every paid part (each with cues)."""
    folder.mkdir(parents=True)
    shutil.copyfile(CLIP, folder / "preview.mp4")
    (folder / "preview.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nfree cue\n", encoding="utf-8")
    (folder / "paid").mkdir()
    text = (f'schema = 1\nid = "{session_id}"\ntitle = "Session {session_id}"\n{extra}\n'
            '[[preview]]\nid = "free"\ntitle = "Free"\nmedia = "preview.mp4"\ncues = "preview.vtt"\n'
            'duration_s = 2.0\n\n[full]\nprice = "$20"\n')
    for part in parts:
        text += f'\n[[full.parts]]\nid = "{part}"\ntitle = "Part {part}"\ngentler = "Smaller."\n'
        if media:
            shutil.copyfile(CLIP, folder / "paid" / f"{part}.mp4")
            (folder / "paid" / f"{part}.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\npaid cue\n")
            text += f'media = "paid/{part}.mp4"\ncues = "paid/{part}.vtt"\nduration_s = 2.0\n'
        text += 'checkin = ["standard", { id = "side", kind = "choice", prompt = "Side?", options = ["l", "r"] }]\n'
    (folder / "session.toml").write_text(text, encoding="utf-8")
    return folder


def pack(tmp_path: Path, workspace: Workspace, session_id: str = "s-one", *, out: str = "out",
         passphrase: bytes = PASSPHRASE, make_zip: bool = False) -> Pack:
    source = tmp_path / f"src-{session_id}-{out}"
    if not source.exists():
        make_source(source, session_id)
    return build_pack(source, workspace=workspace, passphrase=passphrase, output=tmp_path / out, today=TODAY,
                      make_zip=make_zip)


def decrypt(path: Path, *, key: bytes, session_id: str, part_id: str) -> bytes:
    with path.open("rb") as sealed:
        return ChunkedReader(sealed, key=key, context=media_context(session_id, part_id)).read()


# --- Workspace ---------------------------------------------------------------------------------------


def test_workspace_has_a_private_key_readable_by_its_owner_only(workspace: Workspace) -> None:
    names = {p.name for p in workspace.directory.iterdir()}
    assert {"private-key.json", "public-key.txt", "publisher.toml", "ledger.db"} <= names
    assert stat.S_IMODE(workspace.private_key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(workspace.ledger_file.stat().st_mode) == 0o600
    sealed = json.loads(workspace.private_key_file.read_text())  # scrypt, as the content keys (issue 10: 10)
    assert (sealed["kdf"], sealed["log_n"], sealed["public_key"]) == ("scrypt", 10, workspace.public_key_text())
    assert len(workspace.public_key_text()) == 44
    assert workspace.name() == "Test Publisher"


def test_a_second_init_is_refused_and_changes_nothing(workspace: Workspace) -> None:
    before = workspace.private_key_file.read_bytes()
    with pytest.raises(PublisherError, match="already there"):
        create_workspace(workspace.directory, passphrase=b"other")
    assert workspace.private_key_file.read_bytes() == before


def test_wrong_passphrase_is_a_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(PublisherError, match="wrong passphrase"):
        workspace.unlock(b"incorrect")
    with pytest.raises(PublisherError, match="wrong passphrase"):
        pack(tmp_path, workspace, passphrase=b"incorrect")


# --- Pack --------------------------------------------------------------------------------------------


def test_pack_round_trip(workspace: Workspace, tmp_path: Path) -> None:
    result = pack(tmp_path, workspace, make_zip=True)
    out = tmp_path / "out"
    session, problems = read_session(out / "sessions" / "s-one.toml", media_root=out / "media")
    assert problems == [] and session is not None and session.full is not None and session.publisher is not None
    assert session.publisher.public_key == workspace.public_key_text()
    assert [p.id for p in session.full.parts] == ["part-a", "part-b"]
    key = workspace.content_keys.get("s-one", passphrase=PASSPHRASE)
    assert key is not None and result.new_content_key
    for part in session.full.parts:
        assert part.media == out / "media" / "s-one" / "full" / f"{part.id}.mpe"
        assert decrypt(part.media, key=key, session_id="s-one", part_id=part.id) == CLIP.read_bytes()
        assert part.size_bytes == part.media.stat().st_size
        assert part.sha256 == hashlib.sha256(part.media.read_bytes()).hexdigest()
        assert part.cues is None and part.gentler == "Smaller." and len(part.questions) == 5
    assert session.preview[0].cues is not None and session.preview[0].cues.read_text().endswith("free cue\n")
    assert any("cues: left out" in note for note in result.notes)
    assert result.zip_file == tmp_path / "out.zip"


def test_poster_and_badge_travel_with_the_pack(workspace: Workspace, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", "s-pic", extra='poster = "card.png"\nbadge = "DEMO FOOTAGE"\n')
    (source / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"picture")
    build_pack(source, workspace=workspace, passphrase=PASSPHRASE, output=tmp_path / "out", today=TODAY)
    out = tmp_path / "out"
    session, problems = read_session(out / "sessions" / "s-pic.toml", media_root=out / "media")
    assert problems == [] and session is not None
    assert session.poster == out / "media" / "s-pic" / "card.png" and session.badge == "DEMO FOOTAGE"
    assert session.poster.read_bytes().endswith(b"picture")


def test_no_plaintext_of_a_paid_part_in_the_pack(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace)
    out = tmp_path / "out"
    previews = {out / "media" / "s-one" / "preview.mp4", out / "media" / "s-one" / "preview.vtt"}
    clip = CLIP.read_bytes()
    needles = [clip[i : i + 64] for i in range(0, len(clip) - 64, len(clip) // 16)]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files if p not in previews} == {".toml", ".mpe"}
    for path in files:
        if path not in previews:
            data = path.read_bytes()
            assert not any(needle in data for needle in needles), path
            assert b"paid cue" not in data
    assert not [p for p in out.rglob(".packing-*")], "the staging folder is removed"


def test_the_content_key_never_goes_into_the_pack(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace)
    key = workspace.content_keys.get("s-one", passphrase=PASSPHRASE)
    assert key is not None
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert key not in path.read_bytes() and key.hex().encode() not in path.read_bytes()
    assert key.hex() not in (workspace.directory / "content-keys.json").read_text()


def test_packing_again_keeps_the_content_key_and_needs_replace(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace)
    first = workspace.content_keys.get("s-one", passphrase=PASSPHRASE)
    with pytest.raises(PublisherError, match="already in this pack"):
        pack(tmp_path, workspace)
    again = build_pack(tmp_path / "src-s-one-out", workspace=workspace, passphrase=PASSPHRASE,
                       output=tmp_path / "out", today=TODAY, replace=True)
    assert not again.new_content_key
    assert workspace.content_keys.get("s-one", passphrase=PASSPHRASE) == first


def test_source_problems_name_the_source_file_and_field(workspace: Workspace, tmp_path: Path) -> None:
    source = make_source(tmp_path / "src", "s-bad", extra='colour = "red"')
    text = (source / "session.toml").read_text().replace('title = "Part part-b"\n', "")
    (source / "session.toml").write_text(text.replace('media = "paid/part-a.mp4"', 'media = "../x.mp4"'))
    with pytest.raises(ManifestProblemsError) as caught:
        build_pack(source, workspace=workspace, passphrase=PASSPHRASE, output=tmp_path / "out", today=TODAY)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"colour", "full.parts[0].media", "full.parts[1].title"}
    assert all(p.file == str(source / "session.toml") for p in caught.value.problems)
    assert not (tmp_path / "out").exists()


# --- Keys --------------------------------------------------------------------------------------------


def test_issue_then_verify_and_the_ledger_has_the_sale(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace)
    first = issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee="Ann", today=TODAY)
    second = issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee="Bo", today=TODAY)
    assert (first.license_id, second.license_id) == (1, 2)
    verified = verify_key(first.key_text, pack=tmp_path / "out")
    assert (verified.license.licensee, verified.license.license_id, verified.session.id) == ("Ann", "1", "s-one")
    with open_ledger(workspace.ledger_file) as db:
        rows = sales(db)
    fingerprint = [hashlib.sha256(sale.key_text.encode()).hexdigest() for sale in (first, second)]
    assert [(r.license_id, r.session_id, r.licensee, r.issued_on, r.key_sha256) for r in rows] == [
        (1, "s-one", "Ann", TODAY, fingerprint[0]), (2, "s-one", "Bo", TODAY, fingerprint[1])]
    assert first.key_text not in workspace.ledger_file.read_bytes().decode("latin-1")  # issue 10: 11


def test_issue_needs_a_packed_session_and_records_nothing_otherwise(workspace: Workspace) -> None:
    with pytest.raises(PublisherError, match="no content key for session 'nope'"):
        issue_key(workspace, passphrase=PASSPHRASE, session_id="nope", licensee="Ann", today=TODAY)
    with open_ledger(workspace.ledger_file) as db:
        assert sales(db) == []


def test_a_key_for_another_session_fails_with_that_reason(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace, "s-one")
    pack(tmp_path, workspace, "s-two", out="other")
    sale = issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee="Ann", today=TODAY)
    with pytest.raises(LicenseWrongSessionError, match="for the session 's-one', not 's-two'"):
        verify_key(sale.key_text, pack=tmp_path / "other" / "sessions" / "s-two.toml")


def test_a_key_from_another_workspace_is_not_genuine(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace, "s-one")
    rival = create_workspace(tmp_path / "rival", passphrase=PASSPHRASE, name="Rival")
    pack(tmp_path, rival, "s-one", out="rival-out")
    sale = issue_key(rival, passphrase=PASSPHRASE, session_id="s-one", licensee="Ann", today=TODAY)
    with pytest.raises(LicenseNotGenuineError, match="not issued by the session's publisher"):
        verify_key(sale.key_text, pack=tmp_path / "out")


def test_parts_swapped_between_sessions_or_within_one_do_not_decrypt(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace, "s-one")
    pack(tmp_path, workspace, "s-two", out="other")
    key_one = workspace.content_keys.get("s-one", passphrase=PASSPHRASE)
    assert key_one is not None and key_one != workspace.content_keys.get("s-two", passphrase=PASSPHRASE)
    one, two = tmp_path / "out" / "media" / "s-one" / "full", tmp_path / "other" / "media" / "s-two" / "full"
    with pytest.raises(HeaderError):
        decrypt(two / "part-a.mpe", key=key_one, session_id="s-one", part_id="part-a")
    with pytest.raises(HeaderError):
        decrypt(one / "part-b.mpe", key=key_one, session_id="s-one", part_id="part-a")
    sale = issue_key(workspace, passphrase=PASSPHRASE, session_id="s-one", licensee="Ann", today=TODAY)
    shutil.copyfile(two / "part-a.mpe", one / "part-a.mpe")
    with pytest.raises(LicenseError, match="genuine but does not decrypt"):
        verify_key(sale.key_text, pack=tmp_path / "out")


def test_content_keys_are_sealed_per_session(workspace: Workspace, tmp_path: Path) -> None:
    pack(tmp_path, workspace, "s-one")
    pack(tmp_path, workspace, "s-two", out="other")
    store = workspace.directory / "content-keys.json"
    data = json.loads(store.read_text())
    data["sessions"]["s-one"] = data["sessions"]["s-two"]  # an entry moved to another session
    store.write_text(json.dumps(data))
    with pytest.raises(PublisherError, match="content key of 's-one'"):
        workspace.content_keys.get("s-one", passphrase=PASSPHRASE)
    with pytest.raises(PublisherError, match="wrong passphrase"):
        workspace.content_keys.get("s-two", passphrase=b"incorrect")


# --- Long video --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s test pattern with a tone and two chapter markers (0-1.2 s, 1.2-3 s)."""
    needs_ffmpeg()
    folder = tmp_path_factory.mktemp("long")
    meta = folder / "chapters.ffmeta"
    meta.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1200\ntitle=A\n"
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1200\nEND=3000\ntitle=B\n")
    video = folder / "long.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=24", "-f", "lavfi",
                    "-i", "sine=frequency=440", "-i", str(meta), "-map", "0:v", "-map", "1:a", "-map_chapters", "2",
                    "-t", "3", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    str(video)], check=True)
    return video


def decrypted_duration_s(path: Path, *, key: bytes, session_id: str, part_id: str) -> float:
    plaintext = decrypt(path, key=key, session_id=session_id, part_id=part_id)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "json",
                            "-i", "pipe:0"], input=plaintext, capture_output=True, check=True)
    streams = json.loads(probe.stdout)["streams"]
    return next(float(s["duration"]) for s in streams if s["codec_type"] == "video")


@pytest.mark.parametrize("chapters", ["file", "markers"])
def test_long_video_is_cut_into_parts_of_the_right_length(
    workspace: Workspace, tmp_path: Path, long_video: Path, chapters: str
) -> None:
    source = make_source(tmp_path / "src", "s-long", parts=("one", "two"), media=False)
    chapters_file = tmp_path / "chapters.txt"
    chapters_file.write_text("# start times\n00:00:00 one\n00:00:01.200 two\n")
    result = build_pack(source, workspace=workspace, passphrase=PASSPHRASE, output=tmp_path / "out", today=TODAY,
                        long_video=long_video, chapters=chapters_file if chapters == "file" else None)
    key = workspace.content_keys.get("s-long", passphrase=PASSPHRASE)
    assert key is not None
    for part, expected in zip(result.parts, (1.2, 1.8), strict=True):
        assert part.duration_s == pytest.approx(expected, abs=0.01)
        measured = decrypted_duration_s(part.file, key=key, session_id="s-long", part_id=part.id)
        assert measured == pytest.approx(expected, abs=0.3)
    media = tmp_path / "out" / "media" / "s-long"
    written = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
    assert written == ["full/one.mpe", "full/two.mpe", "preview.mp4", "preview.vtt"]


def test_chapters_must_match_the_parts(tmp_path: Path, long_video: Path) -> None:
    chapters = tmp_path / "chapters.txt"
    chapters.write_text("00:00:00 one\n00:00:01 three\n")
    with pytest.raises(PublisherError, match="'three' is not a part"):
        plan_cuts(long_video, ["one", "two"], chapters=chapters)
    chapters.write_text("00:00:00 one\n")
    with pytest.raises(PublisherError, match="no start time for part"):
        plan_cuts(long_video, ["one", "two"], chapters=chapters)
    chapters.write_text("00:00:00 one\n00:00:09 two\n")
    with pytest.raises(PublisherError, match="part 'two' would be"):
        plan_cuts(long_video, ["one", "two"], chapters=chapters)
    with pytest.raises(PublisherError, match="2 chapter marker"):
        plan_cuts(long_video, ["one", "two", "three"], chapters=None)


def test_chapters_file_lines(tmp_path: Path) -> None:
    chapters = tmp_path / "chapters.txt"
    chapters.write_text("\n# intro\n00:00:00 a\n01:02:03.5 b\n")
    assert read_chapters_file(chapters) == [(0.0, "a"), (3723.5, "b")]
    chapters.write_text("00:00:00 a\n1:2 b\n")
    with pytest.raises(PublisherError, match=r"chapters.txt:2: expected"):
        read_chapters_file(chapters)
    assert Stretch(1.0, 3.5).duration_s == 2.5


# --- The demo publisher of the built-in session -----------------------------------------------------

DEMO = DATA / "demo-publisher"
BUILTIN = REPO / "sessions" / "foot-spine-connections.toml"


def test_demo_key_unlocks_the_builtin_session() -> None:
    verified = verify_key((DEMO / "demo-license.key").read_text(encoding="utf-8"), pack=BUILTIN)
    assert (verified.license.licensee, verified.session.id) == ("Demo practitioner", "foot-spine-connections")
    assert verified.session.full is not None and len(verified.session.full.parts) == 4


def test_demo_workspace_opens_with_the_documented_passphrase(tmp_path: Path) -> None:
    workspace = open_workspace(Path(shutil.copytree(DEMO, tmp_path / "demo")))  # a copy: tests change no data
    workspace.unlock(b"demo-publisher")
    session, _problems = read_session(BUILTIN, media_root=REPO / "media")
    assert session is not None and session.publisher is not None
    assert session.publisher.public_key == workspace.public_key_text()
    assert workspace.public_key_text() in (DEMO / "README.md").read_text(encoding="utf-8")
    license_ = verify_key((DEMO / "demo-license.key").read_text(encoding="utf-8"), pack=BUILTIN).license
    assert workspace.content_keys.get(session.id, passphrase=b"demo-publisher") == license_.content_key
    with open_ledger(workspace.ledger_file) as db:
        assert [(s.license_id, s.licensee) for s in sales(db)] == [(1, "Demo practitioner")]


# --- Small pieces ------------------------------------------------------------------------------------


@given(st.text())
def test_toml_strings_read_back_as_written(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_publisher_tools_import_no_qt_and_no_vlc() -> None:
    probe = ("import sys, pkgutil, importlib, player.publisher, player.cli.publish\n"
             "for m in pkgutil.walk_packages(player.publisher.__path__, 'player.publisher.'):\n"
             "    importlib.import_module(m.name)\n"
             "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'vlc'))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_encrypted_size_is_what_chunked_says(workspace: Workspace, tmp_path: Path) -> None:
    result = pack(tmp_path, workspace)
    for part in result.parts:
        assert part.plaintext_bytes == CLIP.stat().st_size == chunked.plaintext_size(part.size_bytes)
