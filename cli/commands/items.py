"""``serah item register`` (bulk, from CSV) and ``serah item pack``."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from cli import errors
from cli.base import Command, Group, option
from cli.commands.common import ITEM_ID, done, item_ids
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option, key_options
from cli.output import emit
from ledger.schema import FORBIDDEN_TEXT, MAX_LABEL
from ledger.vocabulary import ELECTIONS, KINDS  # the SPEC's words, written once there

COLUMNS = ("item", "kind", "dest", "qty", "election", "dapil", "serial_first", "serial_last", "label")
NEEDS = {  # SPEC 4.4: required per-line fields by kind
    "box": ("election",),
    "ballots": ("qty", "election", "dapil"),
    "seal": ("qty",),
    "form": ("qty",),
    "other": ("qty",),
}
#: The largest count SCE can encode (SPEC 2.1: uint 64); a larger qty is refused naming its line.
MAX_QTY = 2**64 - 1
MAX_QTY_DIGITS = len(str(MAX_QTY))
ALLOWED = {
    "box": {"election", "label"},
    "ballots": {"qty", "election", "dapil", "serial"},
    "seal": {"qty", "serial"},
    "form": {"qty", "label"},
    "other": {"qty", "label"},
}


@click.group("item", cls=Group, help="cmd.item", lazy={})
def item():
    pass


@item.command("void", cls=Command, help="cmd.item.void")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@key_options
@json_option
def void(items, reason):
    """Void mistaken registrations (SPEC 4.17): a new signed record; the
    registration stays in the ledger, the item can never be used."""
    env = get_env()
    ids = item_ids(items)
    ledger = env.ledger()
    done("void", ledger.void(env.signer(), ids, reason=reason), items=ids)


@item.command("register", cls=Command, help="cmd.item.register")
@click.argument("csv_file", metavar="CSV")
@key_options
@json_option
def register(csv_file):
    """Reads the CSV twice as a stream, never whole: first every line is
    checked (a bad line is one error naming it, before anything is signed),
    then the lines are registered in records of at most
    ``records.MAX_RECORD_BYTES`` (SPEC 3.7), each appended in its turn."""
    env = get_env()
    path = Path(csv_file)
    count = check_items_csv(path)
    ledger = env.ledger()
    signer = env.signer()
    ids = [ledger.register(signer, chunk) for chunk in record_chunks(read_items_csv(path))]
    if len(ids) == 1:
        done("register", ids[0], items=count)
        if not env.json:
            click.echo(t("out.registered_n", n=count))
        return
    value = {"record": ids[0], "records": ids, "type": "register", "items": count}
    emit(env, value, lambda: click.echo(t("out.registered_split", n=len(ids), items=count,
                                          first=ids[0].hex()[:16], last=ids[-1].hex()[:16])))


#: Room kept in a register record for everything but its lines (common
#: fields, author signature, headers): SPEC 3.7 caps the whole envelope.
RECORD_OVERHEAD = 1_024


def record_chunks(lines: Iterable[dict]) -> Iterator[list[dict]]:
    """Consecutive groups of register lines whose record stays within SPEC 3.7's limit."""
    from ledger.encoding import encode
    from ledger.records import MAX_RECORD_BYTES

    budget = MAX_RECORD_BYTES - RECORD_OVERHEAD
    chunk: list[dict] = []
    used = 0
    for line in lines:
        size = len(encode({**line, "prev": None})) + 1
        if chunk and used + size > budget:
            yield chunk
            chunk, used = [], 0
        chunk.append(line)
        used += size
    if chunk:
        yield chunk


MAX_REPORTED = 20  #: bad CSV lines named in the one error line (the count says how many in all)


def check_items_csv(path: Path) -> int:
    """Checks every line of the register CSV and returns how many items it
    registers; every bad line is named (up to MAX_REPORTED, and how many in
    all) in one error, so a clerk fixes the file in one go. Memory: one set
    of item ids' 8-byte digests, however long the file."""
    seen: set[int] = set()
    count = 0
    bad: list[CliError] = []
    for number, line in _numbered_lines(path, bad):
        digest = int.from_bytes(hashlib.blake2b(line["item"].encode(), digest_size=8).digest(), "big")
        if digest in seen:
            first = next((n for n, other in _numbered_lines(path) if other["item"] == line["item"]), number)
            if first != number:
                bad.append(CliError("error.csv_duplicate", line=number, item=line["item"], first=first))
                continue
        seen.add(digest)
        count += 1
    if len(bad) == 1:
        raise bad[0]
    if bad:
        shown = "; ".join(t(e.key, **e.params) for e in bad[:MAX_REPORTED])
        raise CliError("error.csv_bad_lines", errors.USAGE, n=len(bad), lines=shown)
    if not count:
        raise CliError("error.csv_empty", path=str(path))
    return count


