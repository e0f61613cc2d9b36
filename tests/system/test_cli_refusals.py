"""Every refusal: exactly one line on stderr, the documented exit code, and
the ledger byte for byte as it was (compared as SQL dumps)."""

from __future__ import annotations

import shutil

import pytest

from support.cli import TPS, Serah, build_small_ledger


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """One small ledger plus a prepared handover file, built once and copied."""
    root = tmp_path_factory.mktemp("base")
    s = Serah(root)
    items = build_small_ledger(s)
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", root / "to-ppk.serah", "--as", "kpu-3101")
    return root, items


@pytest.fixture
def s(base, tmp_path):
    root, _ = base
    for entry in root.iterdir():
        target = tmp_path / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target)
        else:
            shutil.copy2(entry, target)
    return Serah(tmp_path)


@pytest.fixture
def items(base):
    return base[1]


def refused(s: Serah, code: int, *args, env=None, contains: str = "") -> str:
    before = s.dump()
    result = s(*args, env=env)
    assert result.code == code, f"exit {result.code}, wanted {code}: {result.err}"
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("error: ") or line.startswith("galat: "), line
    assert "Traceback" not in result.err and result.out == ""
    assert contains in line, line
    assert s.dump() == before, "a refusal changed the ledger"
    return line


def test_not_holder(s, items):
    refused(s, 3, "handover", "prepare", items["spare"], "--to", "pps", "--site", "x", "--purpose", "y",
            "--as", "ppk", contains=items["spare"])


def test_item_in_transit(s, items):
    refused(s, 3, "handover", "prepare", items["box"], "--to", "ppk", "--site", "x", "--purpose", "y",
            "--as", "kpu-3101", contains="transit")


def test_unknown_item(s):
    refused(s, 2, "status", "KS-NOPE", contains="KS-NOPE")
    refused(s, 2, "handover", "prepare", "KS-NOPE", "--to", "ppk", "--site", "x", "--purpose", "y",
            "--as", "kpu-3101", contains="KS-NOPE")


def test_wrong_receiver_and_closed_handover(s, tmp_path):
    refused(s, 3, "handover", "accept", tmp_path / "to-ppk.serah", "--as", "pps")
    s.ok("handover", "accept", tmp_path / "to-ppk.serah", "--as", "ppk")
    refused(s, 3, "handover", "accept", tmp_path / "to-ppk.serah", "--as", "ppk", contains="accepted or refused")
    refused(s, 3, "handover", "refuse", tmp_path / "to-ppk.serah", "--reason", "late", "--as", "ppk")


def test_wrong_passphrase(s):
    line = refused(s, 6, "seal", "KS-X", "S-1", "--as", "kpu-3101", env={"SERAH_PASSPHRASE": "not-the-one"})
    assert "passphrase" in line and "not-the-one" not in line


def test_no_passphrase_without_terminal(s, items):
    refused(s, 6, "seal", items["box"], "S-9", "--as", "kpu-3101", env={"SERAH_PASSPHRASE": None},
            contains="SERAH_PASSPHRASE")


def test_missing_key(s):
    refused(s, 6, "seal", "KS-X", "S-1", "--as", "nobody", contains="nobody")
    refused(s, 2, "seal", "KS-X", "S-1", contains="--as")


def test_malformed_csv_names_the_line(s):
    rows = [
        {"item": "KS-3101011001001-DPR-SS", "kind": "ballots", "dest": TPS, "qty": "266", "election": "DPR",
         "dapil": "DKI JAKARTA III"},
        {"item": "KS-3101011001001-DPD-SS", "kind": "ballots", "dest": TPS, "qty": "dua ratus", "election": "DPD",
         "dapil": "DKI JAKARTA"},
    ]
    refused(s, 2, "item", "register", s.write_csv("bad.csv", rows), "--as", "kpu-3101", contains="line 3")
    rows[1]["qty"] = "266"
    rows[1]["kind"] = "surat"
    refused(s, 2, "item", "register", s.write_csv("bad2.csv", rows), "--as", "kpu-3101", contains="line 3")
    rows[1]["kind"] = "ballots"
    rows[1]["item"] = rows[0]["item"]
    refused(s, 2, "item", "register", s.write_csv("dup.csv", rows), "--as", "kpu-3101", contains="line 2")
    (s.root / "cols.csv").write_text("item,kind,colour\nKS-A,box,grey\n")
    refused(s, 2, "item", "register", s.root / "cols.csv", "--as", "kpu-3101", contains="colour")
    (s.root / "empty.csv").write_text("")
    refused(s, 2, "item", "register", s.root / "empty.csv", "--as", "kpu-3101")
    refused(s, 2, "item", "register", s.root / "missing.csv", "--as", "kpu-3101")


