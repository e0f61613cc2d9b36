"""One or more tests per numbered check (SPEC 8), on records built from SPEC alone.

Each test writes a small ledger with the test-only builder (tests/support/tamper/builder.py),
breaks one rule, and asserts that exactly that check reports it, at that record.
"""

from __future__ import annotations

import msgpack
import pytest

from support.tamper.builder import Builder, canonical, envelope, scenario
from verifier.api import verify

TPS = "3101011001001"
TPS_OTHER = "3101011002001"  # a TPS of another kelurahan


def base():
    """Genesis, the usual custodians, a box and ballots held by the KPU Kab."""
    b = Builder()
    k = {n: b.key(n) for n in ("root", "kab", "printer", "ppk", "pps", "kpps", "escort", "witness", "kab2", "pps2")}
    b.genesis([k["root"]])
    b.enrol(k["root"], k["kab"], "kpu", "3101")
    b.enrol(k["kab"], k["printer"], "printer", "3101")
    b.enrol(k["kab"], k["ppk"], "ppk", "310101")
    b.enrol(k["kab"], k["pps"], "pps", "3101011001")
    b.enrol(k["kab"], k["pps2"], "pps", "3101011002")
    b.enrol(k["kab"], k["kpps"], "kpps", TPS)
    b.enrol(k["kab"], k["escort"], "escort", "3101")
    b.enrol(k["kab"], k["witness"], "witness", "3101")
    b.register(k["kab"], [
        {"item": "BOX-1", "kind": "box", "dest": TPS, "election": "PPWP"},
        {"item": "BAL-1", "kind": "ballots", "dest": TPS, "qty": 300, "election": "PPWP", "dapil": "DKI"},
        {"item": "BAL-2", "kind": "ballots", "dest": TPS_OTHER, "qty": 200, "election": "PPWP", "dapil": "DKI"},
        {"item": "SEGEL-1", "kind": "seal", "dest": "3101", "qty": 100},
    ])
    return b, k


def run(b: Builder, tmp_path, records=None, **kw):
    path = tmp_path / "ledger.sqlite"
    if path.exists():
        path.unlink()
    b.write_sqlite(path, records)
    return verify(path, **kw)


def findings_at(report, position=None):
    return {(f.check, f.code) for f in report.findings if position is None or f.position == position}


def last(b: Builder) -> int:
    """Position of the last record (SPEC 1: 0-based, genesis 0)."""
    return len(b.records) - 1


def assert_only(report, position, *expected):
    """The record at ``position`` has exactly these (check, code) findings and nothing else is wrong."""
    assert findings_at(report, position) == set(expected), report.findings
    others = [f for f in report.findings if f.position != position and f.severity != "notice"]
    assert not others, others


# --- the clean scenario -----------------------------------------------------------


def test_clean_scenario_has_only_notices(tmp_path):
    b, _ = scenario()
    report = run(b, tmp_path)
    assert report.exit_code == 0
    # the PPS received the ballots damaged, the KPPS then stated them ok: two condition notices
    assert report.counts == {"error": 0, "warning": 0, "notice": 4}
    assert report.codes() == {"qty_observed", "condition", "incident"}
    assert report.records == len(b.records)


def test_clean_base_is_clean(tmp_path):
    b, _ = base()
    report = run(b, tmp_path)
    assert report.findings == [] and report.exit_code == 0


# --- V1, V2 ---------------------------------------------------------------------------


def _signed_raw_body(b, author, body_bytes):
    return envelope(body_bytes, author)


def test_v1_float_in_a_signed_body(tmp_path):
    b, k = base()
    body = b.body("witness", k["witness"], target=b.ledger_id, statement="x")
    body["time"] = 1.5e12  # a float, validly signed
    raw = _signed_raw_body(b, k["witness"], msgpack.packb(dict(sorted(body.items()))))
    b.append_raw(raw)
    report = run(b, tmp_path)
    assert_only(report, last(b), (1, "sce_float"))


