"""Tests for player.core.licensing.encryption: Wycheproof Cobblestone-128 vectors, round trips, random access."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from player.core.errors import CryptoError
from player.core.licensing import encryption as chunked
from player.core.licensing.encryption import (
    CHUNK_SIZE,
    HEADER_SIZE,
    SEALED_CHUNK_SIZE,
    TAG_SIZE,
    ChunkedReader,
    ChunkedWriter,
    DamagedMediaError,
    HeaderError,
    InvalidKeySizeError,
    encrypt,
    encrypt_stream,
    media_context,
    plaintext_size,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "testvectors"
VECTORS_FILE = DATA / "c2sp_chunked_encryption_aes_128_gcm_test.json"
KEY = bytes(range(16))
SALT = bytes(range(100, 124))


def _load_vectors() -> list[dict[str, Any]]:
    data = json.loads(VECTORS_FILE.read_text())
    assert data["algorithm"] == "Cobblestone-128"
    tests: list[dict[str, Any]] = []
    for group in data["testGroups"]:
        assert (group["aead"], group["sha"]) == ("AEAD_AES_128_GCM", "SHA-512")
        tests.extend(group["tests"])
    assert len(tests) == data["numberOfTests"] == 35
    return tests


VECTORS = _load_vectors()
_CT_CACHE: dict[int, bytes] = {}


def _ct(vector: dict[str, Any]) -> bytes:
    tc_id: int = vector["tcId"]
    if tc_id not in _CT_CACHE:
        _CT_CACHE[tc_id] = zlib.decompress(bytes.fromhex(vector["ct"]))
    return _CT_CACHE[tc_id]


def _params(vector: dict[str, Any]) -> tuple[bytes, bytes]:
    return bytes.fromhex(vector["key"]), bytes.fromhex(vector["ctx"])


def _vector_id(vector: dict[str, Any]) -> str:
    return f"tc{vector['tcId']}-{vector['result']}-{'+'.join(vector['flags']) or 'plain'}"


def _by_flag(flag: str) -> list[dict[str, Any]]:
    return [v for v in VECTORS if flag in v["flags"]]


@pytest.fixture
def decrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the index of every chunk decryption attempt."""
    calls: list[int] = []
    original = chunked._Cipher.open

    def spy(self: chunked._Cipher, index: int, sealed: bytes) -> bytes:
        calls.append(index)
        return original(self, index, sealed)

    monkeypatch.setattr(chunked._Cipher, "open", spy)
    return calls


# --- Wycheproof vectors: re-encryption and header failures -------------------------------------------


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["result"] == "valid"], ids=_vector_id)
def test_vector_valid_reencrypts_identically_with_its_salt(vector: dict[str, Any]) -> None:
    key, ctx = _params(vector)
    ct = _ct(vector)
    plaintext = ChunkedReader(io.BytesIO(ct), key=key, context=ctx).read()
    assert encrypt(plaintext, key=key, context=ctx, salt=ct[:24]) == ct


@pytest.mark.parametrize("vector", _by_flag("HeaderFailure"), ids=_vector_id)
def test_vector_header_failure_before_any_chunk(vector: dict[str, Any], decrypt_calls: list[int]) -> None:
    key, ctx = _params(vector)
    expected = InvalidKeySizeError if "InvalidKeySize" in vector["flags"] else HeaderError
    with pytest.raises(expected):
        ChunkedReader(io.BytesIO(_ct(vector)), key=key, context=ctx)
    assert decrypt_calls == []


# --- Wycheproof vectors: random access -----------------------------------------------------------


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["result"] == "valid"], ids=_vector_id)
def test_vector_valid_random_access(vector: dict[str, Any]) -> None:
    key, ctx = _params(vector)
    reader = ChunkedReader(io.BytesIO(_ct(vector)), key=key, context=ctx)
    assert reader.size == vector["msgLength"]
    plaintext = reader.read()
    assert hashlib.sha512(plaintext).hexdigest() == vector["msgSha512"]
    assert reader.read() == b""


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS if v["result"] == "invalid" and "HeaderFailure" not in v["flags"]],
    ids=_vector_id,
)
def test_vector_invalid_random_access(vector: dict[str, Any]) -> None:
    key, ctx = _params(vector)
    source = io.BytesIO(_ct(vector))
    if "ValidFinalChunk" not in vector["flags"]:
        with pytest.raises(DamagedMediaError):  # length authentication at open fails
            ChunkedReader(source, key=key, context=ctx)
        return
    reader = ChunkedReader(source, key=key, context=ctx)  # the final chunk is genuine
    with pytest.raises(DamagedMediaError, match=r"damaged or was modified \(chunk \d+\)"):
        reader.read()
    assert reader.tell() == 0


