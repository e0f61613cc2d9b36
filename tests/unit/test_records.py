"""Records, envelopes, signatures, schema and handover files (SPEC 3, 4, 7.1)."""

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger import keys, records
from ledger.encoding import decode, encode
from ledger.errors import BadFile, BadRecord, BadSignature, EncodingError, InvalidInput
from support.scenario import Cast

A = keys.from_seed(bytes(range(32)))
B = keys.from_seed(bytes(range(1, 33)))
C = keys.from_seed(bytes(range(2, 34)))
LEDGER = hashlib.sha256(b"ledger").digest()
PREV = hashlib.sha256(b"prev").digest()
T = 1_700_000_000_000


def prepare_body(**over):
    fields = dict(
        to=B.public,
        place="310101",
        site="Dermaga Kali Adem, Muara Angke",
        purpose="distribusi logistik",
        lines=[{"item": "KS-BOX-1", "prev": PREV, "seals": ["S1"], "contents": []}],
    )
    fields.update(over)
    return records.build("handover.prepare", A, LEDGER, T, **fields)


def test_envelope_shape_and_id():
    env = records.sign(prepare_body(), A)
    outer = decode(env)
    assert set(outer) == {"body", "sigs"}
    assert outer["sigs"][0][0] == A.public
    rec = records.parse(env)
    assert rec.id == hashlib.sha256(env).digest() == records.record_id(env)
    assert rec.body_bytes == outer["body"] == encode(rec.body)
    assert rec.type == "handover.prepare" and rec.author == A.public and rec.ledger == LEDGER
    assert rec.time == T


def test_signature_covers_prefix_and_body():
    env = records.sign(prepare_body(), A)
    outer = decode(env)

    Ed25519PublicKey.from_public_bytes(A.public).verify(outer["sigs"][0][1], b"serah/record/v1\x00" + outer["body"])


def test_cosignatures_are_sorted_and_cosign_matches_sign():
    body = prepare_body()
    both = records.sign(body, A, [C, B])
    keys_order = [k for k, _ in decode(both)["sigs"][1:]]
    assert keys_order == sorted([B.public, C.public])
    stepwise = records.cosign(records.cosign(records.sign(body, A), C), B)
    assert stepwise == both
    with pytest.raises(InvalidInput):
        records.cosign(both, B)
    with pytest.raises(InvalidInput):
        records.cosign(both, A)


def test_sign_refuses_a_body_by_someone_else():
    with pytest.raises(InvalidInput):
        records.sign(prepare_body(), B)


def _reencode(env, mutate):
    outer = decode(env)
    mutate(outer)
    return encode(outer)


def test_tampering_is_detected():
    env = records.sign(prepare_body(), A, [B])
    body = decode(decode(env)["body"])
    body["site"] = "Dermaga Marina Ancol"
    forged = _reencode(env, lambda o: o.__setitem__("body", encode(body)))
    with pytest.raises(BadSignature):
        records.parse(forged)
    # A signature by the wrong key in the author slot.
    bad = _reencode(env, lambda o: o["sigs"][0].__setitem__(1, B.sign(b"serah/record/v1\x00" + o["body"])))
    with pytest.raises(BadSignature):
        records.parse(bad)
    # The author's signature missing.
    with pytest.raises(BadSignature):
        records.parse(_reencode(env, lambda o: o.__setitem__("sigs", o["sigs"][1:])))
    # Co-signatures out of order or repeated.
    two = records.sign(prepare_body(), A, [B, C])
    with pytest.raises(BadSignature):
        records.parse(_reencode(two, lambda o: o.__setitem__("sigs", [o["sigs"][0], o["sigs"][2], o["sigs"][1]])))
    with pytest.raises(BadSignature):
        records.parse(_reencode(two, lambda o: o.__setitem__("sigs", [o["sigs"][0], o["sigs"][1], o["sigs"][1]])))


