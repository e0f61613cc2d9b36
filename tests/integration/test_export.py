"""Evidence bundles: selection, checkpoint choice, format, and every corruption caught by the right check.

The trail is the signed story of tests/support/export_story.py in a real ledger
(SQLite file) whose transparency log signed a checkpoint that a witness
cosigned; tests/system/test_export_ledger.py does the same through the CLI.
"""

from __future__ import annotations

import hashlib
import importlib.util

import pytest

from ledger import records
from ledger.encoding import decode, encode
from ledger.export import Scope, encode_bundle
from ledger.export.ledger_source import NoCheckpoint, NotCheckpointed, checkpointed_trail
from ledger.tlog.log import TransparencyLog
from support import export_story as story
from verifier import bundle as vb

HAVE_API = importlib.util.find_spec("verifier.api") is not None


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    people, envelopes = story.story()
    ledger = story.story_ledger(tmp_path_factory.mktemp("story"))
    yield people, envelopes, ledger
    ledger.close()


BOX1_ONLY = Scope(items=(story.BOX1,))


def make(world_or_ledger, scope=BOX1_ONLY):
    ledger = world_or_ledger[2] if isinstance(world_or_ledger, tuple) else world_or_ledger
    trail, source = checkpointed_trail(ledger, scope)
    return encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test"), source


def trail_of(world, scope):
    return checkpointed_trail(world[2], scope)[0]


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


def of_type(envelopes, rtype, nth=0):
    """The id of the ``nth`` record of ``rtype`` in the story."""
    return [records.record_id(e) for e in envelopes if records.parse(e).type == rtype][nth]


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
    people, envelopes, ledger = world
    trail = trail_of(world, Scope(items=(story.BOX1,)))
    assert trail.subject == [story.BOX1, story.BALLOTS1]  # the packed ballots come with the box
    types = [e.type for e in trail.entries]
    assert types[0] == "genesis" and "tally" in types and "witness" in types
    enrolled = {e.body["key"] for e in trail.entries if e.type == "enrol"}
    assert people.outsider.public not in enrolled  # enrolled, but plays no part in this trail
    assert {people.kab.public, people.ppk.public, people.pps.public, people.kpps.public,
            people.escort.public, people.panwas.public} <= enrolled


def test_packed_item_brings_its_box(world):
    trail = trail_of(world, Scope(items=(story.BALLOTS1,)))
    assert trail.subject == [story.BOX1, story.BALLOTS1]


def test_place_and_window(world):
    assert trail_of(world, Scope(places=(story.TPS2,))).subject == [story.BOX2]
    assert trail_of(world, Scope(places=("3101",))).subject == [story.BOX1, story.BOX2, story.BALLOTS1]
    # Only box 001 moved on 12 February (PPK -> PPS).
    window = Scope(since=story.ms(2024, 2, 12), until=story.ms(2024, 2, 13))
    assert trail_of(world, window).subject == [story.BOX1, story.BALLOTS1]
    assert trail_of(world, Scope(items=("KS-UNKNOWN",))).missing == ["KS-UNKNOWN"]


def test_attestations_of_bundle_records_only(tmp_path):
    """SPEC 11.4 step 5 from the ledger's index: witness records whose target is in the bundle, to a fixed point."""
    people, envelopes = story.story()
    ledger = story.story_ledger(tmp_path)
    try:
        opened, outsider = of_type(envelopes, "open"), of_type(envelopes, "enrol", 6)
        enrol_kab = of_type(envelopes, "enrol", 0)
        second = ledger.witness(people.escort, opened, "Saya melihat kotak dibuka dengan segel utuh")
        on_authority = ledger.witness(people.panwas, enrol_kab, "Pelantikan disaksikan")
        on_attestation = ledger.witness(people.kab, second, "Kesaksian pengawal dicatat")
        elsewhere = ledger.witness(people.panwas, outsider, "Bukan jejak kotak 001")
        story.checkpoint(ledger, tmp_path)
        trail = checkpointed_trail(ledger, Scope(items=(story.BOX1,)))[0]
        ids = {e.id for e in trail.entries}
        assert {second, on_authority, on_attestation} <= ids and elsewhere not in ids
        assert records.record_id(envelopes[-1]) in ids  # the story's own attestation of the opening
        assert outsider not in ids
    finally:
        ledger.close()


