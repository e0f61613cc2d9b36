"""Evidence bundles: selection, format, and every corruption caught by the right check.

The trail is the signed story of tests/export_support.py held in a
``MemorySource``; tests/test_export_ledger.py does the same from a real
ledger through the CLI.
"""

from __future__ import annotations

import hashlib
import importlib.util

import pytest

import export_support as story
from ledger.encoding import decode, encode
from ledger.export import Scope, collect, encode_bundle
from ledger.export.source import MemorySource
from verifier import bundle as vb

HAVE_API = importlib.util.find_spec("verifier.api") is not None


@pytest.fixture(scope="module")
def world():
    people, envelopes = story.story()
    log, witnesses = story.note_signers()
    return people, envelopes, log, witnesses


def make(world, scope=Scope(items=(story.BOX1,)), extra=()):
    people, envelopes, log, witnesses = world
    source = MemorySource(list(envelopes) + list(extra), log, witnesses)
    trail = collect(source, scope)
    return encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test"), source


def check(data, pins=None):
    if not HAVE_API:  # the section 8 half lands separately; B1-B10 are tested either way
        original = vb.section8
        vb.section8 = lambda bundle: []
        try:
            return vb.verify(data, pins)
        finally:
            vb.section8 = original
    return vb.verify(data, pins)


def checks(result, severity="error"):
    return {f.check for f in result.findings if f.severity == severity}


# --- rewriting bundles the way an attacker (or a damaged disk) would ---------------


def unpack(data):
    top = decode(data)
    parts = {name: decode(raw) for name, raw in top["parts"].items()}
    return decode(top["manifest"]), parts


def repack(manifest, parts, reseal=True):
    raw = {name: encode(value) for name, value in parts.items()}
    if reseal:  # the manifest is not signed: anyone can recompute it
        manifest = {**manifest, "parts": {n: hashlib.sha256(b).digest() for n, b in raw.items()}}
    return encode({"format": "serah-bundle", "manifest": encode(manifest), "parts": raw, "v": 1})


def find(parts, rtype, nth=0):
    hits = [i for i, (_, env) in enumerate(parts["records"]) if decode(decode(env)["body"])["type"] == rtype]
    return hits[nth]


def rewrite_body(envelope, change):
    env = decode(envelope)
    body = decode(env["body"])
    change(body)
    return encode({"body": encode(body), "sigs": env["sigs"]})


# --- selection ---------------------------------------------------------------------


def test_box_trail_has_its_chain_contents_and_authority_only(world):
    people, envelopes, log, witnesses = world
    source = MemorySource(envelopes, log, witnesses)
    trail = collect(source, Scope(items=(story.BOX1,)))
    assert trail.subject == [story.BOX1, story.BALLOTS1]  # the packed ballots come with the box
    types = [e.type for e in trail.entries]
    assert types[0] == "genesis" and "tally" in types and "witness" in types
    enrolled = {e.body["key"] for e in trail.entries if e.type == "enrol"}
    assert people.outsider.public not in enrolled  # enrolled, but plays no part in this trail
    assert {people.kab.public, people.ppk.public, people.pps.public, people.kpps.public,
            people.escort.public, people.panwas.public} <= enrolled


def test_packed_item_brings_its_box(world):
    people, envelopes, log, witnesses = world
    trail = collect(MemorySource(envelopes, log, witnesses), Scope(items=(story.BALLOTS1,)))
    assert trail.subject == [story.BOX1, story.BALLOTS1]


def test_place_and_window(world):
    people, envelopes, log, witnesses = world
    source = MemorySource(envelopes, log, witnesses)
    assert collect(source, Scope(places=(story.TPS2,))).subject == [story.BOX2]
    assert collect(source, Scope(places=("3101",))).subject == [story.BOX1, story.BOX2, story.BALLOTS1]
    # Only box 001 moved on 12 February (PPK -> PPS).
    window = Scope(since=story.ms(2024, 2, 12), until=story.ms(2024, 2, 13))
    assert collect(source, window).subject == [story.BOX1, story.BALLOTS1]
    assert collect(source, Scope(items=("KS-UNKNOWN",))).missing == ["KS-UNKNOWN"]


def test_file_starts_with_magic_and_is_canonical(world):
    data, _ = make(world)
    assert vb.is_bundle(data[:64])
    assert encode(decode(data)) == data


# --- verification --------------------------------------------------------------------


def test_clean_bundle_verifies(world):
    data, source = make(world)
    result = check(data)
    assert checks(result) == set() and checks(result, "warning") == set(), result.findings
    assert result.exit_code == 0
    assert result.fingerprint == "sha256:" + hashlib.sha256(data).hexdigest()
    assert result.checkpoint.size == source.size
    assert list(result.checkpoint.cosigned) == ["bawaslu.go.id/witness-1"]
    assert [s.code for s in result.proves] == ["proves.log", "proves.signers", "proves.chains"]
    assert "limits.other_records" in [s.code for s in result.limits]