def read_items_csv(path: Path) -> Iterator[dict]:
    """The register lines of the CSV, one at a time (SPEC 4.4 fields)."""
    for _number, line in _numbered_lines(path):
        yield line


def _numbered_lines(path: Path, bad: list | None = None) -> Iterator[tuple[int, dict]]:
    """``(CSV line number, register line)`` for each item line, read as a
    stream; every problem is a CliError naming its CSV line. With ``bad``,
    a bad item line is added to it and skipped instead (the header still
    raises). Commas or semicolons (the Indonesian spreadsheet default)
    separate the columns, as the header line shows."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CliError("error.file_missing", path=str(path)) from None
    except OSError as e:
        raise CliError("error.file_unreadable", path=str(path), detail=type(e).__name__) from None
    with handle:
        try:
            first_line = handle.readline()
            handle.seek(0)
        except UnicodeDecodeError as e:
            raise CliError("error.file_unreadable", path=str(path), detail=type(e).__name__) from None
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            try:
                header = next(reader)
            except StopIteration:
                raise CliError("error.csv_empty", path=str(path)) from None
            header = [h.strip().lower() for h in header]
            unknown = [h for h in header if h not in COLUMNS]
            if unknown:
                raise CliError("error.csv_column", line=1, column=", ".join(unknown), expected=",".join(COLUMNS))
            for needed in ("item", "kind", "dest"):
                if needed not in header:
                    raise CliError("error.csv_missing_column", line=1, column=needed)
            for row in reader:
                number = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                try:
                    if len(row) != len(header):
                        raise CliError("error.csv_width", line=number, got=len(row), expected=len(header))
                    parsed = _line({h: cell.strip() for h, cell in zip(header, row, strict=True)}, number)
                except CliError as problem:
                    if bad is None:
                        raise
                    bad.append(problem)
                    continue
                yield number, parsed
        except csv.Error as e:
            raise CliError("error.csv_syntax", line=reader.line_num, detail=str(e)) from None
        except UnicodeDecodeError as e:
            raise CliError("error.file_unreadable", path=str(path), detail=type(e).__name__) from None


def _line(values: dict, number: int) -> dict:
    item = values["item"].upper()
    if not ITEM_ID.match(item):
        raise CliError("error.csv_item", line=number, item=values["item"])
    kind = values["kind"].lower()
    if kind not in KINDS:
        raise CliError("error.csv_kind", line=number, kind=values["kind"], expected=", ".join(KINDS))
    from ledger.regions import normalize

    try:
        dest = normalize(values["dest"])
    except ValueError:
        raise CliError("error.csv_dest", line=number, dest=values["dest"]) from None
    line = {"item": item, "kind": kind, "dest": dest}
    if values.get("qty"):
        text = values["qty"]
        # ASCII digits only (int() would also take "+5", "1_000" and other
        # scripts' digits), and within SPEC 2.2's range for a count.
        if not (text.isascii() and text.isdigit()) or len(text) > MAX_QTY_DIGITS or int(text) > MAX_QTY:
            raise CliError("error.csv_qty", line=number, qty=text[:40])
        line["qty"] = int(text)
    if values.get("election"):
        election = values["election"].upper()
        if election not in ELECTIONS:
            raise CliError("error.csv_election", line=number, election=values["election"], expected=", ".join(ELECTIONS))
        line["election"] = election
    if values.get("dapil"):
        line["dapil"] = values["dapil"]
    first, last = values.get("serial_first", ""), values.get("serial_last", "")
    if bool(first) != bool(last):
        raise CliError("error.csv_serial", line=number)
    if first:
        line["serial"] = [first, last]
    if values.get("label"):
        label = values["label"]
        if len(label) > MAX_LABEL or FORBIDDEN_TEXT.search(label):
            raise CliError("error.csv_label", line=number, limit=MAX_LABEL)
        line["label"] = label
    for field in NEEDS[kind]:
        if field not in line:
            raise CliError("error.csv_needs", line=number, kind=kind, field=field)
    extra = set(line) - {"item", "kind", "dest"} - ALLOWED[kind]
    if extra:
        raise CliError("error.csv_not_for_kind", line=number, kind=kind, field=", ".join(sorted(extra)))
    return line


@item.command("pack", cls=Command, help="cmd.item.pack")
@click.argument("box")
@click.argument("contents", nargs=-1, required=True, metavar="ITEM...")
@key_options
@json_option
def pack(box, contents):
    env = get_env()
    box_id = item_ids([box])[0]
    content_ids = item_ids(contents)
    if box_id in content_ids:
        raise CliError("error.pack_self", box=box_id)
    ledger = env.ledger()
    record = ledger.pack(env.signer(), box_id, content_ids)
    done("pack", record, box=box_id, contents=content_ids)


