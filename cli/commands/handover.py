"""``serah handover``: serah terima, from prepare to accept or refuse.

The giver prepares and signs a handover (SPEC 4.8) and gets a handover file
(SPEC 7.1). Escorts and witnesses may co-sign that file before it is
submitted. The receiver checks what actually arrived and accepts, recording
observed counts, seals and condition (SPEC 4.9), or refuses. The file then
carries the acceptance too: the giver's receipt (tanda terima).
"""

from __future__ import annotations

from pathlib import Path

import click

from cli import errors, outfile, vocabulary
from cli.attachments import attach_option, describe, show_attached
from cli.base import Command, Group, option
from cli.commands.common import count, input_file, item_id, item_ids, region, selected_items
from cli.context import get_env, is_url, resolve_public
from cli.errors import CliError
from cli.i18n import t
from cli.options import json_option, key_options, pairs, split_values
from cli.output import emit, fields, local_time, table
from ledger.differences import differences


@click.group("handover", cls=Group, help="cmd.handover", lazy={"queue": "cli.commands.serve:queue"})
def handover():
    pass


# --- files -----------------------------------------------------------------------


def read_file(path: str) -> list[bytes]:
    from ledger import records

    input_file(path)
    return records.read_handover_file(path)


def write_file(path: Path, envelopes: list[bytes], *, force: bool = False, replaces: str | None = None) -> None:
    """Write a handover file atomically through :mod:`cli.outfile`: never over
    an existing file unless ``force`` or it is ``replaces`` (the handover file
    being completed), never over the ledger."""
    from ledger import records

    outfile.write(path, records.handover_file_bytes(envelopes), force=force, ledger=get_env().db, replaces=replaces)


def keep_receipts(ledger, file: str) -> list[str]:
    """Write the server's signed receipts (SPEC 12) next to the handover file,
    one per record, named by it: the custodian's proof the log took it.
    Only a ledger reached with ``--server`` gives receipts."""
    from ledger.server.receipts import receipt_path

    written = []
    for answer in getattr(ledger, "receipts", None) or []:
        path = Path(receipt_path(file, bytes.fromhex(answer["record"])))
        if path.exists():
            continue  # the first receipt for a record is kept; a later one says the same
        outfile.write(path, answer["receipt"].encode("utf-8"), ledger=get_env().db)
        written.append(str(path))
    if written:
        ledger.receipts.clear()
    return written


def parse_prepare(envelopes: list[bytes]):
    """The prepare record of a handover file, parsed and signature-checked."""
    from ledger import records

    record = records.parse(envelopes[0])
    if record.body.get("type") != "handover.prepare":
        raise CliError("error.file_not_handover", errors.USAGE, type=record.body.get("type"))
    return record


def _closing(envelopes: list[bytes]):
    from ledger import records

    for envelope in envelopes[1:]:
        record = records.parse(envelope)
        if record.body.get("type") in ("handover.accept", "handover.refuse"):
            return record
    return None


# --- prepare, cosign, submit ----------------------------------------------------------


