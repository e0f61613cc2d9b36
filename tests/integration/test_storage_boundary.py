"""Only the per-backend storage modules know a database backend (and in CI via .ci/run).

``ledger/storage/sqlite.py`` and ``ledger/storage/postgres.py`` alone import a
driver or name the ``eventsourcing`` library's internals; the rest of
``ledger/`` and ``cli/`` goes through ``ledger.storage``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO_ROOT
from support.ci_checks import load_ci_check, source_tree

SCRIPT = REPO_ROOT / ".ci" / "check_storage_boundary.py"


checker = load_ci_check("check_storage_boundary")


def test_only_the_backend_modules_know_a_backend():
    problems = checker.check(REPO_ROOT)
    assert problems == [], "\n".join(problems)


def tree_with(tmp_path: Path, files: dict[str, str]) -> Path:
    return source_tree(tmp_path, {"ledger/__init__.py": "", "cli/__init__.py": "", **files})


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3",
        "import psycopg",
        "from psycopg.sql import SQL",
        "def f():\n    from psycopg.rows import tuple_row\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sqlite3\n",
        "from eventsourcing.sqlite import SQLiteApplicationRecorder",
        "from eventsourcing import postgres",
        "def f(c):\n    return c.sqlite_cursor.connection\n",
        "def f(r, c):\n    r._lock_table(c)\n",
        "def f(r, c, e):\n    return r._insert_events(c, e)\n",
        "def f(pool):\n    return pool.db_name\n",
        "def f(app):\n    return app.recorder.datastore\n",
        "def f(aggregate):\n    aggregate._version = 3\n",
        "def f(aggregate):\n    return getattr(aggregate, '_pending_events')\n",
    ],
)
@pytest.mark.parametrize("where", ["ledger/application.py", "ledger/projections/store.py", "cli/context.py"])
def test_backend_knowledge_elsewhere_is_reported(tmp_path, source, where):
    root = tree_with(tmp_path, {where: source})
    problems = checker.check(root)
    assert len(problems) == 1 and problems[0].startswith(f"{where}:"), problems


@pytest.mark.parametrize("where", ["ledger/storage/sqlite.py", "ledger/storage/postgres.py"])
def test_the_backend_modules_may(tmp_path, where):
    source = "import sqlite3\nimport psycopg\ndef f(c, r):\n    r._lock_table(c.sqlite_cursor)\n"
    assert checker.check(tree_with(tmp_path, {where: source})) == []


def test_the_script_exits_non_zero_and_names_the_line(tmp_path):
    root = tree_with(tmp_path, {"ledger/reads.py": "x = 1\nimport sqlite3\n"})
    done = subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "ledger/reads.py:2: imports the driver sqlite3" in done.stderr
    clean = subprocess.run([sys.executable, str(SCRIPT), str(REPO_ROOT)], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
