"""The ledger's name (the genesis ``name``) must be a signed-note key name
(SPEC 4.1, 10.3): it names the transparency log too."""

from __future__ import annotations

import os

import msgpack
import pytest

from ledger import encoding, records
from ledger.application import Ledger
from ledger.errors import BadRecord, InvalidInput
from support.cli import Serah
from support.scenario import Cast, dump


@pytest.mark.parametrize(
    "name", ["", "Pemilu 2024", "serah+kpu", "tab\there", "line\nbreak", "nbsp\u00a0x", "bell\x07", "del\x7f"]
)
def test_genesis_refuses_a_name_that_cannot_be_a_log_key_name(tmp_path, name):
    path = str(tmp_path / "ledger.sqlite")
    ledger = Ledger(path)
    before = dump(path)
    with pytest.raises(InvalidInput) as refused:
        ledger.genesis([Cast.signer("kpu_ri")], name, "Pemilu 2024", "2024-02-14")
    assert refused.value.code == "bad_ledger_name"
    assert "\n" not in str(refused.value)
    assert dump(path) == before and ledger.ledger_id is None
    ledger.close()


def test_genesis_accepts_names_like_the_spec_examples(tmp_path):
    ledger = Ledger(str(tmp_path / "ledger.sqlite"))
    ledger.genesis([Cast.signer("kpu_ri")], "serah.kpu.go.id/3101/pemilu-2024", "Pemilu 2024", "2024-02-14")
    assert ledger.genesis_body["name"] == "serah.kpu.go.id/3101/pemilu-2024"
    ledger.close()
    assert records.valid_ledger_name("bawaslu.go.id/3101/w1")
    assert records.valid_ledger_name("pemilu-ü")  # non-ASCII letters are fine


def test_a_signed_genesis_with_a_bad_name_fails_the_schema_check():
    """A record signed elsewhere (not through build/sign) is refused by parse (V2)."""
    root = Cast.signer("kpu_ri")
    body = {"v": 1, "type": "genesis", "time": 1_700_000_000_000, "author": root.public,
            "name": "Pemilu 2024", "election": "Pemilu 2024", "vote_date": "2024-02-14", "utc_offset": 420,
            "roots": [{"key": root.public, "name": "KPU RI", "region": ""}]}
    body_bytes = encoding.encode(body)
    envelope = encoding.encode({"body": body_bytes, "sigs": [[root.public, root.sign(records.SIG_PREFIX + body_bytes)]]})
    assert msgpack.unpackb(envelope)  # well-formed SCE
    with pytest.raises(BadRecord):
        records.parse(envelope)


def test_serah_init_refuses_a_bad_name_in_one_line(tmp_path):
    s = Serah(tmp_path)
    s.ok("key", "new", "kpu-ri")
    result = s("init", "--root", s.key("kpu-ri"), "--name", "Pemilu 2024 Kep Seribu", "--election", "Pemilu 2024",
               "--vote-date", "2024-02-14")
    assert result.code == 2
    assert len(result.err_lines) == 1 and "invalid ledger name" in result.err
    assert not os.path.exists(s.db)
    s_id = Serah(tmp_path, lang="id")
    result = s_id("init", "--root", s.key("kpu-ri"), "--name", "a+b", "--election", "Pemilu 2024",
                  "--vote-date", "2024-02-14")
    assert result.code == 2 and "nama buku besar tidak sah" in result.err
