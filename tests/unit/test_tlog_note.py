"""C2SP signed notes and checkpoints: published examples, round trips, malformed input.

Both the ledger's note module and the auditor's independent verifier/note.py
are exercised on the same inputs.
"""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import verifier.note as vn
from ledger.tlog import note as ln

# golang.org/x/mod/sumdb/note example (also used by the C2SP ecosystem's tests).
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n")
GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

# Verifier keys published in transparency-dev/formats note tests: a 0x01 key whose
# base64 contains '+', and a native cosignature/v1 (0x04) witness key.
PLUS_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
COSIG_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"

# The example checkpoint with a cosignature from c2sp.org/tlog-cosignature.
C2SP_COSIGNED = (
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)


def go_private_key():
    material = base64.b64decode(GO_SKEY.split("+", 4)[4])
    assert material[0] == 0x01
    return Ed25519PrivateKey.from_private_bytes(material[1:])


def test_go_example_signature_is_reproduced_byte_for_byte():
    signer = ln.Ed25519Signer("PeterNeumann", go_private_key())
    assert signer.verifier_key() == GO_VKEY
    assert ln.sign_note(GO_TEXT, [signer]) == GO_NOTE


def test_go_example_verifies_in_both_implementations():
    verifier = ln.Ed25519Verifier.from_verifier_key(GO_VKEY)
    assert ln.open_note(GO_NOTE, [verifier]).text == GO_TEXT
    text, signers = vn.verify_signed_note(GO_NOTE, [vn.parse_verifier_key(GO_VKEY)])
    assert text == GO_TEXT and [k.name for k in signers] == ["PeterNeumann"]


def test_tampered_go_example_is_rejected():
    bad = GO_NOTE.replace("cryptography", "cryptographY")
    with pytest.raises(ln.NoteError):
        ln.open_note(bad, [ln.Ed25519Verifier.from_verifier_key(GO_VKEY)])
    with pytest.raises(vn.NoteVerificationError):
        vn.verify_signed_note(bad, [vn.parse_verifier_key(GO_VKEY)])


def test_key_id_is_sha256_of_name_newline_type_key():
    key = ln.VerifierKey.parse(GO_VKEY)
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + key.public_key).digest()[:4]
    assert key.key_id == expected == bytes.fromhex("c74f20a3")
    assert str(key) == GO_VKEY


@pytest.mark.parametrize("vkey,sig_type", [(GO_VKEY, 0x01), (PLUS_VKEY, 0x01), (COSIG_VKEY, 0x04)])
def test_published_verifier_keys_parse(vkey, sig_type):
    assert ln.VerifierKey.parse(vkey).sig_type == sig_type
    assert str(ln.VerifierKey.parse(vkey)) == vkey
    assert vn.parse_verifier_key(vkey).sig_type == sig_type


@pytest.mark.parametrize("vkey", [
    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong hash
    "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # 7 hex digits
    "PeterNeumann+c74f20a3",  # no key data
    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # bad base64
    "PeterNeumann+c74f20a3+BRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # type changed
])
def test_bad_verifier_keys_rejected(vkey):
    with pytest.raises(ln.NoteError):
        ln.VerifierKey.parse(vkey)
    with pytest.raises(vn.NoteVerificationError):
        vn.parse_verifier_key(vkey)


def test_c2sp_cosigned_example_parses():
    note = ln.parse_note(C2SP_COSIGNED)
    checkpoint = ln.Checkpoint.parse(note.text)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.body() == note.text
    log_sig, witness_sig = note.signatures
    assert len(log_sig.signature) == 64
    assert len(witness_sig.signature) == 8 + 64
    # The spec's example signed message uses "time 1679315147".
    assert int.from_bytes(witness_sig.signature[:8], "big") == 1679315147
    assert note.to_text() == C2SP_COSIGNED
    text, sigs = vn.split_signed_note(C2SP_COSIGNED)
    assert text == note.text and [s.key_id for s in sigs] == [s.key_id for s in note.signatures]


def test_checkpoint_round_trip_and_exact_bytes():
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    signer = ln.Ed25519Signer("serah.example/log", key)
    root = hashlib.sha256(b"").digest()
    checkpoint = ln.Checkpoint("serah.example/log", 0, root, ("ext one",))
    assert checkpoint.body() == ("serah.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n")
    signed = checkpoint.sign(signer)
    opened, note = ln.open_checkpoint(signed, signer.verifier())
    assert opened == checkpoint
    verified = vn.verify_checkpoint(signed, vn.parse_verifier_key(signer.verifier_key()))
    assert (verified.origin, verified.size, verified.root_hash, verified.extensions) == (
        "serah.example/log", 0, root, ("ext one",))


def test_unknown_signatures_are_ignored_but_known_bad_ones_reject():
    a = ln.Ed25519Signer("a.example", Ed25519PrivateKey.generate())
    b = ln.Ed25519Signer("b.example", Ed25519PrivateKey.generate())
    signed = ln.sign_note("hello\n", [a, b])
    assert len(ln.open_note(signed, [a.verifier()]).signatures) == 1
    with pytest.raises(ln.NoteError):
        ln.open_note(signed, [ln.Ed25519Signer("c.example", Ed25519PrivateKey.generate()).verifier()])
    # Same name and key ID as a known key but a forged signature: reject the note.
    forged = ln.Note("hello\n", (ln.NoteSignature("a.example", a.key_id, bytes(64)),) +
                     ln.parse_note(signed).signatures[1:]).to_text()
    with pytest.raises(ln.NoteError):
        ln.open_note(forged, [a.verifier(), b.verifier()])
    with pytest.raises(vn.NoteVerificationError):
        vn.verify_signed_note(forged, [vn.parse_verifier_key(a.verifier_key()), vn.parse_verifier_key(b.verifier_key())])


