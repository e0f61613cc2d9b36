"""Architecture rules that run with the suite (and in CI via .ci/run).

The verifier must not import the ledger or the CLI: an auditor runs it on an
exported ledger without trusting the code that wrote it. No test module
imports another: what tests share lives in conftest.py and the support
package. Every test module sits in one of the four folders named after what
it drives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO_ROOT, TESTS
from support.ci_checks import load_ci_check, source_tree

SCRIPT = REPO_ROOT / ".ci" / "check_verifier_imports.py"


checker = load_ci_check("check_verifier_imports")


def test_verifier_does_not_import_ledger_or_cli():
    problems = checker.find_violations(REPO_ROOT)
    assert problems == [], "\n".join(problems)


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    return source_tree(tmp_path, {"verifier/__init__.py": "", **files})


@pytest.mark.parametrize(
    "source",
    [
        "import ledger",
        "import ledger.persistence as p",
        "import os, cli.main",
        "from ledger import persistence",
        "from cli.main import main",
        "def f():\n    import ledger\n",
        "try:\n    from ledger.app import X\nexcept ImportError:\n    pass\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import cli\n",
        "from .. import ledger",
        "from ..ledger import persistence",
        "from .. import anything",
        "import importlib\nimportlib.import_module('ledger.persistence')",
        "__import__('cli')",
    ],
)
def test_checker_catches(tmp_path, source):
    root = make_tree(tmp_path, {"verifier/check.py": source})
    problems = checker.find_violations(root)
    assert len(problems) == 1 and problems[0].startswith("verifier/check.py:"), problems


@pytest.mark.parametrize(
    "name, source",
    [
        ("verifier/check.py", "import json\nfrom hashlib import sha256\nimport ledgerish\nimport client"),
        ("verifier/check.py", "from . import merkle\nfrom .merkle import root\n"),
        ("verifier/sub/deep.py", "from .. import merkle\nfrom ..merkle import root\n"),
        ("verifier/check.py", "from . import ledger  # verifier.ledger, a verifier module"),
        ("verifier/check.py", "x = 'import ledger'  # a string, not an import"),
    ],
)
def test_checker_allows(tmp_path, name, source):
    root = make_tree(tmp_path, {name: source, "verifier/sub/__init__.py": ""})
    assert checker.find_violations(root) == []


def test_checker_subpackage_escape(tmp_path):
    root = make_tree(tmp_path, {"verifier/sub/__init__.py": "", "verifier/sub/deep.py": "from ... import cli"})
    assert [p.split(":")[0] for p in checker.find_violations(root)] == ["verifier/sub/deep.py"]


def test_checker_script_exit_status(tmp_path):
    ok = make_tree(tmp_path / "ok", {"verifier/a.py": "import json"})
    bad = make_tree(tmp_path / "bad", {"verifier/a.py": "from ledger import x"})
    run = lambda root: subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)  # noqa: E731
    assert run(ok).returncode == 0
    result = run(bad)
    assert result.returncode == 1
    assert "verifier/a.py:1: imports from 'ledger'" in result.stderr


def test_no_test_module_imports_another():
    """Shared fixtures live in conftest.py, shared helpers in tests/support:
    a test module importing another runs (and couples to) its tests."""
    import ast

    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(REPO_ROOT)}:{node.lineno}: {name}"
                          for name in names if name.split(".")[-1].startswith("test_")]
    assert offenders == []


#: unit: pure functions and classes (a module mixing kinds goes where most of it belongs);
#: integration: real SQLite files, PostgreSQL and files through the Python API;
#: system: the ``serah`` command line, real servers on loopback, the browser, kill -9;
#: property: hypothesis draws the inputs.
TEST_FOLDERS = ("unit", "integration", "system", "property")


def test_every_test_module_sits_in_one_of_the_four_folders():
    """A test module directly in tests/, in tests/support or in a folder of its
    own is refused: a newcomer finds a test by what it drives."""
    modules = [p.relative_to(TESTS) for pattern in ("test_*.py", "*_test.py") for p in TESTS.rglob(pattern)]
    misplaced = sorted(str(p) for p in modules if len(p.parts) < 2 or p.parts[0] not in TEST_FOLDERS)
    assert misplaced == [], f"move these into tests/{{{','.join(TEST_FOLDERS)}}}/: {misplaced}"
    assert len(modules) > 80  # the walk saw the suite


def test_the_test_folders_are_packages_and_tests_is_not():
    """``__init__.py`` in each folder lets two folders hold modules of the same
    name; none in tests/ itself keeps tests/ on sys.path, so ``support`` imports
    as itself under pytest, xdist and the subprocesses that run from tests/."""
    assert not (TESTS / "__init__.py").exists()
    missing = [f for f in (*TEST_FOLDERS, "support") if not (TESTS / f / "__init__.py").is_file()]
    assert missing == []
