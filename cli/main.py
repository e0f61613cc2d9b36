"""``serah``: the command line of the Serah custody ledger.

This module stays small and imports almost nothing: each command lives in
``cli/commands/`` and is imported only when it runs, so starting ``serah``
costs click plus the translation layer. ``Serah.main`` is where every
failure becomes one translated line on stderr and a documented exit status
(see cli/errors.py).
"""

from __future__ import annotations

import os
import re
import sys

import click

from cli import errors
from cli.base import Group, option
from cli.context import DEFAULT_DB, Env
from cli.i18n import set_lang, t

# Workflow order: this is the order `serah --help` lists them in.
COMMANDS = {
    "init": "cli.commands.setup:init",
    "key": "cli.commands.keys:key",
    "enroll": "cli.commands.setup:enroll",
    "revoke": "cli.commands.setup:revoke",
    "item": "cli.commands.items:item",
    "label": "cli.commands.paper:label",
    "seal": "cli.commands.boxes:seal",
    "handover": "cli.commands.handover:handover",
    "bast": "cli.commands.paper:bast",
    "open": "cli.commands.boxes:open_box",
    "incident": "cli.commands.boxes:incident",
    "tally": "cli.commands.boxes:tally",
    "destroy": "cli.commands.boxes:destroy",
    "attest": "cli.commands.attest:attest",
    "cosign": "cli.commands.handover:cosign_any", "submit": "cli.commands.handover:submit_any",
    "status": "cli.commands.reads:status",
    "history": "cli.commands.reads:history",
    "holdings": "cli.commands.reads:holdings",
    **{c: f"cli.commands.views:{c}" for c in ("where", "inventory", "readiness", "discrepancies", "accounting", "rebuild")},
    "checkpoint": "cli.commands.tlog:checkpoint", "witness": "cli.commands.tlog:witness", "prove": "cli.commands.tlog:prove",
    "verify": "cli.commands.verify:verify",
    "export": "cli.commands.export:export",
    "demo": "cli.commands.demo:demo",
    "serve": "cli.commands.serve:serve",
}


def _set_lang(ctx, param, value):
    if value:
        set_lang(value)
    return value


