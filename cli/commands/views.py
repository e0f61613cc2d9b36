"""Read commands over the materialised views: ``where``, ``inventory``,
``readiness``, ``discrepancies``, ``accounting``, ``rebuild``.

Every command first brings the views up to date with the ledger (a no-op
when nothing is new; a progress counter on a terminal when much is), so what
it shows is never older than the last record. ``--json`` gives the view rows
with keys and record ids as hex and times as milliseconds.
"""

from __future__ import annotations

import datetime as _dt
import time

import click

from cli import errors, vocabulary
from cli.base import Command, option
from cli.commands.common import handover_number, item_ids, region
from cli.context import get_env, resolve_public
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option
from cli.output import emit, fields, local_time, progress_enabled, short_id, table
from ledger.vocabulary import KINDS  # the SPEC's item kinds, written once there

# --- shared ----------------------------------------------------------------------


def open_views(env):
    """The ledger's views, caught up (with a counter on a terminal)."""
    from ledger.projections import Views

    views = Views(env.ledger())
    show = progress_enabled() and not env.json

    def progress(done, total):
        click.echo("\r" + t("views.catching_up", done=done, total=total), err=True, nl=False)

    applied = views.catch_up(progress=progress if show else None)
    if show and applied:
        click.echo("", err=True)
    return views


def _place_arg(place: str | None) -> str:
    return region(place, option="PLACE") if place else ""


def place_label(code: str | None) -> str:
    """``3101 Kabupaten Administrasi Kepulauan Seribu``; the code alone if unknown."""
    if code is None:
        return "-"
    from ledger.regions import name

    try:
        return f"{code} {name(code)}" if code else name(code)
    except ValueError:
        return code


def _offset(views) -> int:
    try:
        return int(views.meta().get("utc_offset", "420"))
    except ValueError:
        return 420


def _people(views, keys):
    """Key -> "name (role, org)"; unknown keys by fingerprint."""
    from ledger.keys import fingerprint

    keys = [bytes(k) for k in keys if k is not None]
    known = views.custodians(sorted(set(keys)))

    def label(key) -> str:
        if key is None:
            return "-"
        key = bytes(key)
        c = known.get(key)
        return f"{c['name']} ({vocabulary.word('role_name', c['role'])}, {c['org']})" if c else fingerprint(key)

    return label


def _state(state: str | None) -> str:
    return t(f"views.state.{state}") if state else "-"


# --- where -------------------------------------------------------------------------


@click.command("where", cls=Command, help="cmd.where")
@click.argument("item")
@json_option
def where(item):
    env = get_env()
    item_id = item_ids([item])[0]
    views = open_views(env)
    row = views.item(item_id)
    if row is None:
        raise CliError("error.unknown_item", errors.USAGE, item=item_id)
    label = _people(views, [row["holder"], row["pending_to"]])
    offset = _offset(views)
    value = dict(row, holder_name=label(row["holder"]))

    def human():
        seals = row["seals"] or []
        seal_state = t("views.sealed") if row["sealed"] else (t("views.broken") if row["opened"] else "")
        pending = None
        if row["pending"]:
            pending = t("views.pending_to", id=handover_number(env.ledger(), row["pending"]), who=label(row["pending_to"]))
        click.echo(
            fields(
                [
                    (t("col.item"), row["item"]),
                    (t("col.kind"), vocabulary.word("item_kind", row["kind"])),
                    (t("col.election"), row["election"]),
                    (t("col.dapil"), row["dapil"]),
                    (t("col.label"), row["label"]),
                    (t("col.dest"), place_label(row["dest"])),
                    (t("col.qty"), row["qty"]),
                    (t("col.state"), _state(row["state"])),
                    (t("col.holder"), label(row["holder"])),
                    (t("col.location"), place_label(row["location"])),
                    (t("col.seals"), (", ".join(seals) + (f" ({seal_state})" if seal_state else "")) if seals else seal_state or None),
                    (t("col.container"), row["container"]),
                    (t("col.contents"), list(row["contents"] or [])),
                    (t("views.col.condition"), vocabulary.word("condition", row["condition"] or "ok")),
                    (t("col.pending"), pending),
                    (t("views.col.last"), f"{short_id(row['last_record'])}  {local_time(row['last_time'], offset)}"),
                ]
            )
        )

    emit(env, value, human)


# --- inventory ---------------------------------------------------------------------