@handover.command("prepare", cls=Command, help="cmd.handover.prepare")
@click.argument("items", nargs=-1, metavar="ITEM...")
@option("--items-from", metavar="FILE", help="opt.items_from")
@option("--for-destination", metavar="REGION", help="opt.for_destination")
@option("--to", "to", required=True, metavar="PUBKEY|NAME", help="opt.to")
@option("--place", metavar="CODE", help="opt.place")
@option("--site", required=True, metavar="TEXT", help="opt.site")
@option("--purpose", required=True, metavar="TEXT", help="opt.purpose")
@option("--escort", "escorts", multiple=True, metavar="PUBKEY|NAME", help="opt.escort")
@option("--witness", "witnesses", multiple=True, metavar="PUBKEY|NAME", help="opt.witness")
@option("--exception", "exception", metavar="TEXT", help="opt.exception")
@option("-o", "--output", metavar="FILE", help="opt.output")
@option("--force", is_flag=True, help="opt.force_output")
@option("--offline", is_flag=True, help="opt.offline")
@attach_option
@key_options
@json_option
def prepare(items, items_from, for_destination, to, place, site, purpose, escorts, witnesses, exception, output,
            offline, force, attach):
    env = get_env()
    if not for_destination:
        selected_items(items, items_from, None)  # a bad id or list is refused before a passphrase is asked
    files = describe(attach)
    receiver = resolve_public(to)
    escort_keys = [resolve_public(k) for k in escorts]
    witness_keys = [resolve_public(k) for k in witnesses]
    if output:
        outfile.check_target(output, force=force, ledger=env.db)  # before anything is signed
    ledger = env.ledger()
    author = env.signer()
    ids = selected_items(items, items_from, for_destination, ledger, author.public)
    if place:
        place = region(place, "--place")
    else:
        place = ledger.custodian(author.public).region
    envelope = ledger.prepare(
        author,
        receiver,
        ids,
        place=place,
        site=site,
        purpose=purpose,
        escorts=escort_keys,
        witnesses=witness_keys,
        exception=exception,
        submit=False,
        attachments=files,
    )
    from ledger import records

    record_id = records.record_id(envelope)
    number = records.body_id(envelope)  # SPEC 7.1: the number on paper, unchanged by co-signatures
    path = Path(output or f"handover-{number.hex()[:12]}.serah")
    write_file(path, [envelope], force=force)
    if not offline:
        try:
            ledger.submit(envelope)
        except BaseException:
            path.unlink(missing_ok=True)  # a file for a refused handover would mislead
            raise
        keep_receipts(ledger, str(path))
    # Name the receiver the key resolved to, from the ledger's enrolment, so
    # that a wrong NAME.pub in the key folder is seen before the trip.
    taker = ledger.custodian(receiver)
    to = {"key": receiver, "fingerprint": taker.fingerprint, "name": taker.name, "org": taker.org,
          "role": taker.role, "region": taker.region}
    value = {"record": record_id, "handover": number, "type": "handover.prepare", "file": str(path),
             "submitted": not offline, "items": ids, "to": to, "attachments": files}

    def human():
        key = "out.prepared_offline" if offline else "out.prepared"
        click.echo(t(key, file=str(path), id=number.hex()[:16], n=len(ids)))
        click.echo(t("out.prepared_to", **{k: v for k, v in to.items() if k != "key"}))
        if (escort_keys or witness_keys) and not offline:
            click.echo(t("out.cosign_later_hint"), err=True)
        show_attached(files)

    emit(env, value, human)


@handover.command("cosign", cls=Command, help="cmd.handover.cosign")
@click.argument("file")
@key_options
@json_option
def cosign(file):
    """Co-sign a handover file (SPEC 7.1) or a record file (SPEC 7.4: an
    ``open`` or ``destroy`` its witness signs on their own device)."""
    from ledger import records

    env = get_env()
    if _is_record_file(file):
        _cosign_record_file(env, file)
        return
    envelopes = read_file(file)
    prepare_record = parse_prepare(envelopes)
    if len(envelopes) > 1:
        raise CliError("error.cosign_closed", errors.REFUSED, path=file)
    if not is_url(env.db) and Path(env.db).exists():
        _refuse_if_submitted(env.ledger(), prepare_record)
    signer = env.signer()
    envelope = records.cosign(envelopes[0], signer)
    write_file(Path(file), [envelope], replaces=file)
    new_id = records.record_id(envelope)
    number = records.body_id(envelope)
    value = {"record": new_id, "handover": number, "type": "handover.prepare", "file": file, "cosigner": signer.public}
    emit(env, value, lambda: click.echo(t("out.cosigned", file=file, fingerprint=signer.fingerprint, id=number.hex()[:16])))


#: ``serah cosign FILE`` and ``serah submit FILE``: the same commands at the
#: top level, where a witness co-signing an ``open`` looks for them (SPEC 7.4).
cosign_any = Command("cosign", callback=cosign.callback, params=list(cosign.params), help="cmd.cosign")


def _is_record_file(path: str) -> bool:
    from ledger.record_file import RECORD_FORMAT, file_format

    input_file(path)
    return file_format(path) == RECORD_FORMAT


