"""A refusal's HTTP status (SPEC 12.1), both ways, in one place.

The server answers a refusal by its category (``ledger.errors.Category``,
which each class carries and which is also the CLI's exit status), finer
where HTTP has a name for it. A client reads the category the answer names;
from a server that names none it takes the category the status implies,
which this module keeps beside the table it inverts.
"""

from __future__ import annotations

from ledger.errors import Category, SerahError

__all__ = ["FINER_STATUS", "STATUS_BY_CATEGORY", "category_for_status", "status_for"]

#: The one table: an error's category to its HTTP status.
STATUS_BY_CATEGORY = {
    Category.INPUT: 400,
    Category.REFUSED: 409,
    Category.TAMPER: 422,
    Category.CONFLICT: 503,
    Category.KEY: 400,
    Category.INTERNAL: 503,  #: stored rows that disagree with the records: nothing written, retry
}
#: Where HTTP has a finer name for a refusal than its category: by the refusal's code.
FINER_STATUS = {
    "too_large": 413,
    "rate_limited": 429,
    "unknown_item": 404,
    "unknown_record": 404,
    # custody refusals the rules raise as InvalidInput (their category is INPUT for the CLI)
    **dict.fromkeys(("self_handover", "root_not_revocable", "already_signed", "box_not_empty", "qty_mismatch",
                     "seals_mismatch", "contents_mismatch", "lines_mismatch", "not_a_handover",
                     "tally_mismatch"), 409),
}
#: The inverse, for an answer that names no category. Where two categories
#: share a status (400: INPUT, KEY; 503: CONFLICT, INTERNAL; 409 also for
#: the custody refusals above) it names the usual one: only the category in
#: the answer is exact.
_CATEGORY_BY_STATUS = {
    400: Category.INPUT,
    404: Category.INPUT,
    409: Category.REFUSED,
    413: Category.INPUT,
    422: Category.TAMPER,
    429: Category.CONFLICT,
    503: Category.CONFLICT,
}


def status_for(error: SerahError) -> int:
    """The HTTP status of a refusal: by its code where HTTP names it finer, else by its category."""
    return FINER_STATUS.get(error.code, STATUS_BY_CATEGORY.get(error.category, 409))


def category_for_status(status: int) -> Category:
    """The category an answer of ``status`` implies (REFUSED for a status no refusal has)."""
    return _CATEGORY_BY_STATUS.get(status, Category.REFUSED)
