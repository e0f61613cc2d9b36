"""An item's custody state and how each step changes it (SPEC 4.8-4.17).

Written once, here: the ledger's aggregate (``ledger.domain.Item``) and the
custody view (``ledger.projections.custody``) both move an item through
:func:`after`, so they cannot drift apart (they did once: a refusal made a
lost item "held" again in one of them). Whether a step is *allowed* is the
custody rules' business (``ledger.rules``); this module only says where an
allowed step leads.
"""

from __future__ import annotations

__all__ = [
    "ACCEPT",
    "DESTROY",
    "DESTROYED",
    "HELD",
    "LOSE",
    "LOST",
    "PREPARE",
    "REFUSE",
    "STATES",
    "TRANSIT",
    "VOID",
    "VOIDED",
    "WITHDRAW",
    "after",
]

# --- the states ----------------------------------------------------------------------
HELD = "held"  #: with its holder
TRANSIT = "transit"  #: handed over, not yet accepted, refused or withdrawn
LOST = "lost"  #: its holder recorded it lost: nothing moves it again
DESTROYED = "destroyed"  #: destroyed under witness: nothing may follow
VOIDED = "voided"  #: a mistaken registration, voided (SPEC 4.17): nothing may follow
STATES = (HELD, TRANSIT, LOST, DESTROYED, VOIDED)

# --- the steps that change it ----------------------------------------------------------
PREPARE = "prepare"  #: handover.prepare (SPEC 4.8)
ACCEPT = "accept"  #: handover.accept
REFUSE = "refuse"  #: handover.refuse
WITHDRAW = "withdraw"  #: handover.withdraw (SPEC 4.16)
LOSE = "lose"  #: an incident by the holder recording the whole item lost (SPEC 4.11)
DESTROY = "destroy"  #: destroy (SPEC 4.12)
VOID = "void"  #: void (SPEC 4.17)

#: A closed handover returns an item in transit to its holder; an item that
#: was lost meanwhile stays lost (it can be refused, never accepted).
_BACK_FROM_TRANSIT = {TRANSIT: HELD}

_TO = {PREPARE: TRANSIT, ACCEPT: HELD, LOSE: LOST, DESTROY: DESTROYED, VOID: VOIDED}


def after(state: str, step: str) -> str:
    """The custody state of an item in ``state`` after ``step``."""
    to = _TO.get(step)
    if to is not None:
        return to
    if step in (REFUSE, WITHDRAW):
        return _BACK_FROM_TRANSIT.get(state, state)
    raise ValueError(f"unknown custody step {step!r}")