def _cosign_record_file(env, file: str) -> None:
    """Add this key's co-signature to a record file, in place, and say what
    was signed (who wrote it, its type and items), so the witness sees it."""
    from ledger import records
    from ledger.record_file import read_record_file, record_file_bytes

    envelope = read_record_file(file)
    record = records.parse(envelope, verify=False)  # read_record_file verified it
    if not is_url(env.db) and Path(env.db).exists() and _has_record(env.ledger(), record.id):
        raise CliError("error.cosign_submitted", errors.REFUSED)
    signer = env.signer()
    envelope = records.cosign(envelope, signer)
    outfile.write(Path(file), record_file_bytes(envelope), ledger=env.db, replaces=file)
    number = records.body_id(record)
    items = [line["item"] for line in record.lines]
    value = {"record": records.record_id(envelope), "number": number, "type": record.type, "file": file,
             "cosigner": signer.public, "author": record.author, "items": items}
    names = _namer(env)
    emit(env, value, lambda: click.echo(t("out.cosigned_record", file=file, fingerprint=signer.fingerprint,
                                          type=vocabulary.word("record_type", record.type), number=number.hex()[:16],
                                          author=names(record.author), items=", ".join(items))))


def _refuse_if_submitted(ledger, record) -> None:
    """Co-signing changes the record id: refuse once the prepare is in the ledger."""
    for line in record.body.get("lines", []):
        try:
            state = ledger.item(line["item"])
        except Exception:  # noqa: BLE001 - unknown here is fine: the giver may be offline
            continue
        if getattr(state, "pending_handover", None) == record.id:
            raise CliError("error.cosign_submitted", errors.REFUSED)


@handover.command("submit", cls=Command, help="cmd.handover.submit")
@click.argument("file")
@json_option
def submit(file):
    """Record a handover file (SPEC 7.1) or a record file (SPEC 7.4) signed elsewhere."""
    from ledger import records

    env = get_env()
    if _is_record_file(file):
        from ledger.record_file import read_record_file

        envelopes = [read_record_file(file)]
    else:
        envelopes = read_file(file)
        parse_prepare(envelopes)
    ledger = env.ledger()
    ids = [records.record_id(e) for e in envelopes]
    present = {i for i in ids if _has_record(ledger, i)}
    # One transaction: a prepare and its answer are appended together or not at all.
    ledger.submit_many(envelopes, skip_known=True)
    keep_receipts(ledger, file)
    results = [(i, "present" if i in present else "appended") for i in ids]
    value = [{"record": r, "result": s} for r, s in results]
    emit(env, value, lambda: [click.echo(t(f"out.submit_{s}", id=r.hex()[:16])) for r, s in results])


submit_any = Command("submit", callback=submit.callback, params=list(submit.params), help="cmd.submit")


# --- accept, refuse ----------------------------------------------------------------------


