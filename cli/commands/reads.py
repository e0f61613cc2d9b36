"""Read commands: ``status``, ``history``, ``holdings``. All take ``--json``."""

from __future__ import annotations

import click

from cli import vocabulary
from cli.base import Command, option
from cli.commands.common import handover_number, item_ids
from cli.context import get_env, resolve_public
from cli.i18n import t
from cli.options import json_option, key_options
from cli.output import emit, fields, jsonable, local_time, short_id, table


def _custodians(ledger):
    """Key -> readable label, memoised (a history names the same people often)."""
    from ledger.keys import fingerprint

    cache: dict[bytes, str] = {}

    def label(key) -> str:
        if key is None:
            return "-"
        key = bytes(key)
        if key not in cache:
            try:
                c = ledger.custodian(key)
                role = vocabulary.word("role_name", c.role)
                cache[key] = f"{c.name} ({role}, {c.org})" + (" " + t("out.revoked") if c.revoked else "")
            except Exception:  # noqa: BLE001 - an unknown key is shown by fingerprint
                cache[key] = fingerprint(key)
        return cache[key]

    return label


def _utc_offset(ledger) -> int:
    genesis = getattr(ledger, "genesis_body", None) or {}
    return genesis.get("utc_offset", 420) if isinstance(genesis, dict) else 420


@click.command("status", cls=Command, help="cmd.status")
@click.argument("item")
@json_option
def status(item):
    env = get_env()
    item_id = item_ids([item])[0]
    ledger = env.ledger()
    state = ledger.item(item_id)
    # The head's position (0-based place in the global order, SPEC 1) is
    # the number `serah verify` and `serah prove` use for the same record.
    head_position = ledger.positions([state.head]).get(state.head)
    label = _custodians(ledger)

    def human():
        g = lambda name: getattr(state, name, None)  # noqa: E731
        rows = [
            (t("col.item"), g("id")),
            (t("col.kind"), vocabulary.word("item_kind", g("kind"))),
            (t("col.election"), g("election")),
            (t("col.dapil"), g("dapil")),
            (t("col.label"), g("label")),
            (t("col.dest"), _place(g("dest"))),
            (t("col.qty"), g("qty")),
            (t("col.state"), t(f"state.{g('state')}") if g("state") else None),
            (t("col.condition"), vocabulary.word("condition", g("condition"))),
            (t("col.holder"), label(g("holder"))),
            (t("col.location"), _place(g("location"))),
            (t("col.seals"), list(g("seals") or [])),
            (t("col.container"), g("container")),
            (t("col.contents"), list(g("contents") or [])),
            (t("col.pending"), handover_number(ledger, g("pending_handover")) if g("pending_handover") else None),
            (t("col.head"), short_id(g("head"))),
            (t("col.head_position"), head_position),
        ]
        click.echo(fields(rows))

    emit(env, {**jsonable(state), "head_position": head_position}, human)


def _place(code):
    if code is None:
        return None
    from ledger.regions import name

    try:
        return f"{code} {name(code)}" if code else name(code)
    except ValueError:
        return code


@click.command("history", cls=Command, help="cmd.history")
@click.argument("item")
@json_option
def history(item):
    env = get_env()
    item_id = item_ids([item])[0]
    ledger = env.ledger()
    views = ledger.history(item_id)
    label = _custodians(ledger)
    offset = _utc_offset(ledger)

    def human():
        rows = []
        for v in views:
            rows.append(
                [
                    getattr(v, "position", None),
                    local_time(getattr(v, "time", None), offset),
                    vocabulary.word("record_type", getattr(v, "type", None)),
                    label(getattr(v, "author", None)),
                    _summary(v, label),
                ]
            )
        click.echo(table([t("col.position"), t("col.time"), t("col.type"), t("col.author"), t("col.summary")], rows))

    emit(env, views, human)


KEY_FIELDS = ("to", "key", "escorts", "witnesses")
SHOWN_LINE_FIELDS = ("label", "qty", "seals", "condition", "note", "used", "unused", "spoiled", "qty_lost")


