"""Installing a session pack (a folder or a .zip) into the data directory, all or nothing.

A pack holds ``sessions/*.toml`` and ``media/``. Its files are checked before anything is written
(:mod:`player.core.session.pack_files`), unpacked into a staging folder, and every manifest is read
with each paid part's size and SHA-256 compared with the file. A session id already in the library
from elsewhere is refused; the same session under another publisher key is refused unless the user
explicitly replaces it (:mod:`player.core.session.pins`). Replacing a pack folder keeps the sessions
it held that the new pack does not bring. Only then does the staging folder move into place.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from player.core.defaults import MAX_PACK_BYTES, MAX_PACK_ENTRIES
from player.core.session.library import (
    PACKS_DIRNAME,
    LibraryEntry,
    LibraryRoot,
    library_roots,
    read_entry,
    scan_library,
)
from player.core.session.manifest import Session
from player.core.session.pack_files import Limits, PackError, copy_folder, unpack_zip
from player.core.session.pins import Pin, PinStore, PublisherChange, pin_of

MAX_UNPACKED_BYTES = MAX_PACK_BYTES  # module-level so a test can lower it
MAX_ENTRIES = MAX_PACK_ENTRIES

__all__ = ["InstalledPack", "PackError", "PublisherChangedError", "install_pack"]


class PublisherChangedError(PackError):
    """The pack brings installed sessions under another publisher key; ``changes`` says which.

    The app asks the user to confirm and installs again with ``replace=True``; the console needs
    ``install --replace``.
    """

    def __init__(self, name: str, changes: tuple[PublisherChange, ...]) -> None:
        super().__init__(f"{name}: {changes[0].describe()}; refused (replace it only if you trust this pack)",
                         detail="\n".join(change.describe() for change in changes))
        self.changes = changes


@dataclass(frozen=True)
class InstalledPack:
    """Where a pack went, the sessions it brought, the sessions of the folder it replaced that were kept,
    and the publisher changes the user accepted."""

    directory: Path
    sessions: tuple[Session, ...]
    kept: tuple[str, ...] = ()
    replaced: tuple[PublisherChange, ...] = ()


def install_pack(
    pack: Path, *, data_directory: Path, replace: bool = False, today: dt.date | None = None
) -> InstalledPack:
    """Validate ``pack`` and install it as ``data_directory/packs/<first session id>``.

    Installing the same sessions again from the same publisher replaces them. ``replace`` accepts a
    change of publisher key (or losing it). Raises PackError (PublisherChangedError for a publisher
    change without ``replace``); on any error nothing is left behind and nothing installed changes.
    """
    limits = Limits(max_bytes=MAX_UNPACKED_BYTES, max_entries=MAX_ENTRIES)
    packs = data_directory / PACKS_DIRNAME
    try:
        packs.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=packs))
    except OSError as exc:
        raise PackError(f"{packs}: cannot be written ({exc.strerror or exc})") from None
    pins = PinStore(data_directory)
    try:
        _unpack(pack, staging, limits)
        sessions = _validate(staging, pack.name)
        target = packs / sessions[0].id
        installed = scan_library(library_roots(data_directory))
        _refuse_taken_ids(sessions, installed, replacing=target, name=pack.name)
        pinned = pins.load()
        changes = publisher_changes(sessions, pinned, installed)
        if changes and not replace:
            raise PublisherChangedError(pack.name, changes)
        kept = _keep_siblings(target, staging, sessions, name=pack.name)
        _move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for session in sessions:
        pin = pin_of(session)
        if pin is None:
            pinned.pop(session.id, None)
        else:
            pinned[session.id] = pin
    try:
        pins.save(pinned, today=today or dt.date.today())
    except OSError as exc:
        raise PackError(f"{pack.name}: installed, but {pins.path} could not be written ({exc.strerror or exc}); "
                        "its publisher is not remembered") from None
    return InstalledPack(target, tuple(sessions), kept, changes)


def publisher_changes(
    sessions: list[Session], pinned: dict[str, Pin], installed: list[LibraryEntry]
) -> tuple[PublisherChange, ...]:
    """The sessions of a pack whose publisher key differs from the one pinned at their first install (or,
    for sessions installed before pins existed, from the installed manifest's)."""
    on_disk = {e.session_id: pin_of(e.session) for e in installed if e.session is not None}
    changes = []
    for session in sessions:
        before = pinned.get(session.id) or on_disk.get(session.id)
        offered = pin_of(session)
        if before is not None and (offered is None or offered.public_key != before.public_key):
            changes.append(PublisherChange(session.id, session.title, before, offered))
    return tuple(changes)


def _refuse_taken_ids(sessions: list[Session], installed: list[LibraryEntry], *, replacing: Path, name: str) -> None:
    """A session id already in the library (built in, or another pack) would shadow one of the two."""
    for session in sessions:
        for entry in installed:
            if entry.session_id == session.id and entry.file.parent.parent != replacing:
                raise PackError(f"{name}: a session with the id '{session.id}' is already in your library "
                                f"({entry.file.parent.parent.name}); refused")


def _unpack(pack: Path, staging: Path, limits: Limits) -> None:
    try:
        is_dir, is_file = pack.is_dir(), pack.is_file()
    except (OSError, ValueError) as exc:
        raise PackError(f"{pack}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if is_dir:
        copy_folder(pack, staging, limits=limits)
    elif is_file:
        unpack_zip(pack, staging, limits=limits)
    else:
        raise PackError(f"{pack}: no such folder or file" if not pack.exists() else
                        f"{pack}: not a folder or a .zip file")


def _validate(root: Path, name: str) -> list[Session]:
    entries = scan_library([LibraryRoot(root / "sessions", root / "media")], verify_files=True)
    if not entries:
        raise PackError(f"{name}: no session manifest (sessions/*.toml) in the pack")
    problems = [p.message.replace(str(root), name, 1) for e in entries for p in e.problems]
    if problems:
        raise PackError(f"{name}: the pack has problems:\n  " + "\n  ".join(problems))
    return [e.session for e in entries if e.session is not None]


def _keep_siblings(target: Path, staging: Path, sessions: list[Session], *, name: str) -> tuple[str, ...]:
    """Copy the sessions of the folder being replaced that the new pack does not bring (manifest and the
    files it names) into ``staging``; their ids. Raises PackError if one would be lost or broken."""
    if not target.is_dir():
        return ()
    new_ids = {s.id for s in sessions}
    kept = []
    for entry in scan_library([LibraryRoot(target / "sessions", target / "media")]):
        if entry.session_id in new_ids:
            continue
        manifest = staging / "sessions" / entry.file.name
        if manifest.exists():
            raise PackError(f"{name}: it would overwrite the manifest of '{entry.session_id}' "
                            f"({entry.file.name}), installed with it earlier; refused")
        manifest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entry.file, manifest)
        for path in _files_of(entry.session) if entry.session is not None else ():
            relative = path.relative_to(target / "media")
            copy = staging / "media" / relative
            if path.is_file() and not copy.exists():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)
        if entry.available and not read_entry(manifest, media_dir=staging / "media", verify_files=True).available:
            raise PackError(f"{name}: it would break '{entry.session_id}', installed with it earlier "
                            "(the pack replaces one of its files); refused")
        kept.append(entry.session_id)
    return tuple(kept)


def _files_of(session: Session) -> list[Path]:
    snippets = (*session.preview, *(session.full.parts if session.full else ()))
    paths = [p for s in snippets for p in (s.media, s.cues) if p is not None]
    poster = getattr(session, "poster", None)
    return paths + ([poster] if isinstance(poster, Path) else [])


def _move_into_place(staging: Path, target: Path) -> None:
    """Swap the staged pack in: the old folder moves aside first, so a crash leaves one or the other."""
    aside = None
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=".replaced-", dir=target.parent))
        aside.rmdir()
        target.rename(aside)
    try:
        staging.rename(target)
    except OSError as exc:
        if aside is not None:
            aside.rename(target)
        raise PackError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
