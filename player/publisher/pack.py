"""Build a session pack: previews copied, paid parts encrypted, the manifest written and checked.

A pack folder holds ``sessions/<id>.toml`` and ``media/<id>/``: the preview videos (and cues) as they
are, and each paid part encrypted with :mod:`player.core.licensing.encryption` as ``media/<id>/full/<part-id>.mpe``
under the session's content key and the context ``media_context(session id, part id)``. Paid parts are
encrypted while they are read (or while ffmpeg cuts them), so no plaintext copy of one is written, and
their cue files are left out. Everything is built in a staging folder inside the pack folder and moved
into place only once the app's own parser accepts it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, cast

from player.core.errors import ManifestError, PublisherError
from player.core.licensing import encryption as chunked
from player.core.licensing.keys import CONTENT_KEY_SIZE
from player.core.session.manifest import Session, read_session
from player.publisher import defaults
from player.publisher.source import ManifestProblemsError, Source, manifest_text, read_source
from player.publisher.video import Stretch, cut, plan_cuts, probe_duration_s
from player.publisher.workspace import Workspace

HEADER = "# Written by movement-player publish pack. The [full] parts are encrypted; a license key unlocks them.\n"
_COMPRESSED_SUFFIXES = {".toml", ".vtt", ".txt", ".md"}  # compressed in a zip; media is stored as it is


@dataclass(frozen=True)
class PackedPart:
    """One encrypted paid part: its file, length, sizes and the ciphertext's SHA-256 (hex)."""

    id: str
    file: Path
    duration_s: float
    plaintext_bytes: int
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class Pack:
    """What :func:`build_pack` wrote."""

    session_id: str
    title: str
    manifest: Path
    parts: tuple[PackedPart, ...]
    preview_bytes: int
    new_content_key: bool
    zip_file: Path | None
    notes: tuple[str, ...]


@dataclass
class _Build:
    """State while a pack is built in ``staging``."""

    source: Source
    staging: Path
    key: bytes
    notes: list[str]

    @property
    def session_id(self) -> str:
        return self.source.session.id

    def media_dir(self) -> Path:
        return self.staging / "media" / self.session_id


def build_pack(
    source_folder: Path,
    *,
    workspace: Workspace,
    passphrase: bytes,
    output: Path,
    today: dt.date,
    publisher_name: str | None = None,
    long_video: Path | None = None,
    chapters: Path | None = None,
    make_zip: bool = False,
    replace: bool = False,
) -> Pack:
    """Pack the session in ``source_folder`` into the pack folder ``output``.

    With ``long_video`` the parts are cut from it (by ``chapters`` or its own chapter markers). The
    session's content key is taken from the workspace, or made (16 random bytes) and stored there,
    sealed with ``passphrase``; it is never written to the pack. ``replace`` allows replacing the same
    session in ``output``. Raises PublisherError (wrong passphrase, no publisher name, tools or files
    missing, the session already in ``output``), ManifestProblemsError for a source or written manifest
    with problems.
    """
    workspace.unlock(passphrase)  # a typo in the passphrase stops here, before a content key is sealed with it
    publisher = {"name": _publisher_name(workspace, publisher_name), "public_key": workspace.public_key_text()}
    source = read_source(source_folder, from_video=long_video is not None)
    inputs = _part_inputs(source, long_video=long_video, chapters=chapters)
    output = output.resolve()
    _check_free(output, source.session.id, replace=replace)
    stored_key = workspace.content_keys.get(source.session.id, passphrase=passphrase)
    key = stored_key or os.urandom(CONTENT_KEY_SIZE)
    output.mkdir(parents=True, exist_ok=True)
    build = _Build(source, Path(tempfile.mkdtemp(prefix=".packing-", dir=output)), key, [])
    try:
        data = _stage(build, publisher, inputs)
        _keep_key(workspace, source, key, stored=stored_key is not None, passphrase=passphrase, today=today)
        final = _install(build.staging, output, build.session_id)
    finally:
        shutil.rmtree(build.staging, ignore_errors=True)
    check_manifest(final, media_root=output / "media")
    return _result(build, final, data, make_zip=make_zip, new_key=stored_key is None)


