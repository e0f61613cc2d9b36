#!/usr/bin/env python3
"""Fail if code outside the per-backend storage modules knows a database backend.

Why: ``ledger/storage/sqlite.py`` and ``ledger/storage/postgres.py`` are the
only places that know a SQL dialect, a database driver or how the
``eventsourcing`` library's recorders work inside (see ``ledger/storage``).
Anywhere else, such knowledge is a second copy that drifts, and a hook into
the library's internals that its next release may break. Python cannot
enforce that, so CI does.

Every ``ledger/**/*.py`` and ``cli/**/*.py`` other than those two modules is
parsed with ``ast`` (never imported) and these are reported:

* importing a driver (``sqlite3``, ``psycopg``, ``psycopg2``, ``psycopg_pool``)
  or the library's backend modules (``eventsourcing.sqlite``,
  ``eventsourcing.postgres``), also inside functions and ``TYPE_CHECKING``;
* naming one of the library's internals: the recorders' private hooks
  (``_insert_events``, ``_insert_stored_events``,
  ``_fetch_ids_after_insert_events``, ``_lock_table``), the cursor wrapper's
  ``sqlite_cursor``, the pool's ``db_name``, and a recorder's ``datastore``
  (its connection pool: how a backend connects is the backend's business);
  an aggregate's private fields (``_version``, ``_pending_events``,
  ``_created_on``, ``_modified_on``: the public ``version`` property and
  ``collect_events()`` are the library's way), as an attribute or as a
  string naming one (``getattr(a, "_version")``).

``verifier/`` is outside the rule: it reads ledgers without the ledger's code.

Usage: ``python .ci/check_storage_boundary.py [REPO_ROOT]``; exit status 1 and
one line per violation when the rule is broken.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("ledger", "cli")
BACKEND_MODULES = ("ledger/storage/sqlite.py", "ledger/storage/postgres.py")
DRIVERS = ("sqlite3", "psycopg", "psycopg2", "psycopg_pool")
LIBRARY_BACKENDS = ("eventsourcing.sqlite", "eventsourcing.postgres")
INTERNALS = (
    "_insert_events",
    "_insert_stored_events",
    "_fetch_ids_after_insert_events",
    "_lock_table",
    "sqlite_cursor",
    "db_name",
    "datastore",
    "_version",
    "_pending_events",
    "_created_on",
    "_modified_on",
)


def _backend_module(name: str | None) -> str | None:
    if not name:
        return None
    if name.split(".")[0] in DRIVERS:
        return f"imports the driver {name}"
    if any(name == m or name.startswith(m + ".") for m in LIBRARY_BACKENDS):
        return f"imports the library's backend {name}"
    return None


def violations_in(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root).as_posix()
    try:
        tree = ast.parse(path.read_bytes(), filename=rel)
    except SyntaxError as e:
        return [f"{rel}:{e.lineno}: cannot parse ({e.msg}); the storage check needs valid Python"]
    found: list[str] = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Import):
            what = next(filter(None, (_backend_module(a.name) for a in node.names)), None)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            what = _backend_module(node.module) or next(
                filter(None, (_backend_module(f"{node.module}.{a.name}") for a in node.names)), None
            )
        elif isinstance(node, ast.Attribute) and node.attr in INTERNALS:
            what = f"names the library's internal .{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in INTERNALS:
            what = f"names the library's internal {node.value!r} in a string"
        if what:
            found.append(f"{rel}:{node.lineno}: {what}; only {' and '.join(BACKEND_MODULES)} may")
    return found


def check(root: Path) -> list[str]:
    allowed = {root / m for m in BACKEND_MODULES}
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path not in allowed:
                found += violations_in(path, root)
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parent.parent)
    found = check(root)
    for line in found:
        print(f"storage boundary: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