def test_v1_non_shortest_integer(tmp_path):
    b, k = base()
    body = b.body("witness", k["witness"], target=b.ledger_id, statement="x", v=1)
    data = canonical(body).replace(b"\xa1v\x01", b"\xa1v\xcc\x01")
    b.append_raw(_signed_raw_body(b, k["witness"], data))
    report = run(b, tmp_path)
    assert_only(report, last(b), (1, "sce_not_shortest"))


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda body: body.update(colour="grey"), "schema_unknown_field"),
        (lambda body: body.pop("statement"), "schema_missing"),
        (lambda body: body.update(v=2), "schema_version"),
        (lambda body: body.update(type="handover.steal"), "schema_type"),
        (lambda body: body.update(target=b"short"), "schema_bad_value"),
        (lambda body: body.update(ledger=None), "schema_bad_value"),
    ],
)
def test_v2_schema(tmp_path, change, code):
    b, k = base()
    body = b.body("witness", k["witness"], target=b.ledger_id, statement="x")
    change(body)
    b.append(body, k["witness"])
    report = run(b, tmp_path)
    assert_only(report, last(b), (2, code))


def test_v2_lines_sorted_and_unique(tmp_path):
    b, k = base()
    lines = b.lines(["BAL-1", "BOX-1"])
    body = b.body("pack", k["kab"], box="BOX-1", lines=list(reversed(lines)))
    b.append(body, k["kab"])
    report = run(b, tmp_path)
    assert_only(report, last(b), (2, "schema_lines_order"))


def test_v2_register_prev_must_be_nil_and_fields_per_kind(tmp_path):
    b, k = base()
    b.append(b.body("register", k["kab"], lines=[
        {"item": "X-1", "prev": b.ledger_id, "kind": "box", "dest": TPS, "election": "DPR"}]), k["kab"])
    b.append(b.body("register", k["kab"], lines=[
        {"item": "X-2", "prev": None, "kind": "box", "dest": TPS, "election": "DPR", "qty": 1}]), k["kab"])
    b.append(b.body("register", k["kab"], lines=[
        {"item": "x-lower", "prev": None, "kind": "box", "dest": TPS, "election": "DPR"}]), k["kab"])
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 2) == {(2, "schema_bad_value")}
    assert findings_at(report, n - 1) == {(2, "schema_unknown_field")}
    assert findings_at(report, n) == {(2, "schema_bad_value")}


@pytest.mark.parametrize("name", ["", "Pemilu 2024", "serah+kpu", "a\tb", "a\u00a0b", "a\u3000b", "a\x7fb",
                                  "a\x85b", "a\nb"])
def test_v2_genesis_name_must_be_a_key_name(tmp_path, name):
    """SPEC 4.1: the genesis name is the log origin and the log key's name."""
    b = Builder()
    root = b.key("root")
    b.genesis([root], name=name)
    b.enrol(root, b.key("kab"), "kpu", "3101")
    report = run(b, tmp_path)
    assert_only(report, 0, (2, "schema_bad_value"))
    assert report.findings[0].params["field"] == "name"


def test_v2_genesis_name_may_be_any_other_text(tmp_path):
    b = Builder()
    b.genesis([b.key("root")], name="serah.kpu.go.id/3101/pemilu-2024_ü—ok")
    assert run(b, tmp_path).exit_code == 0