def test_already_registered(s, items):
    rows = [{"item": items["spare"], "kind": "ballots", "dest": TPS, "qty": "1", "election": "PPWP", "dapil": "X"}]
    refused(s, 3, "item", "register", s.write_csv("again.csv", rows), "--as", "kpu-3101", contains=items["spare"])


def test_tampered_handover_file(s, tmp_path):
    path = tmp_path / "to-ppk.serah"
    data = bytearray(path.read_bytes())
    where = data.find(b"Gudang")
    data[where] = ord("X")  # the site text: still valid SCE, signature no longer matches
    path.write_bytes(bytes(data))
    refused(s, 4, "handover", "accept", path, "--as", "ppk", contains="signature")
    refused(s, 4, "handover", "show", path)


def test_garbage_handover_file(s, tmp_path):
    path = tmp_path / "junk.serah"
    path.write_bytes(b"this is not a handover file\n")
    refused(s, 2, "handover", "accept", path, "--as", "ppk", contains="junk.serah")


def test_handover_file_from_another_ledger(s, tmp_path):
    other = Serah(tmp_path / "other")
    other_items = build_small_ledger(other)
    other.ok("handover", "prepare", other_items["box"], "--to", "ppk", "--site", "x", "--purpose", "y", "--offline",
             "-o", tmp_path / "foreign.serah", "--as", "kpu-3101")
    refused(s, 4, "handover", "submit", tmp_path / "foreign.serah", contains="ledger")


def test_enrol_by_non_kpu_and_revoked_key(s):
    s.ok("key", "new", "stranger")
    refused(s, 3, "enroll", "stranger", "--role", "kpps", "--region", TPS, "--name", "x", "--org", "y", "--as", "pps")
    s.ok("revoke", "pps-other", "--reason", "hilang", "--as", "kpu-3101")
    refused(s, 3, "enroll", "stranger", "--role", "kpps", "--region", TPS, "--name", "x", "--org", "y",
            "--as", "pps-other")
    refused(s, 2, "enroll", "stranger", "--role", "kpps", "--region", "31-01", "--name", "x", "--org", "y",
            "--as", "kpu-3101", contains="31-01")


def test_seal_number_used_twice(s):
    rows = [{"item": "KS-3101011001001-DPR", "kind": "box", "dest": TPS, "election": "DPR"}]
    s.ok("item", "register", s.write_csv("box.csv", rows), "--as", "kpu-3101")
    refused(s, 3, "seal", "KS-3101011001001-DPR", "SG-0001", "--as", "kpu-3101", contains="SG-0001")


def test_no_ledger_and_usage_errors(s, tmp_path):
    refused(s, 2, "--db", tmp_path / "nothing.sqlite", "status", "KS-A", contains="nothing.sqlite")
    assert not (tmp_path / "nothing.sqlite").exists()
    refused(s, 2, "revoke", "ppk", "--as", "kpu-3101", contains="--reason")
    refused(s, 2, "status", "--frobnicate", "KS-A", contains="--frobnicate")
    refused(s, 2, "frobnicate", contains="frobnicate")
    refused(s, 2, "handover", "frobnicate", contains="serah handover --help")
    refused(s, 2, "tally", "KS-A=1,2", "--as", "kpps", contains="USED")
    refused(s, 2, "handover", "accept", "KS.serah", "--observed-qty", "BOX", "--as", "ppk")


def test_attest_needs_a_record(s):
    refused(s, 2, "attest", "abc123", "--statement", "x", "--as", "polair", contains="abc123")
    refused(s, 2, "attest", "00" * 32, "--statement", "x", "--as", "polair")


def test_bare_group_prints_its_help(s):
    result = s("item")
    assert result.code == 0 and "register" in result.out and result.err == ""


def test_init_twice(s):
    refused(s, 3, "init", "--root", s.key("kpu-ri"), "--name", "n", "--election", "e", "--vote-date", "2024-02-14")
    refused(s, 2, "init", "--root", s.key("kpu-ri"), "--name", "n", "--election", "e", "--vote-date", "14/02/2024")


