"""``serah export`` on the demo ledger (built through the real API), verified with no database.

One demo ledger per test module (about 20 s); each test works on a copy.
The operator signs a checkpoint with ``serah checkpoint`` and a Bawaslu
witness cosigns it with ``serah witness cosign`` + ``add-cosignature``, as in
production; ``serah export`` only proves against what they stored. The
commands run in-process (tests/support/cli.py), except that one bundle is
written by ``python -m cli.main`` in a subprocess, moved into an empty folder
with the ledger deleted, and checked by a fresh Python process with nothing
but ``verifier/`` on its path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO_ROOT
from support.cli import Serah

PASS = "export-test-passphrase"
DAMAGED = "KS-3101021002003-DPRD_PROV"
WITNESS = "bawaslu-w1"


def run(args, cwd, env_extra=None, pythonpath=REPO_ROOT):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERAH_")}
    env.update({"PYTHONPATH": str(pythonpath), "SERAH_PASSPHRASE": PASS, "SERAH_HOME": str(cwd / "home"),
                "SERAH_LANG": "en"})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def serah(folder: Path, *args):
    """``serah ARGS`` in-process on the ledger copy in ``folder``."""
    cli = Serah(folder)
    cli.env["SERAH_PASSPHRASE"] = PASS
    return cli(*args)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from cli.demo import build
    from ledger import keys

    folder = tmp_path_factory.mktemp("demo")
    build(str(folder / "demo.sqlite"), checkpoint=False)  # the tests sign and cosign through the commands
    keys.save(keys.from_seed(b"\xc8" * 32), folder / "log.key", PASS, name="log")
    keys.save(keys.from_seed(b"\xc9" * 32), folder / "w1.key", PASS, name="w1")
    return folder


@pytest.fixture
def here(demo, tmp_path):
    """A copy of the demo ledger and its keys in an empty folder."""
    for name in os.listdir(demo):
        if name.startswith("demo.sqlite"):
            shutil.copy(demo / name, tmp_path / name.replace("demo.sqlite", "ledger.sqlite"))
        elif name.endswith((".key", ".pub")):
            shutil.copy(demo / name, tmp_path / name)
    return tmp_path


def checkpoint(folder: Path, cosign: bool = True) -> None:
    """``serah checkpoint``, then the witness cosigns and the operator stores the cosignature."""
    f = lambda name: str(folder / name)  # noqa: E731
    signed = serah(folder, "checkpoint", "--key", f("log.key"), "-o", f("cp.note"))
    assert signed.code == 0, signed.err
    if cosign:
        vkey = serah(folder, "checkpoint", "--verifier-key", "--key", f("log.key")).out.strip()
        cosigned = serah(folder, "witness", "cosign", f("cp.note"), "--state", f("w1.json"), "--key", f("w1.key"),
                         "--name", WITNESS, "--log", vkey, "-o", f("cp.cosigned"),
                         *(() if (folder / "w1.json").exists() else ("--first-time",)))
        assert cosigned.code == 0, cosigned.err
        wkey = serah(folder, "witness", "key", "--key", f("w1.key"), "--name", WITNESS).out.strip()
        added = serah(folder, "witness", "add-cosignature", f("cp.cosigned"), "--witness", wkey)
        assert added.code == 0, added.err
        os.unlink(f("cp.cosigned"))
    os.unlink(f("cp.note"))


def one_line(result, code: int, *words: str) -> None:
    assert result.code == code, (result.code, result.err, result.out)
    assert len(result.err_lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err


# What `pip install ./verifier` may bring into an auditor's environment, and what it must not.
VERIFIER_ONLY = {"serah-verifier", "cryptography", "cffi", "pycparser", "msgpack"}
LEDGER_ONLY = {"reportlab", "psycopg", "psycopg-binary", "eventsourcing", "serah", "click", "msgspec"}


def install_verifier_alone(folder: Path) -> Path:
    """``pip install ./verifier`` into a fresh venv that sees no other site-packages; its python."""
    source = folder / "src" / "verifier"
    # a copy, so the build's egg-info and build/ folders stay out of the work tree
    shutil.copytree(REPO_ROOT / "verifier", source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(source)],
                         check=False, cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return python


def test_serah_still_ships_the_verifier():
    """``pip install .`` installs verifier/ with serah (verifier/pyproject.toml only adds the alone install)."""
    import tomllib

    from setuptools import find_packages

    found = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"]["find"]
    assert "verifier" in find_packages(str(REPO_ROOT), include=found["include"])


@pytest.mark.venv
def test_verifier_installed_alone_checks_the_demo_ledger_and_an_exported_bundle(here, tmp_path_factory):
    checkpoint(here)
    out = run(["-m", "cli.main", "--db", "ledger.sqlite", "export", "--item", DAMAGED, "-o", "box.bukti"], here)
    assert out.returncode == 0, out.stderr + out.stdout
    assert "Bundle written: box.bukti" in out.stdout

    court = tmp_path_factory.mktemp("court")
    python = install_verifier_alone(court)
    alone = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("SERAH_")}

    def verifier(*args, cwd=court):
        return subprocess.run([str(python), "-I", "-m", "verifier", *args], check=False, cwd=cwd, env=alone,
                              capture_output=True, text=True, timeout=300)

    code = ("import importlib.metadata as m, verifier; print(verifier.__file__); "
            "print(*sorted(d.metadata['Name'].lower() for d in m.distributions()))")
    listed = subprocess.run([str(python), "-I", "-c", code], check=True, cwd=court, env=alone,
                            capture_output=True, text=True)
    where, names = listed.stdout.splitlines()
    assert where.startswith(str(court / "venv")), where  # the installed copy, not the work tree's
    assert set(names.split()) == VERIFIER_ONLY, names
    assert not LEDGER_ONLY & set(names.split())

    ledger = verifier(str(here / "ledger.sqlite"))
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
    assert "0 errors, 0 warnings" in ledger.stdout.splitlines()[-1]

    # The bundle goes to court alone: no ledger, no ledger/ or cli/ code.
    shutil.move(here / "box.bukti", court / "box.bukti")
    for name in os.listdir(here):
        if name.startswith("ledger.sqlite"):
            os.unlink(here / name)
    check = verifier("box.bukti")
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"cosigned by {WITNESS}" in check.stdout
    assert f"V13 notice: {DAMAGED}" in check.stdout  # the box crushed on the boat is shown, not hidden
    assert "PROVES: The chains of the 3 subject items" in check.stdout
    assert "DOES NOT PROVE: It does not prove that no other records exist" in check.stdout
    as_json = json.loads(verifier("--json", "box.bukti").stdout)
    assert (as_json["exit"], as_json["unusable"]) == (0, False)
    assert as_json["records"] == len(record_types(court / "box.bukti")) and len(as_json["subject"]) == 3
    data = (court / "box.bukti").read_bytes()
    (court / "cut.bukti").write_bytes(data[: len(data) // 2])
    cut = verifier("cut.bukti")
    assert cut.returncode == 2 and cut.stdout == "" and len(cut.stderr.splitlines()) == 1 and "B1" in cut.stderr


def test_export_needs_a_stored_checkpoint_that_covers_the_trail(here):
    before = sorted(os.listdir(here))
    none = serah(here, "export", "--item", DAMAGED, "-o", str(here / "box.bukti"))
    one_line(none, 2, "no checkpoint", "serah checkpoint", "serah witness cosign")
    assert sorted(os.listdir(here)) == before

    checkpoint(here, cosign=False)  # signed by the operator, nobody cosigned it yet
    uncosigned = serah(here, "export", "--item", DAMAGED, "-o", str(here / "first.bukti"))
    assert uncosigned.code == 1 and "B6" in uncosigned.out  # written, with the warning

    attest(here, DAMAGED)  # a record of this trail after the checkpoint
    late = serah(here, "export", "--item", DAMAGED, "-o", str(here / "late.bukti"))
    one_line(late, 2, "no checkpoint covers this trail", "1 of its records", "serah checkpoint")
    assert not (here / "late.bukti").exists()
    other = serah(here, "export", "--tps", "3101011001001", "-o", str(here / "other.bukti"))  # untouched: still covered
    assert other.code == 1 and "B6" in other.out

    checkpoint(here)
    done = serah(here, "export", "--item", DAMAGED, "-o", str(here / "late.bukti"), "--json")
    assert done.code == 0, done.out + done.err
    assert json.loads(done.out)["checkpoint"]["cosigned"] == [WITNESS]
    assert "witness" in record_types(here / "late.bukti")  # the attestation travels with the trail


def attest(folder: Path, item: str) -> None:
    """The Bawaslu witness of the demo attests the last record of ``item`` (SPEC 4.14)."""
    from ledger import keys
    from ledger.application import Ledger

    ledger = Ledger(str(folder / "ledger.sqlite"))
    try:
        head = ledger.history(item)[-1].id
        witness = keys.from_seed(hashlib.sha256(b"serah-demo/v1/bawaslu-3101").digest())
        ledger.witness(witness, head, "Kotak rusak disaksikan di dermaga")
    finally:
        ledger.close()


def record_types(path: Path) -> list[str]:
    from verifier import bundle

    return [r.body["type"] for r in bundle.verify(path.read_bytes()).bundle.records]


def test_serah_verify_reads_bundles_and_exit_codes(here, tmp_path):
    checkpoint(here)
    out = serah(here, "export", "--tps", "3101021002003", "-o", str(tmp_path / "tps.bukti"))
    assert out.code == 0, out.out + out.err
    ok = run(["-m", "cli.main", "verify", "tps.bukti"], tmp_path)
    assert ok.returncode == 0 and "What this bundle does not prove" in ok.stdout
    data = (tmp_path / "tps.bukti").read_bytes()
    (tmp_path / "cut.bukti").write_bytes(data[: len(data) // 2])
    cut = run(["-m", "cli.main", "verify", "cut.bukti"], tmp_path)
    assert cut.returncode == 2 and "(B1)" in cut.stderr


def test_refusals(here, tmp_path):
    checkpoint(here)
    unknown = serah(here, "export", "--item", "KS-NOPE", "-o", str(tmp_path / "x.bukti"))
    one_line(unknown, 3, "KS-NOPE")
    assert not (tmp_path / "x.bukti").exists()
    (tmp_path / "exists.bukti").write_bytes(b"keep me")
    exists = serah(here, "export", "--item", DAMAGED, "-o", str(tmp_path / "exists.bukti"))
    one_line(exists, 2)
    assert (tmp_path / "exists.bukti").read_bytes() == b"keep me"
    window = serah(here, "export", "--place", "310102", "--since", "2024-02-14", "--until", "2024-02-13",
                   "-o", str(tmp_path / "w.bukti"))
    one_line(window, 2)


def test_window_and_place_export(here):
    from ledger.application import Ledger
    from ledger.export import Scope
    from ledger.export.ledger_source import checkpointed_trail

    checkpoint(here, cosign=False)
    ledger = Ledger(str(here / "ledger.sqlite"))
    try:
        # Pulau Pari's boxes reached their TPS after H-1: the morning of voting day.
        scope = Scope(places=("3101021003005",), since=_wib(2024, 2, 14, 5), until=_wib(2024, 2, 14, 6))
        trail, _ = checkpointed_trail(ledger, scope)
    finally:
        ledger.close()
    assert trail.subject and all(i.startswith("KS-3101021003005") for i in trail.subject)


def _wib(*args):
    import datetime as dt

    return int(dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp() * 1000)


def test_place_export_sees_an_item_registered_after_the_views_last_caught_up(here):
    """An export by place reads the custody view; it must catch up first."""
    import hashlib

    from ledger import keys
    from ledger.application import Ledger
    from ledger.export import Scope
    from ledger.export.ledger_source import checkpointed_trail
    from ledger.projections import Views

    kab = keys.from_seed(hashlib.sha256(b"serah-demo/v1/kpu-3101").digest())
    ledger = Ledger(str(here / "ledger.sqlite"))
    try:
        Views(ledger).catch_up()  # the view is current up to here
        ledger.register(kab, [{"item": "KS-LATE-FORMS-1", "kind": "form", "dest": "3101021003005",
                               "qty": 10, "label": "C.Hasil-PPWP"}])
    finally:
        ledger.close()
    checkpoint(here, cosign=False)
    ledger = Ledger(str(here / "ledger.sqlite"))
    try:
        trail, _ = checkpointed_trail(ledger, Scope(places=("3101021003005",)))
    finally:
        ledger.close()
    assert "KS-LATE-FORMS-1" in trail.subject
