"""License keys: a signed binary payload written as Crockford base32 with a check character per group.

Binary key (version 1), all integers big-endian::

    version (1) | length of the whole key in bytes (1) | session id (1 + utf-8) | license id (4)
    | issue date as days since 2020-01-01 (2) | licensee (1 + utf-8, max 40) | content key (16)
    | Ed25519 signature (64) over b"movement-player/license/v1\\x00" + everything before it

Text form: ``MP1-`` then groups of five characters: four data characters and one check character
(the last group may have fewer data characters). The check character of a group depends on its data
and on the group number (modulo 32), so a substitution or a swap of neighbours is reported as a typo
in that group, never as a forged key; so is a misplaced group, unless it moved by a multiple of 32
groups (then the signature rejects it as not genuine). Verification order: normalise, checksum, version,
signature, then the fields are read, then the session is matched.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from player.core.errors import LicenseError
from player.core.licensing.points import public_key_problem

FORMAT_VERSION = 1  # binary key format written by issue_license
KEY_PREFIX = "MP1-"  # printed before the groups; optional when a key is entered
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
GROUP_DATA_CHARS = 4  # data characters per group; the fifth is the check character
MAX_SESSION_ID_BYTES = 64  # utf-8 bytes of a session id in a key
MAX_LICENSEE_BYTES = 40  # utf-8 bytes of the licensee label
CONTENT_KEY_SIZE = 16  # AES-128 content key, bytes
SIGNATURE_SIZE = 64  # Ed25519
EPOCH = dt.date(2020, 1, 1)  # issue dates are stored as days since this date

_DOMAIN = b"movement-player/license/v1\x00"
_FIXED_BYTES = 2 + 1 + 4 + 2 + 1 + CONTENT_KEY_SIZE + SIGNATURE_SIZE  # all but session id and licensee
_MIN_KEY_BYTES = _FIXED_BYTES + 1
_MAX_KEY_BYTES = _FIXED_BYTES + MAX_SESSION_ID_BYTES + MAX_LICENSEE_BYTES
_VALUES = {char: value for value, char in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_SEPARATORS = frozenset(" \t\r\n-\u2010\u2011\u2012\u2013\u2014\u00a0")
_GF_POLY = 0b100101  # x^5 + x^2 + 1, makes 5-bit values a field for the check characters
_WEIGHTS = (1, 2, 4, 8)  # distinct non-zero field elements, one per data position
_GROUP_WEIGHT = 16  # weight of the group number in the check character


class LicenseTypoError(LicenseError):
    """A check character does not match: a character in ``group`` (1-based) was probably mistyped."""

    def __init__(self, group: int) -> None:
        super().__init__(f"group {group} of the license key looks mistyped; please check it")
        self.group = group


class LicenseMalformedError(LicenseError):
    """The text is not a license key: wrong characters, too short, cut off or too long."""


class LicenseVersionError(LicenseError):
    """The key uses a format this version of Movement Player does not know."""


class LicenseNotGenuineError(LicenseError):
    """The signature does not verify with the publisher's key."""


