"""No output path replaces a file without --force, and none ever replaces the
ledger or its -wal/-shm files (cli.outfile), through the real command line."""

from __future__ import annotations

import pytest

from support.cli import Serah, build_small_ledger


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    serah.items = build_small_ledger(serah)
    return serah


def _prepare(s: Serah, name: str = "h.serah", *extra) -> str:
    path = str(s.root / name)
    s.ok("handover", "prepare", s.items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", path, "--offline", "--as", "kpu-3101", *extra)
    return path


def test_no_output_option_replaces_the_ledger_even_with_force(s):
    handover = _prepare(s)
    before, size = s.dump(), len((s.root / "ledger.sqlite").read_bytes())
    for force in ((), ("--force",)):
        for target in (s.db, s.db + "-wal", s.db + "-shm"):
            refused = s("handover", "refuse", handover, "--reason", "salah", "-o", target, "--as", "ppk", *force)
            assert refused.code == 2 and "ledger" in refused.err and len(refused.err_lines) == 1, refused.err
            accepted = s("handover", "accept", handover, "-o", target, "--as", "ppk", *force)
            assert accepted.code == 2 and "ledger" in accepted.err, accepted.err
            prepared = s("handover", "prepare", s.items["spare"], "--to", "ppk", "--site", "G", "--purpose", "p",
                         "-o", target, "--as", "kpu-3101", *force)
            assert prepared.code == 2 and "ledger" in prepared.err, prepared.err
    assert s.dump() == before and len((s.root / "ledger.sqlite").read_bytes()) == size


def test_existing_output_files_are_kept_unless_forced(s):
    handover = _prepare(s)
    keep = s.root / "keep.txt"
    keep.write_text("laporan lama\n")
    before = s.dump()
    result = s("handover", "accept", handover, "-o", keep, "--as", "ppk")
    assert result.code == 2 and "--force" in result.err, result.err
    assert keep.read_text() == "laporan lama\n" and s.dump() == before  # refused before the append
    assert s("handover", "prepare", s.items["spare"], "--to", "ppk", "--site", "G", "--purpose", "p",
             "-o", keep, "--as", "kpu-3101").code == 2
    assert s.dump() == before
    s.ok("handover", "accept", handover, "-o", keep, "--force", "--as", "ppk")
    assert keep.read_bytes() != b"laporan lama\n"
    s.ok("checkpoint", "--as", "kpu-ri")
    assert s("checkpoint", "--show", "-o", keep).code == 2
    # export: the bundle and every report path are checked before anything is written
    html = s.root / "old.html"
    html.write_text("<p>old</p>")
    result = s("export", "--item", s.items["box"], "-o", s.root / "b.bukti", "--html", html)
    assert result.code == 2 and "--force" in result.err, result.err
    assert not (s.root / "b.bukti").exists() and html.read_text() == "<p>old</p>"


def test_demo_force_never_deletes_a_ledger_that_is_not_the_demo(s):
    before = s.dump()
    result = s("demo", "--db", s.db, "--force")
    assert result.code == 2 and "not a demo ledger" in result.err and len(result.err_lines) == 1, result.err
    assert s.dump() == before
    other = s.root / "notes.txt"
    other.write_text("catatan\n")
    assert s("demo", "--db", other, "--force").code == 2 and other.read_text() == "catatan\n"
