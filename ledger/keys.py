"""Custodian keys: Ed25519 signing keys and their files (SPEC 3.5, 7.2).

The dangerous part, the private key, lives only inside :class:`Signer` and in
its passphrase-encrypted file. Nothing here writes it unencrypted, logs it or
shows it in a ``repr``. Public keys travel as 32 raw bytes, as a ``.pub`` text
line, or read aloud as a fingerprint.

Key files (SPEC 7.2) are encrypted with a key derived by scrypt, a
memory-hard function: PBKDF2 with 2,048 iterations (what PKCS#8's "best
available encryption" gave) let one core try 2,324 passphrases a second; at
the minimum cost here (n = 2^17, r = 8: 128 MiB and about 0.3 s per try) a
guesser needs that memory for every guess. Weak passphrases are refused
(the ``zxcvbn`` estimator), and a key file that group or others may read is
refused, as ssh does. Old PKCS#8 files are still read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ledger.errors import BadKeyFile, InvalidInput, WrongPassphrase

__all__ = [
    "Signer",
    "generate",
    "from_seed",
    "save",
    "load",
    "public_path",
    "read_public",
    "public_line",
    "fingerprint",
    "check_passphrase",
    "encrypt",
    "is_current",
    "upgrade",
]

PUBLIC_PREFIX = "serah-ed25519"

#: SPEC 7.2: the key file's armour.
BEGIN, END = "-----BEGIN SERAH PRIVATE KEY-----", "-----END SERAH PRIVATE KEY-----"
#: SPEC 7.2: scrypt cost. The minimum a key file may have (128 MiB of memory
#: per guess), and the most it may ask (so a hostile file cannot make a load
#: allocate gigabytes).
SCRYPT_R, SCRYPT_P = 8, 1
SCRYPT_MIN_LOG_N, SCRYPT_MAX_LOG_N = 17, 20
#: The test suite's cost (n = 2^10): files written with it are refused unless
#: this variable is "1" when they are read. Never set it in production.
INSECURE_TEST_KDF = "SERAH_INSECURE_TEST_KDF"
TEST_LOG_N = 10
#: zxcvbn's score (0-4) a new passphrase must reach: 3 is "safely unguessable".
MIN_PASSPHRASE_SCORE = 3


class Signer:
    """An Ed25519 private key that can sign and tell its public key."""

    __slots__ = ("_key", "public")

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        #: The 32-byte raw public key (SPEC 2.2 "key").
        self.public: bytes = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, message: bytes) -> bytes:
        """Returns the 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def __repr__(self) -> str:
        return f"Signer({self.fingerprint})"

    def __reduce__(self):
        # Pickling would copy the private key out of this object unencrypted
        # (for example into a multiprocessing pipe); refuse it.
        raise TypeError("a Signer cannot be pickled; load it from its key file")


def generate() -> Signer:
    """Returns a new random key."""
    return Signer(Ed25519PrivateKey.generate())


def from_seed(seed: bytes) -> Signer:
    """Returns the key with the given 32-byte RFC 8032 secret (test vectors)."""
    return Signer(Ed25519PrivateKey.from_private_bytes(bytes(seed)))


def public_path(path: str | os.PathLike[str]) -> Path:
    """The public key file that goes with a key file: ``PATH.pub``."""
    return Path(os.fspath(path) + ".pub")


def save(
    signer: Signer,
    path: str | os.PathLike[str],
    passphrase: str,
    name: str = "",
) -> None:
    """Writes the encrypted key to ``path`` (mode 0600) and ``PATH.pub``.

    Neither file may exist already: a key file is never overwritten, since that
    would destroy the only copy of a custodian's key.
    """
    if not passphrase:
        raise InvalidInput("empty_passphrase")
    check_passphrase(passphrase, [name, Path(path).stem])
    path = Path(path)
    pub = public_path(path)
    for target in (path, pub):
        if target.exists():
            raise BadKeyFile(path=str(target), detail="file exists; refusing to overwrite")
    pem = encrypt(signer, passphrase)
    try:
        _write_new(path, pem, 0o600)
    except OSError as e:
        raise BadKeyFile(path=str(path), detail=e.strerror or "cannot write") from None
    try:
        _write_new(pub, (public_line(signer.public, name) + "\n").encode("utf-8"), 0o644)
    except BaseException as e:
        path.unlink()
        if isinstance(e, OSError):
            raise BadKeyFile(path=str(pub), detail=e.strerror or "cannot write") from None
        raise


