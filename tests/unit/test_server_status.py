"""The server answers each refusal by its category (one table), finer where HTTP names it."""

from __future__ import annotations

from ledger.errors import BadSignature, Category, Conflict, InvalidInput, NotHolder, UnknownItem
from ledger.server.errors import Busy, Malformed, RateLimited, StorageMismatch, TooLarge
from ledger.server.status import STATUS_BY_CATEGORY, category_for_status, status_for


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


def test_a_status_implies_the_category_that_answers_with_it():
    """What a client falls back on when an answer names no category: for
    every category, its own status leads back to a category answered with
    that status (one of two where two share it)."""
    for status in STATUS_BY_CATEGORY.values():
        assert STATUS_BY_CATEGORY[category_for_status(status)] == status
    assert category_for_status(422) is Category.TAMPER
    assert category_for_status(404) is Category.INPUT
    assert category_for_status(418) is Category.REFUSED
