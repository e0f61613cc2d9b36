"""The tamper suite: a clean ledger written by the real ledger, corrupted on disk.

Each case copies the clean SQLite file, changes it the way an insider with
the file could (SQL after dropping the append-only triggers, byte edits,
records re-signed with the keys this test generated), and asserts that the
check SPEC section 8 names for that fault reports it.
"""

from __future__ import annotations

import pytest

from support.tamper import real
from support.tamper.builder import Key, canonical, decode_envelope, envelope, record_id
from verifier.api import verify

pytest.importorskip("ledger.application")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    path = tmp_path_factory.mktemp("clean") / "ledger.sqlite"
    built = real.build_clean(path)
    rows = real.read_records(path)
    built["path"] = path
    built["rows"] = rows
    built["states"] = [state for _, state in rows]
    built["by_pub"] = {k.pub: k for k in built["keys"].values()}
    built["index"] = {record_id(state): i for i, state in enumerate(built["states"])}
    return built


def test_clean_ledger_has_no_errors(clean):
    report = verify(clean["path"])
    assert report.exit_code == 0, report.findings
    assert report.counts["error"] == report.counts["warning"] == 0
    assert report.records == len(clean["rows"])
    assert report.ledger_id == clean["ids"]["genesis"].hex()
    # The recorded facts, and that the log's keys were taken from the ledger, as notices.
    assert report.codes() == {"qty_observed", "condition", "incident", "tlog_log_key_unpinned",
                              "tlog_witness_keys_unpinned"}
    pinned = verify(clean["path"], log_key=clean["log_vkey"], witness_keys=[clean["witness_vkey"]], quorum=1)
    assert pinned.codes() == {"qty_observed", "condition", "incident"}


def test_clean_ledger_in_parallel_gives_the_same_report(clean):
    one = verify(clean["path"], jobs=1)
    two = verify(clean["path"], jobs=2)
    assert [f.as_dict() for f in one.sorted_findings()] == [f.as_dict() for f in two.sorted_findings()]


# --- helpers for the cases ---------------------------------------------------------------------------


class Case:
    """What a tamper function gets: the clean data and a path to damage."""

    def __init__(self, clean, path):
        self.clean = clean
        self.path = path
        self.ids = clean["ids"]
        self.keys = clean["keys"]
        self.by_pub = clean["by_pub"]
        self.rows = clean["rows"]
        self.states = clean["states"]

    def at(self, name) -> int:
        """0-based index of a named record in global order."""
        return self.clean["index"][self.ids[name]]

    def rowid(self, name) -> int:
        return self.rows[self.at(name)][0]

    def state(self, name) -> bytes:
        return self.states[self.at(name)]

    def body(self, name) -> dict:
        return decode_envelope(self.state(name))[0]

    def ledger_id(self) -> bytes:
        return self.ids["genesis"]

    def new(self, type_, author, cosigners=(), **fields) -> bytes:
        """A fresh, validly signed record appended after the last one."""
        last = decode_envelope(self.states[-1])[0]
        body = {"v": 1, "type": type_, "time": last["time"] + 60_000, "author": self.keys[author].pub,
                "ledger": self.ledger_id(), **fields}
        return envelope(canonical(body), self.keys[author], [self.keys[c] for c in cosigners])

    def head(self, item) -> bytes:
        """The current head of an item in the clean ledger (last record naming it)."""
        head = None
        for state in self.states:
            for line in decode_envelope(state)[0].get("lines", ()):
                if line["item"] == item:
                    head = record_id(state)
        return head

    def position(self, name) -> int:
        return self.at(name)  # SPEC 1: the 0-based place in global order


def flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


# --- the cases: (check SPEC names, tamper) -----------------------------------------------------------


def body_byte_flipped(c):
    raw = c.state("a2")
    offset = raw.index(b"\xa4time") + 6  # inside the time integer: still SCE, no longer signed
    real.update(c.path, c.rowid("a2"), flip(raw, offset + 4))
    return c.position("a2")