def test_languages_differ(s):
    english = refused(s, 2, "status", "KS-NOPE", env={"SERAH_LANG": "en"})
    indonesian = refused(s, 2, "status", "KS-NOPE", env={"SERAH_LANG": "id"})
    assert english.startswith("error: ") and indonesian.startswith("galat: ")
    assert english != indonesian
    assert refused(s, 2, "--lang", "id", "status", "KS-NOPE", env={"SERAH_LANG": "en"}) == indonesian
    by_locale = refused(s, 2, "status", "KS-NOPE", env={"SERAH_LANG": None, "LC_ALL": None, "LC_MESSAGES": None,
                                                      "LANG": "id_ID.UTF-8"})
    assert by_locale == indonesian
    assert s("--lang", "en", "--help").out != s("--lang", "id", "--help").out


def test_unexpected_error_is_one_line_with_a_hint(s, monkeypatch):
    import ledger.application

    def boom(self, item_id):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ledger.application.Ledger, "item", boom)
    line = refused(s, 70, "status", "KS-A", contains="SERAH_DEBUG=1")
    assert "disk on fire" in line
    debug = s("status", "KS-A", env={"SERAH_DEBUG": "1"})
    assert "Traceback" in debug.err and debug.code == 70


def test_exit_code_scheme():
    """The documented scheme, class by class (README, serah --help)."""
    from cli.errors import exit_code_for
    from ledger import errors

    assert exit_code_for(errors.UnknownItem(item="X")) == 2
    assert exit_code_for(errors.BadFile(path="f", detail="d")) == 2
    assert exit_code_for(errors.NotHolder(item="X", key="k")) == 3
    assert exit_code_for(errors.HandoverClosed(handover="h")) == 3
    assert exit_code_for(errors.BadSignature(detail="d")) == 4
    assert exit_code_for(errors.DuplicateRecord(record="r")) == 4
    assert exit_code_for(errors.StaleRecord(item="X", expected="a", got="b")) == 4
    assert exit_code_for(errors.Conflict()) == 5
    assert exit_code_for(errors.WrongPassphrase(path="p")) == 6
    assert exit_code_for(errors.InvalidInput("tally_mismatch", item="X", total=1, qty=2)) == 2
    assert exit_code_for(errors.InvalidInput("root_not_revocable", key="k")) == 3


# --- a ledger that cannot be opened: the user's to fix, not a fault of Serah -------------------


@pytest.mark.parametrize("content", [b"\x00garbage" * 600, b"SQLite format 3\x00" + b"\x10" * 84])
def test_file_that_is_not_a_database(tmp_path, content):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(content)
    s = Serah(tmp_path)
    result = s("--db", path, "status", "KS-0001")
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1 and "Traceback" not in result.err
    assert "is not a Serah ledger" in result.err_lines[0], result.err
    assert path.read_bytes() == content, "opening a non-ledger changed the file"


def test_postgres_server_unreachable(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on (bound, never listening)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        s = Serah(tmp_path)
        url = f"postgresql://serah:sekret@127.0.0.1:{port}/serah"
        result = s("--db", url, "status", "KS-0001", env={"PGCONNECT_TIMEOUT": "2"})
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1 and "Traceback" not in result.err
    line = result.err_lines[0]
    assert line.startswith("error: cannot reach the PostgreSQL server") and f":{port}/serah" in line, line
    assert "sekret" not in result.err, "the password leaked into the error"


@pytest.mark.parametrize("command", [("handover", "show"), ("handover", "accept"), ("witness", "add-cosignature")])
def test_a_folder_where_a_file_belongs(s, command):
    line = refused(s, 2, *command, s.root, contains="is not a regular file")
    assert str(s.root) in line


def test_another_programs_sqlite_database_is_left_alone(tmp_path):
    """Opening a ledger creates its tables; on a foreign database that must not happen."""
    import sqlite3

    path = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    s = Serah(tmp_path)
    s.ok("key", "new", "kpu-ri")
    for args in (("status", "KS-0001"), ("init", "--root", s.key("kpu-ri"), "--name", "serah.example/x",
                                          "--election", "E", "--vote-date", "2024-02-14")):
        result = s("--db", path, *args)
        assert result.code == 2, result.err
        assert len(result.err_lines) == 1 and "another program's SQLite database (tables: photos)" in result.err
    assert path.read_bytes() == before


def test_an_empty_file_is_no_ledger_for_a_read_but_init_may_use_it(tmp_path):
    path = tmp_path / "new.sqlite"
    path.write_bytes(b"")
    s = Serah(tmp_path)
    result = s("--db", path, "status", "KS-0001")
    assert result.code == 2 and "no ledger at" in result.err
    assert path.read_bytes() == b""
    s.ok("key", "new", "kpu-ri")
    s.ok("--db", path, "init", "--root", s.key("kpu-ri"), "--name", "serah.example/x", "--election", "E",
         "--vote-date", "2024-02-14")
