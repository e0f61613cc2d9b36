"""``serah bast`` and ``serah label``: the paper the field already uses.

``bast print`` writes the BAST (berita acara serah terima) of one handover
as an A4 PDF with a QR code; ``bast check`` reads that QR code's text back
and says which handover of which ledger it is and where it stands now;
``label sheet`` prints QR labels (item id + check digits) for one TPS. The
documents themselves are drawn in ``cli/paper/``.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli import errors, outfile
from cli.base import Command, Group, option
from cli.commands.common import region
from cli.context import get_env
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option
from cli.output import emit, local_time, zone_offset
from cli.vocabulary import word


@click.group("bast", cls=Group, help="cmd.bast")
def bast():
    pass


@click.group("label", cls=Group, help="cmd.label")
def label():
    pass


# --- bast print ------------------------------------------------------------------------------


@bast.command("print", cls=Command, help="cmd.bast.print")
@click.argument("ref", metavar="FILE|ID")
@option("-o", "--output", required=True, metavar="FILE", help="opt.bast_output")
@option("--force", is_flag=True, help="opt.force_output")
@json_option
def print_bast(ref, output, force):
    from cli.commands.handover import parse_prepare, prepare_of, read_file
    from cli.paper import bast as paper

    env = get_env()
    outfile.check_target(output, force=force, ledger=env.db)
    ledger = env.ledger()
    envelopes = read_file(ref) if Path(ref).is_file() else [prepare_of(ledger, ref)]
    prepare = parse_prepare(envelopes)
    ledger_id, genesis = _ledger_identity(ledger)
    if prepare.ledger is not None and prepare.ledger != ledger_id:
        raise CliError("error.bast_other_ledger", errors.TAMPER, path=ref)
    document = _build(ledger, genesis, ledger_id, prepare, envelopes[1:])
    written = outfile.write(output, paper.render(document), force=force, ledger=env.db)
    value = {"file": str(written), "record": prepare.id, "payload": document.payload, "items": len(document.lines)}
    emit(env, value, lambda: click.echo(t("out.bast_written", file=str(written), id=prepare.id.hex()[:16],
                                          n=len(document.lines))))


def _ledger_identity(ledger) -> tuple[bytes, dict]:
    ledger_id, genesis = ledger.ledger_id, ledger.genesis_body
    if ledger_id is None or genesis is None:
        raise CliError("error.not_initialised", errors.USAGE, db=get_env().db)
    return ledger_id, genesis


def _build(ledger, genesis: dict, ledger_id: bytes, prepare, later: list[bytes]):
    from cli.paper import bast as paper
    from cli.report import text as T
    from ledger import records

    body = prepare.body
    offset = zone_offset(body.get("place"), genesis.get("utc_offset", 420))
    lines = []
    for line in body.get("lines", []):
        try:
            kind = T.item_kind(ledger.item(line["item"]).kind)
        except Exception:  # noqa: BLE001 - an item this ledger has not seen yet (an offline file): no kind
            kind = "-"
        lines.append(paper.Line(line["item"], kind, line.get("qty"), sorted(line.get("seals", [])),
                                [(c[0], c[1]) for c in line.get("contents", [])]))
    closing = [records.parse(e) for e in later]
    return paper.Bast(
        ledger_name=genesis["name"],
        record_id=prepare.id,
        payload=paper.payload(genesis["name"], ledger_id, prepare.id),
        when=local_time(prepare.time, offset),
        place=T.place(body.get("place")),
        site=body.get("site", ""),
        purpose=body.get("purpose", ""),
        giver=_party(ledger, prepare.author),
        receiver=_party(ledger, body["to"]),
        escorts=[_party(ledger, k) for k in body.get("escorts", [])],
        witnesses=[_party(ledger, k) for k in body.get("witnesses", [])],
        lines=lines,
        status=_status(ledger, prepare, closing, offset),
        exception=body.get("exception"),
    )


def _party(ledger, key: bytes):
    from cli.paper.bast import Party
    from cli.report import text as T
    from ledger.keys import fingerprint

    try:
        who = ledger.custodian(key)
    except Exception:  # noqa: BLE001 - a key this ledger does not know: the paper still names it by fingerprint
        return Party(t("bast.unknown_person"), "-", "-", "-", fingerprint(key))
    return Party(who.name, word("role_name", who.role), who.org, T.place(who.region), fingerprint(key))


def _answer(ledger, prepare) -> tuple[str, int, dict] | None:
    """The record that answered ``prepare`` in the ledger: (type, time, summary)."""
    lines = prepare.body.get("lines", [])
    if not lines:
        return None
    try:
        trail = ledger.history(lines[0]["item"])
    except Exception:  # noqa: BLE001 - the item is not in this ledger yet: no answer
        return None
    for view in trail:
        if view.summary.get("handover") == prepare.id and view.type != "handover.prepare":
            return view.type, view.time, view.summary
    return None


def _in_ledger(ledger, record_id: bytes) -> bool:
    try:
        ledger.record(record_id)
        return True
    except Exception:  # noqa: BLE001 - unknown record: not submitted yet
        return False


def _status(ledger, prepare, closing: list, offset: int) -> str:
    answer = next(((r.type, r.time, r.body) for r in closing if r.body.get("handover") == prepare.id), None)
    if answer is None:
        answer = _answer(ledger, prepare)
    if answer is not None:
        kind, time, summary = answer
        return t(f"bast.status.{kind.split('.')[-1]}", when=local_time(time, offset),
                 reason=summary.get("reason", ""))
    if _in_ledger(ledger, prepare.id):
        return t("bast.status.open")
    return t("bast.status.not_submitted")


# --- bast check ------------------------------------------------------------------------------


@bast.command("check", cls=Command, help="cmd.bast.check")
@click.argument("text", metavar="TEXT|FILE")
@option("--handover", "handover_file", metavar="FILE", help="opt.bast_handover")
@json_option
def check(text, handover_file):
    from cli.commands.common import input_file
    from cli.commands.handover import parse_prepare, read_file
    from cli.paper import bast as paper

    env = get_env()
    if len(text) <= paper.MAX_PAYLOAD and not text.startswith(paper.PREFIX) and Path(text).is_file():
        file = input_file(text)
        if file.stat().st_size > paper.MAX_PAYLOAD:
            raise CliError("error.bast_payload", errors.USAGE, value=text[:40])
        text = file.read_bytes().decode("utf-8", "replace")
    try:
        scanned = paper.parse_payload(text)
    except paper.BadPayload:
        raise CliError("error.bast_payload", errors.USAGE, value=" ".join(text.split())[:40]) from None
    ledger = env.ledger()
    ledger_id, genesis = _ledger_identity(ledger)
    if scanned.ledger_name != genesis["name"] or not scanned.matches(ledger_id):
        raise CliError("error.bast_not_this_ledger", errors.TAMPER, name=scanned.ledger_name, ours=genesis["name"])
    if handover_file:
        envelopes = read_file(handover_file)
        prepare = parse_prepare(envelopes)
        if prepare.id != scanned.record_id:
            raise CliError("error.bast_not_this_file", errors.TAMPER, path=handover_file,
                           id=scanned.record_id.hex()[:16])
        later = envelopes[1:]
    else:
        prepare = parse_prepare([ledger.record(scanned.record_id)])
        later = []
    document = _build(ledger, genesis, ledger_id, prepare, later)
    value = {"ok": True, "record": prepare.id, "ledger": genesis["name"], "from": document.giver.fingerprint,
             "to": document.receiver.fingerprint, "items": [line.item for line in document.lines],
             "time": prepare.time, "status": document.status}

    def human():
        click.echo(t("out.bast_ok", id=prepare.id.hex()[:16], name=genesis["name"]))
        click.echo(t("out.bast_parties", giver=document.giver.name, receiver=document.receiver.name,
                     n=len(document.lines), when=document.when))
        click.echo(document.status)

    emit(env, value, human)


# --- label sheet -----------------------------------------------------------------------------


@label.command("sheet", cls=Command, help="cmd.label.sheet")
@option("--tps", required=True, metavar="CODE", help="opt.label_tps")
@option("-o", "--output", required=True, metavar="FILE", help="opt.label_output")
@option("--force", is_flag=True, help="opt.force_output")
@json_option
def sheet(tps, output, force):
    from cli.paper import labels as paper
    from cli.report import text as T

    env = get_env()
    code = region(tps, "--tps")
    if len(code) != 13:
        raise CliError("error.label_not_tps", errors.USAGE, code=tps)
    outfile.check_target(output, force=force, ledger=env.db)
    ledger = env.ledger()
    rows = _items_for(ledger, code, paper.MAX_LABELS + 1)
    if not rows:
        raise CliError("error.label_no_items", errors.USAGE, code=code)
    if len(rows) > paper.MAX_LABELS:
        raise CliError("error.label_too_many", errors.USAGE, code=code, limit=paper.MAX_LABELS)
    place = T.place(code)
    labels = [paper.Label(item, T.item_kind(kind), qty, place) for item, kind, qty in rows]
    written = outfile.write(output, paper.render(labels, t("label.title", code=code)), force=force, ledger=env.db)
    pages = -(-len(labels) // (paper.COLUMNS * paper.ROWS))
    value = {"file": str(written), "tps": code, "labels": len(labels), "pages": pages}
    emit(env, value, lambda: click.echo(t("out.labels_written", file=str(written), n=len(labels), pages=pages)))


def _items_for(ledger, code: str, limit: int) -> list[tuple[str, str, int | None]]:
    from ledger.projections import Views

    return Views(ledger).destined(code, limit)
