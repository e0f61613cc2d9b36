"""Every refusal raises its specific error and leaves the database exactly as
it was (a full dump of every table, before and after)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass

import pytest

from ledger import keys, records
from ledger.application import Ledger
from ledger.encoding import decode, encode
from ledger.errors import (
    AlreadyEnrolled,
    AlreadyInitialised,
    AlreadyRegistered,
    BadSignature,
    BadTime,
    BoxSealed,
    DuplicateRecord,
    ExceptionRequired,
    HandoverClosed,
    InTransit,
    InvalidInput,
    ItemDestroyed,
    ItemLost,
    ItemPacked,
    KeyRevoked,
    NotEnrolled,
    NotHolder,
    NotInitialised,
    OutOfJurisdiction,
    RoleNotAllowed,
    SealInUse,
    SerahError,
    StaleRecord,
    UnknownItem,
    UnknownRecord,
    WitnessRequired,
    WrongDestination,
    WrongLedger,
    WrongReceiver,
)
from support.scenario import BALLOTS, BOX, TPS1, TPS2, Cast, Clock, dump

BOX2 = "KS-3101011001002-BOX-PPWP"
LOOSE2 = "KS-3101011001002-PPWP"
BOX3 = "KS-3101011001003-BOX-PPWP"
WRECK = "KS-RUSAK-0001"


@dataclass
class World:
    ledger: Ledger
    clock: Clock
    cast: Cast
    path: str
    accepted: bytes  # prepare of BOX to the PPK, accepted
    open_prep: bytes  # prepare of BOX3 to the PPK, in transit


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A ledger in mid-distribution, built once; each test gets a copy.

    BOX (sealed, with BALLOTS) is held by the PPK; BOX2 (empty, unsealed)
    and LOOSE2 by the KPU; BOX3 is in transit from the KPU to the PPK;
    WRECK was destroyed.
    """
    path = str(tmp_path_factory.mktemp("base") / "base.sqlite")
    clock, cast = Clock(), Cast()
    ledger = Ledger(path, clock=clock)
    cast.setup(ledger, clock)
    clock.set("2024-01-20 09:00")
    kab = cast.kpu_kab
    ledger.register(
        kab,
        [
            {"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"},
            {"item": BALLOTS, "kind": "ballots", "dest": TPS1, "qty": 306, "election": "PPWP", "dapil": "DKI JAKARTA"},
            {"item": BOX2, "kind": "box", "dest": TPS2, "election": "PPWP"},
            {"item": LOOSE2, "kind": "ballots", "dest": TPS2, "qty": 300, "election": "PPWP", "dapil": "DKI JAKARTA"},
            {"item": BOX3, "kind": "box", "dest": "3101011001003", "election": "PPWP"},
            {"item": WRECK, "kind": "other", "dest": "3101", "qty": 1, "label": "bilik rusak"},
        ],
    )
    ledger.pack(kab, BOX, [BALLOTS])
    ledger.seal(kab, BOX, ["SGL-0001"])
    ledger.destroy(kab, [WRECK], "dibakar", "rusak", [cast.bawaslu])
    clock.set("2024-02-08 07:00")
    accepted = ledger.prepare(kab, cast.ppk.public, [BOX], "310101", "Dermaga Kali Adem", "distribusi")
    ledger.accept(cast.ppk, accepted)
    open_prep = ledger.prepare(kab, cast.ppk.public, [BOX3], "310101", "Dermaga Kali Adem", "distribusi")
    ledger.close()
    return path, clock.now, accepted, open_prep


@pytest.fixture
def world(base, tmp_path):
    path, now, accepted, open_prep = base
    copy = str(tmp_path / "ledger.sqlite")
    shutil.copyfile(path, copy)
    clock = Clock()
    clock.now = now
    ledger = Ledger(copy, clock=clock)
    yield World(ledger, clock, Cast(), copy, accepted, open_prep)
    ledger.close()


def refused(world: World, error: type[SerahError], action, code: str | None = None) -> SerahError:
    """Runs ``action``; it must raise ``error`` and write nothing."""
    before = dump(world.path)
    with pytest.raises(error) as info:
        action()
    assert dump(world.path) == before
    assert isinstance(info.value, SerahError) and info.value.code
    if code:
        assert info.value.code == code
    return info.value


