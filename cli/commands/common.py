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


def item_id(value: str) -> str:
    """One item id as typed or scanned (upper-cased), checked against SPEC
    2.2. A label text ``ITEM+CC`` (cli/paper/check_digit.py) is accepted
    wherever an id is: its check digits are verified and the id returned,
    so a scanner can type into any command."""
    from cli.paper import check_digit

    text = value.strip().upper()
    if check_digit.is_label(text):
        item, check = check_digit.split_label(text)
        if not ITEM_ID.match(item):
            raise CliError("error.bad_item_id", item=value)
        if not check_digit.valid(item, check):
            raise CliError("error.bad_check_digit", item=item, label=value.strip())
        return item
    if not ITEM_ID.match(text):
        raise CliError("error.bad_item_id", item=value)
    return text


def item_ids(values) -> list[str]:
    """Item ids (or label texts) as typed, checked; none twice."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        item = item_id(value)
        if item in seen:
            raise CliError("error.duplicate_item", item=item)
        seen.add(item)
        out.append(item)
    return out


#: ``--items-from``: a truck's list, not a warehouse's register (that is ``item register``).
ITEMS_FILE_MAX_BYTES = 1 << 20
ITEMS_FILE_MAX_LINES = 10_000


def items_from_file(path: str) -> list[str]:
    """Item ids or label texts from ``path``, one per line (blank lines and
    ``#`` comments skipped), bounded (1 MiB, 10,000 ids); a bad line is one
    error naming its line number, and nothing is done."""
    file = input_file(path)
    if file.stat().st_size > ITEMS_FILE_MAX_BYTES:
        raise CliError("error.items_file_too_big", path=str(path), limit=ITEMS_FILE_MAX_BYTES)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError("error.items_file_not_text", path=str(path)) from None
    values: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        values.append((number, line))
        if len(values) > ITEMS_FILE_MAX_LINES:
            raise CliError("error.items_file_too_many", path=str(path), limit=ITEMS_FILE_MAX_LINES)
    out: list[str] = []
    seen: set[str] = set()
    for number, value in values:
        try:
            item = item_id(value)
        except CliError as error:
            raise CliError("error.items_file_line", path=str(path), line=number,
                           detail=t(error.key, **error.params)) from None
        if item in seen:
            raise CliError("error.items_file_line", path=str(path), line=number,
                           detail=t("error.duplicate_item", item=item))
        seen.add(item)
        out.append(item)
    return out


def items_for_destination(ledger, holder: bytes, code: str) -> list[str]:
    """The items ``holder`` holds now (not in transit, not packed in a box:
    the box carries those) whose destination is ``code`` or lies under it."""
    place = region(code, "--for-destination")
    return [i.id for i in ledger.holdings(holder)
            if i.state == "held" and i.container is None and i.dest.startswith(place)]


def selected_items(typed, items_from: str | None, for_destination: str | None, ledger=None,
                   holder: bytes | None = None) -> list[str]:
    """Items typed on the command line, listed in ``--items-from`` and held
    for ``--for-destination``, in that order, none twice. Asking for nothing,
    or selecting nothing, is one error."""
    ids = item_ids(typed)
    if items_from:
        ids += items_from_file(items_from)
    if for_destination:
        assert ledger is not None and holder is not None
        found = items_for_destination(ledger, holder, for_destination)
        if not found:
            raise CliError("error.no_items_for_destination", code=for_destination)
        ids += found
    if not ids:
        raise CliError("error.no_items_given")
    return list(dict.fromkeys(ids))


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



__all__ = ["ITEM_ID", "ROLES", "region", "item_id", "item_ids", "items_from_file", "selected_items", "count", "done", "errors"]
