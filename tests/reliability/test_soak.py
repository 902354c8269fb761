"""The fault soak (see ``_soak.py``): 20% of requests meet a fault of every kind, and nothing goes wrong.

The default run makes 300 calls; ``pytest -m soak`` makes the 2,000 of docs/reliability.md (the marker is
selected by ``tests/reliability/conftest.py``: without ``-m soak`` the big one is deselected, not skipped).
"""

from __future__ import annotations

import pytest

from ._soak import FAULT_KINDS, Figures, run_soak

EVERY_CALL = {
    "addresses.list+retrieve",
    "customers.list",
    "customers.retrieve",
    "customers.set_contact_details",
    "customers.summary",
    "items.list+retrieve",
    "merchant.cancel_reasons",
    "orders.cancel",
    "orders.change_place_date",
    "orders.list",
    "orders.retrieve",
    "orders.send_now",
    "orders.skip_subscription",
    "payments.list+retrieve",
    "products.list+retrieve",
    "subscriptions.cancel",
    "subscriptions.change_frequency",
    "subscriptions.change_next_order_date",
    "subscriptions.change_quantity",
    "subscriptions.list",
    "subscriptions.reactivate",
    "subscriptions.retrieve",
    "subscriptions.skip_next_order",
}


def check(figures: Figures, calls: int) -> None:
    # Every call returned a correct result (checked against the emulator's state) or raised an
    # OrdergrooveError; every successful action was applied exactly once; none was applied twice.
    assert figures.problems == []
    assert figures.applied_twice == 0
    assert (figures.calls, figures.sync_calls, figures.async_calls) == (calls, calls // 2, calls - calls // 2)
    assert set(figures.faults) == set(FAULT_KINDS)
    assert sum(figures.faults.values()) > 0.1 * figures.requests  # about 20% (at least 10% whatever the luck)
    assert figures.retries > 0
    assert figures.actions_ok > 0 and figures.outcomes["ok"] > figures.calls // 2
    # Every retry after a throttled answer with Retry-After waited exactly the seconds it announced.
    assert figures.retry_after_honoured == figures.retry_after_retries > 0
    assert set(figures.calls_by_name) <= EVERY_CALL


def test_soak_300_calls() -> None:
    figures = run_soak(300, seed=3)
    check(figures, 300)
    assert len(figures.calls_by_name) >= 18


@pytest.mark.soak
def test_soak_2000_calls() -> None:
    figures = run_soak(2000, seed=9)
    check(figures, 2000)
    assert set(figures.calls_by_name) == EVERY_CALL
