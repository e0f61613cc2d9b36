"""One option name, one meaning, across every command: ``-o/--output`` is
always an output file, ``--witness-as`` a present witness's own key (name or
file), ``--witness`` a person named in a record, ``--*-vkey`` a verifier key,
and ``--ledger-name``, ``--person``, ``--note-name`` the three names that
were all ``--name``. Former spellings keep working but are not shown."""

from __future__ import annotations

import re

import pytest

from support.cli import Serah, build_small_ledger
from support.field import box_at_tps

COMMANDS = [
    ["init"], ["enroll"], ["key", "new"], ["key", "show"], ["item", "register"], ["item", "pack"], ["seal"],
    ["handover", "prepare"], ["handover", "cosign"], ["handover", "accept"], ["handover", "refuse"],
    ["handover", "submit"], ["handover", "show"], ["open"], ["incident"], ["tally"], ["destroy"], ["attest"],
    ["checkpoint"], ["witness", "cosign"], ["witness", "add-cosignature"], ["witness", "key"], ["verify"],
    ["export"],
]


def _options(s: Serah, command: list[str]) -> dict[str, str]:
    """Option name -> its help line, from ``serah COMMAND --help``."""
    text = s.ok(*command, "--help").out
    section = text.split("\nOptions:\n", 1)[1]
    out = {}
    for line in section.splitlines():
        if not line.startswith("  -"):
            continue
        for name in re.findall(r"(--[a-z][a-z-]*)", line.split("  ")[1]):
            out.setdefault(name, line)
    return out


def test_help_shows_one_name_per_meaning(tmp_path):
    s = Serah(tmp_path)
    seen = {c[-1] if len(c) == 1 else " ".join(c): _options(s, c) for c in COMMANDS}
    for command, options in seen.items():
        assert "--out" not in options, command
        assert "--name" not in options, command
        assert "--witness-key" not in options and "--log-key" not in options, command
        if "--witness" in options:
            assert "PUBKEY|NAME" in options["--witness"], (command, options["--witness"])
    assert "--witness-as" in seen["open"] and "--witness-as" in seen["destroy"]
    assert "--witness-vkey" in seen["verify"] and "--witness-vkey" in seen["witness add-cosignature"]
    assert "--ledger-name" in seen["init"] and "--person" in seen["enroll"]
    assert "--note-name" in seen["witness cosign"] and "--note-name" in seen["key show"]
    assert "--for-witness" in seen["key show"]
    assert all("-o, --output" in seen[c]["--output"] for c in ("checkpoint", "witness cosign", "export"))


def test_witness_as_takes_a_key_name_and_the_former_spelling_still_works(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    box_at_tps(s, items)  # opens the box with --witness-as pkd (a key name)
    assert s.ok("where", items["box"], "--json").json()["state"] == "opened"
    s.ok("destroy", items["spare"], "--method", "dibakar", "--reason", "cadangan",
         "--witness-key", s.key("pkd"), "--as", "kpu-3101")  # a script written for the old name
    assert s.ok("status", items["spare"], "--json").json()["state"] == "destroyed"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_missing_witness_key_name_is_one_line(tmp_path, lang):
    s = Serah(tmp_path, lang=lang)
    items = build_small_ledger(s)
    result = s("destroy", items["spare"], "--method", "dibakar", "--reason", "cadangan", "--witness-as", "nobody",
               "--as", "kpu-3101")
    assert result.code == 6 and len(result.err_lines) == 1, result.err