def signature_byte_flipped(c):
    raw = c.state("p3")
    real.update(c.path, c.rowid("p3"), flip(raw, len(raw) - 10))
    return c.position("p3")


def record_deleted(c):
    real.delete(c.path, c.rowid("a3"))
    return c.position("a3")  # the incident that followed now sits here and names a missing prev


def records_reordered(c):
    states = list(c.states)
    i, j = c.at("p3"), c.at("a3")
    states[i], states[j] = states[j], states[i]
    real.rewrite(c.path, states)
    return i


def record_duplicated(c):
    real.append(c.path, c.state("seal"))
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def record_inserted(c):
    # An extra, validly signed incident slipped between a prepare and its accept.
    states = list(c.states)
    i = c.at("a2")
    p2 = c.ids["p2"]
    body = {"v": 1, "type": "incident", "time": decode_envelope(states[i])[0]["time"] - 1, "author": c.keys["escort"].pub,
            "ledger": c.ledger_id(), "kind": "other", "description": "x",
            "lines": [{"item": "KS-001-PPWP", "prev": p2}]}
    states.insert(i, envelope(canonical(body), c.keys["escort"]))
    real.rewrite(c.path, states)
    return i + 1  # the accept now names a superseded prev


def author_key_swapped(c):
    env = decode_envelope(c.state("enrol_kab") if "enrol_kab" in c.ids else c.states[1])
    body, sigs = env
    sigs[0][0] = c.keys["ppk"].pub
    raw = canonical({"body": canonical(body), "sigs": sigs})
    real.update(c.path, c.rows[1][0], raw)
    return 1


def handover_by_non_holder(c):
    # The PPS 2 hands over a box it never held, validly signed by itself.
    raw = c.new("handover.prepare", "pps2", to=c.keys["kpps"].pub, place="3101011002", site="x", purpose="y",
                lines=[{"item": "KS-002-PPWP", "prev": c.head("KS-002-PPWP"), "seals": ["A-0003"], "contents": []}])
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def fork(c):
    # The PPK hands the same box over a second time from the state it had at p3.
    body = c.body("p3")
    body["time"] = decode_envelope(c.states[-1])[0]["time"] + 60_000
    raw = envelope(canonical(body), c.keys["ppk"])
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def revoked_key_signs(c):
    raw = c.new("witness", "spare", target=c.ids["genesis"], statement="still here")
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def quantity_inflated(c):
    # The printer's prepare declares 350 instead of 306; re-signed, and everything after re-chained.
    raw = real.resign(c.state("p1"), c.by_pub,
                      lambda b: [line.update(qty=350) for line in b["lines"] if line["item"] == "SS-PPWP-001"])
    real.rewrite(c.path, real.rechain(c.states, c.at("p1"), raw, c.by_pub))
    return c.position("p1")


def seal_number_swapped(c):
    # The seal record now says A-0009; the later prepare still declares A-0001, A-0002.
    raw = real.resign(c.state("seal"), c.by_pub, lambda b: b.update(seals=["A-0001", "A-0009"]))
    real.rewrite(c.path, real.rechain(c.states, c.at("seal"), raw, c.by_pub))
    return c.position("p2")


