"""The server answers each refusal by its category (one table), finer where HTTP names it."""

from __future__ import annotations

from ledger.errors import BadSignature, Category, Conflict, InvalidInput, NotHolder, UnknownItem
from ledger.server.app import STATUS_BY_CATEGORY, status_for
from ledger.server.errors import Busy, Malformed, RateLimited, StorageMismatch, TooLarge


def test_every_category_has_a_status():
    assert set(STATUS_BY_CATEGORY) == set(Category)


def test_refusals_are_answered_by_category_or_their_finer_http_name():
    assert status_for(Malformed(detail="x")) == 400
    assert status_for(BadSignature(record="ab")) == 422
    assert status_for(Busy(retry=1)) == status_for(StorageMismatch(detail="x")) == status_for(Conflict()) == 503
    assert status_for(TooLarge(limit=1)) == 413
    assert status_for(RateLimited(key="k", retry=1)) == 429
    assert status_for(UnknownItem(item="X")) == 404
    assert status_for(InvalidInput(code="self_handover")) == 409
    assert status_for(NotHolder(item="X")) == 409
