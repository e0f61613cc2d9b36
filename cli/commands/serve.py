"""``serah serve`` (the ledger as a network service) and ``serah handover queue``.

``serah serve`` is the only process that opens the database: custodians run
``serah --server URL ...`` (or ``SERAH_SERVER``), sign on their own machine,
and submit. See ``ledger/server/`` for what the server checks and how it
appends. TLS: put a reverse proxy (nginx, Caddy) in front, or give uvicorn's
``--ssl-certfile``/``--ssl-keyfile`` through ``--tls-cert``/``--tls-key``.

``serah handover queue DIR`` submits every handover file in a folder that
has no receipt yet: the offline custodian's outbox, emptied when the
connection returns.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path

import click

from cli import errors
from cli.base import Command, option
from cli.context import get_env, load_signer
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option
from cli.output import emit


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CliError("error.bad_listen", errors.USAGE, value=text)
    return host.strip("[]"), int(port)


class _JsonLines(logging.Formatter):
    """Access-log lines are JSON already; other records become one JSON line each."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "serah.server.access":
            return record.getMessage()
        line = {"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info).splitlines()[-1]  # never the stack to clients; one line here
        return json.dumps(line, ensure_ascii=False)


def _logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    for name in ("serah.server", "serah.server.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


@click.command("serve", cls=Command, help="cmd.serve")
@option("--listen", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT", help="opt.listen")
@option("--log-key", "log_key", required=True, metavar="FILE", help="opt.log_key")
@option("--max-body", type=int, default=1024 * 1024, show_default=True, metavar="BYTES", help="opt.max_body")
@option("--future-tolerance", type=int, default=300, show_default=True, metavar="SECONDS", help="opt.future_tolerance")
@option("--rate", type=float, default=50.0, show_default=True, metavar="PER_SECOND", help="opt.rate")
@option("--burst", type=int, default=500, show_default=True, metavar="N", help="opt.burst")
@option("--witness-key", "witness_keys", multiple=True, metavar="VKEY", help="opt.serve_witness_key")
@option("--witness", "witnesses", multiple=True, metavar="URL,VKEY", help="opt.serve_witness")
@option("--quorum", type=click.IntRange(min=0), default=0, show_default=True, metavar="N", help="opt.serve_quorum")
@option("--checkpoint-every", type=float, default=2.0, show_default=True, metavar="SECONDS",
        help="opt.checkpoint_every")
@option("--checkpoint-records", type=click.IntRange(min=0), default=1000, show_default=True, metavar="N",
        help="opt.checkpoint_records")
@option("--new-log-key", is_flag=True, help="opt.new_log_key")
@option("--tls-cert", metavar="FILE", help="opt.tls_cert")
@option("--tls-key", metavar="FILE", help="opt.tls_key")
@option("--quiet", is_flag=True, help="opt.serve_quiet")
def serve(listen, log_key, max_body, future_tolerance, rate, burst, witness_keys, witnesses, quorum, checkpoint_every,
          checkpoint_records, new_log_key,
          tls_cert, tls_key, quiet):
    import uvicorn

    from ledger.server.app import create_app
    from ledger.server.config import ServerConfig
    from ledger.server.service import Service

    env = get_env()
    host, port = parse_listen(listen)
    if env.server:
        raise CliError("error.serve_remote", errors.USAGE)
    endpoints = _witness_endpoints(witnesses, quorum)
    witness_keys = tuple(witness_keys) + tuple(e.verifier_key for e in endpoints if e.verifier_key not in witness_keys)
    signer = load_signer(Path(log_key))
    ledger = env.ledger()  # the CLI's own checks: the file exists and is a ledger
    config = ServerConfig(
        db=env.db, host=host, port=port, max_body=max_body, future_tolerance_s=future_tolerance,
        rate_per_key=rate, burst_per_key=burst, witness_keys=tuple(witness_keys), checkpoint_every_s=checkpoint_every,
        checkpoint_every_records=checkpoint_records,
        new_log_key=new_log_key, witnesses=endpoints, quorum=quorum,
    )
    _logging(quiet)
    service = Service(config, signer, ledger=ledger)
    env._ledger = None  # the service owns and closes it now
    from ledger.server.dashboard import dashboard_routes

    # The read-only command-centre page and its JSON reads, at "/".
    app = create_app(service, extra_routes=dashboard_routes(service.ledger))
    click.echo(t("out.serving", url=f"http://{host}:{port}", size=service.state.size, origin=service.origin), err=True)
    for skipped in service.state.skipped:
        click.echo(t("out.not_derived", position=skipped.position, id=skipped.record[:16], reason=skipped.reason), err=True)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=host, port=port, log_config=None, access_log=False, log_level="warning",
            timeout_keep_alive=config.keep_alive_s, timeout_graceful_shutdown=30,
            ssl_certfile=tls_cert, ssl_keyfile=tls_key, server_header=False,
        )
    )
    # uvicorn drains on SIGTERM, then raises the signal again with the handler
    # it found: this one makes that a clean exit (status 0), not a kill.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(errors.OK))
    server.run()


def _witness_endpoints(values, quorum: int) -> tuple:
    """``--witness URL,VKEY`` values checked, and a quorum no larger than their number."""
    from ledger.server.witnessing import parse_witness_option

    endpoints = []
    for value in values:
        try:
            endpoints.append(parse_witness_option(value))
        except ValueError as error:
            raise CliError("error.bad_witness_option", errors.USAGE, value=value[:80], detail=str(error)) from None
    if quorum > len(endpoints):
        raise CliError("error.quorum_too_large", errors.USAGE, quorum=quorum, count=len(endpoints))
    return tuple(endpoints)


@click.command("queue", cls=Command, help="cmd.handover.queue")
@click.argument("folder")
@json_option
def queue(folder):
    """Every ``*.serah`` file in FOLDER without a receipt for each of its records is submitted."""
    from cli.commands.handover import keep_receipts, read_file
    from ledger import records
    from ledger.server.receipts import receipt_path

    env = get_env()
    if not env.server:
        raise CliError("error.queue_needs_server", errors.USAGE)
    path = Path(folder)
    if not path.is_dir():
        raise CliError("error.not_a_folder", errors.USAGE, path=folder)
    ledger = env.ledger()
    results = []
    for file in sorted(path.glob("*.serah")):
        envelopes = read_file(str(file))
        ids = [records.record_id(e) for e in envelopes]
        if all(Path(receipt_path(str(file), i)).exists() for i in ids):
            continue
        try:
            ledger.submit_many(envelopes, skip_known=True)
        except Exception as error:
            if not errors.is_serah_error(error):
                raise
            from cli.main import serah_message

            results.append({"file": str(file), "result": "refused", "reason": serah_message(error)})
            continue
        keep_receipts(ledger, str(file))
        results.append({"file": str(file), "result": "submitted"})

    def human():
        for r in results:
            if r["result"] == "submitted":
                click.echo(t("out.queue_submitted", file=r["file"]))
            else:
                click.echo(t("out.queue_refused", file=r["file"], reason=r["reason"]), err=True)
        click.echo(t("out.queue_done", n=sum(r["result"] == "submitted" for r in results),
                     refused=sum(r["result"] == "refused" for r in results)))

    emit(env, results, human)
    if any(r["result"] == "refused" for r in results):
        return errors.REFUSED
    return errors.OK