def test_v2_escorts_sorted(tmp_path):
    b, k = base()
    pair = sorted([k["escort"].pub, k["witness"].pub])
    b.prepare(k["kab"], k["ppk"], ["BAL-1"], escorts=[])  # fine without
    body = b.body("handover.prepare", k["kab"], to=k["ppk"].pub, place="3101", site="s", purpose="p",
                  escorts=list(reversed(pair)), lines=b.lines(["SEGEL-1"], **{"SEGEL-1": {"qty": 100}}))
    b.append(body, k["kab"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(2, "schema_bad_value")}


# --- V3 -----------------------------------------------------------------------------------


def test_v3_first_record_must_be_genesis(tmp_path):
    b, _ = base()
    report = run(b, tmp_path, records=b.records[1:])
    assert (3, "not_genesis_first") in findings_at(report, 0)


def test_v3_second_genesis_and_wrong_ledger(tmp_path):
    b, k = base()
    other = Builder()
    other.genesis([k["root"]], name="serah.test/other")
    b.append_raw(other.records[0])
    body = b.body("witness", k["witness"], target=b.ledger_id, statement="x")
    body["ledger"] = other.ledger_id
    b.append(body, k["witness"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(3, "genesis_not_first")}
    assert findings_at(report, last(b)) == {(3, "wrong_ledger")}


# --- V4 ----------------------------------------------------------------------------------------


def test_v4_bad_signature_and_author_mismatch(tmp_path):
    b, k = base()
    body = b.body("witness", k["witness"], target=b.ledger_id, statement="x")
    raw = envelope(canonical(body), k["escort"])  # signed by someone else
    b.append_raw(raw)
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(4, "author_sig_mismatch")}


def test_v4_cosignatures_sorted_unique_not_author(tmp_path):
    b, k = base()
    body_bytes = canonical(b.body("witness", k["witness"], target=b.ledger_id, statement="x"))
    message = b"serah/record/v1\x00" + body_bytes
    sigs = [[k["witness"].pub, k["witness"].sign(message)], [k["witness"].pub, k["witness"].sign(message)]]
    b.append_raw(canonical({"body": body_bytes, "sigs": sigs}))
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(4, "cosig_order")}


def test_v4_genesis_needs_every_root(tmp_path):
    b = Builder()
    r1, r2 = b.key("r1"), b.key("r2")
    b.genesis([r1, r2], cosigners=[])
    report = run(b, tmp_path)
    assert findings_at(report, 0) == {(4, "genesis_root_unsigned")}


# --- V5 ---------------------------------------------------------------------------------------------


def test_v5_unknown_and_revoked_signers(tmp_path):
    b, k = base()
    stranger = b.key("stranger")
    b.witness(stranger, b.ledger_id)
    b.revoke(k["kab"], k["escort"])
    b.witness(k["escort"], b.ledger_id)
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 2) == {(5, "unknown_signer")}
    assert findings_at(report, last(b)) == {(5, "revoked_signer")}


def test_v5_role_and_region(tmp_path):
    b, k = base()
    b.register(k["ppk"], [{"item": "X-1", "kind": "box", "dest": TPS, "election": "DPR"}])
    b.register(k["printer"], [{"item": "X-2", "kind": "box", "dest": "3172", "election": "DPR"}])
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(5, "role_not_allowed")}
    assert findings_at(report, last(b)) == {(5, "out_of_region")}


def test_v5_cosigner_must_be_enrolled(tmp_path):
    b, k = base()
    b.prepare(k["kab"], k["ppk"], ["BAL-1"], cosigners=[b.key("stranger")])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(5, "unknown_signer")}


# --- V6 -------------------------------------------------------------------------------------------------


def test_v6_enrolment_rules(tmp_path):
    b, k = base()
    b.enrol(k["kab"], k["ppk"], "ppk", "310101")                    # twice
    b.enrol(k["kab"], b.key("x1"), "ppk", "317101")                 # outside 3101
    b.enrol(k["kab"], b.key("x2"), "kpu", "3101")                   # kpu -> kpu, same level
    b.enrol(k["kab"], b.key("x3"), "pps", "310101")                 # pps needs 10 digits
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 3) == {(6, "enrol_twice")}
    assert findings_at(report, n - 2) == {(6, "enrol_out_of_region")}
    assert findings_at(report, n - 1) == {(6, "enrol_delegation")}
    assert findings_at(report, n) == {(6, "enrol_region_shape")}


def test_v6_revocation_rules(tmp_path):
    b, k = base()
    b.revoke(k["kab"], k["root"])
    b.revoke(k["kab"], b.key("nobody"))
    b.revoke(k["kab"], k["pps"])
    b.revoke(k["kab"], k["pps"])
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 3) == {(6, "revoke_root")}
    assert findings_at(report, n - 2) == {(6, "revoke_unknown")}
    assert findings_at(report, n - 1) == set()
    assert findings_at(report, n) == {(6, "revoke_twice")}