def resign(envelope: bytes, signer: keys.Signer, **changes) -> bytes:
    """The same body with ``changes``, validly signed by ``signer``."""
    body = records.parse(envelope).body
    body.update(changes)
    body["author"] = signer.public
    return records.sign(body, signer)


# --- the refusals the brief names -------------------------------------------------------

def test_handover_by_a_non_holder(world):
    c = world.cast
    # The PPS does not hold BOX (the PPK does).
    e = refused(world, NotHolder, lambda: world.ledger.prepare(c.pps, c.kpps.public, [BOX], TPS1, "TPS", "x"))
    assert e.params["item"] == BOX and e.params["key"] == c.pps.fingerprint
    # The same, signed elsewhere and submitted.
    forged_body = records.build(
        "handover.prepare", c.pps, world.ledger.ledger_id, world.clock(), to=c.kpps.public, place=TPS1, site="s",
        purpose="p", lines=[{"item": BOX, "prev": world.ledger.item(BOX).head, "seals": ["SGL-0001"], "contents": [[BALLOTS, 306]]}],
    )
    refused(world, NotHolder, lambda: world.ledger.submit(records.sign(forged_body, c.pps)))


def test_double_accept(world):
    c = world.cast
    refused(world, HandoverClosed, lambda: world.ledger.accept(c.ppk, world.accepted), "handover_closed")


def test_accept_by_the_wrong_receiver(world):
    c = world.cast
    e = refused(world, WrongReceiver, lambda: world.ledger.accept(c.ppk_selatan, world.open_prep))
    assert e.params["expected"] == c.ppk.fingerprint
    refused(world, WrongReceiver, lambda: world.ledger.refuse(c.pps, world.open_prep, "bukan untuk saya"))


def test_an_unknown_observation_is_refused_by_accept_and_by_partial(world):
    c = world.cast
    odd = {BOX3: {"weight": "12 kg"}}
    for action in (lambda: world.ledger.accept(c.ppk, world.open_prep, observed=odd),
                   lambda: world.ledger.partial(c.ppk, world.open_prep, [], "sebagian", observed=odd)):
        e = refused(world, InvalidInput, action)
        assert "weight" in str(e)


def test_revoked_key(world):
    c = world.cast
    world.ledger.revoke(c.kpu_kab, c.ppk.public, "kunci hilang")
    assert world.ledger.custodian(c.ppk.public).revoked
    refused(world, KeyRevoked, lambda: world.ledger.accept(c.ppk, world.open_prep))
    refused(world, KeyRevoked, lambda: world.ledger.prepare(c.ppk, c.pps.public, [BOX], "3101011001", "s", "p"))
    # Nor may anyone hand items to it, or use it as a co-signer.
    refused(world, KeyRevoked, lambda: world.ledger.prepare(c.kpu_kab, c.ppk.public, [BOX2], "310101", "s", "p"))
    refused(world, KeyRevoked, lambda: world.ledger.destroy(c.kpu_kab, [LOOSE2], "m", "r", [c.bawaslu, c.ppk]))
    refused(world, KeyRevoked, lambda: world.ledger.revoke(c.kpu_kab, c.ppk.public, "lagi"))


def test_wrong_jurisdiction_key(world):
    c = world.cast
    # KPU Kep. Seribu registering for Jakarta Pusat; enrolling a PPK there.
    refused(
        world, OutOfJurisdiction,
        lambda: world.ledger.register(c.kpu_kab, [{"item": "JP-BOX-1", "kind": "box", "dest": "3171011001001", "election": "DPR"}]),
        "out_of_jurisdiction",
    )
    refused(world, OutOfJurisdiction, lambda: world.ledger.enrol(c.kpu_kab, keys.generate().public, "ppk", "317101", "n", "o"))
    # A kpu key may only delegate strictly below itself.
    refused(world, OutOfJurisdiction, lambda: world.ledger.enrol(c.kpu_kab, keys.generate().public, "kpu", "3101", "n", "o"))
    refused(world, OutOfJurisdiction, lambda: world.ledger.enrol(c.kpu_dki, keys.generate().public, "kpu", "32", "n", "o"))
    # Revoking a key outside one's region.
    refused(world, OutOfJurisdiction, lambda: world.ledger.revoke(c.kpu_kab, c.polair.public, "x"))


