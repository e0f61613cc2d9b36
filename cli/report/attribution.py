"""Who exported a report, when, and for which case: the block a court reads first.

The exporter's name and the case are typed by a person and printed on a
document a court keeps, so they are bounded and may hold no control
character (a newline or an escape sequence would let one field forge the
look of another). The time is the moment the report was made, shown in
the ledger's local zone (WIB/WITA/WIT).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LIMIT = 200  # characters: a case number with a short description fits; a pasted document does not


@dataclass(frozen=True)
class Attribution:
    case: str | None
    exported_by: str | None
    at: int  # ms since the epoch, when the report was made


class BadText(ValueError):
    """A typed value the report refuses; ``why`` is a catalogue key, ``params`` its values."""

    def __init__(self, why: str, **params) -> None:
        super().__init__(why)
        self.why, self.params = why, params


def clean(value: str | None) -> str | None:
    """``value`` stripped, or :class:`BadText` for one that is empty, too long or holds a control character."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise BadText("error.report_text_empty")
    if len(text) > LIMIT:
        raise BadText("error.report_text_long", limit=LIMIT)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise BadText("error.report_text_control")
    return text
