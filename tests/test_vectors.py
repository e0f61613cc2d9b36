"""The published test vectors (fixtures/vectors, SPEC 3 "Test vectors"):
our encoder, signer and record ids reproduce them byte for byte."""

import importlib.util
import json
from pathlib import Path

import pytest

from ledger import encoding, keys, records
from ledger.application import Ledger
from ledger.errors import BadSignature, EncodingError

VECTORS = Path(__file__).resolve().parent.parent / "fixtures" / "vectors"
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


@pytest.mark.parametrize("name", POSITIVE)
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