def test_forged_signature(world):
    c = world.cast
    env = world.ledger.prepare(c.kpu_kab, c.ppk.public, [BOX2], "310101", "s", "p", submit=False)
    outer = decode(env)
    # A body claiming the KPU as author, signed by the PPS.
    outer["sigs"][0][1] = c.pps.sign(records.SIG_PREFIX + outer["body"])
    refused(world, BadSignature, lambda: world.ledger.submit(encode(outer)), "bad_signature")
    # The PPS's own key in the author slot of the KPU's body.
    outer["sigs"][0][0] = c.pps.public
    refused(world, BadSignature, lambda: world.ledger.submit(encode(outer)))
    # Accepting a forged prepare file appends nothing either.
    refused(world, BadSignature, lambda: world.ledger.accept(c.ppk, encode(outer)))


def test_replayed_record(world):
    all_records = [e for _, e in world.ledger.records()]
    for envelope in (all_records[1], all_records[-2], world.accepted):
        refused(world, DuplicateRecord, lambda e=envelope: world.ledger.submit(e), "duplicate_record")
    refused(world, AlreadyInitialised, lambda: world.ledger.submit(all_records[0]))


def test_replayed_prepare_after_acceptance(world):
    c = world.cast
    refused(world, DuplicateRecord, lambda: world.ledger.submit(world.accepted))
    # A new prepare from the giver's stale view (prev = the old head): a fork.
    stale = resign(world.accepted, c.kpu_kab, time=world.clock())
    refused(world, StaleRecord, lambda: world.ledger.submit(stale))
    # And the accept of the old prepare, once more.
    refused(world, HandoverClosed, lambda: world.ledger.accept(c.ppk, world.accepted))


def test_tampered_handover_file(world, tmp_path):
    c = world.cast
    env = world.ledger.prepare(c.kpu_kab, c.ppk.public, [BOX2], "310101", "Dermaga Kali Adem", "p", submit=False)
    path = tmp_path / "bast.serah"
    records.write_handover_file(path, [env])
    data = bytearray(path.read_bytes())
    data[data.index(b"Kali Adem")] ^= 0x20  # "kali Adem"
    path.write_bytes(bytes(data))
    refused(world, BadSignature, lambda: records.read_handover_file(path))
    # Even if a careless reader skipped the file check, the ledger refuses it.
    tampered = decode(bytes(data))["records"][0]
    refused(world, BadSignature, lambda: world.ledger.accept(c.ppk, tampered))
    refused(world, BadSignature, lambda: world.ledger.submit(tampered))
    # Every single flipped bit of the file is refused (file or signature).
    good = path.read_bytes()
    records.write_handover_file(path, [env])
    good = path.read_bytes()
    before = dump(world.path)
    for i in range(0, len(good), 7):
        bad = bytearray(good)
        bad[i] ^= 0x04
        path.write_bytes(bytes(bad))
        with pytest.raises(SerahError):
            for envelope in records.read_handover_file(path):
                world.ledger.accept(c.ppk, envelope)
    assert dump(world.path) == before


def test_unknown_item(world):
    c = world.cast
    refused(world, UnknownItem, lambda: world.ledger.prepare(c.kpu_kab, c.ppk.public, ["NO-SUCH-BOX"], "310101", "s", "p"))
    refused(world, UnknownItem, lambda: world.ledger.item("NO-SUCH-BOX"))
    refused(world, UnknownItem, lambda: world.ledger.history("NO-SUCH-BOX"))
    body = records.build(
        "incident", c.polair, world.ledger.ledger_id, world.clock(), kind="loss", description="hanyut",
        lines=[{"item": "NO-SUCH-BOX", "prev": b"\x00" * 32}],
    )
    refused(world, UnknownItem, lambda: world.ledger.submit(records.sign(body, c.polair)), "unknown_item")