def _stage(build: _Build, publisher: dict[str, str], inputs: list[_FilePart | _CutPart]) -> dict[str, Any]:
    """Write the whole session into the staging folder and check it; the manifest's data."""
    data = _pack_data(build, publisher, inputs)
    manifest = build.staging / "sessions" / f"{build.session_id}.toml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(manifest_text(data, header=HEADER), encoding="utf-8")
    check_manifest(manifest, media_root=build.staging / "media")
    return data


def _publisher_name(workspace: Workspace, override: str | None) -> str:
    name = (override or workspace.name()).strip()
    if not name:
        raise PublisherError(f"{workspace.directory}: no publisher name; pass --publisher-name NAME")
    return name


def _check_free(output: Path, session_id: str, *, replace: bool) -> None:
    taken = [p for p in (output / "sessions" / f"{session_id}.toml", output / "media" / session_id) if p.exists()]
    if taken and not replace:
        raise PublisherError(f"{taken[0]}: the session '{session_id}' is already in this pack (--replace replaces it)")


class _FilePart:
    """A paid part's plaintext from a video file in the source folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        with self.path.open("rb") as plain:
            yield plain

    def duration_s(self) -> float:
        return probe_duration_s(self.path)

    def note(self) -> str:
        return f"duration_s measured: {self.duration_s()} s"


class _CutPart:
    """A paid part's plaintext cut from a long video by ffmpeg, through a pipe."""

    def __init__(self, video: Path, stretch: Stretch) -> None:
        self.video, self.stretch = video, stretch

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        with cut(self.video, self.stretch) as pipe:
            yield cast(BinaryIO, pipe)

    def duration_s(self) -> float:
        return round(self.stretch.duration_s, 3)

    def note(self) -> str:
        return f"cut from {self.video.name} at {self.stretch.start_s:g}-{self.stretch.end_s:g} s"


def _part_inputs(source: Source, *, long_video: Path | None, chapters: Path | None) -> list[_FilePart | _CutPart]:
    parts = source.session.full.parts if source.session.full else ()
    if long_video is None:
        return [_FilePart(part.media) for part in parts]
    stretches = plan_cuts(long_video, [part.id for part in parts], chapters=chapters)
    return [_CutPart(long_video, stretch) for stretch in stretches]


def _pack_data(build: _Build, publisher: dict[str, str], inputs: list[_FilePart | _CutPart]) -> dict[str, Any]:
    data = {k: v for k, v in build.source.data.items() if k not in ("preview", "publisher", "full")}
    poster = build.source.session.poster
    if poster is not None:  # the library card's picture travels with the pack, beside the previews
        data["poster"] = _copy_media(build, data["poster"], poster)
    data["preview"] = [_copy_preview(build, index, table) for index, table in enumerate(build.source.preview_tables)]
    data["publisher"] = publisher
    full = {k: v for k, v in build.source.data["full"].items() if k != "parts"}
    parts = [_encrypt_part(build, index, table, inputs[index]) for index, table in enumerate(build.source.part_tables)]
    data["full"] = full | {"parts": parts}
    return data


def _media_name(build: _Build, written: str) -> str:
    """Where a preview file goes, relative to media/: under the session's folder, as in the source."""
    return str(PurePosixPath(build.session_id, *PurePosixPath(written.replace("\\", "/")).parts))


def _copy_media(build: _Build, written: str, path: Path) -> str:
    """Copy a free file (preview video, cues, poster) into the pack; its path relative to media/."""
    name = _media_name(build, written)
    target = build.staging / "media" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return name


def _copy_preview(build: _Build, index: int, table: dict[str, Any]) -> dict[str, Any]:
    snippet = build.source.session.preview[index]
    copied = dict(table)
    for key, path in (("media", snippet.media), ("cues", snippet.cues)):
        if path is not None:
            copied[key] = _copy_media(build, table[key], path)
    if "duration_s" not in table:
        copied["duration_s"] = probe_duration_s(snippet.media)
        build.notes.append(f"preview[{index}]: duration_s measured: {copied['duration_s']} s")
    return copied


