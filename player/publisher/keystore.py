"""Content keys, sealed with the publisher's passphrase: scrypt derives a key, AES-256-GCM seals.

``content-keys.json`` holds one entry per session::

    {"format": 1, "sessions": {"<session id>": {"title": "...", "created_on": "2026-11-23",
        "kdf": "scrypt", "log_n": 17, "r": 8, "p": 1, "salt": "<base64>", "nonce": "<base64>",
        "sealed_key": "<base64: 16-byte key + 16-byte tag>"}}}

The session id is the AEAD's associated data, so an entry moved to another session does not open.
A session keeps its content key across packs: keys already sold go on decrypting a rebuilt pack.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from player.core.errors import PublisherError
from player.core.licensing.keys import CONTENT_KEY_SIZE
from player.publisher import defaults

STORE_FORMAT = 1  # content-keys.json format written and read here
_AAD_PREFIX = b"movement-player/content-key/v1\x00"
_SALT_SIZE = 16  # scrypt salt, bytes
_NONCE_SIZE = 12  # AES-GCM nonce, bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(passphrase: bytes, *, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(passphrase)


def seal_bytes(secret: bytes, *, associated_data: bytes, passphrase: bytes) -> dict[str, Any]:
    """Seal ``secret`` with a key scrypt derives from ``passphrase`` (AES-256-GCM, ``associated_data``
    bound); returns the JSON entry: kdf, log_n, r, p, salt, nonce, sealed_key.

    The scrypt cost is :data:`defaults.SCRYPT_LOG_N` at call time. Raises ValueError for an empty passphrase.
    """
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    salt, nonce = os.urandom(_SALT_SIZE), os.urandom(_NONCE_SIZE)
    params = {"log_n": defaults.SCRYPT_LOG_N, "r": defaults.SCRYPT_R, "p": defaults.SCRYPT_P}
    wrapping = _derive(passphrase, salt=salt, **params)
    sealed = AESGCM(wrapping).encrypt(nonce, secret, associated_data)
    return {"kdf": "scrypt", **params, "salt": _b64(salt), "nonce": _b64(nonce), "sealed_key": _b64(sealed)}


def open_bytes(entry: Mapping[str, Any], *, associated_data: bytes, passphrase: bytes) -> bytes:
    """Open an entry written by :func:`seal_bytes`.

    Raises InvalidTag (wrong passphrase or associated data), or KeyError, TypeError, ValueError,
    binascii.Error for a damaged entry (an unknown KDF or a cost outside 2**1..2**22 among them).
    """
    salt, nonce, sealed = (base64.b64decode(entry[k], validate=True) for k in ("salt", "nonce", "sealed_key"))
    log_n, r, p = (int(entry[k]) for k in ("log_n", "r", "p"))
    if entry["kdf"] != "scrypt" or not 1 <= log_n <= 22 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError("unknown key derivation")
    wrapping = _derive(passphrase, salt=salt, log_n=log_n, r=r, p=p)
    return AESGCM(wrapping).decrypt(nonce, sealed, associated_data)


def seal_content_key(content_key: bytes, *, session_id: str, passphrase: bytes) -> dict[str, Any]:
    """Seal ``content_key`` (16 bytes) for ``session_id``; returns the JSON entry (without title/date).

    The scrypt cost is :data:`defaults.SCRYPT_LOG_N` at call time. Raises ValueError for a key of the
    wrong size or an empty passphrase.
    """
    if len(content_key) != CONTENT_KEY_SIZE:
        raise ValueError(f"a content key has {CONTENT_KEY_SIZE} bytes")
    return seal_bytes(content_key, associated_data=_AAD_PREFIX + session_id.encode(), passphrase=passphrase)


def open_content_key(entry: Mapping[str, Any], *, session_id: str, passphrase: bytes) -> bytes:
    """Open an entry written by :func:`seal_content_key`.

    Raises PublisherError for a wrong passphrase, an entry of another session, or a damaged entry.
    """
    try:
        return open_bytes(entry, associated_data=_AAD_PREFIX + session_id.encode(), passphrase=passphrase)
    except InvalidTag:
        raise PublisherError(f"the content key of '{session_id}' does not open: wrong passphrase") from None
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise PublisherError(f"the content key of '{session_id}' is damaged ({exc})") from None


class ContentKeyStore:
    """The sealed content keys in one JSON file (written atomically, mode 0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": STORE_FORMAT, "sessions": {}}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PublisherError(f"{self.path}: cannot be read ({exc})") from exc
        if not isinstance(data, dict) or data.get("format") != STORE_FORMAT or not isinstance(
            data.get("sessions"), dict
        ):
            raise PublisherError(f"{self.path}: not a content key store this version can read")
        return data

    def session_ids(self) -> list[str]:
        """The sessions that have a content key. Raises PublisherError if the file is damaged."""
        return sorted(self._load()["sessions"])

    def title(self, session_id: str) -> str:
        """The session title recorded at the last pack ("" if unknown)."""
        entry = self._load()["sessions"].get(session_id, {})
        title = entry.get("title", "") if isinstance(entry, dict) else ""
        return title if isinstance(title, str) else ""

    def get(self, session_id: str, *, passphrase: bytes) -> bytes | None:
        """The session's content key, or None if it has none yet.

        Raises PublisherError for a wrong passphrase or a damaged store.
        """
        entry = self._load()["sessions"].get(session_id)
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise PublisherError(f"{self.path}: the entry of '{session_id}' is damaged")
        try:
            return open_content_key(entry, session_id=session_id, passphrase=passphrase)
        except PublisherError as exc:
            raise PublisherError(f"{self.path}: {exc.message}") from None

    def put(self, session_id: str, content_key: bytes, *, passphrase: bytes, title: str, today: dt.date) -> None:
        """Seal and store the content key of ``session_id`` (replacing an entry for it).

        Raises PublisherError if the store cannot be read or written, ValueError as seal_content_key.
        """
        data = self._load()
        entry = {"title": title, "created_on": today.isoformat()}
        entry |= seal_content_key(content_key, session_id=session_id, passphrase=passphrase)
        data["sessions"][session_id] = entry
        self._write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def set_title(self, session_id: str, title: str) -> None:
        """Record the session's current title (used in license files). Raises PublisherError on I/O."""
        data = self._load()
        entry = data["sessions"].get(session_id)
        if isinstance(entry, dict) and entry.get("title") != title:
            entry["title"] = title
            self._write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def _write(self, text: str) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, defaults.PRIVATE_FILE_MODE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.chmod(defaults.PRIVATE_FILE_MODE)
            temporary.replace(self.path)
        except OSError as exc:
            raise PublisherError(f"{self.path}: cannot be written ({exc.strerror or exc})") from exc
