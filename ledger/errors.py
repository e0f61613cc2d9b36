"""Errors a Serah user can meet, and the one root every error of Serah has.

Every refusal is a :class:`SerahError` subclass with a stable ``code`` (the
CLI looks up ``error.<code>`` in its translation catalogs, ``cli/i18n``),
``params`` (plain strings and numbers to substitute) and a ``category``: what
kind of failure it is, whose value is the ``serah`` exit status (README,
``cli/errors.py``). The category belongs to the class, so a caller never has
to guess it from a name or keep a table of its own: the CLI exits with
``error.category``, the server answers by it. ``str(error)`` is an English
fallback for logs and for callers that do not translate.

Keys appear in params as fingerprints (SPEC 3.5) and record ids as hex, so a
message can be read aloud over a radio and never shows key material.

When the ledger raises one of these, nothing has been written.

Errors of one concern live beside it and derive from this root:
``ledger.tlog.errors`` (the log's refusals), ``ledger.tlog.tree.TreeError``,
``ledger.tlog.note.NoteError``, ``ledger.tlog.witness.WitnessError``,
``ledger.projections.model.ViewError``, ``ledger.persistence.GuardsMissing``,
``ledger.server.errors``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

__all__ = ["Category", "SerahError"]  # and every error class below


class Category(IntEnum):
    """The kind of failure; the value is the ``serah`` exit status."""

    INPUT = 2  #: the input cannot be used: unknown item, malformed file, no genesis yet
    REFUSED = 3  #: the custody rules refuse it: not the holder, revoked key, sealed box
    TAMPER = 4  #: signature, tampering or replay: a record or stored row is not what was signed
    CONFLICT = 5  #: another writer was first, or the service is busy: read again and retry
    KEY = 6  #: a key file or passphrase problem
    INTERNAL = 70  #: derived data that does not describe the records (a bug, or hand-edited tables)


class SerahError(Exception):
    """The root of every Serah error: a code, parameters, an English text and a category.

    ``SerahError("text")`` is the short form for ``detail="text"``, for the
    errors whose message is all detail (notes, proofs, views).
    """

    code = "error"
    template = "{detail}"
    #: Every subclass sets its own; this fallback is what an unlisted refusal always got.
    category: ClassVar[Category] = Category.REFUSED

    def __init__(self, detail: object = None, /, **params: object) -> None:
        if detail is not None:
            params.setdefault("detail", detail)
        self.params = params
        super().__init__(self._render())

    def _render(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            # A missing parameter must never hide the refusal itself.
            return f"{self.code}: {self.params}"


# --- items -------------------------------------------------------------------

class UnknownItem(SerahError):
    category = Category.INPUT
    code = "unknown_item"
    template = "unknown item {item}"


class AlreadyRegistered(SerahError):
    category = Category.REFUSED
    code = "already_registered"
    template = "item {item} is already registered"


class NotHolder(SerahError):
    category = Category.REFUSED
    code = "not_holder"
    template = "item {item} is not held by key {key}"


class InTransit(SerahError):
    category = Category.REFUSED
    code = "in_transit"
    template = "item {item} is in transit (handover {handover} is open)"


class ItemDestroyed(SerahError):
    category = Category.REFUSED
    code = "item_destroyed"
    template = "item {item} was destroyed; nothing may follow"


class ItemLost(SerahError):
    category = Category.REFUSED
    code = "item_lost"
    template = "item {item} is recorded as lost"


class ItemPacked(SerahError):
    category = Category.REFUSED
    code = "item_packed"
    template = "item {item} is packed in box {box}; it moves with its box"


class BoxSealed(SerahError):
    category = Category.REFUSED
    code = "box_sealed"
    template = "box {box} is sealed"


class SealInUse(SerahError):
    category = Category.REFUSED
    code = "seal_in_use"
    template = "seal number {seal} has already been used"


# --- keys and authority ------------------------------------------------------

class NotEnrolled(SerahError):
    category = Category.REFUSED
    code = "not_enrolled"
    template = "key {key} is not enrolled in this ledger"


class AlreadyEnrolled(SerahError):
    category = Category.REFUSED
    code = "already_enrolled"
    template = "key {key} is already enrolled"


class KeyRevoked(SerahError):
    category = Category.REFUSED
    code = "key_revoked"
    template = "key {key} has been revoked"


class OutOfJurisdiction(SerahError):
    category = Category.REFUSED
    code = "out_of_jurisdiction"
    template = "key {key} (region {region}) has no authority over region {target}"


class RoleNotAllowed(SerahError):
    category = Category.REFUSED
    code = "role_not_allowed"
    template = "role {role} may not {action}"


class WitnessRequired(SerahError):
    category = Category.REFUSED
    code = "witness_required"
    template = "{action} must be co-signed by an enrolled witness"


class ExceptionRequired(SerahError):
    category = Category.REFUSED
    code = "exception_required"
    template = "{detail}: this step is off the allowed path and needs a written exception"


class WrongDestination(SerahError):
    category = Category.REFUSED
    code = "wrong_destination"
    template = (
        "item {item} is destined for {dest}, outside the receiver's region "
        "{region} (tertukar); give an exception to proceed"
    )


# --- handovers and chains ----------------------------------------------------

class WrongReceiver(SerahError):
    category = Category.REFUSED
    code = "wrong_receiver"
    template = "handover {handover} is addressed to key {expected}, not {key}"


class HandoverClosed(SerahError):
    category = Category.REFUSED
    code = "handover_closed"
    template = "handover {handover} is no longer open (already accepted or refused)"


class UnknownRecord(SerahError):
    category = Category.INPUT
    code = "unknown_record"
    template = "record {record} is not in this ledger"


class StaleRecord(SerahError):
    category = Category.TAMPER
    code = "stale_record"
    template = (
        "record does not follow the current state of item {item} "
        "(expected previous record {expected}, got {got})"
    )


class DuplicateRecord(SerahError):
    category = Category.TAMPER
    code = "duplicate_record"
    template = "record {record} is already in the ledger (replay)"


class BadTime(SerahError):
    category = Category.REFUSED
    code = "bad_time"
    template = "record time {time} is earlier than {earlier}; check the device clock"


class FutureTime(SerahError):
    category = Category.REFUSED
    code = "future_time"
    template = "record time {time} is more than {minutes} minutes after the ledger's clock ({now}); check the device clock"


# --- ledger ------------------------------------------------------------------

class WrongLedger(SerahError):
    category = Category.TAMPER
    code = "wrong_ledger"
    template = "record belongs to ledger {got}, this is ledger {expected}"


class NotInitialised(SerahError):
    category = Category.INPUT
    code = "not_initialised"
    template = "the ledger has no genesis record yet"


class AlreadyInitialised(SerahError):
    category = Category.REFUSED
    code = "already_initialised"
    template = "the ledger already has a genesis record"


class Conflict(SerahError):
    category = Category.CONFLICT
    code = "conflict"
    template = "another custodian changed this item first; reload and try again"


# --- records, files, keys ----------------------------------------------------

class EncodingError(SerahError):
    category = Category.TAMPER
    code = "encoding"
    template = "not canonical SCE: {detail}"


class BadRecord(SerahError):
    category = Category.TAMPER
    code = "bad_record"
    template = "malformed record: {detail}"


class BadSignature(SerahError):
    category = Category.TAMPER
    code = "bad_signature"
    template = "signature does not verify: {detail}"


class BadFile(SerahError):
    category = Category.INPUT
    code = "bad_file"
    template = "{path}: {detail}"


class WrongPassphrase(SerahError):
    category = Category.KEY
    code = "wrong_passphrase"
    template = "wrong passphrase for key file {path}"


class BadKeyFile(SerahError):
    category = Category.KEY
    code = "bad_key_file"
    template = "{path}: not a usable Serah key file ({detail})"


#: English fallbacks for the codes :class:`InvalidInput` is raised with.
INVALID_INPUT_TEMPLATES = {
    "invalid_input": "{detail}",
    "self_handover": "a custodian cannot hand items over to itself",
    "qty_mismatch": "item {item}: declared quantity {declared}, the ledger holds {actual}",
    "seals_mismatch": "box {item}: declared seals differ from the seals in the ledger",
    "contents_mismatch": "box {item}: declared contents differ from the ledger",
    "tally_mismatch": "item {item}: used + unused + spoiled = {total}, but the quantity is {qty}",
    "not_a_box": "item {item} is not a box",
    "wrong_kind": "item {item} is a {kind}, expected {expected}",
    "lines_mismatch": "the items do not match those of handover {handover}",
    "root_not_revocable": "key {key} is a root key and cannot be revoked",
    "weak_key": "key {key} is not a point of the prime-order subgroup (identity, small or mixed order) and cannot be enrolled",
    "already_signed": "key {key} has already signed this record",
    "box_not_empty": "box {box} still holds items; list them too or open it first",
    "qty_lost_too_large": "item {item}: {qty_lost} lost, but only {qty} recorded",
    "empty_passphrase": "the passphrase must not be empty",
    "weak_passphrase": "the passphrase is too easy to guess (strength {score} of 4, at least {needed} needed): use several unrelated words",
    "not_a_handover": "record {record} is not a handover.prepare",
    "not_the_giver": "handover {handover} was prepared by key {expected}, not {key}: only its giver withdraws it",
    "unknown_destination": "destination {dest} does not exist in the region data ({known})",
    "not_voidable": "item {item} has records after its registration; only a registration nothing followed is voided",
    "item_voided": "item {item} was voided (a mistaken registration); nothing may follow",
    "region_role_mismatch": "region '{region}' does not fit role {role}",
    "duplicate_value": "{value} is given twice",
    "record_too_large": "the record would be {size} bytes, over the limit of {limit} (SPEC 3.7): split it",
    "bad_text": "{field} holds {char}, a control or bidirectional formatting character (SPEC 2.2)",
    "bad_ledger_name": (
        "invalid ledger name '{name}': it is the transparency log's key name, so it must be"
        " non-empty, without spaces, '+' or control characters (e.g. serah.kpu.go.id/3101/pemilu-2024)"
    ),
}


#: The codes of :class:`InvalidInput` that are custody refusals or key
#: problems rather than unusable input (the rest are :attr:`Category.INPUT`).
INVALID_INPUT_CATEGORIES = {
    "self_handover": Category.REFUSED,
    "not_the_giver": Category.REFUSED,
    "unknown_destination": Category.REFUSED,
    "not_voidable": Category.REFUSED,
    "item_voided": Category.REFUSED,
    "root_not_revocable": Category.REFUSED,
    "weak_key": Category.REFUSED,
    "already_signed": Category.REFUSED,
    "box_not_empty": Category.REFUSED,
    "qty_mismatch": Category.REFUSED,
    "seals_mismatch": Category.REFUSED,
    "contents_mismatch": Category.REFUSED,
    "empty_passphrase": Category.KEY,
    "weak_passphrase": Category.KEY,
}


class InvalidInput(SerahError):
    """A refusal without its own class: the raiser gives ``code``.

    The codes and their parameters are the keys of
    :data:`INVALID_INPUT_TEMPLATES`; each needs an ``error.<code>`` entry in
    the CLI catalogs. The category is the code's
    (:data:`INVALID_INPUT_CATEGORIES`), :attr:`Category.INPUT` by default.
    """

    category = Category.INPUT

    def __init__(self, code: str = "invalid_input", **params: object) -> None:
        self.code = code
        self.template = INVALID_INPUT_TEMPLATES.get(code, "{detail}")
        self.category = INVALID_INPUT_CATEGORIES.get(code, Category.INPUT)  # type: ignore[misc]
        params.setdefault("detail", code.replace("_", " "))
        super().__init__(**params)