def _encrypt_part(build: _Build, index: int, table: dict[str, Any], plain: _FilePart | _CutPart) -> dict[str, Any]:
    part_id = str(table["id"])
    target = build.media_dir() / defaults.PAID_DIRNAME / f"{part_id}{defaults.PAID_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    context = chunked.media_context(build.session_id, part_id)
    with plain.open() as source, target.open("wb") as sealed:
        size = chunked.encrypt_stream(source, sealed, key=build.key, context=context)
    if size == 0:
        raise PublisherError(f"{build.source.manifest}: full.parts[{index}]: the part's video is empty")
    if "duration_s" not in table or isinstance(plain, _CutPart):
        build.notes.append(f"full.parts[{index}]: {plain.note()}")
    if "cues" in table:
        build.notes.append(f"full.parts[{index}].cues: left out (a paid part's cues would be plaintext)")
    with target.open("rb") as sealed:
        digest = hashlib.file_digest(sealed, "sha256").hexdigest()
    media = f"{build.session_id}/{defaults.PAID_DIRNAME}/{target.name}"
    computed = {"id": part_id, "title": table["title"], "media": media,
                "duration_s": table.get("duration_s") or plain.duration_s(),
                "size_bytes": target.stat().st_size, "sha256": digest}
    return computed | {k: v for k, v in table.items() if k not in computed and k != "cues"}


def check_manifest(manifest: Path, *, media_root: Path, verify_files: bool = True) -> Session:
    """Read a manifest with the app's own parser (with ``verify_files``, each paid part's size and SHA-256
    are compared too); the session. Raises ManifestProblemsError on any problem."""
    session, problems = read_session(manifest, media_root=media_root, verify_files=verify_files)
    if problems or session is None:
        raise ManifestProblemsError(problems or [ManifestError(str(manifest), "", "cannot be read")])
    return session


def _keep_key(
    workspace: Workspace, source: Source, key: bytes, *, stored: bool, passphrase: bytes, today: dt.date
) -> None:
    session = source.session
    if stored:
        workspace.content_keys.set_title(session.id, session.title)
    else:
        workspace.content_keys.put(session.id, key, passphrase=passphrase, title=session.title, today=today)


def _install(staging: Path, output: Path, session_id: str) -> Path:
    """Move the staged session into the pack folder (replacing an earlier build); its manifest."""
    media, manifest = output / "media" / session_id, output / "sessions" / f"{session_id}.toml"
    media.parent.mkdir(exist_ok=True)
    manifest.parent.mkdir(exist_ok=True)
    if media.exists():
        shutil.rmtree(media)
    (staging / "media" / session_id).rename(media)
    (staging / "sessions" / manifest.name).replace(manifest)
    return manifest


def _result(build: _Build, manifest: Path, data: dict[str, Any], *, make_zip: bool, new_key: bool) -> Pack:
    output = manifest.parent.parent
    parts = tuple(
        PackedPart(p["id"], output / "media" / p["media"], p["duration_s"],
                   chunked.plaintext_size(p["size_bytes"]), p["size_bytes"], p["sha256"])
        for p in data["full"]["parts"]
    )
    preview_bytes = sum((output / "media" / t["media"]).stat().st_size for t in data["preview"])
    return Pack(build.session_id, build.source.session.title, manifest, parts, preview_bytes, new_key,
                write_zip(output) if make_zip else None, tuple(build.notes))


def write_zip(pack_dir: Path) -> Path:
    """Write ``<pack_dir>.zip`` with the pack's ``sessions/`` and ``media/`` at its root (as the app's
    installer expects). Raises PublisherError if it cannot be written."""
    target = pack_dir.with_name(pack_dir.name + ".zip")
    temporary = target.with_name(target.name + ".tmp")
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for path in sorted(p for sub in ("sessions", "media") for p in (pack_dir / sub).rglob("*")):
                if path.is_file():
                    method = zipfile.ZIP_DEFLATED if path.suffix in _COMPRESSED_SUFFIXES else zipfile.ZIP_STORED
                    archive.write(path, path.relative_to(pack_dir).as_posix(), compress_type=method)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise PublisherError(f"{target}: cannot be written ({exc.strerror or exc})") from exc
    return target
