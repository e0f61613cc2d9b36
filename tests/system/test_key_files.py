"""Key files as an attacker with the key folder would meet them: swapped
``.pub`` files, weak passphrases, loose file modes, old key files.

Everything through the real ``serah`` command line with real key files.
"""

from __future__ import annotations

import base64
import shutil

from support.cli import PASSPHRASE, TPS, Serah, build_small_ledger


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


def test_weak_passphrases_are_refused(tmp_path):
    s = Serah(tmp_path)
    for weak in ("12345678", "password", " " * 8, "kpps-0011"):
        result = s("key", "new", "kpps-001", env={"SERAH_PASSPHRASE": weak})
        assert result.code == 6 and len(result.err_lines) == 1 and "guess" in result.err, (weak, result.err)
        assert not (s.home / "keys" / "kpps-001.key").exists()
    s.ok("key", "new", "kpps-001", env={"SERAH_PASSPHRASE": "perahu-motor-pulau-pramuka"})


def test_key_files_others_may_read_are_refused(tmp_path):
    s = Serah(tmp_path)
    s.ok("key", "new", "kpu-ri")
    s.key("kpu-ri").chmod(0o644)
    result = s("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
               "--vote-date", "2024-02-14")
    assert result.code == 6 and "chmod 600" in result.err and len(result.err_lines) == 1, result.err
    s.key("kpu-ri").chmod(0o600)
    s.ok("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
         "--vote-date", "2024-02-14")


def test_key_files_use_scrypt_and_production_refuses_the_test_cost(tmp_path):
    s = Serah(tmp_path)
    production = {"SERAH_INSECURE_TEST_KDF": None}
    s.ok("key", "new", "kpu-ri", env=production)  # the production minimum
    text = s.key("kpu-ri").read_text()
    assert "kdf: scrypt\nn: 131072\nr: 8\np: 1\n" in text
    s.ok("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
         "--vote-date", "2024-02-14", env=production)
    s.ok("key", "new", "cheap")  # the suite's cost, n = 2^10
    assert "n: 1024\n" in s.key("cheap").read_text()
    refused = s("checkpoint", "--verifier-key", "--as", "cheap", env=production)
    assert refused.code == 6 and "2^10" in refused.err, refused.err
    # The parameters are bound to the ciphertext: lowering the cost breaks the file, it does not weaken it.
    s.key("kpu-ri").write_text(text.replace("n: 131072", "n: 1024"))
    assert s("checkpoint", "--verifier-key", "--as", "kpu-ri").code == 6


def test_old_pkcs8_key_files_are_still_read(tmp_path):
    from cryptography.hazmat.primitives import serialization

    from ledger import keys

    s = Serah(tmp_path)
    signer = keys.generate()
    path = tmp_path / "old.key"
    path.write_bytes(signer._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    path.chmod(0o600)
    s.ok("init", "--root", path, "--name", "serah.test/3101", "--election", "Pemilu 2024", "--vote-date", "2024-02-14")
    vkey = s.ok("checkpoint", "--verifier-key", "--key", path).out
    assert vkey.strip().endswith(base64.b64encode(b"\x01" + signer.public).decode())
    # serah key upgrade rewrites it in the SPEC 7.2 format: same key, same passphrase.
    production = {"SERAH_INSECURE_TEST_KDF": None}
    assert s.ok("key", "upgrade", path, "--json", env=production).json()["upgraded"] is True
    assert path.read_text().startswith("-----BEGIN SERAH PRIVATE KEY-----\nkdf: scrypt\nn: 131072\n")
    assert s.ok("checkpoint", "--verifier-key", "--key", path, env=production).out == vkey
    assert s.ok("key", "upgrade", path, "--json", env=production).json()["upgraded"] is False
