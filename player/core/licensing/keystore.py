"""The practitioner's license keys: text files in the data directory, verified again at every start.

A key is only kept when it is genuine (signed by the session's publisher), for an installed session,
and actually decrypts that session's paid parts. Nothing here is a flag: unlocking is decrypting.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from player.core.bounded import UnreadableFileError, read_bytes_limited
from player.core.defaults import MAX_LICENSE_FILE_BYTES
from player.core.errors import CryptoError, LicenseError
from player.core.session.manifest import Session
from player.core.text import printable

if TYPE_CHECKING:  # cryptography loads only when a key is actually verified (~20 ms off every start)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from player.core.licensing.keys import License

LICENSES_DIRNAME = "licenses"
_KEY_CHARS = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZOIL" + "abcdefghjkmnpqrstvwxyzoil" + " \t\r\n-")
_MIN_KEY_CHARS = 60  # the shortest key text is longer; a file name this long made of key characters is not one


def read_license_file(path: Path) -> str:
    """The text of a license file (a regular file of at most MAX_LICENSE_FILE_BYTES; bytes that are not
    UTF-8 are replaced). Raises LicenseError naming the file and what is wrong."""
    try:
        return read_bytes_limited(path, max_bytes=MAX_LICENSE_FILE_BYTES).decode("utf-8", errors="replace")
    except UnreadableFileError as exc:
        raise LicenseError(f"{path.name} {exc.reason}", detail=str(path)) from None


def key_or_license_file(argument: str) -> str:
    """What a command-line argument holds: key text as it is, or the text of the license file it names.

    Text made only of key characters (at least 60 of them, or starting with ``MP1``) is a key without
    asking the file system; anything else is read as a file when something by that name exists. A name the system
    cannot look up (too long, a NUL) is treated as key text, which verification then reports. Raises
    LicenseError when the named file cannot be read.
    """
    stripped = argument.strip()
    if stripped.upper().startswith("MP1") or (len(stripped) >= _MIN_KEY_CHARS and set(stripped) <= _KEY_CHARS):
        return argument
    path = Path(argument)
    try:
        exists = path.exists()
    except (OSError, ValueError):  # ENAMETOOLONG, ELOOP, a NUL character: not a file name, so key text
        return argument
    return read_license_file(path) if exists else argument  # a folder or FIFO is refused there, by name


@dataclass(frozen=True)
class LicenseProblem:
    """A stored key that no longer unlocks anything, and why."""

    file: Path
    message: str


def publisher_keys(sessions: Sequence[Session]) -> dict[str, Ed25519PublicKey]:
    """Session id -> publisher public key, for sessions that have a paid part and a readable key."""
    from player.core.licensing.keys import public_key_from_text

    keys: dict[str, Ed25519PublicKey] = {}
    for session in sessions:
        if session.full is not None and session.publisher is not None:
            try:
                keys[session.id] = public_key_from_text(session.publisher.public_key)
            except LicenseError:
                continue
    return keys


def verify_for_library(text: str, sessions: Sequence[Session]) -> License:
    """Verify ``text`` (a key, or a license file's content) against the installed sessions.

    Order: normalise, checksum, version, signature, session match, then the media's commitment
    check. Raises LicenseError with a plain-words message.
    """
    from player.core.licensing.keys import parse_license, read_license_text
    from player.core.licensing.paid_parts import check_unlocks

    key_text = read_license_text(text)
    keys = publisher_keys(sessions)
    if not keys:
        raise LicenseError("No installed session has a paid part to unlock.")
    license_ = parse_license(key_text, public_keys=keys)
    session = next(s for s in sessions if s.id == license_.session_id)
    try:
        check_unlocks(session, license_.content_key)
    except CryptoError as exc:
        raise LicenseError(
            f"this key is genuine, but it does not decrypt the installed media of '{session.title}' "
            "(the session may be from another edition, or its files are damaged)", detail=exc.message,
        ) from exc
    return license_


class LicenseStore:
    """Key files (``<session>-<license>.key``) in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def files(self) -> list[Path]:
        """Every stored key file."""
        return sorted(self.directory.glob("*.key")) if self.directory.is_dir() else []

    def verified(self, sessions: Sequence[Session]) -> tuple[dict[str, License], list[LicenseProblem]]:
        """Re-verify every stored key: the licenses by session id, and the keys that failed with why."""
        licenses: dict[str, License] = {}
        problems: list[LicenseProblem] = []
        for file in self.files():
            try:
                license_ = verify_for_library(read_license_file(file), sessions)
            except (LicenseError, OSError) as exc:
                problems.append(LicenseProblem(file, getattr(exc, "message", str(exc))))
                continue
            licenses.setdefault(license_.session_id, license_)
        return licenses, problems

    def add(self, text: str, sessions: Sequence[Session]) -> License:
        """Verify and keep a key; returns its license. Raises LicenseError (nothing is written then)."""
        license_ = verify_for_library(text, sessions)
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{license_.session_id}-{license_.license_id}.key"
        temporary = target.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            # The label is escaped: a line break in it must never end the comment and spill into the key.
            handle.write(f"# Movement Player license {license_.license_id} for {license_.session_id}, "
                         f"licensed to {printable(license_.licensee)}, issued {license_.issued_on.isoformat()}\n")
            handle.write(license_.key_text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
        return license_

    def remove(self, license_id: str) -> list[Path]:
        """Delete the stored key(s) with this license number; raises LicenseError when there is none."""
        removed = [f for f in self.files() if f.stem.rsplit("-", 1)[-1] == license_id]
        if not removed:
            raise LicenseError(f"There is no stored license {license_id}.")
        for file in removed:
            file.unlink()
        return removed
