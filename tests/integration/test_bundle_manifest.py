"""The exporter's claims in a bundle (SPEC 11.1 signature, 11.5 B11, B12).

The part hashes only catch damage: whoever edits a manifest recomputes them.
So the scope is checked against the subject by what the bundle's own records
show (B12), and an exporter with a ``kpu`` key signs the manifest (B11): an
edited scope or subject then no longer verifies.
"""

from __future__ import annotations

import pytest

from ledger.encoding import decode, encode
from ledger.export import Scope, encode_bundle
from ledger.export.ledger_source import checkpointed_trail
from support import export_story as story
from support.cli import Serah
from verifier import bundle as vb
from verifier.report import fingerprint


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("manifest")
    people, _ = story.story()
    ledger = story.story_ledger(folder)
    yield people, ledger, folder
    ledger.close()


BOX1_ONLY = Scope(items=(story.BOX1,))


def export(world, signer=None, scope=BOX1_ONLY) -> bytes:
    _, ledger, _ = world
    trail, source = checkpointed_trail(ledger, scope)
    return encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test", signer=signer)


def edited(data: bytes, change) -> bytes:
    """The manifest changed and re-encoded, its part hashes left right (the parts are untouched)."""
    top = decode(data)
    manifest = decode(top["manifest"])
    change(manifest)
    top["manifest"] = encode(manifest)
    return encode(top)


def errors(result) -> set[tuple[str, str]]:
    return {(f.check, f.code) for f in result.findings if f.severity == "error"}


def test_a_signed_bundle_names_its_exporter(world):
    people, _, _ = world
    data = export(world, signer=people.kab)
    assert vb.is_bundle(data[:32]) and data[0] == 0x85
    result = vb.verify(data)
    assert result.exit_code == 0 and errors(result) == set(), result.findings
    assert any(what == "exporter" and fp == fingerprint(people.kab.public) for what, _, fp in result.named_keys())
    assert "bundle.unsigned" not in {f.code for f in result.findings}


def test_an_unsigned_bundle_says_its_scope_is_unsigned(world):
    result = vb.verify(export(world))
    assert result.exit_code == 0 and ("B11", "bundle.unsigned") in {(f.check, f.code) for f in result.findings}


def test_a_scope_edited_after_export_is_caught(world):
    """The adversarial review's edit: the scope names another item and the window [0, 1)."""
    people, _, _ = world

    def lie(manifest):
        manifest["scope"] = {"items": ["KS-9999999999999-PPWP"], "since": 0, "until": 1}

    unsigned = vb.verify(edited(export(world), lie))
    assert unsigned.exit_code == 1 and ("B12", "bundle.scope_not_selected") in errors(unsigned)
    signed = vb.verify(edited(export(world, signer=people.kab), lie))
    assert ("B11", "bundle.manifest_signature") in errors(signed)
    # Another item named, no window: it is selected, so it must be in the subject.
    other = vb.verify(edited(export(world), lambda m: m["scope"].update(items=sorted([story.BOX1, story.BOX2]))))
    assert ("B12", "bundle.scope_missing") in errors(other)
    # The subject shortened (one chain quietly dropped): the scope still selects it.
    data = export(world)
    subject = vb.read(data).manifest["subject"]
    short = vb.verify(edited(data, lambda m: m.update(subject=subject[:-1])))
    assert ("B12", "bundle.scope_missing") in errors(short)


def test_only_an_active_kpu_key_of_the_bundle_signs_it(world):
    people, _, _ = world
    by_ppk = vb.verify(export(world, signer=people.ppk))
    assert ("B11", "bundle.signer") in errors(by_ppk)
    by_outsider = vb.verify(export(world, signer=people.outsider))
    assert ("B11", "bundle.signer") in errors(by_outsider)


def test_places_and_windows_are_checked_against_the_subject(world):
    data = export(world, scope=Scope(places=(story.TPS1,)))
    assert errors(vb.verify(data)) == set()
    window = export(world, scope=Scope(items=(story.BOX1,), since=story.ms(2024, 1, 1), until=story.ms(2024, 12, 31)))
    assert errors(vb.verify(window)) == set()


def test_serah_export_as_signs_and_refuses_a_non_kpu_signer(world, tmp_path):
    """Through the command line: ``serah export --as``."""
    from ledger import keys
    from support.cli import PASSPHRASE

    people, _, folder = world
    s = Serah(tmp_path)
    s.key("kab").parent.mkdir(parents=True)
    for name, who in (("kab", people.kab), ("ppk", people.ppk)):
        keys.save(who, s.key(name), PASSPHRASE)
    db = str(folder / "story.sqlite")
    out = tmp_path / "signed.bukti"
    done = s("--db", db, "export", "--item", story.BOX1, "-o", str(out), "--as", "kab")
    assert done.code == 0, (done.out, done.err)
    assert vb.verify(out.read_bytes()).signer["key"] == people.kab.public
    assert fingerprint(people.kab.public) in s("verify", str(out)).out
    refused = s("--db", db, "export", "--item", story.BOX1, "-o", str(tmp_path / "ppk.bukti"), "--as", "ppk")
    assert refused.code == 3 and "kpu" in refused.err and not (tmp_path / "ppk.bukti").exists()
