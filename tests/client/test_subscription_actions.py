"""The subscription calls of the whole REST surface, sync and async, against the emulator: the request each sends,
the model it returns, the change read back after; arguments refused before any request; the retry rule of each
call after an ambiguous failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from api_table import TABLE as API_MD
from api_table import retry_rule, retry_safe, rows
from conftest import Emulated

import ordergroove as og
from ordergroove.models import JSONText
from ordergroove.testing import FakeOrdergroove

Fn = Callable[[Any], Any]
SESSION = "ac4f7938383a11e89ecbbc764e1107f2.896371.1539022086"


@attrs.frozen
class World:
    """The records the tests act on: customer c1's live subscription (with its upcoming order), a second address
    and payment of c1, a prepaid subscription, a bundle subscription, an order holding a one-time item, a canceled
    subscription, and a live one to a product eligible for prepaid."""

    sub: str
    order: str
    order_payment: str
    order_address: str
    payment: str
    address: str
    prepaid: str
    bundle: str
    components: tuple[str, str]
    one_time_item: str
    merchant: str
    canceled: str
    eligible: str


def world(fake: FakeOrdergroove) -> World:
    fake.add_product("SKU-1", price="10.00")
    fake.add_product("SKU-2", price="4.00", every=2, every_period=2)
    sub = fake.add_subscription("c1", "SKU-1", quantity=2)
    order = fake.upcoming_order(sub)
    assert order is not None
    prepaid = fake.add_subscription(
        "c1",
        "SKU-1",
        prepaid={"prepaid_orders_remaining": 2, "prepaid_orders_per_billing": 3, "renewal_behavior": "autorenew"},
    )
    bundle = fake.add_subscription(
        "c1",
        "SKU-1",
        components=[
            {"public_id": "comp-a", "quantity": 1, "product": "SKU-1"},
            {"public_id": "comp-b", "quantity": 2, "product": "SKU-2"},
        ],
    )
    impulse = fake.add_order("c1", items=[{"product": "SKU-2", "quantity": 3}])
    fake.add_product("SKU-3", price="6.00")
    fake.add_product_group("eligibility", "prepaid", products=["SKU-3"])
    return World(
        sub=sub["public_id"],
        order=order["public_id"],
        order_payment=order["payment"],
        order_address=order["shipping_address"],
        payment=fake.add_payment("c1", label="Amex")["public_id"],
        address=fake.add_address("c1", label="Work")["public_id"],
        prepaid=prepaid["public_id"],
        bundle=bundle["public_id"],
        components=("comp-a", "comp-b"),
        one_time_item=fake.items_of(impulse)[0]["public_id"],
        merchant=fake.merchant_public_id,
        canceled=fake.add_subscription("c1", "SKU-1", live=False)["public_id"],
        eligible=fake.add_subscription("c1", "SKU-3")["public_id"],
    )


# -- each call: the request, the model, the change read back -------------------------------------------------


async def test_change_payment(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.subscriptions.change_payment(w.sub, payment=w.payment))
    assert emulated.sent() == ("PATCH", f"/subscriptions/{w.sub}/change_payment/", {"payment": w.payment})
    assert isinstance(changed, og.Subscription) and changed.payment == w.payment
    assert (await emulated.run(lambda c: c.subscriptions.retrieve(w.sub))).payment == w.payment


async def test_change_email_reminder(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.subscriptions.change_email_reminder(w.sub, reminder_days=7))
    assert emulated.sent() == ("PATCH", f"/subscriptions/{w.sub}/change_email_reminder/", {"reminder_days": 7})
    assert isinstance(changed, og.Subscription) and changed.reminder_days == 7
    assert (await emulated.run(lambda c: c.subscriptions.retrieve(w.sub))).reminder_days == 7


async def test_update_sends_the_fields_given_in_their_wire_form(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(
        lambda c: c.subscriptions.update(
            w.sub,
            extra_data={"gift": True, "note": "for Ada"},
            price=Decimal("0.00"),
            components=["SKU-2", og.Component(product="SKU-1", quantity=2)],
            offer="offer-2",
            cancel_reason="4|Overstocked",
        )
    )
    assert emulated.sent() == (
        "PATCH",
        f"/subscriptions/{w.sub}/update/",
        {
            "extra_data": '{"gift":true,"note":"for Ada"}',
            "price": "0.00",
            "components": [{"product": "SKU-2"}, {"product": "SKU-1", "quantity": 2}],
            "offer": "offer-2",
            "cancel_reason": "4|Overstocked",
        },
    )
    assert isinstance(changed, og.Subscription)
    read = await emulated.run(lambda c: c.subscriptions.retrieve(w.sub))
    assert isinstance(read.extra_data, JSONText) and read.extra_data.value == {"gift": True, "note": "for Ada"}
    assert (read.price, read.offer, read.cancel_reason_code) == (Decimal("0.00"), "offer-2", 4)
    assert read.components == [og.Component(product="SKU-2"), og.Component(product="SKU-1", quantity=2)]
    assert read.live is True  # a cancel reason is only stored


async def test_update_leaves_out_what_is_not_given(emulated: Emulated) -> None:
    w = world(emulated.fake)
    await emulated.run(lambda c: c.subscriptions.update(w.sub, extra_data='{"a": 1}'))
    assert emulated.sent()[2] == {"extra_data": '{"a": 1}'}
    read = await emulated.run(lambda c: c.subscriptions.retrieve(w.sub))
    assert read.price is None and read.extra_data == '{"a": 1}'


async def test_create_in_order(emulated: Emulated) -> None:
    w = world(emulated.fake)
    created = await emulated.run(
        lambda c: c.subscriptions.create_in_order(
            merchant=w.merchant,
            customer="c1",
            product="SKU-2",
            offer="offer-1",
            order=w.order,
            session_id=SESSION,
            payment=w.order_payment,
            shipping_address=w.order_address,
            quantity=3,
            every=2,
            every_period=og.Period.WEEKS,
            price=Decimal("3.50"),
            extra_data={"cat_name": "Charlie"},
            components=[og.Component(product="SKU-1", quantity=1)],
        )
    )
    assert emulated.sent() == (
        "POST",
        "/subscriptions/iu/",
        {
            "merchant": w.merchant,
            "customer": "c1",
            "product": "SKU-2",
            "offer": "offer-1",
            "order": w.order,
            "session_id": SESSION,
            "payment": w.order_payment,
            "shipping_address": w.order_address,
            "quantity": 3,
            "every": 2,
            "every_period": 2,
            "price": "3.50",
            "extra_data": '{"cat_name":"Charlie"}',
            "components": [{"product": "SKU-1", "quantity": 1}],
        },
    )
    assert isinstance(created, og.Subscription)
    assert (created.product, created.quantity, created.every_period, created.price) == (
        "SKU-2",
        3,
        og.Period.WEEKS,
        Decimal("3.50"),
    )
    assert await emulated.run(lambda c: c.subscriptions.retrieve(created.public_id)) == created
    # Its first shipment rides in the given order.
    items = await emulated.run(lambda c: c.items.list(order=w.order).to_list())
    assert [(i.product, i.quantity) for i in items if i.subscription == created.public_id] == [("SKU-2", 3)]


async def test_create_from_item(emulated: Emulated) -> None:
    w = world(emulated.fake)
    created = await emulated.run(
        lambda c: c.subscriptions.create_from_item(item=w.one_time_item, every=3, every_period=og.Period.MONTHS)
    )
    assert emulated.sent() == (
        "POST",
        "/subscriptions/create_from_item/",
        {"item": w.one_time_item, "every": 3, "every_period": 3},
    )
    assert isinstance(created, og.Subscription)
    assert (created.product, created.quantity, created.every, created.every_period) == ("SKU-2", 3, 3, 3)
    item = await emulated.run(lambda c: c.items.retrieve(w.one_time_item))
    assert (item.subscription, item.one_time) == (created.public_id, False)


async def test_create_from_item_takes_the_products_frequency_by_default(emulated: Emulated) -> None:
    w = world(emulated.fake)
    created = await emulated.run(lambda c: c.subscriptions.create_from_item(item=w.one_time_item))
    assert emulated.sent()[2] == {"item": w.one_time_item}
    assert (created.every, created.every_period) == (2, og.Period.WEEKS)


async def test_change_product(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.subscriptions.change_product(w.sub, product="SKU-2"))
    assert emulated.sent() == ("PATCH", f"/subscriptions/{w.sub}/change_product/", {"product": "SKU-2"})
    assert isinstance(changed, og.Subscription) and changed.product == "SKU-2"
    # The upcoming order ships the new product.
    items = await emulated.run(lambda c: c.items.list(order=w.order).to_list())
    assert [i.product for i in items if i.subscription == w.sub] == ["SKU-2"]


async def test_rotation_ordinal_read_set_and_read_back(emulated: Emulated) -> None:
    w = world(emulated.fake)
    context = await emulated.run(lambda c: c.subscriptions.retrieve_rotation_ordinal(w.sub, "SKU-1"))
    # No trailing slash on this path.
    assert emulated.sent() == ("GET", f"/subscriptions/{w.sub}/rotation_ordinal/SKU-1", None)
    assert context == og.RotationOrdinalContext(ordinal=1, rotating_product="SKU-1", subscription=w.sub, active=True)
    updated = await emulated.run(
        lambda c: c.subscriptions.set_rotation_ordinal(w.sub, rotating_product="SKU-1", ordinal=3)
    )
    assert emulated.sent() == (
        "PATCH",
        f"/subscriptions/{w.sub}/rotation_ordinal/update/",
        {"rotating_product": "SKU-1", "ordinal": 3},
    )
    assert updated == og.RotationOrdinalUpdate(ordinal=3, rotation_product="SKU-1", subscription=w.sub)
    again = await emulated.run(lambda c: c.subscriptions.retrieve_rotation_ordinal(w.sub, "SKU-1"))
    assert again.ordinal == 3


async def test_set_rotation_ordinal_without_an_ordinal_sends_the_product_only(emulated: Emulated) -> None:
    w = world(emulated.fake)
    await emulated.run(lambda c: c.subscriptions.set_rotation_ordinal(w.sub, rotating_product="SKU-1"))
    assert emulated.sent()[2] == {"rotating_product": "SKU-1"}


async def test_update_prepaid_context(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(
        lambda c: c.subscriptions.update_prepaid_context(w.prepaid, orders_remaining=1, orders_per_billing=4)
    )
    assert emulated.sent() == (
        "PATCH",
        f"/subscriptions/{w.prepaid}/update_prepaid_context/",
        {"orders_remaining": 1, "orders_per_billing": 4},
    )
    assert isinstance(changed, og.Subscription)
    context = (await emulated.run(lambda c: c.subscriptions.retrieve(w.prepaid))).prepaid_subscription_context
    assert (context["prepaid_orders_remaining"], context["prepaid_orders_per_billing"]) == (1, 4)


async def test_update_prepaid_context_downgrade_with_none_left(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(
        lambda c: c.subscriptions.update_prepaid_context(w.prepaid, orders_remaining=0, renewal_behavior="downgrade")
    )
    assert emulated.sent()[2] == {"orders_remaining": 0, "renewal_behavior": "downgrade"}
    # No prepaid shipment left and "downgrade": the subscription goes on, pay-as-you-go.
    assert changed.is_active and not changed.is_prepaid


async def test_change_renewal_behavior(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(
        lambda c: c.subscriptions.change_renewal_behavior(w.prepaid, renewal_behavior="cancel")
    )
    assert emulated.sent() == (
        "PATCH",
        f"/subscriptions/{w.prepaid}/change_renewal_behavior/",
        {"renewal_behavior": "cancel"},
    )
    assert isinstance(changed, og.Subscription)
    read = await emulated.run(lambda c: c.subscriptions.retrieve(w.prepaid))
    assert read.prepaid_subscription_context["renewal_behavior"] == "cancel"


async def test_upgrade_to_prepaid(emulated: Emulated) -> None:
    w = world(emulated.fake)
    emulated.fake.add_product_group("eligibility", "prepaid", products=["SKU-1"])
    upgraded = await emulated.run(
        lambda c: c.subscriptions.upgrade_to_prepaid(w.sub, orders_per_billing=3, renewal_behavior="downgrade")
    )
    assert emulated.sent() == (
        "PATCH",
        f"/subscriptions/{w.sub}/upgrade_to_prepaid/",
        {"orders_per_billing": 3, "renewal_behavior": "downgrade"},
    )
    assert isinstance(upgraded, og.Subscription) and upgraded.is_prepaid
    context = upgraded.prepaid_subscription_context
    assert context is not None
    assert (context["prepaid_orders_remaining"], context["prepaid_orders_per_billing"]) == (0, 3)
    # The next order is the renewal that charges the whole cycle: 3 shipments of 2 x 10.00.
    items = await emulated.run(lambda c: c.items.list(order=w.order).to_list())
    assert [(i.price, i.quantity, i.total_price) for i in items if i.subscription == w.sub] == [
        (Decimal("30.00"), 2, Decimal("60.00"))
    ]


async def test_retrieve_component(emulated: Emulated) -> None:
    w = world(emulated.fake)
    component = await emulated.run(lambda c: c.subscriptions.retrieve_component("comp-b"))
    assert emulated.sent() == ("GET", "/subscriptions/components/comp-b/", None)
    assert component == og.Component(public_id="comp-b", quantity=2, product="SKU-2")
    assert w.components == ("comp-a", "comp-b")


async def test_update_components(emulated: Emulated) -> None:
    w = world(emulated.fake)
    first = await emulated.run(lambda c: c.subscriptions.retrieve_component("comp-a"))
    changed = await emulated.run(
        lambda c: c.subscriptions.update_components(
            w.bundle,
            create=[og.Component(product="SKU-2", quantity=4)],
            update=[attrs.evolve(first, quantity=5)],  # a component read back, with a new quantity
            delete=["comp-b"],
        )
    )
    assert emulated.sent() == (
        "POST",
        f"/subscriptions/{w.bundle}/components/bulk_operation/",
        {
            "create": [{"product": "SKU-2", "quantity": 4}],
            "update": [{"public_id": "comp-a", "quantity": 5}],
            "delete": ["comp-b"],
        },
    )
    assert isinstance(changed, og.Subscription)
    assert isinstance(changed.components, list)
    assert [(c.product, c.quantity) for c in changed.components] == [("SKU-1", 5), ("SKU-2", 4)]
    added = changed.components[1].public_id
    assert (await emulated.run(lambda c: c.subscriptions.retrieve_component(added))).quantity == 4
    with pytest.raises(og.NotFoundError):
        await emulated.run(lambda c: c.subscriptions.retrieve_component("comp-b"))


async def test_update_components_takes_mappings_and_product_ids(emulated: Emulated) -> None:
    w = world(emulated.fake)
    await emulated.run(
        lambda c: c.subscriptions.update_components(
            w.bundle,
            create=["SKU-1", {"product": "SKU-2", "quantity": 2}],
            update=[{"public_id": "comp-a", "quantity": 3}],
        )
    )
    assert emulated.sent()[2] == {
        "create": [{"product": "SKU-1"}, {"product": "SKU-2", "quantity": 2}],
        "update": [{"public_id": "comp-a", "quantity": 3}],
    }


async def test_ordergroove_refusals_come_through_typed(emulated: Emulated) -> None:
    w = world(emulated.fake)
    with pytest.raises(og.BadRequestError) as caught:
        await emulated.run(lambda c: c.subscriptions.upgrade_to_prepaid(w.sub, orders_per_billing=3))
    assert caught.value.detail == "This product is not eligible for prepaid subscriptions."
    with pytest.raises(og.BadRequestError) as refused:
        await emulated.run(lambda c: c.subscriptions.change_renewal_behavior(w.sub, renewal_behavior="cancel"))
    assert refused.value.detail == "This subscription is not prepaid."
    with pytest.raises(og.NotFoundError):
        await emulated.run(lambda c: c.subscriptions.change_product("nope", product="SKU-2"))


# -- arguments are checked before any request ------------------------------------------------------------------

S = "sub-1"
CREATE_IN_ORDER: dict[str, Any] = {
    "merchant": "m1",
    "customer": "c1",
    "product": "SKU-2",
    "offer": "offer-1",
    "order": "o1",
    "session_id": SESSION,
    "payment": "p1",
    "shipping_address": "a1",
    "quantity": 1,
    "every": 1,
    "every_period": og.Period.MONTHS,
}
BAD: list[tuple[str, Fn, str]] = [
    ("payment empty", lambda c: c.subscriptions.change_payment(S, payment=""), "payment"),
    ("payment None", lambda c: c.subscriptions.change_payment(S, payment=None), "payment"),
    ("payment int", lambda c: c.subscriptions.change_payment(S, payment=7), "payment"),
    ("reminder below 5", lambda c: c.subscriptions.change_email_reminder(S, reminder_days=4), "reminder_days"),
    ("reminder str", lambda c: c.subscriptions.change_email_reminder(S, reminder_days="7"), "reminder_days"),
    ("reminder bool", lambda c: c.subscriptions.change_email_reminder(S, reminder_days=True), "reminder_days"),
    ("reminder float", lambda c: c.subscriptions.change_email_reminder(S, reminder_days=7.0), "reminder_days"),
    ("update nothing", lambda c: c.subscriptions.update(S), "at least one"),
    ("update price float", lambda c: c.subscriptions.update(S, price=9.5), "price"),
    ("update price str", lambda c: c.subscriptions.update(S, price="9.50"), "price"),
    ("update price negative", lambda c: c.subscriptions.update(S, price=Decimal("-1")), "price"),
    ("update price NaN", lambda c: c.subscriptions.update(S, price=Decimal("NaN")), "price"),
    ("update extra_data not JSON", lambda c: c.subscriptions.update(S, extra_data="gift"), "extra_data"),
    ("update extra_data list", lambda c: c.subscriptions.update(S, extra_data=["gift"]), "extra_data"),
    (
        "update extra_data date",
        lambda c: c.subscriptions.update(S, extra_data={"on": dt.date(2025, 1, 1)}),
        "extra_data",
    ),
    ("update components str", lambda c: c.subscriptions.update(S, components="SKU-1"), "components"),
    ("update components empty", lambda c: c.subscriptions.update(S, components=[]), "components"),
    ("update components int", lambda c: c.subscriptions.update(S, components=[1]), "components[0]"),
    (
        "update component without product",
        lambda c: c.subscriptions.update(S, components=[og.Component(quantity=1)]),
        "components[0]",
    ),
    ("update offer empty", lambda c: c.subscriptions.update(S, offer=" "), "offer"),
    ("update cancel_reason int", lambda c: c.subscriptions.update(S, cancel_reason=4), "cancel_reason"),
    (
        "create_in_order quantity 0",
        lambda c: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "quantity": 0}),
        "quantity",
    ),
    (
        "create_in_order every_period 9",
        lambda c: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "every_period": 9}),
        "every_period",
    ),
    (
        "create_in_order session empty",
        lambda c: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "session_id": ""}),
        "session_id",
    ),
    (
        "create_in_order order None",
        lambda c: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "order": None}),
        "order",
    ),
    (
        "create_in_order price float",
        lambda c: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "price": 1.5}),
        "price",
    ),
    ("create_from_item no item", lambda c: c.subscriptions.create_from_item(item=""), "item"),
    ("create_from_item every 0", lambda c: c.subscriptions.create_from_item(item="i1", every=0), "every"),
    (
        "create_from_item period",
        lambda c: c.subscriptions.create_from_item(item="i1", every_period="weeks"),
        "every_period",
    ),
    ("change_product None", lambda c: c.subscriptions.change_product(S, product=None), "product"),
    ("rotation product empty", lambda c: c.subscriptions.retrieve_rotation_ordinal(S, ""), "product_id"),
    ("rotation product path", lambda c: c.subscriptions.retrieve_rotation_ordinal(S, ".."), "product_id"),
    (
        "set ordinal 0",
        lambda c: c.subscriptions.set_rotation_ordinal(S, rotating_product="SKU-1", ordinal=0),
        "ordinal",
    ),
    (
        "set ordinal product",
        lambda c: c.subscriptions.set_rotation_ordinal(S, rotating_product=None),
        "rotating_product",
    ),
    ("prepaid nothing", lambda c: c.subscriptions.update_prepaid_context(S), "at least one"),
    (
        "prepaid remaining -1",
        lambda c: c.subscriptions.update_prepaid_context(S, orders_remaining=-1),
        "orders_remaining",
    ),
    (
        "prepaid per billing 0",
        lambda c: c.subscriptions.update_prepaid_context(S, orders_per_billing=0),
        "orders_per_billing",
    ),
    (
        "prepaid behaviour",
        lambda c: c.subscriptions.update_prepaid_context(S, renewal_behavior="sometimes"),
        "renewal_behavior",
    ),
    (
        "renewal case",
        lambda c: c.subscriptions.change_renewal_behavior(S, renewal_behavior="AUTORENEW"),
        "renewal_behavior",
    ),
    ("upgrade 1", lambda c: c.subscriptions.upgrade_to_prepaid(S, orders_per_billing=1), "orders_per_billing"),
    (
        "upgrade behaviour",
        lambda c: c.subscriptions.upgrade_to_prepaid(S, orders_per_billing=2, renewal_behavior=""),
        "renewal_behavior",
    ),
    ("component id empty", lambda c: c.subscriptions.retrieve_component(""), "component_public_id"),
    ("components nothing", lambda c: c.subscriptions.update_components(S), "at least one"),
    (
        "components unknown key",
        lambda c: c.subscriptions.update_components(S, create=[{"product": "A", "qty": 1}]),
        "qty",
    ),
    (
        "components quantity 0",
        lambda c: c.subscriptions.update_components(S, create=[og.Component(product="A", quantity=0)]),
        "create[0].quantity",
    ),
    (
        "components update without quantity",
        lambda c: c.subscriptions.update_components(S, update=[og.Component(public_id="comp-a")]),
        "update[0] needs its quantity",
    ),
    (
        "components update by product id",
        lambda c: c.subscriptions.update_components(S, update=["comp-a"]),
        "update[0]",
    ),
    ("components delete str", lambda c: c.subscriptions.update_components(S, delete="comp-a"), "delete"),
    ("components delete empty id", lambda c: c.subscriptions.update_components(S, delete=[""]), "delete[0]"),
    ("path id empty", lambda c: c.subscriptions.change_payment("", payment="p1"), "subscription_id"),
    ("path id int", lambda c: c.subscriptions.change_product(1, product="SKU-1"), "subscription_public_id"),
]


@pytest.mark.parametrize(("case", "fn", "names"), BAD, ids=[row[0] for row in BAD])
async def test_bad_arguments_are_refused_before_any_request(emulated: Emulated, case: str, fn: Fn, names: str) -> None:
    await emulated.check_refused(fn, names)


def test_path_parameters_are_positional_only_and_fields_keyword_only() -> None:
    fake = FakeOrdergroove()
    with fake.client() as client:
        with pytest.raises(TypeError):
            client.subscriptions.change_payment(subscription_id="s1", payment="p1")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            client.subscriptions.change_email_reminder("s1", 7)  # type: ignore[call-arg]
    assert fake.requests == []


# -- the retry rule of each call after an ambiguous failure ---------------------------------------------------

RESOURCE = "subscriptions"
RETRY: list[tuple[str, Callable[[World], Fn]]] = [
    ("retrieve", lambda w: lambda c: c.subscriptions.retrieve(w.sub)),
    ("cancel", lambda w: lambda c: c.subscriptions.cancel(w.sub)),
    ("change_quantity", lambda w: lambda c: c.subscriptions.change_quantity(w.sub, 3)),
    (
        "change_shipping_address",
        lambda w: lambda c: c.subscriptions.change_shipping_address(w.sub, shipping_address=w.address),
    ),
    ("change_payment", lambda w: lambda c: c.subscriptions.change_payment(w.sub, payment=w.payment)),
    ("change_email_reminder", lambda w: lambda c: c.subscriptions.change_email_reminder(w.sub, reminder_days=9)),
    (
        "change_frequency",
        lambda w: lambda c: c.subscriptions.change_frequency(w.sub, every=2, every_period=og.Period.WEEKS),
    ),
    (
        "reactivate",
        lambda w: (
            lambda c: c.subscriptions.reactivate(
                w.canceled, every=1, every_period=og.Period.MONTHS, start_date=dt.date(2025, 4, 1)
            )
        ),
    ),
    ("update", lambda w: lambda c: c.subscriptions.update(w.sub, price=Decimal("7.00"))),
    (
        "create_in_order",
        lambda w: (
            lambda c: c.subscriptions.create_in_order(
                **CREATE_IN_ORDER
                | {
                    "merchant": w.merchant,
                    "order": w.order,
                    "payment": w.order_payment,
                    "shipping_address": w.order_address,
                }
            )
        ),
    ),
    ("create_from_item", lambda w: lambda c: c.subscriptions.create_from_item(item=w.one_time_item)),
    ("change_product", lambda w: lambda c: c.subscriptions.change_product(w.sub, product="SKU-2")),
    ("change_next_order_date", lambda w: lambda c: c.subscriptions.change_next_order_date(w.sub, dt.date(2025, 5, 1))),
    ("retrieve_rotation_ordinal", lambda w: lambda c: c.subscriptions.retrieve_rotation_ordinal(w.sub, "SKU-1")),
    (
        "set_rotation_ordinal",
        lambda w: lambda c: c.subscriptions.set_rotation_ordinal(w.sub, rotating_product="SKU-1", ordinal=2),
    ),
    (
        "update_prepaid_context",
        lambda w: lambda c: c.subscriptions.update_prepaid_context(w.prepaid, orders_remaining=1),
    ),
    (
        "change_renewal_behavior",
        lambda w: lambda c: c.subscriptions.change_renewal_behavior(w.prepaid, renewal_behavior="downgrade"),
    ),
    ("upgrade_to_prepaid", lambda w: lambda c: c.subscriptions.upgrade_to_prepaid(w.eligible, orders_per_billing=2)),
    ("retrieve_component", lambda w: lambda c: c.subscriptions.retrieve_component("comp-a")),
    (
        "update_components",
        lambda w: lambda c: c.subscriptions.update_components(w.bundle, create=[og.Component(product="SKU-2")]),
    ),
]


@pytest.mark.parametrize("fault", ["503", "drop-after"])
@pytest.mark.parametrize(("name", "make"), RETRY, ids=[row[0] for row in RETRY])
async def test_the_retry_rule_after_an_ambiguous_failure(
    emulated: Emulated, name: str, make: Callable[[World], Fn], fault: str
) -> None:
    fn = make(world(emulated.fake))
    # RETRY's update_prepaid_context leaves a shipment (orders_remaining=1): the case the intro calls retry-safe.
    safe = retry_safe(f"{RESOURCE}.{name}", if_conditional=name == "update_prepaid_context")
    await emulated.check_retry_rule(fn, fault=fault, retry_safe=safe)


# update_prepaid_context is "set X to Y", except when it ends the prepaid plan: with no prepaid shipment left and
# renewal_behavior "cancel" or "downgrade", it cancels the subscription or makes it pay-as-you-go. Sent again, it
# would cancel a second time, or be refused (400: not prepaid) after it was applied.
ENDS_THE_PLAN = [
    ({"orders_remaining": 0}, "cancel"),
    ({"orders_remaining": 0}, "downgrade"),
    ({"orders_remaining": 0, "renewal_behavior": "downgrade"}, "autorenew"),
    ({"renewal_behavior": "cancel"}, "autorenew"),
    ({"orders_per_billing": 4}, "downgrade"),
]


@pytest.mark.parametrize("fault", ["503", "drop-after"])
@pytest.mark.parametrize(("changes", "behavior"), ENDS_THE_PLAN)
async def test_update_prepaid_context_that_may_end_the_plan_is_never_sent_twice(
    emulated: Emulated, changes: dict[str, Any], behavior: str, fault: str
) -> None:
    fake = emulated.fake
    remaining = 1 if "orders_remaining" in changes else 0
    context = {"prepaid_orders_remaining": remaining, "prepaid_orders_per_billing": 3, "renewal_behavior": behavior}
    sub = fake.add_subscription("c9", "SKU-9", prepaid=context)["public_id"]
    fn = lambda c: c.subscriptions.update_prepaid_context(sub, **changes)  # noqa: E731
    await emulated.check_retry_rule(fn, fault=fault, retry_safe=False)


@pytest.mark.parametrize(
    "changes",
    [{"orders_remaining": 2}, {"renewal_behavior": "autorenew"}, {"orders_remaining": 1, "renewal_behavior": "cancel"}],
)
async def test_update_prepaid_context_that_cannot_end_the_plan_is_retried(
    emulated: Emulated, changes: dict[str, Any]
) -> None:
    context = {"prepaid_orders_remaining": 0, "prepaid_orders_per_billing": 3, "renewal_behavior": "autorenew"}
    if "orders_remaining" in changes:
        context["prepaid_orders_remaining"] = 1
    sub = emulated.fake.add_subscription("c9", "SKU-9", prepaid=context)["public_id"]
    fn = lambda c: c.subscriptions.update_prepaid_context(sub, **changes)  # noqa: E731
    await emulated.check_retry_rule(fn, fault="drop-after", retry_safe=True)


def test_only_update_prepaid_context_is_conditional_and_the_intro_says_when() -> None:
    # Its cell says "conditional" (not "yes": it is never re-sent when it may end the plan); the tests above hold
    # both cases to the rule the intro of docs/api.md gives.
    assert {call for *_, call, _, rule in rows() if rule == "conditional"} == {f"{RESOURCE}.update_prepaid_context"}
    assert retry_rule(f"{RESOURCE}.update_prepaid_context") == "conditional"
    intro = API_MD.read_text(encoding="utf-8").split("| method |", 1)[0]
    assert "`update_prepaid_context` when it may end the prepaid plan" in intro


def test_the_retry_table_has_every_call_of_docs_api() -> None:
    calls = {call.split(".", 1)[1] for *_, call, _, _ in rows() if call.startswith(f"{RESOURCE}.")}
    assert {name for name, _ in RETRY} == calls - {"list"}
