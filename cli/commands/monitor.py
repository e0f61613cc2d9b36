"""``serah verify https://...``: monitor mode (``verifier.monitor``), called from ``cli/commands/verify.py``.

Kept apart from verify.py so that command stays a thin chooser: this module
picks the state folder, runs the monitor, and prints its report with the
same finding lines as a database verification.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import click

from cli import errors
from cli.context import serah_home
from cli.errors import CliError
from cli.i18n import dec, num, t
from cli.output import print_json


def is_log_url(path: str | None) -> bool:
    return bool(path) and str(path).startswith(("http://", "https://"))


def default_folder(url: str) -> Path:
    """One state folder per log URL under SERAH_HOME/monitor, named so a person recognises it."""
    readable = re.sub(r"[^A-Za-z0-9.-]+", "_", url.split("://", 1)[1]).strip("_")[:60]
    return serah_home() / "monitor" / f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def run_monitor(url: str, state: str | None, trust, checkpoints, as_json: bool, quiet: bool, notices: bool) -> int:
    from cli.commands.verify import line
    from verifier.monitor import Monitor, compare_note

    if not trust.log_keys:
        raise CliError("error.monitor_needs_log_key", errors.USAGE)
    folder = Path(state) if state else default_folder(url)

    def progress(records, fraction):
        done = f" ({fraction:.0%})" if fraction is not None else ""
        click.echo(t("verify.progress", records=records, done=done), err=True)

    show = not quiet and not as_json and sys.stderr.isatty()
    try:
        monitor = Monitor(url, folder, trust.log_keys[-1], trust.witness_keys, trust.quorum,
                          progress=progress if show else None)
    except ValueError as error:
        raise CliError("error.monitor_setup", errors.USAGE, detail=str(error)) from None
    result = monitor.run()
    for path in checkpoints:
        try:
            other = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CliError("error.verify_key_file", path=path, detail=str(error)) from None
        compare_note(result, monitor.state, other, trust.log_keys[-1])
    report = result.report
    if as_json:
        print_json(result.as_dict())
        return report.exit_code
    if report.fatal is not None:  # the evidence found (a note given beside the URL) is named even so
        for path in result.evidence:
            click.echo(t("monitor.evidence", path=path))
    if report.fatal is not None and report.fatal[0] == "monitor_state":
        raise CliError("error.monitor_state", report.exit_code, detail=report.fatal[1].get("detail", ""))
    if report.fatal is not None:
        raise CliError("error.monitor_fetch", report.exit_code, url=url, detail=report.fatal[1].get("detail", ""))
    for finding in report.sorted_findings():
        if finding.severity == "notice" and not notices:
            continue
        click.echo(line(finding, report.utc_offset))
    for path in result.evidence:
        click.echo(t("monitor.evidence", path=path))
    click.echo(t("monitor.summary", size=num(result.size), previous=num(result.previous_size),
                 new=num(result.new_records), kib=num(result.bytes_fetched // 1024), requests=num(result.requests),
                 seconds=dec(result.seconds), folder=str(folder)))
    click.echo(t("verify.clean") if report.exit_code == 0 else t("verify.dirty"))
    return report.exit_code