def test_pins(world):
    data, source = make(world)
    people, envelopes, log, witnesses = world
    manifest, _ = unpack(data)
    good = vb.Pins(ledger_id=manifest["ledger"], roots=(people.root.public,), log_key=log.verifier_key(),
                   witnesses=(witnesses[0].verifier_key(),))
    result = check(data, good)
    assert result.exit_code == 0 and "limits.anchors" not in [s.code for s in result.limits]
    bad = vb.Pins(ledger_id=b"\x01" * 32, roots=(people.kab.public,))
    assert checks(check(data, bad)) == {"B10"}


def test_changed_count(world):
    data, _ = make(world)
    manifest, parts = unpack(data)
    i = find(parts, "register")

    def more_ballots(body):
        for line in body["lines"]:
            if line["item"] == story.BALLOTS1:
                line["qty"] = 300
    parts["records"][i][1] = rewrite_body(parts["records"][i][1], more_ballots)
    found = checks(check(repack(manifest, parts)))
    assert "B7" in found  # not the bytes the log committed to
    if HAVE_API:
        assert "V4" in found  # and no longer what the author signed


def test_removed_record(world):
    data, _ = make(world)
    manifest, parts = unpack(data)
    i = find(parts, "handover.accept", 1)  # PPS received box 001: drop it from the story
    del parts["records"][i], parts["proofs"][i]
    result = check(repack(manifest, parts))
    assert "B9" in checks(result)
    assert any(f.code == "bundle.prev_missing" and f.item == story.BOX1 for f in result.findings)


def test_removed_enrolment(world):
    data, _ = make(world)
    manifest, parts = unpack(data)
    i = find(parts, "enrol", 2)
    key = decode(decode(parts["records"][i][1])["body"])["key"]
    del parts["records"][i], parts["proofs"][i]
    parts["keys"] = [k for k in parts["keys"] if k["key"] != key]
    result = check(repack(manifest, parts))
    assert any(f.code == "bundle.enrol_missing" for f in result.findings)


def test_swapped_key_in_keys_part(world):
    people, *_ = world
    data, _ = make(world)
    manifest, parts = unpack(data)
    for entry in parts["keys"]:
        if entry["key"] == people.ppk.public:
            entry["key"] = people.outsider.public
    parts["keys"].sort(key=lambda k: k["key"])
    assert checks(check(repack(manifest, parts))) == {"B8"}


def test_swapped_signer_key(world):
    people, *_ = world
    data, _ = make(world)
    manifest, parts = unpack(data)
    i = find(parts, "handover.accept", 0)
    env = decode(parts["records"][i][1])
    env["sigs"][0][0] = people.outsider.public  # claim the other PPK signed the receipt
    parts["records"][i][1] = encode(env)
    found = checks(check(repack(manifest, parts)))
    assert "B7" in found
    if HAVE_API:
        assert "V4" in found


def test_swapped_log_key_is_caught_by_a_pin(world):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from ledger.tlog.note import Ed25519Signer

    people, envelopes, log, witnesses = world
    data, source = make(world)
    manifest, parts = unpack(data)
    forger = Ed25519Signer(log.name, Ed25519PrivateKey.from_private_bytes(b"\x09" * 32))
    text = parts["checkpoint"]["note"].split("\n\n")[0] + "\n"
    parts["checkpoint"]["note"] = text + "\n" + forger.sign(text).line()
    parts["checkpoint"]["log"] = forger.verifier_key()
    parts["checkpoint"]["witnesses"] = []
    forged = repack(manifest, parts)
    assert checks(check(forged), "warning") == {"B6"}  # nobody cosigned the forger's note
    assert "B10" in checks(check(forged, vb.Pins(log_key=log.verifier_key())))


def test_proof_from_another_checkpoint(world):
    people, envelopes, log, witnesses = world
    data, _ = make(world)
    manifest, parts = unpack(data)
    later, _ = make(world, extra=[_one_more(world)])
    parts["checkpoint"] = unpack(later)[1]["checkpoint"]  # a genuine, later checkpoint
    result = check(repack(manifest, parts))
    assert checks(result) == {"B7"}


def _one_more(world):
    from ledger import records

    people, envelopes, *_ = world
    gid = records.record_id(envelopes[0])
    body = records.build("enrol", people.kab, gid, story.ms(2024, 2, 20, 9), key=story.signer(9).public,
                         role="witness", region="3101", name="Saksi", org="Bawaslu DKI")
    return records.sign(body, people.kab)


def test_manifest_hash_mismatch(world):
    data, _ = make(world)
    manifest, parts = unpack(data)
    parts["keys"][0]["name"] = "Someone Else"
    result = check(repack(manifest, parts, reseal=False))
    assert {"B3", "B8"} <= checks(result)
    assert any(f.code == "bundle.part_hash" and f.params["part"] == "keys" for f in result.findings)


@pytest.mark.parametrize("cut", [1, 21, 500, -1])
def test_truncated_file(world, cut):
    data, _ = make(world)
    result = check(data[:cut])
    assert result.unusable and result.exit_code == 2 and result.findings[0].check == "B1"


def test_not_a_bundle():
    result = check(encode({"format": "serah-handover", "v": 1, "records": []}))
    assert result.exit_code == 2 and result.findings[0].check == "B1"


def test_structure_errors_are_b2(world):
    data, _ = make(world)
    manifest, parts = unpack(data)
    parts["proofs"].pop()
    result = check(repack(manifest, parts))
    assert result.exit_code == 2 and result.findings[0].check == "B2"
