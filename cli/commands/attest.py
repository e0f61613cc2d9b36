"""``serah attest``: a late co-signature, the ``witness`` record of SPEC 4.14.

(``serah witness`` is the transparency-log witness, cli/commands/tlog.py.)

An escort or witness who could not co-sign a record before it was appended
attests it afterwards with a record of their own naming it.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli.base import Command, option
from cli.commands.common import done
from cli.context import get_env
from cli.errors import CliError
from cli.options import json_option, key_options


@click.command("attest", cls=Command, help="cmd.attest")
@click.argument("target", metavar="RECORD|FILE")
@option("--statement", required=True, metavar="TEXT", help="opt.statement")
@key_options
@json_option
def attest(target, statement):
    env = get_env()
    record = _target(target)
    ledger = env.ledger()
    done("witness", ledger.witness(env.signer(), record, statement=statement), target=record)


def _target(text: str) -> bytes:
    """A record id in hex, or a handover file (its prepare record)."""
    if Path(text).is_file():
        from ledger import records

        return records.record_id(records.read_handover_file(text)[0])
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != 32:
        raise CliError("error.bad_record_id", value=text)
    return value