@pytest.mark.parametrize("message", [
    "no blank line\n\u2014 x AAAAAAA=\n",
    "text\n\n",  # no signature lines
    "text\n\n- x QUJDREVGRw==\n",  # ASCII hyphen instead of em dash
    "text\n\n\u2014 x QUJDREVGRw==",  # no final newline
    "text\n\n\u2014 x QUJD\n",  # shorter than key ID plus one byte
    "te\x07xt\n\n\u2014 x QUJDREVGRw==\n",  # control character
    "text\n\n\u2014 x+y QUJDREVGRw==\n",  # '+' in key name
    "text\n\n\u2014 x QUJDREVGRw\n",  # unpadded base64
])
def test_malformed_notes_rejected(message):
    with pytest.raises(ln.NoteError):
        ln.parse_note(message)
    with pytest.raises(vn.NoteVerificationError):
        vn.split_signed_note(message)


@pytest.mark.parametrize("text", [
    "origin\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # leading zero
    "origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    "origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",  # no padding
    "origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",  # not 32 bytes
    "origin\n12\n",
    "\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # empty origin
    "origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",  # empty extension line
    "origin\n\u0661\u0662\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # non-ASCII digits
])
def test_malformed_checkpoints_rejected(text):
    with pytest.raises(ln.NoteError):
        ln.Checkpoint.parse(text)
    with pytest.raises(vn.NoteVerificationError):
        vn.parse_checkpoint_text(text)


def test_checkpoint_origin_must_match_log_key_name():
    signer = ln.Ed25519Signer("serah.example/log", Ed25519PrivateKey.generate())
    body = ln.Checkpoint("other.example/log", 1, bytes(32)).body()
    signed = ln.sign_note(body, [signer])
    with pytest.raises(ln.NoteError):
        ln.open_checkpoint(signed, signer.verifier())
    with pytest.raises(vn.NoteVerificationError):
        vn.verify_checkpoint(signed, vn.parse_verifier_key(signer.verifier_key()))


# --- SPEC.md section 10.7 worked example ---------------------------------------------

SPEC_LOG_VKEY = "serah.kpu.go.id/3101/pemilu-2024+8a0a198a+ASP3FviGZL3NWquoVfIYwpTfhSaGc40SPJqgfGQmQJhR"
SPEC_WITNESS_VKEY = "bawaslu.go.id/3101/w1+bf46fdbc+BNxpZsZhfNj+Gzmi2FkW3QlRR0qq/bw0CyX5l9tlQyDz"
SPEC_NOTE = (
    "serah.kpu.go.id/3101/pemilu-2024\n"
    "8\n"
    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    "\n"
    "\u2014 serah.kpu.go.id/3101/pemilu-2024 igoZipQLhEKFwcvgy7ckjTIDaiUFJF7Ffs5bXlXOBIY4t2xMgrE4AXem+j5mDynfEl7VoRb4oNpddZBv9DcnTqUglwM=\n"
    "\u2014 bawaslu.go.id/3101/w1 v0b9vAAAAABlzAKARMrpviTTdSCQLwHiGeATJ/cVu8UQ6xqD6gVyKYW6AF5jihC6I/RdjmUG59Nmvmz0KLcp9t0eD2WtHASP9M1lDg==\n"
)


def test_spec_worked_example_is_reproduced():
    from ledger.tlog import tree as lt
    from ledger.tlog import witness as lw

    leaves = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243",
                                         "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
    tree = lt.MerkleTree(lt.MemoryNodeStore())
    tree.extend(leaves)
    seed = hashlib.sha256(b"serah spec example: log key").digest()
    log = ln.Ed25519Signer("serah.kpu.go.id/3101/pemilu-2024", Ed25519PrivateKey.from_private_bytes(seed))
    seed = hashlib.sha256(b"serah spec example: witness key").digest()
    witness = lw.CosignatureSigner("bawaslu.go.id/3101/w1", Ed25519PrivateKey.from_private_bytes(seed))
    checkpoint = ln.Checkpoint("serah.kpu.go.id/3101/pemilu-2024", 8, tree.root())
    note = checkpoint.sign(log) + witness.sign(checkpoint.body(), 1707868800).line()
    assert (log.verifier_key(), witness.verifier_key(), note) == (SPEC_LOG_VKEY, SPEC_WITNESS_VKEY, SPEC_NOTE)
    result = vn.verify_checkpoint(SPEC_NOTE, vn.parse_verifier_key(SPEC_LOG_VKEY),
                                  [vn.parse_verifier_key(SPEC_WITNESS_VKEY)], quorum=1)
    assert result.cosigned_at == {"bawaslu.go.id/3101/w1": 1707868800}
    assert result.root_hash.hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
