"""Issue 10, findings 6 and 7: hostile packs are refused with the entry named, before anything is written;
paid parts are checked against their manifest; a session's publisher is pinned at first install, and a
replacement never deletes the sessions installed beside it."""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from player.cli.install import run_install
from player.core.session.library import library_roots, scan_library
from player.core.session.packs import PackError, PublisherChangedError, install_pack
from player.core.session.pins import PinStore
from tests.core.session.test_packs import installed, zip_folder
from tests.paid_fixtures import make_paid_session


def available(data: Path) -> list[str]:
    return sorted(e.session_id for e in scan_library(library_roots(data)) if e.available)


def in_thread(function: object) -> BaseException | None:
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            function()  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert outcome, "the install hung"
    return outcome[0]


def test_a_fifo_inside_a_folder_pack_is_refused_without_hanging(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    os.mkfifo(paid.root / "media" / "paid-demo" / "pipe.mp4")
    error = in_thread(lambda: install_pack(paid.root, data_directory=tmp_path / "data"))
    assert isinstance(error, PackError) and "media/paid-demo/pipe.mp4' is not a regular file" in error.message
    assert installed(tmp_path / "data") == []


@pytest.mark.parametrize("folder", ["media", "sessions"])
def test_a_symlinked_media_or_sessions_folder_is_refused(tmp_path: Path, folder: str) -> None:
    paid = make_paid_session(tmp_path / "pack")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(paid.root / folder, elsewhere)
    (paid.root / folder).symlink_to(elsewhere)
    with pytest.raises(PackError, match=f"'{folder}' is a symbolic link; refused"):
        install_pack(paid.root, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


def test_a_zip_entry_flagged_utf8_that_is_not_is_refused(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip")
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("media/xé.bin", b"x")  # a name that is not ASCII is stored as UTF-8, flagged so
    archive.write_bytes(archive.read_bytes().replace("media/xé.bin".encode(), b"media/x\xff\xfe.bin"))
    with pytest.raises(PackError, match="marked UTF-8 but is not"):
        install_pack(archive, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


@pytest.mark.parametrize("name", ["media/" + "a" * 256, "media/" + "é" * 128 + "/x.mp4", "sessions/" + "s" * 300])
def test_long_names_in_a_zip_are_refused(tmp_path: Path, name: str) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip", extra={name: b"x"})
    with pytest.raises(PackError, match="longer than 255 bytes"):
        install_pack(archive, data_directory=tmp_path / "data")


def test_a_zip_is_checked_whole_before_any_entry_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip", extra={"media/../../evil.txt": b"x"})
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name))
                        or real_open(self, name, *a, **k))
    with pytest.raises(PackError, match="climbs out"):
        install_pack(archive, data_directory=tmp_path / "data")
    assert opened == []


@pytest.mark.parametrize(("damage", "reason"), [
    ("flip", "its SHA-256 differs from the manifest's sha256"),
    ("truncate", "has 13070 bytes, but size_bytes says 13071"),
])
def test_paid_parts_must_match_their_size_and_sha256(tmp_path: Path, damage: str, reason: str) -> None:
    paid = make_paid_session(tmp_path / "pack")
    part = paid.part("part-one")
    data = bytearray(part.read_bytes())
    if damage == "flip":
        data[100] ^= 1
    else:
        data = data[:-1]
    part.write_bytes(bytes(data))
    with pytest.raises(PackError, match=r"full.parts\[0\].media: part-one.mpe: " + reason):
        install_pack(paid.root, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


def test_another_publisher_cannot_silently_replace_an_installed_session(tmp_path: Path) -> None:
    """Finding 7: the same session id under another key is refused unless replaced on purpose."""
    data = tmp_path / "data"
    genuine = make_paid_session(tmp_path / "genuine")
    install_pack(genuine.root, data_directory=data)
    stranger = make_paid_session(tmp_path / "stranger")
    with pytest.raises(PublisherChangedError) as refused:
        install_pack(stranger.root, data_directory=data)
    assert [c.session_id for c in refused.value.changes] == ["paid-demo"]
    assert "stop license keys bought for it from working" in refused.value.message
    assert (data / "packs" / "paid-demo" / "media" / "paid-demo" / "full" / "part-one.mpe").read_bytes() == \
        genuine.part("part-one").read_bytes()
    # the pin outlives the installed folder: deleting it by hand does not open the door
    shutil.rmtree(data / "packs" / "paid-demo")
    with pytest.raises(PublisherChangedError):
        install_pack(stranger.root, data_directory=data)
    result = install_pack(stranger.root, data_directory=data, replace=True)
    assert [c.session_id for c in result.replaced] == ["paid-demo"]
    assert PinStore(data).load()["paid-demo"].public_key != PinStore(data).path.name
    with pytest.raises(PublisherChangedError):  # now pinned to the new publisher
        install_pack(genuine.root, data_directory=data)


def test_the_same_publisher_updates_freely(tmp_path: Path) -> None:
    first = make_paid_session(tmp_path / "v1")
    install_pack(first.root, data_directory=tmp_path / "data")
    update = make_paid_session(tmp_path / "v2", private_key=first.private_key)
    result = install_pack(update.root, data_directory=tmp_path / "data")
    assert result.replaced == () and available(tmp_path / "data").count("paid-demo") == 1


def test_a_session_installed_before_pins_existed_is_pinned_by_its_manifest(tmp_path: Path) -> None:
    data = tmp_path / "data"
    genuine = make_paid_session(tmp_path / "genuine")
    install_pack(genuine.root, data_directory=data)
    PinStore(data).path.unlink()
    with pytest.raises(PublisherChangedError):
        install_pack(make_paid_session(tmp_path / "stranger").root, data_directory=data)


def test_a_replacement_never_deletes_sibling_sessions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    both = make_paid_session(tmp_path / "both", "alpha")
    make_paid_session(tmp_path / "both", "beta", private_key=both.private_key)
    install_pack(both.root, data_directory=data)
    assert installed(data) == ["alpha"] and {"alpha", "beta"} <= set(available(data))
    alone = make_paid_session(tmp_path / "alone", "alpha", private_key=both.private_key)
    result = install_pack(alone.root, data_directory=data)
    assert result.kept == ("beta",)
    assert {"alpha", "beta"} <= set(available(data))
    stranger = make_paid_session(tmp_path / "stranger", "alpha")
    install_pack(stranger.root, data_directory=data, replace=True)
    assert {"alpha", "beta"} <= set(available(data))


def test_install_console_says_why_and_how_to_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    data = tmp_path / "data"
    install_pack(make_paid_session(tmp_path / "genuine").root, data_directory=data)
    stranger = make_paid_session(tmp_path / "stranger")
    assert run_install(argparse.Namespace(pack=stranger.root, replace=False), data) == 1
    err = capsys.readouterr().err
    assert "was installed from Test publisher" in err and "--replace" in err
    assert run_install(argparse.Namespace(pack=stranger.root, replace=True), data) == 0
    assert "Replaced the publisher" in capsys.readouterr().out


@pytest.mark.parametrize("damage", [b"{not json", b'{"format": 1, "sessions": ' + b"[" * 5000, b"\xff\xfe"])
def test_a_damaged_pins_file_is_kept_aside_and_installed_sessions_stay_protected(tmp_path: Path,
                                                                                 damage: bytes) -> None:
    data = tmp_path / "data"
    genuine = make_paid_session(tmp_path / "genuine")
    install_pack(genuine.root, data_directory=data)
    PinStore(data).path.write_bytes(damage)
    assert PinStore(data).load() == {}
    with pytest.raises(PublisherChangedError):  # the installed manifest still says who published it
        install_pack(make_paid_session(tmp_path / "stranger").root, data_directory=data)
    install_pack(genuine.root, data_directory=data)
    assert (data / "publishers.json.bad").read_bytes() == damage
    assert "paid-demo" in PinStore(data).load()
