"""Label text: an item id and its two check digits (README "Labels").

A label reads ``SG3101-00066+42``: the item id (SPEC 2.2), ``+`` (a
character no item id contains, so a label is never mistaken for an id) and
two decimal check digits computed with ISO 7064 MOD 97-10 over the id.

Each character of the id becomes two decimal digits, its place in
``0-9 A-Z . _ / -`` (``0`` -> 00 ... ``-`` -> 39), so no two ids give the
same digit string. On that string N the check is ``98 - (N * 100 mod 97)``
and a label is right when ``(N * 100 + check) mod 97 == 1``. Because 97 is
prime and every character differs from another by less than 97, a label
with one character changed, or two neighbouring characters swapped, always
fails: a mistyped or half-read label is refused, never taken for another
box. Why not Luhn: Luhn is for digits only, and our ids have letters.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ._/-"
SEPARATOR = "+"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def _number(item: str) -> int:
    return int("".join(f"{_VALUE[c]:02d}" for c in item))


def check_digits(item: str) -> str:
    """The two check digits of ``item`` (upper case, SPEC 2.2 characters)."""
    return f"{98 - (_number(item) * 100) % 97:02d}"


def label_text(item: str) -> str:
    """What a label prints and its QR code holds: ``ITEM+CC``."""
    return f"{item}{SEPARATOR}{check_digits(item)}"


def is_label(text: str) -> bool:
    return SEPARATOR in text


def split_label(text: str) -> tuple[str, str]:
    """``(item, check)`` of a label text; the caller checks ``item``'s form."""
    item, _, check = text.rpartition(SEPARATOR)
    return item, check


def valid(item: str, check: str) -> bool:
    """True when ``check`` is ``item``'s check digits (``item`` already in form)."""
    if len(check) != 2 or not check.isdigit() or not item or any(c not in _VALUE for c in item):
        return False
    return (_number(item) * 100 + int(check)) % 97 == 1
