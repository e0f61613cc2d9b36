"""Files attached to a record by their SHA-256 (SPEC 3.8): ``--attach FILE``.

The file (a seal photo, a scanned paper BAST, a CCTV clip) stays outside the
ledger; the record signs its hash, size, media type and name. Reading is
streamed in 1 MiB blocks, so a clip of gigabytes costs no memory; a file the
user names that is missing, a folder, too large, or whose name could not be
shown on one line is one error before anything is signed.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Sequence
from pathlib import Path

from cli.base import option
from cli.errors import CliError
from ledger.schema import MAX_ATTACHMENT_NAME, MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS, MEDIA_RE, valid_attachment_name

BLOCK = 1 << 20
DEFAULT_MEDIA = "application/octet-stream"


def attach_option(f):
    """``--attach FILE``, repeatable, on the commands whose record may carry attachments (SPEC 3.8)."""
    return option("--attach", "attach", multiple=True, metavar="FILE", help="opt.attach")(f)


def describe(paths: Sequence[str]) -> list[dict]:
    """The ``attachments`` entries for ``paths``, sorted by hash; one CliError for the first bad one."""
    if len(paths) > MAX_ATTACHMENTS:
        raise CliError("error.attach_too_many", n=len(paths), limit=MAX_ATTACHMENTS)
    found: dict[bytes, dict] = {}
    for value in paths:
        entry = describe_file(Path(value))
        if entry["sha256"] in found:
            raise CliError("error.attach_twice", path=str(value), other=found[entry["sha256"]]["name"])
        found[entry["sha256"]] = entry
    return [found[h] for h in sorted(found)]


def describe_file(path: Path) -> dict:
    name = path.name
    if not valid_attachment_name(name):
        raise CliError("error.attach_name", path=_shown(str(path)), limit=MAX_ATTACHMENT_NAME)
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise CliError("error.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise CliError("error.attach_not_file", path=str(path)) from None
    except OSError as e:
        raise CliError("error.file_unreadable", path=str(path), detail=type(e).__name__) from None
    with handle:
        if not os.path.isfile(path):
            raise CliError("error.attach_not_file", path=str(path))
        digest, size = sha256_of(handle)
    if size > MAX_ATTACHMENT_SIZE:
        raise CliError("error.attach_too_large", path=str(path), limit=MAX_ATTACHMENT_SIZE)
    return {"media": media_type(name), "name": name, "sha256": digest, "size": size}


def sha256_of(handle) -> tuple[bytes, int]:
    """SHA-256 and length of what ``handle`` reads, in blocks."""
    digest, size = hashlib.sha256(), 0
    while block := handle.read(BLOCK):
        digest.update(block)
        size += len(block)
        if size > MAX_ATTACHMENT_SIZE:
            break
    return digest.digest(), size


def media_type(name: str) -> str:
    """The media type its extension names (``image/jpeg``), else ``application/octet-stream``."""
    guessed = (mimetypes.guess_type(name, strict=False)[0] or "").lower()
    return guessed if MEDIA_RE.fullmatch(guessed) else DEFAULT_MEDIA


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def show_attached(files: Sequence[dict]) -> None:
    """One line per attached file for a person (``--json`` carries them in its object)."""
    import click

    from cli.context import get_env
    from cli.i18n import t

    if get_env().json:
        return
    for f in files:
        click.echo(t("out.attached", name=f["name"], size=f["size"], sha256=f["sha256"].hex()))
