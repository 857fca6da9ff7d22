"""The publisher's private key, sealed like the content keys (scrypt, then AES-256-GCM), and the rule a
new passphrase must meet.

``private-key.json``::

    {"format": 1, "kind": "ed25519-private-key", "public_key": "<base64>", "kdf": "scrypt", "log_n": 17,
     "r": 8, "p": 1, "salt": "<base64>", "nonce": "<base64>", "sealed_key": "<base64: 32-byte seed + tag>"}

The public key is the AEAD's associated data, so a sealed key cannot be paired with another public key.
Workspaces made before this file existed hold ``private-key.pem`` (PKCS#8, PBKDF2 at 2,048 rounds,
about a thousand times cheaper to guess than scrypt at 2**17): it is resealed here and deleted the
first time the right passphrase opens it.
"""

from __future__ import annotations

import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from player.core.errors import PublisherError
from player.core.licensing.keys import public_key_to_text
from player.publisher.keystore import open_bytes, seal_bytes

PRIVATE_KEY_FORMAT = 1
_KIND = "ed25519-private-key"
_AAD_PREFIX = b"movement-player/publisher-private-key/v1\x00"

# A new passphrase: long enough and varied enough to resist guessing even with a stolen workspace.
MIN_PASSPHRASE_CHARS = 12
MIN_DISTINCT_CHARS = 6
PASSPHRASE_RULE = (f"at least {MIN_PASSPHRASE_CHARS} characters, at least {MIN_DISTINCT_CHARS} of them different, "
                   "not only digits (a few unrelated words make a good one)")


def passphrase_problem(passphrase: bytes) -> str:
    """Why ``passphrase`` is too weak for a new workspace ("" when it is fine); see PASSPHRASE_RULE."""
    try:
        text = passphrase.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if len(text) < MIN_PASSPHRASE_CHARS:
        return f"it has {len(text)} characters; use at least {MIN_PASSPHRASE_CHARS}"
    if len(set(text)) < MIN_DISTINCT_CHARS:
        return f"it has only {len(set(text))} different characters; use at least {MIN_DISTINCT_CHARS}"
    if text.isdigit():
        return "it is only digits; add letters or words"
    return ""


def _associated(public_key_text: str) -> bytes:
    return _AAD_PREFIX + public_key_text.encode("ascii")


def seal_private_key(private_key: Ed25519PrivateKey, passphrase: bytes) -> str:
    """The text of ``private-key.json`` for ``private_key`` sealed with ``passphrase``.

    Raises ValueError for an empty passphrase (the strength rule is checked by the caller, at init).
    """
    public = public_key_to_text(private_key.public_key())
    sealed = seal_bytes(private_key.private_bytes_raw(), associated_data=_associated(public), passphrase=passphrase)
    entry: dict[str, Any] = {"format": PRIVATE_KEY_FORMAT, "kind": _KIND, "public_key": public, **sealed}
    return json.dumps(entry, indent=2) + "\n"


def open_private_key(text: str, passphrase: bytes, *, file: str) -> Ed25519PrivateKey:
    """The private key in the text of ``private-key.json``.

    Raises PublisherError naming ``file`` for a wrong passphrase or a damaged file.
    """
    try:
        entry = json.loads(text)
        if not isinstance(entry, dict) or entry.get("format") != PRIVATE_KEY_FORMAT or entry.get("kind") != _KIND:
            raise ValueError("not a sealed Movement Player publisher key")
        public = entry["public_key"]
        seed = open_bytes(entry, associated_data=_associated(public), passphrase=passphrase)
        private_key = Ed25519PrivateKey.from_private_bytes(seed)
    except InvalidTag:
        raise PublisherError(f"{file}: wrong passphrase, or the publisher key file is damaged") from None
    except (KeyError, TypeError, ValueError, RecursionError, binascii.Error, UnicodeEncodeError) as exc:
        raise PublisherError(f"{file}: the publisher key file is damaged ({exc})") from None
    if public_key_to_text(private_key.public_key()) != public:
        raise PublisherError(f"{file}: the publisher key file is damaged (its two halves do not match)")
    return private_key
