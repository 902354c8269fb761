"""Every list and retrieve, sync and async: method, URL, query, headers, decoded model; argument checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from conftest import API_KEY, Api, url
from payloads import (
    ADDRESS_ID,
    CUSTOMER_ID,
    ITEM_ID,
    ORDER_ID,
    PAYMENT_ID,
    PRODUCT_ID,
    SUBSCRIPTION_ID,
    address_payload,
    cancel_reasons_payload,
    customer_payload,
    item_payload,
    order_payload,
    page,
    payment_payload,
    product_payload,
    subscription_payload,
)
from pytest_httpx import HTTPXMock

import ordergroove as og

Fn = Callable[[Any], Any]

# (name, call, path, payload, model)
RETRIEVES: list[tuple[str, Fn, str, dict[str, Any], type[Any]]] = [
    ("customer", lambda c: c.customers.retrieve(CUSTOMER_ID), "/customers/cust-1001/", customer_payload(), og.Customer),
    (
        "subscription",
        lambda c: c.subscriptions.retrieve(SUBSCRIPTION_ID),
        f"/subscriptions/{SUBSCRIPTION_ID}/",
        subscription_payload(),
        og.Subscription,
    ),
    ("order", lambda c: c.orders.retrieve(ORDER_ID), f"/orders/{ORDER_ID}/", order_payload(), og.Order),
    ("item", lambda c: c.items.retrieve(ITEM_ID), f"/items/{ITEM_ID}/", item_payload(), og.Item),
    ("product", lambda c: c.products.retrieve(PRODUCT_ID), f"/products/{PRODUCT_ID}/", product_payload(), og.Product),
    ("address", lambda c: c.addresses.retrieve(ADDRESS_ID), f"/addresses/{ADDRESS_ID}/", address_payload(), og.Address),
    ("payment", lambda c: c.payments.retrieve(PAYMENT_ID), f"/payments/{PAYMENT_ID}/", payment_payload(), og.Payment),
]

# A retrieve by an arbitrary id, for the id checks: (name, call taking the id, collection)
RETRIEVE_BY_ID: list[tuple[str, Callable[[Any, Any], Any], str]] = [
    ("customer", lambda c, i: c.customers.retrieve(i), "customers"),
    ("subscription", lambda c, i: c.subscriptions.retrieve(i), "subscriptions"),
    ("order", lambda c, i: c.orders.retrieve(i), "orders"),
    ("item", lambda c, i: c.items.retrieve(i), "items"),
    ("product", lambda c, i: c.products.retrieve(i), "products"),
    ("address", lambda c, i: c.addresses.retrieve(i), "addresses"),
    ("payment", lambda c, i: c.payments.retrieve(i), "payments"),
]

PAYLOADS: dict[str, dict[str, Any]] = {name: payload for name, _, _, payload, _ in RETRIEVES}

UPDATED = dt.datetime(2024, 5, 1, 8, 30, 5)

# (name, pager factory, path, expected query items, payload, model)
LISTS: list[tuple[str, Fn, str, list[tuple[str, str]], dict[str, Any], type[Any]]] = [
    ("customers", lambda c: c.customers.list(), "/customers/", [("page_size", "100")], customer_payload(), og.Customer),
    (
        "customers by email",
        lambda c: c.customers.list(email="ada+sub@example.com"),
        "/customers/",
        [("email", "ada+sub@example.com"), ("page_size", "100")],
        customer_payload(),
        og.Customer,
    ),
    (
        "customers, page_size like every list",
        lambda c: c.customers.list(email="ada@example.com", page_size=25),
        "/customers/",
        [("email", "ada@example.com"), ("page_size", "25")],
        customer_payload(),
        og.Customer,
    ),
    (
        "subscriptions, no filter",
        lambda c: c.subscriptions.list(),
        "/subscriptions/",
        [("page_size", "100")],
        subscription_payload(),
        og.Subscription,
    ),
    (
        "subscriptions, every filter",
        lambda c: c.subscriptions.list(
            customer=CUSTOMER_ID,
            product=PRODUCT_ID,
            live=False,
            created_start=dt.date(2024, 1, 1),
            created_end=dt.date(2024, 1, 31),
            updated_start=UPDATED,
            updated_end=dt.date(2024, 6, 30),
            page_size=50,
        ),
        "/subscriptions/",
        [
            ("customer", CUSTOMER_ID),
            ("product", PRODUCT_ID),
            ("live", "false"),
            ("created_start", "2024-01-01"),
            ("created_end", "2024-01-31"),
            ("updated_start", "2024-05-01T08:30:05"),
            ("updated_end", "2024-06-30"),
            ("page_size", "50"),
        ],
        subscription_payload(),
        og.Subscription,
    ),
    (
        "subscriptions, live",
        lambda c: c.subscriptions.list(customer=CUSTOMER_ID, live=True),
        "/subscriptions/",
        [("customer", CUSTOMER_ID), ("live", "true"), ("page_size", "100")],
        subscription_payload(),
        og.Subscription,
    ),
    (
        "orders, every filter",
        lambda c: c.orders.list(
            customer=CUSTOMER_ID,
            subscription=SUBSCRIPTION_ID,
            status=og.OrderStatus.UNSENT,
            place_start=dt.date(2024, 6, 1),
            place_end=dt.date(2024, 6, 30),
            created_start=dt.date(2024, 1, 1),
            created_end=dt.date(2024, 2, 1),
            updated_start=dt.date(2024, 5, 1),
            updated_end=dt.datetime(2024, 5, 2, 23, 59, 59),
            page_size=1,
        ),
        "/orders/",
        [
            ("customer", CUSTOMER_ID),
            ("subscription", SUBSCRIPTION_ID),
            ("status", "1"),
            ("place_start", "2024-06-01"),
            ("place_end", "2024-06-30"),
            ("created_start", "2024-01-01"),
            ("created_end", "2024-02-01"),
            ("updated_start", "2024-05-01"),
            ("updated_end", "2024-05-02T23:59:59"),
            ("page_size", "1"),
        ],
        order_payload(),
        og.Order,
    ),
    (
        "orders by plain int status",
        lambda c: c.orders.list(status=5, page_size=100),
        "/orders/",
        [("status", "5"), ("page_size", "100")],
        order_payload(status=5),
        og.Order,
    ),
    (
        "items",
        lambda c: c.items.list(order=ORDER_ID, subscription=SUBSCRIPTION_ID),
        "/items/",
        [("order", ORDER_ID), ("subscription", SUBSCRIPTION_ID), ("page_size", "100")],
        item_payload(),
        og.Item,
    ),
    (
        "products by external ids",
        lambda c: c.products.list(external_product_ids=["A-1", "B 2", PRODUCT_ID]),
        "/products/",
        [
            ("external_product_ids[]", "A-1"),
            ("external_product_ids[]", "B 2"),
            ("external_product_ids[]", PRODUCT_ID),
            ("page_size", "100"),
        ],
        product_payload(),
        og.Product,
    ),
    (
        "addresses",
        lambda c: c.addresses.list(customer=CUSTOMER_ID),
        "/addresses/",
        [("customer", CUSTOMER_ID), ("page_size", "100")],
        address_payload(),
        og.Address,
    ),
    (
        "payments",
        lambda c: c.payments.list(customer=CUSTOMER_ID, page_size=10),
        "/payments/",
        [("customer", CUSTOMER_ID), ("page_size", "10")],
        payment_payload(),
        og.Payment,
    ),
]


@pytest.mark.parametrize(("name", "call", "path", "payload", "model"), RETRIEVES, ids=[r[0] for r in RETRIEVES])
async def test_retrieve(
    api: Api, httpx_mock: HTTPXMock, name: str, call: Fn, path: str, payload: dict[str, Any], model: type[Any]
) -> None:
    httpx_mock.add_response(method="GET", url=url(path), json=payload)
    record = await api.run(call)
    assert isinstance(record, model)
    assert record == og.from_dict(model, payload)
    assert og.to_dict(record) == payload
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path.decode() == path
    assert request.headers["x-api-key"] == API_KEY
    assert "X-OG-API-VERSION" not in request.headers
    assert request.content == b""


@pytest.mark.parametrize(
    ("name", "call", "path", "query", "payload", "model"), LISTS, ids=[entry[0] for entry in LISTS]
)
async def test_list(
    api: Api,
    httpx_mock: HTTPXMock,
    name: str,
    call: Fn,
    path: str,
    query: list[tuple[str, str]],
    payload: dict[str, Any],
    model: type[Any],
) -> None:
    httpx_mock.add_response(method="GET", json=page([payload]))
    records = await api.collect(call)
    assert records == [og.from_dict(model, payload)]
    assert all(isinstance(record, model) for record in records)
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.scheme == "https" and request.url.host == "restapi.ordergroove.com"
    assert request.url.path == path
    assert sorted(request.url.params.multi_items()) == sorted(query)
    assert request.headers["X-OG-API-VERSION"] == "2"
    assert request.headers["x-api-key"] == API_KEY


async def test_cancel_reasons(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", url=url("/merchant/cancel_reason/"), json=cancel_reasons_payload())
    reasons = await api.run(lambda c: c.merchant.cancel_reasons())
    assert [(r.code, r.application, r.label) for r in reasons] == [
        (4, "msi", "Overstocked"),
        (12, "msi", None),
        (1, "csa", "Customer request"),
    ]
    assert all(isinstance(r, og.CancelReason) for r in reasons)


@pytest.mark.parametrize("body", [[], {"reasons": []}, {"results": {"cancel_reason": 1}}, {"results": [{"x": 1}]}])
async def test_cancel_reasons_of_the_wrong_shape(api: Api, httpx_mock: HTTPXMock, body: Any) -> None:
    httpx_mock.add_response(url=url("/merchant/cancel_reason/"), json=body)
    with pytest.raises(og.ResponseDecodeError, match="cancel_reason"):
        await api.run(lambda c: c.merchant.cancel_reasons())


# -- ids as one path segment ---------------------------------------------------------------------------------

TRICKY_IDS = [
    ("a/b", "a%2Fb"),
    ("?x=1", "%3Fx%3D1"),
    ("#f", "%23f"),
    ("%2F", "%252F"),
    ("../customers", "..%2Fcustomers"),
    ("a b", "a%20b"),
    ("ünï", "%C3%BCn%C3%AF"),
]


@pytest.mark.parametrize(("name", "call", "collection"), RETRIEVE_BY_ID, ids=[r[0] for r in RETRIEVE_BY_ID])
@pytest.mark.parametrize(("record_id", "encoded"), TRICKY_IDS, ids=[i for i, _ in TRICKY_IDS])
async def test_ids_are_one_encoded_path_segment(
    api: Api,
    httpx_mock: HTTPXMock,
    name: str,
    call: Callable[[Any, Any], Any],
    collection: str,
    record_id: str,
    encoded: str,
) -> None:
    httpx_mock.add_response(method="GET", json=PAYLOADS[name])
    await api.run(lambda c: call(c, record_id))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path.decode() == f"/{collection}/{encoded}/"
    assert request.url.query == b""
    assert request.url.fragment == ""


BAD_IDS: list[Any] = ["", "   ", None, 7, b"abc", "..", "."]


@pytest.mark.parametrize(("name", "call", "collection"), RETRIEVE_BY_ID, ids=[r[0] for r in RETRIEVE_BY_ID])
@pytest.mark.parametrize("record_id", BAD_IDS, ids=repr)
async def test_bad_ids_refused_before_any_request(
    api: Api, httpx_mock: HTTPXMock, name: str, call: Callable[[Any, Any], Any], collection: str, record_id: Any
) -> None:
    with pytest.raises(og.ConfigurationError, match="_id"):
        await api.run(lambda c: call(c, record_id))
    assert httpx_mock.get_requests() == []


# -- filter checks -------------------------------------------------------------------------------------------

AWARE = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.timezone.utc)

BAD_FILTERS: list[tuple[str, Fn, str]] = [
    ("customer not a str", lambda c: c.subscriptions.list(customer=123), "customer"),
    ("customer empty", lambda c: c.subscriptions.list(customer=""), "customer"),
    ("product blank", lambda c: c.subscriptions.list(product="  "), "product"),
    ("live as str", lambda c: c.subscriptions.list(live="true"), "live"),
    ("live as int", lambda c: c.subscriptions.list(live=1), "live"),
    ("created_start datetime", lambda c: c.subscriptions.list(created_start=UPDATED), "created_start"),
    ("created_end str", lambda c: c.subscriptions.list(created_end="2024-01-01"), "created_end"),
    ("updated_start str", lambda c: c.subscriptions.list(updated_start="2024-01-01T00:00:00"), "updated_start"),
    ("updated_end aware", lambda c: c.subscriptions.list(updated_end=AWARE), "updated_end"),
    ("page_size 0", lambda c: c.subscriptions.list(page_size=0), "page_size"),
    ("page_size 101", lambda c: c.subscriptions.list(page_size=101), "page_size"),
    ("page_size bool", lambda c: c.subscriptions.list(page_size=True), "page_size"),
    ("page_size str", lambda c: c.orders.list(page_size="10"), "page_size"),
    ("page_size float", lambda c: c.items.list(page_size=10.0), "page_size"),
    ("status str", lambda c: c.orders.list(status="1"), "status"),
    ("status bool", lambda c: c.orders.list(status=True), "status"),
    ("status float", lambda c: c.orders.list(status=1.0), "status"),
    ("place_start datetime", lambda c: c.orders.list(place_start=UPDATED), "place_start"),
    ("place_end str", lambda c: c.orders.list(place_end="2024-06-01"), "place_end"),
    ("updated_start aware", lambda c: c.orders.list(updated_start=AWARE), "updated_start"),
    ("subscription list", lambda c: c.orders.list(subscription=["s1"]), "subscription"),
    ("order int", lambda c: c.items.list(order=5), "order"),
    ("product ids str", lambda c: c.products.list(external_product_ids="A-1"), "external_product_ids"),
    ("product ids with empty", lambda c: c.products.list(external_product_ids=["A", ""]), "external_product_ids"),
    ("product ids ints", lambda c: c.products.list(external_product_ids=[1, 2]), "external_product_ids"),
    ("product ids dict", lambda c: c.products.list(external_product_ids={"A": 1}), "external_product_ids"),
    ("email empty", lambda c: c.customers.list(email=""), "email"),
    ("address customer blank", lambda c: c.addresses.list(customer=" "), "customer"),
    ("payment customer int", lambda c: c.payments.list(customer=1), "customer"),
]


@pytest.mark.parametrize(("name", "call", "field"), BAD_FILTERS, ids=[b[0] for b in BAD_FILTERS])
async def test_bad_filters_refused_before_any_request(
    api: Api, httpx_mock: HTTPXMock, name: str, call: Fn, field: str
) -> None:
    with pytest.raises(og.ConfigurationError, match=field.replace("[", r"\[")):
        await api.collect(call)
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("page_size", [1, 100])
async def test_page_size_bounds_accepted(api: Api, httpx_mock: HTTPXMock, page_size: int) -> None:
    httpx_mock.add_response(json=page([]))
    assert await api.collect(lambda c: c.subscriptions.list(page_size=page_size)) == []
    request = httpx_mock.get_request()
    assert request is not None and request.url.params["page_size"] == str(page_size)


async def test_per_call_timeout_on_reads(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload())
    httpx_mock.add_response(json=page([subscription_payload()]))
    await api.run(lambda c: c.subscriptions.retrieve("s1", timeout=2.5))
    await api.collect(lambda c: c.subscriptions.list(timeout=4))
    first, second = httpx_mock.get_requests()
    assert first.extensions["timeout"] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert second.extensions["timeout"] == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}