def test_anything_on_a_destroyed_item(world):
    c = world.cast
    ledger = world.ledger
    head = ledger.item(WRECK).head
    refused(world, ItemDestroyed, lambda: ledger.prepare(c.kpu_kab, c.ppk.public, [WRECK], "310101", "s", "p"))
    refused(world, ItemDestroyed, lambda: ledger.destroy(c.kpu_kab, [WRECK], "m", "r", [c.bawaslu]))
    refused(world, ItemDestroyed, lambda: ledger.incident(c.polair, "other", "ditemukan", {WRECK: {}}))
    refused(world, ItemDestroyed, lambda: ledger.pack(c.kpu_kab, BOX2, [WRECK]))
    body = records.build(
        "handover.prepare", c.kpu_kab, ledger.ledger_id, world.clock(), to=c.ppk.public, place="310101", site="s",
        purpose="p", lines=[{"item": WRECK, "prev": head, "qty": 1}],
    )
    refused(world, ItemDestroyed, lambda: ledger.submit(records.sign(body, c.kpu_kab)), "item_destroyed")


def test_wrong_ledger_id(world, tmp_path):
    c = world.cast
    other = Ledger(str(tmp_path / "other.sqlite"))
    other.genesis([c.kpu_ri], "serah.kpu.go.id/3171/pemilu-2024", "Pemilu 2024", "2024-02-14")
    env = records.sign(
        records.build("enrol", c.kpu_ri, other.ledger_id, world.clock(), key=keys.generate().public, role="witness",
                      region="", name="n", org="o"),
        c.kpu_ri,
    )
    e = refused(world, WrongLedger, lambda: world.ledger.submit(env), "wrong_ledger")
    assert e.params["got"] == other.ledger_id.hex()
    other.close()


# --- more refusals --------------------------------------------------------------------

def test_not_initialised_and_already_initialised(world, tmp_path):
    c = world.cast
    empty_path = str(tmp_path / "empty.sqlite")
    empty = Ledger(empty_path)
    before = dump(empty_path)
    with pytest.raises(NotInitialised):
        empty.enrol(c.kpu_ri, c.ppk.public, "ppk", "310101", "n", "o")
    with pytest.raises(NotInitialised):
        empty.submit(world.accepted)
    assert dump(empty_path) == before
    assert empty.ledger_id is None and empty.genesis_body is None
    refused(world, AlreadyInitialised, lambda: world.ledger.genesis([c.kpu_ri], "x", "y", "2024-02-14"))
    empty.close()


def test_genesis_needs_every_root_signature(tmp_path):
    a, b = keys.generate(), keys.generate()
    ledger = Ledger(str(tmp_path / "g.sqlite"))
    body = records.build(
        "genesis", a, None, None, name="n", election="e", vote_date="2024-02-14", utc_offset=420,
        roots=[{"key": a.public, "name": "A", "region": ""}, {"key": b.public, "name": "B", "region": ""}],
    )
    with pytest.raises(BadSignature):
        ledger.submit(records.sign(body, a))
    with pytest.raises(NotEnrolled):
        ledger.submit(records.sign(body, a, [b, keys.generate()]))
    ledger.submit(records.sign(body, a, [b]))
    assert ledger.custodian(b.public).root
    ledger.close()


def test_enrolment_rules(world):
    c = world.cast
    refused(world, AlreadyEnrolled, lambda: world.ledger.enrol(c.kpu_kab, c.ppk.public, "ppk", "310101", "n", "o"))
    refused(world, AlreadyEnrolled, lambda: world.ledger.enrol(c.kpu_ri, c.kpu_ri.public, "kpu", "31", "n", "o"))
    refused(world, RoleNotAllowed, lambda: world.ledger.enrol(c.ppk, keys.generate().public, "pps", "3101011001", "n", "o"))
    e = refused(world, InvalidInput, lambda: world.ledger.enrol(c.kpu_kab, keys.generate().public, "kpps", "3101011001", "n", "o"))
    assert e.code == "region_role_mismatch"
    refused(world, InvalidInput, lambda: world.ledger.revoke(c.kpu_dki, c.kpu_ri.public, "x"), "root_not_revocable")
    refused(world, NotEnrolled, lambda: world.ledger.revoke(c.kpu_ri, keys.generate().public, "x"))
    refused(world, NotEnrolled, lambda: world.ledger.enrol(keys.generate(), keys.generate().public, "ppk", "310101", "n", "o"))


