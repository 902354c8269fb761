"""Path injection: an id is refused before any I/O, or sent percent-encoded as its one path segment.

Every id-taking method, sync and async, is called with ids that would reach another endpoint if pasted into
the path as they are; the emulator's request log shows exactly the path (and query, and body) the id belongs in.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

import ordergroove as og
from ordergroove import testing as ogt

REFUSED: list[Any] = ["", " ", "\t\n", ".", "..", None, 1, b"x", 1.5, ["a"]]
ENCODED: list[Any] = ["../customers", "a/b", "?x=1", "#f", "%2F", "..%2F", "/", "a\nb", "\\..\\", "é/ü", "x?y#z", "%"]
LATER = dt.date(2025, 3, 1)


def q(value: str) -> str:
    return quote(value, safe="")


# name -> (call with the id, the requests it may send: (method, path, params or None, json or None))
Expect = list[tuple[str, str, dict[str, list[str]] | None, Any]]
METHODS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any], Expect]]] = {}


def method(name: str, expect: Callable[[Any], Expect]) -> Callable[[Callable[[Any, Any], Any]], None]:
    def register(call: Callable[[Any, Any], Any]) -> None:
        METHODS[name] = (call, expect)

    return register


def _retrieved(collection: str) -> Callable[[Any], Expect]:
    return lambda i: [("GET", f"/{collection}/{q(i)}/", None, None)]


def _retrieve(resource: str) -> Callable[[Any, Any], Any]:
    return lambda client, i: getattr(client, resource).retrieve(i)


for resource, collection in (
    ("customers", "customers"),
    ("subscriptions", "subscriptions"),
    ("orders", "orders"),
    ("items", "items"),
    ("products", "products"),
    ("addresses", "addresses"),
    ("payments", "payments"),
):
    method(f"{resource}.retrieve", _retrieved(collection))(_retrieve(resource))

method("customers.set_contact_details", lambda i: [("PATCH", f"/customers/{q(i)}/set_contact_details", None, ...)])(
    lambda c, i: c.customers.set_contact_details(i, email="a@b.example", phone_number="1")
)
method(
    "customers.summary",
    lambda i: [("GET", "/subscriptions/", {"customer": [i]}, None), ("GET", "/orders/", {"customer": [i]}, None)],
)(lambda c, i: c.customers.summary(i))


def _sub_action(action: str) -> Callable[[Any], Expect]:
    return lambda i: [("PATCH", f"/subscriptions/{q(i)}/{action}/", None, ...)]


method("subscriptions.cancel", _sub_action("cancel"))(lambda c, i: c.subscriptions.cancel(i))
method("subscriptions.reactivate", _sub_action("reactivate"))(
    lambda c, i: c.subscriptions.reactivate(i, every=1, every_period=og.Period.MONTHS, start_date=LATER)
)
method("subscriptions.change_quantity", _sub_action("change_quantity"))(
    lambda c, i: c.subscriptions.change_quantity(i, 2)
)
method("subscriptions.change_shipping_address", _sub_action("change_shipping"))(
    lambda c, i: c.subscriptions.change_shipping_address(i, shipping_address="addr_1")
)
method("subscriptions.change_frequency", _sub_action("change_frequency"))(
    lambda c, i: c.subscriptions.change_frequency(i, every=2, every_period=og.Period.WEEKS)
)
method("subscriptions.change_next_order_date", _sub_action("change_next_order_date"))(
    lambda c, i: c.subscriptions.change_next_order_date(i, LATER)
)
method(
    "subscriptions.skip_next_order",
    lambda i: [("GET", "/orders/", {"subscription": [i], "status": ["1"]}, None)],
)(lambda c, i: c.subscriptions.skip_next_order(i))


def _order_action(action: str) -> Callable[[Any], Expect]:
    return lambda i: [("PATCH", f"/orders/{q(i)}/{action}/", None, ...)]


method("orders.cancel", _order_action("cancel"))(lambda c, i: c.orders.cancel(i))
method("orders.send_now", _order_action("send_now"))(lambda c, i: c.orders.send_now(i))
method("orders.change_place_date", _order_action("change_place_date"))(
    lambda c, i: c.orders.change_place_date(i, LATER)
)
method("orders.skip_subscription(order_id)", _order_action("skip_subscription"))(
    lambda c, i: c.orders.skip_subscription(i, "sub_1")
)
method(
    "orders.skip_subscription(subscription_id)",
    lambda i: [("PATCH", "/orders/order_1/skip_subscription/", None, {"subscription": i})],
)(lambda c, i: c.orders.skip_subscription("order_1", i))


# The calls of the whole REST surface: subscriptions, orders and items.
for action, call in (
    ("change_payment", lambda c, i: c.subscriptions.change_payment(i, payment="pay_1")),
    ("change_email_reminder", lambda c, i: c.subscriptions.change_email_reminder(i, reminder_days=7)),
    ("update", lambda c, i: c.subscriptions.update(i, offer="offer_1")),
    ("change_product", lambda c, i: c.subscriptions.change_product(i, product="SKU-1")),
    ("rotation_ordinal/update", lambda c, i: c.subscriptions.set_rotation_ordinal(i, rotating_product="SKU-1")),
    ("update_prepaid_context", lambda c, i: c.subscriptions.update_prepaid_context(i, orders_remaining=1)),
    ("change_renewal_behavior", lambda c, i: c.subscriptions.change_renewal_behavior(i, renewal_behavior="cancel")),
    ("upgrade_to_prepaid", lambda c, i: c.subscriptions.upgrade_to_prepaid(i, orders_per_billing=2)),
):
    name = "set_rotation_ordinal" if action == "rotation_ordinal/update" else action
    method(f"subscriptions.{name}", _sub_action(action))(call)
method(
    "subscriptions.update_components",
    lambda i: [("POST", f"/subscriptions/{q(i)}/components/bulk_operation/", None, ...)],
)(lambda c, i: c.subscriptions.update_components(i, delete=["comp_1"]))
method(
    "subscriptions.retrieve_rotation_ordinal(subscription_id)",
    lambda i: [("GET", f"/subscriptions/{q(i)}/rotation_ordinal/SKU-1", None, None)],
)(lambda c, i: c.subscriptions.retrieve_rotation_ordinal(i, "SKU-1"))
method(
    "subscriptions.retrieve_rotation_ordinal(product_id)",
    lambda i: [("GET", f"/subscriptions/sub_1/rotation_ordinal/{q(i)}", None, None)],
)(lambda c, i: c.subscriptions.retrieve_rotation_ordinal("sub_1", i))
method("subscriptions.retrieve_component", lambda i: [("GET", f"/subscriptions/components/{q(i)}/", None, None)])(
    lambda c, i: c.subscriptions.retrieve_component(i)
)
CREATE_IN_ORDER = {
    "merchant": "m_1",
    "customer": "cust_0001",
    "product": "SKU-1",
    "offer": "offer_1",
    "order": "order_1",
    "session_id": "session_1",
    "payment": "pay_1",
    "shipping_address": "addr_1",
    "quantity": 1,
    "every": 1,
    "every_period": og.Period.MONTHS,
}
method(
    "subscriptions.create_in_order(session_id)",
    lambda i: [("POST", "/subscriptions/iu/", None, {**CREATE_IN_ORDER, "session_id": i, "every_period": 3})],
)(lambda c, i: c.subscriptions.create_in_order(**{**CREATE_IN_ORDER, "session_id": i}))

method("orders.change_shipping_address", _order_action("change_shipping"))(
    lambda c, i: c.orders.change_shipping_address(i, shipping_address="addr_1")
)
method("orders.change_payment", _order_action("change_payment"))(lambda c, i: c.orders.change_payment(i, payment="p"))
method("orders.update", _order_action("update"))(lambda c, i: c.orders.update(i, extra_data={"a": 1}))
method("orders.finalize_placement(order_id)", _order_action("finalize_placement"))(
    lambda c, i: c.orders.finalize_placement(i, response_xml="<order/>", idempotency_key="k")
)
FINALIZE = {"response_xml": "<order/>", "idempotency_key": "k"}
# Ids that are optional: None leaves them out of the body.
OPTIONAL = {"orders.finalize_placement(processing_response_id)"}
method(
    "orders.finalize_placement(processing_response_id)",
    lambda i: [("PATCH", "/orders/order_1/finalize_placement/", None, {"processing_response_id": i, **FINALIZE})],
)(lambda c, i: c.orders.finalize_placement("order_1", processing_response_id=i, **FINALIZE))


def _item_action(action: str, http_method: str = "PATCH") -> Callable[[Any], Expect]:
    return lambda i: [(http_method, f"/items/{q(i)}/{action}/", None, ...)]


method("items.change_quantity", _item_action("change_quantity"))(lambda c, i: c.items.change_quantity(i, quantity=2))
method("items.change_price", _item_action("change_price"))(lambda c, i: c.items.change_price(i, price=1))
method("items.change_product", _item_action("change_product"))(lambda c, i: c.items.change_product(i, product="P"))
method("items.update", _item_action("update"))(lambda c, i: c.items.update(i, components="SKU-1"))
method("items.delete", _item_action("delete", "DELETE"))(lambda c, i: c.items.delete(i))
ITEM = {
    "merchant_id": "m_1",
    "customer_id": "cust_0001",
    "shipping_id": "addr_1",
    "payment_id": "pay_1",
    "offer_id": "offer_1",
    "product_id": "SKU-1",
    "place_date": LATER,
    "quantity": 1,
}


def _create_item(field: str) -> None:
    expected = {**ITEM, "place_date": LATER.strftime("%m/%d/%Y")}
    method(f"items.create({field})", lambda i: [("POST", "/items/create/", None, {**expected, field: i})])(
        lambda c, i: c.items.create(**{**ITEM, field: i})
    )


for field in ("merchant_id", "customer_id", "shipping_id", "payment_id", "offer_id", "product_id"):
    _create_item(field)
# customers, addresses, payments, products and the catalog resources (issue #17).
method("customers.update", lambda i: [("PATCH", f"/customers/{q(i)}/update", None, ...)])(
    lambda c, i: c.customers.update(i, price_code="vip")
)
method("addresses.update", lambda i: [("PATCH", f"/addresses/{q(i)}/update/", None, ...)])(
    lambda c, i: c.addresses.update(i, live=False)
)
method("addresses.use_for_all", lambda i: [("POST", f"/addresses/{q(i)}/use_for_all/", None, None)])(
    lambda c, i: c.addresses.use_for_all(i)
)
method("payments.update", lambda i: [("PATCH", f"/payments/{q(i)}/update/", None, ...)])(
    lambda c, i: c.payments.update(i, label="x")
)
method("payments.use_for_all", lambda i: [("POST", f"/payments/{q(i)}/use_for_all/", None, None)])(
    lambda c, i: c.payments.use_for_all(i)
)
method("products.group_check(product_id)", lambda i: [("GET", f"/products/{q(i)}/incentive/g", None, None)])(
    lambda c, i: c.products.group_check(i, "incentive", "g")
)
method("products.group_check(group_type)", lambda i: [("GET", f"/products/p1/{q(i)}/g", None, None)])(
    lambda c, i: c.products.group_check("p1", i, "g")
)
method("products.group_check(group_name)", lambda i: [("GET", f"/products/p1/incentive/{q(i)}", None, None)])(
    lambda c, i: c.products.group_check("p1", "incentive", i)
)
method("products.relationships", lambda i: [("GET", f"/products/{q(i)}/relationships/", None, None)])(
    lambda c, i: c.products.relationships(i).to_list()
)
method("products.update", lambda i: [("PATCH", f"/products/{q(i)}/", None, ...)])(
    lambda c, i: c.products.update(i, name="x")
)
method(
    "products.manage_time_window_rotation",
    lambda i: [("POST", f"/products/{q(i)}/selection_rules/time_window/manage/", None, ...)],
)(
    lambda c, i: c.products.manage_time_window_rotation(
        i,
        product_selection_list_elements=[
            {"product": "p1", "starting_date": dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)}
        ],
    )
)
method(
    "products.manage_ordinal_rotation",
    lambda i: [("POST", f"/products/{q(i)}/selection_rules/ordinal/manage/", None, ...)],
)(
    lambda c, i: c.products.manage_ordinal_rotation(
        i, product_selection_list_elements=[{"product": "p1", "starting_ordinal": 0}]
    )
)
method(
    "products.retrieve_rotating_delivery_product",
    lambda i: [("GET", f"/products/{q(i)}/rotating_delivery_product/", None, None)],
)(lambda c, i: c.products.retrieve_rotating_delivery_product(i))
method("products.manage_digital_plan", lambda i: [("POST", f"/products/{q(i)}/resource_grants/manage/", None, ...)])(
    lambda c, i: c.products.manage_digital_plan(i, resource_grants=[{"resource": "r1", "time_amount": 60}])
)
# product_groups.update's group_type is one of three names: any other is refused (test_catalog.py).
method("product_groups.update(name)", lambda i: [("PATCH", f"/product_groups/incentive/{q(i)}/", None, ...)])(
    lambda c, i: c.product_groups.update("incentive", i, name="h")
)
method("resources.retrieve", _retrieved("resources"))(_retrieve("resources"))
method("resources.update", lambda i: [("PATCH", f"/resources/{q(i)}/update/", None, ...)])(
    lambda c, i: c.resources.update(i, name="x")
)
method("one_time_incentives.retrieve", _retrieved("one_time_incentives"))(_retrieve("one_time_incentives"))
method("one_time_incentives.update", lambda i: [("PATCH", f"/one_time_incentives/{q(i)}/update/", None, ...)])(
    lambda c, i: c.one_time_incentives.update(i, description="x")
)
method("one_time_incentives.delete", lambda i: [("DELETE", f"/one_time_incentives/{q(i)}/delete/", None, None)])(
    lambda c, i: c.one_time_incentives.delete(i)
)
method("cart.retrieve", lambda i: [("GET", f"/carts/{q(i)}/", None, None)])(lambda c, i: c.cart.retrieve(i))


async def _call(client: Any, name: str, value: Any) -> BaseException | None:
    try:
        result = METHODS[name][0](client, value)
        if inspect.isawaitable(result):
            await result
    except og.OrdergrooveError as exc:
        return exc
    return None


def _matches(record: Any, expected: Expect) -> bool:
    for method_, path, params, body in expected:
        if (record.method, record.path) != (method_, path):
            continue
        if params is not None and any(record.params.get(k) != v for k, v in params.items()):
            continue
        if body is not ... and body is not None and record.json != body:
            continue
        return True
    return False


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("name", sorted(METHODS))
async def test_ids_are_refused_or_kept_in_their_segment(kind: str, name: str) -> None:
    fake = ogt.FakeOrdergroove.demo()
    client: Any = fake.async_client(max_retries=0) if kind == "async" else fake.client(max_retries=0)
    try:
        for value in REFUSED:
            if value is None and name in OPTIONAL:
                continue  # an optional id given as None is not sent: nothing to refuse
            before = len(fake.requests)
            error = await _call(client, name, value)
            assert isinstance(error, og.ConfigurationError), f"{name}({value!r}) was not refused: {error!r}"
            assert len(fake.requests) == before, f"{name}({value!r}) sent a request before refusing"
        for value in ENCODED:
            before = len(fake.requests)
            await _call(client, name, value)
            sent = fake.requests[before:]
            assert sent, f"{name}({value!r}) sent nothing"
            expected = METHODS[name][1](value)
            strays = [(r.method, r.path, dict(r.params)) for r in sent if not _matches(r, expected)]
            # skip_next_order may PATCH the order it found: never for these ids, which match no subscription.
            assert strays == [], f"{name}({value!r}) reached another path"
    finally:
        if kind == "async":
            await client.aclose()
        else:
            client.close()


def test_every_id_taking_method_is_covered() -> None:
    # A method added later with an id parameter must be added to METHODS.
    fake = ogt.FakeOrdergroove.demo()
    with fake.client() as client:
        found = set()
        resources = ["customers", "subscriptions", "orders", "items", "products", "addresses", "payments"]
        resources += ["product_groups", "resources", "offer_profiles", "one_time_incentives", "entitlements", "cart"]
        for resource in [*resources, "one_click"]:
            for attr, fn in inspect.getmembers(getattr(client, resource), inspect.ismethod):
                # The ids in the path (not keyword-only: body fields such as customers.create's merchant_user_id).
                params = [
                    name
                    for name, p in inspect.signature(fn).parameters.items()
                    if name.endswith("_id") and p.kind is not inspect.Parameter.KEYWORD_ONLY
                ]
                if not attr.startswith("_") and params:
                    found.add(f"{resource}.{attr}")
    covered = {name.split("(")[0] for name in METHODS}
    assert found <= covered, sorted(found - covered)