class LicenseWrongSessionError(LicenseError):
    """The key is genuine but unlocks another session."""

    def __init__(self, message: str, *, key_session_id: str, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.key_session_id = key_session_id


class PublisherKeyError(LicenseError):
    """A publisher key (public key text or encrypted private key file) cannot be used."""


@dataclass(frozen=True)
class License:
    """A verified license key and what it grants."""

    session_id: str
    license_id: str
    issued_on: dt.date
    licensee: str
    content_key: bytes
    key_text: str


# --- Text form --------------------------------------------------------------------------------


def _gf_mul(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _GF_POLY
    return product


def _check_value(group: int, values: list[int]) -> int:
    check = _gf_mul(_GROUP_WEIGHT, group % 32)
    for weight, value in zip(_WEIGHTS, values, strict=False):
        check ^= _gf_mul(weight, value)
    return check


def _bytes_to_values(data: bytes) -> list[int]:
    bits = len(data) * 8
    number = int.from_bytes(data, "big") << (-bits % 5)
    count = -(-bits // 5)
    return [(number >> (5 * (count - 1 - i))) & 31 for i in range(count)]


def encode_key_text(key_bytes: bytes) -> str:
    """Return the canonical text (``MP1-`` and dash-separated groups) of a binary key."""
    values = _bytes_to_values(key_bytes)
    groups = []
    for start in range(0, len(values), GROUP_DATA_CHARS):
        data = values[start : start + GROUP_DATA_CHARS]
        check = _check_value(start // GROUP_DATA_CHARS + 1, data)
        groups.append("".join(ALPHABET[v] for v in [*data, check]))
    return KEY_PREFIX + "-".join(groups)


def _normalise(text: str) -> list[int]:
    """Map pasted text to base32 values: any case, separators ignored, O->0, I/L->1, prefix dropped."""
    chars = [c for c in text.upper() if c not in _SEPARATORS]
    if "".join(chars[:3]).replace("I", "1").replace("L", "1") == KEY_PREFIX[:3]:
        chars = chars[3:]
    values = []
    for position, char in enumerate(chars):
        if char not in _VALUES:
            why = "the letter U is never used in license keys" if char == "U" else "it is not allowed"
            group = position // (GROUP_DATA_CHARS + 1) + 1
            raise LicenseMalformedError(
                f"the license key contains {char!r} in group {group}: {why}",
                detail=f"character {position + 1} after the prefix",
            )
        values.append(_VALUES[char])
    return values


def _split_groups(values: list[int]) -> list[list[int]]:
    size = GROUP_DATA_CHARS + 1
    return [values[start : start + size] for start in range(0, len(values), size)]


def _check_group(number: int, group: list[int]) -> None:
    if len(group) < 2 or _check_value(number, group[:-1]) != group[-1]:
        raise LicenseTypoError(number)


def _expected_chars(key_bytes: int) -> int:
    data_chars = -(-key_bytes * 8 // 5)
    return data_chars + -(-data_chars // GROUP_DATA_CHARS)


def decode_key_text(text: str) -> bytes:
    """Return the binary key in ``text`` after normalising it and checking every group.

    The signature is not checked. Raises LicenseMalformedError (bad character, too short, cut off,
    too long), LicenseTypoError (a check character does not match: names the group) or
    LicenseVersionError (unknown format version).
    """
    values = _normalise(text)
    if len(values) < _expected_chars(_MIN_KEY_BYTES):
        raise LicenseMalformedError(
            "this is too short to be a license key",
            detail=f"{len(values)} characters, at least {_expected_chars(_MIN_KEY_BYTES)} expected",
        )
    groups = _split_groups(values)
    _check_group(1, groups[0])
    first = groups[0][:-1]
    head = (_values_to_int(first) >> (len(first) * 5 - 16)).to_bytes(2, "big")
    if head[0] != FORMAT_VERSION:
        why = "needs a newer version of Movement Player" if head[0] > FORMAT_VERSION else "is not readable"
        raise LicenseVersionError(f"this license key {why}", detail=f"key format {head[0]}")
    _check_length(len(values), head[1])
    for number, group in enumerate(groups[1:], start=2):
        _check_group(number, group)
    data = [v for group in groups for v in group[:-1]]
    return _values_to_bytes(data, head[1])


def _check_length(chars: int, declared_bytes: int) -> None:
    if not _MIN_KEY_BYTES <= declared_bytes <= _MAX_KEY_BYTES:
        raise LicenseMalformedError("this is not a Movement Player license key", detail="bad length byte")
    expected = _expected_chars(declared_bytes)
    if chars < expected:
        raise LicenseMalformedError(
            f"the license key is incomplete: {expected - chars} character(s) missing "
            "(was it cut off when copying?)"
        )
    if chars > expected:
        raise LicenseMalformedError(f"the license key has {chars - expected} character(s) too many")


def _values_to_int(values: list[int]) -> int:
    number = 0
    for value in values:
        number = (number << 5) | value
    return number


def _values_to_bytes(values: list[int], size: int) -> bytes:
    number = _values_to_int(values)
    spare = len(values) * 5 - size * 8
    if spare < 0 or number & ((1 << spare) - 1):
        raise LicenseMalformedError("the license key is damaged", detail="non-zero padding bits")
    return (number >> spare).to_bytes(size, "big")


def read_license_text(text: str) -> str:
    """Return the key from the contents of a license file: lines starting with '#' are comments.

    Raises LicenseMalformedError if the file holds no key.
    """
    lines = [line.strip() for line in text.splitlines()]
    key = " ".join(line for line in lines if line and not line.startswith("#"))
    if not key:
        raise LicenseMalformedError("the license file does not contain a license key")
    return key


# --- Binary payload and signature ------------------------------------------------------------------


def _short_field(text: str, *, name: str, limit: int) -> bytes:
    raw = text.encode()
    if len(raw) > limit:
        raise ValueError(f"the {name} is too long ({len(raw)} bytes, at most {limit})")
    return bytes([len(raw)]) + raw


def _pack(
    *, session_id: str, license_id: int, licensee: str, issued_on: dt.date, content_key: bytes
) -> bytes:
    days = (issued_on - EPOCH).days
    if not session_id:
        raise ValueError("the session id must not be empty")
    if not 0 <= license_id < 2**32:
        raise ValueError("the license id must be an integer from 0 to 4294967295")
    if not 0 <= days < 2**16:
        raise ValueError(f"the issue date must be between {EPOCH} and 2199")
    if len(content_key) != CONTENT_KEY_SIZE:
        raise ValueError(f"the content key must be {CONTENT_KEY_SIZE} bytes")
    body = (
        _short_field(session_id, name="session id", limit=MAX_SESSION_ID_BYTES)
        + license_id.to_bytes(4, "big")
        + days.to_bytes(2, "big")
        + _short_field(licensee, name="licensee label", limit=MAX_LICENSEE_BYTES)
        + content_key
    )
    return bytes([FORMAT_VERSION, 2 + len(body) + SIGNATURE_SIZE]) + body


def issue_license(
    *,
    private_key: Ed25519PrivateKey,
    session_id: str,
    license_id: int,
    licensee: str,
    issued_on: dt.date,
    content_key: bytes,
) -> str:
    """Sign a license and return its canonical key text.

    ``license_id`` is an integer from 0 to 2**32-1, ``licensee`` at most 40 utf-8 bytes, ``session_id``
    1 to 64 bytes, ``content_key`` 16 bytes, ``issued_on`` from 2020-01-01. Raises ValueError otherwise.
    """
    signed = _pack(
        session_id=session_id,
        license_id=license_id,
        licensee=licensee,
        issued_on=issued_on,
        content_key=content_key,
    )
    return encode_key_text(signed + private_key.sign(_DOMAIN + signed))


def signature_is_valid(public_key_bytes: bytes, message: bytes, signature: bytes) -> bool:
    """Return True if ``signature`` is a valid Ed25519 signature of ``message`` (raw 32-byte key).

    Invalid keys and signatures (wrong sizes, non-canonical encodings, small-order points) give False:
    the public key is checked here first, because OpenSSL accepts small-order keys.
    """
    if public_key_problem(public_key_bytes):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key_bytes).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _signed_by(key_bytes: bytes, public_key: Ed25519PublicKey) -> bool:
    signed, signature = key_bytes[:-SIGNATURE_SIZE], key_bytes[-SIGNATURE_SIZE:]
    return signature_is_valid(public_key.public_bytes_raw(), _DOMAIN + signed, signature)


def _unpack(key_bytes: bytes) -> License:
    """Read the fields of a key whose signature was already verified."""
    try:
        at = 2
        session_id = key_bytes[at + 1 : at + 1 + key_bytes[at]].decode()
        at += 1 + key_bytes[at]
        license_id = int.from_bytes(key_bytes[at : at + 4], "big")
        issued_on = EPOCH + dt.timedelta(days=int.from_bytes(key_bytes[at + 4 : at + 6], "big"))
        at += 6
        licensee = key_bytes[at + 1 : at + 1 + key_bytes[at]].decode()
        at += 1 + key_bytes[at]
        content_key = key_bytes[at : at + CONTENT_KEY_SIZE]
    except (IndexError, UnicodeDecodeError) as error:
        raise LicenseMalformedError("the license key is damaged", detail=str(error)) from None
    if at + CONTENT_KEY_SIZE + SIGNATURE_SIZE != len(key_bytes):
        raise LicenseMalformedError("the license key is damaged", detail="field lengths do not add up")
    return License(session_id, str(license_id), issued_on, licensee, content_key, encode_key_text(key_bytes))


def verify_license(text: str, *, public_key: Ed25519PublicKey, expected_session_id: str) -> License:
    """Verify a pasted key for one session and return what it grants.

    Raises LicenseMalformedError, LicenseTypoError, LicenseVersionError, LicenseNotGenuineError (not
    signed by ``public_key``) or LicenseWrongSessionError (genuine, but for another session).
    """
    key_bytes = decode_key_text(text)
    if not _signed_by(key_bytes, public_key):
        raise LicenseNotGenuineError("this key was not issued by the session's publisher")
    license_ = _unpack(key_bytes)
    if license_.session_id != expected_session_id:
        raise LicenseWrongSessionError(
            f"this key is for the session '{license_.session_id}', not '{expected_session_id}'",
            key_session_id=license_.session_id,
        )
    return license_


def parse_license(text: str, *, public_keys: Mapping[str, Ed25519PublicKey]) -> License:
    """Verify a pasted key against the publishers of several sessions (session id -> public key).

    Every offered key is tried before any field is read; the session named in the key must then be
    one whose publisher signed it. Raises the errors of verify_license.
    """
    key_bytes = decode_key_text(text)
    signers = [pk for pk in public_keys.values() if _signed_by(key_bytes, pk)]
    if not signers:
        raise LicenseNotGenuineError("this key was not issued by the publisher of any session you have")
    license_ = _unpack(key_bytes)
    owner = public_keys.get(license_.session_id)
    if owner is None:
        raise LicenseWrongSessionError(
            f"this key is for the session '{license_.session_id}', which is not in your library",
            key_session_id=license_.session_id,
        )
    if not any(owner.public_bytes_raw() == pk.public_bytes_raw() for pk in signers):
        raise LicenseNotGenuineError("this key was not issued by the session's publisher")
    return license_


# --- Publisher keys -----------------------------------------------------------------------------------


def generate_keypair() -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    """Return a new publisher key pair (private, public)."""
    private_key = Ed25519PrivateKey.generate()
    return private_key, private_key.public_key()


def public_key_to_text(public_key: Ed25519PublicKey) -> str:
    """Return the public key as base64 of its 32 raw bytes (44 characters)."""
    return base64.b64encode(public_key.public_bytes_raw()).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """Parse a public key written by public_key_to_text (surrounding spaces ignored).

    Raises PublisherKeyError if it is not base64 of exactly 32 bytes, or those bytes are not a canonical
    encoding of a point in the prime-order subgroup (the identity and other small-order points are refused).
    """
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise PublisherKeyError("the publisher key is not valid base64 text") from None
    problem = public_key_problem(raw)
    if problem:
        raise PublisherKeyError(f"the publisher key {problem}")
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_to_encrypted_pem(private_key: Ed25519PrivateKey, passphrase: bytes) -> bytes:
    """Return the private key as PKCS#8 PEM encrypted with ``passphrase`` (ValueError if empty)."""
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def private_key_from_encrypted_pem(data: bytes, passphrase: bytes) -> Ed25519PrivateKey:
    """Load a private key written by private_key_to_encrypted_pem.

    Raises PublisherKeyError for a wrong passphrase, a damaged file or a key that is not Ed25519.
    """
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise PublisherKeyError("wrong passphrase, or the publisher key file is damaged") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PublisherKeyError("the publisher key file does not hold an Ed25519 key")
    return key