@handover.command("accept", cls=Command, help="cmd.handover.accept")
@click.argument("file", metavar="FILE|ID")
@option("--observed-qty", multiple=True, metavar="ITEM=N", help="opt.observed_qty")
@option("--observed-seals", multiple=True, metavar="BOX=S1,S2", help="opt.observed_seals")
@option("--condition", "conditions", multiple=True, metavar="ITEM=STATE", help="opt.condition")
@option("--note", "notes", multiple=True, metavar="[ITEM=]TEXT", help="opt.note")
@option("--refuse", "refused", multiple=True, metavar="ITEM", help="opt.refuse_item")
@option("--reason", metavar="TEXT", help="opt.refuse_reason")
@option("-o", "--output", metavar="FILE", help="opt.receipt")
@option("--force", is_flag=True, help="opt.force_output")
@attach_option
@key_options
@json_option
def accept(file, observed_qty, observed_seals, conditions, notes, refused, reason, output, force, attach):
    """Accept a handover from its file, or by its id from the ledger (an
    online prepare: no file needed); ``--refuse ITEM`` accepts the others
    and refuses these in one record (SPEC 4.18)."""
    env = get_env()
    source = file if Path(file).exists() else None
    if output:
        outfile.check_target(output, force=force, ledger=env.db, replaces=source)  # before anything is appended
    ledger = env.ledger()
    author = None if source else env.signer()  # by number through a server: what is on its way to this key
    envelopes = read_file(file) if source else [prepare_of(ledger, file, party=author.public)]
    prepare_record = parse_prepare(envelopes)
    declared = {line["item"]: line for line in prepare_record.body.get("lines", [])}
    refused_ids = item_ids(refused)
    for item in refused_ids:
        if item not in declared:
            raise CliError("error.item_not_in_handover", item=item, option="--refuse")
    if refused_ids and not reason:
        raise CliError("error.refuse_needs_reason", errors.USAGE)
    observed = observations(declared, observed_qty, observed_seals, conditions, notes)
    if set(observed) & set(refused_ids):
        raise CliError("error.refused_and_observed", errors.USAGE, item=sorted(set(observed) & set(refused_ids))[0])
    known = {item: ledger.item(item).condition for item in observed}  # before this acceptance changes them
    files = describe(attach)
    author = author or env.signer()
    if refused_ids:
        record_id = ledger.partial(author, envelopes[0], refused_ids, reason, observed=observed or None,
                                   attachments=files)
    else:
        record_id = ledger.accept(author, envelopes[0], observed=observed or None, attachments=files)
    receipt = None
    if output or source:
        receipt = _write_receipt(ledger, envelopes[0], record_id, output or source, source, force)
        keep_receipts(ledger, output or source)
    discrepancies = _discrepancies(declared, observed, known)
    value = {
        "record": record_id,
        "type": "handover.partial" if refused_ids else "handover.accept",
        "handover": handover_number(prepare_record),
        "prepare": prepare_record.id,
        "items": sorted(set(declared) - set(refused_ids)),
        "refused": refused_ids,
        "discrepancies": discrepancies,
        "receipt": receipt,
        "attachments": files,
    }

    def human():
        click.echo(t("out.accepted", n=len(declared) - len(refused_ids), id=record_id.hex()[:16]))
        if refused_ids:
            click.echo(t("out.refused_items", items=", ".join(refused_ids), reason=reason))
        for d in discrepancies:
            click.echo(t("out.discrepancy", item=d["item"], field=d["field"], declared=_show(d["declared"]), observed=_show(d["observed"])))
        if receipt:
            click.echo(t("out.receipt_written", file=receipt))
        show_attached(files)

    emit(env, value, human)


def observations(declared: dict, qtys, seals, conditions, notes) -> dict:
    """Options into ``{item: {qty, seals, condition, note}}``, only what was given."""
    observed: dict[str, dict] = {}

    def slot(item: str, option_name: str) -> dict:
        item = item_id(item)
        if item not in declared:
            raise CliError("error.item_not_in_handover", item=item, option=option_name)
        return observed.setdefault(item, {})

    for item, value in pairs(qtys, "--observed-qty").items():
        slot(item, "--observed-qty")["qty"] = count(value, item)
    for item, value in pairs(seals, "--observed-seals").items():
        slot(item, "--observed-seals")["seals"] = sorted(split_values([value]))
    for item, value in pairs(conditions, "--condition").items():
        slot(item, "--condition")["condition"] = vocabulary.condition(value)
    for note in notes or ():
        item, sep, text = note.partition("=")
        if sep and _maybe_item(item) in declared:
            slot(item, "--note")["note"] = text.strip()
        else:  # a note without an item applies to every item
            for name in declared:
                observed.setdefault(name, {})["note"] = note.strip()
    return observed


def _maybe_item(text: str) -> str | None:
    """``text`` as an item id (a label text checked), or None if it is no id."""
    try:
        return item_id(text)
    except CliError:
        return None


def _discrepancies(declared: dict, observed: dict, known: dict[str, str]) -> list[dict]:
    """The receiver's observations against the prepare, by the register's own
    rule (``ledger/differences.py``); ``known`` is each item's condition as
    last recorded before this acceptance."""
    out = []
    for item, seen in sorted(observed.items()):
        line = declared[item]
        found = differences(
            line.get("qty"), sorted(line.get("seals", [])), known.get(item),
            seen.get("qty"), seen.get("seals"), seen.get("condition"),
        )  # fmt: skip
        out += [{"item": item, "field": f, "declared": d, "observed": o} for f, d, o in found]
    return out


def _show(value) -> str:
    if isinstance(value, list):
        return ",".join(value) or "-"
    return str(value)


def _has_record(ledger, record_id: bytes) -> bool:
    try:
        ledger.record(record_id)
    except Exception as error:
        if getattr(error, "code", None) == "unknown_record":
            return False
        raise
    return True


def _envelope(ledger, record_id: bytes) -> bytes | None:
    fetch = getattr(ledger, "record", None)
    if fetch is None:
        return None
    try:
        return fetch(record_id)
    except Exception:  # noqa: BLE001 - the receipt is a convenience; the ledger has the record
        return None


