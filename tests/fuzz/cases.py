"""The fuzz cases per surface, as functions of a hypothesis ``data`` draw: the fast tests run a few dozen
of each, the campaign (``pytest -m slow tests/fuzz``) thousands. Each builds its input, runs the surface's
harness and checks what must hold whatever the input."""

from __future__ import annotations

import os
import shutil
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from player.core.journal.store import Journal
from player.core.session.manifest import Session
from tests.fuzz import strategies as fz
from tests.fuzz import surfaces as sf
from tests.paid_fixtures import PaidSession, make_paid_session, sessions_in


@dataclass
class World:
    """What the cases share: a library to point manifests at, a paid pack, its sessions and a key, a journal."""

    root: Path
    library: sf.Library
    base: dict[str, Any]
    pack: PaidSession
    pack_files: list[tuple[str, bytes]]
    sessions: list[Session]
    key: str
    journal: Journal

    @classmethod
    def make(cls, root: Path) -> World:
        library = sf.Library.make(root / "library")
        pack = make_paid_session(root / "pack", "demo-pack")
        files = sorted((p.relative_to(pack.root).as_posix(), p.read_bytes())
                       for p in pack.root.rglob("*") if p.is_file())
        (root / "secret.txt").write_bytes(sf.SECRET)
        return cls(root, library, library.base(), pack, files, sessions_in(pack.root), pack.key(licensee="Jane"),
                   sf.make_journal(root / "journal.db"))


def manifest_case(world: World, data: st.DataObject) -> str:
    text = data.draw(fz.manifest_texts(world.base), label="manifest")
    path = world.library.root / "sessions" / "fuzzed.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return sf.run_manifest(path, world.library.root / "media")


def zip_case(world: World, data: st.DataObject) -> str:
    entries = data.draw(fz.zip_entry_lists(world.pack_files), label="entries")
    raw = data.draw(fz.byte_damage(sf.zip_bytes(entries)) if data.draw(st.booleans()) else st.just(
        sf.zip_bytes(entries)), label="zip")
    work = sf.fresh(world.root / "zip-case")
    (work / "pack.zip").write_bytes(raw)
    (work / "data").mkdir()
    return sf.run_pack("pack (zip)", work / "pack.zip", work / "data", work)


FOLDER_OPERATIONS = ["fifo", "link-file", "link-zero", "link-media", "link-sessions", "long-name", "not-utf8",
                     "manifest", "damage-part", "sparse", "empty-dir", "device-name"]


def folder_case(world: World, data: st.DataObject) -> str:
    work = sf.fresh(world.root / "folder-case")
    pack = Path(shutil.copytree(world.pack.root, work / "pack"))
    media = pack / "media" / "demo-pack"
    for operation in data.draw(st.lists(st.sampled_from(FOLDER_OPERATIONS), min_size=1, max_size=3), label="ops"):
        where = data.draw(st.sampled_from([media, media / "full", pack / "sessions", pack / "media"]), label="where")
        if not where.is_dir() or where.is_symlink():
            continue
        try:
            _apply(operation, where, work=work, pack=pack, media=media, world=world, data=data)
        except FileExistsError:  # the same trick twice at one place: once is enough
            continue
    (work / "data").mkdir()
    return sf.run_pack("pack (folder)", pack, work / "data", work)


def _apply(operation: str, where: Path, *, work: Path, pack: Path, media: Path, world: World,
           data: st.DataObject) -> None:
    if operation == "fifo":
        os.mkfifo(where / data.draw(st.sampled_from(["pipe.mp4", "free.mp4.fifo", "x.toml"])))
    elif operation == "link-file":
        (where / "linked.mp4").symlink_to(world.root / "secret.txt")
    elif operation == "link-zero":
        (where / "zero.toml").symlink_to("/dev/zero")
    elif operation in ("link-media", "link-sessions"):
        name = operation.split("-")[1]
        moved = work / f"real-{name}"
        if not moved.exists():
            shutil.move(pack / name, moved)
            (pack / name).symlink_to(moved)
    elif operation == "long-name":
        (where / ("n" * data.draw(st.integers(min_value=200, max_value=255)))).write_bytes(b"x")
    elif operation == "not-utf8":
        (Path(os.fsdecode(bytes(where) + b"/x\xff\xfe.mp4"))).write_bytes(b"x")
    elif operation == "manifest":
        manifest = pack / "sessions" / "demo-pack.toml"
        if manifest.is_file():
            base = tomllib.loads((world.pack.root / "sessions" / "demo-pack.toml").read_text())
            manifest.write_text(data.draw(fz.manifest_texts(base), label="manifest"), errors="surrogatepass")
    elif operation == "damage-part":
        part = media / "full" / "part-one.mpe"
        if part.is_file() and not part.is_symlink():
            part.write_bytes(data.draw(fz.byte_damage(part.read_bytes()), label="part"))
    elif operation == "sparse":
        with (where / "sparse.bin").open("wb") as handle:
            handle.truncate(data.draw(st.sampled_from([1024**2, 9 * 1024**3])))
    elif operation == "empty-dir":
        (where / "empty").mkdir(exist_ok=True)
    else:
        (where / "NUL").write_bytes(b"")


def key_case(world: World, data: st.DataObject) -> str:
    return sf.run_key_text(data.draw(fz.key_texts(world.key), label="key"), world.pack, world.sessions)


def license_file_case(world: World, data: st.DataObject) -> str:
    path = world.root / "fuzzed.key"
    if path.exists() or path.is_symlink():
        path.unlink()
    kind = data.draw(st.sampled_from(["file"] * 8 + ["fifo", "zero", "folder"]), label="kind")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path = world.root
    else:
        path.write_bytes(data.draw(fz.license_files(world.key), label="file"))
    return sf.run_license_file(path, world.sessions)


def webvtt_case(world: World, data: st.DataObject) -> str:
    return sf.run_webvtt(data.draw(fz.webvtt_bytes(), label="vtt"), world.root / "fuzzed.vtt")


def encrypted_case(world: World, data: st.DataObject) -> str:
    sealed = data.draw(fz.byte_damage(sf.PART_SEALED), label="ciphertext")
    seeks = data.draw(st.lists(st.tuples(st.integers(0, 50_000), st.integers(0, 40_000)), max_size=4), label="seeks")
    return sf.run_encrypted(sealed, seeks)


def settings_case(world: World, data: st.DataObject) -> str:
    return sf.run_settings(data.draw(fz.settings_bytes(), label="settings"), sf.fresh(world.root / "settings"))


def search_case(world: World, data: st.DataObject) -> str:
    return sf.run_note_search(world.journal, data.draw(fz.SEARCH_TEXTS, label="search"))


CASES = {"manifest": manifest_case, "pack (zip)": zip_case, "pack (folder)": folder_case,
         "license key text": key_case, "license file": license_file_case, "WebVTT": webvtt_case,
         "encrypted part": encrypted_case, "settings file": settings_case, "note search": search_case}

__all__ = ["CASES", "World", "zipfile"]
