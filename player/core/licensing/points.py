"""Which 32-byte strings are acceptable Ed25519 public keys: canonical encodings of points in the
prime-order subgroup.

OpenSSL verifies signatures against any point that decodes, including the eight small-order points:
with the identity as the public key, one fixed signature (R = identity, S = 0) verifies every message.
A genuine public key is ``a * B`` for a secret scalar ``a``, so it always lies in the prime-order
subgroup; refusing every other point (small-order, mixed-order) and every non-canonical encoding
(y >= p, or "negative zero" x) never refuses a real key. Plain integer arithmetic (RFC 8032, 5.1.3):
this runs once per manifest, not per frame.
"""

from __future__ import annotations

_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_L = 2**252 + 27742317777372353535851937790883648493  # order of the prime subgroup
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z
_IDENTITY: _Point = (0, 1, 1, 0)


def public_key_problem(raw: bytes) -> str:
    """Why ``raw`` is not an acceptable Ed25519 public key, or "" when it is.

    Refused: not 32 bytes, a non-canonical encoding, bytes that are no curve point, and points outside
    the prime-order subgroup (the identity and the other small-order points among them).
    """
    if len(raw) != 32:
        return f"has {len(raw)} bytes, expected 32"
    point = _decode(raw)
    if point is None:
        return "is not a canonical encoding of a curve point"
    if _is_identity(_multiply(8, point)):
        return "is a small-order point (such a key would accept forged signatures)"
    if not _is_identity(_multiply(_L, point)):
        return "is not in the prime-order subgroup (no genuine key is)"
    return ""


def _decode(raw: bytes) -> _Point | None:
    number = int.from_bytes(raw, "little")
    sign, y = number >> 255, number & ((1 << 255) - 1)
    if y >= _P:
        return None
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x = u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P) % _P
    if (v * x * x - u) % _P != 0:
        x = x * _SQRT_M1 % _P
        if (v * x * x - u) % _P != 0:
            return None
    if x == 0 and sign:
        return None  # "negative zero": a second encoding of a point whose x is 0
    if x & 1 != sign:
        x = _P - x
    return (x, y, 1, x * y % _P)


def _add(a: _Point, b: _Point) -> _Point:
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa, bb = (y1 - x1) * (y2 - x2) % _P, (y1 + x1) * (y2 + x2) % _P
    cc, dd = 2 * t1 * t2 * _D % _P, 2 * z1 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: _Point) -> _Point:
    result = _IDENTITY
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _is_identity(point: _Point) -> bool:
    x, y, z, _t = point
    return x % _P == 0 and (y - z) % _P == 0
