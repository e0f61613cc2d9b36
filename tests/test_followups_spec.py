"""The ledger keeps to two SPEC rules the verifier review added (5dc2e6e):
small-order keys and R are refused (SPEC 3.1), and a box handed over takes
its packed contents' destinations with it (SPEC 4.8, tertukar)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger import encoding, records
from ledger.application import Ledger
from ledger.errors import BadSignature, WrongDestination
from test_ledger_lifecycle import BOX, TPS1, TPS2, Cast, Clock, dump

IDENTITY = bytes.fromhex("01" + "00" * 31)  # the neutral point: order 1
ORDER_8 = bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")


def test_small_order_keys_and_r_are_refused():
    # With the neutral point as key and R, and S = 0, every message "verifies"
    # under plain RFC 8032 verification (OpenSSL accepts it): a forgery.
    forged = IDENTITY + bytes(32)
    Ed25519PublicKey.from_public_bytes(IDENTITY).verify(forged, b"any message")
    assert not records.verify_signature(IDENTITY, forged, b"any message")
    assert len(records._SMALL_ORDER) == 10 and ORDER_8 in records._SMALL_ORDER  # 8 points, 2 sign bits for y = 0

    body = {"v": 1, "type": "witness", "time": 1_700_000_000_000, "author": IDENTITY, "ledger": bytes(32),
            "target": bytes(32), "statement": "saya melihatnya"}
    envelope = encoding.encode({"body": encoding.encode(body), "sigs": [[IDENTITY, forged]]})
    with pytest.raises(BadSignature):
        records.parse(envelope)


def test_a_genuine_signature_still_verifies():
    signer = Cast.signer("kpu_ri")
    message = records.SIG_PREFIX + b"body"
    assert records.verify_signature(signer.public, signer.sign(message), message)


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
    with pytest.raises(WrongDestination) as refused:
        ledger.prepare(cast.pps, cast.kpps.public, [BOX], TPS1, "TPS 001", "distribusi")
    assert refused.value.params["item"] == BALLOTS_TPS2 and refused.value.params["dest"] == TPS2
    assert dump(path) == before
    # Knowingly, with a reason, it may go (and the verifier lists it as a notice).
    prep = ledger.prepare(cast.pps, cast.kpps.public, [BOX], TPS1, "TPS 001", "distribusi",
                          exception="surat suara TPS 002 tertukar; ditukar di TPS")
    assert records.parse(prep).body["exception"]
    ledger.close()
