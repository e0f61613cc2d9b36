"""English text for every finding and input code.

The verifier must stand alone (``python -m verifier`` with no CLI installed),
so it carries its own English. ``serah verify`` translates the same codes
through ``cli/i18n`` (catalogue ``cli/i18n/catalog/verify.py``, keys
``finding.<code>``), which reuses this text for English.
"""

from __future__ import annotations

import string

ENGLISH = {
    # V1 encoding (SPEC 2)
    "sce_truncated": "{part} is not canonical (SCE): it ends in the middle of a value (byte {offset})",
    "sce_trailing": "{part} is not canonical (SCE): bytes after the end of the value (byte {offset})",
    "sce_float": "{part} is not canonical (SCE): a float, which SCE forbids (byte {offset})",
    "sce_ext": "{part} is not canonical (SCE): an ext or timestamp value, which SCE forbids (byte {offset})",
    "sce_reserved": "{part} is not canonical (SCE): reserved byte 0xc1 (byte {offset})",
    "sce_not_shortest": "{part} is not canonical (SCE): a value not in its shortest form (byte {offset})",
    "sce_bad_utf8": "{part} is not canonical (SCE): text that is not valid UTF-8 (byte {offset})",
    "sce_key_not_text": "{part} is not canonical (SCE): a map key that is not text (byte {offset})",
    "sce_key_duplicate": "{part} is not canonical (SCE): a repeated map key (byte {offset})",
    "sce_key_order": "{part} is not canonical (SCE): map keys out of order (byte {offset})",
    "sce_too_deep": "{part} is not canonical (SCE): nested too deeply (byte {offset})",
    "sce_not_canonical": "{part} is not canonical (SCE): re-encoding gives different bytes",
    # V2 schema (SPEC 3, 4)
    "schema_envelope": "the envelope is malformed: {field} must be {expected}",
    "schema_version": "unknown format version {version} (this verifier knows version 1)",
    "schema_type": "unknown record type {type}",
    "schema_missing": "required field {field} is missing",
    "schema_unknown_field": "field {field} is not allowed in this record type",
    "schema_bad_value": "field {field} must be {expected}",
    "envelope_too_large": "the envelope is {size} bytes, over the limit of {limit} (SPEC 3.7)",
    "schema_bad_text": "text field {field} holds {char}, a control or bidirectional formatting character (SPEC 2.2)",
    "schema_lines_order": "lines are not sorted by item or repeat an item ({field}, {item})",
    "schema_box_lines": "the lines do not match the box {box} named by the record",
    # V3 ledger binding
    "not_genesis_first": "the first record of the ledger is not a genesis record",
    "genesis_not_first": "a second genesis record; only the first record may be a genesis",
    "wrong_ledger": "the record belongs to another ledger ({found}, expected {expected})",
    "record_file_unanchored": "a record file checked without its ledger: only its encoding, form and signatures (V1, V2, V4) are checked; whether its signers may sign it, and its witness rule, are checked by the ledger that records it",
    "handover_file_unanchored": "a handover file checked without its ledger: whether the signers are enrolled and not revoked (V5) and whether the prepare continues the items' chains (V7) is not checked; verify the ledger that holds these records",
    "pin_ledger": "the ledger id is {found}, not the pinned {pinned}: this is not the ledger KPU published",
    "pin_root": "the pinned root key {key} is not a root of this ledger's genesis",
    # V4 signatures
    "bad_signature": "signature {index} (key {signer}) does not verify",
    "author_sig_mismatch": "the first signature is by {signer}, not by the author {author}",
    "cosig_order": "co-signatures are not sorted, repeat a key or include the author ({signer})",
    "genesis_root_unsigned": "root key {root} did not co-sign the genesis record",
    # V5 authority
    "unknown_signer": "the {part} {signer} is neither a root nor enrolled",
    "revoked_signer": "the {part} {signer} was revoked (record #{revoked_at})",
    "listed_not_enrolled": "the listed {part} {signer} is not an active enrolled key",
    "role_not_allowed": "a {role} key may not write a {type} record",
    "out_of_region": "outside the author's region {region} (destination {dest})",
    "genesis_author_not_root": "the genesis author {author} is not one of its roots",
    # V6 enrolment
    "enrol_twice": "key {subject} is already enrolled",
    "enrol_weak_key": "key {subject} is not a point of the prime-order subgroup (the identity, small or mixed order): verifiers may disagree about its signatures, so it cannot be enrolled",
    "enrol_region_shape": "region {region} does not fit role {role}",
    "enrol_out_of_region": "enrolment for region {region} outside the author's region {author_region}",
    "enrol_delegation": "a kpu key may enrol a kpu key only below its own region ({region} under {author_region})",
    "revoke_unknown": "revocation of key {subject}, which is not enrolled",
    "revoke_root": "revocation of root key {subject}; roots cannot be revoked",
    "revoke_twice": "key {subject} was already revoked (record #{revoked_at})",
    "revoke_out_of_region": "revocation of a key of region {region} outside the author's region {author_region}",
    "root_duplicate": "root key {root} is listed twice",
    # V7 chain
    "prev_mismatch": "the chain is broken: prev {prev} is not the item's last record {head}",
    "unknown_item": "the item was never registered",
    "registered_twice": "the item is already registered",
    "replay": "this record appears a second time (replay)",
    "unknown_target": "the witnessed record {target} is not an earlier record",
    # V8 fork
    "fork": "fork: prev {prev} is an earlier record of the item, superseded by {head}",
    # V9 custody
    "not_holder": "the author does not hold the item (holder {holder})",
    "in_transit": "the item is in transit",
    "item_lost": "the item is recorded as lost",
    "item_packed": "the item is packed in box {box}",
    "receiver_not_custodian": "the receiver {receiver} is not an active custodian (role {role})",
    "unknown_handover": "handover {handover} is not a prepared handover",
    "handover_closed": "handover {handover} was already accepted or refused",
    "not_receiver": "only the named receiver {receiver} may answer this handover",
    "not_giver": "only the handover's giver {giver} may withdraw it",
    "partial_refused_line": "a refused line of a partial answer observes nothing (no condition, qty, seals, note)",
    "partial_accepted_line": "an accepted line of a partial answer states the condition observed",
    "void_after_use": "only a registration that nothing followed may be voided",
    "handover_items": "the items differ from the prepared handover (missing: {missing}; extra: {extra})",
    "self_handover": "a handover to oneself: the receiver is the author",
    "destroy_partial": "destroyed without {other}: a box and its contents are destroyed together",
    "pack_not_box": "items can be packed only into a box, not a {kind}",
    "pack_content_kind": "a {kind} cannot be packed into a box",
    "record_file_shape": "a record file holds one record that is not a handover (found {first}: a handover travels as a handover file)",
    "handover_file_shape": "a handover file holds a prepare, then an accept or refuse ({count} records, first {first})",
    # V10 path
    "path_off": "handover {giver} -> {receiver} is off the allowed path and states no exception",
    "path_exception": "handover {giver} -> {receiver} is off the allowed path; exception: {exception}",
    # V11 destination
    "dest_mismatch": "tertukar: destination {dest} is outside the receiver's region {region}",
    "dest_exception": "destination {dest} is outside the receiver's region {region}; exception: {exception}",
    # V12
    "after_destroy": "the item was destroyed or voided; nothing may follow",
    # V13 counts
    "qty_declared": "declared quantity {declared} differs from the recorded {actual}",
    "contents_declared": "declared contents ({declared}) differ from what is packed ({actual})",
    "qty_observed_shape": "the acceptance must state the observed quantity exactly for items with a quantity",
    "qty_observed": "discrepancy: received {observed}, declared {declared}",
    "condition": "received in condition '{condition}' {note}",
    "tally_not_ballots": "a tally is for ballots, not a {kind}",
    "tally_sum": "used + unused + spoiled = {total}, but the item holds {qty}",
    "tally_changed": "the ballots were tallied again with other counts: used/unused/spoiled {before}, now {after}",
    "qty_lost_invalid": "{lost} lost from an item holding {qty}",
    # V14 seals
    "seals_declared": "declared seals ({declared}) differ from the recorded seals ({actual})",
    "seals_observed_shape": "the acceptance must state the observed seals exactly for boxes",
    "seals_observed": "seal discrepancy: found {observed}, declared {declared}",
    "seal_not_box": "only a box has seals, not a {kind}",
    "seal_sealed_box": "the box is already sealed ({seals})",
    "seal_reused": "seal number {seal} was already used",
    "pack_sealed_box": "the box is sealed ({seals}); open it before packing",
    "seals_found": "seals found ({found}) differ from the recorded seals ({recorded})",
    "seals_broken": "seals found not intact ({seals})",
    # V15 opening
    "open_no_witness": "box opened without a witness co-signature",
    "open_not_allowed": "box opened by a {role} key outside the allowed cases, with no exception",
    "open_exception": "box opened by a {role} key off the allowed path; exception: {exception}",
    # V16 time
    "time_backwards": "time {time} is earlier than the item's previous record ({previous})",
    "before_genesis": "time {time} is earlier than the genesis ({genesis})",
    "time_in_future": "time {time} is more than 15 minutes after the verifier's clock ({now}): dated ahead (SPEC 5.1)",
    "time_ahead": "time {time} is more than 15 minutes after every record appended after it (the last at {later}): dated ahead (SPEC 5.1)",
    # V17
    "late_delivery": "accepted by the KPPS at {time}, after the H-1 deadline {deadline}",
    # V18
    "destroy_no_witness": "destruction without a witness co-signature",
    "incident": "incident ({kind}): {description}",
    "refused": "handover refused: {reason}",
    "withdrawn": "handover withdrawn by its giver: {reason}",
    "voided": "registration voided: {reason}",
    # V19
    "custody_gap": "answered {hours} hours after the prepare of {prepared}: for that long the items were in transit, signed for by nobody",
    "still_in_transit": "{items}: prepared {prepared}, still neither accepted nor refused at the ledger's latest record ({latest}), {hours} hours later",
    # input (exit status 2)
    "input_missing": "{path}: no such file",
    "input_not_file": "{path}: not a file",
    "input_unreadable": "{path}: cannot be read ({reason})",
    "input_empty": "{path}: the file is empty",
    "input_unknown_format": "{path}: not a Serah ledger, stream or handover file",
    "input_corrupt": "{path}: the ledger database is damaged ({reason})",
    "input_no_table": "{path}: not a Serah ledger (no {table} table)",
    "input_no_records": "{path}: the ledger holds no records",
    "input_database": "{path}: cannot read the database ({reason})",
    "input_bad_record_file": "{path}: not a valid record file ({reason})",
    "input_bad_handover_file": "{path}: not a valid handover file ({reason})",
    "tlog_bad_key": "a pinned log or witness key is not a verifier key ({detail})",
    # T1-T6 transparency log (SPEC 10.6; verifier/tlog_checks.py)
    "tlog_checkpoint_malformed": "checkpoint from {source}: not a checkpoint note ({detail})",
    "tlog_checkpoint_row": "checkpoint {size}: the size or root stored beside it ({stored}) differ from its note",
    "tlog_no_log_key": "checkpoint {size} from {source}: no log key to check it with",
    "tlog_checkpoint_signature": "checkpoint {size} from {source}: not validly signed by the log key ({detail})",
    "tlog_checkpoint_origin": "checkpoint {size} from {source} is for log {origin}, not for this ledger ({name})",
    "tlog_log_key_unpinned": "no log key pinned: checkpoints were checked with the key stored in the ledger ({keys})",
    "tlog_log_key_changed": "the log key changed at checkpoint {size} ({previous} before, {key} since) and no key history is pinned: a forger's new key would look the same",
    "tlog_note_key_unknown": "checkpoint {size} from {source} is signed by a log key the ledger does not store: pin the log keys KPU published",
    "tlog_retired_key": "checkpoint {size} from {source} is signed by {key}, a log key retired before a smaller checkpoint",
    "tlog_no_checkpoint": "no checkpoint at all: nothing shows that these are the records the log signed and witnesses saw (a rewrite with its checkpoints deleted looks like this)",
    "tlog_cosignature_invalid": "checkpoint {size}: the cosignature of witness {witness} does not verify",
    "tlog_quorum": "checkpoint {size}: {have} trusted witness cosignatures, {quorum} required",
    "tlog_not_witnessed": "no checkpoint that matches the records is cosigned by a trusted witness",
    "tlog_witness_keys_unpinned": "no witness key pinned: cosignatures were checked with the keys stored in the ledger",
    "tlog_unwitnessed_records": "{records} records after the last cosigned checkpoint (size {size}) are not witnessed yet",
    "tlog_records_missing": "checkpoint {size} from {source} covers {size} records, the ledger holds {records}: records were removed",
    "tlog_root_mismatch": "checkpoint {size} from {source}: the first {size} records do not have its root hash: records were changed",
    "tlog_split_view": "two checkpoints of size {size} with different roots ({other}, {source}): a split view",
    "tlog_inconsistent": "checkpoints {old} and {new} contradict each other ({other}, {source})",
    "tlog_inclusion": "record {index}: the inclusion proof does not lead to the root of size {size} ({detail})",
    # S1-S2 storage (SPEC 9.6)
    "storage_rowid_gap": "rows of stored_events are missing: rowid {after} is followed by {next} (rows deleted; SPEC 9.4)",
    "storage_rowid_start": "the first row of stored_events has rowid {first}, not 1 (rows deleted; SPEC 9.4)",
    "storage_topic_class": "row {rowid}: a record topic stored as {storage} instead of text: not a record, and not written by Serah",
    "storage_state_class": "the record's state is stored as {storage} instead of a blob (SPEC 9.1)",
}

SEVERITY_WORDS = {"error": "error", "warning": "warning", "notice": "notice"}


class _Keep(dict):
    def __missing__(self, name):
        return "{" + name + "}"


def render(code: str, params: dict) -> str:
    """The English sentence for a code, params filled in (never raises)."""
    template = ENGLISH.get(code)
    if template is None:
        return f"{code} {params}" if params else code
    try:
        return string.Formatter().vformat(template, (), _Keep(params))
    except (ValueError, IndexError):
        return template


def line(finding) -> str:
    """One line per finding: where, check, severity, code, text."""
    where = f"#{finding.position}" if finding.position is not None else "-"
    item = f" [{finding.item}]" if finding.item else ""
    record = f" {finding.record[:16]}" if finding.record else ""
    return f"{where} {finding.label} {finding.severity} {finding.code}{item}{record}: {render(finding.code, finding.params)}"