def test_every_flipped_bit_is_refused():
    env = records.sign(prepare_body(), A, [B])
    for i in range(len(env)):
        for bit in (0x01, 0x80):
            flipped = bytearray(env)
            flipped[i] ^= bit
            with pytest.raises((BadSignature, BadRecord, EncodingError)):
                records.parse(bytes(flipped))


def test_signature_malleability_is_rejected():
    # S + L verifies in lax implementations; RFC 8032 5.1.7 requires S < L.
    env = records.sign(prepare_body(), A)
    outer = decode(env)
    sig = outer["sigs"][0][1]
    s = int.from_bytes(sig[32:], "little") + records._L
    assert s < 2**256
    mall = sig[:32] + s.to_bytes(32, "little")
    outer["sigs"][0][1] = mall
    with pytest.raises(BadSignature):
        records.parse(encode(outer))


def test_non_canonical_points_are_rejected():
    # y = p + 1 encodes the neutral point's y non-canonically.
    non_canonical = (records._P + 1).to_bytes(32, "little")
    assert not records.verify_signature(non_canonical, bytes(64), b"")
    sig = A.sign(b"m")
    assert records.verify_signature(A.public, sig, b"m")
    assert not records.verify_signature(A.public, non_canonical + sig[32:], b"m")


def test_parse_refuses_non_canonical_envelope():
    env = records.sign(prepare_body(), A)
    # Same map, keys swapped: still MessagePack, not SCE.
    outer = decode(env)
    import msgpack

    swapped = msgpack.packb({"sigs": outer["sigs"], "body": outer["body"]}, use_bin_type=True)
    with pytest.raises(EncodingError):
        records.parse(swapped)
    with pytest.raises(EncodingError):
        records.parse(env + b"\x00")


@pytest.mark.parametrize(
    "outer",
    [
        [],
        {"body": b"x"},
        {"body": "text", "sigs": [[A.public, bytes(64)]]},
        {"body": b"\x80", "sigs": []},
        {"body": b"\x80", "sigs": [[A.public[:31], bytes(64)]]},
        {"body": b"\x80", "sigs": [[A.public, bytes(63)]]},
        {"body": b"\x80", "sigs": [[A.public, bytes(64)]], "extra": 1},
    ],
)
def test_malformed_envelopes(outer):
    with pytest.raises(BadRecord):
        records.parse(encode(outer))


# --- schema -----------------------------------------------------------------------------

def check(body):
    records.check_body(body)


def test_schema_accepts_every_type():
    base = dict(v=1, time=T, author=A.public, ledger=LEDGER)
    check({**base, "type": "enrol", "key": B.public, "role": "ppk", "region": "310101", "name": "n", "org": "o"})
    check({**base, "type": "revoke", "key": B.public, "reason": "hilang"})
    check({**base, "type": "witness", "target": PREV, "statement": "disaksikan"})
    check({**base, "type": "tally", "lines": [{"item": "B", "prev": PREV, "used": 1, "unused": 2, "spoiled": 0}]})
    check({**base, "type": "open", "box": "B", "seals": [], "intact": True, "reason": "r", "lines": [{"item": "B", "prev": PREV}]})


@pytest.mark.parametrize(
    "change,match",
    [
        (dict(v=2), "version"),
        (dict(type="handover.steal"), "unknown record type"),
        (dict(extra=1), "unknown field"),
        (dict(to=b"short"), "bad value for 'to'"),
        (dict(place="3101011"), "bad value for 'place'"),
        (dict(escorts=sorted([B.public, C.public], reverse=True)), "escorts"),
        (dict(witnesses=[B.public, B.public]), "witnesses"),
        (dict(exception=""), "exception"),
        (dict(lines=[]), "non-empty"),
        (dict(lines=[{"item": "b", "prev": PREV}]), "item"),
        (dict(lines=[{"item": "B", "prev": None}]), "prev"),
        (dict(lines=[{"item": "B", "prev": PREV}, {"item": "A", "prev": PREV}]), "sorted"),
        (dict(lines=[{"item": "A", "prev": PREV}, {"item": "A", "prev": PREV}]), "sorted"),
        (dict(lines=[{"item": "A", "prev": PREV, "qty": None}]), "qty"),
        (dict(lines=[{"item": "A", "prev": PREV, "qty": -1}]), "qty"),
        (dict(lines=[{"item": "A", "prev": PREV, "seals": ["2", "1"]}]), "seals"),
    ],
)
def test_schema_rejects(change, match):
    body = prepare_body()
    body.update(change)
    with pytest.raises(BadRecord, match=match):
        check(body)