def truncated_file(c):
    data = c.path.read_bytes()
    c.path.write_bytes(data[: len(data) // 2])
    return None


def wrong_ledger_id(c):
    raw = real.resign(c.state("incident"), c.by_pub, lambda b: b.update(ledger=b"\x07" * 32))
    real.update(c.path, c.rowid("incident"), raw)
    return c.position("incident")


def before_genesis(c):
    genesis_time = c.body("genesis")["time"]
    raw = real.resign(c.state("witness"), c.by_pub, lambda b: b.update(time=genesis_time - 86_400_000))
    real.update(c.path, c.rowid("witness"), raw)
    return c.position("witness")


def open_without_witness(c):
    raw = real.resign(c.state("open"), c.by_pub)  # same body, the witness's co-signature dropped
    body, _ = decode_envelope(c.state("open"))
    raw = envelope(canonical(body), c.keys["kpps"])
    real.rewrite(c.path, real.rechain(c.states, c.at("open"), raw, c.by_pub))
    return c.position("open")


def destroy_without_witness(c):
    body, _ = decode_envelope(c.state("destroy"))
    raw = envelope(canonical(body), c.keys["kab"])
    real.rewrite(c.path, real.rechain(c.states, c.at("destroy"), raw, c.by_pub))
    return c.position("destroy")


def accept_by_wrong_key(c):
    raw = real.resign(c.state("a3"), c.by_pub, lambda b: b.update(author=c.keys["pps2"].pub), author=c.keys["pps2"])
    real.rewrite(c.path, real.rechain(c.states, c.at("a3"), raw, c.by_pub))
    return c.position("a3")


def double_enrolment(c):
    raw = c.new("enrol", "kab", key=c.keys["ppk"].pub, role="ppk", region="310102", name="again", org="PPK lain")
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def root_revoked(c):
    raw = c.new("revoke", "kab", key=c.keys["root"].pub, reason="kudeta")
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def tertukar_without_exception(c):
    # The KPU Kab sends box KS-002 (for TPS 3101011001002) to the PPK, then the PPK to the PPS of
    # another kelurahan (3101011002).
    states = list(c.states)
    k = c.keys
    t = decode_envelope(states[-1])[0]["time"]

    def rec(author, type_, **fields):
        nonlocal t
        t += 60_000
        body = {"v": 1, "type": type_, "time": t, "author": k[author].pub, "ledger": c.ledger_id(), **fields}
        states.append(envelope(canonical(body), k[author]))
        return record_id(states[-1])

    head = c.head("KS-002-PPWP")
    p = rec("kab", "handover.prepare", to=k["ppk"].pub, place="3101", site="g", purpose="d",
            lines=[{"item": "KS-002-PPWP", "prev": head, "seals": ["A-0003"], "contents": []}])
    a = rec("ppk", "handover.accept", handover=p,
            lines=[{"item": "KS-002-PPWP", "prev": p, "seals": ["A-0003"], "condition": "ok"}])
    rec("ppk", "handover.prepare", to=k["pps2"].pub, place="310101", site="g", purpose="d",
        lines=[{"item": "KS-002-PPWP", "prev": a, "seals": ["A-0003"], "contents": []}])
    real.rewrite(c.path, states)
    return len(states) - 1


def after_destruction(c):
    raw = c.new("handover.prepare", "kab", to=c.keys["ppk"].pub, place="3101", site="x", purpose="y",
                lines=[{"item": "SS-DPR-001", "prev": c.ids["destroy"], "qty": 304}])
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def registered_again(c):
    raw = c.new("register", "printer", lines=[{"item": "SS-PPWP-001", "prev": None, "kind": "ballots",
                                                "dest": "3101011001001", "qty": 999, "election": "PPWP",
                                                "dapil": "DKI"}])
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def enrolled_by_non_kpu(c):
    raw = c.new("enrol", "pps", key=Key("new kpps").pub, role="kpps", region="3101011001009", name="x", org="y")
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def mixed_order_key_enrolled(c):
    """SPEC 4.2: a real key plus the point of order 8 from fixtures/vectors (V6)."""
    from verifier import edwards

    t8 = edwards.decode(bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"))
    x, y, z, _ = edwards.add(edwards.decode(Key("mixed").pub), t8)
    zi = pow(z, -1, edwards.P)
    x, y = x * zi % edwards.P, y * zi % edwards.P
    mixed = (y | (x & 1) << 255).to_bytes(32, "little")
    real.append(c.path, c.new("enrol", "kab", key=mixed, role="kpps", region="3101011001009", name="x", org="y"))
    return len(c.states)


def genesis_deleted(c):
    real.delete(c.path, c.rows[0][0])
    return 0  # the record that now comes first


def accept_backdated(c):
    p4_time = c.body("p4")["time"]
    raw = real.resign(c.state("a4"), c.by_pub, lambda b: b.update(time=p4_time - 3_600_000))
    real.rewrite(c.path, real.rechain(c.states, c.at("a4"), raw, c.by_pub))
    return c.position("a4")


def tally_falsified(c):
    raw = real.resign(c.state("tally"), c.by_pub,
                      lambda b: [line.update(used=280) for line in b["lines"] if line["item"] == "SS-PPWP-001"])
    real.rewrite(c.path, real.rechain(c.states, c.at("tally"), raw, c.by_pub))
    return c.position("tally")


def path_skipped(c):
    # KPU Kab straight to a KPPS, no exception stated.
    raw = c.new("handover.prepare", "kab", to=c.keys["kpps"].pub, place="3101", site="x", purpose="y",
                lines=[{"item": "KS-002-PPWP", "prev": c.head("KS-002-PPWP"), "seals": ["A-0003"], "contents": []}])
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def non_canonical_body(c):
    # Same fields, keys written in insertion order (not sorted), validly signed by the author.
    import msgpack

    body, sigs = decode_envelope(c.state("witness"))
    body_bytes = msgpack.packb(dict(reversed(list(body.items()))), use_bin_type=True)
    raw = envelope(body_bytes, c.keys["witness"])
    real.update(c.path, c.rowid("witness"), raw)
    return c.position("witness")


def unknown_field(c):
    raw = real.resign(c.state("witness"), c.by_pub, lambda b: b.update(gps="-5.74,106.61"))
    real.update(c.path, c.rowid("witness"), raw)
    return c.position("witness")


def replay_from_another_ledger(c, tmp=None):
    # The same witness statement re-signed for a different ledger id and slipped in.
    raw = real.resign(c.state("witness"), c.by_pub, lambda b: b.update(ledger=record_id(b"another ledger")))
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def garbage_row(c):
    real.append(c.path, b"\x82\xa4body\xc4\x05hello\xa4sigs\x90")
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def accept_replayed_after_close(c):
    raw = real.resign(c.state("a2"), c.by_pub, lambda b: b.update(time=b["time"] + 1))
    real.append(c.path, raw)
    return len(c.states)  # the appended record: 0-based (SPEC 1)


def declared_seals_wrong(c):
    raw = real.resign(c.state("p2"), c.by_pub,
                      lambda b: [line.update(seals=["A-0001"]) for line in b["lines"] if line["item"] == "KS-001-PPWP"])
    real.rewrite(c.path, real.rechain(c.states, c.at("p2"), raw, c.by_pub))
    return c.position("p2")


CASES = {
    "flipped byte in a body": (4, body_byte_flipped),
    "flipped byte in a signature": (4, signature_byte_flipped),
    "record deleted": (7, record_deleted),
    "records reordered": (7, records_reordered),
    "record duplicated (replay)": (7, record_duplicated),
    "record inserted": (8, record_inserted),
    "author key swapped": (4, author_key_swapped),
    "handover by a non-holder": (9, handover_by_non_holder),
    "fork": (8, fork),
    "record by a revoked key": (5, revoked_key_signs),
    "quantity inflated, re-signed": (13, quantity_inflated),
    "seal number swapped, re-signed": (14, seal_number_swapped),
    "wrong ledger id": (3, wrong_ledger_id),
    "record before genesis time": (16, before_genesis),
    "open without witness": (15, open_without_witness),
    "destroy without witness": (18, destroy_without_witness),
    "accept by the wrong key": (9, accept_by_wrong_key),
    "double enrolment": (6, double_enrolment),
    "revocation of a root": (6, root_revoked),
    "tertukar without exception": (11, tertukar_without_exception),
    "something after destruction": (12, after_destruction),
    "item registered again": (7, registered_again),
    "enrolment by a non-kpu": (5, enrolled_by_non_kpu),
    "genesis deleted": (3, genesis_deleted),
    "mixed-order key enrolled": (6, mixed_order_key_enrolled),
    "acceptance back-dated": (16, accept_backdated),
    "tally falsified": (13, tally_falsified),
    "handover skipping levels": (10, path_skipped),
    "non-canonical body, re-signed": (1, non_canonical_body),
    "unknown field, re-signed": (2, unknown_field),
    "record from another ledger": (3, replay_from_another_ledger),
    "garbage row": (2, garbage_row),
    "accept replayed after close": (9, accept_replayed_after_close),
    "declared seals wrong, re-signed": (14, declared_seals_wrong),
}


@pytest.mark.parametrize("name", list(CASES))
def test_tamper_is_caught_by_the_named_check(clean, tmp_path, name):
    check, tamper = CASES[name]
    path = tmp_path / "tampered.sqlite"
    real.copy(clean["path"], path)
    position = tamper(Case(clean, path))
    report = verify(path)
    assert report.fatal is None, report.fatal
    assert report.exit_code == 1, (name, report.findings)
    at = {f.check for f in report.findings if f.position == position and f.severity != "notice"}
    assert check in at, (name, position, [(f.position, f.check, f.code) for f in report.findings])


def test_truncated_database_is_unusable(clean, tmp_path):
    path = tmp_path / "tampered.sqlite"
    real.copy(clean["path"], path)
    truncated_file(Case(clean, path))
    report = verify(path)
    assert report.exit_code == 2
    assert report.fatal[0] == "input_corrupt"


def test_there_are_at_least_25_distinct_tamper_cases():
    assert len(CASES) >= 25
    assert len({check for check, _ in CASES.values()}) >= 15


def test_finding_position_is_the_ledgers_position(clean, tmp_path):
    """SPEC 1, 8: ``serah verify`` and ``serah history`` name a record by one number."""
    from ledger.application import Ledger
    from verifier.messages import line

    for name in ("p3", "a2"):
        reader = tmp_path / f"reader-{name}.sqlite"
        real.copy(clean["path"], reader)
        ledger = Ledger(str(reader))
        try:
            expected = ledger.position(clean["ids"][name])
        finally:
            ledger.close()
        assert expected > 0
        path = tmp_path / f"tampered-{name}.sqlite"
        real.copy(clean["path"], path)
        raw = real.read_records(path)[expected][1]
        assert record_id(raw) == clean["ids"][name]
        real.update(path, real.read_records(path)[expected][0], flip(raw, len(raw) - 10))  # break its signature
        report = verify(path)
        broken = [f for f in report.findings if f.code == "bad_signature"]
        assert [f.position for f in broken] == [expected], report.findings
        assert line(broken[0]).startswith(f"#{expected} V4 ")


# --- rows of stored_events SPEC 9.4 and 9.3 rule out (S1, S2, SPEC 9.6) ---------------------------


def test_a_deleted_revoke_is_a_rowid_gap(clean, tmp_path):
    """Deleting the revoke record from the middle reactivates the stolen key; the gap it leaves is S1."""
    path = tmp_path / "tampered.sqlite"
    real.copy(clean["path"], path)
    case = Case(clean, path)
    rowid = case.rowid("revoke")
    real.delete(path, rowid)
    report = verify(path)
    gaps = [f for f in report.findings if f.label == "S1"]
    assert [(f.code, f.params["after"], f.params["next"]) for f in gaps] == [("storage_rowid_gap", rowid - 1, rowid + 1)]
    assert report.exit_code == 1
    from verifier.__main__ import main

    assert main([str(path), "--quiet"]) == 1


def test_a_record_row_with_a_blob_topic_is_reported_not_counted(clean, tmp_path):
    """SPEC 9.3: only a TEXT topic makes a record; a BLOB 'serah:record' row takes no position and is S2."""
    import sqlite3

    path = tmp_path / "tampered.sqlite"
    real.copy(clean["path"], path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
                 ("blob-topic", b"serah:record", clean["states"][-1]))
    conn.commit()
    conn.close()
    report = verify(path)
    assert report.records == len(clean["states"])  # positions unchanged: the row is not a record
    assert [(f.label, f.code, f.params["storage"]) for f in report.findings if f.label == "S2"] == [
        ("S2", "storage_topic_class", "blob")]
    assert report.exit_code == 1 and not any(f.label == "T4" for f in report.findings)
