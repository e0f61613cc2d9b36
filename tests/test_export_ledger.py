"""Export from the demo ledger (built through the real API) and verify with no database.

One demo ledger per test session (about 20 s). The bundle is written by
``serah export`` in a subprocess, moved into an empty folder, the ledger and
its tree are deleted, and a fresh Python process with nothing but
``verifier/`` on its path checks it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASS = "export-test-passphrase"
DAMAGED = "KS-3101021002003-DPRD_PROV"


def run(args, cwd, env_extra=None, pythonpath=ROOT):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERAH_")}
    env.update({"PYTHONPATH": str(pythonpath), "SERAH_PASSPHRASE": PASS, "SERAH_HOME": str(cwd / "home"),
                "SERAH_LANG": "en"})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from cli.demo import build
    from ledger import keys

    folder = tmp_path_factory.mktemp("demo")
    build(str(folder / "demo.sqlite"))
    keys.save(keys.from_seed(b"\xc8" * 32), folder / "log.key", PASS, name="log")
    keys.save(keys.from_seed(b"\xc9" * 32), folder / "bawaslu-w1.key", PASS, name="w1")
    return folder


def test_exported_bundle_verifies_without_the_database(demo, tmp_path):
    out = run(["-m", "cli.main", "--db", "demo.sqlite", "export", "--item", DAMAGED, "-o", "box.bukti",
               "--log-key", "log.key", "--witness-key", "bawaslu-w1.key"], demo)
    assert out.returncode == 0, out.stderr + out.stdout
    assert "Bundle written: box.bukti" in out.stdout

    isolated = tmp_path / "court"
    isolated.mkdir()
    shutil.move(demo / "box.bukti", isolated / "box.bukti")
    # The verifier gets a copy of verifier/ only: no ledger/, no cli/, no database.
    shutil.copytree(ROOT / "verifier", isolated / "lib" / "verifier",
                    ignore=shutil.ignore_patterns("__pycache__"))
    saved = demo / "saved"
    saved.mkdir(exist_ok=True)
    for name in os.listdir(demo):
        if name.startswith("demo.sqlite"):
            shutil.move(demo / name, saved / name)
    try:
        check = run(["-m", "verifier.bundle", "box.bukti"], isolated, pythonpath=isolated / "lib")
    finally:
        for name in os.listdir(saved):
            shutil.move(saved / name, demo / name)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "cosigned by bawaslu-w1" in check.stdout
    assert f"V13 notice: {DAMAGED}" in check.stdout  # the box crushed on the boat is shown, not hidden
    assert "PROVES: The chains of the 3 subject items" in check.stdout
    assert "DOES NOT PROVE: It does not prove that no other records exist" in check.stdout


def test_serah_verify_reads_bundles_and_exit_codes(demo, tmp_path):
    out = run(["-m", "cli.main", "--db", "demo.sqlite", "export", "--tps", "3101021002003", "-o",
               str(tmp_path / "tps.bukti"), "--log-key", "log.key"], demo)
    assert out.returncode == 1  # written, but nobody cosigned the checkpoint
    assert "B6" in out.stdout
    ok = run(["-m", "cli.main", "verify", "tps.bukti"], tmp_path)
    assert ok.returncode == 1 and "What this bundle does not prove" in ok.stdout
    data = (tmp_path / "tps.bukti").read_bytes()
    (tmp_path / "cut.bukti").write_bytes(data[: len(data) // 2])
    cut = run(["-m", "cli.main", "verify", "cut.bukti"], tmp_path)
    assert cut.returncode == 2 and "(B1)" in cut.stderr


def test_refusals(demo, tmp_path):
    unknown = run(["-m", "cli.main", "--db", "demo.sqlite", "export", "--item", "KS-NOPE", "-o",
                   str(tmp_path / "x.bukti"), "--log-key", "log.key"], demo)
    assert unknown.returncode == 3 and unknown.stderr.count("\n") == 1 and "KS-NOPE" in unknown.stderr
    assert not (tmp_path / "x.bukti").exists()
    (tmp_path / "exists.bukti").write_bytes(b"keep me")
    exists = run(["-m", "cli.main", "--db", "demo.sqlite", "export", "--item", DAMAGED, "-o",
                  str(tmp_path / "exists.bukti"), "--log-key", "log.key"], demo)
    assert exists.returncode == 2 and (tmp_path / "exists.bukti").read_bytes() == b"keep me"
    window = run(["-m", "cli.main", "--db", "demo.sqlite", "export", "--place", "310102", "--since",
                  "2024-02-14", "--until", "2024-02-13", "-o", str(tmp_path / "w.bukti"), "--log-key", "log.key"],
                 demo)
    assert window.returncode != 0 and window.stderr.count("\n") == 1


def test_window_and_place_export(demo, tmp_path):
    from ledger.export import Scope, collect
    from ledger.export.ledger_source import LedgerSource, SidecarLog
    from ledger.application import Ledger

    ledger = Ledger(str(demo / "demo.sqlite"))
    log = SidecarLog(str(tmp_path / "t.tlog"))
    log.sync(ledger)
    source = LedgerSource(ledger, log)
    # Pulau Pari's boxes reached their TPS after H-1: the morning of voting day.
    trail = collect(source, Scope(places=("3101021003005",), since=_wib(2024, 2, 14, 5), until=_wib(2024, 2, 14, 6)))
    assert trail.subject and all(i.startswith("KS-3101021003005") for i in trail.subject)
    log.close()


def _wib(*args):
    import datetime as dt

    return int(dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp() * 1000)