class Serah(Group):
    """The root command: turns every failure into one line and an exit status."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        set_lang(None)  # a previous in-process run (tests) must not leak its --lang
        try:
            code = super().main(args, prog_name or "serah", complete_var, standalone_mode=False, **extra)
            code = code if isinstance(code, int) else errors.OK
        except BaseException as error:  # noqa: BLE001 - this is the one place that reports
            try:
                code = report(error)
            except Exception:  # noqa: BLE001 - reporting itself failed: still one line
                click.echo(f"error: {type(error).__name__}: {_one_line(str(error))}", err=True)
                code = errors.INTERNAL
        finally:
            _close_ledgers()
        if standalone_mode:
            sys.exit(code)
        return code


_OPEN_ENVS: list[Env] = []


def _close_ledgers():
    while _OPEN_ENVS:
        _OPEN_ENVS.pop().close()


def report(error: BaseException) -> int:
    """Print one line for ``error`` on stderr and return the exit status."""
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else errors.OK
    if isinstance(error, click.exceptions.Exit):
        return error.exit_code
    if isinstance(error, (click.exceptions.Abort, KeyboardInterrupt)):
        _line(t("error.aborted"))
        return errors.INTERRUPTED
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())
    if no_args and isinstance(error, no_args):
        click.echo(error.ctx.get_help())  # `serah` or `serah item` alone: the help is the answer
        return errors.OK
    if isinstance(error, click.UsageError):
        _line(usage_message(error))
        return errors.USAGE
    if isinstance(error, errors.CliError):
        _line(t(error.key, **error.params))
        return error.exit_code
    if errors.is_serah_error(error):
        _line(serah_message(error))
        return errors.exit_code_for(error)
    if isinstance(error, click.ClickException):
        _line(error.format_message())
        return error.exit_code
    if os.environ.get("SERAH_DEBUG"):
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    _line(t("error.internal", kind=type(error).__name__, detail=_one_line(str(error))))
    return errors.INTERNAL


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _line(message: str) -> None:
    click.echo(t("cli.error_prefix") + _one_line(message), err=True)


def serah_message(error) -> str:
    """The translated text of a ledger error, by its ``code``; English fallback."""
    from cli.i18n import has
    from cli.output import param_text

    code = getattr(error, "code", "") or ""
    params = {name: param_text(value, name) for name, value in (getattr(error, "params", None) or {}).items()}
    params = {name: _with_person(value) for name, value in params.items()}
    key = f"error.{code}"
    if has(key):
        return t(key, **params)
    return str(error) or code


_FINGERPRINT = re.compile(r"^\d{5}-\d{5}-\d{5}-\d{5}$")


def _with_person(text: str) -> str:
    """A key named by its fingerprint (SPEC 3.5) also by its person and role,
    when the views of a ledger this command already opened know it: "Siti
    Aminah (PPK) 14759-31966-...". Never opens a ledger or builds views for this."""
    if not isinstance(text, str) or not _FINGERPRINT.match(text):
        return text
    try:
        from cli.vocabulary import word
        from ledger.keys import fingerprint
        from ledger.projections import Views

        for env in _OPEN_ENVS:
            ledger = getattr(env, "_ledger", None)
            if ledger is None or not hasattr(ledger, "recorder"):
                continue
            views = Views(ledger)  # read as they are: a refusal must write nothing, not even views
            with views.store.reading() as cur:
                cur.execute("SELECT key, name, role FROM proj_custodian")
                for key, name, role in cur.fetchall():
                    if fingerprint(bytes(key)) == text:
                        return f"{name} ({word('role_name', role)}) {text}"
    except Exception:  # noqa: BLE001 - a name is a courtesy; the fingerprint alone is the fact
        return text
    return text


def usage_message(error: click.UsageError) -> str:
    """Click's usage errors, in the user's language where we know the shape."""
    command = error.ctx.command_path if error.ctx is not None else "serah"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        name = error.param.opts[0] if error.param.opts else error.param.name
        if error.param.param_type_name == "argument":
            name = error.param.human_readable_name
        detail = t("usage.missing", name=name)
    elif isinstance(error, click.NoSuchOption):
        detail = t("usage.no_such_option", name=error.option_name)
    elif isinstance(error, click.BadParameter) and error.param is not None:
        detail = t("usage.bad_value", name=error.param.human_readable_name, detail=error.message)
    else:
        detail = error.format_message()
    return t("usage.line", detail=detail, command=command)


@click.group(
    cls=Serah,
    name="serah",
    help="cmd",
    epilog="cmd.epilog",
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@option("--db", metavar="PATH|URL", envvar="SERAH_DB", default=DEFAULT_DB, show_default=True, help="opt.db")
@option(
    "--lang",
    type=click.Choice(["id", "en"]),
    is_eager=True,
    expose_value=False,
    callback=_set_lang,
    help="opt.lang",
)
@option("--server", metavar="URL", envvar="SERAH_SERVER", help="opt.server")
@option("--json", "as_json", is_flag=True, help="opt.json")
@option("--key", metavar="FILE", envvar="SERAH_KEY", help="opt.key")
@option("--as", "as_name", metavar="NAME", envvar="SERAH_AS", help="opt.as")
@click.pass_context
def cli(ctx, db, server, as_json, key, as_name):
    env = Env(db=db, json=as_json, key=key, as_name=as_name, server=server or None)
    ctx.obj = env
    _OPEN_ENVS.append(env)


def main(argv=None):
    """Console-script entry point (``serah = "cli.main:main"``)."""
    cli.main(args=argv, prog_name="serah")


if __name__ == "__main__":
    main()
