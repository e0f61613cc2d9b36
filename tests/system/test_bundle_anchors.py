"""Evidence bundles against the keys KPU and Bawaslu publish (SPEC 10.10, 11.5 B10, 11.7).

A bundle that only agrees with itself proves nothing about who made it: a
new ledger with the same name, fresh keys and a witness *named* Bawaslu
exports a bundle that passes B1-B9. So an unpinned result says that anyone
could have made it and prints every key's fingerprint to compare; a trust
file pins the published keys, and a bundle made with other keys fails B10.
The same through ``serah verify`` and ``python -m verifier``.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from ledger.export import Scope, encode_bundle
from ledger.export.ledger_source import checkpointed_trail
from ledger.tlog.log import log_verifier_key, witness_verifier_key
from support import export_story as story
from support.cli import Serah
from verifier import __main__ as verifier_main
from verifier import bundle as vb
from verifier.report import fingerprint


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anchors")
    people, _ = story.story()
    ledger = story.story_ledger(folder)
    try:
        trail, source = checkpointed_trail(ledger, Scope(items=(story.BOX1,)))
        data = encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test")
    finally:
        ledger.close()
    path = folder / "box1.bukti"
    path.write_bytes(data)
    ledger_id = vb.read(data).manifest["ledger"]
    published = folder / "kpu-bawaslu.trust"
    published.write_text(
        "# KPU Kab. Adm. Kepulauan Seribu and Bawaslu, as published\n"
        f"ledger {ledger_id.hex()}\nroot {people.root.public.hex()}\nlog {story.LOG_VKEY}\n"
        f"witness {story.WITNESS_VKEY}\nquorum 1\n")
    # What a forger's own keys look like, pinned by someone who trusts the real ones: the bundle
    # above is "made with other keys" from this file's point of view.
    other = folder / "other.trust"
    other.write_text(f"log {log_verifier_key(story.NAME, story.signer(77).public)}\n"
                     f"witness {witness_verifier_key(story.WITNESS, story.signer(78).public)}\n")
    return {"path": path, "trust": published, "other": other, "ledger_id": ledger_id}


def run_verifier(capsys, *argv) -> tuple[int, str]:
    code = verifier_main.main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_an_unpinned_bundle_says_anyone_could_have_made_it(exported, tmp_path, capsys):
    s = Serah(tmp_path)
    shown = s("verify", str(exported["path"]))
    assert shown.code == 0
    assert "NOT ANCHORED" in shown.out and "anyone could have made" in shown.out
    assert "VERIFIED:" not in shown.out
    log_fp = fingerprint(story.LOG_KEY.public)
    assert f"log key {story.NAME}: {log_fp}" in shown.out
    assert f"witness {story.WITNESS}: {fingerprint(story.WITNESS_KEY.public)}" in shown.out
    assert Serah(tmp_path, lang="id")("verify", str(exported["path"])).out.count("TIDAK DISEMATKAN") == 1

    code, out = run_verifier(capsys, exported["path"])
    assert code == 0 and "NOT ANCHORED" in out and log_fp in out
    as_json = s("--json", "verify", str(exported["path"])).json()
    assert as_json["anchored"] is False and {k["what"] for k in as_json["keys"]} == {"ledger", "root", "log", "witness"}


def test_a_bundle_checked_against_the_published_trust_file_is_verified(exported, tmp_path, capsys):
    s = Serah(tmp_path)
    shown = s("verify", str(exported["path"]), "--trust", str(exported["trust"]))
    assert shown.code == 0 and "VERIFIED" in shown.out and "NOT ANCHORED" not in shown.out, shown.out
    assert s("--json", "verify", str(exported["path"]), "--trust", str(exported["trust"])).json()["anchored"] is True
    code, out = run_verifier(capsys, exported["path"], "--trust", exported["trust"])
    assert code == 0 and "VERIFIED against the pinned keys" in out
    # The same pins as options: a log key history (an older key first), the ledger id.
    older = log_verifier_key(story.NAME, story.signer(50).public)
    code, out = run_verifier(capsys, exported["path"], "--log-key", older, "--log-key", story.LOG_VKEY,
                             "--ledger-id", exported["ledger_id"].hex())
    assert code == 0 and "VERIFIED against" in out


def test_a_bundle_made_with_other_keys_fails_the_pins(exported, tmp_path, capsys):
    s = Serah(tmp_path)
    shown = s("--json", "verify", str(exported["path"]), "--trust", str(exported["other"]))
    assert shown.code == 1
    codes = {f["code"] for f in shown.json()["findings"] if f["check"] == "B10"}
    assert codes == {"bundle.pin_log", "bundle.pin_witness"}
    code, out = run_verifier(capsys, exported["path"], "--trust", exported["other"])
    assert code == 1 and "B10 error" in out and "FINDINGS" in out
    wrong_ledger = s("verify", str(exported["path"]), "--ledger-id", hashlib.sha256(b"x").hexdigest())
    assert wrong_ledger.code == 1


def test_quorum_counts_pinned_witnesses_that_cosigned(exported, capsys):
    two = exported["path"].parent / "two.trust"
    two.write_text(exported["trust"].read_text().replace("quorum 1", "quorum 2"))
    code, out = run_verifier(capsys, exported["path"], "--trust", two)
    assert code == 1 and "quorum 2" in out


def test_the_html_report_names_every_key_with_its_fingerprint(exported, tmp_path):
    s = Serah(tmp_path)
    html = tmp_path / "report.html"
    assert s("export", "--from", str(exported["path"]), "--html", str(html)).code == 0
    text = html.read_text()
    assert fingerprint(story.LOG_KEY.public) in text and "Compare these with the published keys" in text
    assert "NOT ANCHORED" in text


@pytest.mark.parametrize("content,words", [
    ("log nonsense\n", "line 1"),
    ("witness " + story.LOG_VKEY + "\n", "expected 0x04"),
    ("ledger 00\n", "64 hex digits"),
    ("quorum 1\nquorum 2\n", "quorum given twice"),
    ("colour blue\n", "unknown word"),
])
def test_a_bad_trust_file_is_one_line_and_exit_2(exported, tmp_path, capsys, content, words):
    bad = tmp_path / "bad.trust"
    bad.write_text(content)
    result = Serah(tmp_path)("verify", str(exported["path"]), "--trust", str(bad))
    assert result.code == 2 and words in result.err and len(result.err_lines) == 1, result.err
    assert verifier_main.main([str(exported["path"]), "--trust", str(bad)]) == 2
    assert words in capsys.readouterr().err


def test_python_m_verifier_json_for_a_bundle(exported, capsys):
    code, out = run_verifier(capsys, exported["path"], "--json", "--trust", exported["trust"])
    data = json.loads(out)
    assert code == 0 and data["anchored"] is True and data["exit"] == 0
