"""A witness co-signs an ``open`` or a ``destroy`` on their own device
(SPEC 4.7, 4.13, 7.4): the KPPS (or KPU) writes the signed record to a file,
the Panwas co-signs it on their laptop with a key that never leaves it, and
the file is then recorded. Two key folders stand for the two machines; every
step runs the real command line."""

from __future__ import annotations

import shutil

from support.cli import Serah, build_small_ledger
from support.field import hand


def _two_machines(tmp_path):
    """The custodians' machine with the ledger, and the Panwas's laptop with
    only the Panwas's key (moved, not copied: the custodians' machine has none)."""
    s = Serah(tmp_path / "kpps-laptop")
    items = build_small_ledger(s)
    w = Serah(tmp_path / "panwas-laptop")
    (w.home / "keys").mkdir(parents=True)
    shutil.move(s.key("pkd"), w.key("pkd"))
    return s, w, items


def _carry(src, dst_dir):
    """The file travels (USB stick, chat): a copy in the other machine's folder."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    return shutil.copy(src, dst_dir / src.name)


def test_the_panwas_co_signs_an_open_on_their_own_laptop_and_the_kpps_records_it(tmp_path):
    s, w, items = _two_machines(tmp_path)
    box = items["box"]
    for giver, receiver in (("kpu-3101", "ppk"), ("ppk", "pps"), ("pps", "kpps")):
        hand(s, [box], giver, receiver)
    file = s.root / "buka-001.serah"
    at_tps = s.ok("where", box, "--json").json()
    written = s.ok("open", box, "--seals", "SG-0001,SG-0002", "--intact", "--reason", "pemungutan suara",
                   "-o", file, "--as", "kpps", "--json").json()
    assert written["submitted"] is False and written["cosigners"] == []
    assert s.ok("where", box, "--json").json() == at_tps  # nothing recorded yet
    # Without the witness's signature the ledger refuses it, and keeps nothing.
    before = s.dump()
    refused = s("submit", file)
    assert refused.code == 3 and len(refused.err_lines) == 1 and "witness" in refused.err
    assert s.dump() == before

    checked = w("verify", file, "--json").json()  # the witness checks it first, without any ledger
    assert checked["exit_code"] == 0 and checked["records"] == 1 and checked["signatures"] == 1
    assert [f["code"] for f in checked["findings"]] == ["record_file_unanchored"]
    assert "without its ledger" in w("verify", file).out

    on_laptop = _carry(file, w.root)
    cosigned = w.ok("cosign", on_laptop, "--as", "pkd", "--json").json()
    assert cosigned["number"] == written["number"] and cosigned["type"] == "open"
    assert cosigned["items"] == [box]
    twice = w("cosign", on_laptop, "--as", "pkd")  # the same key twice: one clear refusal, file unchanged
    assert twice.code != 0 and len(twice.err_lines) == 1
    human = w.ok("cosign", _carry(file, w.root / "again"), "--as", "pkd", env={"SERAH_LANG": "id"}).out
    assert box in human and "Ketua KPPS" not in human  # the laptop has no ledger: the author by fingerprint

    back = _carry(on_laptop, s.root / "back")
    submitted = s.ok("submit", back, "--json").json()
    assert submitted[0]["result"] == "appended"
    opened = s.ok("where", box, "--json").json()
    assert opened != at_tps
    assert s.ok("submit", back, "--json").json()[0]["result"] == "present"  # twice is harmless
    report = s("verify", s.db, "--json").json()
    assert report["summary"]["error"] == 0 and report["summary"]["by_check"].get("V5") is None


def test_kpu_destroys_before_a_witness_who_signs_on_their_own_laptop(tmp_path):
    s, w, items = _two_machines(tmp_path)
    file = s.root / "musnah.serah"
    s.ok("destroy", items["spare"], "--method", "dibakar", "--reason", "surat suara cadangan sisa", "-o", file,
         "--as", "kpu-3101")
    w.ok("cosign", _carry(file, w.root), "--as", "pkd")
    s.ok("submit", _carry(w.root / file.name, s.root / "back"))
    assert s.ok("where", items["spare"], "--json").json()["state"] == "destroyed"


def test_open_without_a_witness_here_or_a_file_is_one_clear_line_before_anything_is_signed(tmp_path):
    s, _w, items = _two_machines(tmp_path)
    before = s.dump()
    result = s("open", items["box"], "--seals", "SG-0001", "--intact", "--reason", "x", "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1 and "-o FILE" in result.err
    assert s.dump() == before


def test_a_tampered_record_file_is_refused_by_cosign_and_submit(tmp_path):
    s, w, items = _two_machines(tmp_path)
    file = s.root / "musnah.serah"
    s.ok("destroy", items["spare"], "--method", "dibakar", "--reason", "sisa", "-o", file, "--as", "kpu-3101")
    data = bytearray(file.read_bytes())
    at = bytes(data).index(b"dibakar")
    data[at] = ord("D")
    file.write_bytes(bytes(data))
    carried = _carry(file, w.root)
    report = w("verify", carried, "--json").json()
    assert report["exit_code"] == 1 and "V4" in report["summary"]["by_check"]
    for run, args in ((w, ("cosign", carried, "--as", "pkd")), (s, ("submit", file))):
        result = run(*args)
        assert result.code != 0 and len(result.err_lines) == 1
    assert carried.read_bytes() == bytes(data)


def test_the_independent_verifier_reads_a_record_file_and_refuses_a_handover_in_one(tmp_path):
    """verifier/ (which imports nothing from ledger/) checks a record file's
    form and signatures, and says a handover does not travel in one."""
    import subprocess
    import sys

    from ledger import records
    from ledger.record_file import record_file_bytes

    s, _w, items = _two_machines(tmp_path)
    file = s.root / "musnah.serah"
    s.ok("destroy", items["spare"], "--method", "dibakar", "--reason", "sisa", "-o", file, "--as", "kpu-3101")
    run = subprocess.run([sys.executable, "-m", "verifier", str(file)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    prepare = s.ok("handover", "prepare", items["spare"], "--to", "ppk", "--site", "x", "--purpose", "x", "--offline",
                   "-o", s.root / "h.serah", "--as", "kpu-3101", "--json").json()
    envelope = records.read_handover_file(prepare["file"])[0]
    wrong = s.root / "wrong.serah"
    wrong.write_bytes(record_file_bytes(envelope))
    report = s("verify", wrong, "--json").json()
    assert report["exit_code"] == 1 and "record_file_shape" in {f["code"] for f in report["findings"]}


def test_through_a_server_kpu_writes_the_file_and_the_witness_records_it_from_their_laptop(tmp_path):
    """Online: KPU signs the destroy against the served ledger, the witness
    co-signs on their laptop and sends it to the server themselves; no key
    is needed to submit and the witness's key never left the laptop."""
    from support.serve import Server

    s, w, items = _two_machines(tmp_path)
    s.ok("key", "new", "kpu-log")
    with Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0") as server:
        url = ["--server", server.url]
        file = s.root / "musnah.serah"
        s.ok(*url, "destroy", items["spare"], "--method", "dibakar", "--reason", "sisa", "-o", file, "--as", "kpu-3101")
        carried = _carry(file, w.root)
        refused = w(*url, "submit", carried)  # not yet co-signed: the server refuses, one line
        assert refused.code == 3 and len(refused.err_lines) == 1
        w.ok("cosign", carried, "--as", "pkd")
        assert w.ok(*url, "submit", carried, "--json").json()[0]["result"] == "appended"
        assert s.ok(*url, "status", items["spare"], "--json").json()["state"] == "destroyed"