def _write_receipt(ledger, prepare_envelope: bytes, record_id: bytes, path: str, source: str,
                   force: bool) -> str | None:
    """Put the accept/refuse envelope into the handover file (SPEC 7.1):
    ``source`` itself, completed, or the ``-o`` file (checked before the append)."""
    envelope = _envelope(ledger, record_id)
    if envelope is None:
        return None
    try:
        write_file(Path(path), [prepare_envelope, envelope], force=force, replaces=source)
    except Exception as error:  # the record is in the ledger; only the copy failed (else re-raised)
        if isinstance(error, (OSError, CliError)) or getattr(error, "code", None) == "bad_file":
            click.echo(t("out.receipt_failed", file=path), err=True)
            return None
        raise
    return path


@handover.command("refuse", cls=Command, help="cmd.handover.refuse")
@click.argument("file", metavar="FILE|ID")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@option("-o", "--output", metavar="FILE", help="opt.receipt")
@option("--force", is_flag=True, help="opt.force_output")
@attach_option
@key_options
@json_option
def refuse(file, reason, output, force, attach):
    env = get_env()
    files = describe(attach)
    source = file if Path(file).exists() else None
    if output:
        outfile.check_target(output, force=force, ledger=env.db, replaces=source)  # before anything is appended
    ledger = env.ledger()
    author = env.signer()
    envelopes = read_file(file) if source else [prepare_of(ledger, file, party=author.public)]
    prepare_record = parse_prepare(envelopes)
    record_id = ledger.refuse(author, envelopes[0], reason=reason, attachments=files)
    receipt = None
    if output or source:
        receipt = _write_receipt(ledger, envelopes[0], record_id, output or source, source, force)
        keep_receipts(ledger, output or source)
    value = {"record": record_id, "type": "handover.refuse", "handover": handover_number(prepare_record),
             "prepare": prepare_record.id, "receipt": receipt, "attachments": files}

    def human():
        click.echo(t("out.refused", id=record_id.hex()[:16]))
        show_attached(files)

    emit(env, value, human)


@handover.command("withdraw", cls=Command, help="cmd.handover.withdraw")
@click.argument("handover_ref", metavar="FILE|ID")
@option("--reason", required=True, metavar="TEXT", help="opt.reason")
@key_options
@json_option
def withdraw(handover_ref, reason):
    """The giver takes back a handover nobody answered (SPEC 4.16): a new
    signed record; the prepare stays in the ledger as it was."""
    env = get_env()
    ledger = env.ledger()
    prepare_envelope = prepare_of(ledger, handover_ref)
    record_id = ledger.withdraw(env.signer(), prepare_envelope, reason=reason)
    value = {"record": record_id, "type": "handover.withdraw", "handover": handover_number(prepare_envelope),
             "prepare": records_id(prepare_envelope)}
    emit(env, value, lambda: click.echo(t("out.withdrawn", id=record_id.hex()[:16])))


def records_id(envelope: bytes) -> bytes:
    from ledger import records

    return records.record_id(envelope)


def handover_number(prepare) -> bytes:
    """SPEC 7.1: a handover's number, its prepare's body id (SPEC 3.2): the
    same before and after escorts and witnesses co-sign."""
    from ledger import records

    return records.body_id(prepare)


def prepare_of(ledger, ref: str, party: bytes | None = None) -> bytes:
    """The prepare envelope named by ``ref``: a handover file, or an open
    handover in the ledger by its number (SPEC 7.1: 64 hex digits, or the
    16 that commands print and a giver writes on paper) or by its
    prepare's record id."""
    if Path(ref).exists():
        return read_file(ref)[0]
    text = ref.strip().lower()
    if len(text) not in (16, 64) or any(c not in "0123456789abcdef" for c in text):
        raise CliError("error.handover_ref", errors.USAGE, value=ref)
    from cli.client import ServerClient

    prefix = bytes.fromhex(text)
    if isinstance(getattr(ledger, "client", None), ServerClient):
        # Through a server: the handovers on their way to ``party`` (the receiver), from its own route.
        candidates = [bytes.fromhex(h["handover"]) for h in ledger.client.incoming(party)] if party else []
    else:
        from ledger.projections import Views

        candidates = Views(ledger).open_handovers()
    found = []
    for record_id in candidates:
        envelope = ledger.record(record_id)
        if record_id.startswith(prefix) or handover_number(envelope).startswith(prefix):
            found.append(envelope)
    if len(found) != 1:
        if len(text) == 64 and not found:  # a closed handover by its full record id (withdraw says why not)
            return ledger.record(prefix)
        raise CliError("error.handover_ref_unknown", errors.USAGE, value=ref)
    return found[0]


