"""The item calls of the whole REST surface, sync and async, against the emulator: the request each sends, the
model it returns, the change read back after; arguments refused before any request; the retry rule of each call
after an ambiguous failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from api_table import retry_safe, rows
from conftest import Emulated

import ordergroove as og
from ordergroove.models import ComponentIds
from ordergroove.testing import FakeOrdergroove

Fn = Callable[[Any], Any]


@attrs.frozen
class World:
    """Customer c1's unsent order with one item of SKU-1 (2 x 5.00) and its address and payment."""

    order: str
    item: str
    address: str
    payment: str
    merchant: str


def world(fake: FakeOrdergroove) -> World:
    fake.add_product("SKU-1", price="5.00")
    fake.add_product("SKU-2", price="7.00")
    order = fake.add_order("c1", items=[{"product": "SKU-1", "quantity": 2}])
    return World(
        order=order["public_id"],
        item=fake.items_of(order)[0]["public_id"],
        address=order["shipping_address"],
        payment=order["payment"],
        merchant=fake.merchant_public_id,
    )


async def test_change_quantity(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.items.change_quantity(w.item, quantity=3))
    assert emulated.sent() == ("PATCH", f"/items/{w.item}/change_quantity/", {"quantity": 3})
    assert isinstance(changed, og.Item) and (changed.quantity, changed.total_price) == (3, Decimal("15.00"))
    order = await emulated.run(lambda c: c.orders.retrieve(w.order))
    assert order.sub_total == Decimal("15.00")


async def test_change_price_freezes_the_item(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.items.change_price(w.item, price=Decimal("4.25")))
    assert emulated.sent() == ("PATCH", f"/items/{w.item}/change_price/", {"price": "4.25"})
    assert isinstance(changed, og.Item)
    read = await emulated.run(lambda c: c.items.retrieve(w.item))
    assert (read.price, read.frozen, read.total_price) == (Decimal("4.25"), True, Decimal("8.50"))
    # A frozen price survives a product change.
    swapped = await emulated.run(lambda c: c.items.change_product(w.item, product="SKU-2"))
    assert (swapped.product, swapped.price) == ("SKU-2", Decimal("4.25"))


async def test_change_price_takes_a_whole_amount(emulated: Emulated) -> None:
    w = world(emulated.fake)
    await emulated.run(lambda c: c.items.change_price(w.item, price=6))
    assert emulated.sent()[2] == {"price": "6"}
    assert (await emulated.run(lambda c: c.items.retrieve(w.item))).price == Decimal("6.00")


async def test_change_product(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.items.change_product(w.item, product="SKU-2"))
    assert emulated.sent() == ("PATCH", f"/items/{w.item}/change_product/", {"product": "SKU-2"})
    assert isinstance(changed, og.Item) and (changed.product, changed.price) == ("SKU-2", Decimal("7.00"))
    assert (await emulated.run(lambda c: c.orders.retrieve(w.order))).sub_total == Decimal("14.00")


async def test_create_finds_the_matching_order(emulated: Emulated) -> None:
    w = world(emulated.fake)
    place = emulated.fake.orders[w.order]["place"]
    place_date = dt.date.fromisoformat(place[:10])
    created = await emulated.run(
        lambda c: c.items.create(
            merchant_id=w.merchant,
            customer_id="c1",
            shipping_id=w.address,
            payment_id=w.payment,
            offer_id="offer-1",
            product_id="SKU-2",
            place_date=place_date,
            quantity=2,
            contexts={"gift_note": "yes"},
        )
    )
    assert emulated.sent() == (
        "POST",
        "/items/create/",
        {
            "merchant_id": w.merchant,
            "customer_id": "c1",
            "shipping_id": w.address,
            "payment_id": w.payment,
            "offer_id": "offer-1",
            "product_id": "SKU-2",
            "place_date": place_date.strftime("%m/%d/%Y"),  # MM/DD/YYYY, as this call takes it
            "quantity": 2,
            "contexts": {"gift_note": "yes"},
        },
    )
    assert isinstance(created, og.Item)
    assert (created.order, created.product, created.quantity, created.one_time) == (w.order, "SKU-2", 2, True)
    assert await emulated.run(lambda c: c.items.retrieve(created.public_id)) == created
    listed = await emulated.run(lambda c: c.items.list(order=w.order).to_list())
    assert {i.public_id for i in listed} == {w.item, created.public_id}


