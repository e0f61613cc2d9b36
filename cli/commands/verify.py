"""``serah verify``: a thin wrapper over the independent verifier.

The verifier (``verifier/``) is written from SPEC.md alone and imports
nothing from ledger/ or cli/; this command only chooses the input, shows
progress and translates finding codes through cli/i18n.
"""

from __future__ import annotations

import sys

import click

from cli.base import Command, option
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import dec, has, num, t
from cli.options import json_option
from cli.output import print_json


@click.command("verify", cls=Command, help="cmd.verify")
@click.argument("path", required=False)
@option("--jobs", type=click.IntRange(min=1), metavar="N", help="opt.jobs")
@option("--all", "keep_all", is_flag=True, help="opt.all_findings")
@option("--notices", is_flag=True, help="opt.notices")
@option("--quiet", is_flag=True, help="opt.quiet")
@option("--checkpoint", "checkpoints", multiple=True, metavar="FILE", help="opt.verify_checkpoint")
@option("--log-vkey", "log_keys", multiple=True, metavar="VKEY|FILE", help="opt.verify_log_key", aliases=("--log-key",))
@option("--witness-vkey", "witness_keys", multiple=True, metavar="VKEY|FILE", help="opt.verify_witness_key",
        aliases=("--witness-key",))
@option("--quorum", type=click.IntRange(min=0), default=0, metavar="N", help="opt.verify_quorum")
@option("--ledger-id", metavar="HEX", help="opt.verify_ledger_id")
@option("--root-key", "root_keys", multiple=True, metavar="HEX", help="opt.verify_root_key")
@option("--trust", "trust_file", metavar="FILE", help="opt.verify_trust")
@option("--state", "monitor_state", metavar="FOLDER", help="opt.monitor_state")
@option("--receipt", "receipts", multiple=True, metavar="FILE", help="opt.verify_receipt")
@json_option
def verify(path, jobs, keep_all, notices, quiet, checkpoints, log_keys, witness_keys, quorum, ledger_id, root_keys,
           trust_file, monitor_state, receipts):
    from verifier.api import verify as run
    from verifier.report import DEFAULT_LIMIT

    env = get_env()
    # Which log: PATH as given; else the server of --server / SERAH_SERVER
    # (its served log, never a local file of the same name); else --db.
    path = path or env.server or env.db
    from cli.commands.export import verify_bundle
    from verifier.bundle import is_bundle_file

    trust = _trust(trust_file, log_keys, witness_keys, quorum, ledger_id, root_keys)
    from cli.commands.monitor import is_log_url, run_monitor

    if receipts:
        from cli.commands.receipts import check_kept_receipts

        return check_kept_receipts(path, receipts, trust, checkpoints, env.json)

    if is_log_url(path):  # a served log (C2SP tlog-tiles): monitor mode
        return run_monitor(path, monitor_state, trust, checkpoints, env.json, quiet, notices)
    if is_bundle_file(path):  # an evidence bundle (SPEC 11), not a ledger
        if checkpoints:
            # A bundle carries its own checkpoint; a note given beside it would be ignored.
            raise CliError("error.verify_bundle_checkpoint")
        return verify_bundle(path, env.json, trust)
    pins = {
        "checkpoints": tuple(checkpoints),
        "log_key": trust.log_keys or None,
        "witness_keys": trust.witness_keys,
        "quorum": trust.quorum,
        "ledger_id": trust.ledger_id,
        "roots": trust.roots,
    }

    def progress(records, fraction):
        done = f" ({fraction:.0%})" if fraction is not None else ""
        click.echo(t("verify.progress", records=records, done=done), err=True)

    show = not quiet and not env.json and sys.stderr.isatty()
    report = run(path, jobs=jobs, progress=progress if show else None, limit=None if keep_all else DEFAULT_LIMIT, **pins)
    if env.json:
        print_json(report.as_dict())
        return report.exit_code
    if report.fatal is not None:
        code, params = report.fatal
        raise CliError("finding." + code if has("finding." + code) else "error.invalid_input", report.exit_code,
                       **{"detail": code, **params})
    hidden = 0
    for finding in report.sorted_findings():
        if finding.severity == "notice" and not notices:
            hidden += 1
            continue
        click.echo(line(finding, report.utc_offset))
    counts = report.counts
    click.echo(
        t(
            "verify.summary",
            records=report.records,
            signatures=report.signatures,
            seconds=dec(report.seconds),
            errors=counts.get("error", 0),
            warnings=counts.get("warning", 0),
            notices=counts.get("notice", 0),
        )
    )
    if report.handover:
        click.echo(t("verify.handover_number", number=report.handover[:16]))
    if report.by_check:
        checks = ", ".join(f"{name} {num(n)}" for name, n in sorted(report.by_check.items(), key=lambda p: int(p[0][1:])))
        click.echo(t("verify.by_check", checks=checks))
    if report.omitted:
        click.echo(t("verify.omitted", n=report.omitted))
    if hidden:
        click.echo(t("verify.notices_hidden", n=hidden))
    if report.exit_code:
        click.echo(t("verify.dirty"))
    else:
        click.echo(t("verify.clean_file") if report.codes() & {"handover_file_unanchored", "record_file_unanchored"}
                   else t("verify.clean"))
    return report.exit_code