def test_register_rules(world):
    c = world.cast
    refused(world, AlreadyRegistered, lambda: world.ledger.register(c.kpu_kab, [{"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"}]))
    refused(world, RoleNotAllowed, lambda: world.ledger.register(c.ppk, [{"item": "X-1", "kind": "box", "dest": TPS1, "election": "PPWP"}]))
    refused(world, InvalidInput, lambda: world.ledger.register(c.kpu_kab, [{"item": "X-1", "kind": "box", "dest": TPS1, "election": "PPWP", "colour": "grey"}]))


def test_custody_state_rules(world):
    c = world.cast
    ledger = world.ledger
    refused(world, InTransit, lambda: ledger.prepare(c.kpu_kab, c.ppk.public, [BOX3], "310101", "s", "p"), "in_transit")
    refused(world, NotHolder, lambda: ledger.prepare(c.ppk, c.pps.public, [BOX3], "3101011001", "s", "p"))
    ledger.pack(c.kpu_kab, BOX2, [LOOSE2])
    refused(world, ItemPacked, lambda: ledger.prepare(c.kpu_kab, c.ppk.public, [LOOSE2], "310101", "s", "p"), "item_packed")
    refused(world, ItemPacked, lambda: ledger.pack(c.kpu_kab, BOX2, [LOOSE2]))
    refused(world, BoxSealed, lambda: ledger.seal(c.ppk, BOX, ["SGL-7777"]), "box_sealed")
    ledger.register(c.kpu_kab, [{"item": "KS-TINTA-1", "kind": "other", "dest": TPS1, "qty": 2, "label": "tinta"}])
    refused(world, BoxSealed, lambda: ledger.pack(c.ppk, BOX, ["KS-TINTA-1"]))
    refused(world, SealInUse, lambda: ledger.seal(c.kpu_kab, BOX2, ["SGL-0001"]), "seal_in_use")
    refused(world, InvalidInput, lambda: ledger.seal(c.kpu_kab, BOX2, ["S-1", "S-1"]), "duplicate_value")
    refused(world, InvalidInput, lambda: ledger.pack(c.kpu_kab, LOOSE2, [BOX2]), "not_a_box")


def test_lost_items(world):
    c = world.cast
    ledger = world.ledger
    ledger.incident(c.polair, "loss", "hanyut saat penyeberangan", {BOX3: {}})
    assert ledger.item(BOX3).state == "transit"  # SPEC 4.11: the escort's incident is a report
    ledger.incident(c.kpu_kab, "loss", "hanyut saat penyeberangan (laporan Polair)", {BOX3: {}})  # the holder's
    assert ledger.item(BOX3).state == "lost"
    refused(world, ItemLost, lambda: ledger.accept(c.ppk, world.open_prep), "item_lost")
    refused(world, ItemLost, lambda: ledger.prepare(c.kpu_kab, c.ppk.public, [BOX3], "310101", "s", "p"))
    ledger.refuse(c.ppk, world.open_prep, "kotak tidak sampai")
    assert ledger.item(BOX3).state == "lost" and ledger.item(BOX3).holder == c.kpu_kab.public


def test_path_destination_and_roles(world):
    c = world.cast
    ledger = world.ledger
    # Printer straight to a PPK: off the path, no exception.
    ledger.register(c.printer, [{"item": "P-1", "kind": "ballots", "dest": TPS1, "qty": 10, "election": "DPD", "dapil": "DKI"}])
    refused(world, ExceptionRequired, lambda: ledger.prepare(c.printer, c.ppk.public, ["P-1"], "310101", "s", "p"), "exception_required")
    ledger.prepare(c.printer, c.ppk.public, ["P-1"], "310101", "s", "p", exception="kapal KPU rusak, langsung ke PPK")
    # Tertukar: a box for Pulau Panggang to the PPK of the other kecamatan.
    e = refused(world, WrongDestination, lambda: ledger.prepare(c.kpu_kab, c.ppk_selatan.public, [BOX2], "310102", "s", "p"))
    assert e.params["dest"] == TPS2
    # Escorts and witnesses never hold; handing over to oneself is refused.
    refused(world, RoleNotAllowed, lambda: ledger.prepare(c.kpu_kab, c.polair.public, [BOX2], "31", "s", "p"))
    refused(world, InvalidInput, lambda: ledger.prepare(c.kpu_kab, c.kpu_kab.public, [BOX2], "31", "s", "p"), "self_handover")
    refused(world, NotEnrolled, lambda: ledger.prepare(c.kpu_kab, keys.generate().public, [BOX2], "31", "s", "p"))
    refused(world, NotEnrolled, lambda: ledger.prepare(c.kpu_kab, c.ppk.public, [BOX2], "31", "s", "p", escorts=[keys.generate().public]))
    # Only a KPPS tallies, only a KPU destroys.
    refused(world, RoleNotAllowed, lambda: ledger.tally(c.kpu_kab, {LOOSE2: {"used": 300, "unused": 0, "spoiled": 0}}))
    refused(world, RoleNotAllowed, lambda: ledger.destroy(c.ppk, [BOX], "m", "r", [c.bawaslu]))


