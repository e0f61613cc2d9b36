"""Keys and key files (SPEC 3.5, 7.2)."""

import base64
import hashlib
import os
import pickle
import stat

import pytest

from ledger import keys
from ledger.errors import BadKeyFile, InvalidInput, WrongPassphrase

RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_EMPTY_SIG = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def test_rfc8032_test_1():
    signer = keys.from_seed(RFC8032_SECRET)
    assert signer.public == RFC8032_PUBLIC
    assert signer.sign(b"") == RFC8032_EMPTY_SIG


def test_fingerprint_follows_spec_3_5():
    public = RFC8032_PUBLIC
    number = int.from_bytes(hashlib.sha256(public).digest()[:8], "big") % 10**20
    expected = f"{number:020d}"
    fp = keys.fingerprint(public)
    assert fp.replace("-", "") == expected
    assert [len(g) for g in fp.split("-")] == [5, 5, 5, 5]
    assert keys.from_seed(RFC8032_SECRET).fingerprint == fp


def test_repr_never_shows_key_material():
    signer = keys.from_seed(RFC8032_SECRET)
    text = repr(signer) + str(signer)
    assert RFC8032_SECRET.hex() not in text
    assert base64.b64encode(RFC8032_SECRET).decode() not in text
    assert signer.fingerprint in text


def test_signer_cannot_be_pickled():
    with pytest.raises(TypeError):
        pickle.dumps(keys.generate())


STRONG = "perahu-motor-pulau-pramuka"


def test_save_and_load(tmp_path):
    signer = keys.generate()
    path = tmp_path / "kpps.key"
    keys.save(signer, path, "rahasia sekali", name="Ketua KPPS 001 Pulau Panggang")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN SERAH PRIVATE KEY-----\nkdf: scrypt\n")  # SPEC 7.2
    assert keys.public_path(path) == tmp_path / "kpps.key.pub"
    line = keys.public_path(path).read_text()
    assert line.startswith("serah-ed25519 ")
    assert line.rstrip("\n").endswith("Ketua KPPS 001 Pulau Panggang")
    loaded = keys.load(path, "rahasia sekali")
    assert loaded.public == signer.public
    assert loaded.sign(b"m") == signer.sign(b"m")
    assert keys.read_public(keys.public_path(path)) == signer.public


def test_save_never_overwrites(tmp_path):
    path = tmp_path / "a.key"
    keys.save(keys.generate(), path, STRONG)
    before = path.read_bytes()
    with pytest.raises(BadKeyFile):
        keys.save(keys.generate(), path, STRONG)
    assert path.read_bytes() == before
    # A stray .pub also blocks, and no key file is left behind.
    other = tmp_path / "b.key"
    keys.public_path(other).write_text("x")
    with pytest.raises(BadKeyFile):
        keys.save(keys.generate(), other, STRONG)
    assert not other.exists()


def test_empty_passphrase_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as e:
        keys.save(keys.generate(), tmp_path / "k", "")
    assert e.value.code == "empty_passphrase"


def test_wrong_passphrase(tmp_path):
    path = tmp_path / "k"
    keys.save(keys.generate(), path, STRONG)
    with pytest.raises(WrongPassphrase) as e:
        keys.load(path, "wrong")
    assert e.value.code == "wrong_passphrase"


@pytest.mark.parametrize(
    "content",
    [b"", b"not a key", b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"],
)
def test_bad_key_files(tmp_path, content):
    path = tmp_path / "k"
    path.write_bytes(content)
    with pytest.raises(BadKeyFile):
        keys.load(path, "pw")


def test_unencrypted_key_file_is_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = tmp_path / "plain.key"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(BadKeyFile):
        keys.load(path, "pw")


def test_missing_key_file(tmp_path):
    with pytest.raises(BadKeyFile):
        keys.load(tmp_path / "nope", "pw")


def test_read_public_forms(tmp_path):
    public = RFC8032_PUBLIC
    b64 = base64.b64encode(public).decode()
    assert keys.read_public(f"serah-ed25519 {b64} KPU RI") == public
    assert keys.read_public(f"serah-ed25519 {b64}") == public
    assert keys.read_public(b64) == public
    assert keys.read_public(public.hex()) == public
    assert keys.read_public(f"  {public.hex()}\n") == public
    pub = tmp_path / "x.pub"
    pub.write_text(keys.public_line(public, "nama\ndengan baris") + "\n")
    assert keys.read_public(pub) == public
    assert "\n" not in keys.public_line(public, "nama\ndengan baris")


@pytest.mark.parametrize("text", ["", "serah-ed25519", "zz" * 32, "AAAA", base64.b64encode(b"x" * 31).decode(), "a b c"])
def test_read_public_rejects_garbage(text):
    with pytest.raises(BadKeyFile):
        keys.read_public(text)
