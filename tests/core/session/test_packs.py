"""Installing packs: folders and zips, refused entries, size limits, nothing half-installed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from player.core.session.library import library_roots, scan_library
from player.core.session.packs import PackError, install_pack
from tests.paid_fixtures import make_paid_session


def zip_folder(folder: Path, target: Path, *, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def installed(data: Path) -> list[str]:
    packs = data / "packs"
    return sorted(p.name for p in packs.iterdir()) if packs.exists() else []


def test_install_folder(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    result = install_pack(paid.root, data_directory=tmp_path / "data")
    assert result.directory == tmp_path / "data" / "packs" / "paid-demo"
    assert [s.id for s in result.sessions] == ["paid-demo"]
    entries = scan_library(library_roots(tmp_path / "data"))
    assert any(e.session_id == "paid-demo" and e.available for e in entries)


def test_install_zip_twice_replaces(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip")
    install_pack(archive, data_directory=tmp_path / "data")
    install_pack(archive, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == ["paid-demo"]


@pytest.mark.parametrize(("name", "reason"), [
    ("../evil.txt", "climbs out of the pack"),
    ("sessions/../../evil.txt", "climbs out of the pack"),
    ("/etc/evil.txt", "is an absolute path"),
])
def test_hostile_zip_entries_refused(tmp_path: Path, name: str, reason: str) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip", extra={name: b"x"})
    with pytest.raises(PackError, match=reason):
        install_pack(archive, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []
    assert not (tmp_path / "evil.txt").exists()


def test_too_large_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("player.core.session.packs.MAX_UNPACKED_BYTES", 20_000)
    paid = make_paid_session(tmp_path / "pack")
    archive = zip_folder(paid.root, tmp_path / "pack.zip")
    with pytest.raises(PackError, match="unpacks to more than"):
        install_pack(archive, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


def test_invalid_manifest_refused_and_nothing_left(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    paid.part("part-two").unlink()
    with pytest.raises(PackError, match=r"full.parts\[1\].media: part-two.mpe: file not found"):
        install_pack(paid.root, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


def test_not_a_pack(tmp_path: Path) -> None:
    (tmp_path / "notes.zip").write_bytes(b"hello")
    with pytest.raises(PackError, match="not a folder or a .zip pack"):
        install_pack(tmp_path / "notes.zip", data_directory=tmp_path / "data")
    with pytest.raises(PackError, match="no session manifest"):
        install_pack(tmp_path, data_directory=tmp_path / "data")


def test_folder_pack_with_a_link_is_refused(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (paid.root / "media" / "paid-demo" / "notes.txt").symlink_to(secret)
    with pytest.raises(PackError, match="is a symbolic link"):
        install_pack(paid.root, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == []


def test_damaged_zip_is_a_clear_error(tmp_path: Path) -> None:
    paid = make_paid_session(tmp_path / "pack")
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("media/paid-demo/big.bin", b"x" * 200_000)
    data = bytearray(archive.read_bytes())
    data[100:140] = b"\xff" * 40
    archive.write_bytes(bytes(data))
    with pytest.raises(PackError, match="pack.zip"):
        install_pack(archive, data_directory=tmp_path / "data")
    assert installed(tmp_path / "data") == [] and paid.root.exists()


def test_a_session_id_already_in_the_library_is_refused(tmp_path: Path) -> None:
    first = make_paid_session(tmp_path / "one", "shared-id")
    install_pack(first.root, data_directory=tmp_path / "data")
    other = make_paid_session(tmp_path / "two", "other-id")
    manifest = other.root / "sessions" / "other-id.toml"
    manifest.write_text(manifest.read_text().replace('id = "other-id"', 'id = "foot-spine-connections"'))
    with pytest.raises(PackError, match="already in your library"):
        install_pack(other.root, data_directory=tmp_path / "data")
