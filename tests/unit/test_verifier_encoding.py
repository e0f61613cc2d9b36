"""SCE decoding (V1), schema (V2), Ed25519 strictness (V4) and the spec's vectors (the properties over
drawn inputs are in tests/property/test_verifier_fast_paths.py)."""

from __future__ import annotations

import hashlib
import json

import msgpack
import pytest

from support import VECTORS
from support.tamper.builder import write_sqlite
from verifier import records, sce, sign
from verifier.api import verify

# --- SCE --------------------------------------------------------------------

def test_negative_encoding_vectors_are_rejected_with_a_reason():
    cases = json.loads((VECTORS / "negative-encoding.json").read_text())["cases"]
    assert len(cases) >= 20
    for case in cases:
        data = bytes.fromhex(case["hex"])
        with pytest.raises(sce.SCEError) as caught:
            sce.decode(data)
        assert caught.value.code != "sce_not_canonical", case["name"]  # the slow parser names the rule
        assert sce.explain(data) is not None, case["name"]


@pytest.mark.parametrize(
    "hex_, code",
    [
        ("cc01", "sce_not_shortest"),
        ("d001", "sce_not_shortest"),
        ("d0e0", "sce_not_shortest"),  # -32 fits a negative fixint
        ("82a16200a16100", "sce_key_order"),
        ("82a16100a16101", "sce_key_duplicate"),
        ("810100", "sce_key_not_text"),
        ("ca3f800000", "sce_float"),
        ("d6ff00000000", "sce_ext"),
        ("a2c328", "sce_bad_utf8"),
        ("0100", "sce_trailing"),
        ("c4056162", "sce_truncated"),
        ("c1", "sce_reserved"),
        ("", "sce_truncated"),
    ],
)
def test_explain_names_the_rule(hex_, code):
    assert sce.explain(bytes.fromhex(hex_))[0] == code


def test_shortest_boundaries_are_accepted():
    for value in (0, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
                  -1, -32, -33, -128, -129, -32768, -32769, -(2**31), -(2**31) - 1, -(2**63)):
        data = msgpack.packb(value)
        assert sce.explain(data) is None, value
        assert sce.decode(data) == value
    for n in (0, 31, 32, 255, 256, 65536):
        assert sce.decode(msgpack.packb("x" * n)) == "x" * n
        assert sce.decode(msgpack.packb(b"x" * n, use_bin_type=True)) == b"x" * n
        assert sce.decode(msgpack.packb([0] * n)) == [0] * n
    big = {f"k{i:05d}": i for i in range(70000)}
    assert sce.decode(sce.encode(big)) == big


def test_utf8_order_not_insertion_order():
    # "é" (U+00E9, C3 A9) sorts after "z" by UTF-8 bytes
    assert sce.encode({"é": 1, "z": 2}) == msgpack.packb({"z": 2, "é": 1})


# --- Ed25519 strictness: both backends, same inputs ----------------------------

def _pieces():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.generate()
    key = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    message = b"serah/record/v1\x00hello"
    return key, private.sign(message), message


def _edge_cases():
    key, sig, message = _pieces()
    s = int.from_bytes(sig[32:], "little")
    p = sign.P
    cases = {
        "valid": (key, sig, message, True),
        "flipped message": (key, sig, message + b"!", False),
        "flipped R": (key, bytes([sig[0] ^ 1]) + sig[1:], message, False),
        "S + L": (key, sig[:32] + (s + sign.L).to_bytes(32, "little"), message, False),
        "S = 2^256 - 1": (key, sig[:32] + b"\xff" * 32, message, False),
        "non-canonical key y >= p": ((p + 1).to_bytes(32, "little"), sig, message, False),
        "all-zero key (order 4)": (bytes(32), sig, message, False),
        "identity key": ((1).to_bytes(32, "little"), sig, message, False),
        "order 2 key": ((p - 1).to_bytes(32, "little"), sig, message, False),
        "order 8 key": (sign._Y8.to_bytes(32, "little"), sig, message, False),
        "identity key, sign bit (x = 0, non-canonical)": (((1 << 255) | 1).to_bytes(32, "little"), sig, message, False),
    }
    # The classic forgery with the identity key: R = identity, S = 0 verifies for any message
    # under a cofactorless check that accepts small-order keys.
    identity = (1).to_bytes(32, "little")
    cases["identity forgery"] = (identity, identity + bytes(32), b"anything", False)
    return cases