def _trust(trust_file, log_keys, witness_keys, quorum, ledger_id, root_keys):
    """Every pin (SPEC 10.9): a trust file's plus the options', checked here so a bad one is one line."""
    from verifier import trust as vtrust

    found = vtrust.Trust()
    if trust_file:
        try:
            found = vtrust.read(trust_file)
        except OSError as exc:
            raise CliError("error.verify_key_file", path=trust_file, detail=exc.strerror or str(exc)) from None
        except vtrust.TrustError as exc:
            raise CliError("error.verify_trust_file", path=trust_file, detail=str(exc)) from None
    lines = [f"log {k}" for value in log_keys for k in _keys(value, "--log-vkey")]
    lines += [f"witness {k}" for value in witness_keys for k in _keys(value, "--witness-vkey")]
    lines += [f"root {k}" for k in root_keys] + ([f"ledger {ledger_id}"] if ledger_id else [])
    try:
        given = vtrust.parse("\n".join(lines))
        return found.merged(vtrust.Trust(given.ledger_id, given.roots, given.log_keys, given.witness_keys, quorum))
    except vtrust.TrustError as exc:
        raise CliError("error.verify_pin", detail=exc.reason) from None


def _keys(value: str, option: str, one: bool = False) -> list[str]:
    """Verifier keys (SPEC 10.2) given as text, or as a file of them, one per
    line (blank lines and ``#`` comments skipped). The verifier checks them."""
    from pathlib import Path

    if "+" not in value and Path(value).is_file():
        try:
            text = Path(value).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError("error.verify_key_file", path=value,
                           detail=getattr(exc, "strerror", None) or str(exc)) from None
        found = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    else:
        found = [value.strip()]
    if not found or (one and len(found) != 1):
        raise CliError("error.verify_key_count", option=option, path=value, n=len(found))
    return found


def line(finding, utc_offset: int | None = None) -> str:
    """``#12 V13 catatan [KS-...] 1a2b3c...: selisih: diterima 260, dinyatakan 266``.

    Times in findings are shown in the ledger's local time (``utc_offset``
    of its genesis), as everywhere a person reads a time; ``--json`` keeps UTC."""
    from cli.output import localize

    where = f"#{finding.position}" if finding.position is not None else "-"
    item = f" [{finding.item}]" if finding.item else ""
    record = f" {finding.record[:16]}" if finding.record else ""
    key = "finding." + finding.code
    offset = 420 if utc_offset is None else utc_offset
    from cli.vocabulary import finding_param

    params = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple))
                  else finding_param(finding.code, k, localize(v, offset)))
              for k, v in (finding.params or {}).items()}
    part = params.get("part")
    if isinstance(part, str) and has(f"verify.part.{part}"):  # "author" is a code: say it in the language
        params["part"] = t(f"verify.part.{part}")
    if "revoked_at" in params:  # a position names a record, like "#12" above: no thousands separator
        params["revoked_at"] = str(params["revoked_at"])
    text = t(key, **params) if has(key) else f"{finding.code} {params}"
    severity = t("verify.severity." + finding.severity)
    return f"{where} {finding.label} {severity}{item}{record}: {text}"
