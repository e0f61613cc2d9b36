"""Witness cosigning (c2sp.org/tlog-cosignature): happy path, refusals, durable state."""

import hashlib
import json
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import verifier.note as vn
from ledger.tlog import note as ln
from ledger.tlog import tree as lt
from ledger.tlog import witness as lw

ORIGIN = "serah.example/log"


class Clock:
    def __init__(self, now=1_700_000_000):
        self.now = now

    def __call__(self):
        self.now += 1
        return self.now


@pytest.fixture
def operator():
    return ln.Ed25519Signer(ORIGIN, Ed25519PrivateKey.from_private_bytes(b"\x01" * 32))


@pytest.fixture
def log():
    return lt.MerkleTree(lt.MemoryNodeStore())


@pytest.fixture
def witness(tmp_path, operator):
    key = Ed25519PrivateKey.from_private_bytes(b"\x02" * 32)
    return lw.Witness("bawaslu.example/w1", key, tmp_path / "witness.json",
                      {ORIGIN: operator.verifier()}, clock=Clock(), first_time=True)


def grow(log, count):
    log.extend(b"envelope-%d" % i for i in range(log.size, log.size + count))


def checkpoint(log, operator, size=None, root=None):
    size = log.size if size is None else size
    root = log.root(size) if root is None else root
    return ln.Checkpoint(ORIGIN, size, root).sign(operator)


def test_cosignature_verifies_with_both_implementations(witness, operator, log):
    grow(log, 10)
    note = checkpoint(log, operator)
    line = witness.cosign(note, [])
    cosigned = note + line
    # Ledger side.
    cosig_verifier = lw.CosignatureVerifier.from_verifier_key(witness.verifier_key())
    opened = ln.open_note(cosigned, [operator.verifier(), cosig_verifier])
    assert len(opened.signatures) == 2
    # Auditor side, with a quorum of one witness.
    result = vn.verify_checkpoint(cosigned, vn.parse_verifier_key(operator.verifier_key()),
                                  [vn.parse_verifier_key(witness.verifier_key())], quorum=1)
    assert (result.size, result.root_hash) == (10, log.root())
    assert result.cosigned_at == {"bawaslu.example/w1": 1_700_000_001}


def test_cosignature_bytes_follow_the_spec(witness, operator, log):
    grow(log, 3)
    note = checkpoint(log, operator)
    line = witness.cosign(note, [])
    sig = ln.NoteSignature.parse_line(line.rstrip("\n"))
    public_key = witness.signer.public_key
    assert sig.key_id == hashlib.sha256(b"bawaslu.example/w1\n\x04" + public_key).digest()[:4]
    timestamp, signature = struct.unpack(">Q", sig.signature[:8])[0], sig.signature[8:]
    message = f"cosignature/v1\ntime {timestamp}\n".encode() + ln.parse_note(note).text.encode()
    assert ln.ed25519_verify(public_key, signature, message)
    assert witness.verifier_key().split("+")[2].startswith("B")  # base64 of 0x04 || key


def test_cosignature_is_not_a_plain_note_signature(witness, operator, log):
    """A witness key with type 0x01 must not accept a cosignature, and vice versa."""
    grow(log, 3)
    cosigned = checkpoint(log, operator) + witness.cosign(checkpoint(log, operator), [])
    plain = ln.Ed25519Verifier("bawaslu.example/w1", witness.signer.public_key)
    assert plain.key_id != witness.signer.key_id
    opened = ln.open_note(cosigned, [operator.verifier(), plain])
    assert [s.name for s in opened.signatures] == [ORIGIN]


def test_witness_follows_a_growing_log(witness, operator, log):
    grow(log, 5)
    witness.cosign(checkpoint(log, operator), [])
    for extra in (1, 7, 64, 3):
        old = log.size
        grow(log, extra)
        witness.cosign(checkpoint(log, operator), log.consistency_proof(old))
    state = json.loads(witness.state.path.read_text())
    assert state["logs"][ORIGIN]["size"] == log.size
    # Re-presenting the same checkpoint is fine (a fresh timestamp, same statement).
    witness.cosign(checkpoint(log, operator), [])


def test_rollback_is_refused(witness, operator, log):
    grow(log, 20)
    witness.cosign(checkpoint(log, operator), [])
    before = witness.state.path.read_bytes()
    with pytest.raises(lw.RollbackError):
        witness.cosign(checkpoint(log, operator, size=19), [])
    assert witness.state.path.read_bytes() == before