# --- show ------------------------------------------------------------------------------------


@handover.command("show", cls=Command, help="cmd.handover.show")
@click.argument("file", metavar="FILE|ID")
@json_option
def show(file):
    env = get_env()
    envelopes = read_file(file) if Path(file).exists() else [prepare_of(env.ledger(), file)]
    prepare_record = parse_prepare(envelopes)
    closing = _closing(envelopes)
    body = prepare_record.body
    names = _namer(env)
    value = {
        "handover": handover_number(prepare_record),
        "prepare": prepare_record.id,
        "from": body["author"],
        "to": body["to"],
        "time": body["time"],
        "place": body["place"],
        "site": body["site"],
        "purpose": body["purpose"],
        "exception": body.get("exception"),
        "signatures": [k for k, _ in prepare_record.sigs],
        "lines": body.get("lines", []),
        "closed_by": None if closing is None else {"type": closing.body["type"], "record": closing.id,
                                                   "lines": closing.body.get("lines", []),
                                                   "author": closing.body["author"], "valid": _answers(closing, prepare_record)},
        # What a file alone cannot show (SPEC 7.1): checked only against the ledger (serah verify, submit).
        "unchecked": ["enrolment", "chain"],
    }

    def human():
        rows = [
            (t("show.handover"), handover_number(prepare_record).hex()[:16]),
            (t("show.from"), names(body["author"])),
            (t("show.to"), names(body["to"])),
            (t("show.time"), local_time(body["time"])),
            (t("show.place"), f'{_place_name(body["place"])}: {body["site"]}'),
            (t("show.purpose"), body["purpose"]),
            (t("show.signed_by"), [names(k) for k, _ in prepare_record.sigs]),
        ]
        if body.get("exception"):
            rows.append((t("show.exception"), body["exception"]))
        if closing is not None:
            closed = f'{vocabulary.word("record_type", closing.body["type"])} {closing.id.hex()[:16]}'
            if not _answers(closing, prepare_record):
                # An answer signed by anyone but the named receiver closes nothing (SPEC 4.9, 4.10).
                closed = t("show.not_closed", record=closed, author=names(closing.body["author"]))
            rows.append((t("show.closed"), closed))
        rows.append((t("show.unchecked"), t("show.unchecked_text")))
        click.echo(fields(rows))
        click.echo()
        click.echo(
            table(
                [t("col.item"), t("col.qty"), t("col.seals"), t("col.contents")],
                [[line["item"], line.get("qty"), line.get("seals"), [f"{c[0]} ({c[1]})" for c in line.get("contents", [])]]
                 for line in body.get("lines", [])],
            )
        )

    emit(env, value, human)


def _answers(closing, prepare_record) -> bool:
    """The answer is by the prepare's receiver and names this prepare (SPEC 4.9, 4.10)."""
    return closing.body["author"] == prepare_record.body["to"] and closing.body.get("handover") == prepare_record.id


def _place_name(code: str) -> str:
    from ledger.regions import name

    try:
        return f"{code} {name(code)}" if code else name(code)
    except ValueError:
        return code


def _namer(env):
    """Key -> "Name (org) fingerprint" when the ledger knows it, else the fingerprint."""
    from ledger.keys import fingerprint

    ledger = None
    if is_url(env.db) or Path(env.db).exists():
        try:
            ledger = env.ledger()
        except Exception:  # noqa: BLE001 - showing a file must work without a ledger
            ledger = None

    def name(key: bytes) -> str:
        if ledger is not None:
            try:
                c = ledger.custodian(key)
                return f"{c.name} ({c.org}, {vocabulary.word('role_name', c.role)}) {fingerprint(key)}"
            except Exception:  # noqa: BLE001
                pass
        return fingerprint(key)

    return name