# --- Round trips, lengths, contexts ------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 16383, 16384, 16385, 3 * 16384, 300_000])
def test_round_trip(size: int) -> None:
    plaintext = os.urandom(size)
    ctx = media_context("session-a", "part-1")
    ct = encrypt(plaintext, key=KEY, context=ctx)
    assert len(ct) == HEADER_SIZE + size + TAG_SIZE * (size // CHUNK_SIZE + 1)
    assert plaintext_size(len(ct)) == size
    reader = ChunkedReader(io.BytesIO(ct), key=KEY, context=ctx, ciphertext_size=len(ct))
    assert reader.size == size
    assert reader.read() == plaintext


@pytest.mark.parametrize("piece", [777, CHUNK_SIZE, 20_000])
def test_writer_pieces_and_stream_match_one_shot(piece: int) -> None:
    plaintext = os.urandom(50_000)
    expected = encrypt(plaintext, key=KEY, context=b"c", salt=SALT)
    sink = io.BytesIO()
    with ChunkedWriter(sink, key=KEY, context=b"c", salt=SALT) as writer:
        for start in range(0, len(plaintext), piece):
            writer.write(plaintext[start : start + piece])
    assert sink.getvalue() == expected
    streamed = io.BytesIO()
    assert encrypt_stream(io.BytesIO(plaintext), streamed, key=KEY, context=b"c", salt=SALT) == 50_000
    assert streamed.getvalue() == expected
    with pytest.raises(ValueError):
        writer.write(b"late")


def test_random_salt_differs_and_bad_sizes_rejected() -> None:
    assert encrypt(b"x", key=KEY, context=b"") != encrypt(b"x", key=KEY, context=b"")
    with pytest.raises(InvalidKeySizeError):
        encrypt(b"x", key=KEY[:15], context=b"")
    with pytest.raises(ValueError):
        encrypt(b"x", key=KEY, context=b"", salt=b"short")


def _cuts(ct_len: int) -> list[int]:
    edge = HEADER_SIZE + SEALED_CHUNK_SIZE
    return [0, 23, 55, 56, 57, HEADER_SIZE + TAG_SIZE, edge - 1, edge, edge + 1, edge + 15, ct_len - 1]


@pytest.mark.parametrize("cut_index", range(11))
def test_truncated_ciphertext_fails(cut_index: int) -> None:
    plaintext = os.urandom(20_000)  # one full chunk + 3616-byte final chunk
    ct = encrypt(plaintext, key=KEY, context=b"")
    truncated = ct[: _cuts(len(ct))[cut_index]]
    with pytest.raises(CryptoError):
        ChunkedReader(io.BytesIO(truncated), key=KEY, context=b"").read()
    if len(truncated) < HEADER_SIZE:
        with pytest.raises(HeaderError):
            ChunkedReader(io.BytesIO(truncated), key=KEY, context=b"")


@pytest.mark.parametrize("extra", [b"\x00", b"\x00" * 15, b"\x00" * 16, b"\x00" * 17, b"\x00" * 16400])
def test_extended_ciphertext_fails(extra: bytes) -> None:
    ct = encrypt(os.urandom(20_000), key=KEY, context=b"") + extra
    with pytest.raises(CryptoError):
        ChunkedReader(io.BytesIO(ct), key=KEY, context=b"").read()


def test_extra_genuine_chunk_appended_fails() -> None:
    # Same key and salt: a one-chunk message followed by the genuine final chunk of a two-chunk one.
    plaintext = os.urandom(2 * CHUNK_SIZE)
    longer = encrypt(plaintext, key=KEY, context=b"", salt=SALT)
    ct = encrypt(plaintext[:CHUNK_SIZE], key=KEY, context=b"", salt=SALT) + longer[-TAG_SIZE:]
    with pytest.raises(DamagedMediaError):
        ChunkedReader(io.BytesIO(ct), key=KEY, context=b"")


@pytest.mark.parametrize(("session", "part"), [("session-b", "part-1"), ("session-a", "part-2")])
def test_part_cannot_be_swapped_between_sessions_or_parts(session: str, part: str) -> None:
    ct = encrypt(b"paid movement", key=KEY, context=media_context("session-a", "part-1"))
    with pytest.raises(HeaderError, match="does not unlock"):
        ChunkedReader(io.BytesIO(ct), key=KEY, context=media_context(session, part))


def test_media_context_is_unambiguous() -> None:
    assert media_context("a", "bc") != media_context("ab", "c")
    assert media_context("s", "p").startswith(b"movement-player/media/v1\x00")
    with pytest.raises(ValueError):
        media_context("a\x00b", "c")


def test_wrong_key_is_a_header_error() -> None:
    ct = encrypt(b"x" * 100, key=KEY, context=b"")
    with pytest.raises(HeaderError):
        ChunkedReader(io.BytesIO(ct), key=bytes(16), context=b"")


def test_damaged_chunk_names_the_chunk() -> None:
    ct = bytearray(encrypt(os.urandom(4 * CHUNK_SIZE), key=KEY, context=b""))
    ct[HEADER_SIZE + 3 * SEALED_CHUNK_SIZE + 10] ^= 1
    reader = ChunkedReader(io.BytesIO(bytes(ct)), key=KEY, context=b"")
    assert len(reader.read_at(0, 3 * CHUNK_SIZE)) == 3 * CHUNK_SIZE  # undamaged chunks still readable
    with pytest.raises(DamagedMediaError, match=r"\(chunk 3\)") as info:
        reader.read_at(3 * CHUNK_SIZE, 1)
    assert info.value.chunk == 3


# --- Random access behaviour ---------------------------------------------------------------------------

PLAIN = os.urandom(3 * CHUNK_SIZE + 5000)
CIPHER = encrypt(PLAIN, key=KEY, context=b"hyp", salt=SALT)
EDGES = sorted({k * CHUNK_SIZE + d for k in range(5) for d in (-1, 0, 1)} - {-1})


def test_sequential_small_reads_decrypt_each_chunk_once(decrypt_calls: list[int]) -> None:
    reader = ChunkedReader(io.BytesIO(CIPHER), key=KEY, context=b"hyp")
    out = bytearray()
    while data := reader.read(1000):
        out += data
    assert bytes(out) == PLAIN
    assert decrypt_calls == [3, 0, 1, 2]  # final chunk at open, then each chunk once (3 still cached)


def test_seek_whence_and_bounds() -> None:
    reader = ChunkedReader(io.BytesIO(CIPHER), key=KEY, context=b"hyp")
    assert reader.seek(-10, io.SEEK_END) == len(PLAIN) - 10
    assert reader.read(100) == PLAIN[-10:]
    assert reader.seek(5, io.SEEK_CUR) == len(PLAIN) + 5
    assert reader.read(10) == b""
    assert reader.read_at(len(PLAIN) + 100, 5) == b""
    with pytest.raises(ValueError):
        reader.seek(-1)
    with pytest.raises(ValueError):
        reader.seek(0, 7)
    assert reader.readable() and reader.seekable()


_positions = st.one_of(st.integers(0, len(PLAIN) + 20), st.sampled_from(EDGES))
_ops = st.lists(
    st.tuples(st.sampled_from(["seek", "read", "read_at"]), _positions, st.integers(-1, 2 * CHUNK_SIZE + 3)),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(ops=_ops, cache_chunks=st.integers(1, 4))
def test_random_seek_read_sequences_match_plaintext(
    ops: list[tuple[str, int, int]], cache_chunks: int
) -> None:
    reader = ChunkedReader(io.BytesIO(CIPHER), key=KEY, context=b"hyp", cache_chunks=cache_chunks)
    model = io.BytesIO(PLAIN)
    for op, position, count in ops:
        if op == "seek":
            assert reader.seek(position) == model.seek(position)
        elif op == "read":
            assert reader.read(count) == model.read(count)
        else:
            assert reader.read_at(position, max(count, 0)) == PLAIN[position : position + max(count, 0)]
        assert reader.tell() == model.tell()
