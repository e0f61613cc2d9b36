"""Setting up a ledger: ``init`` (genesis), ``enroll`` and ``revoke`` custodians."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import click

from cli import vocabulary
from cli.base import Command, option
from cli.commands.common import ROLES, done, region
from cli.context import get_env, load_signer, resolve_public
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option, key_options


@click.command("init", cls=Command, help="cmd.init")
@option("--root", "roots", multiple=True, metavar="FILE", help="opt.root")
@option("--ledger-name", "name", required=True, metavar="TEXT", help="opt.ledger_name", aliases=("--name",))
@option("--election", required=True, metavar="TEXT", help="opt.election")
@option("--vote-date", required=True, metavar="YYYY-MM-DD", help="opt.vote_date")
@option("--utc-offset", default=420, show_default=True, type=int, metavar="MINUTES", help="opt.utc_offset")
@key_options
@json_option
def init(roots, name, election, vote_date, utc_offset):
    env = get_env()
    try:
        _dt.date.fromisoformat(vote_date)
    except ValueError:
        raise CliError("error.bad_date", value=vote_date) from None
    if len(vote_date) != 10:
        raise CliError("error.bad_date", value=vote_date)
    paths = [Path(p) for p in roots] or [env.key_path()]
    signers = [load_signer(p) for p in paths]
    names = [_pub_label(p) for p in paths]
    from cli.context import is_url

    fresh = not is_url(env.db) and not Path(env.db).exists()
    try:
        ledger = env.ledger(must_exist=False)
        record = ledger.genesis(
            signers, name=name, election=election, vote_date=vote_date, utc_offset=utc_offset, root_names=names
        )
    except BaseException:
        if fresh:  # do not leave an empty ledger file behind a failed init
            env.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(env.db + suffix).unlink(missing_ok=True)
        raise
    done("genesis", record, ledger=record)


def _pub_label(path: Path) -> str:
    from cli.context import pub_beside

    pub = pub_beside(path)
    if pub is not None:
        words = pub.read_text("utf-8").split()
        if len(words) > 2:
            return " ".join(words[2:])
    return path.name.split(".")[0]


@click.command("enroll", cls=Command, help="cmd.enroll")
@click.argument("pubkey")
@option("--role", required=True, type=click.Choice(ROLES), help="opt.role")
@option("--region", "region_code", required=True, metavar="CODE", help="opt.region")
@option("--person", "name", required=True, metavar="TEXT", help="opt.person", aliases=("--name",))
@option("--org", required=True, metavar="TEXT", help="opt.org")
@key_options
@json_option
def enroll(pubkey, role, region_code, name, org):
    env = get_env()
    key = resolve_public(pubkey)
    code = region(region_code)
    ledger = env.ledger()
    author = env.signer()
    record = ledger.enrol(author, key, role=role, region=code, name=name, org=org)
    from ledger.keys import fingerprint

    # The fingerprint enrolled, to read aloud and compare with the one the person's own `key new` printed.
    done("enrol", record, key=key, fingerprint=fingerprint(key), name=name, role=role, region=code)
    if not env.json:
        click.echo(t("out.enrolled_fingerprint", name=name, role=vocabulary.word("role_name", role),
                     fingerprint=fingerprint(key)))


@click.command("revoke", cls=Command, help="cmd.revoke")
@click.argument("pubkey")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@key_options
@json_option
def revoke(pubkey, reason):
    env = get_env()
    key = resolve_public(pubkey)
    ledger = env.ledger()
    record = ledger.revoke(env.signer(), key, reason=reason)
    done("revoke", record)