def test_checkpoint_choice(tmp_path):
    """The newest stored checkpoint covering the trail, cosigned if one is; refused when none covers it."""
    people, envelopes = story.story()
    ledger = story.story_ledger(tmp_path)
    try:
        first = TransparencyLog(ledger).latest_checkpoint()
        assert first.size == len(envelopes) and first.cosignatures
        # A record outside box 001's trail, and a newer checkpoint nobody cosigned yet:
        ledger.submit(_one_more(envelopes, people))
        story.checkpoint(ledger, tmp_path, cosign=False)
        data, source = make(ledger)
        assert source.size == first.size and check(data).exit_code == 0  # the cosigned one still covers it
        # A record of the trail after every checkpoint: nothing covers the trail.
        ledger.witness(people.escort, of_type(envelopes, "open"), "Segel utuh")
        with pytest.raises(NotCheckpointed) as refused:
            make(ledger)
        assert refused.value.params["count"] == 1 and refused.value.params["size"] == first.size + 1
        newest = story.checkpoint(ledger, tmp_path, cosign=False)
        data, source = make(ledger)
        result = check(data)
        assert source.size == newest.size and checks(result, "warning") == {"B6"} and result.exit_code == 1
        story.checkpoint(ledger, tmp_path)  # the witness cosigns it
        data, source = make(ledger)
        assert source.size == newest.size and check(data).exit_code == 0
    finally:
        ledger.close()


def test_export_from_either_backend(db_url, tmp_path):
    ledger = story.story_ledger(tmp_path, db=db_url)
    try:
        data, source = make(ledger)
    finally:
        ledger.close()
    result = check(data, vb.Pins(log_key=story.LOG_VKEY, witnesses=(story.WITNESS_VKEY,)))
    assert result.exit_code == 0, result.findings
    assert "witness" in [r.body["type"] for r in result.bundle.records]


def test_no_checkpoint_yet(tmp_path):
    from ledger.application import Ledger

    _, envelopes = story.story()
    ledger = Ledger(str(tmp_path / "new.sqlite"))
    try:
        ledger.submit_many(envelopes)
        with pytest.raises(NoCheckpoint):
            checkpointed_trail(ledger, Scope(items=(story.BOX1,)))
    finally:
        ledger.close()


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
    assert result.checkpoint.size == source.size == len(story.story()[1])
    assert list(result.checkpoint.cosigned) == [story.WITNESS]
    assert [s.code for s in result.proves] == ["proves.log", "proves.signers", "proves.chains"]
    assert "limits.other_records" in [s.code for s in result.limits]


def test_pins(world):
    data, source = make(world)
    people, *_ = world
    manifest, _ = unpack(data)
    good = vb.Pins(ledger_id=manifest["ledger"], roots=(people.root.public,), log_key=story.LOG_VKEY,
                   witnesses=(story.WITNESS_VKEY,))
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

    data, source = make(world)
    manifest, parts = unpack(data)
    forger = Ed25519Signer(story.NAME, Ed25519PrivateKey.from_private_bytes(b"\x09" * 32))
    text = parts["checkpoint"]["note"].split("\n\n")[0] + "\n"
    parts["checkpoint"]["note"] = text + "\n" + forger.sign(text).line()
    parts["checkpoint"]["log"] = forger.verifier_key()
    parts["checkpoint"]["witnesses"] = []
    forged = repack(manifest, parts)
    assert checks(check(forged), "warning") == {"B6"}  # nobody cosigned the forger's note
    assert "B10" in checks(check(forged, vb.Pins(log_key=story.LOG_VKEY)))


def test_proof_from_another_checkpoint(world, tmp_path):
    people, envelopes, _ = world
    data, _ = make(world)
    manifest, parts = unpack(data)
    ledger = story.story_ledger(tmp_path, extra=[_one_more(envelopes, people)])
    try:
        later, _ = make(ledger)
    finally:
        ledger.close()
    parts["checkpoint"] = unpack(later)[1]["checkpoint"]  # a genuine, later checkpoint
    result = check(repack(manifest, parts))
    assert checks(result) == {"B7"}


def _one_more(envelopes, people):
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


def test_items_left_in_transit_are_a_ledger_finding_not_a_bundle_one(tmp_path):
    """SPEC 8, V19: a handover still open when the ledger ends, prepared more
    than 72 hours before its latest record, is reported for the whole ledger;
    a bundle's trail is a window whose answer may lie beyond it, so not there."""
    from verifier.api import verify

    people, envelopes = story.story()
    prepare = records.sign(records.build(
        "handover.prepare", people.ppk, records.record_id(envelopes[0]), story.ms(2024, 2, 10, 12),
        to=people.pps.public, place="310101", site="Kantor PPK", purpose="distribusi logistik ke PPS",
        lines=[{"item": story.BOX2, "prev": of_type(envelopes, "handover.accept"), "seals": [], "contents": []}]),
        people.ppk)
    ledger = story.story_ledger(tmp_path, extra=[prepare])
    try:
        whole = verify(str(tmp_path / "story.sqlite"))
        stuck = [(f.code, f.record) for f in whole.findings if f.check == 19]
        assert stuck == [("still_in_transit", records.record_id(prepare).hex())]
        data, _ = make(ledger, Scope(items=(story.BOX2,)))
        result = check(data)
        assert result.exit_code == 0 and not [f for f in result.findings if f.check in (19, "V19")]
    finally:
        ledger.close()