def check_passphrase(passphrase: str, context: list[str] | tuple[str, ...] = ()) -> None:
    """Refuses a passphrase the zxcvbn estimator scores below
    :data:`MIN_PASSPHRASE_SCORE` (``12345678``, ``password``, eight spaces,
    the key's own name ...). ``context``: words it must not lean on."""
    from zxcvbn import zxcvbn  # a well-kept estimator (dictionaries, keyboard walks, dates, l33t)

    words = [w for w in context if w]
    result = zxcvbn(passphrase[:100], user_inputs=words)  # its cost grows with length; 100 is plenty
    if result["score"] < MIN_PASSPHRASE_SCORE:
        raise InvalidInput("weak_passphrase", score=result["score"], needed=MIN_PASSPHRASE_SCORE)


def encrypt(signer: Signer, passphrase: str) -> bytes:
    """The SPEC 7.2 key file text of ``signer``, encrypted under ``passphrase``."""
    log_n = TEST_LOG_N if os.environ.get(INSECURE_TEST_KDF) == "1" else SCRYPT_MIN_LOG_N
    salt, nonce = os.urandom(16), os.urandom(12)
    head = _header(log_n, salt, nonce, signer.public)
    key = _derive(passphrase, salt, log_n)
    seed = signer._key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    data = AESGCM(key).encrypt(nonce, seed, head.encode("ascii"))
    return (head + f"data: {base64.b64encode(data).decode()}\n{END}\n").encode("ascii")


def _header(log_n: int, salt: bytes, nonce: bytes, public: bytes) -> str:
    """Every line before ``data``: the AES-GCM associated data, so no
    parameter (cost, salt, public key) can be changed without the file
    failing to open."""
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return (f"{BEGIN}\nkdf: scrypt\nn: {1 << log_n}\nr: {SCRYPT_R}\np: {SCRYPT_P}\nsalt: {b64(salt)}\n"
            f"cipher: aes-256-gcm\nnonce: {b64(nonce)}\npublic: {b64(public)}\n")


def _derive(passphrase: str, salt: bytes, log_n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=1 << log_n, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def _decrypt(data: bytes, passphrase: str, where: str) -> Signer:
    """Opens a SPEC 7.2 key file; refuses a cost below the minimum."""
    try:
        lines = data.decode("ascii").split("\n")
        fields = dict(line.split(": ", 1) for line in lines[1:10])
        log_n = int(fields["n"]).bit_length() - 1
        salt, nonce = base64.b64decode(fields["salt"], validate=True), base64.b64decode(fields["nonce"], validate=True)
        public = base64.b64decode(fields["public"], validate=True)
        sealed = base64.b64decode(fields["data"], validate=True)
        ok = (lines[0] == BEGIN and lines[10] == END and fields["kdf"] == "scrypt"
              and fields["cipher"] == "aes-256-gcm" and int(fields["n"]) == 1 << log_n
              and (int(fields["r"]), int(fields["p"])) == (SCRYPT_R, SCRYPT_P)
              and len(salt) == 16 and len(nonce) == 12 and len(public) == 32 and len(sealed) == 48)
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, binascii.Error):
        ok = False
    if not ok:
        raise BadKeyFile(path=where, detail="damaged key file")
    test_cost = log_n == TEST_LOG_N and os.environ.get(INSECURE_TEST_KDF) == "1"
    if not (SCRYPT_MIN_LOG_N <= log_n <= SCRYPT_MAX_LOG_N or test_cost):
        raise BadKeyFile(path=where, detail=f"scrypt cost n = 2^{log_n} is outside 2^{SCRYPT_MIN_LOG_N}..2^{SCRYPT_MAX_LOG_N}")
    head = _header(log_n, salt, nonce, public)
    try:
        seed = AESGCM(_derive(passphrase, salt, log_n)).decrypt(nonce, sealed, head.encode("ascii"))
    except InvalidTag:
        raise WrongPassphrase(path=where) from None
    signer = Signer(Ed25519PrivateKey.from_private_bytes(seed))
    if signer.public != public:
        raise BadKeyFile(path=where, detail="the public key does not match the private key")
    return signer


def is_current(path: str | os.PathLike[str]) -> bool:
    """True when the key file is already in this version's format at the
    production cost or more (SPEC 7.2); False for PKCS#8 or a cheaper cost."""
    try:
        data = Path(path).read_bytes()[:4096].decode("ascii")
        fields = dict(line.split(": ", 1) for line in data.split("\n")[1:5])
        return data.startswith(BEGIN) and int(fields["n"]) >= 1 << SCRYPT_MIN_LOG_N
    except (OSError, UnicodeDecodeError, ValueError, KeyError):
        return False


