"""Installing a session pack (a folder or a .zip) into the data directory, all or nothing.

A pack holds ``sessions/*.toml`` and ``media/``. Zip entries that are absolute, climb out with
``..``, are links, or would unpack to too much are refused before anything is written.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from player.core.defaults import MAX_PACK_BYTES, MAX_PACK_ENTRIES
from player.core.errors import MovementPlayerError
from player.core.session.library import PACKS_DIRNAME, LibraryRoot, library_roots, scan_library
from player.core.session.manifest import Session

MAX_UNPACKED_BYTES = MAX_PACK_BYTES  # module-level so a test can lower it
MAX_ENTRIES = MAX_PACK_ENTRIES


class PackError(MovementPlayerError):
    """A pack that cannot be installed; the message names the entry or manifest at fault."""


@dataclass(frozen=True)
class InstalledPack:
    """Where a pack went and the sessions it brought."""

    directory: Path
    sessions: tuple[Session, ...]


def install_pack(pack: Path, *, data_directory: Path) -> InstalledPack:
    """Validate ``pack`` and install it as ``data_directory/packs/<first session id>``.

    Raises PackError; on any error nothing is left behind. Installing a pack again replaces it.
    """
    packs = data_directory / PACKS_DIRNAME
    packs.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=packs))
    try:
        _unpack(pack, staging)
        sessions = _validate(staging, pack.name)
        target = packs / sessions[0].id
        _refuse_taken_ids(sessions, data_directory=data_directory, replacing=target, name=pack.name)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return InstalledPack(target, tuple(sessions))


def _refuse_taken_ids(sessions: list[Session], *, data_directory: Path, replacing: Path, name: str) -> None:
    """A session id already in the library (built in, or another pack) would shadow one of the two."""
    others = [root for root in library_roots(data_directory) if root.sessions_dir.parent != replacing]
    taken = {e.session_id for e in scan_library(others)}
    for session in sessions:
        if session.id in taken:
            raise PackError(f"{name}: a session with the id '{session.id}' is already in your library; refused")


def _unpack(pack: Path, staging: Path) -> None:
    if pack.is_dir():
        _check_folder(pack)
        for name in ("sessions", "media"):
            if (pack / name).is_dir():
                shutil.copytree(pack / name, staging / name)
        return
    if not pack.is_file():
        raise PackError(f"{pack}: no such folder or file")
    try:
        with zipfile.ZipFile(pack) as archive:
            _check_entries(archive, pack.name)
            archive.extractall(staging)
    except PackError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PackError(f"{pack.name}: not a folder or a .zip pack, or a damaged one ({exc})") from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted entries, unsupported compression
        raise PackError(f"{pack.name}: cannot be unpacked ({exc})") from exc
    except OSError as exc:
        raise PackError(f"{pack.name}: could not be unpacked: {exc.strerror or exc}") from exc


def _check_folder(pack: Path) -> None:
    """The same limits as a zip: no links, not too many files, not too large."""
    count = total = 0
    for name in ("sessions", "media"):
        for path in sorted((pack / name).rglob("*")) if (pack / name).is_dir() else ():
            if path.is_symlink():
                raise PackError(f"{pack.name}: '{path.relative_to(pack)}' is a symbolic link; refused")
            count += 1
            total += path.stat().st_size if path.is_file() else 0
            if count > MAX_ENTRIES:
                raise PackError(f"{pack.name}: more than {MAX_ENTRIES} files is too many for a session pack")
            if total > MAX_UNPACKED_BYTES:
                raise PackError(f"{pack.name}: more than {MAX_UNPACKED_BYTES // 1024**3} GiB; refused")


def _check_entries(archive: zipfile.ZipFile, name: str) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise PackError(f"{name}: {len(entries)} entries is too many for a session pack")
    total = 0
    for entry in entries:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if not path.parts:
            raise PackError(f"{name}: an entry has no name; refused")
        if path.is_absolute() or entry.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
            raise PackError(f"{name}: entry '{entry.filename}' is an absolute path; refused")
        if ".." in path.parts:
            raise PackError(f"{name}: entry '{entry.filename}' climbs out of the pack with '..'; refused")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise PackError(f"{name}: entry '{entry.filename}' is a symbolic link; refused")
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackError(f"{name}: unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GiB; refused")


def _validate(root: Path, name: str) -> list[Session]:
    entries = scan_library([LibraryRoot(root / "sessions", root / "media")])
    if not entries:
        raise PackError(f"{name}: no session manifest (sessions/*.toml) in the pack")
    problems = [p.message for e in entries for p in e.problems]
    if problems:
        raise PackError(f"{name}: the pack has problems:\n  " + "\n  ".join(problems))
    return [e.session for e in entries if e.session is not None]