@pytest.mark.parametrize("name", list(_edge_cases()))
def test_backends_agree_on_edge_cases(name):
    key, sig, message, expected = _edge_cases()[name]
    for backend_name in sign.BACKENDS:
        assert sign.backend(backend_name).verify(key, sig, message) is expected, (name, backend_name)


def test_small_order_points_are_really_small_order():
    """Check the hard-coded y-coordinates with real point arithmetic (slow, tiny)."""
    p, d = sign.P, (-121665 * pow(121666, -1, sign.P)) % sign.P

    def x_of(y):
        u, v = (y * y - 1) % p, (d * y * y + 1) % p
        x2 = u * pow(v, -1, p) % p
        x = pow(x2, (p + 3) // 8, p)
        if (x * x - x2) % p:
            x = x * pow(2, (p - 1) // 4, p) % p
        assert (x * x - x2) % p == 0
        return x

    def add(a, b):
        (x1, y1), (x2, y2) = a, b
        t = d * x1 * x2 * y1 * y2 % p
        return ((x1 * y2 + x2 * y1) * pow(1 + t, -1, p) % p, (y1 * y2 + x1 * x2) * pow(1 - t, -1, p) % p)

    for y in sign.SMALL_ORDER_Y:
        point = (x_of(y), y)
        acc = point
        for _ in range(3):  # 8P = identity
            acc = add(acc, acc)
        assert acc == (0, 1), y


# --- the spec's test vectors (SPEC 3.6) ------------------------------------------

def test_positive_vectors_verify(tmp_path):
    files = sorted(VECTORS.glob("0*.json"))
    assert len(files) == 5
    stream = tmp_path / "vectors.stream"
    with open(stream, "wb") as out:
        for path in files:
            case = json.loads(path.read_text())
            raw = bytes.fromhex(case["envelope"])
            assert hashlib.sha256(raw).hexdigest() == case["record_id"]
            body_bytes, sigs = records.open_envelope(raw)
            assert body_bytes.hex() == case["body_sce"]
            records.open_body(body_bytes)
            out.write(raw)
    report = verify(stream)
    assert report.counts["error"] == 0 and report.counts["warning"] == 0, report.findings
    assert report.exit_code == 0
    assert "qty_observed" in report.codes()  # 05 observes a different quantity
    assert report.codes() <= {"qty_observed", "condition"}


def test_negative_record_vectors_are_caught_by_the_named_check(tmp_path):
    cases = json.loads((VECTORS / "negative-records.json").read_text())["cases"]
    genesis = bytes.fromhex(json.loads((VECTORS / "01-genesis.json").read_text())["envelope"])
    for i, case in enumerate(cases):
        # A database row, not a stream file: in a stream a trailing byte is just the next value.
        path = tmp_path / f"neg{i}.sqlite"
        write_sqlite(path, [genesis, bytes.fromhex(case["hex"])])
        report = verify(path)
        found = {f"V{f.check}" for f in report.findings if f.position == 1}
        assert case["check"] in found, (case["name"], report.findings)
        assert report.exit_code == 1


def test_byte_level_prechecks_agree_with_the_arithmetic():
    """``sign`` decides S < L and y < p from one byte when it can; check that against integers."""
    import os

    def point(b):
        y = int.from_bytes(b, "little") & ((1 << 255) - 1)
        return y < sign.P and y not in sign.SMALL_ORDER_Y

    points = [os.urandom(32) for _ in range(5000)]
    ys = list(sign.SMALL_ORDER_Y) + [sign.P + i for i in range(19)] + [sign.P - 1 - i for i in range(5)] + [2**255 - 1]
    points += [((y % 2**255) | (s << 255)).to_bytes(32, "little") for y in ys for s in (0, 1)]
    assert all(sign.acceptable_point(b) == point(b) for b in points)
    sigs = [os.urandom(64) for _ in range(5000)]
    sigs += [os.urandom(32) + (v + i).to_bytes(32, "little") for v in (sign.L, 2**252) for i in range(-3, 3)]
    assert all(sign.acceptable_signature(s) == (int.from_bytes(s[32:], "little") < sign.L and point(s[:32]))
               for s in sigs)


def test_batch_verification_agrees_with_single():
    cases = _edge_cases()
    pending = [(n, 0, key, sig, message) for n, (key, sig, message, _) in enumerate(cases.values())]
    expected = {n for n, (_, _, _, good) in enumerate(cases.values()) if not good}
    for backend_name in sign.BACKENDS:
        failed = sign.backend(backend_name).verify_many(pending)
        assert {entry[0] for entry in failed} == expected, backend_name