def test_schema_missing_fields_and_ledger_binding():
    body = prepare_body()
    del body["site"]
    with pytest.raises(BadRecord, match="missing field 'site'"):
        check(body)
    body = prepare_body()
    del body["ledger"]
    with pytest.raises(BadRecord, match="ledger"):
        check(body)
    genesis = records.build(
        "genesis", A, LEDGER, T, name="n", election="e", vote_date="2024-02-14", utc_offset=420,
        roots=[{"key": A.public, "name": "KPU RI", "region": ""}],
    )
    with pytest.raises(BadRecord, match="unknown field 'ledger'"):
        check(genesis)


@pytest.mark.parametrize(
    "line,match",
    [
        ({"kind": "box", "dest": "3101011001001"}, "needs 'election'"),
        ({"kind": "box", "dest": "3101011001001", "election": "PPWP", "qty": 1}, "has no 'qty'"),
        ({"kind": "ballots", "dest": "3101011001001", "qty": 1, "election": "PPWP"}, "needs 'dapil'"),
        ({"kind": "seal", "dest": "3101", "qty": 1, "label": "x"}, "has no 'label'"),
        ({"kind": "form", "dest": "3101", "qty": 1, "serial": ["1", "2"]}, "has no 'serial'"),
        ({"kind": "ballots", "dest": "3101", "qty": 1, "election": "PEMILU", "dapil": "D"}, "election"),
        ({"kind": "crate", "dest": "3101"}, "kind"),
    ],
)
def test_register_lines_follow_their_kind(line, match):
    body = records.build("register", A, LEDGER, T, lines=[{"item": "X", "prev": None, **line}])
    with pytest.raises(BadRecord, match=match):
        check(body)


def test_register_prev_must_be_nil():
    body = records.build(
        "register", A, LEDGER, T, lines=[{"item": "X", "prev": PREV, "kind": "box", "dest": "31", "election": "DPD"}]
    )
    with pytest.raises(BadRecord, match="nil"):
        check(body)


def test_seal_and_open_name_only_the_box():
    body = records.build("seal", A, LEDGER, T, box="B", seals=["1"], lines=[{"item": "C", "prev": PREV}])
    with pytest.raises(BadRecord, match="box only"):
        check(body)


def test_vote_date_must_be_a_date():
    body = records.build(
        "genesis", A, None, T, name="n", election="e", vote_date="2024-02-30", utc_offset=420,
        roots=[{"key": A.public, "name": "KPU RI", "region": ""}],
    )
    with pytest.raises(BadRecord, match="vote_date"):
        check(body)


# --- handover files ------------------------------------------------------------------------

def test_handover_file_round_trip(tmp_path):
    prep = records.sign(prepare_body(), A)
    path = tmp_path / "h.serah"
    records.write_handover_file(path, [prep])
    assert records.read_handover_file(path) == [prep]
    assert decode(path.read_bytes()) == {"format": "serah-handover", "v": 1, "records": [prep]}
    accept = records.sign(
        records.build(
            "handover.accept", B, LEDGER, T + 1, handover=records.record_id(prep),
            lines=[{"item": "KS-BOX-1", "prev": records.record_id(prep), "seals": ["S1"], "condition": "ok"}],
        ),
        B,
    )
    records.write_handover_file(path, [prep, accept])
    assert records.read_handover_file(path) == [prep, accept]


