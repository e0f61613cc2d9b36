"""Every Serah error carries its category, and the exit status is that category.

One refusal gets one exit status whichever command meets it: the status
belongs to the error's class (``ledger.errors.Category``), never to a table
kept by a command.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3

import ledger
from cli.errors import exit_code_for
from ledger.errors import Category, SerahError
from support.cli import Serah, build_small_ledger


def _every_serah_error() -> list[type[SerahError]]:
    for module in pkgutil.walk_packages(ledger.__path__, "ledger."):
        importlib.import_module(module.name)
    found, todo = [], [SerahError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_error_of_the_ledger_says_its_own_category():
    classes = _every_serah_error()
    assert len(classes) > 50
    for cls in classes:
        owner = next(base for base in cls.__mro__ if "category" in base.__dict__)
        assert owner is not SerahError, f"{cls.__module__}.{cls.__name__} takes the root's fallback category"
        assert isinstance(cls.category, Category)


def test_the_exit_status_is_the_category():
    from ledger.tlog.errors import BadNote, TreeMismatch
    from ledger.tlog.note import NoteError
    from ledger.tlog.witness import RollbackError

    assert exit_code_for(TreeMismatch(tree=3, detail="x")) == 4
    assert exit_code_for(BadNote(detail="x")) == 2
    assert exit_code_for(NoteError("malformed")) == 2
    assert exit_code_for(RollbackError("smaller")) == 4


def test_a_refusal_rebuilt_from_a_servers_answer_keeps_its_category():
    """How the CLI rebuilds a server's refusal (cli/client.py): the category
    the answer names (SPEC 12.1), else the one its HTTP status implies; never
    the root's fallback, whatever this process happens to have imported."""
    from cli.client import server_error

    def answer(**fields):
        return {"error": {"code": "tree_mismatch", "class": "TreeMismatch", "params": {}, "message": "m", **fields}}

    assert exit_code_for(server_error(422, answer(category="tamper"))) == 4
    assert exit_code_for(server_error(409, answer(category="input"))) == 2  # the named category wins
    assert exit_code_for(server_error(422, answer())) == 4  # an older server: from the status
    assert exit_code_for(server_error(503, answer(category="nonsense"))) == 5
    assert exit_code_for(server_error(418, answer())) == 3


def test_a_zeroed_leaf_gives_the_same_exit_status_from_status_history_and_checkpoint(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    s.ok("key", "new", "log")
    s.ok("checkpoint", "--key", s.key("log"))  # the tree is complete and signed
    conn = sqlite3.connect(s.db, isolation_level=None)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{trigger}"')
    last = conn.execute("SELECT max(idx) FROM serah_tlog_node WHERE level = 0").fetchone()[0]
    conn.execute("UPDATE serah_tlog_node SET hash = ? WHERE level = 0 AND idx = ?", (bytes(32), last))
    conn.close()
    before = _rows(s.db)

    results = {
        "status": s("status", items["box"]),
        "history": s("history", items["box"]),
        "checkpoint": s("checkpoint", "--key", s.key("log")),
    }
    for command, result in results.items():
        assert result.code == Category.TAMPER == 4, (command, result.code, result.err)
        assert len(result.err_lines) == 1 and "does not match the ledger's records" in result.err, (command, result.err)
    assert len({r.err for r in results.values()}) == 1
    assert _rows(s.db) == before  # (opening the ledger puts the dropped guards back; no row changes)


def _rows(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        tables = ("stored_events", "serah_tlog_node", "serah_tlog_checkpoint", "serah_tlog_cosignature")
        return [(t, *row) for t in tables for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
    finally:
        conn.close()
