"""Output files: the one way every command writes a file a user named.

Why one place: ``-o`` once replaced the ledger itself with an 807-byte
handover file (``handover refuse h.serah -o serah.sqlite``, exit 0). Every
output path (``-o``, ``--output``, ``--out``, ``--html``, ``--pdf``,
``--csv``) is checked here before anything is signed or appended, and
written here atomically:

- an existing file is never replaced unless the command was given
  ``--force`` (or the command is completing that very file, such as a
  handover file receiving its acceptance);
- the ledger named by ``--db``/``SERAH_DB``, its ``-wal``, ``-shm`` and
  ``-journal`` files, and any SQLite database, are never replaced, even
  with ``--force``: a ledger is only ever appended to;
- a folder is never a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cli import errors
from cli.errors import CliError

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Companion files SQLite keeps beside a database.
SQLITE_SUFFIXES = ("-wal", "-shm", "-journal")


def check_target(path: str | os.PathLike[str], *, force: bool = False, ledger: str | None = None,
                 replaces: str | os.PathLike[str] | None = None) -> Path:
    """Refuses ``path`` as an output file unless writing it destroys nothing.

    ``ledger``: the ``--db`` value (a URL is no file). ``replaces``: the
    file this command is completing (it may be replaced in place). Raises
    :class:`CliError` (exit 2) naming the path; returns it as a ``Path``.
    """
    target = Path(path)
    if target.is_dir():
        raise CliError("error.output_is_folder", errors.USAGE, path=str(target))
    if _is_ledger(target, ledger):
        raise CliError("error.output_is_ledger", errors.USAGE, path=str(target))
    if target.exists() or target.is_symlink():
        if replaces is not None and Path(replaces).exists() and _same(target, Path(replaces)):
            return target
        if not force:
            raise CliError("error.output_exists", errors.USAGE, path=str(target))
    return target


def write(path: str | os.PathLike[str], data: bytes, *, force: bool = False, ledger: str | None = None,
          replaces: str | os.PathLike[str] | None = None, mode: int = 0o644) -> Path:
    """Writes ``data`` to ``path`` after :func:`check_target`, atomically: a
    reader sees the old file or the whole new one, never half. Without
    ``force`` the final step is a hard link, which fails if the path
    appeared meanwhile."""
    target = check_target(path, force=force, ledger=ledger, replaces=replaces)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force or (replaces is not None and target.exists()):
            check_target(target, force=True, ledger=ledger)  # still not a ledger, just before replacing
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise CliError("error.output_exists", errors.USAGE, path=str(target)) from None
            os.unlink(tmp)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise CliError("error.file_unwritable", errors.USAGE, path=str(target),
                       detail=error.strerror or type(error).__name__) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _is_ledger(target: Path, ledger: str | None) -> bool:
    """The ledger, one of its companion files, or any SQLite database."""
    candidates = [target]
    for suffix in SQLITE_SUFFIXES:
        if target.name.endswith(suffix):
            candidates.append(target.with_name(target.name[: -len(suffix)]))
    if ledger and "://" not in ledger:
        db = Path(ledger)
        for candidate in candidates:
            if candidate.absolute() == db.absolute() or (candidate.exists() and db.exists() and _same(candidate, db)):
                return True
    return any(_starts_like_sqlite(c) for c in candidates)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False