def test_handover_file_errors(tmp_path):
    prep = records.sign(prepare_body(), A)
    path = tmp_path / "h.serah"
    cases = [
        b"",
        b"garbage",
        encode({"format": "other", "v": 1, "records": [prep]}),
        encode({"format": "serah-handover", "v": 2, "records": [prep]}),
        encode({"format": "serah-handover", "v": 1, "records": []}),
        encode({"format": "serah-handover", "v": 1, "records": [prep, prep, prep]}),
        encode({"format": "serah-handover", "v": 1, "records": [prep, prep]}),
        encode({"format": "serah-handover", "v": 1, "records": ["x"]}),
    ]
    for data in cases:
        path.write_bytes(data)
        with pytest.raises(BadFile):
            records.read_handover_file(path)
    with pytest.raises(BadFile):
        records.read_handover_file(tmp_path / "missing.serah")
    # A flipped byte inside the signed body: the file is well formed, the
    # signature is not.
    records.write_handover_file(path, [prep])
    data = bytearray(path.read_bytes())
    data[data.index(b"Kali Adem")] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BadSignature):
        records.read_handover_file(path)


# --- small-order keys and R (SPEC 3.1) ---------------------------------------------

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
    envelope = encode({"body": encode(body), "sigs": [[IDENTITY, forged]]})
    with pytest.raises(BadSignature):
        records.parse(envelope)


def test_a_genuine_signature_still_verifies():
    signer = Cast.signer("kpu_ri")
    message = records.SIG_PREFIX + b"body"
    assert records.verify_signature(signer.public, signer.sign(message), message)


def _forbidden_text_reference(value, where=""):
    """The walk forbidden_text replaced: every text at any depth, depth first in document order."""
    from ledger.schema import FORBIDDEN_TEXT

    if type(value) is str:
        found = FORBIDDEN_TEXT.search(value)
        return None if found is None else (where or "body", f"U+{ord(found.group()):04X}")
    items = value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    for key, item in items:
        path = f"{where}[{key}]" if type(value) is list else f"{where}.{key}" if where else str(key)
        bad = _forbidden_text_reference(item, path)
        if bad is not None:
            return bad
    return None


def test_every_forbidden_character_is_unprintable():
    # forbidden_text skips the pattern when the texts are printable: sound
    # only while the pattern matches no printable character.
    from ledger.schema import FORBIDDEN_TEXT

    assert [hex(c) for c in range(0x110000) if chr(c).isprintable() and FORBIDDEN_TEXT.match(chr(c))] == []


@pytest.mark.parametrize("text", ["a\x00", "\x1f", "x\x7f", "\x85y", "\u061c", "a\u200eb", "\u202e", "\u2069z"])
@pytest.mark.parametrize("place", ["top", "line", "nested", "root"])
def test_forbidden_text_names_the_first_bad_field(text, place):
    from ledger.schema import forbidden_text

    body = prepare_body(lines=[{"item": "KS-BOX-1", "prev": PREV, "seals": ["S1", "S2"], "contents": []},
                               {"item": "KS-BOX-2", "prev": PREV, "seals": ["S3"], "contents": []}])
    if place == "top":
        body["site"] = text
    elif place == "line":
        body["lines"][1]["item"] = text
    elif place == "nested":
        body["lines"][0]["seals"][1] = text
        body["purpose"] = "ok\u00a0\u00ad"  # unprintable but allowed: the slow path, still clean here
    else:
        body = text
    assert forbidden_text(body) == _forbidden_text_reference(body) is not None


@pytest.mark.parametrize("value", [None, 3, b"\x00\x1b", "", "plain", ["\u00a0", {"k": ("\x00",)}], {"a": {"b": [1, "\u00ad"]}}])
def test_forbidden_text_passes_what_the_pattern_passes(value):
    from ledger.schema import forbidden_text

    assert forbidden_text(value) is None is _forbidden_text_reference(value)
    assert forbidden_text(prepare_body()) is None
