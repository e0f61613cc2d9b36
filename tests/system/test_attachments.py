"""Photos, scans and clips attached to a record by their SHA-256 (SPEC 3.8):
the file stays outside the ledger, the record signs its hash, size, media type
and name; `serah export --attachments DIR` carries the files in the bundle and
the verifiers check them (SPEC 11.8, B13)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from ledger.schema import check_body
from support.cli import Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, checkpoint, pdf_text


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


def test_the_body_form_bounds_attachments_in_the_ledger_and_the_independent_verifier():
    from ledger.encoding import encode
    from verifier import records as vrecords
    from verifier import sce

    base = {"v": 1, "type": "seal", "time": 1, "author": bytes(32), "ledger": bytes(32), "box": "B",
            "seals": ["S"], "lines": [{"item": "B", "prev": bytes(32)}]}
    good = {"media": "image/jpeg", "name": "a.jpg", "sha256": bytes(32), "size": 1}
    check_body({**base, "attachments": [good]})
    assert vrecords.check_body(sce.unpack(encode({**base, "attachments": [good]}))) == "seal"
    for bad in ([], [good, good], [{**good, "name": "../a.jpg"}], [{**good, "media": "Image/JPEG"}],
                [{**good, "size": 2**40 + 1}], [{**good, "extra": 1}], [{**good, "sha256": bytes(31)}],
                [{**good, "name": "a\u202egpj.exe"}], [{**good, "name": "x" * 101}],
                [{**good, "sha256": bytes([i]) + bytes(31)} for i in range(17)]):
        with pytest.raises(Exception, match="attachments"):
            check_body({**base, "attachments": bad})
        with pytest.raises(vrecords.Invalid) as found:
            vrecords.check_body(sce.unpack(encode({**base, "attachments": bad})))
        assert found.value.params.get("field") == "attachments"


def _bundle_with_attachments(s: Serah):
    """The box handed KPU -> PPK with a seal photo and a scanned BAST; the clip of an incident is not
    in the folder given to export."""
    box = s.items["box"]
    photo = _photo(s, "segel.jpg", b"\xff\xd8 foto segel SG-0001 SG-0002" * 40)
    scan = _photo(s, "bast.pdf", b"%PDF-1.4 BAST ditandatangani")
    prepared = s.root / "h.serah"
    s.ok("handover", "prepare", box, "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "--attach", photo, "-o", prepared, "--as", "kpu-3101")
    s.ok("handover", "accept", prepared, "--attach", scan, "--as", "ppk")
    elsewhere = s.root / "elsewhere"
    elsewhere.mkdir()
    clip = elsewhere / "cctv.mp4"
    clip.write_bytes(b"ftypmp42 rekaman" * 10)
    s.ok("incident", "other", box, "--description", "pintu gudang terbuka", "--attach", clip, "--as", "ppk")
    checkpoint(s)
    bundle = s.root / "box.bukti"
    html, pdf = s.root / "box.html", s.root / "box.pdf"
    done = s.ok("export", "--item", box, "-o", bundle, "--attachments", s.root / "lampiran", "--html", html,
                "--pdf", pdf)
    return bundle, html, pdf, done, photo, scan, clip


def test_export_carries_the_attached_files_and_both_verifiers_check_them(s):
    bundle, html, pdf, done, photo, scan, clip = _bundle_with_attachments(s)
    assert "attachments in the bundle: 2 files" in done.out
    assert "cctv.mp4" in done.err and "not included" in done.err
    report = s("verify", bundle, "--json").json()
    states = {a["name"]: a["status"] for a in report["attachments"]}
    assert states == {"segel.jpg": "ok", "bast.pdf": "ok", "cctv.mp4": "absent"}
    b13 = [f for f in report["findings"] if f["check"] == "B13"]
    assert [f["severity"] for f in b13] == ["notice"] and "cctv.mp4" in b13[0]["message"]
    assert not [f for f in report["findings"] if f["severity"] == "error"]
    alone = subprocess.run([sys.executable, "-m", "verifier", "--json", str(bundle)], capture_output=True,
                           text=True, cwd=s.root)
    assert not [f for f in json.loads(alone.stdout)["findings"] if f["severity"] == "error"], alone.stdout
    text = html.read_text(encoding="utf-8")
    for f in (photo, scan, clip):
        assert f.name in text and hashlib.sha256(f.read_bytes()).hexdigest() in text
    assert "not in the bundle: not checked" in text
    if HAVE_PDFTOTEXT:
        words = " ".join(pdf_text(pdf).split())
        digest = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert "segel.jpg" in words and " ".join(digest[i : i + 16] for i in range(0, 64, 16)) in words


def test_an_altered_photo_in_a_bundle_is_an_error(s):
    from ledger.encoding import decode, encode

    bundle, *_ = _bundle_with_attachments(s)
    top = decode(bundle.read_bytes())
    files = decode(top["parts"]["attachments"])
    (pair,) = [pair for pair in files if b"SG-0002" in pair[1]]
    pair[1] = pair[1].replace(b"SG-0002", b"SG-0099")  # the photo retouched, same length
    top["parts"]["attachments"] = encode(files)
    manifest = decode(top["manifest"])  # an unsigned bundle: whoever edits it can fix the part hashes
    manifest["parts"]["attachments"] = hashlib.sha256(top["parts"]["attachments"]).digest()
    top["manifest"] = encode(manifest)
    altered = s.root / "altered.bukti"
    altered.write_bytes(encode(top))
    result = s("verify", altered, "--json")
    assert result.code == 1
    errors = [f for f in result.json()["findings"] if f["severity"] == "error"]
    assert [f["check"] for f in errors] == ["B13"] and "segel.jpg" in errors[0]["message"]
    alone = subprocess.run([sys.executable, "-m", "verifier", str(altered)], capture_output=True, text=True)
    assert alone.returncode == 1 and "B13" in alone.stdout


def test_export_refuses_a_missing_attachments_folder(s):
    checkpoint(s)
    result = s("export", "--item", s.items["box"], "-o", s.root / "x.bukti", "--attachments", s.root / "nope")
    assert result.code == 2 and len(result.err_lines) == 1 and "nope" in result.err
    assert not (s.root / "x.bukti").exists()


def test_a_refusal_takes_attachments(s):
    prepared = s.root / "h.serah"
    s.ok("handover", "prepare", s.items["spare"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", prepared, "--as", "kpu-3101")
    photo = _photo(s, "basah.jpg", b"foto surat suara basah")
    done = s.ok("handover", "refuse", prepared, "--reason", "basah semua", "--attach", photo, "--as", "ppk")
    assert f"sha256:{hashlib.sha256(photo.read_bytes()).hexdigest()}" in done.out
    assert "basah.jpg:sha256:" in s.ok("history", s.items["spare"]).out


def test_attachments_folder_only_when_writing_a_bundle(s):
    bundle, *_ = _bundle_with_attachments(s)
    result = s("export", "--from", bundle, "--attachments", s.root / "lampiran")
    assert result.code == 2 and len(result.err_lines) == 1 and "-o" in result.err


def test_a_hostile_attachments_part_makes_the_bundle_unusable(s):
    from ledger.encoding import decode, encode

    bundle, *_ = _bundle_with_attachments(s)
    top = decode(bundle.read_bytes())
    for part in (encode(list(range(1000))), encode([[bytes(32), 5]]), encode([])):
        top["parts"]["attachments"] = part
        hostile = s.root / "hostile.bukti"
        hostile.write_bytes(encode(top))
        result = s("verify", hostile)
        assert result.code == 2 and "B2" in result.err, result.err
        alone = subprocess.run([sys.executable, "-m", "verifier", str(hostile)], capture_output=True, text=True)
        assert alone.returncode == 2 and "B2" in alone.stderr + alone.stdout
