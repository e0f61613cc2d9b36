"""An item's custody state moves the same way in the ledger and in its views:
both go through ``ledger.transitions.after``."""

from __future__ import annotations

import itertools

import pytest

from ledger import transitions as tr

STEPS = (tr.PREPARE, tr.ACCEPT, tr.REFUSE, tr.WITHDRAW, tr.LOSE, tr.DESTROY, tr.VOID)


@pytest.mark.parametrize("state, step", list(itertools.product(tr.STATES, STEPS)))
def test_every_step_from_every_state_leads_to_a_state(state, step):
    assert tr.after(state, step) in tr.STATES


@pytest.mark.parametrize("step", [tr.REFUSE, tr.WITHDRAW])
def test_a_closed_handover_returns_an_item_in_transit_and_leaves_a_lost_one_lost(step):
    assert tr.after(tr.TRANSIT, step) == tr.HELD
    assert tr.after(tr.LOST, step) == tr.LOST
    assert tr.after(tr.HELD, step) == tr.HELD


def test_the_steps_that_set_a_state():
    assert tr.after(tr.HELD, tr.PREPARE) == tr.TRANSIT
    assert tr.after(tr.TRANSIT, tr.ACCEPT) == tr.HELD
    assert tr.after(tr.HELD, tr.LOSE) == tr.LOST
    assert tr.after(tr.HELD, tr.DESTROY) == tr.DESTROYED
    assert tr.after(tr.HELD, tr.VOID) == tr.VOIDED


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError):
        tr.after(tr.HELD, "teleport")


def test_the_aggregate_and_the_view_use_the_one_table():
    """Neither writes a state by hand: each assignment of a state goes through ``after``."""
    import inspect

    from ledger import domain
    from ledger.projections import custody

    for module, attribute in ((domain, "item.state = "), (custody, "item.custody = ")):
        lines = [ln.strip() for ln in inspect.getsource(module).splitlines() if attribute in ln]
        assert lines, module.__name__
        assert all(f"{attribute}after(" in ln for ln in lines), (module.__name__, lines)
