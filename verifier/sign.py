"""Ed25519 signature verification with the strictness of SPEC 3.1.

Two interchangeable backends: libsodium through PyNaCl (about twice as fast
here) and OpenSSL through ``cryptography``. They do not reject exactly the
same edge cases on their own (libsodium refuses small-order points, OpenSSL
does not), so the strict rules are applied here, before either backend is
asked, and both then give the same answer on every input:

* S must be reduced: S < L (RFC 8032 5.1.7);
* the public key and R must be canonical encodings (y < p; RFC 8032 5.1.3);
* neither may be a point of small order (SPEC 3.1). With a small-order key
  anyone can forge signatures, so such a key must never pass for a custodian.

Only the bytes are examined; no point arithmetic is needed, because the eight
small-order points have exactly five y-coordinates.
"""

from __future__ import annotations

L = 2**252 + 27742317777372353535851937790883648493
P = 2**255 - 19
_Y_MASK = (1 << 255) - 1

# y-coordinates of the 8 points of order dividing 8: the identity (y = 1), the
# point of order 2 (y = -1), the two of order 4 (y = 0) and the four of order 8.
_Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022
SMALL_ORDER_Y = frozenset({0, 1, P - 1, _Y8, P - _Y8})


# Every encoding (either sign bit) of those y: a set lookup, not arithmetic.
# x = 0 happens only for y = 1 and y = -1, which are small order, so the
# "x = 0 with the sign bit set" non-canonical form is refused here too.
SMALL_ORDER_ENCODINGS = frozenset(
    (y | sign << 255).to_bytes(32, "little") for y in SMALL_ORDER_Y for sign in (0, 1)
)


def acceptable_point(encoded: bytes) -> bool:
    """Canonical (y < p) and not of small order: a public key or an R."""
    if encoded in SMALL_ORDER_ENCODINGS:
        return False
    # y >= p needs the top 248 bits of y all set: test one byte before the integer.
    return (encoded[31] & 0x7F) != 0x7F or (int.from_bytes(encoded, "little") & _Y_MASK) < P


def acceptable_signature(sig: bytes) -> bool:
    """S < L (L is just above 2^252, so a top byte below 0x10 settles it) and R acceptable."""
    return (sig[63] < 0x10 or int.from_bytes(sig[32:], "little") < L) and acceptable_point(sig[:32])


class Backend:
    """Verify one signature; ``verify`` returns a bool and never raises."""

    name = "?"

    def __init__(self):
        self._keys: dict[bytes, object] = {}

    def _key(self, key: bytes):
        """The backend's form of an acceptable key, or False; remembered."""
        good_key = self._keys.get(key)
        if good_key is None:
            good_key = self._load(key) if len(key) == 32 and acceptable_point(key) else False
            if len(self._keys) > 100_000:  # a ledger has thousands of keys, not millions
                self._keys.clear()
            self._keys[key] = good_key
        return good_key

    def verify(self, key: bytes, sig: bytes, message: bytes) -> bool:
        good_key = self._key(key)
        if good_key is False or len(sig) != 64 or not acceptable_signature(sig):
            return False
        return self._verify(good_key, sig, message)

    def verify_many(self, pending: list) -> list:
        """``pending`` holds ``(..., key, signature, message)`` tuples (the last
        three items); return those that do not verify. One loop for a whole
        batch keeps the Ed25519 code hot in the CPU cache."""
        verify = self.verify
        return [entry for entry in pending if not verify(entry[-3], entry[-2], entry[-1])]

    def _load(self, key: bytes):
        raise NotImplementedError

    def _verify(self, loaded, sig: bytes, message: bytes) -> bool:
        raise NotImplementedError


class Sodium(Backend):
    """libsodium's ``crypto_sign_open``, called through PyNaCl's cffi module.

    PyNaCl has no detached-signature binding, and its ``crypto_sign_open``
    wrapper allocates and copies the whole message out on every call; the
    library function is called here directly with one reused output buffer
    (the same C function, a third less Python around it). Without access to
    that module, PyNaCl's public wrapper is used.
    """

    name = "libsodium (PyNaCl)"

    def __init__(self):
        super().__init__()
        from nacl.bindings import crypto_sign_open  # ImportError without PyNaCl: the OpenSSL backend is used

        try:
            from nacl._sodium import ffi, lib

            self._ffi = ffi
            self._open = lib.crypto_sign_open
            self._length = ffi.new("unsigned long long *")
            self._grow(4096)
        except (ImportError, AttributeError):
            from nacl.exceptions import BadSignatureError

            self._public = crypto_sign_open
            self._bad = (BadSignatureError, ValueError, TypeError)
            self._verify = self._verify_public
            self.verify_many = super().verify_many

    def _grow(self, size: int) -> None:
        self._buffer = self._ffi.new("unsigned char[]", size)
        self._size = size

    def _load(self, key):
        return key

    def _verify(self, key, sig, message):
        signed = sig + message
        if len(signed) > self._size:
            self._grow(2 * len(signed))
        return self._open(self._buffer, self._length, signed, len(signed), key) == 0

    def _verify_public(self, key, sig, message):
        try:
            self._public(sig + message, key)
        except self._bad:
            return False
        return True

    def verify_many(self, pending: list) -> list:
        """As ``Backend.verify_many``, with the strictness checks written out."""
        keys, small, open_, length = self._keys, SMALL_ORDER_ENCODINGS, self._open, self._length
        failed = []
        for entry in pending:
            key, sig, message = entry[-3], entry[-2], entry[-1]
            good = keys.get(key)
            if good is None:
                good = self._key(key)
            r = sig[:32]
            if (
                good is False
                or len(sig) != 64
                or (sig[63] >= 0x10 and int.from_bytes(sig[32:], "little") >= L)
                or r in small
                or ((r[31] & 0x7F) == 0x7F and (int.from_bytes(r, "little") & _Y_MASK) >= P)
            ):
                failed.append(entry)
                continue
            signed = sig + message
            if len(signed) > self._size:
                self._grow(2 * len(signed))
            if open_(self._buffer, length, signed, len(signed), key) != 0:
                failed.append(entry)
        return failed


class OpenSSL(Backend):
    """OpenSSL through pyca/cryptography."""

    name = "OpenSSL (cryptography)"

    def __init__(self):
        super().__init__()
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        self._from_bytes = Ed25519PublicKey.from_public_bytes
        self._invalid = InvalidSignature

    def _load(self, key):
        try:
            return self._from_bytes(key)
        except ValueError:
            return False

    def _verify(self, public, sig, message):
        try:
            public.verify(sig, message)
        except self._invalid:
            return False
        return True


BACKENDS = {"sodium": Sodium, "openssl": OpenSSL}


def backend(name: str | None = None) -> Backend:
    """The named backend, or the fastest available (libsodium, else OpenSSL)."""
    if name is not None:
        return BACKENDS[name]()
    try:
        return Sodium()
    except ImportError:
        return OpenSSL()
