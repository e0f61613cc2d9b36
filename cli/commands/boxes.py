"""Acts on items in hand: ``seal``, ``open``, ``incident``, ``tally``, ``destroy``."""

from __future__ import annotations

from pathlib import Path

import click

from cli import errors, outfile, vocabulary
from cli.attachments import attach_option, describe, show_attached
from cli.base import Command, option
from cli.commands.common import count, done, item_ids, record_type_name
from cli.context import get_env, load_signer
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option, key_options, pairs, split_values
from cli.output import emit


def _seal_numbers(values) -> list[str]:
    seals = split_values(values)
    if len(set(seals)) != len(seals):
        raise CliError("error.duplicate_seal")
    return seals


def _witnesses(values) -> list:
    """Witnesses present at this machine, each by key name (as ``--as``) or
    private key file (as ``--key``); each types their own passphrase (or
    SERAH_PASSPHRASE in scripts)."""
    from cli.context import keys_dir

    out = []
    for value in values:
        path = Path(value)
        if not path.is_file() and "/" not in value and (keys_dir() / f"{value}.key").is_file():
            path = keys_dir() / f"{value}.key"
        out.append(load_signer(path))
    return out


@click.command("seal", cls=Command, help="cmd.seal")
@click.argument("box")
@click.argument("seals", nargs=-1, required=True, metavar="SEAL...")
@attach_option
@key_options
@json_option
def seal(box, seals, attach):
    env = get_env()
    box_id = item_ids([box])[0]
    numbers = _seal_numbers(seals)
    files = describe(attach)
    ledger = env.ledger()
    record = ledger.seal(env.signer(), box_id, numbers, attachments=files)
    done("seal", record, box=box_id, seals=sorted(numbers), attachments=files)
    show_attached(files)


@click.command("open", cls=Command, help="cmd.open")
@click.argument("box")
@option("--seals", multiple=True, required=True, metavar="S1,S2", help="opt.seals_found")
@option("--intact/--broken", required=True, default=None, help="opt.intact")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@option("--witness-as", "witness_keys", multiple=True, metavar="NAME|FILE", help="opt.witness_as",
        aliases=("--witness-key",))
@option("-o", "--output", metavar="FILE", help="opt.record_file")
@option("--force", is_flag=True, help="opt.force_output")
@option("--exception", "exception", metavar="TEXT", help="opt.exception")
@attach_option
@key_options
@json_option
def open_box(box, seals, intact, reason, witness_keys, output, force, exception, attach):
    env = get_env()
    box_id = item_ids([box])[0]
    numbers = _seal_numbers(seals)
    files = describe(attach)
    _witness_or_file(witness_keys, output, force)
    ledger = env.ledger()
    author = env.signer()
    record = ledger.open_box(
        author, box_id, numbers, intact=intact, reason=reason, cosigners=_witnesses(witness_keys), exception=exception,
        submit=not output, attachments=files,
    )
    if output:
        _record_file(output, record, force, box=box_id, attachments=files)
    else:
        done("open", record, box=box_id, attachments=files)
    show_attached(files)


def _witness_or_file(witness_keys, output: str | None, force: bool) -> None:
    """A witness signs here (``--witness-as``) or later on their own device,
    from the record file ``-o`` writes (SPEC 7.4); checked before anything
    is signed."""
    if not witness_keys and not output:
        raise CliError("error.witness_or_file", errors.USAGE)
    if output:
        outfile.check_target(output, force=force, ledger=get_env().db)


def _record_file(path: str, envelope: bytes, force: bool, **extra) -> None:
    """Write the signed, unrecorded record for its witness (SPEC 7.4)."""
    from ledger import records
    from ledger.record_file import record_file_bytes

    outfile.write(path, record_file_bytes(envelope), force=force, ledger=get_env().db)
    rec = records.parse(envelope, verify=False)
    value = {"record": rec.id, "number": records.body_id(rec), "type": rec.type, "file": str(path),
             "submitted": False, "cosigners": rec.cosigners, **extra}
    emit(get_env(), value, lambda: click.echo(t("out.record_file_written", type=record_type_name(rec.type),
                                                  number=value["number"].hex()[:16], file=str(path))))


@click.command("incident", cls=Command, help="cmd.incident")
@click.argument("kind", metavar="KIND")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@option("--description", required=True, metavar="TEXT", help="opt.description")
@option("--qty-lost", multiple=True, metavar="ITEM=N", help="opt.qty_lost")
@option("--condition", "conditions", multiple=True, metavar="ITEM=STATE", help="opt.condition")
@attach_option
@key_options
@json_option
def incident(kind, items, description, qty_lost, conditions, attach):
    env = get_env()
    kind = vocabulary.incident_kind(kind)
    ids = item_ids(items)
    lines = {item: {} for item in ids}
    for item, value in pairs(qty_lost, "--qty-lost").items():
        lines.setdefault(_known(item, ids), {})["qty_lost"] = count(value, "--qty-lost")
    for item, value in pairs(conditions, "--condition").items():
        lines[_known(item, ids)]["condition"] = vocabulary.condition(value)
    files = describe(attach)
    ledger = env.ledger()
    record = ledger.incident(env.signer(), kind, description, lines, attachments=files)
    done("incident", record, kind=kind, items=ids, attachments=files)
    show_attached(files)


def _known(item: str, ids: list[str]) -> str:
    item = item.upper()
    if item not in ids:
        raise CliError("error.item_not_listed", item=item)
    return item


@click.command("tally", cls=Command, help="cmd.tally")
@click.argument("counts", nargs=-1, required=True, metavar="ITEM=USED,UNUSED,SPOILED...")
@key_options
@json_option
def tally(counts):
    env = get_env()
    lines = {}
    for item, value in pairs(counts, "ITEM=USED,UNUSED,SPOILED").items():
        parts = value.split(",")
        if len(parts) != 3:
            raise CliError("error.tally_format", value=f"{item}={value}")
        item = item_ids([item])[0]
        if item in lines:
            raise CliError("error.duplicate_item", item=item)
        used, unused, spoiled = (count(p, item) for p in parts)
        lines[item] = {"used": used, "unused": unused, "spoiled": spoiled}
    ledger = env.ledger()
    record = ledger.tally(env.signer(), lines)
    done("tally", record, items=sorted(lines))


@click.command("destroy", cls=Command, help="cmd.destroy")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@option("--method", required=True, metavar="TEXT", help="opt.method")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@option("--witness-as", "witness_keys", multiple=True, metavar="NAME|FILE", help="opt.witness_as",
        aliases=("--witness-key",))
@option("-o", "--output", metavar="FILE", help="opt.record_file")
@option("--force", is_flag=True, help="opt.force_output")
@attach_option
@key_options
@json_option
def destroy(items, method, reason, witness_keys, output, force, attach):
    env = get_env()
    ids = item_ids(items)
    files = describe(attach)
    _witness_or_file(witness_keys, output, force)
    ledger = env.ledger()
    author = env.signer()
    record = ledger.destroy(author, ids, method=method, reason=reason, cosigners=_witnesses(witness_keys),
                            submit=not output, attachments=files)
    if output:
        _record_file(output, record, force, items=ids, attachments=files)
    else:
        done("destroy", record, items=ids, attachments=files)
    show_attached(files)
