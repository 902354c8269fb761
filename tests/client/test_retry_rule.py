"""The retry rule of every call of customers, addresses, payments, products, product groups, resources, one-time
incentives, the cart and the 1-click links, as docs/api.md's retry-safe column says, under an injected ambiguous
failure (a 503, and a connection dropped once the change is applied), sync and async, against the emulator.

A retry-safe call (a read, or "set X to Y") is sent again, once, the same request; any other (a create, a delete,
``use_for_all``, a bulk operation, a 1-click link) raises with the emulator having seen exactly one request. The
calls of subscriptions, orders and items are held to the same rule in their own test modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from api_table import retry_safe, rows
from conftest import Emulated

from ordergroove.testing import FakeOrdergroove

Fn = Callable[[Any], Any]
WHEN = dt.datetime(2025, 1, 2, 3, 4, 5)
RESOURCES = (
    "customers",
    "addresses",
    "payments",
    "products",
    "product_groups",
    "resources",
    "one_time_incentives",
    "cart",
    "one_click",
)


@attrs.frozen
class World:
    customer: str
    address: str
    payment: str
    product: str
    resource: str
    incentive: str
    session: str
    order_token: str
    canceled_token: str
    merchant: str


def world(fake: FakeOrdergroove) -> World:
    customer = fake.add_customer("c1")["merchant_user_id"]
    fake.add_product("SKU-1", price="10.00")
    fake.add_product("SKU-2", price="4.00")
    fake.add_product_group("incentive", "summer", products=["SKU-1"])
    fake.add_product_relationship("SKU-1", "SKU-2")
    fake.add_cart_item("session-1", "SKU-1")
    sub = fake.add_subscription(customer, "SKU-1")
    order = fake.upcoming_order(sub)
    assert order is not None
    canceled = fake.add_subscription(customer, "SKU-1", live=False)
    return World(
        customer=customer,
        address=fake.add_address(customer, label="Work")["public_id"],
        payment=fake.add_payment(customer, label="Amex")["public_id"],
        product="SKU-1",
        resource=fake.add_resource(name="Recipes", external_resource_id="recipes")["public_id"],
        incentive=fake.add_one_time_incentive(customer, external_code="WELCOME")["public_id"],
        session="session-1",
        order_token=fake.one_click_token(order),
        canceled_token=fake.one_click_token(canceled),
        merchant=fake.merchant_public_id,
    )


def new_customer(w: World) -> dict[str, Any]:
    return {
        "merchant": w.merchant,
        "merchant_user_id": "new-1",
        "session_id": "s.1",
        "user_token_id": "t1",
        "first_name": "John",
        "last_name": "Doe",
        "email": "john@doe.example",
        "phone_number": "+15551231234",
        "phone_type": "mobile",
        "live": True,
        "created": WHEN,
        "last_updated": WHEN,
        "last_login": WHEN,
        "locale": "en-us",
    }


def new_address(w: World) -> dict[str, Any]:
    return {
        "customer": w.customer,
        "address_type": "shipping_address",
        "first_name": "Nathan",
        "last_name": "Torres",
        "address": "75 Broad St Fl 23",
        "city": "New York",
        "state_province_code": "NY",
        "zip_postal_code": "10004-2487",
        "country_code": "US",
    }


def batch_product(product_id: str) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "sku": product_id,
        "name": "Tea",
        "price": Decimal("5.00"),
        "live": True,
        "image_url": "https://cdn.example/tea.png",
        "detail_url": "https://shop.example/tea",
    }


START = dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)
# (the call's name in docs/api.md, a call on the records of World)
RETRY: list[tuple[str, Callable[[World], Fn]]] = [
    ("customers.retrieve", lambda w: lambda c: c.customers.retrieve(w.customer)),
    ("customers.create", lambda w: lambda c: c.customers.create(**new_customer(w))),
    ("customers.update", lambda w: lambda c: c.customers.update(w.customer, price_code="vip")),
    (
        "customers.set_contact_details",
        lambda w: lambda c: c.customers.set_contact_details(w.customer, email="a@b.example", phone_number="+1555"),
    ),
    ("addresses.retrieve", lambda w: lambda c: c.addresses.retrieve(w.address)),
    ("addresses.create", lambda w: lambda c: c.addresses.create(**new_address(w))),
    ("addresses.update", lambda w: lambda c: c.addresses.update(w.address, live=False)),
    ("addresses.use_for_all", lambda w: lambda c: c.addresses.use_for_all(w.address)),
    ("payments.retrieve", lambda w: lambda c: c.payments.retrieve(w.payment)),
    (
        "payments.create",
        lambda w: lambda c: c.payments.create(customer=w.customer, cc_number_ending="4242", token_id="tok"),
    ),
    ("payments.update", lambda w: lambda c: c.payments.update(w.payment, label="Visa")),
    ("payments.use_for_all", lambda w: lambda c: c.payments.use_for_all(w.payment)),
    ("products.retrieve", lambda w: lambda c: c.products.retrieve(w.product)),
    ("products.group_check", lambda w: lambda c: c.products.group_check(w.product, "incentive", "summer")),
    ("products.relationships", lambda w: lambda c: c.products.relationships(w.product).to_list()),
    ("products.update", lambda w: lambda c: c.products.update(w.product, name="House blend")),
    ("products.batch_create", lambda w: lambda c: c.products.batch_create([batch_product("TEA-1")])),
    (
        "products.batch_update",
        lambda w: (
            lambda c: c.products.batch_update([{"product_id": w.product, "price": "3.00"}], force_all_fields=False)
        ),
    ),
    (
        "products.manage_time_window_rotation",
        lambda w: (
            lambda c: c.products.manage_time_window_rotation(
                w.product, product_selection_list_elements=[{"product": "SKU-2", "starting_date": START}]
            )
        ),
    ),
    (
        "products.manage_ordinal_rotation",
        lambda w: (
            lambda c: c.products.manage_ordinal_rotation(
                w.product, product_selection_list_elements=[{"product": "SKU-2", "starting_ordinal": 0}]
            )
        ),
    ),
    (
        "products.retrieve_rotating_delivery_product",
        lambda w: lambda c: c.products.retrieve_rotating_delivery_product(w.product),
    ),
    (
        "products.manage_digital_plan",
        lambda w: (
            lambda c: c.products.manage_digital_plan(
                w.product, resource_grants=[{"resource": w.resource, "time_amount": 3600}]
            )
        ),
    ),
    ("product_groups.create", lambda w: lambda c: c.product_groups.create(name="winter", group_type="incentive")),
    ("product_groups.update", lambda w: lambda c: c.product_groups.update("incentive", "summer", name="sunny")),
    ("resources.retrieve", lambda w: lambda c: c.resources.retrieve(w.resource)),
    ("resources.create", lambda w: lambda c: c.resources.create(name="Videos", external_resource_id="videos")),
    ("resources.update", lambda w: lambda c: c.resources.update(w.resource, description="Weekly recipes")),
    ("one_time_incentives.retrieve", lambda w: lambda c: c.one_time_incentives.retrieve(w.incentive)),
    ("one_time_incentives.create", lambda w: lambda c: c.one_time_incentives.create(external_code="SPRING")),
    ("one_time_incentives.update", lambda w: lambda c: c.one_time_incentives.update(w.incentive, description="10%")),
    ("one_time_incentives.delete", lambda w: lambda c: c.one_time_incentives.delete(w.incentive)),
    ("cart.retrieve", lambda w: lambda c: c.cart.retrieve(w.session)),
    ("one_click.delay", lambda w: lambda c: c.one_click.delay(token=w.order_token, days=3)),
    ("one_click.reactivate", lambda w: lambda c: c.one_click.reactivate(token=w.canceled_token)),
]


@pytest.mark.parametrize("fault", ["503", "drop-after"])
@pytest.mark.parametrize(("name", "make"), RETRY, ids=[row[0] for row in RETRY])
async def test_the_retry_rule_after_an_ambiguous_failure(
    emulated: Emulated, name: str, make: Callable[[World], Fn], fault: str
) -> None:
    fn = make(world(emulated.fake))
    await emulated.check_retry_rule(fn, fault=fault, retry_safe=retry_safe(name))


def test_the_retry_table_has_every_call_of_docs_api() -> None:
    # Lists are reads like retrieve (held to the rule in test_reads.py and test_pagination.py).
    calls = {call for *_, call, _, _ in rows() if call.split(".")[0] in RESOURCES and not call.endswith(".list")}
    assert {name for name, _ in RETRY} == calls


def test_the_calls_that_may_apply_twice_are_the_documented_kinds() -> None:
    # docs/api.md: creates, deletes, use_for_all, bulk operations, the 1-click links and a rename by the old name
    # (a repeat answers 404) are never re-sent.
    never = {name for name, _ in RETRY if not retry_safe(name)}
    assert never == {
        "customers.create",
        "addresses.create",
        "addresses.use_for_all",
        "payments.create",
        "payments.use_for_all",
        "products.batch_create",
        "products.batch_update",
        "products.manage_time_window_rotation",
        "products.manage_ordinal_rotation",
        "products.manage_digital_plan",
        "product_groups.create",
        "product_groups.update",
        "resources.create",
        "one_time_incentives.create",
        "one_time_incentives.delete",
        "one_click.delay",
        "one_click.reactivate",
    }