@click.command("inventory", cls=Command, help="cmd.inventory")
@click.argument("place", required=False, metavar="[PLACE]")
@option("--holder", metavar="PUBKEY|NAME", help="opt.views_holder")
@json_option
def inventory(place, holder):
    env = get_env()
    code = _place_arg(place)
    key = resolve_public(holder) if holder else None
    views = open_views(env)
    summary = views.inventory(code, key)
    label = _people(views, list(summary["holders"]))

    def human():
        title = place_label(code) + (f" / {label(key)}" if key else "")
        click.echo(t("views.inventory_of", place=title))
        if not summary["totals"]:
            click.echo(t("views.nothing"))
            return
        rows = [[vocabulary.word("item_kind", r["kind"]), r["election"], _state(r["state"]), r["items"], r["qty"]]
                for r in summary["totals"]]
        click.echo(table([t("col.kind"), t("col.election"), t("col.state"), t("views.col.items"), t("col.qty")], rows))
        click.echo("")
        click.echo(t("views.by_region"))
        rows = []
        for region_code, lines in summary["regions"].items():
            rows.append([place_label(region_code), *_kind_counts(lines)])
        click.echo(table([t("views.col.region"), *_kind_headers()], rows))
        click.echo("")
        click.echo(t("views.by_holder"))
        rows = [[label(h), *_kind_counts(lines)] for h, lines in summary["holders"].items()]
        click.echo(table([t("col.holder"), *_kind_headers()], rows))

    machine = dict(summary, holders=[
        {"holder": h.hex(), "name": label(h), "lines": lines} for h, lines in summary["holders"].items()
    ])  # fmt: skip
    emit(env, machine, human)





def _kind_headers() -> list[str]:
    return [t(f"views.kind.{k}") for k in KINDS]


def _kind_counts(lines) -> list[int]:
    """Per kind: number of boxes, pieces of everything else."""
    out = []
    for kind in KINDS:
        if kind == "box":
            out.append(sum(r["items"] for r in lines if r["kind"] == kind))
        else:
            out.append(sum(r["qty"] for r in lines if r["kind"] == kind))
    return out


# --- readiness ---------------------------------------------------------------------


def _at_ms(text: str | None, offset: int) -> int | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            stamp = _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        zone = _dt.timezone(_dt.timedelta(minutes=offset))
        return int(stamp.replace(tzinfo=zone).timestamp() * 1000)
    raise CliError("error.bad_datetime", errors.USAGE, value=text)