def _summary(view, label=None) -> str:
    """The record's own fields, then what it says about this item."""
    parts = []
    summary = getattr(view, "summary", None) or {}
    record_type = getattr(view, "type", None)
    for name, value in summary.items():
        if name in KEY_FIELDS and label is not None:
            value = [label(k) for k in value] if isinstance(value, list) else label(value)
        value = vocabulary.value_word(name, value, record_type)
        parts.append(f"{vocabulary.field_name(name)}={_value(value)}")
    line = getattr(view, "line", None) or {}
    for name in SHOWN_LINE_FIELDS:
        if name in line:
            value = vocabulary.value_word(name, line[name], record_type)
            parts.append(f"{vocabulary.field_name(name)}={_value(value)}")
    return " ".join(parts)


def _value(value) -> str:
    if isinstance(value, dict) and "sha256" in value:  # an attached file (SPEC 3.8)
        return f"{value.get('name')}:sha256:{bytes(value['sha256']).hex()[:16]}"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()[:12]
    if isinstance(value, (list, tuple)):
        return ",".join(_value(v) for v in value) or "-"
    return str(value)


@click.command("holdings", cls=Command, help="cmd.holdings")
@click.argument("who", required=False, metavar="[PUBKEY|NAME]")
@key_options
@option("--incoming", "incoming_only", is_flag=True, help="opt.incoming")
@json_option
def holdings(who, incoming_only):
    env = get_env()
    key = resolve_public(who) if who else env.my_public()
    ledger = env.ledger()
    items = ledger.holdings(key)
    label = _custodians(ledger)
    coming = _incoming(ledger, key)
    if incoming_only:
        emit(env, coming, lambda: _show_incoming(coming, label))
        return

    def human():
        click.echo(t("out.holdings_of", who=label(key), n=len(items)))
        if items:
            rows = [
                [
                    getattr(s, "id", None),
                    vocabulary.word("item_kind", getattr(s, "kind", None)),
                    getattr(s, "election", None),
                    getattr(s, "qty", None),
                    t(f"state.{s.state}") if getattr(s, "state", None) else None,
                    list(getattr(s, "seals", None) or []),
                    getattr(s, "dest", None),
                ]
                for s in items
            ]
            click.echo(
                table(
                    [t("col.item"), t("col.kind"), t("col.election"), t("col.qty"), t("col.state"), t("col.seals"), t("col.dest")],
                    rows,
                )
            )
        _show_incoming(coming, label)

    emit(env, items, human)


def _incoming(ledger, key: bytes) -> list[dict]:
    """What is on its way to ``key`` (open handovers addressed to it)."""
    from cli.client import ServerClient

    if isinstance(getattr(ledger, "client", None), ServerClient):  # a server ledger: its own route lists them
        rows = []
        for handover in ledger.client.incoming(key):  # one entry per handover: one row per item, as below
            for item in handover["items"]:
                state = ledger.item(item)
                rows.append({"item": item, "kind": state.kind, "election": state.election, "qty": state.qty,
                             "dest": state.dest, "handover": bytes.fromhex(handover["handover"]),
                             "giver": bytes.fromhex(handover["from"]), "number": bytes.fromhex(handover["number"])})
        return rows
    from ledger import records
    from ledger.projections import Views

    rows = Views(ledger).incoming(key)
    numbers: dict[bytes, bytes] = {}
    for row in rows:  # SPEC 7.1: shown and typed by its number, which co-signatures do not change
        prepare = bytes(row["handover"])
        if prepare not in numbers:
            numbers[prepare] = records.body_id(ledger.record(prepare))
        row["number"] = numbers[prepare]
    return rows


def _number(value) -> str | None:
    return bytes(value).hex()[:16] if isinstance(value, (bytes, memoryview)) else value


def _show_incoming(coming: list[dict], label) -> None:
    click.echo(t("out.incoming", n=len(coming)))
    if coming:
        rows = [[r["item"], vocabulary.word("item_kind", r["kind"]), r.get("qty"), label(r.get("giver")),
                 _number(r.get("number", r.get("handover")))]
                for r in coming]
        click.echo(table([t("col.item"), t("col.kind"), t("col.qty"), t("out.col.giver"), t("out.col.handover")],
                         rows))