def test_witnessed_acts(world):
    c = world.cast
    ledger = world.ledger
    refused(world, WitnessRequired, lambda: ledger.destroy(c.kpu_kab, [LOOSE2], "m", "r", []), "witness_required")
    refused(world, WitnessRequired, lambda: ledger.destroy(c.kpu_kab, [LOOSE2], "m", "r", [c.polair]))
    refused(world, WitnessRequired, lambda: ledger.open_box(c.ppk, BOX, ["SGL-0001"], True, "cek", [], exception="x"))
    # A PPK opening a box needs a written exception, even witnessed.
    refused(world, ExceptionRequired, lambda: ledger.open_box(c.ppk, BOX, ["SGL-0001"], True, "cek", [c.bawaslu]))
    ledger.open_box(c.ppk, BOX, ["SGL-0001"], False, "segel putus", [c.bawaslu], exception="segel putus saat bongkar muat")
    assert ledger.item(BALLOTS).container is None


def test_kpps_opens_only_on_voting_day(world):
    c = world.cast
    ledger = world.ledger
    for giver, taker, place in ((c.ppk, c.pps, "3101011001"), (c.pps, c.kpps, TPS1)):
        ledger.accept(taker, ledger.prepare(giver, taker.public, [BOX], place, "s", "p"))
    world.clock.set("2024-02-13 20:00")
    refused(world, ExceptionRequired, lambda: ledger.open_box(c.kpps, BOX, ["SGL-0001"], True, "buka", [c.panwas]))
    world.clock.set("2024-02-14 07:00")
    ledger.open_box(c.kpps, BOX, ["SGL-0001"], True, "buka", [c.panwas])
    refused(world, InvalidInput, lambda: ledger.tally(c.kpps, {BALLOTS: {"used": 1, "unused": 1, "spoiled": 1}}), "tally_mismatch")
    refused(world, InvalidInput, lambda: ledger.tally(c.kpps, {BOX: {"used": 1, "unused": 1, "spoiled": 1}}), "wrong_kind")
    ledger.tally(c.kpps, {BALLOTS: {"used": 300, "unused": 5, "spoiled": 1}})


def test_chain_rules_for_records_signed_elsewhere(world):
    c = world.cast
    ledger = world.ledger
    head = ledger.item(BOX2).head
    # A prepare whose prev is not the head (a fork from an older state).
    old = ledger.history(BOX2)[0].id
    body = records.build(
        "handover.prepare", c.kpu_kab, ledger.ledger_id, world.clock(), to=c.ppk.public, place="310101", site="s",
        purpose="p", lines=[{"item": BOX2, "prev": old, "seals": [], "contents": []}],
    )
    assert old == head  # registered only: make a newer head first
    ledger.seal(c.kpu_kab, BOX2, ["SGL-2001"])
    body["time"] = world.clock()
    refused(world, StaleRecord, lambda: ledger.submit(records.sign(body, c.kpu_kab)), "stale_record")
    # Declared values must be the ledger's.
    body["lines"][0]["prev"] = ledger.item(BOX2).head
    refused(world, InvalidInput, lambda: ledger.submit(records.sign(body, c.kpu_kab)), "seals_mismatch")
    # Time may not run backwards along a chain.
    body["lines"][0]["seals"] = ["SGL-2001"]
    body["time"] = ledger.item(BOX2).time - 1
    refused(world, BadTime, lambda: ledger.submit(records.sign(body, c.kpu_kab)), "bad_time")
    body["time"] = world.clock()
    ledger.submit(records.sign(body, c.kpu_kab))
    # An accept of a handover the ledger never saw.
    ghost = records.build(
        "handover.accept", c.ppk, ledger.ledger_id, world.clock(), handover=hashlib.sha256(b"x").digest(),
        lines=[{"item": BOX2, "prev": ledger.item(BOX2).head, "seals": ["SGL-2001"], "condition": "ok"}],
    )
    refused(world, UnknownRecord, lambda: ledger.submit(records.sign(ghost, c.ppk)), "unknown_record")
    refused(world, UnknownRecord, lambda: ledger.witness(c.bawaslu, hashlib.sha256(b"y").digest(), "x"))


