"""Issue 10, finding 8: small-order and non-canonical Ed25519 public keys are refused; every genuine key
(the Wycheproof vectors' keys among them) is accepted."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from player.core.licensing.keys import PublisherKeyError, generate_keypair, public_key_from_text, signature_is_valid
from player.core.licensing.points import public_key_problem
from tests.conftest import DATA

VECTORS = json.loads((DATA / "testvectors" / "ed25519_test.json").read_text())
IDENTITY = bytes([1]) + bytes(31)
SMALL_ORDER = [
    IDENTITY,
    bytes([0xEC]) + b"\xff" * 30 + bytes([0x7F]),  # order 2
    bytes(32), bytes(31) + bytes([0x80]),  # order 4
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),  # order 8
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
]
NON_CANONICAL = [
    bytes([0xED]) + b"\xff" * 30 + bytes([0x7F]),  # y = p
    bytes([0xEE]) + b"\xff" * 30 + bytes([0x7F]),  # y = p + 1 (the identity again)
    bytes([0x01]) + bytes(30) + bytes([0x80]),  # the identity with the sign bit set ("negative zero")
    bytes([0x02]) + bytes(31),  # y = 2: no curve point has it
]


def test_the_identity_lets_one_fixed_signature_verify_anything_in_openssl_but_not_here() -> None:
    forged = IDENTITY + bytes(32)  # R = identity, S = 0
    accepted_by_openssl = []
    for message in (b"any message", b"another one"):
        try:
            Ed25519PublicKey.from_public_bytes(IDENTITY).verify(forged, message)
            accepted_by_openssl.append(True)
        except Exception:  # noqa: BLE001 - OpenSSL builds differ: what matters is our answer below
            accepted_by_openssl.append(False)
        assert not signature_is_valid(IDENTITY, message, forged)
    with pytest.raises(PublisherKeyError, match="small-order point"):
        public_key_from_text(base64.b64encode(IDENTITY).decode())
    print("OpenSSL accepts the identity's fixed signature:", accepted_by_openssl)


@pytest.mark.parametrize("raw", SMALL_ORDER)
def test_small_order_points_are_refused(raw: bytes) -> None:
    assert "small-order" in public_key_problem(raw)
    with pytest.raises(PublisherKeyError):
        public_key_from_text(base64.b64encode(raw).decode())


@pytest.mark.parametrize("raw", NON_CANONICAL)
def test_non_canonical_encodings_are_refused(raw: bytes) -> None:
    assert "not a canonical encoding" in public_key_problem(raw)


def test_a_genuine_key_plus_a_small_order_point_is_refused() -> None:
    """Mixed order: not small, but outside the prime-order subgroup that every genuine key lies in."""
    from player.core.licensing import points

    genuine = points._decode(generate_keypair()[1].public_bytes_raw())
    order_two = points._decode(SMALL_ORDER[1])
    assert genuine is not None and order_two is not None
    x, y, z, _t = points._add(genuine, order_two)
    inverse = pow(z, points._P - 2, points._P)
    x, y = x * inverse % points._P, y * inverse % points._P
    raw = (y | ((x & 1) << 255)).to_bytes(32, "little")
    assert public_key_problem(raw) == "is not in the prime-order subgroup (no genuine key is)"


def test_every_wycheproof_public_key_and_fresh_keys_are_accepted() -> None:
    keys = {bytes.fromhex(group["publicKey"]["pk"]) for group in VECTORS["testGroups"]}
    keys |= {generate_keypair()[1].public_bytes_raw() for _ in range(20)}
    assert len(keys) > 60
    assert [raw.hex() for raw in keys if public_key_problem(raw)] == []


def test_wycheproof_signatures_verify_as_the_vectors_say() -> None:
    for group in VECTORS["testGroups"]:
        public = bytes.fromhex(group["publicKey"]["pk"])
        for case in group["tests"]:
            valid = signature_is_valid(public, bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"]))
            assert valid == (case["result"] == "valid"), case["tcId"]
