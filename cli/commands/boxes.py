"""Acts on items in hand: ``seal``, ``open``, ``incident``, ``tally``, ``destroy``."""

from __future__ import annotations

from pathlib import Path

import click

from cli import vocabulary
from cli.base import Command, option
from cli.commands.common import count, done, item_ids
from cli.context import get_env, load_signer
from cli.errors import CliError
from cli.options import json_option, key_options, pairs, split_values


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
@key_options
@json_option
def seal(box, seals):
    env = get_env()
    box_id = item_ids([box])[0]
    numbers = _seal_numbers(seals)
    ledger = env.ledger()
    record = ledger.seal(env.signer(), box_id, numbers)
    done("seal", record, box=box_id, seals=sorted(numbers))


@click.command("open", cls=Command, help="cmd.open")
@click.argument("box")
@option("--seals", multiple=True, required=True, metavar="S1,S2", help="opt.seals_found")
@option("--intact/--broken", required=True, default=None, help="opt.intact")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@option("--witness-as", "witness_keys", multiple=True, required=True, metavar="NAME|FILE", help="opt.witness_as",
        aliases=("--witness-key",))
@option("--exception", "exception", metavar="TEXT", help="opt.exception")
@key_options
@json_option
def open_box(box, seals, intact, reason, witness_keys, exception):
    env = get_env()
    box_id = item_ids([box])[0]
    numbers = _seal_numbers(seals)
    ledger = env.ledger()
    author = env.signer()
    record = ledger.open_box(
        author, box_id, numbers, intact=intact, reason=reason, cosigners=_witnesses(witness_keys), exception=exception
    )
    done("open", record, box=box_id)


@click.command("incident", cls=Command, help="cmd.incident")
@click.argument("kind", metavar="KIND")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@option("--description", required=True, metavar="TEXT", help="opt.description")
@option("--qty-lost", multiple=True, metavar="ITEM=N", help="opt.qty_lost")
@option("--condition", "conditions", multiple=True, metavar="ITEM=STATE", help="opt.condition")
@key_options
@json_option
def incident(kind, items, description, qty_lost, conditions):
    env = get_env()
    kind = vocabulary.incident_kind(kind)
    ids = item_ids(items)
    lines = {item: {} for item in ids}
    for item, value in pairs(qty_lost, "--qty-lost").items():
        lines.setdefault(_known(item, ids), {})["qty_lost"] = count(value, "--qty-lost")
    for item, value in pairs(conditions, "--condition").items():
        lines[_known(item, ids)]["condition"] = vocabulary.condition(value)
    ledger = env.ledger()
    record = ledger.incident(env.signer(), kind, description, lines)
    done("incident", record, kind=kind, items=ids)


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
@option("--witness-as", "witness_keys", multiple=True, required=True, metavar="NAME|FILE", help="opt.witness_as",
        aliases=("--witness-key",))
@key_options
@json_option
def destroy(items, method, reason, witness_keys):
    env = get_env()
    ids = item_ids(items)
    ledger = env.ledger()
    author = env.signer()
    record = ledger.destroy(author, ids, method=method, reason=reason, cosigners=_witnesses(witness_keys))
    done("destroy", record, items=ids)
