"""The optional query parameters the reference documents on the reads: sent under their wire names, honoured by the
emulator, checked before any request. Sync and async, against the emulator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from conftest import EMULATOR_NOW, Emulated

import ordergroove as og

TODAY = EMULATOR_NOW.date()


async def collect(emulated: Emulated, fn: Callable[[Any], Any]) -> list[Any]:
    """Every record of the pager ``fn(client)`` returns."""
    return list(await emulated.run(lambda c: fn(c).to_list()))


def last_params(emulated: Emulated) -> dict[str, list[str]]:
    return dict(emulated.fake.requests[-1].params)


async def test_subscriptions_by_shipping_address(emulated: Emulated) -> None:
    fake = emulated.fake
    home = fake.add_address("c1", label="Home")["public_id"]
    work = fake.add_address("c1", label="Work")["public_id"]
    to_work = fake.add_subscription("c1", "SKU-1", shipping_address=work)["public_id"]
    fake.add_subscription("c1", "SKU-1", shipping_address=home)
    found = await collect(emulated, lambda c: c.subscriptions.list(customer="c1", shipping_address=work))
    assert [s.public_id for s in found] == [to_work]
    assert last_params(emulated)["shipping_address"] == [work]


async def test_subscriptions_created_on_a_day(emulated: Emulated) -> None:
    sub = emulated.fake.add_subscription("c1", "SKU-1")["public_id"]
    same_day = await collect(emulated, lambda c: c.subscriptions.list(customer="c1", created=TODAY))
    assert [s.public_id for s in same_day] == [sub]
    assert last_params(emulated)["created"] == [TODAY.isoformat()]
    other_day = TODAY - dt.timedelta(days=1)
    assert await collect(emulated, lambda c: c.subscriptions.list(customer="c1", created=other_day)) == []


async def test_orders_placed_or_created_on_a_day_with_has_plan(emulated: Emulated) -> None:
    fake = emulated.fake
    place = dt.datetime.combine(TODAY + dt.timedelta(days=9), dt.time(6))
    order = fake.add_order("c1", place=place)["public_id"]
    fake.add_order("c1", place=place + dt.timedelta(days=1))
    found = await collect(
        emulated, lambda c: c.orders.list(customer="c1", place=place.date(), created=TODAY, include_has_plan=True)
    )
    assert [(o.public_id, o.has_plan) for o in found] == [(order, False)]
    sent = last_params(emulated)
    assert (sent["place"], sent["created"], sent["include_has_plan"]) == (
        [place.date().isoformat()],
        [TODAY.isoformat()],
        ["true"],
    )
    # Without the flag the field is not there.
    [plain] = await collect(emulated, lambda c: c.orders.list(customer="c1", place=place.date()))
    assert plain.has_plan is None


async def test_order_retrieve_with_has_plan(emulated: Emulated) -> None:
    fake = emulated.fake
    prepaid = fake.add_subscription("c1", "SKU-1", prepaid=True)
    order = fake.upcoming_order(prepaid)
    assert order is not None
    read = await emulated.run(lambda c: c.orders.retrieve(order["public_id"], include_has_plan=True))
    assert read.has_plan is True
    assert last_params(emulated) == {"include_has_plan": ["true"]}
    assert (await emulated.run(lambda c: c.orders.retrieve(order["public_id"]))).has_plan is None


async def test_item_retrieve_without_the_price_calculation(emulated: Emulated) -> None:
    fake = emulated.fake
    order = fake.add_order("c1", items=[{"product": "SKU-1", "quantity": 2}])
    item = fake.items_of(order)[0]["public_id"]
    lean = await emulated.run(lambda c: c.items.retrieve(item, omit_price_calculation=True))
    assert (lean.public_id, lean.price, lean.total_price) == (item, None, None)
    assert last_params(emulated) == {"omit_price_calculation": ["true"]}
    full = await emulated.run(lambda c: c.items.retrieve(item, omit_price_calculation=False))
    assert full.price is not None and last_params(emulated) == {"omit_price_calculation": ["false"]}


async def test_products_with_what_the_include_flags_add(emulated: Emulated) -> None:
    fake = emulated.fake
    fake.add_product("SKU-1", price="10.00")
    found = await collect(
        emulated, lambda c: c.products.list(include_product_selection_rules=True, include_product_resource_grants=True)
    )
    assert [p.product_selection_rules for p in found] == [[]]
    assert found[0].extra["product_resource_grants"] == []  # the key is unconfirmed: kept in extra
    assert last_params(emulated) == {
        "include_product_selection_rules": ["true"],
        "include_product_resource_grants": ["true"],
        "page_size": ["100"],
    }
    read = await emulated.run(
        lambda c: c.products.retrieve(
            "SKU-1",
            include_product_selection_rules=True,
            include_product_free_trials=True,
            include_product_resource_grants=True,
        )
    )
    assert read.product_selection_rules == [] and read.extra["product_free_trials"] == []
    assert set(last_params(emulated)) == {
        "include_product_selection_rules",
        "include_product_free_trials",
        "include_product_resource_grants",
    }
    plain = await emulated.run(lambda c: c.products.retrieve("SKU-1"))
    assert plain.product_selection_rules is None and "product_free_trials" not in plain.extra


BAD: list[tuple[str, Callable[[Any], Any], str]] = [
    ("shipping_address empty", lambda c: c.subscriptions.list(shipping_address=""), "shipping_address"),
    ("created a datetime", lambda c: c.subscriptions.list(created=EMULATOR_NOW), "created"),
    ("orders place a string", lambda c: c.orders.list(place="2025-03-01"), "place"),
    ("orders created a datetime", lambda c: c.orders.list(created=EMULATOR_NOW), "created"),
    ("orders include_has_plan 1", lambda c: c.orders.list(include_has_plan=1), "include_has_plan"),
    ("order include_has_plan 'yes'", lambda c: c.orders.retrieve("o1", include_has_plan="yes"), "include_has_plan"),
    ("item omit_price_calculation 0", lambda c: c.items.retrieve("i1", omit_price_calculation=0), "omit_price"),
    (
        "products include flag 'true'",
        lambda c: c.products.list(include_product_selection_rules="true"),
        "include_product_selection_rules",
    ),
    (
        "product include flag None-ish",
        lambda c: c.products.retrieve("p1", include_product_free_trials=[]),
        "include_product_free_trials",
    ),
]


@pytest.mark.parametrize(("case", "fn", "names"), BAD, ids=[row[0] for row in BAD])
async def test_bad_values_are_refused_before_any_request(
    emulated: Emulated, case: str, fn: Callable[[Any], Any], names: str
) -> None:
    with pytest.raises(og.ConfigurationError, match=names):
        pager = await emulated.run(fn)
        await collect(emulated, lambda c: pager)
    assert emulated.fake.requests == []