def upgrade(path: str | os.PathLike[str], passphrase: str) -> Signer:
    """Rewrites a key file (PKCS#8, or a cheaper scrypt cost) in the current
    format under the same passphrase, which must meet today's strength rule.
    The new file is written beside it, checked to open to the same key, and
    only then renamed over the old one: the key is never lost half-way."""
    path = Path(path)
    signer = load(path, passphrase)
    check_passphrase(passphrase, [path.stem])
    tmp = path.with_name(f".{path.name}.{os.getpid()}.upgrade")
    try:
        _write_new(tmp, encrypt(signer, passphrase), 0o600)
        if load(tmp, passphrase).public != signer.public:
            raise BadKeyFile(path=str(tmp), detail="the rewritten key does not open to the same key")
        os.replace(tmp, path)
    except OSError as e:
        raise BadKeyFile(path=str(path), detail=e.strerror or "cannot write") from None
    finally:
        tmp.unlink(missing_ok=True)
    return signer


def load(path: str | os.PathLike[str], passphrase: str) -> Signer:
    """Reads and decrypts a key file written by :func:`save` (or an older
    PKCS#8 one). Refuses a file group or others may read, as ssh does: the
    passphrase is then the only protection left, and it may be guessed offline."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            data = handle.read(64 * 1024)
    except OSError as e:
        raise BadKeyFile(path=where, detail=e.strerror or "cannot read") from None
    if mode & 0o077:
        raise BadKeyFile(path=where, detail=f"readable by others (mode {mode:04o}); run: chmod 600 {where}")
    if data.startswith(BEGIN.encode("ascii")):
        return _decrypt(data, passphrase, where)
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data:
        raise BadKeyFile(path=str(path), detail="not an encrypted private key (PEM)")
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except ValueError as e:
        if "password" in str(e).lower() or "decrypt" in str(e).lower():
            raise WrongPassphrase(path=str(path)) from None
        raise BadKeyFile(path=str(path), detail="damaged key file") from None
    except TypeError:
        raise BadKeyFile(path=str(path), detail="key file is not encrypted") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKeyFile(path=str(path), detail="not an Ed25519 key")
    return Signer(key)


def public_line(public: bytes, name: str = "") -> str:
    """The ``.pub`` text form: ``serah-ed25519 <base64 key> <name>``."""
    line = f"{PUBLIC_PREFIX} {base64.b64encode(_check_public(public)).decode()}"
    name = " ".join(name.split())  # one line, whatever the name holds
    return f"{line} {name}" if name else line


def read_public(source: str | os.PathLike[str]) -> bytes:
    """Returns a 32-byte public key from a ``.pub`` file or key text.

    ``source`` is a path to a ``.pub`` file, or the text itself: a
    ``serah-ed25519 ...`` line, base64 (44 characters) or hex (64 digits).
    """
    text = os.fspath(source)
    where = text
    try:
        if Path(text).is_file():
            text = Path(text).read_text("utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        raise BadKeyFile(path=where, detail="cannot read public key") from None
    words = text.split()
    if words and words[0] == PUBLIC_PREFIX:
        words = words[1:2]
    if len(words) != 1:
        raise BadKeyFile(path=_short(where), detail="no public key found")
    word = words[0]
    try:
        if len(word) == 64:
            key = bytes.fromhex(word)
        else:
            key = base64.b64decode(word, validate=True)
    except (ValueError, binascii.Error):
        raise BadKeyFile(path=_short(where), detail="public key is not base64 or hex") from None
    if len(key) != 32:
        raise BadKeyFile(path=_short(where), detail="public key is not 32 bytes")
    return key


def fingerprint(public: bytes) -> str:
    """SPEC 3.5: 20 decimal digits in groups of 5, for reading a key aloud."""
    number = int.from_bytes(hashlib.sha256(public).digest()[:8], "big") % 10**20
    digits = f"{number:020d}"
    return "-".join(digits[i : i + 5] for i in range(0, 20, 5))


def verifier_key(public: bytes) -> Ed25519PublicKey:
    """The ``cryptography`` public key object for raw bytes."""
    return Ed25519PublicKey.from_public_bytes(_check_public(public))


def _check_public(public: bytes) -> bytes:
    if type(public) is not bytes or len(public) != 32:
        raise InvalidInput(detail="a public key is 32 bytes")
    return public


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: fail rather than replace a file that appeared meanwhile.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    os.chmod(path, mode)  # the umask may have narrowed or widened nothing else


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