def _date(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise CliError("error.bad_date", errors.USAGE, value=text) from None


@click.command("readiness", cls=Command, help="cmd.readiness")
@click.argument("place", required=False, metavar="[PLACE]")
@option("--vote-date", metavar="YYYY-MM-DD", help="opt.vote_date")
@option("--at", "at", metavar="'YYYY-MM-DD HH:MM'", help="opt.readiness_at")
@json_option
def readiness(place, vote_date, at):
    env = get_env()
    code = _place_arg(place)
    vote_date = _date(vote_date)
    views = open_views(env)
    offset = _offset(views)
    if not vote_date and not at and not views.meta().get("vote_date"):
        raise CliError("error.no_vote_date", errors.USAGE)
    report = views.readiness(code, vote_date=vote_date, at_ms=_at_ms(at, offset))

    def human():
        stations = report["tps"]
        ready = sum(1 for s in stations if s["ready"])
        click.echo(
            t("views.readiness_title", place=place_label(code), at=local_time(report["at"], offset),
              ready=ready, total=len(stations))
        )  # fmt: skip
        if not stations:
            return
        rows = []
        for d in report["districts"]:
            lacking = ", ".join(f"{t('views.kind.' + k)} {n}" for k, n in d["missing"].items())
            if d["ballots_short"]:
                lacking = ", ".join(filter(None, [lacking, t("views.ballots_short_n", n=d["ballots_short"])]))
            rows.append([place_label(d["district"]), d["tps"], d["ready"], len(d["not_ready"]), lacking or "-"])
        click.echo(
            table([t("views.col.district"), t("views.col.tps"), t("views.col.ready"), t("views.col.not_ready"), t("views.col.lacking")], rows)
        )
        not_ready = [s for s in stations if not s["ready"]]
        if not_ready:
            click.echo("")
            click.echo(t("views.not_ready_list"))
            rows = []
            for s in not_ready:
                missing = ", ".join(m["item"] for m in s["missing"]) or "-"
                short = ", ".join(
                    t("views.ballots_have_need", election=b["election"], have=b["have"], need=b["need"])
                    for b in s["ballots"]
                    if b["have"] < b["need"]
                )
                rows.append([place_label(s["tps"]), missing, short or "-"])
            click.echo(table([t("views.col.tps"), t("views.col.missing"), t("views.col.ballots_short")], rows))

    emit(env, report, human)
    # A script alerts on the status: 1 when some TPS is not ready (as verify's findings).
    return errors.FINDINGS if any(not s["ready"] for s in report["tps"]) else errors.OK


# --- discrepancies ---------------------------------------------------------------


@click.command("discrepancies", cls=Command, help="cmd.discrepancies")
@click.argument("place", required=False, metavar="[PLACE]")
@option("--open", "open_only", is_flag=True, help="opt.open_only")
@json_option
def discrepancies(place, open_only):
    env = get_env()
    code = _place_arg(place)
    views = open_views(env)
    rows = views.discrepancies(code, open_only=open_only)
    label = _people(views, [r["author"] for r in rows])
    offset = _offset(views)

    def human():
        click.echo(t("views.discrepancies_title", place=place_label(code), n=len(rows),
                     open=sum(1 for r in rows if not r["resolved"])))  # fmt: skip
        if not rows:
            return
        out = []
        for r in rows:
            out.append(
                [
                    local_time(r["time"], offset),
                    t(f"views.discrepancy.{r['kind']}"),
                    r["item"] or "-",
                    _short(r["declared"]),
                    _short(r["observed"]),
                    r["detail"] or "",
                    label(r["author"]),
                    r["place"],
                    t("views.resolved_by", id=short_id(r["resolved_by"])) if r["resolved"] else t("views.open"),
                ]
            )
        headers = ["col.time", "views.col.what", "col.item", "views.col.declared", "views.col.observed",
                   "views.col.detail", "views.col.by", "views.col.where", "views.col.resolved"]  # fmt: skip
        click.echo(table([t(h) for h in headers], out))

    emit(env, rows, human)


def _short(value, field: str = "") -> str:
    """A declared or observed value: SPEC words and field names in the user's language."""
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(map(str, value)) or "-"
    if isinstance(value, dict):
        return " ".join(f"{vocabulary.field_name(k)}={_short(v, k)}" for k, v in value.items())
    if field == "incident":
        return vocabulary.word("incident_kind", value)
    return str(vocabulary.value_word(field or "condition", value))


# --- accounting --------------------------------------------------------------------

_COLUMNS = ("printed", "received", "used", "unused", "spoiled", "destroyed", "short", "lost")


@click.command("accounting", cls=Command, help="cmd.accounting")
@click.argument("place", required=False, metavar="[PLACE]")
@option("--all-tps", is_flag=True, help="opt.all_tps")
@json_option
def accounting(place, all_tps):
    env = get_env()
    code = _place_arg(place)
    views = open_views(env)
    report = views.accounting(code)

    def issues(g) -> str:
        return ", ".join(t(f"views.issue.{i}") for i in g["issues"]) or t("views.reconciled")

    def human():
        click.echo(t("views.accounting_title", place=place_label(code)))
        headers = [t(f"views.col.{c}") for c in _COLUMNS] + [t("views.col.status")]
        rows = [[g["dapil"], g["election"], *(g[c] for c in _COLUMNS), issues(g)] for g in report["dapil"]]
        total = report["totals"]
        rows.append([t("views.total"), "", *(total[c] for c in _COLUMNS), issues(total)])
        click.echo(table([t("col.dapil"), t("col.election"), *headers], rows))
        listed = report["tps"] if all_tps else report["unreconciled"]
        click.echo("")
        click.echo(t("views.tps_all" if all_tps else "views.tps_unreconciled", n=len(listed)))
        if listed:
            rows = [[place_label(g["tps"]), g["election"], *(g[c] for c in _COLUMNS), issues(g)] for g in listed]
            click.echo(table([t("views.col.tps"), t("col.election"), *headers], rows))

    emit(env, report, human)


# --- rebuild -------------------------------------------------------------------------


@click.command("rebuild", cls=Command, help="cmd.rebuild")
@json_option
def rebuild():
    env = get_env()
    from ledger.projections import Views

    views = Views(env.ledger())
    show = progress_enabled() and not env.json

    def progress(done, total):
        click.echo("\r" + t("views.rebuilding", done=done, total=total), err=True, nl=False)

    started = time.perf_counter()
    applied = views.rebuild(progress=progress if show else None)
    seconds = round(time.perf_counter() - started, 2)
    if show and applied:
        click.echo("", err=True)
    emit(env, {"records": applied, "seconds": seconds},
         lambda: click.echo(t("views.rebuilt", n=applied, seconds=seconds)))  # fmt: skip