async def test_create_makes_an_order_when_none_matches(emulated: Emulated) -> None:
    w = world(emulated.fake)
    created = await emulated.run(
        lambda c: c.items.create(
            merchant_id=w.merchant,
            customer_id="c1",
            shipping_id=w.address,
            payment_id=w.payment,
            offer_id="offer-1",
            product_id="SKU-2",
            place_date=dt.date(2025, 8, 1),
            quantity=1,
        )
    )
    assert emulated.sent()[2]["place_date"] == "08/01/2025" and "contexts" not in emulated.sent()[2]
    assert created.order != w.order
    order = await emulated.run(lambda c: c.orders.retrieve(created.order))
    assert (order.place, order.status) == (dt.datetime(2025, 8, 1), og.OrderStatus.UNSENT)


async def test_create_in_order(emulated: Emulated) -> None:
    w = world(emulated.fake)
    created = await emulated.run(
        lambda c: c.items.create_in_order(
            order=w.order,
            offer="offer-1",
            product="SKU-2",
            quantity=1,
            contexts={"gift_note": "yes"},
            components=["SKU-1"],
        )
    )
    assert emulated.sent() == (
        "POST",
        "/items/iu/",
        {
            "order": w.order,
            "offer": "offer-1",
            "product": "SKU-2",
            "quantity": 1,
            "contexts": {"gift_note": "yes"},
            "components": [{"product": "SKU-1"}],
        },
    )
    assert isinstance(created, og.Item)
    assert (created.order, created.one_time, created.components) == (w.order, True, [og.Component(product="SKU-1")])
    order = await emulated.run(lambda c: c.orders.retrieve(w.order))
    assert order.sub_total == Decimal("17.00")


async def test_delete_removes_the_item_from_its_order(emulated: Emulated) -> None:
    w = world(emulated.fake)
    other = await emulated.run(
        lambda c: c.items.create_in_order(order=w.order, offer="offer-1", product="SKU-2", quantity=1)
    )
    assert await emulated.run(lambda c: c.items.delete(other.public_id)) is None
    assert emulated.sent() == ("DELETE", f"/items/{other.public_id}/delete/", None)
    assert emulated.fake.requests[-1].status == 204
    listed = await emulated.run(lambda c: c.items.list(order=w.order).to_list())
    assert [i.public_id for i in listed] == [w.item]
    with pytest.raises(og.NotFoundError):
        await emulated.run(lambda c: c.items.retrieve(other.public_id))
    # The last item gone, the order is cancelled.
    await emulated.run(lambda c: c.items.delete(w.item))
    assert (await emulated.run(lambda c: c.orders.retrieve(w.order))).status == og.OrderStatus.CANCELLED


@pytest.mark.parametrize("body", [{"detail": "deleted"}, b""], ids=["json", "empty"])
async def test_delete_answered_200_returns_none(emulated: Emulated, body: Any) -> None:
    # The reference leaves the status unconfirmed (200 or 204): a 200, with a body or without, is a success too.
    w = world(emulated.fake)
    emulated.fake.faults.add(200, method="DELETE", body=body)
    assert await emulated.run(lambda c: c.items.delete(w.item)) is None
    assert [r.status for r in emulated.fake.requests] == [200]


async def test_update_sets_the_legacy_components(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.items.update(w.item, components=["SKU-1", "SKU-2"]))
    assert emulated.sent() == ("PATCH", f"/items/{w.item}/update/", {"components": "SKU-1,SKU-2"})
    assert isinstance(changed, og.Item)
    read = await emulated.run(lambda c: c.items.retrieve(w.item))
    assert isinstance(read.components, ComponentIds) and read.components.product_ids == ("SKU-1", "SKU-2")
    assert read.quantity == 2  # nothing else changes
    await emulated.run(lambda c: c.items.update(w.item, components="SKU-2"))
    assert emulated.sent()[2] == {"components": "SKU-2"}


async def test_ordergroove_refusals_come_through_typed(emulated: Emulated) -> None:
    w = world(emulated.fake)
    with pytest.raises(og.BadRequestError) as caught:
        await emulated.run(lambda c: c.items.change_product(w.item, product="nope"))
    assert caught.value.field_errors == {"product": ['Invalid pk "nope" - object does not exist.']}
    with pytest.raises(og.NotFoundError):
        await emulated.run(lambda c: c.items.delete("nope"))


# -- arguments are checked before any request ------------------------------------------------------------------

