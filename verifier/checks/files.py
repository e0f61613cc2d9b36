"""Files checked without their ledger: a handover file (SPEC 7.1) and a record file (7.4).

Without the ledger there is no genesis, no enrolment and no chain, so only
what the file itself shows is checked, with the same checks and finding
codes as in a ledger; a V5 notice in every report says that authority was
not (and cannot be) checked here.
"""

from __future__ import annotations

import hashlib

from verifier.checks.base import Rec
from verifier.checks.rules import Rules
from verifier.checks.stateless import examine, v1_envelope
from verifier.report import ERROR, NOTICE, Finding, Report, fingerprint, iso

_sha256 = hashlib.sha256


def check_handover_file(rows: list, backend, report: Report) -> None:
    """Check a `.serah` file without its ledger.

    Without the ledger there is no genesis, no enrolment and no chain, so only
    what the file itself can show is checked: V1, V2, V4 on each record; the
    prepare first; an accept or refuse of exactly that prepare, by its `to`,
    with the same items, each `prev` naming the prepare (V9, V7); both bound
    to the same ledger (V3); time order (V16); discrepancies (V13, V14 notices)
    and a refusal (V18). Authority (V5) needs the ledger: verify it there.
    A V5 notice says so in every report, so that no reader takes a clean
    file for checked signers (SPEC 7.1).
    """
    rules = Rules(report)
    report.add(Finding(5, NOTICE, "handover_file_unanchored", {}, None, None, None))
    examined = []
    for position, (_where, raw) in enumerate(rows):  # 0-based in the file: it has no global order
        rid, kind, body, cosigners, problems, count = examine(raw, backend)
        report.records += 1
        report.signatures += count
        for check, code, params in problems or ():
            report.add(Finding(check, ERROR, code, params, rid.hex(), None, position))
        examined.append(Rec(position, rid, kind, body, cosigners) if kind and not problems else None)
    prepare = examined[0]
    if prepare is None:
        return
    if prepare.kind == "handover.prepare":
        # SPEC 3.2, 7.1: the handover's number is its prepare's body id, the
        # same whoever has co-signed; the number the giver wrote on paper.
        report.handover = _sha256(v1_envelope(rows[0][1])[0]).hexdigest()
    if prepare.kind != "handover.prepare" or len(examined) > 2:
        rules.emit(9, ERROR, "handover_file_shape", prepare, count=len(examined), first=prepare.kind)
        return
    if len(examined) == 1 or examined[1] is None:
        return
    answer = examined[1]
    if answer.kind not in ("handover.accept", "handover.refuse"):
        rules.emit(9, ERROR, "handover_file_shape", answer, count=len(examined), first=prepare.kind)
        return
    if answer.body["ledger"] != prepare.body["ledger"]:
        rules.emit(3, ERROR, "wrong_ledger", answer, expected=prepare.body["ledger"].hex(),
                   found=answer.body["ledger"].hex())
    if answer.body["handover"] != prepare.id:
        rules.emit(9, ERROR, "unknown_handover", answer, handover=answer.body["handover"].hex())
        return
    if answer.time < prepare.time:
        rules.emit(16, ERROR, "time_backwards", answer, time=iso(answer.time), previous=iso(prepare.time))
    rules.v19_gap(answer, prepare.time)
    if answer.author != prepare.body["to"]:
        rules.emit(9, ERROR, "not_receiver", answer, receiver=fingerprint(prepare.body["to"]))
    declared = {line["item"]: line for line in prepare.body["lines"]}
    named = [line["item"] for line in answer.body["lines"]]
    if set(named) != set(declared):
        rules.emit(9, ERROR, "handover_items", answer, missing=", ".join(sorted(set(declared) - set(named))),
                   extra=", ".join(sorted(set(named) - set(declared))))
    for line in answer.body["lines"]:
        name = line["item"]
        if line["prev"] != prepare.id:
            rules.emit(7, ERROR, "prev_mismatch", answer, name, prev=line["prev"].hex(), head=prepare.hex)
        if answer.kind == "handover.accept" and name in declared:
            rules.v13_observed(answer, line, name, declared[name])
            rules.v14_observed(answer, line, name, declared[name])
    if answer.kind == "handover.refuse":
        rules.v18_listed(answer, "refused", reason=answer.body["reason"])


def check_record_file(rows: list, backend, report: Report) -> None:
    """Check a record file awaiting co-signers (an ``open`` or ``destroy``
    on its way to its witness) without its ledger: V1, V2, V4 on its one
    record and the file's shape (no ``handover.*``: those travel as handover
    files). Who signed with what authority, and whether the witness rule is
    met, is for the ledger that appends it: a V5 notice says so."""
    report.add(Finding(5, NOTICE, "record_file_unanchored", {}, None, None, None))
    (_where, raw), = rows
    rid, kind, _body, _cosigners, problems, count = examine(raw, backend)
    report.records += 1
    report.signatures += count
    for check, code, params in problems or ():
        report.add(Finding(check, ERROR, code, params, rid.hex(), None, 0))
    if kind is not None and not problems and kind.startswith("handover."):
        report.add(Finding(9, ERROR, "record_file_shape", {"first": kind}, rid.hex(), None, 0))