def test_same_size_different_root_is_a_split_view(witness, operator, log):
    grow(log, 20)
    witness.cosign(checkpoint(log, operator), [])
    fork = lt.MerkleTree(lt.MemoryNodeStore())
    fork.extend(b"envelope-%d" % i for i in range(19))
    fork.append(b"a different 20th envelope")
    with pytest.raises(lw.SplitViewError):
        witness.cosign(checkpoint(fork, operator), [])


def test_fork_that_grew_is_caught_by_the_proof(witness, operator, log):
    grow(log, 20)
    witness.cosign(checkpoint(log, operator), [])
    fork = lt.MerkleTree(lt.MemoryNodeStore())
    fork.extend(b"envelope-%d" % i for i in range(19))
    fork.extend([b"rewritten", b"more"])
    with pytest.raises(lw.InconsistentProofError) as caught:
        witness.cosign(checkpoint(fork, operator), fork.consistency_proof(20))
    assert isinstance(caught.value, lw.SplitViewError)
    # A genuine proof from the honest log does not fit the fork either.
    grow(log, 1)
    with pytest.raises(lw.SplitViewError):
        witness.cosign(checkpoint(fork, operator), log.consistency_proof(20))


def test_missing_or_garbage_proof_is_refused(witness, operator, log):
    grow(log, 8)
    witness.cosign(checkpoint(log, operator), [])
    grow(log, 8)
    with pytest.raises(lw.InconsistentProofError):
        witness.cosign(checkpoint(log, operator), [])
    with pytest.raises(lw.InconsistentProofError):
        witness.cosign(checkpoint(log, operator), [b"\x00" * 32])
    with pytest.raises(lw.InconsistentProofError):
        witness.cosign(checkpoint(log, operator), [b"short"])


def test_first_checkpoint_must_not_carry_a_proof(witness, operator, log):
    grow(log, 4)
    with pytest.raises(lw.InconsistentProofError):
        witness.cosign(checkpoint(log, operator), log.consistency_proof(2))


def test_unknown_log_and_bad_signatures_are_refused(witness, operator, log):
    grow(log, 4)
    stranger = ln.Ed25519Signer("elsewhere.example/log", Ed25519PrivateKey.generate())
    with pytest.raises(lw.UnknownLogError):
        witness.cosign(ln.Checkpoint("elsewhere.example/log", 4, log.root()).sign(stranger), [])
    impostor = ln.Ed25519Signer(ORIGIN, Ed25519PrivateKey.generate())
    with pytest.raises(lw.BadCheckpointError):
        witness.cosign(checkpoint(log, impostor), [])
    tampered = checkpoint(log, operator).replace("\n4\n", "\n5\n")
    with pytest.raises(lw.BadCheckpointError):
        witness.cosign(tampered, [])
    assert not witness.state.path.exists()


def test_state_survives_a_restart(tmp_path, operator, log):
    key = Ed25519PrivateKey.from_private_bytes(b"\x03" * 32)
    path = tmp_path / "w.json"
    grow(log, 12)
    lw.Witness("w.example", key, path, {ORIGIN: operator.verifier()}, first_time=True).cosign(checkpoint(log, operator), [])
    restarted = lw.Witness("w.example", key, path, {ORIGIN: operator.verifier()})
    with pytest.raises(lw.RollbackError):
        restarted.cosign(checkpoint(log, operator, size=11), [])
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]  # no temporary files left


def test_auditor_quorum(witness, operator, log, tmp_path):
    grow(log, 6)
    note = checkpoint(log, operator)
    second = lw.Witness("bawaslu.example/w2", Ed25519PrivateKey.generate(), tmp_path / "w2.json",
                        {ORIGIN: operator.verifier()}, first_time=True)
    cosigned = note + witness.cosign(note, []) + second.cosign(note, [])
    log_key = vn.parse_verifier_key(operator.verifier_key())
    witnesses = [vn.parse_verifier_key(w.verifier_key()) for w in (witness, second)]
    assert len(vn.verify_checkpoint(cosigned, log_key, witnesses, quorum=2).cosigned_at) == 2
    with pytest.raises(vn.NoteVerificationError):
        vn.verify_checkpoint(note + witness.cosign(note, []), log_key, witnesses, quorum=2)
    with pytest.raises(vn.NoteVerificationError):  # witness keys must be 0x04 keys
        vn.verify_checkpoint(cosigned, log_key, [log_key], quorum=0)


def test_cosigned_message_rejects_out_of_range_timestamps():
    with pytest.raises(ln.NoteError):
        lw.cosigned_message("a\n", 2**63)
    with pytest.raises(ln.NoteError):
        lw.cosigned_message("a\n", -1)
