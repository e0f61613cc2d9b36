"""Strict Ed25519 verification (SPEC 3.1, RFC 8032 5.1.7).

``cryptography`` verifies signatures; this module adds what the SPEC also
refuses and libraries disagree about: a non-canonical S or point encoding,
and keys or R of small order (with such a key anyone can forge). The
small-order points are computed here from the curve's constants rather than
copied as a table, so the arithmetic can be checked.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from nacl.bindings import crypto_core_ed25519_is_valid_point

from ledger import keys

__all__ = ["prime_order_key", "verify_signature"]

# Ed25519 group order and field prime, for the strict checks of RFC 8032 5.1.7.
_L = 2**252 + 27742317777372353535851937790883648493
_P = 2**255 - 19


def verify_signature(key: bytes, sig: bytes, message: bytes) -> bool:
    """Strict Ed25519 verification (SPEC 3.1, RFC 8032 5.1.7), refusing
    keys and R of small order too."""
    if int.from_bytes(sig[32:], "little") >= _L:
        return False
    if not _canonical_point(sig[:32]) or not _canonical_point(key):
        return False
    if sig[:32] in _SMALL_ORDER or key in _SMALL_ORDER:
        return False
    try:
        _public_key(key).verify(sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _sqrts(a: int) -> list[int]:
    """Square roots mod p (p = 5 mod 8), none when ``a`` is not a square."""
    a %= _P
    root = pow(a, (_P + 3) // 8, _P)
    if root * root % _P != a:
        root = root * pow(2, (_P - 1) // 4, _P) % _P  # times sqrt(-1)
    return sorted({root, _P - root}) if root * root % _P == a else []


def _small_order_encodings() -> frozenset[bytes]:
    """Encodings of the 8 points whose order divides 8 (SPEC 3.1): with
    such a key anyone can forge, and libraries disagree about them. They
    have y = 1, -1, 0, or y^2 = (-1 +- sqrt(1 + d)) / d (order 8), with
    either sign bit."""
    d = -121665 * pow(121666, -1, _P) % _P
    ys = {0, 1, _P - 1}
    for s in _sqrts(1 + d):
        ys.update(_sqrts((s - 1) * pow(d, -1, _P)))
    return frozenset((y | sign << 255).to_bytes(32, "little") for y in ys for sign in (0, 1))


def _canonical_point(encoded: bytes) -> bool:
    # The y coordinate must be reduced mod p; the sign bit is the top bit.
    return int.from_bytes(encoded, "little") & ((1 << 255) - 1) < _P


_SMALL_ORDER = _small_order_encodings()




@lru_cache(maxsize=4096)
def _public_key(key: bytes) -> Any:
    return keys.verifier_key(key)


@lru_cache(maxsize=4096)
def prime_order_key(key: bytes) -> bool:
    """SPEC 4.2: a key may be enrolled (or be a root) only if it encodes a point of
    order exactly L. The identity, the small-order points and mixed-order points
    (a prime-order point plus a small-order one) are refused: for the last, RFC
    8032's cofactored and cofactorless equations disagree, so two correct
    verifiers could disagree about a record.

    libsodium's ``crypto_core_ed25519_is_valid_point`` answers exactly this
    (canonical, on the curve, not of small order, [L]A the identity) in about
    50 us; the affine Python arithmetic it replaces took 10 ms a key, a
    quarter of ``serah demo``'s 111 enrolments. The verifier keeps its own
    pure-Python reference (``verifier.edwards``); tests compare the two."""
    return len(key) == 32 and bool(crypto_core_ed25519_is_valid_point(key))
