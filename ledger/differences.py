"""What an acceptance observed that differs from what was declared.

One rule, used by the two places that report it: the discrepancy register
(``projections/discrepancies.py``, built from every acceptance in the log)
and the answer ``serah handover accept`` prints to the receiver at the
moment of signing. Written once so that the receiver is never told "no
difference" for a line the register will later list, or the other way round.

The rule, per item line (SPEC 4.9):

* ``qty``: a count was observed and it is not the declared count (no
  declared count: nothing to compare);
* ``seals``: seal numbers were observed and they are not the declared ones
  (SPEC keeps both lists sorted, so list equality is set equality);
* ``condition``: the condition observed (when none is given, the item's
  condition as last recorded) is not that last recorded condition. A
  condition carries forward: a box already recorded as damaged and accepted
  as damaged again is no new difference, and one accepted as ``ok`` after
  being recorded damaged is one.

Pure: no storage, no clock; a function of its arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["NONE", "differences"]

#: The common answer, shared: most lines agree, and this path allocates nothing.
NONE: tuple[tuple[str, Any, Any], ...] = ()


def differences(
    declared_qty: int | None,
    declared_seals: Sequence[str] | None,
    known_condition: str | None,
    qty: int | None,
    seals: Sequence[str] | None,
    condition: str | None,
) -> tuple[tuple[str, Any, Any], ...]:
    """``(field, declared, observed)`` for each field that differs, in the
    order qty, seals, condition; :data:`NONE` when the line agrees."""
    known = known_condition or "ok"
    if condition is None:
        condition = known
    qty_differs = qty is not None and declared_qty is not None and qty != declared_qty
    seals_differ = seals is not None and list(seals) != list(declared_seals or ())
    if not (qty_differs or seals_differ or condition != known):
        return NONE
    out: list[tuple[str, Any, Any]] = []
    if qty_differs:
        out.append(("qty", declared_qty, qty))
    if seals_differ:
        out.append(("seals", declared_seals, seals))
    if condition != known:
        out.append(("condition", known, condition))
    return tuple(out)
