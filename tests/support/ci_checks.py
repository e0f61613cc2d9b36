"""The CI's standalone checks (``.ci/check_*.py``) loaded as modules, and
throwaway source trees to run them on: how the architecture tests try a
checker on code that breaks its rule without touching the real tree."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

from support import REPO_ROOT


def load_ci_check(name: str) -> ModuleType:
    """``.ci/<name>.py`` as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / ".ci" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_tree(root: Path, files: dict[str, str]) -> Path:
    """Writes ``files`` (path -> dedented source) under ``root``; returns ``root``."""
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body))
    return root
