"""Tests for player.core.licensing.keys: key text, checksums, signatures, publisher keys."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from player.core.errors import LicenseError
from player.core.licensing.keys import (
    ALPHABET,
    License,
    LicenseMalformedError,
    LicenseNotGenuineError,
    LicenseTypoError,
    LicenseVersionError,
    LicenseWrongSessionError,
    PublisherKeyError,
    decode_key_text,
    encode_key_text,
    generate_keypair,
    issue_license,
    parse_license,
    private_key_from_encrypted_pem,
    private_key_to_encrypted_pem,
    public_key_from_text,
    public_key_to_text,
    read_license_text,
    signature_is_valid,
    verify_license,
)

ED25519_VECTORS = Path(__file__).resolve().parents[2] / "data" / "testvectors" / "ed25519_test.json"
SECRET, PUBLIC = generate_keypair()
OTHER_SECRET, OTHER_PUBLIC = generate_keypair()
CONTENT_KEY = bytes(range(16))
SESSION = "morning-flow"
KEY = issue_license(
    private_key=SECRET,
    session_id=SESSION,
    license_id=1042,
    licensee="Ada Lovelace",
    issued_on=dt.date(2025, 3, 1),
    content_key=CONTENT_KEY,
)
BODY_START = len("MP1-")


def _verify(text: str, session: str = SESSION) -> License:
    return verify_license(text, public_key=PUBLIC, expected_session_id=session)


def _group_of(position: int) -> int:
    """1-based group number of a character position in the canonical text (after the prefix)."""
    return (position - BODY_START) // 6 + 1


# --- Round trip and issuing ---------------------------------------------------------------------


def test_round_trip() -> None:
    license_ = _verify(KEY)
    assert license_ == License(SESSION, "1042", dt.date(2025, 3, 1), "Ada Lovelace", CONTENT_KEY, KEY)
    assert parse_license(KEY, public_keys={SESSION: PUBLIC, "other": OTHER_PUBLIC}) == license_
    assert KEY.startswith("MP1-") and all(len(group) == 5 for group in KEY.split("-")[1:-1])
    assert len(KEY) < 300


@pytest.mark.parametrize(
    ("session", "licensee", "license_id", "issued_on"),
    [
        ("s", "", 0, dt.date(2020, 1, 1)),
        ("x" * 64, "Zoë Ñúñez — studio 🧘".ljust(40, "."), 2**32 - 1, dt.date(2199, 6, 5)),
        ("séance-été", "Ωmega", 7, dt.date(2031, 12, 31)),
    ],
)
def test_round_trip_edges(session: str, licensee: str, license_id: int, issued_on: dt.date) -> None:
    licensee = licensee.encode()[:40].decode(errors="ignore")
    text = issue_license(
        private_key=SECRET,
        session_id=session,
        license_id=license_id,
        licensee=licensee,
        issued_on=issued_on,
        content_key=CONTENT_KEY,
    )
    license_ = _verify(text, session)
    assert (license_.session_id, license_.licensee) == (session, licensee)
    assert (license_.license_id, license_.issued_on) == (str(license_id), issued_on)


@pytest.mark.parametrize(
    "change",
    [
        {"session_id": ""},
        {"session_id": "x" * 65},
        {"licensee": "x" * 41},
        {"license_id": -1},
        {"license_id": 2**32},
        {"issued_on": dt.date(2019, 12, 31)},
        {"content_key": bytes(15)},
    ],
)
def test_issue_rejects_bad_fields(change: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "session_id": SESSION,
        "license_id": 1,
        "licensee": "A",
        "issued_on": dt.date(2025, 1, 1),
        "content_key": CONTENT_KEY,
    }
    with pytest.raises(ValueError):
        issue_license(private_key=SECRET, **(fields | change))  # type: ignore[arg-type]


# --- Typos and malformed text ------------------------------------------------------------------------


def test_every_single_substitution_is_a_typo_in_its_group() -> None:
    checked = 0
    for position in range(BODY_START, len(KEY)):
        if KEY[position] == "-":
            continue
        for char in ALPHABET:
            if char == KEY[position]:
                continue
            with pytest.raises(LicenseTypoError) as info:
                _verify(KEY[:position] + char + KEY[position + 1 :])
            assert info.value.group == _group_of(position)
            assert f"group {_group_of(position)} " in info.value.message
            checked += 1
    assert checked == (len(KEY) - BODY_START - KEY.count("-") + 1) * 31


def test_adjacent_swaps_of_data_characters_are_typos() -> None:
    for group_start in range(BODY_START, len(KEY), 6):
        for offset in range(3):
            i = group_start + offset
            if i + 1 >= len(KEY) - 1 or KEY[i] == KEY[i + 1] or "-" in KEY[i : i + 2]:
                continue
            with pytest.raises(LicenseTypoError) as info:
                _verify(KEY[:i] + KEY[i + 1] + KEY[i] + KEY[i + 2 :])
            assert info.value.group == _group_of(i)


def test_swapped_groups_are_a_typo() -> None:
    groups = KEY.split("-")
    groups[3], groups[4] = groups[4], groups[3]
    with pytest.raises(LicenseTypoError) as info:
        _verify("-".join(groups))
    assert info.value.group == 3


@pytest.mark.parametrize(
    "text",
    [
        KEY[:-1],
        KEY[:-6],
        KEY[: len(KEY) // 2],
        KEY + "0",
        KEY + "-00000",
        KEY[:10] + KEY[11:],
        "MP1-05S0H",
        "",
        "hello",
    ],
)
def test_truncated_or_extended_key_is_malformed(text: str) -> None:
    with pytest.raises(LicenseMalformedError):
        _verify(text)


def test_incomplete_key_says_so() -> None:
    with pytest.raises(LicenseMalformedError, match="incomplete: 4 character"):
        _verify(KEY[:-5])
    with pytest.raises(LicenseMalformedError, match="too short"):
        _verify(KEY[:100])
    with pytest.raises(LicenseMalformedError, match="1 character"):
        _verify(KEY + "Z")


@pytest.mark.parametrize(("char", "words"), [("U", "letter U is never used"), ("!", "'!' in group 3")])
def test_bad_characters_are_named(char: str, words: str) -> None:
    position = BODY_START + 13  # group 3
    with pytest.raises(LicenseMalformedError, match=words):
        _verify(KEY[:position] + char + KEY[position + 1 :])


def test_paste_tolerance() -> None:
    body = KEY[BODY_START:]
    variants = [
        KEY.lower(),
        "  " + KEY.replace("-", " ") + "\n",
        body,
        body.replace("-", ""),
        "\n".join(body[i : i + 20] for i in range(0, len(body), 20)),
        KEY.replace("0", "O").replace("1", "l"),
        KEY.replace("1", "I").replace("-", "\u2013"),
        "mpl-" + body.lower(),
    ]
    for text in variants:
        assert _verify(text).key_text == KEY


def test_unknown_version() -> None:
    key_bytes = bytearray(decode_key_text(KEY))
    key_bytes[0] = 2
    with pytest.raises(LicenseVersionError, match="newer version"):
        _verify(encode_key_text(bytes(key_bytes)))


def test_damaged_length_byte_is_malformed() -> None:
    key_bytes = bytearray(decode_key_text(KEY))
    key_bytes[1] ^= 1
    with pytest.raises(LicenseMalformedError):
        _verify(encode_key_text(bytes(key_bytes)))


# --- Genuineness and session ---------------------------------------------------------------------------


def test_every_flipped_bit_with_valid_checksum_is_not_genuine() -> None:
    key_bytes = decode_key_text(KEY)
    for bit in range(16, len(key_bytes) * 8):  # all but the version and length bytes
        forged = bytearray(key_bytes)
        forged[bit // 8] ^= 0x80 >> (bit % 8)
        with pytest.raises(LicenseNotGenuineError, match="not issued by the session's publisher"):
            _verify(encode_key_text(bytes(forged)))


def test_key_from_another_publisher_is_not_genuine() -> None:
    text = issue_license(
        private_key=OTHER_SECRET,
        session_id=SESSION,
        license_id=1,
        licensee="Mallory",
        issued_on=dt.date(2025, 1, 1),
        content_key=bytes(16),
    )
    with pytest.raises(LicenseNotGenuineError):
        _verify(text)
    with pytest.raises(LicenseNotGenuineError):
        parse_license(text, public_keys={SESSION: PUBLIC})
    # The other publisher signed it, but the session it names belongs to PUBLIC.
    with pytest.raises(LicenseNotGenuineError):
        parse_license(text, public_keys={SESSION: PUBLIC, "their-own": OTHER_PUBLIC})
    with pytest.raises(LicenseNotGenuineError):
        parse_license(text, public_keys={})


def test_genuine_key_for_another_session() -> None:
    with pytest.raises(LicenseWrongSessionError) as info:
        _verify(KEY, "evening-stretch")
    assert info.value.message == "this key is for the session 'morning-flow', not 'evening-stretch'"
    assert info.value.key_session_id == SESSION
    with pytest.raises(LicenseWrongSessionError, match="not in your library"):
        parse_license(KEY, public_keys={"evening-stretch": PUBLIC})


_mutations = st.lists(
    st.tuples(st.integers(0, len(KEY)), st.integers(0, 2), st.sampled_from(ALPHABET + "-OIL U")),
    min_size=1,
    max_size=4,
)


def _mutate(ops: list[tuple[int, int, str]]) -> str:
    text = KEY
    for position, kind, char in ops:
        cut = position + (kind != 1)  # 0: replace, 1: insert, 2: delete
        text = text[:position] + (char if kind < 2 else "") + text[cut:]
    return text


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(
        st.text(),
        st.text(alphabet=ALPHABET + "-OILU \n"),
        _mutations.map(_mutate),
    )
)
def test_any_text_raises_only_license_errors(text: str) -> None:
    try:
        license_ = parse_license(text, public_keys={SESSION: PUBLIC})
    except LicenseError:
        return
    assert license_.key_text == KEY  # only a harmless change (case, O/0, separators) can succeed


# --- License files ------------------------------------------------------------------------------------


def test_license_file_with_comments() -> None:
    body = KEY[BODY_START:]
    text = f"# Movement Player license\n# for: Ada Lovelace\n\nMP1-{body[:60]}\n{body[60:]}\n"
    assert _verify(read_license_text(text)).key_text == KEY
    with pytest.raises(LicenseMalformedError, match="does not contain"):
        read_license_text("# only a comment\n\n")


# --- Ed25519 vectors ------------------------------------------------------------------------------------


def test_ed25519_vectors_through_signature_step() -> None:
    data = json.loads(ED25519_VECTORS.read_text())
    results = {"valid": 0, "invalid": 0}
    for group in data["testGroups"]:
        public_key = bytes.fromhex(group["publicKey"]["pk"])
        for case in group["tests"]:
            ok = signature_is_valid(public_key, bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"]))
            assert ok == (case["result"] == "valid"), case["tcId"]
            results[case["result"]] += 1
    assert results == {"valid": 88, "invalid": 63}
    assert not signature_is_valid(b"short", b"", bytes(64))


# --- Publisher keys -------------------------------------------------------------------------------------


def test_public_key_text_round_trip_and_errors() -> None:
    text = public_key_to_text(PUBLIC)
    assert len(text) == 44
    assert public_key_from_text(f"  {text}\n").public_bytes_raw() == PUBLIC.public_bytes_raw()
    for bad in ["not base64!", text[:-4], text + "AAAA", ""]:
        with pytest.raises(PublisherKeyError):
            public_key_from_text(bad)


def test_private_key_pem_round_trip_and_wrong_passphrase() -> None:
    pem = private_key_to_encrypted_pem(SECRET, b"correct horse")
    assert b"ENCRYPTED" in pem
    loaded = private_key_from_encrypted_pem(pem, b"correct horse")
    assert loaded.public_key().public_bytes_raw() == PUBLIC.public_bytes_raw()
    with pytest.raises(PublisherKeyError, match="wrong passphrase"):
        private_key_from_encrypted_pem(pem, b"battery staple")
    with pytest.raises(PublisherKeyError):
        private_key_from_encrypted_pem(b"garbage", b"x")
    with pytest.raises(ValueError):
        private_key_to_encrypted_pem(SECRET, b"")


def test_private_key_pem_of_another_algorithm_is_rejected() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    )
    with pytest.raises(PublisherKeyError, match="Ed25519"):
        private_key_from_encrypted_pem(pem, b"pw")
