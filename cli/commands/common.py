"""Small helpers shared by the command modules."""

from __future__ import annotations

import re
from pathlib import Path

import click

from cli import errors
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.output import emit

ITEM_ID = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")
ROLES = ("kpu", "printer", "ppk", "pps", "kpps", "escort", "witness")


def input_file(path) -> Path:
    """``path`` as an existing regular file, or one clear error (exit 2):
    missing, or a folder or device rather than a file."""
    file = Path(path)
    if not file.exists():
        raise CliError("error.file_missing", errors.USAGE, path=str(path))
    if not file.is_file():
        raise CliError("error.not_a_file", errors.USAGE, path=str(path))
    return file


def region(code: str, option: str = "--region") -> str:
    """A region code in KPU form (dotted Kemendagri codes accepted)."""
    from ledger.regions import normalize

    try:
        return normalize(code)
    except (ValueError, TypeError):
        raise CliError("error.bad_region", code=code, option=option) from None


def item_ids(values) -> list[str]:
    """Item ids as typed (upper-cased), checked against SPEC 2.2."""
    out = []
    for value in values:
        item = value.strip().upper()
        if not ITEM_ID.match(item):
            raise CliError("error.bad_item_id", item=value)
        if item in out:
            raise CliError("error.duplicate_item", item=item)
        out.append(item)
    return out


def count(text: str, what: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise CliError("error.bad_count", what=what, value=text) from None
    if value < 0:
        raise CliError("error.bad_count", what=what, value=text)
    return value


def done(record_type: str, record_id: bytes, /, **extra) -> None:
    """Report a written record: one line for people, an object for --json.

    Positional-only, so that ``extra`` may carry any field name (an
    incident's ``kind``) without clashing with these parameters."""
    env = get_env()
    value = {"record": record_id, "type": record_type, **extra}
    emit(env, value, lambda: click.echo(t("out.recorded", type=record_type_name(record_type), id=record_id.hex()[:16])))


def handover_number(ledger, prepare_id) -> str:
    """The number people read for an open handover (SPEC 7.1: its prepare's
    body id), 16 hex digits; ``prepare_id`` is the prepare's record id, as
    bytes or hex. Falls back to the record id when the record cannot be read."""
    from ledger import records

    raw = bytes.fromhex(prepare_id) if isinstance(prepare_id, str) else bytes(prepare_id)
    try:
        return records.body_id(ledger.record(raw)).hex()[:16]
    except Exception:  # noqa: BLE001 - a display aid: the record id still finds the handover
        return raw.hex()[:16]


def record_type_name(record_type: str) -> str:
    """A record type (SPEC 4) in the user's language: ``serah terima (terima)``."""
    from cli.i18n import has

    key = f"record_type.{record_type}"
    return t(key) if has(key) else record_type



__all__ = ["ITEM_ID", "ROLES", "region", "item_ids", "count", "done", "errors"]
