"""The published test vectors (fixtures/vectors, SPEC 3 "Test vectors"):
our encoder, signer and record ids reproduce them byte for byte."""

import importlib.util
import json

import pytest

from ledger import encoding, keys, records
from ledger.application import Ledger
from ledger.errors import BadSignature, EncodingError
from support import VECTORS

POSITIVE = sorted(p.name for p in VECTORS.glob("0*.json"))


def load(name):
    return json.loads((VECTORS / name).read_text("utf-8"))


def from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$bin"}:
            return bytes.fromhex(value["$bin"])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


def test_the_five_vectors_are_there():
    assert POSITIVE == [
        "01-genesis.json",
        "02-enrol.json",
        "03-register.json",
        "04-handover-prepare.json",
        "05-handover-accept.json",
    ]


@pytest.mark.parametrize("name", [*POSITIVE, "cosigned-handover-prepare.json", "attached-handover-accept.json"])
def test_vector_reproduced_byte_for_byte(name):
    vec = load(name)
    body = from_json(vec["body"])
    body_sce = bytes.fromhex(vec["body_sce"])
    assert encoding.encode(body) == body_sce
    assert encoding.decode(body_sce) == body
    assert records.SIG_PREFIX + body_sce == bytes.fromhex(vec["signed_message"])

    signers = {bytes.fromhex(k["public"]): keys.from_seed(bytes.fromhex(k["secret"])) for k in vec["keys"].values()}
    for public, signer in signers.items():
        assert signer.public == public
    sigs = [(bytes.fromhex(k), bytes.fromhex(s)) for k, s in vec["sigs"]]
    for key, sig in sigs:
        assert signers[key].sign(bytes.fromhex(vec["signed_message"])) == sig

    author = signers[body["author"]]
    cosigners = [s for k, s in signers.items() if k != body["author"]]
    envelope = records.sign(body, author, cosigners)
    assert envelope == bytes.fromhex(vec["envelope"])
    rec = records.parse(envelope)
    assert rec.id == bytes.fromhex(vec["record_id"]) == records.record_id(envelope)
    assert rec.body == body and rec.sigs == sigs
    assert records.body_id(envelope) == bytes.fromhex(vec["body_id"])


def test_a_co_signature_changes_the_record_id_and_keeps_the_body_id(tmp_path):
    """SPEC 3.2, 7.1: the handover number (the prepare's body id) is what a
    giver writes on paper; an escort's co-signature must not change it, in
    the ledger's code and in the independent verifier's."""
    from verifier import api

    alone, cosigned = load("04-handover-prepare.json"), load("cosigned-handover-prepare.json")
    assert alone["body_sce"] == cosigned["body_sce"] and alone["envelope"] != cosigned["envelope"]
    assert alone["record_id"] != cosigned["record_id"] and alone["body_id"] == cosigned["body_id"]
    for vec in (alone, cosigned):
        path = tmp_path / f"{vec['record_id'][:8]}.serah"
        path.write_bytes(records.handover_file_bytes([bytes.fromhex(vec["envelope"])]))
        assert api.verify(str(path)).handover == vec["body_id"]


def test_vectors_form_a_valid_ledger(tmp_path):
    ledger = Ledger(str(tmp_path / "vectors.sqlite"))
    envelopes = [bytes.fromhex(load(n)["envelope"]) for n in POSITIVE]
    ids = [ledger.submit(e) for e in envelopes]
    assert ids == [bytes.fromhex(load(n)["record_id"]) for n in POSITIVE]
    assert ledger.ledger_id == ids[0]
    assert [e for _, e in ledger.records()] == envelopes
    ballots = ledger.item("KS-3101011001001-PPWP")
    assert ballots.qty == 305 and ballots.holder == bytes.fromhex(load("02-enrol.json")["body"]["key"]["$bin"])
    assert ballots.location == "310101" and ballots.state == "held"


