#!/usr/bin/env python3
"""Fail if anything under verifier/ imports the ledger or the CLI.

Why: the verifier is what an outside auditor runs against a ledger export; it
must be checkable on its own and must not trust (or even load) the code that
wrote the ledger.  Python cannot enforce package boundaries, so CI does.

Every ``verifier/**/*.py`` is parsed with ``ast`` (never imported) and these
are reported:

* ``import ledger`` / ``import cli.main`` / ``from ledger.x import y``;
* relative imports that climb out of the ``verifier`` package
  (``from .. import ledger`` in ``verifier/x.py``): whatever they name, they
  reach outside the package;
* ``importlib.import_module("ledger...")`` and ``__import__("cli...")`` with
  a literal name.

Imports inside functions, ``try`` blocks and ``if TYPE_CHECKING:`` count too:
the boundary is about the code, not about what happens to execute.

Usage: ``python .ci/check_verifier_imports.py [REPO_ROOT]``; exit status 1 and
one line per violation when the rule is broken.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = "verifier"
FORBIDDEN = ("ledger", "cli")


def _forbidden(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in FORBIDDEN


def _package_of(path: Path, root: Path) -> list[str]:
    """Package path of a module file, e.g. verifier/a/b.py -> ['verifier', 'a']."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1]  # __init__.py and plain modules both live in their directory's package


def violations_in(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root).as_posix()
    try:
        tree = ast.parse(path.read_bytes(), filename=rel)
    except SyntaxError as e:
        return [f"{rel}:{e.lineno}: cannot parse ({e.msg}); the import check needs valid Python"]
    package = _package_of(path, root)
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"{rel}:{getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _forbidden(alias.name):
                    report(node, f"imports {alias.name!r}")
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if _forbidden(node.module):
                    report(node, f"imports from {node.module!r}")
                continue
            # `from .x import y` at level L resolves against the package with
            # L-1 trailing components removed; climbing past `verifier` leaves
            # the package (whatever is named, it is not verifier code).
            if node.level > len(package):
                names = ", ".join(a.name for a in node.names)
                report(
                    node,
                    f"relative import escapes the {PACKAGE} package "
                    f"(from {'.' * node.level}{node.module or ''} import {names})",
                )
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _forbidden(arg.value):
                    report(node, f"{name}({arg.value!r})")
    return found


def find_violations(root: Path) -> list[str]:
    root = root.resolve()
    pkg = root / PACKAGE
    if not pkg.is_dir():
        return [f"{PACKAGE}/ not found under {root}"]
    out: list[str] = []
    for path in sorted(pkg.rglob("*.py")):
        if any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(root).parts):
            continue
        out.extend(violations_in(path, root))
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = find_violations(root)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(
            f"\n{len(problems)} forbidden import(s): {PACKAGE}/ must not depend on "
            f"{' or '.join(FORBIDDEN)} (it has to verify a ledger without trusting its writer).",
            file=sys.stderr,
        )
        return 1
    print(f"{PACKAGE}/ import boundary OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
