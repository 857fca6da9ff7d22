"""The publisher workspace: one folder holding the key pair, the publisher's name, content keys and ledger.

Layout (file names in :mod:`player.publisher.defaults`)::

    publisher.toml      format = 1, name = "..."           the publisher's name, as manifests show it
    private-key.json    Ed25519, sealed with the passphrase: scrypt + AES-256-GCM (mode 0600)
    public-key.txt      base64 of the 32-byte public key (manifests carry it in [publisher])
    content-keys.json   per session: its 16-byte content key sealed with the passphrase (mode 0600)
    ledger.db           SQLite: every license issued (table ``ledger``; no key in clear)

The private key and the content keys never leave the workspace; a pack holds only the public key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_data_path

from player.core.bounded import UnreadableFileError, read_bytes_limited, read_text_limited
from player.core.errors import LicenseError, PublisherError
from player.core.licensing import keys as licensing
from player.core.text import control_characters
from player.publisher import defaults
from player.publisher.keystore import ContentKeyStore
from player.publisher.ledger import open_ledger
from player.publisher.secrets import PASSPHRASE_RULE, open_private_key, passphrase_problem, seal_private_key
from player.publisher.tomlwrite import key_values

WORKSPACE_FORMAT = 1  # the publisher.toml format this version writes and reads
_MAX_KEY_FILE_BYTES = 64 * 1024  # a key file is under 1 kB


def workspace_dir(*, override: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The workspace folder: ``override`` (--workspace), else $MOVEMENT_PLAYER_PUBLISHER_DIR, else the
    platform's user data directory for ``movement-player-publisher``."""
    chosen = override or environ.get(defaults.WORKSPACE_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return user_data_path(defaults.WORKSPACE_APPNAME, appauthor=False)


@dataclass(frozen=True)
class Workspace:
    """An existing publisher workspace (see :func:`open_workspace` and :func:`create_workspace`)."""

    directory: Path

    @property
    def private_key_file(self) -> Path:
        """The encrypted private key."""
        return self.directory / defaults.PRIVATE_KEY_FILENAME

    @property
    def legacy_private_key_file(self) -> Path:
        """The PBKDF2-encrypted PEM of workspaces made before scrypt sealing (resealed at first unlock)."""
        return self.directory / defaults.LEGACY_PRIVATE_KEY_FILENAME

    @property
    def public_key_file(self) -> Path:
        """The public key as base64 text."""
        return self.directory / defaults.PUBLIC_KEY_FILENAME

    @property
    def ledger_file(self) -> Path:
        """The SQLite ledger of issued keys."""
        return self.directory / defaults.LEDGER_FILENAME

    @property
    def content_keys(self) -> ContentKeyStore:
        """The sealed content keys of the sessions packed from this workspace."""
        return ContentKeyStore(self.directory / defaults.CONTENT_KEYS_FILENAME)

    def name(self) -> str:
        """The publisher's name ("" when none was set). Raises PublisherError if publisher.toml is damaged."""
        path = self.directory / defaults.SETTINGS_FILENAME
        if not path.exists():
            return ""
        try:
            settings = tomllib.loads(read_text_limited(path, max_bytes=_MAX_KEY_FILE_BYTES))
        except UnreadableFileError as exc:
            raise PublisherError(exc.message) from None
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise PublisherError(f"{path}: cannot be read (not valid TOML: {type(exc).__name__})") from None
        name = settings.get("name", "")
        if not isinstance(name, str):
            raise PublisherError(f"{path}: name: must be a string")
        return name

    def public_key_text(self) -> str:
        """The public key, base64. Raises PublisherError if the file is missing or not a key."""
        try:
            text = self.public_key_file.read_text(encoding="ascii").strip()
            licensing.public_key_from_text(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise PublisherError(f"{self.public_key_file}: cannot be read ({exc})") from exc
        except LicenseError as exc:
            raise PublisherError(f"{self.public_key_file}: {exc.message}") from exc
        return text

    def unlock(self, passphrase: bytes) -> Ed25519PrivateKey:
        """Decrypt the private key. Raises PublisherError for a wrong passphrase or a damaged key file.

        A workspace that still has the older ``private-key.pem`` (PBKDF2) gets it resealed with scrypt
        into ``private-key.json`` and the PEM deleted, the first time the right passphrase opens it.
        """
        if not self.private_key_file.exists() and self.legacy_private_key_file.exists():
            private_key = self._unlock_legacy(passphrase)
        else:
            try:
                text = read_text_limited(self.private_key_file, max_bytes=_MAX_KEY_FILE_BYTES)
            except UnreadableFileError as exc:
                raise PublisherError(exc.message) from None
            private_key = open_private_key(text, passphrase, file=str(self.private_key_file))
        if licensing.public_key_to_text(private_key.public_key()) != self.public_key_text():
            raise PublisherError(f"{self.directory}: the private and public key files do not belong together")
        return private_key

    def _unlock_legacy(self, passphrase: bytes) -> Ed25519PrivateKey:
        legacy = self.legacy_private_key_file
        try:
            data = read_bytes_limited(legacy, max_bytes=_MAX_KEY_FILE_BYTES)
            private_key = licensing.private_key_from_encrypted_pem(data, passphrase)
        except UnreadableFileError as exc:
            raise PublisherError(exc.message) from None
        except LicenseError as exc:
            raise PublisherError(f"{legacy}: {exc.message}") from exc
        if licensing.public_key_to_text(private_key.public_key()) != self.public_key_text():
            raise PublisherError(f"{self.directory}: the private and public key files do not belong together")
        try:
            _write_new(self.private_key_file, seal_private_key(private_key, passphrase).encode(),
                       mode=defaults.PRIVATE_FILE_MODE)
            legacy.unlink()
        except OSError as exc:
            raise PublisherError(f"{self.private_key_file}: cannot be written ({exc.strerror or exc})") from exc
        return private_key


def open_workspace(directory: Path) -> Workspace:
    """The workspace in ``directory``. Raises PublisherError when there is no key pair there."""
    workspace = Workspace(directory)
    has_private = workspace.private_key_file.is_file() or workspace.legacy_private_key_file.is_file()
    if not has_private or not workspace.public_key_file.is_file():
        raise PublisherError(
            f"{directory}: not a publisher workspace (no key pair); create one with: movement-player publish init"
        )
    return workspace


def create_workspace(directory: Path, *, passphrase: bytes, name: str = "") -> Workspace:
    """Create a workspace with a new Ed25519 key pair, the private key encrypted with ``passphrase``.

    Raises PublisherError if a key pair is already there (it is never overwritten: it signed every key
    sold), the folder cannot be written, the passphrase is too weak (PASSPHRASE_RULE) or the name holds
    control characters; ValueError for an empty passphrase.
    """
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    workspace = Workspace(directory)
    if any(p.exists() for p in (workspace.private_key_file, workspace.legacy_private_key_file,
                                workspace.public_key_file)):
        raise PublisherError(f"{directory}: a publisher key pair is already there; it is never overwritten")
    weak = passphrase_problem(passphrase)
    if weak:
        raise PublisherError(f"the passphrase is too weak: {weak}. A passphrase needs {PASSPHRASE_RULE}.")
    controls = control_characters(name)
    if controls:
        raise PublisherError(f"the publisher name contains control characters ({', '.join(controls)}); "
                             "use plain text on one line")
    private_key, public_key = licensing.generate_keypair()
    pem = seal_private_key(private_key, passphrase).encode()
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_new(workspace.private_key_file, pem, mode=defaults.PRIVATE_FILE_MODE)
        _write_new(workspace.public_key_file, (licensing.public_key_to_text(public_key) + "\n").encode())
        settings = "\n".join(["# Movement Player publisher workspace", *key_values(
            {"format": WORKSPACE_FORMAT, "name": name})]) + "\n"
        (directory / defaults.SETTINGS_FILENAME).write_text(settings, encoding="utf-8")
        open_ledger(workspace.ledger_file).close()
    except OSError as exc:
        raise PublisherError(f"{directory}: cannot create the workspace ({exc.strerror or exc})") from exc
    return workspace


def _write_new(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write a file that must not exist yet (O_EXCL), with ``mode`` whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(mode)
