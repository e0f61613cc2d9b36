"""Just enough edwards25519 arithmetic to ask one question of a key (SPEC 3.1, 4.2):
is it a point of the prime-order subgroup, other than the identity?

RFC 8032 lets a verifier use the cofactored equation [8][S]B = [8]R + [8][k]A
or the cofactorless one [S]B = R + [k]A. For a key with a small-order
component (a "mixed-order" key, A = [a]B + T, T of order 2, 4 or 8) the two
disagree: a signature can pass the first and fail the second. Libraries
differ (libsodium and OpenSSL are cofactorless, ZIP-215 libraries cofactored),
so such a key would make verifiers disagree about a record. SPEC 1.1 refuses
them at enrolment, where a key is checked once; signatures stay on the fast
path. Extended coordinates (Hisil et al. 2008), plain Python integers: about
three milliseconds per key; libsodium, when present, answers in 50 us. Only
enrolled and root keys are ever asked, in the worker processes (V6 through
``verifier.checks.examine_batch``), so the sequential rules pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, -1, P) % P
_SQRT_M1 = pow(2, (P - 1) // 4, P)

Point = tuple[int, int, int, int]  # X, Y, Z, T with x = X/Z, y = Y/Z, x*y = T/Z
IDENTITY: Point = (0, 1, 1, 0)


def decode(encoded: bytes) -> Point | None:
    """RFC 8032 5.1.3: the point, or None for a non-canonical y or an x that does not exist."""
    if len(encoded) != 32:
        return None
    number = int.from_bytes(encoded, "little")
    sign, y = number >> 255, number & ((1 << 255) - 1)
    if y >= P:
        return None
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if v * x * x % P == (-u) % P:
        x = x * _SQRT_M1 % P
    elif v * x * x % P != u:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def add(p: Point, q: Point) -> Point:
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a, b = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
    c, d = 2 * t1 * t2 * D % P, 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def multiply(scalar: int, p: Point) -> Point:
    out = IDENTITY
    while scalar:
        if scalar & 1:
            out = add(out, p)
        p = add(p, p)
        scalar >>= 1
    return out


def is_identity(p: Point) -> bool:
    x, y, z, _ = p
    return x % P == 0 and (y - z) % P == 0


def prime_order_reference(encoded: bytes) -> bool:
    """True for the canonical encoding of a point of order exactly L: not the identity,
    not of small order, not of mixed order ([L]A is the identity only for those)."""
    point = decode(encoded)
    return point is not None and not is_identity(point) and is_identity(multiply(L, point))


try:  # libsodium answers the same question ~50 times faster (crypto_core_ed25519_is_valid_point)
    from nacl.bindings import crypto_core_ed25519_is_valid_point

    _sodium_valid_point: Callable[[bytes], bool] | None = crypto_core_ed25519_is_valid_point
except ImportError:  # the verifier installed without PyNaCl: the reference arithmetic above
    _sodium_valid_point = None


@lru_cache(maxsize=4096)
def prime_order(encoded: bytes) -> bool:
    """``prime_order_reference``, through libsodium when it is installed (tests compare the two)."""
    if _sodium_valid_point is not None and len(encoded) == 32:
        return bool(_sodium_valid_point(encoded))
    return prime_order_reference(encoded)
