"""Key files as an attacker with the key folder would meet them: swapped
``.pub`` files, weak passphrases, loose file modes, old key files.

Everything through the real ``serah`` command line with real key files.
"""

from __future__ import annotations

import shutil

from cli_support import TPS, Serah, build_small_ledger


def test_own_public_key_comes_from_the_private_key_not_the_pub_file(tmp_path):
    s = Serah(tmp_path)
    s.ok("key", "new", "kpu-ri")
    s.ok("key", "new", "other")
    s.ok("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
         "--vote-date", "2024-02-14")
    honest = s.ok("checkpoint", "--verifier-key", "--as", "kpu-ri").out
    # An attacker with write access to the key folder swaps the public file.
    shutil.copy(s.home / "keys" / "other.key.pub", s.home / "keys" / "kpu-ri.key.pub")
    assert s.ok("checkpoint", "--verifier-key", "--as", "kpu-ri").out == honest
    assert s.ok("checkpoint", "--verifier-key", "--key", s.key("kpu-ri")).out == honest


def test_prepare_names_the_receiver_it_resolved(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    out = s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
               "-o", tmp_path / "h.serah", "--as", "kpu-3101")
    assert "Ketua PPK" in out.out and "PPK Kepulauan Seribu Utara" in out.out and TPS[:6] in out.out
