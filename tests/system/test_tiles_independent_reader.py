"""The served log read by a client that is not Serah's.

Everything below that reads the log is written in this file from the
published texts alone: C2SP signed-note (lines, key ids), tlog-checkpoint,
tlog-cosignature (cosignature/v1), tlog-tiles (paths, partial tiles, entry
bundles) and RFC 6962 section 2.1 (MTH, leaf and node hashes). It imports
nothing from ``ledger/tlog`` or ``verifier/``: only ``hashlib``, ``struct``,
``base64`` and ``cryptography``'s Ed25519. The log is a real ``serah serve``
application cosigned by two real witness services on loopback ports; the
keys it pins are the printed verifier keys (text), nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import struct

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from support.tlog import LOG_VKEY, enrol, new_ledger
from support.witnessing import W1, W2, log_server, served_note, witness_server

# --- an independent reader, from the specifications ---------------------------------


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 2.1: MTH({}) = SHA-256(); MTH({d}) = SHA-256(0x00 || d); else split at the largest power of 2 < n."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def tile_path(level: str, n: int, width: int) -> str:
    """tlog-tiles: N in 3-digit groups, all but the last prefixed with x; .p/W for a partial tile."""
    digits = f"{n:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    return f"tile/{level}/{path}" + (f".p/{width}" if width < 256 else "")


def parse_vkey(vkey: str) -> tuple[str, bytes, int, bytes]:
    """signed-note verifier key: <name>+<hex key id>+<base64(type || key)>."""
    name, key_hex, blob = vkey.split("+", 2)  # a name holds no "+", base64 may
    raw = base64.b64decode(blob)
    key_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    assert key_id.hex() == key_hex
    return name, key_id, raw[0], raw[1:]


def signatures(note: str) -> tuple[str, dict[tuple[str, bytes], bytes]]:
    """signed-note: the text ends at the first blank line; each signature line is '— name base64'."""
    text, _, sig_block = note.partition("\n\n")
    sigs = {}
    for line in sig_block.splitlines():
        assert line.startswith("\u2014 ")
        name, b64 = line[2:].split(" ")
        blob = base64.b64decode(b64)
        sigs[(name, blob[:4])] = blob[4:]
    return text + "\n", sigs


def open_checkpoint(note: str, log_vkey: str, witness_vkeys: list[str]) -> tuple[int, bytes, int]:
    """tlog-checkpoint opened with the log key (type 0x01); counts valid cosignature/v1 (type 0x04) lines."""
    text, sigs = signatures(note)
    name, key_id, kind, key = parse_vkey(log_vkey)
    assert kind == 0x01
    Ed25519PublicKey.from_public_bytes(key).verify(sigs[(name, key_id)], text.encode())
    origin, size, root = text.splitlines()[:3]
    assert origin == name
    cosigned = 0
    for vkey in witness_vkeys:
        wname, wid, wkind, wkey = parse_vkey(vkey)
        assert wkind == 0x04
        blob = sigs[(wname, wid)]
        (timestamp,) = struct.unpack(">Q", blob[:8])
        message = f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()
        Ed25519PublicKey.from_public_bytes(wkey).verify(blob[8:], message)
        cosigned += 1
    return int(size), base64.b64decode(root), cosigned


def entries_of(bundle: bytes) -> list[bytes]:
    """tlog-tiles entry bundle: each entry a big-endian uint16 length and that many bytes."""
    out, at = [], 0
    while at < len(bundle):
        (length,) = struct.unpack(">H", bundle[at : at + 2])
        out.append(bundle[at + 2 : at + 2 + length])
        at += 2 + length
    assert at == len(bundle)
    return out


# --- the test ------------------------------------------------------------------------


@pytest.fixture
def network(tmp_path):
    db = str(tmp_path / "kpu.sqlite")
    ledger = new_ledger(db)
    enrol(ledger, 0, 299)  # 300 records: a full tile, a partial one, and a level-1 tile
    ledger.close()
    _, s1 = witness_server(tmp_path, W1)
    _, s2 = witness_server(tmp_path, W2)
    log, server = log_server(db, [s1, s2])
    try:
        served_note(server, 300)
        yield server
    finally:
        server.stop()
        s1.stop()
        s2.stop()


def test_checkpoint_cosignatures_tiles_and_bundles_read_by_a_reader_written_from_the_specs(network):
    server = network
    with httpx.Client(base_url=server.url) as client:
        note = client.get("/checkpoint").text
        size, root, cosigned = open_checkpoint(note, LOG_VKEY, [W1.verifier_key(), W2.verifier_key()])
        assert (size, cosigned) == (300, 2)
        entries = []
        for n, width in ((0, 256), (1, 44)):
            answer = client.get("/" + tile_path("entries", n, width))
            assert answer.status_code == 200
            entries += entries_of(answer.content)
        assert len(entries) == 300 and mth(entries) == root  # the entries are the checkpoint's tree
        level0 = client.get("/" + tile_path("0", 0, 256)).content + client.get("/" + tile_path("0", 1, 44)).content
        assert [level0[i : i + 32] for i in range(0, len(level0), 32)] == [mth([e]) for e in entries]
        level1 = client.get("/" + tile_path("1", 0, 1)).content  # one hash: MTH of leaves 0..255
        assert level1 == mth(entries[:256])
        assert client.get("/" + tile_path("1", 0, 2)).status_code == 404  # not in a tree of 300
        assert client.get("/tile/0/001.p/045").status_code == 404  # a width with a leading zero is no tile


def test_the_path_encoding_follows_the_published_example():
    assert tile_path("0", 1234067, 256) == "tile/0/x001/x234/067"
    assert tile_path("entries", 5, 7) == "tile/entries/005.p/7"
