"""``serah witness serve``: a Bawaslu witness as a C2SP tlog-witness HTTP service.

The log operator's server asks it for cosignatures (``POST /add-checkpoint``,
``ledger.tlog.witness_service``); it runs on the witness's own machine with
the witness's key file, its state file and the verifier keys of the logs it
follows. It never opens a ledger database.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from cli import errors
from cli.base import Command
from cli.commands.tlog import _verifier_key_arg, witness
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.options import key_options, option


def _listen_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise CliError("error.bad_listen", errors.USAGE, value=text)
    return host.strip("[]"), int(port)


@witness.command("serve", cls=Command, help="cmd.witness.serve")
@option("--state", "state", required=True, metavar="FILE", help="opt.witness_state")
@option("--name", "name", required=True, metavar="NAME", help="opt.witness_name")
@option("--log", "log_keys", required=True, multiple=True, metavar="VERIFIER_KEY|FILE", help="opt.witness_serve_log")
@option("--first-time", "first_time", multiple=True, metavar="ORIGIN", help="opt.witness_serve_first_time")
@option("--listen", "listen", default="127.0.0.1:8410", show_default=True, metavar="HOST:PORT", help="opt.witness_listen")
@key_options
def serve(state, name, log_keys, first_time, listen):
    import uvicorn

    from ledger.tlog.log import WitnessSigner
    from ledger.tlog.note import Ed25519Verifier, NoteError, check_key_name
    from ledger.tlog.witness_service import WitnessService, make_app

    env = get_env()
    try:
        check_key_name(name)
    except NoteError:
        raise CliError("error.bad_witness_name", errors.USAGE, name=name) from None
    logs = {}
    for value in log_keys:
        vkey = _verifier_key_arg(value)
        try:
            verifier = Ed25519Verifier.from_verifier_key(vkey)
        except NoteError as error:
            raise CliError("error.bad_log_key", errors.USAGE, key=vkey[:60], detail=str(error)) from None
        logs[verifier.name] = verifier
    unknown = [origin for origin in first_time if origin not in logs]
    if unknown:
        raise CliError("error.first_time_unknown_log", errors.USAGE, origin=unknown[0])
    state_path = Path(state)
    if not state_path.parent.is_dir():
        raise CliError("error.file_missing", errors.USAGE, path=str(state_path.parent))
    host, port = _listen_address(listen)
    signer = WitnessSigner(name, env.signer())
    service = WitnessService(signer, state_path, logs, first_time=first_time)
    try:
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as error:
        raise CliError("error.cannot_listen", errors.USAGE, value=listen, detail=error.strerror or str(error)) from None
    bound = sock.getsockname()
    click.echo(t("witness.serving", url=f"http://{listen.rpartition(':')[0]}:{bound[1]}/add-checkpoint",
                 key=service.verifier_key(), logs=", ".join(sorted(logs))), err=True)
    sys.stderr.flush()
    config = uvicorn.Config(make_app(service), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
