"""Refusals only the server makes (the ledger's own are in ``ledger.errors``).

Each is a :class:`~ledger.errors.SerahError`, so the CLI shows it as one
translated line (``error.<code>``) with the exit status of its class.
"""

from __future__ import annotations

from ledger.errors import BadTime, Category, Conflict, SerahError


class FutureRecord(BadTime):
    """A record dated after the server's clock plus the tolerance: refused,
    so no one can sign now what will look like a later event."""

    code = "future_record"
    template = "record time {time} is {ahead} s ahead of the server's clock (at most {tolerance} s allowed)"


class TooLarge(SerahError):
    category = Category.INPUT
    code = "too_large"
    template = "the request body is larger than {limit} bytes"


class Malformed(SerahError):
    category = Category.INPUT
    code = "malformed_submission"
    template = "not a Serah record or handover file: {detail}"


class Busy(Conflict):
    """The queue is full or the server is stopping: come back in a moment."""

    code = "busy"
    template = "the server is busy; retry in {retry} s"


class RateLimited(Conflict):
    code = "rate_limited"
    template = "too many submissions signed by {key}; retry in {retry} s"


class NotDerived(SerahError):
    """The record's bytes are stored but failed the checks when the state was
    rebuilt: the row is evidence of tampering, and the record stays out."""

    category = Category.TAMPER
    code = "not_derived"
    template = "record {record} is stored but was not derived: {reason}"


class StorageMismatch(Conflict):
    """The database holds rows the signed records do not explain."""

    code = "storage_mismatch"
    template = "the database disagrees with the signed records ({detail}); the submission was not written"
