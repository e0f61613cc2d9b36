"""What the tests share: helpers imported as ``support.<module>`` (fixtures are in tests/conftest.py).

The suite is split by what a test drives: ``tests/unit`` (pure functions and
classes), ``tests/integration`` (real files and databases through the Python
API), ``tests/system`` (the ``serah`` command line, real servers, the browser,
kill -9) and ``tests/property`` (hypothesis). Paths into the repository come
from here, never from counting a test file's parents.
"""

from __future__ import annotations

from pathlib import Path

#: the repository's root (the folder holding ledger/, cli/, verifier/, fixtures/, bench/)
REPO_ROOT = Path(__file__).resolve().parents[2]
#: tests/
TESTS = REPO_ROOT / "tests"
#: the published test vectors (SPEC 3 "Test vectors")
VECTORS = REPO_ROOT / "fixtures" / "vectors"
#: screenshots and other files a run leaves for a person to look at (ignored by git)
ARTIFACTS = TESTS / "artifacts"