I = "item-1"  # noqa: E741
CREATE: dict[str, Any] = {
    "merchant_id": "m1",
    "customer_id": "c1",
    "shipping_id": "a1",
    "payment_id": "p1",
    "offer_id": "offer-1",
    "product_id": "SKU-2",
    "place_date": dt.date(2025, 8, 1),
    "quantity": 1,
}
BAD: list[tuple[str, Fn, str]] = [
    ("quantity 0", lambda c: c.items.change_quantity(I, quantity=0), "quantity"),
    ("quantity str", lambda c: c.items.change_quantity(I, quantity="2"), "quantity"),
    ("price float", lambda c: c.items.change_price(I, price=4.25), "price"),
    ("price str", lambda c: c.items.change_price(I, price="4.25"), "price"),
    ("price negative", lambda c: c.items.change_price(I, price=Decimal("-0.01")), "price"),
    ("price infinite", lambda c: c.items.change_price(I, price=Decimal("Infinity")), "price"),
    ("product empty", lambda c: c.items.change_product(I, product=""), "product"),
    ("update components empty", lambda c: c.items.update(I, components=""), "components"),
    ("update components list of int", lambda c: c.items.update(I, components=[1]), "components[0]"),
    ("update components None", lambda c: c.items.update(I, components=None), "components"),
    ("create place_date str", lambda c: c.items.create(**CREATE | {"place_date": "08/01/2025"}), "place_date"),
    (
        "create place_date datetime",
        lambda c: c.items.create(**CREATE | {"place_date": dt.datetime(2025, 8, 1)}),
        "place_date",
    ),
    ("create customer empty", lambda c: c.items.create(**CREATE | {"customer_id": ""}), "customer_id"),
    ("create quantity 0", lambda c: c.items.create(**CREATE | {"quantity": 0}), "quantity"),
    ("create contexts list", lambda c: c.items.create(**CREATE | {"contexts": ["gift"]}), "contexts"),
    ("create contexts bytes", lambda c: c.items.create(**CREATE | {"contexts": {"a": b"x"}}), "contexts"),
    (
        "create_in_order order None",
        lambda c: c.items.create_in_order(order=None, offer="o", product="SKU-1", quantity=1),
        "order",
    ),
    (
        "create_in_order components mapping",
        lambda c: c.items.create_in_order(order="o1", offer="o", product="SKU-1", quantity=1, components={"a": 1}),
        "components",
    ),
    ("delete id empty", lambda c: c.items.delete(""), "item_id"),
    ("delete id dots", lambda c: c.items.delete(".."), "item_id"),
]


@pytest.mark.parametrize(("case", "fn", "names"), BAD, ids=[row[0] for row in BAD])
async def test_bad_arguments_are_refused_before_any_request(emulated: Emulated, case: str, fn: Fn, names: str) -> None:
    await emulated.check_refused(fn, names)


# -- the retry rule of each call after an ambiguous failure ---------------------------------------------------

RESOURCE = "items"
RETRY: list[tuple[str, Callable[[World], Fn]]] = [
    ("retrieve", lambda w: lambda c: c.items.retrieve(w.item)),
    ("change_quantity", lambda w: lambda c: c.items.change_quantity(w.item, quantity=3)),
    ("change_price", lambda w: lambda c: c.items.change_price(w.item, price=Decimal("3.00"))),
    ("change_product", lambda w: lambda c: c.items.change_product(w.item, product="SKU-2")),
    ("update", lambda w: lambda c: c.items.update(w.item, components="SKU-1")),
    (
        "create",
        lambda w: (
            lambda c: c.items.create(
                **CREATE
                | {"merchant_id": w.merchant, "shipping_id": w.address, "payment_id": w.payment, "product_id": "SKU-1"}
            )
        ),
    ),
    (
        "create_in_order",
        lambda w: lambda c: c.items.create_in_order(order=w.order, offer="offer-1", product="SKU-2", quantity=1),
    ),
    ("delete", lambda w: lambda c: c.items.delete(w.item)),
]


@pytest.mark.parametrize("fault", ["503", "drop-after"])
@pytest.mark.parametrize(("name", "make"), RETRY, ids=[row[0] for row in RETRY])
async def test_the_retry_rule_after_an_ambiguous_failure(
    emulated: Emulated, name: str, make: Callable[[World], Fn], fault: str
) -> None:
    fn = make(world(emulated.fake))
    await emulated.check_retry_rule(fn, fault=fault, retry_safe=retry_safe(f"{RESOURCE}.{name}"))


def test_the_retry_table_has_every_call_of_docs_api() -> None:
    calls = {call.split(".", 1)[1] for *_, call, _, _ in rows() if call.startswith(f"{RESOURCE}.")}
    assert {name for name, _ in RETRY} == calls - {"list"}
