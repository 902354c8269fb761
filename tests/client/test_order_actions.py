"""The order calls of the whole REST surface, sync and async, against the emulator: the request each sends, the
model it returns, the change read back after; arguments refused before any request; the retry rule of each call
after an ambiguous failure."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from api_table import retry_safe, rows
from conftest import Emulated

import ordergroove as og
from ordergroove.models import JSONText
from ordergroove.testing import FakeOrdergroove

Fn = Callable[[Any], Any]
XML_SUCCESS = "<order><code>SUCCESS</code><orderId>M-1</orderId></order>"


@attrs.frozen
class World:
    """Customer c1's unsent order, a second address and payment of c1, an order whose placement answered
    PROCESSING (status 10), and a subscription of c1 with its upcoming order."""

    order: str
    address: str
    payment: str
    processing: str
    sub: str
    sub_order: str


def world(fake: FakeOrdergroove) -> World:
    fake.add_product("SKU-1", price="5.00")
    order = fake.add_order("c1", items=[{"product": "SKU-1", "quantity": 2}])
    processing = fake.add_order("c1", status=10, items=[{"product": "SKU-1"}])
    sub = fake.add_subscription("c1", "SKU-1", next_order_date=dt.date(2025, 6, 1))
    sub_order = fake.upcoming_order(sub)
    assert sub_order is not None
    return World(
        order=order["public_id"],
        address=fake.add_address("c1", label="Work")["public_id"],
        payment=fake.add_payment("c1", label="Amex")["public_id"],
        processing=processing["public_id"],
        sub=sub["public_id"],
        sub_order=sub_order["public_id"],
    )


async def test_change_shipping_address(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.orders.change_shipping_address(w.order, shipping_address=w.address))
    assert emulated.sent() == ("PATCH", f"/orders/{w.order}/change_shipping/", {"shipping_address": w.address})
    assert isinstance(changed, og.Order) and changed.shipping_address == w.address
    assert (await emulated.run(lambda c: c.orders.retrieve(w.order))).shipping_address == w.address


async def test_change_payment(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.orders.change_payment(w.order, payment=w.payment))
    assert emulated.sent() == ("PATCH", f"/orders/{w.order}/change_payment/", {"payment": w.payment})
    assert isinstance(changed, og.Order) and changed.payment == w.payment
    assert (await emulated.run(lambda c: c.orders.retrieve(w.order))).payment == w.payment


async def test_update_sets_extra_data(emulated: Emulated) -> None:
    w = world(emulated.fake)
    changed = await emulated.run(lambda c: c.orders.update(w.order, extra_data={"some": "extra", "fields": "here"}))
    assert emulated.sent() == (
        "PATCH",
        f"/orders/{w.order}/update/",
        {"extra_data": '{"some":"extra","fields":"here"}'},
    )
    assert isinstance(changed, og.Order)
    read = await emulated.run(lambda c: c.orders.retrieve(w.order))
    assert isinstance(read.extra_data, JSONText) and read.extra_data.value == {"some": "extra", "fields": "here"}
    assert read.status == og.OrderStatus.UNSENT  # nothing else changes


async def test_update_sends_a_json_string_as_given(emulated: Emulated) -> None:
    w = world(emulated.fake)
    await emulated.run(lambda c: c.orders.update(w.order, extra_data='{"a":1}'))
    assert emulated.sent()[2] == {"extra_data": '{"a":1}'}


async def test_finalize_placement(emulated: Emulated) -> None:
    w = world(emulated.fake)
    result = await emulated.run(
        lambda c: c.orders.finalize_placement(
            w.processing, response_xml=XML_SUCCESS, idempotency_key="k1", processing_response_id="M-1"
        )
    )
    assert emulated.sent() == (
        "PATCH",
        f"/orders/{w.processing}/finalize_placement/",
        {"processing_response_id": "M-1", "response_xml": XML_SUCCESS, "idempotency_key": "k1"},
    )
    assert isinstance(result, og.FinalizePlacementResult)
    assert (result.order, result.status, result.display_status, result.error_code, result.retry) == (
        w.processing,
        og.OrderStatus.SUCCESS,
        "SUCCESS",
        None,
        False,
    )
    order = await emulated.run(lambda c: c.orders.retrieve(w.processing))
    assert (order.status, order.order_merchant_id) == (og.OrderStatus.SUCCESS, "M-1")
    # The same response again, by the caller, with the same key: the same answer, applied once.
    again = await emulated.run(
        lambda c: c.orders.finalize_placement(w.processing, response_xml=XML_SUCCESS, idempotency_key="k1")
    )
    assert again == result and [r.applied for r in emulated.fake.requests if "finalize" in r.path] == [True, False]


async def test_finalize_placement_refusal_is_a_bad_request_with_the_result_shape(emulated: Emulated) -> None:
    w = world(emulated.fake)
    emulated.fake.orders[w.processing]["status"] = 11  # still pending placement
    with pytest.raises(og.BadRequestError) as caught:
        await emulated.run(
            lambda c: c.orders.finalize_placement(w.processing, response_xml=XML_SUCCESS, idempotency_key="k")
        )
    assert caught.value.detail == "Order status indicates it is not editable"
    refusal = og.from_dict(og.FinalizePlacementResult, json.loads(caught.value.body))
    assert (refusal.error_code, refusal.retry) == (3, True)


async def test_ordergroove_refusals_come_through_typed(emulated: Emulated) -> None:
    w = world(emulated.fake)
    theirs = emulated.fake.add_address("c2")["public_id"]
    with pytest.raises(og.BadRequestError) as caught:
        await emulated.run(lambda c: c.orders.change_shipping_address(w.order, shipping_address=theirs))
    assert caught.value.field_errors == {"shipping_address": [f'Invalid pk "{theirs}" - object does not exist.']}
    with pytest.raises(og.NotFoundError):
        await emulated.run(lambda c: c.orders.update("nope", extra_data={}))


# -- arguments are checked before any request ------------------------------------------------------------------

O = "order-1"  # noqa: E741
BAD: list[tuple[str, Fn, str]] = [
    ("shipping empty", lambda c: c.orders.change_shipping_address(O, shipping_address=""), "shipping_address"),
    ("shipping None", lambda c: c.orders.change_shipping_address(O, shipping_address=None), "shipping_address"),
    ("shipping path", lambda c: c.orders.change_shipping_address(O, shipping_address=".."), "shipping_address"),
    ("payment int", lambda c: c.orders.change_payment(O, payment=3), "payment"),
    ("extra_data None", lambda c: c.orders.update(O, extra_data=None), "extra_data"),
    ("extra_data text", lambda c: c.orders.update(O, extra_data="not json"), "extra_data"),
    ("extra_data set", lambda c: c.orders.update(O, extra_data={"a": {1, 2}}), "extra_data"),
    (
        "finalize xml empty",
        lambda c: c.orders.finalize_placement(O, response_xml="", idempotency_key="k"),
        "response_xml",
    ),
    (
        "finalize key None",
        lambda c: c.orders.finalize_placement(O, response_xml=XML_SUCCESS, idempotency_key=None),
        "idempotency_key",
    ),
    (
        "finalize response id int",
        lambda c: c.orders.finalize_placement(
            O, response_xml=XML_SUCCESS, idempotency_key="k", processing_response_id=5
        ),
        "processing_response_id",
    ),
    ("order id empty", lambda c: c.orders.change_payment(" ", payment="p1"), "order_id"),
]


@pytest.mark.parametrize(("case", "fn", "names"), BAD, ids=[row[0] for row in BAD])
async def test_bad_arguments_are_refused_before_any_request(emulated: Emulated, case: str, fn: Fn, names: str) -> None:
    await emulated.check_refused(fn, names)


# -- the retry rule of each call after an ambiguous failure ---------------------------------------------------

RESOURCE = "orders"
RETRY: list[tuple[str, Callable[[World], Fn]]] = [
    ("retrieve", lambda w: lambda c: c.orders.retrieve(w.order)),
    ("cancel", lambda w: lambda c: c.orders.cancel(w.order)),
    ("send_now", lambda w: lambda c: c.orders.send_now(w.order)),
    (
        "change_shipping_address",
        lambda w: lambda c: c.orders.change_shipping_address(w.order, shipping_address=w.address),
    ),
    ("change_payment", lambda w: lambda c: c.orders.change_payment(w.order, payment=w.payment)),
    ("change_place_date", lambda w: lambda c: c.orders.change_place_date(w.order, dt.date(2025, 5, 1))),
    ("update", lambda w: lambda c: c.orders.update(w.order, extra_data={"a": 1})),
    ("skip_subscription", lambda w: lambda c: c.orders.skip_subscription(w.sub_order, w.sub)),
    (
        "finalize_placement",
        lambda w: lambda c: c.orders.finalize_placement(w.processing, response_xml=XML_SUCCESS, idempotency_key="k"),
    ),
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
