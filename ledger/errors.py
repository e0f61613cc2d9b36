"""Errors a Serah user can meet.

Every refusal is a :class:`SerahError` subclass with a stable ``code`` (the
CLI looks up ``error.<code>`` in its translation catalogs, ``cli/i18n``) and
``params`` (plain strings and numbers to substitute). ``str(error)`` is an
English fallback for logs and for callers that do not translate.

Keys appear in params as fingerprints (SPEC 3.5) and record ids as hex, so a
message can be read aloud over a radio and never shows key material.

When the ledger raises one of these, nothing has been written.
"""

from __future__ import annotations


class SerahError(Exception):
    """Base class: a refusal with a code, parameters and an English text."""

    code = "error"
    template = "{detail}"

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(self._render())

    def _render(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            # A missing parameter must never hide the refusal itself.
            return f"{self.code}: {self.params}"


class _Invalid(SerahError):
    """Shared base of refusals caused by what the user asked for."""


# --- items -------------------------------------------------------------------

class UnknownItem(_Invalid):
    code = "unknown_item"
    template = "unknown item {item}"


class AlreadyRegistered(_Invalid):
    code = "already_registered"
    template = "item {item} is already registered"


class NotHolder(_Invalid):
    code = "not_holder"
    template = "item {item} is not held by key {key}"


class InTransit(_Invalid):
    code = "in_transit"
    template = "item {item} is in transit (handover {handover} is open)"


class ItemDestroyed(_Invalid):
    code = "item_destroyed"
    template = "item {item} was destroyed; nothing may follow"


class ItemLost(_Invalid):
    code = "item_lost"
    template = "item {item} is recorded as lost"


class ItemPacked(_Invalid):
    code = "item_packed"
    template = "item {item} is packed in box {box}; it moves with its box"


class BoxSealed(_Invalid):
    code = "box_sealed"
    template = "box {box} is sealed"


class SealInUse(_Invalid):
    code = "seal_in_use"
    template = "seal number {seal} has already been used"


# --- keys and authority ------------------------------------------------------

class NotEnrolled(_Invalid):
    code = "not_enrolled"
    template = "key {key} is not enrolled in this ledger"


class AlreadyEnrolled(_Invalid):
    code = "already_enrolled"
    template = "key {key} is already enrolled"


class KeyRevoked(_Invalid):
    code = "key_revoked"
    template = "key {key} has been revoked"


class OutOfJurisdiction(_Invalid):
    code = "out_of_jurisdiction"
    template = "key {key} (region {region}) has no authority over region {target}"


class RoleNotAllowed(_Invalid):
    code = "role_not_allowed"
    template = "role {role} may not {action}"


class WitnessRequired(_Invalid):
    code = "witness_required"
    template = "{action} must be co-signed by an enrolled witness"


class ExceptionRequired(_Invalid):
    code = "exception_required"
    template = "{detail}: this step is off the allowed path and needs a written exception"


class WrongDestination(_Invalid):
    code = "wrong_destination"
    template = (
        "item {item} is destined for {dest}, outside the receiver's region "
        "{region} (tertukar); give an exception to proceed"
    )


# --- handovers and chains ----------------------------------------------------

class WrongReceiver(_Invalid):
    code = "wrong_receiver"
    template = "handover {handover} is addressed to key {expected}, not {key}"


class HandoverClosed(_Invalid):
    code = "handover_closed"
    template = "handover {handover} is no longer open (already accepted or refused)"


class UnknownRecord(_Invalid):
    code = "unknown_record"
    template = "record {record} is not in this ledger"


class StaleRecord(_Invalid):
    code = "stale_record"
    template = (
        "record does not follow the current state of item {item} "
        "(expected previous record {expected}, got {got})"
    )


class DuplicateRecord(_Invalid):
    code = "duplicate_record"
    template = "record {record} is already in the ledger (replay)"


class BadTime(_Invalid):
    code = "bad_time"
    template = "record time {time} is earlier than {earlier}; check the device clock"


class FutureTime(_Invalid):
    code = "future_time"
    template = "record time {time} is more than {minutes} minutes after the ledger's clock ({now}); check the device clock"


# --- ledger ------------------------------------------------------------------

class WrongLedger(_Invalid):
    code = "wrong_ledger"
    template = "record belongs to ledger {got}, this is ledger {expected}"


class NotInitialised(_Invalid):
    code = "not_initialised"
    template = "the ledger has no genesis record yet"


class AlreadyInitialised(_Invalid):
    code = "already_initialised"
    template = "the ledger already has a genesis record"


class Conflict(SerahError):
    code = "conflict"
    template = "another custodian changed this item first; reload and try again"


# --- records, files, keys ----------------------------------------------------

class EncodingError(_Invalid):
    code = "encoding"
    template = "not canonical SCE: {detail}"


class BadRecord(_Invalid):
    code = "bad_record"
    template = "malformed record: {detail}"


class BadSignature(_Invalid):
    code = "bad_signature"
    template = "signature does not verify: {detail}"


class BadFile(_Invalid):
    code = "bad_file"
    template = "{path}: {detail}"


class WrongPassphrase(_Invalid):
    code = "wrong_passphrase"
    template = "wrong passphrase for key file {path}"


class BadKeyFile(_Invalid):
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
    "already_signed": "key {key} has already signed this record",
    "box_not_empty": "box {box} still holds items; list them too or open it first",
    "qty_lost_too_large": "item {item}: {qty_lost} lost, but only {qty} recorded",
    "empty_passphrase": "the passphrase must not be empty",
    "weak_passphrase": "the passphrase is too easy to guess (strength {score} of 4, at least {needed} needed): use several unrelated words",
    "not_a_handover": "record {record} is not a handover.prepare",
    "region_role_mismatch": "region '{region}' does not fit role {role}",
    "duplicate_value": "{value} is given twice",
    "record_too_large": "the record would be {size} bytes, over the limit of {limit} (SPEC 3.7): split it",
    "bad_text": "{field} holds {char}, a control or bidirectional formatting character (SPEC 2.2)",
    "bad_ledger_name": (
        "invalid ledger name '{name}': it is the transparency log's key name, so it must be"
        " non-empty, without spaces, '+' or control characters (e.g. serah.kpu.go.id/3101/pemilu-2024)"
    ),
}


class InvalidInput(_Invalid):
    """A refusal without its own class: the raiser gives ``code``.

    The codes and their parameters are the keys of
    :data:`INVALID_INPUT_TEMPLATES`; each needs an ``error.<code>`` entry in
    the CLI catalogs.
    """

    def __init__(self, code: str = "invalid_input", **params: object) -> None:
        self.code = code
        self.template = INVALID_INPUT_TEMPLATES.get(code, "{detail}")
        params.setdefault("detail", code.replace("_", " "))
        super().__init__(**params)
