"""Copying a pack's files (``sessions/`` and ``media/`` of a folder or a .zip) into a staging folder, safely.

Everything is checked before a byte is written: a zip's entries (names, paths, links, count, declared
sizes and their total), a folder's tree (no links, no FIFOs, devices or sockets, ``sessions/`` and
``media/`` not links themselves, names that are UTF-8 and at most 255 bytes, count and total size).
Then each file is copied on its own, never more bytes than were checked. Other top-level entries are
left out. Raises PackError naming the pack and the entry at fault.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from player.core.bounded import describe_size
from player.core.defaults import MAX_NAME_BYTES, MAX_PACK_BYTES, MAX_PACK_ENTRIES
from player.core.errors import MovementPlayerError

PACK_FOLDERS = ("sessions", "media")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_COPY_BLOCK = 1024**2


class PackError(MovementPlayerError):
    """A pack that cannot be installed; the message names the pack, and the entry or manifest at fault."""


@dataclass(frozen=True)
class Limits:
    """How much a pack may hold (module defaults; a test can lower them)."""

    max_bytes: int = MAX_PACK_BYTES
    max_entries: int = MAX_PACK_ENTRIES


def _name_problem(parts: tuple[str, ...]) -> str:
    for part in parts:
        try:
            encoded = part.encode("utf-8")
        except UnicodeEncodeError:
            return "has a name that is not valid UTF-8"
        if len(encoded) > MAX_NAME_BYTES:
            return f"has a name longer than {MAX_NAME_BYTES} bytes"
        if "\x00" in part:
            return "has a NUL character in its name"
    return ""


def _too_large(name: str, limits: Limits) -> PackError:
    return PackError(f"{name}: unpacks to more than {describe_size(limits.max_bytes)}; refused")


def _too_many(name: str, count: int, limits: Limits) -> PackError:
    return PackError(f"{name}: {count} entries is too many for a session pack (at most {limits.max_entries})")


# --- Folders ---------------------------------------------------------------------------------------


def _folder_files(pack: Path, limits: Limits) -> list[tuple[Path, tuple[str, ...], int]]:
    """Every file of the pack's folders: (path, parts relative to the pack, size). Raises PackError."""
    files: list[tuple[Path, tuple[str, ...], int]] = []
    count = total = 0
    for top in PACK_FOLDERS:
        try:
            info = (pack / top).lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PackError(f"{pack.name}: '{top}' cannot be read ({exc.strerror})") from None
        if stat.S_ISLNK(info.st_mode):
            raise PackError(f"{pack.name}: '{top}' is a symbolic link; refused")
        if not stat.S_ISDIR(info.st_mode):
            raise PackError(f"{pack.name}: '{top}' is not a folder")
        stack: list[tuple[Path, tuple[str, ...]]] = [(pack / top, (top,))]
        while stack:
            folder, parts = stack.pop()
            try:
                children = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                raise PackError(f"{pack.name}: '{'/'.join(parts)}' cannot be read ({exc.strerror})") from None
            for child in children:
                where = (*parts, child.name)
                shown = "/".join(where)
                problem = _name_problem(where)
                if problem:
                    raise PackError(f"{pack.name}: '{shown[:300]!s}' {problem}; refused")
                mode = child.stat(follow_symlinks=False).st_mode
                count += 1
                if count > limits.max_entries:
                    raise _too_many(pack.name, count, limits)
                if stat.S_ISLNK(mode):
                    raise PackError(f"{pack.name}: '{shown}' is a symbolic link; refused")
                if stat.S_ISDIR(mode):
                    stack.append((Path(child.path), where))
                elif stat.S_ISREG(mode):
                    size = child.stat(follow_symlinks=False).st_size
                    total += size
                    if total > limits.max_bytes:
                        raise _too_large(pack.name, limits)
                    files.append((Path(child.path), where, size))
                else:
                    raise PackError(f"{pack.name}: '{shown}' is not a regular file (a FIFO, device or socket); "
                                    "refused")
    return files


def copy_folder(pack: Path, staging: Path, *, limits: Limits) -> None:
    """Copy a folder pack's ``sessions/`` and ``media/`` into ``staging`` after checking all of it."""
    for source, parts, size in _folder_files(pack, limits):
        target = staging.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(source, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
        except OSError as exc:
            raise PackError(f"{pack.name}: '{'/'.join(parts)}' cannot be read ({exc.strerror})") from None
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since it was checked
                raise PackError(f"{pack.name}: '{'/'.join(parts)}' is not a regular file; refused")
            _copy_at_most(handle, target, size, name=f"{pack.name}: '{'/'.join(parts)}'")


def _copy_at_most(source: IO[bytes], target: Path, size: int, *, name: str) -> None:
    left = size
    with target.open("xb") as out:
        while left > 0:
            block = source.read(min(_COPY_BLOCK, left))
            if not block:
                break
            out.write(block)
            left -= len(block)
        if left or source.read(1):
            raise PackError(f"{name} changed size while it was copied; refused")


# --- Zips ------------------------------------------------------------------------------------------


def _zip_entries(archive: zipfile.ZipFile, name: str, limits: Limits) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """The file entries to unpack, with their path parts, after checking every entry. Raises PackError."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise _too_many(name, len(entries), limits)
    chosen: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    total = 0
    for entry in entries:
        shown = entry.filename[:300]
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if not path.parts:
            raise PackError(f"{name}: an entry has no name; refused")
        if path.is_absolute() or entry.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
            raise PackError(f"{name}: entry '{shown}' is an absolute path; refused")
        if ".." in path.parts:
            raise PackError(f"{name}: entry '{shown}' climbs out of the pack with '..'; refused")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise PackError(f"{name}: entry '{shown}' is a symbolic link; refused")
        problem = _name_problem(path.parts)
        if problem:
            raise PackError(f"{name}: entry '{shown}' {problem}; refused")
        if entry.file_size < 0 or entry.compress_size < 0:
            raise PackError(f"{name}: entry '{shown}' has an impossible size; refused")
        total += entry.file_size
        if total > limits.max_bytes:
            raise _too_large(name, limits)
        if entry.is_dir() or path.parts[0] not in PACK_FOLDERS or len(path.parts) < 2:
            continue
        key = tuple(part.casefold() for part in path.parts)
        if key in seen:
            raise PackError(f"{name}: entry '{shown}' appears twice; refused")
        seen.add(key)
        chosen.append((entry, path.parts))
    return chosen


def unpack_zip(pack: Path, staging: Path, *, limits: Limits) -> None:
    """Check every entry of the zip ``pack``, then unpack its ``sessions/`` and ``media/`` into ``staging``."""
    name = pack.name
    try:
        with zipfile.ZipFile(pack) as archive:
            for entry, parts in _zip_entries(archive, name, limits):
                target = staging.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(entry) as source:
                    _copy_at_most(source, target, entry.file_size, name=f"{name}: entry '{entry.filename[:300]}'")
    except PackError:
        raise
    except UnicodeDecodeError as exc:  # an entry flagged UTF-8 whose name is not
        raise PackError(f"{name}: an entry name is marked UTF-8 but is not ({exc.reason}); refused") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise PackError(f"{name}: not a folder or a .zip pack, or a damaged one ({exc})") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted entries, unsupported compression
        raise PackError(f"{name}: cannot be unpacked ({exc})") from None
    except OSError as exc:
        raise PackError(f"{name}: could not be unpacked: {exc.strerror or exc}") from None