def test_offline_giver_prepare_travels_with_the_accept(world, tmp_path):
    """The giver signs without appending; the receiver appends both, in one
    transaction (and a broken accept leaves out the prepare too)."""
    c = world.cast
    ledger = world.ledger
    env = ledger.prepare(c.kpu_kab, c.ppk.public, [BOX2], "310101", "s", "p", submit=False)
    before = dump(world.path)
    assert ledger.item(BOX2).state == "held"
    refused(world, WrongReceiver, lambda: ledger.accept(c.pps, env))
    assert dump(world.path) == before
    accept_id = ledger.accept(c.ppk, env)
    ids = [records.record_id(e) for _, e in ledger.records()]
    assert ids[-2:] == [records.record_id(env), accept_id]
    assert ledger.item(BOX2).holder == c.ppk.public
    # Importing the same pair again is a harmless no-op with skip_known.
    pair = [env, ledger.record(accept_id)]
    after = dump(world.path)
    assert ledger.submit_many(pair, skip_known=True) == [records.record_id(env), accept_id]
    assert dump(world.path) == after
    refused(world, DuplicateRecord, lambda: ledger.submit_many(pair))


def test_refusal_error_lines_are_clear(world):
    c = world.cast
    e = refused(world, NotHolder, lambda: world.ledger.prepare(c.pps, c.kpps.public, [BOX], TPS1, "TPS", "x"))
    assert str(e) == f"item {BOX} is not held by key {c.pps.fingerprint}"
    assert "\n" not in str(e)


# --- a box takes its packed contents' destinations with it (SPEC 4.8, tertukar) -------

BALLOTS_TPS2 = "KS-3101011001002-PPWP"


def test_packed_contents_for_another_tps_cannot_go_to_the_wrong_kpps(tmp_path):
    path = str(tmp_path / "ledger.sqlite")
    clock, cast = Clock(), Cast()
    ledger = Ledger(path, clock=clock)
    cast.setup(ledger, clock)
    clock.set("2024-02-08 07:00")
    ledger.register(cast.kpu_kab, [
        {"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"},
        {"item": BALLOTS_TPS2, "kind": "ballots", "dest": TPS2, "qty": 300, "election": "PPWP", "dapil": "DKI"},
    ])
    ledger.pack(cast.kpu_kab, BOX, [BALLOTS_TPS2])  # the wrong ballots in TPS 001's box
    for giver, taker, place in [(cast.kpu_kab, cast.ppk, "310101"), (cast.ppk, cast.pps, "3101011001")]:
        ledger.accept(taker, ledger.prepare(giver, taker.public, [BOX], place, "gudang", "distribusi"))

    before = dump(path)
    with pytest.raises(WrongDestination) as refusal:
        ledger.prepare(cast.pps, cast.kpps.public, [BOX], TPS1, "TPS 001", "distribusi")
    assert refusal.value.params["item"] == BALLOTS_TPS2 and refusal.value.params["dest"] == TPS2
    assert dump(path) == before
    # Knowingly, with a reason, it may go (and the verifier lists it as a notice).
    prep = ledger.prepare(cast.pps, cast.kpps.public, [BOX], TPS1, "TPS 001", "distribusi",
                          exception="surat suara TPS 002 tertukar; ditukar di TPS")
    assert records.parse(prep).body["exception"]
    ledger.close()