def test_v6_self_revocation_is_allowed(tmp_path):
    b, k = base()
    b.revoke(k["kab"], k["kab"])
    b.witness(k["kab"], b.ledger_id)
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == set()
    assert findings_at(report, last(b)) == {(5, "revoked_signer")}


# --- V7, V8 -----------------------------------------------------------------------------------------------


def test_v7_chain_unknown_item_registered_twice(tmp_path):
    b, k = base()
    bogus = b"\x11" * 32
    b.heads["BAL-1"] = bogus
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.heads["NOPE-1"] = bogus
    b.prepare(k["kab"], k["ppk"], ["NOPE-1"], declared={"NOPE-1": {}})
    b.register(k["kab"], [{"item": "BOX-1", "kind": "box", "dest": TPS, "election": "PPWP"}])
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 2) == {(7, "prev_mismatch")}
    assert findings_at(report, n - 1) == {(7, "unknown_item")}
    assert findings_at(report, n) == {(7, "registered_twice")}


def test_v7_replay_and_unknown_target(tmp_path):
    b, k = base()
    b.append_raw(b.records[3])
    b.witness(k["witness"], b"\x22" * 32)
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(7, "replay")}
    assert findings_at(report, last(b)) == {(7, "unknown_target")}


def test_v8_fork(tmp_path):
    b, k = base()
    head = b.heads["BAL-1"]
    p1 = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.heads["BAL-1"] = head  # a second handover from the same state
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    report = run(b, tmp_path)
    assert (8, "fork") in findings_at(report, last(b))
    assert p1


# --- V9 -------------------------------------------------------------------------------------------------------


def test_v9_not_holder_and_in_transit(tmp_path):
    b, k = base()
    b.prepare(k["ppk"], k["pps"], ["BOX-1"])  # the PPK does not hold it
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "not_holder")}

    b, k = base()
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])  # again, while in transit
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "in_transit")}


def test_v9_packed_item_cannot_travel_alone(tmp_path):
    b, k = base()
    b.pack(k["kab"], "BOX-1", ["BAL-1"])
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "item_packed")}


def test_v9_answers(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.accept(k["pps"], p)                               # not the receiver
    b.accept(k["ppk"], p)                               # after it was closed
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 1) == {(9, "not_receiver")}
    assert (9, "handover_closed") in findings_at(report, n)


def test_v9_answer_items_must_match(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1", "SEGEL-1"])
    body = b.body("handover.accept", k["ppk"], handover=p,
                  lines=[{"item": "BAL-1", "prev": p, "qty": 300, "condition": "ok"}])
    b.append(body, k["ppk"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "handover_items")}


def test_v9_receiver_must_be_a_custodian(tmp_path):
    b, k = base()
    b.prepare(k["kab"], k["escort"], ["BAL-1"])
    b.prepare(k["kab"], k["kab"], ["SEGEL-1"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(9, "receiver_not_custodian")}
    assert findings_at(report, last(b)) == {(9, "self_handover")}


def test_v9_destroy_box_with_contents(tmp_path):
    b, k = base()
    b.pack(k["kab"], "BOX-1", ["BAL-1"])
    b.destroy(k["kab"], ["BOX-1"], cosigners=[k["witness"]])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "destroy_partial")}


# --- V10, V11 ------------------------------------------------------------------------------------------------


def test_v10_path(tmp_path):
    b, k = base()
    b.prepare(k["kab"], k["pps"], ["BAL-1"])  # skips the PPK
    b.prepare(k["kab"], k["kpps"], ["SEGEL-1"], exception="jalan terputus")
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(10, "path_off")}
    assert (10, "path_exception") in findings_at(report, last(b))
    assert report.exit_code == 1


def test_v11_tertukar(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-2"])
    b.accept(k["ppk"], p)
    b.prepare(k["ppk"], k["pps"], ["BAL-2"], place="310101")  # BAL-2 belongs to kelurahan 1002
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(11, "dest_mismatch")}


