"""``serah demo``: build the Kepulauan Seribu election ledger and summarise it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.base import Command, option
from cli.context import get_env, is_url
from cli.errors import CliError
from cli.i18n import dec, num, t
from cli.options import json_option
from cli.output import emit, table

DEFAULT_DEMO_DB = "serah-demo.sqlite"


@click.command("demo", cls=Command, help="cmd.demo")
@option("--db", "db", metavar="PATH", help="opt.demo_db")
@option("--force", is_flag=True, help="opt.force")
@json_option
@click.pass_context
def demo(ctx, db, force):
    from click.core import ParameterSource

    env = get_env()
    root = ctx.find_root()
    if db is None:
        # Only a --db typed on this command line counts: SERAH_DB may name a real ledger.
        typed = root.get_parameter_source("db") == ParameterSource.COMMANDLINE
        db = env.db if typed else DEFAULT_DEMO_DB
    if is_url(db):
        raise CliError("error.demo_sqlite_only", db=db)
    path = Path(db)
    if path.exists():
        if not force:
            raise CliError("error.demo_exists", path=db)
        if not _is_demo_ledger(path):  # --force rebuilds the demo, never deletes a real ledger or other file
            raise CliError("error.demo_not_demo", path=db)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(db + suffix).unlink(missing_ok=True)
    from cli.demo import build

    summary = build(str(path), progress=Progress(quiet=env.json))
    emit(env, summary, lambda: click.echo(render(summary)))


def _is_demo_ledger(path: Path) -> bool:
    """True only for a ledger whose genesis is the demo's (read-only look)."""
    from cli.demo import LEDGER_NAME
    from ledger.encoding import decode
    from ledger.errors import SerahError
    from ledger.storage.sqlite import first_record

    envelope = first_record(path)
    try:
        body = decode(decode(envelope)["body"]) if envelope else None
    except (SerahError, TypeError, KeyError):
        return False
    return isinstance(body, dict) and body.get("type") == "genesis" and body.get("name") == LEDGER_NAME


class Progress:
    """Phase lines on stderr; a live counter for the long phases on a terminal."""

    def __init__(self, quiet: bool = False) -> None:
        from cli.demo import PHASES  # here, not at the top: serah --help must not load the scenario

        self.phases = len(PHASES)
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.phase = 0

    def __call__(self, key: str, step: int, total: int) -> None:
        if self.quiet:
            return
        if total == 0:
            self.phase += 1
            click.echo(t("demo.progress", n=self.phase, of=self.phases, what=t(key)), err=True)
        elif self.tty:
            end = "\n" if step == total else ""
            click.echo(f"\r      {num(step)}/{num(total)}", err=True, nl=False)
            if end:
                click.echo("", err=True)


def render(s) -> str:
    """The human summary of a finished demo."""
    lines = [t("demo.title"), t("demo.ledger", db=s.db, records=s.records, seconds=dec(s.seconds))]
    lines.append("")
    roles = ", ".join(f"{t('role.' + r)} {num(n)}" for r, n in s.custodians.items())
    lines.append(t("demo.tps", total=s.tps["total"], regular=s.tps["regular"], special=s.tps["special"]))
    lines.append(t("demo.voters", n=s.voters))
    per_type = next(iter(s.ballots_per_type.values()))
    lines.append(t("demo.ballots", total=s.ballots_total, per_type=per_type, types=len(s.ballots_per_type), extra=s.supplementary))
    lines.append(t("demo.boxes", boxes=s.final["boxes"], seals=s.seals_used))
    lines.append(t("demo.custodians", roles=roles))
    lines.append("")
    lines.append(t("demo.levels"))
    lines.append(table([t("demo.col.level"), t("demo.col.handovers"), t("demo.col.items")],
                       [[t("demo.level." + lv["level"]), lv["handovers"], lv["items"]] for lv in s.levels]))
    lines.append("")
    lines.append(t("demo.tally"))
    lines.append(table([t("demo.col.type"), t("demo.col.received"), t("demo.col.used"), t("demo.col.unused"), t("demo.col.spoiled")],
                       [[k, v["received"], v["used"], v["unused"], v["spoiled"]] for k, v in s.tally.items()]))
    lines.append("")
    lines.append(t("demo.discrepancies", n=len(s.discrepancies)))
    for d in s.discrepancies:
        observed, declared = d["observed"], d["declared"]
        if d["field"] == "condition":
            observed = t("cond." + observed)
        elif d["field"] == "seals":
            observed, declared = ",".join(observed), ",".join(declared or [])
        lines.append(t(f"demo.discrepancy.{d['field']}", item=d["item"], declared=declared, observed=observed, note=d["note"]))
    lines.append(t("demo.incidents", n=len(s.incidents)))
    for i in s.incidents:
        lines.append(t("demo.incident", kind=t("incident." + i["kind"]), item=i["item"], by=i["by"]))
    lines.append(t("demo.late", n=len(s.late)))
    for late in s.late:
        lines.append(t("demo.late_line", tps=late["tps"], accepted=late["accepted"], deadline=late["deadline"]))
    lines.append("")
    lines.append(t("demo.final", back=s.final["boxes_at_kpu"], sealed=s.final["boxes_sealed"], boxes=s.final["boxes"]))
    lines.append(t("demo.checkpoint", size=s.checkpoint["size"], witnesses=", ".join(s.checkpoint["witnesses"])))
    from cli.demo import LATE_TPS

    lines.append(t("demo.try", db=s.db, tps=LATE_TPS))
    return "\n".join(lines)
