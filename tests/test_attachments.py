"""Photos, scans and clips attached to a record by their SHA-256 (SPEC 3.8):
the file stays outside the ledger, the record signs its hash, size, media type
and name; `serah export --attachments DIR` carries the files in the bundle and
the verifiers check them (SPEC 11.8, B13)."""

from __future__ import annotations

import hashlib

import pytest

from cli_support import Serah, build_small_ledger
from ledger.schema import check_body


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    serah.items = build_small_ledger(serah)
    return serah


def _photo(s: Serah, name: str, content: bytes):
    path = s.root / "lampiran" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_attached_files_are_signed_by_hash_on_every_kind_of_record_that_takes_them(s):
    box = s.items["box"]
    photo = _photo(s, "segel-SG-0001.jpg", b"\xff\xd8\xff\xe0 foto segel utuh" * 50)
    scan = _photo(s, "BAST-PPK.pdf", b"%PDF-1.4 berita acara serah terima")
    clip = _photo(s, "cctv-gudang.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(5000))
    prepared = s.root / "kpu-ppk.serah"
    out = s.ok("handover", "prepare", box, "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
               "--attach", photo, "--attach", scan, "-o", prepared, "--as", "kpu-3101", "--json").json()
    assert sorted(a["name"] for a in out["attachments"]) == ["BAST-PPK.pdf", "segel-SG-0001.jpg"]
    accepted = s.ok("handover", "accept", prepared, "--attach", scan, "--as", "ppk")
    assert f"sha256:{hashlib.sha256(scan.read_bytes()).hexdigest()}" in accepted.out
    incident = s.ok("incident", "damage", box, "--description", "penyok", "--attach", clip, "--as", "ppk",
                    "--json").json()
    (entry,) = incident["attachments"]
    assert entry == {"media": "video/mp4", "name": "cctv-gudang.mp4", "size": clip.stat().st_size,
                     "sha256": hashlib.sha256(clip.read_bytes()).hexdigest()}
    history = s.ok("history", box).out
    assert "segel-SG-0001.jpg:sha256:" in history and "cctv-gudang.mp4:sha256:" in history
    assert "0 errors" in s("verify").out  # the independent verifier's V2 accepts them


def test_seal_open_and_destroy_take_attachments(s):
    box = s.items["box"]
    photo = _photo(s, "dibuka.jpg", b"foto kotak dibuka")
    s.ok("open", box, "--seals", "SG-0001,SG-0002", "--intact", "--reason", "audit", "--witness-as", "pkd",
         "--attach", photo, "--as", "kpu-3101")
    again = _photo(s, "segel-baru.png", b"\x89PNG segel baru")
    assert s.ok("seal", box, "SG-0010", "--attach", again, "--as", "kpu-3101", "--json").json()[
        "attachments"][0]["media"] == "image/png"
    s.ok("open", box, "--seals", "SG-0010", "--intact", "--reason", "pemusnahan", "--witness-as", "pkd",
         "--as", "kpu-3101")
    spare = s.items["spare"]
    gone = s.ok("destroy", spare, "--method", "dicacah", "--reason", "sisa", "--witness-as", "pkd",
                "--attach", _photo(s, "berita-acara-pemusnahan.pdf", b"%PDF pemusnahan"), "--as", "kpu-3101",
                "--json").json()
    assert gone["attachments"][0]["name"] == "berita-acara-pemusnahan.pdf"


def test_bad_attachments_are_refused_before_anything_is_signed(s):
    box = s.items["box"]
    before = s.dump()
    photo = _photo(s, "a.jpg", b"sama")
    copy = _photo(s, "b.jpg", b"sama")
    cases = [
        (["--attach", s.root / "tidak-ada.jpg"], "tidak-ada.jpg"),
        (["--attach", s.root / "lampiran"], "not a regular file"),
        (["--attach", photo, "--attach", copy], "same content"),
        ([a for i in range(17) for a in ("--attach", _photo(s, f"f{i}.jpg", bytes([i])))], "at most 16"),
        (["--attach", _photo(s, "nama\u202egpj.exe", b"x")], "control character"),
    ]
    for args, said in cases:
        result = s("seal", box, "SG-0099", *args, "--as", "kpu-3101")
        assert result.code == 2 and len(result.err_lines) == 1 and said in result.err, result.err
    assert s.dump() == before


def test_the_body_form_bounds_attachments():
    base = {"v": 1, "type": "seal", "time": 1, "author": bytes(32), "ledger": bytes(32), "box": "B",
            "seals": ["S"], "lines": [{"item": "B", "prev": bytes(32)}]}
    good = {"media": "image/jpeg", "name": "a.jpg", "sha256": bytes(32), "size": 1}
    check_body({**base, "attachments": [good]})
    for bad in ([], [good, good], [{**good, "name": "../a.jpg"}], [{**good, "media": "Image/JPEG"}],
                [{**good, "size": 2**40 + 1}], [{**good, "extra": 1}], [{**good, "sha256": bytes(31)}]):
        with pytest.raises(Exception, match="attachments"):
            check_body({**base, "attachments": bad})