def test_v11_with_exception_and_packed_contents(tmp_path):
    b, k = base()
    b.pack(k["kab"], "BOX-1", ["BAL-2"])  # wrong ballots packed into the TPS 001 box
    p = b.prepare(k["kab"], k["ppk"], ["BOX-1"])
    b.accept(k["ppk"], p)
    b.prepare(k["ppk"], k["pps"], ["BOX-1"], place="310101")
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(11, "dest_mismatch")}
    assert [f.item for f in report.findings] == ["BAL-2"]

    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-2"])
    b.accept(k["ppk"], p)
    b.prepare(k["ppk"], k["pps"], ["BAL-2"], place="310101", exception="dititipkan, jembatan putus")
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(11, "dest_exception")}
    assert report.exit_code == 0


# --- V12 -------------------------------------------------------------------------------------------------------


def test_v12_nothing_after_destruction(tmp_path):
    b, k = base()
    b.destroy(k["kab"], ["BAL-1"], cosigners=[k["witness"]])
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(12, "after_destroy")}


# --- V13 ----------------------------------------------------------------------------------------------------------


def test_v13_declared_and_observed_counts(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"], declared={"BAL-1": {"qty": 310}})
    b.accept(k["ppk"], p, observed={"BAL-1": {"qty": 298}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(13, "qty_declared")}
    assert findings_at(report, last(b)) == {(13, "qty_observed")}


def test_v13_declared_contents(tmp_path):
    b, k = base()
    b.pack(k["kab"], "BOX-1", ["BAL-1"])
    b.prepare(k["kab"], k["ppk"], ["BOX-1"], declared={"BOX-1": {"contents": []}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(13, "contents_declared")}


def test_v13_tally(tmp_path):
    b, k = base()
    for item in ("BAL-1", "SEGEL-1"):
        p = b.prepare(k["kab"], k["ppk"], [item])
        b.accept(k["ppk"], p)
        p = b.prepare(k["ppk"], k["pps"], [item], place="310101")
        b.accept(k["pps"], p)
        p = b.prepare(k["pps"], k["kpps"], [item], place="3101011001", exception="stok segel")
        b.accept(k["kpps"], p)
    b.tally(k["kpps"], {"BAL-1": {"used": 200, "unused": 50, "spoiled": 1}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(13, "tally_sum")}
    b.tally(k["kpps"], {"SEGEL-1": {"used": 100, "unused": 0, "spoiled": 0}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(13, "tally_not_ballots"), (5, "out_of_region")}


def test_v13_observed_qty_must_be_stated(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    body = b.body("handover.accept", k["ppk"], handover=p, lines=[{"item": "BAL-1", "prev": p, "condition": "ok"}])
    b.append(body, k["ppk"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(13, "qty_observed_shape")}


# --- V14 ----------------------------------------------------------------------------------------------------------


def test_v14_seals(tmp_path):
    b, k = base()
    b.seal(k["kab"], "BOX-1", ["S-1", "S-2"])
    b.seal(k["kab"], "BOX-1", ["S-3"])                                   # sealed box
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(14, "seal_sealed_box")}

    b, k = base()
    b.register(k["kab"], [{"item": "BOX-2", "kind": "box", "dest": TPS, "election": "DPR"}])
    b.seal(k["kab"], "BOX-1", ["S-1"])
    b.seal(k["kab"], "BOX-2", ["S-1"])                                   # seal number reused
    p = b.prepare(k["kab"], k["ppk"], ["BOX-1"], declared={"BOX-1": {"seals": ["S-9"]}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 1) == {(14, "seal_reused")}
    assert findings_at(report, last(b)) == {(14, "seals_declared")}
    assert p


def test_v14_observed_seals_are_a_notice(tmp_path):
    b, k = base()
    b.seal(k["kab"], "BOX-1", ["S-1", "S-2"])
    p = b.prepare(k["kab"], k["ppk"], ["BOX-1"])
    b.accept(k["ppk"], p, observed={"BOX-1": {"seals": ["S-1"], "condition": "opened"}})
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(14, "seals_observed"), (13, "condition")}
    assert report.exit_code == 0


# --- V15 ----------------------------------------------------------------------------------------------------------


def _to_kpps(b, k, at_accept="2024-02-13T10:00:00+07:00"):
    b.seal(k["kab"], "BOX-1", ["S-1"])
    p = b.prepare(k["kab"], k["ppk"], ["BOX-1"])
    b.accept(k["ppk"], p)
    p = b.prepare(k["ppk"], k["pps"], ["BOX-1"], place="310101")
    b.accept(k["pps"], p)
    p = b.prepare(k["pps"], k["kpps"], ["BOX-1"], place="3101011001", at="2024-02-13T08:00:00+07:00")
    b.accept(k["kpps"], p, at=at_accept)


def test_v15_open_rules(tmp_path):
    b, k = base()
    _to_kpps(b, k)
    b.open(k["kpps"], "BOX-1", at="2024-02-14T07:00:00+07:00")          # no witness
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(15, "open_no_witness")}

    b, k = base()
    _to_kpps(b, k)
    b.open(k["kpps"], "BOX-1", cosigners=[k["witness"]], at="2024-02-13T20:00:00+07:00")  # the evening before
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(15, "open_not_allowed")}

    b, k = base()
    b.seal(k["kab"], "BOX-1", ["S-1"])
    p = b.prepare(k["kab"], k["ppk"], ["BOX-1"])
    b.accept(k["ppk"], p)
    b.open(k["ppk"], "BOX-1", cosigners=[k["witness"]], exception="kotak basah, diperiksa", intact=False)
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(15, "open_exception"), (14, "seals_broken")}
    assert report.exit_code == 0


# --- V16, V17 ------------------------------------------------------------------------------------------------------


def test_v16_time(tmp_path):
    b, k = base()
    b.witness(k["witness"], b.ledger_id, at=1_000)
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"], at="2024-01-10T10:00:00+07:00")
    b.accept(k["ppk"], p, at="2024-01-09T10:00:00+07:00")
    report = run(b, tmp_path)
    assert findings_at(report, last(b) - 2) == {(16, "before_genesis")}
    assert findings_at(report, last(b)) == {(16, "time_backwards")}


def test_v17_late_delivery(tmp_path):
    b, k = base()
    _to_kpps(b, k, at_accept="2024-02-14T06:30:00+07:00")
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(17, "late_delivery")}
    assert report.exit_code == 0

    b, k = base()
    _to_kpps(b, k, at_accept="2024-02-13T23:59:00+07:00")
    assert run(b, tmp_path).findings == []


# --- V19 -------------------------------------------------------------------------------------------------


def test_v19_answer_more_than_72_hours_after_the_prepare(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"], at="2024-02-01T08:00:00+07:00")
    b.accept(k["ppk"], p, at="2024-02-04T08:00:00+07:00")  # exactly 72 hours: not a gap
    p = b.prepare(k["ppk"], k["pps"], ["BAL-1"], place="310101", at="2024-02-04T09:00:00+07:00")
    b.refuse(k["pps"], p, at="2024-02-07T09:01:00+07:00")  # 72 hours and a minute
    report = run(b, tmp_path)
    assert_only(report, last(b), (18, "refused"), (19, "custody_gap"))
    gap = next(f for f in report.findings if f.check == 19)
    assert gap.params["hours"] == 72 and gap.severity == "notice"
    assert report.exit_code == 0


def test_v19_items_left_in_transit_at_the_end(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1", "BOX-1"], at="2024-02-01T08:00:00+07:00")
    prepared = last(b)
    b.prepare(k["kab"], k["ppk"], ["BAL-2"], at="2024-02-05T07:00:00+07:00")  # 25 hours before the end: in time
    b.witness(k["witness"], p, at="2024-02-06T08:00:00+07:00")  # the ledger's latest record
    report = run(b, tmp_path)
    stuck = [f for f in report.findings if f.check == 19]
    assert [(f.code, f.position) for f in stuck] == [("still_in_transit", prepared)]
    assert stuck[0].params["items"] == "BAL-1, BOX-1" and stuck[0].params["hours"] == 120
    assert report.exit_code == 0


# --- V18 ------------------------------------------------------------------------------------------------------------


def test_v18_witnessed_acts(tmp_path):
    b, k = base()
    b.destroy(k["kab"], ["BAL-1"])
    b.incident(k["escort"], "flood", "banjir di gudang", {"SEGEL-1": {"condition": "wet"}})
    p = b.prepare(k["kab"], k["ppk"], ["BAL-2"])
    b.refuse(k["ppk"], p, "bukan untuk kecamatan ini")
    b.prepare(k["kab"], k["ppk"], ["BAL-2"])  # custody stayed with the giver
    report = run(b, tmp_path)
    n = last(b)
    assert findings_at(report, n - 4) == {(18, "destroy_no_witness")}
    assert findings_at(report, n - 3) == {(18, "incident")}
    assert findings_at(report, n - 1) == {(18, "refused")}
    assert findings_at(report, n) == set()


def test_loss_is_a_custody_break(tmp_path):
    b, k = base()
    b.incident(k["kab"], "loss", "hilang di pelabuhan", {"BAL-1": {}})
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "item_lost")}


def test_v9_lost_item_cannot_be_accepted_but_can_be_refused(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1", "BAL-2"])
    b.incident(k["kab"], "loss", "hanyut", {"BAL-1": {}})  # the holder's (an escort's is a report: SPEC 4.11)
    b.accept(k["ppk"], p)
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(9, "item_lost")}

    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.incident(k["kab"], "loss", "hanyut", {"BAL-1": {}})
    b.refuse(k["ppk"], p)
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(18, "refused")}


def test_seal_stock_may_be_packed(tmp_path):
    b, k = base()
    b.pack(k["kab"], "BOX-1", ["SEGEL-1"])
    assert run(b, tmp_path).findings == []


def test_v5_listed_escorts_must_be_enrolled(tmp_path):
    b, k = base()
    b.prepare(k["kab"], k["ppk"], ["BAL-1"], escorts=[b.key("stranger")], witnesses=[k["witness"]])
    report = run(b, tmp_path)
    assert findings_at(report, last(b)) == {(5, "listed_not_enrolled")}


def test_v7_witness_targets_must_be_earlier_records(tmp_path):
    b, k = base()
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    b.witness(k["witness"], p)                      # a record with lines: settled after the pass
    b.witness(k["witness"], b.ledger_id)  # the genesis: known by id
    later = b.accept(k["ppk"], p)
    # A witness of a record that comes only after it is not "an earlier record".
    body = b.body("witness", k["witness"], target=later, statement="x")
    raw = envelope(canonical(body), k["witness"])
    records = b.records[:-1] + [raw, b.records[-1]]
    report = run(b, tmp_path, records=records)
    assert {(f.position, f.check, f.code) for f in report.findings} == {(len(records) - 2, 7, "unknown_target")}


def test_v7_replays_of_each_shape(tmp_path):
    b, k = base()
    register = b.records[-1]
    enrol = b.records[2]
    b.witness(k["witness"], b.ledger_id)
    witness = b.records[-1]
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"])
    a = b.accept(k["ppk"], p)
    records = b.records + [register, enrol, witness, b.records[-2], b.records[-1]]
    report = run(b, tmp_path, records=records)
    n = len(b.records)
    assert {(f.position, f.code) for f in report.findings} == {(n + i, "replay") for i in range(5)}
    assert a


def test_cli_words_the_part_parameter_in_each_language():
    """``part`` is a code ("author"); ``serah verify`` says it in the reader's language."""
    i18n = pytest.importorskip("cli.i18n")
    from cli.commands.verify import line
    from verifier.report import Finding

    revoked = Finding(5, "error", "revoked_signer", {"signer": "1-2", "part": "cosigner", "revoked_at": 12345}, "ab" * 32,
                      None, 12346)
    canonical_ = Finding(1, "error", "sce_float", {"part": "body", "offset": 3}, "ab" * 32, None, 0)
    before = i18n.get_lang()
    try:
        i18n.set_lang("id")
        assert "penanda tangan bersama 1-2 sudah dicabut (rekaman #12345)" in line(revoked)
        assert line(revoked).startswith("#12346 V5 ")
        assert ": isi rekaman tidak kanonik" in line(canonical_)
        i18n.set_lang("en")
        assert "the cosigner 1-2 was revoked (record #12345)" in line(revoked)
    finally:
        i18n.set_lang(before)