def test_generator_output_matches_the_files():
    spec = importlib.util.spec_from_file_location("make_vectors", VECTORS / "make_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, obj in module.build_vectors().items():
        assert (VECTORS / name).read_text("utf-8") == module.render(obj), name


@pytest.mark.parametrize("case", load("negative-encoding.json")["cases"], ids=lambda c: c["name"])
def test_negative_encoding_vectors_are_rejected(case):
    with pytest.raises(EncodingError):
        encoding.decode(bytes.fromhex(case["hex"]))


@pytest.mark.parametrize("case", load("negative-records.json")["cases"], ids=lambda c: c["name"])
def test_negative_record_vectors_are_rejected(case):
    expected = EncodingError if case["check"] == "V1" else BadSignature
    with pytest.raises(expected):
        records.parse(bytes.fromhex(case["hex"]))


# --- the mixed-order key (SPEC 3.1, 4.2, V6) ---------------------------------------------------


def test_the_ledger_and_the_verifier_reference_agree_on_which_keys_have_prime_order():
    """The ledger asks libsodium; the verifier's reference is plain arithmetic
    (verifier.edwards). Random 32-byte strings give every case: no point, a
    non-canonical y, the small-order points, mixed-order points (seven in
    eight of the points on the curve) and prime-order points."""
    import random

    from ledger.signatures import prime_order_key
    from verifier import edwards

    rng = random.Random(20241214)
    candidates = [rng.randbytes(32) for _ in range(400)]
    candidates += [keys.generate().public for _ in range(20)]
    candidates += [bytes([y]) + bytes(30) + bytes([sign]) for y in (0, 1) for sign in (0, 0x80)]
    candidates += [(2**255 - 19 + 1).to_bytes(32, "little"), b"\xff" * 32]
    answers = [(prime_order_key(c), edwards.prime_order_reference(c)) for c in candidates]
    assert all(mine == reference for mine, reference in answers)
    assert sum(mine for mine, _ in answers) >= 20  # the generated keys, at least


def test_mixed_order_key_vector_is_refused_by_ledger_and_verifier(tmp_path):
    """A key with an order-8 component: both equations of RFC 8032 are shown on its signature,
    and both the ledger (at enrolment) and the verifier (V6, V4) refuse it."""
    from ledger.errors import InvalidInput
    from ledger.signatures import prime_order_key, verify_signature
    from verifier import edwards, sign
    from verifier.api import verify

    vec = load("negative-mixed-order-key.json")
    mixed, t8, part = (bytes.fromhex(vec[k]) for k in ("mixed_key", "small_order_point", "prime_order_part"))
    # The key is the PPK's (prime-order) key plus a point of order 8.
    assert edwards.add(edwards.decode(part), edwards.decode(t8))[:2] != (0, 1)
    assert not prime_order_key(mixed) and not edwards.prime_order(mixed)
    assert prime_order_key(part) and edwards.prime_order(part)
    # Its signature passes the cofactored equation only.
    message, sig = bytes.fromhex(vec["signed"]["signed_message"]), bytes.fromhex(vec["signed"]["signature"])
    import hashlib

    k = int.from_bytes(hashlib.sha512(sig[:32] + mixed + message).digest(), "little") % edwards.L
    s = int.from_bytes(sig[32:], "little")
    base = edwards.decode((4 * pow(5, -1, edwards.P) % edwards.P).to_bytes(32, "little"))
    lhs = edwards.multiply(8 * s, base)
    rhs = edwards.add(edwards.multiply(8, edwards.decode(sig[:32])), edwards.multiply(8 * k, edwards.decode(mixed)))
    assert edwards.is_identity(edwards.add(lhs, _negate(rhs)))  # cofactored: valid
    assert not verify_signature(mixed, sig, message)  # cofactorless (SPEC 3.1): invalid
    for name in ("sodium", "openssl"):
        assert not sign.backend(name).verify(mixed, sig, message)

    # The ledger refuses the enrolment; the verifier reports V6, then V4.
    genesis = bytes.fromhex(load("01-genesis.json")["envelope"])
    enrol, signed = bytes.fromhex(vec["enrol"]["envelope"]), bytes.fromhex(vec["signed"]["envelope"])
    ledger = Ledger(str(tmp_path / "ledger.sqlite"))
    try:
        ledger.submit(genesis)
        with pytest.raises(InvalidInput) as refused:
            ledger.submit(enrol)
        assert refused.value.code == "weak_key"
    finally:
        ledger.close()
    stream = tmp_path / "records.stream"
    stream.write_bytes(genesis + enrol + signed)
    report = verify(str(stream))
    assert {(f.position, f.label, f.code) for f in report.findings if f.severity == "error"} >= {
        (1, "V6", "enrol_weak_key"), (2, "V4", "bad_signature")}


def _negate(point):
    from verifier.edwards import P

    x, y, z, t = point
    return ((-x) % P, y, z, (-t) % P)


@pytest.mark.parametrize("key", [(1).to_bytes(32, "little"), bytes(32)], ids=["identity", "order-4 point"])
def test_small_order_keys_are_never_enrolled(tmp_path, key):
    """The identity point was accepted at enrolment before SPEC 1.1: now V6, and refused."""
    from ledger.errors import InvalidInput
    from verifier.api import verify

    genesis = load("01-genesis.json")
    kpu = keys.from_seed(bytes.fromhex(genesis["keys"]["kpu_ri"]["secret"]))
    body = dict(from_json(load("02-enrol.json")["body"]), key=key)
    envelope = records.sign(body, kpu, [])
    ledger = Ledger(str(tmp_path / "ledger.sqlite"))
    try:
        ledger.submit(bytes.fromhex(genesis["envelope"]))
        with pytest.raises(InvalidInput):
            ledger.submit(envelope)
    finally:
        ledger.close()
    stream = tmp_path / "records.stream"
    stream.write_bytes(bytes.fromhex(genesis["envelope"]) + envelope)
    assert ("V6", "enrol_weak_key") in {(f.label, f.code) for f in verify(str(stream)).findings}


def test_libsodium_and_the_reference_arithmetic_agree_on_prime_order():
    import os

    from verifier import edwards

    if edwards._sodium_valid_point is None:
        pytest.skip("PyNaCl not installed")
    samples = [os.urandom(32) for _ in range(300)]
    samples += [bytes.fromhex(load("negative-mixed-order-key.json")[k]) for k in ("mixed_key", "small_order_point")]
    samples += [bytes.fromhex(load("01-genesis.json")["keys"][n]["public"]) for n in ("kpu_ri", "kpu_ri_2")]
    assert [edwards.prime_order(k) for k in samples] == [edwards.prime_order_reference(k) for k in samples]


def test_the_attachment_vector_signs_the_files_hash_and_passes_both_schemas():
    """SPEC 3.8: the record's attachments entry is the SHA-256 and size of the vector's file; the
    ledger's and the independent verifier's V2 accept the body."""
    import hashlib

    from ledger.schema import check_body
    from verifier import records as vrecords
    from verifier import sce

    vec = load("attached-handover-accept.json")
    body = from_json(vec["body"])
    photo = bytes.fromhex(vec["attachment_hex"])
    (entry,) = body["attachments"]
    assert entry["sha256"] == hashlib.sha256(photo).digest() and entry["size"] == len(photo)
    check_body(body)
    assert vrecords.check_body(sce.unpack(bytes.fromhex(vec["body_sce"]))) == "handover.accept"
