"""``serah verify --receipt FILE``: kept receipts against a log (SPEC 12.2, R1).

Called from ``cli/commands/verify.py``. The check itself is the independent
verifier's (``verifier.receipt_check``); this module prints one line per
receipt in the user's language and sets the exit status: 0 every receipt's
record is in the log, 1 one is missing (evidence against the log operator)
or not yet covered by a checkpoint, 2 the receipts or the log cannot be used.
"""

from __future__ import annotations

import click

from cli import errors
from cli.errors import CliError
from cli.i18n import num, t
from cli.output import print_json


def check_kept_receipts(target: str, files, trust, checkpoints, as_json: bool) -> int:
    from verifier.bundle import is_bundle_file
    from verifier.receipt_check import KEPT, MISSING, NOT_YET, ReceiptsUnusable, check_receipts, exit_code

    if not trust.log_keys:
        raise CliError("error.receipt_needs_log_key", errors.USAGE)
    if is_bundle_file(target):
        raise CliError("error.receipt_bundle", errors.USAGE, path=target)
    try:
        verdicts = check_receipts(target, files, trust.log_keys[-1], checkpoints)
    except ReceiptsUnusable as error:
        raise CliError("error.receipt_unusable", errors.USAGE, detail=str(error)) from None
    code = exit_code(verdicts)
    if as_json:
        print_json({"log": target, "receipts": [v.as_dict() for v in verdicts], "exit_code": code})
        return code
    for v in verdicts:
        click.echo(t("receipt." + v.status, file=v.path, record=v.receipt.record.hex()[:16],
                     position=v.receipt.position, size=v.checkpoint_size, detail=v.detail))
    count = {s: sum(v.status == s for v in verdicts) for s in (KEPT, MISSING, NOT_YET)}
    click.echo(t("receipt.summary", n=num(len(verdicts)), kept=num(count[KEPT]), missing=num(count[MISSING]),
                 not_yet=num(count[NOT_YET])))
    click.echo(t("verify.clean") if code == 0 else t("verify.dirty"))
    return code
