"""The Lookup Adaptor end to end: signed requests to the service under uvicorn, against the served emulator."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from _gladly_harness import (  # noqa: F401  (fixtures)
    GLADLY_CUSTOMER,
    Adaptor,
    StartAdaptor,
    adaptor,
    fake,
    gladly_stub,
    notes,
    og_url,
    start_adaptor,
    subscriptions_of,
)

from ordergroove import testing as ogt
from ordergroove.gladly import _lookup

CUSTOMER = "cust_0001"


def og_time(value: str | None) -> str | None:
    """Ordergroove's ``YYYY-MM-DD HH:MM:SS`` as Gladly gets it."""
    return None if value is None else value.replace(" ", "T") + "Z"


def expected_basic_profile(fake: ogt.FakeOrdergroove, customer_id: str) -> dict[str, Any]:
    """The profile computed independently from the emulator's records."""
    customer = fake.customers[customer_id]
    subscriptions = subscriptions_of(fake, customer_id)
    orders = [o for o in fake.orders.values() if o["customer"] == customer_id]
    lifetime = sum((Decimal(o["total"]) for o in orders if o["status"] == 5), Decimal(0))
    upcoming = sorted((o for o in orders if o["status"] == 1), key=lambda o: o["place"])
    return {
        "externalCustomerId": customer_id,
        "name": f"{customer['first_name']} {customer['last_name']}",
        "emails": [{"original": customer["email"]}],
        "phones": [{"original": customer["phone_number"], "type": "MOBILE"}],
        "customAttributes": {
            "activeSubscriptions": str(sum(s["live"] for s in subscriptions)),
            "totalSubscriptions": str(len(subscriptions)),
            "lifetimeValue": f"${lifetime:,.2f}",
            "nextOrderDate": upcoming[0]["place"][:10] if upcoming else "",
            "subscriberSince": customer["created"][:10],
        },
    }


async def test_basic_lookup_by_emails_answers_the_profile_field_by_field(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    email = fake.customers[CUSTOMER]["email"]
    response = await adaptor.lookup(
        {"lookupLevel": "BASIC", "query": {"emails": [email], "id": GLADLY_CUSTOMER}, "uniqueMatchRequired": False}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    [profile] = response.json()["results"]
    assert profile == expected_basic_profile(fake, CUSTOMER)
    # The demo's numbers, spelled out once so a wrong computation in both places cannot hide.
    assert profile["customAttributes"] == {
        "activeSubscriptions": "2",
        "totalSubscriptions": "3",
        "lifetimeValue": "$236.01",
        "nextOrderDate": "2025-01-17",
        "subscriberSince": "2023-12-26",
    }
    assert all(isinstance(value, str) for value in profile["customAttributes"].values())
    assert "transactions" not in profile


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda email: {"email": email}, id="email-string"),
        pytest.param(lambda email: {"emails": email}, id="emails-string"),
        pytest.param(lambda email: {"email": [email]}, id="email-list"),
        pytest.param(lambda email: {"customAttributes": {"emails": [email]}}, id="under-customAttributes"),
        pytest.param(lambda email: {"customAttributes": {"email": email}}, id="email-under-customAttributes"),
        pytest.param(lambda email: {"emails": [{"original": email}]}, id="email-objects"),
    ],
)
async def test_basic_lookup_accepts_every_spelling_of_the_emails(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, query: Any
) -> None:
    email = fake.customers["cust_0002"]["email"]
    response = await adaptor.lookup({"lookupLevel": "BASIC", "query": query(email)})
    assert response.status_code == 200
    assert [p["externalCustomerId"] for p in response.json()["results"]] == ["cust_0002"]


async def test_basic_lookup_of_several_emails_answers_each_customer_once(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    emails = [fake.customers["cust_0003"]["email"], fake.customers["cust_0004"]["email"]]
    response = await adaptor.lookup({"lookupLevel": "BASIC", "query": {"emails": [*emails, emails[0]]}})
    results = response.json()["results"]
    assert sorted(p["externalCustomerId"] for p in results) == ["cust_0003", "cust_0004"]
    for profile in results:
        assert profile == expected_basic_profile(fake, profile["externalCustomerId"])


async def test_basic_lookup_by_external_customer_id(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    response = await adaptor.lookup({"lookupLevel": "BASIC", "query": {"externalCustomerId": "cust_0005"}})
    assert response.json()["results"] == [expected_basic_profile(fake, "cust_0005")]


@pytest.mark.parametrize(
    "query",
    [
        {"emails": ["nobody@example.com"]},
        {"externalCustomerId": "cust_9999"},
        {"name": "Only A Name", "phones": ["+15125550001"]},
        {},
    ],
)
async def test_lookup_without_a_match_answers_no_results(adaptor: Adaptor, query: dict[str, Any]) -> None:
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": query, "uniqueMatchRequired": True})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def form_params(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query)


async def test_detailed_lookup_adds_subscription_and_order_transactions(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    response = await adaptor.lookup(
        {
            "lookupLevel": "DETAILED",
            "query": {"externalCustomerId": CUSTOMER, "id": GLADLY_CUSTOMER},
            "uniqueMatchRequired": True,
        }
    )
    assert response.status_code == 200
    [profile] = response.json()["results"]
    transactions = profile.pop("transactions")
    assert profile == expected_basic_profile(fake, CUSTOMER)

    subscriptions = {t["subscriptionId"]: t for t in transactions if t["type"] == "SUBSCRIPTION"}
    orders = [t for t in transactions if t["type"] == "ORDER"]
    assert set(subscriptions) == {s["public_id"] for s in subscriptions_of(fake, CUSTOMER)}
    [upcoming] = [o for o in fake.orders.values() if o["customer"] == CUSTOMER and o["status"] == 1]
    assert [o["orderNumber"] for o in orders] == [upcoming["public_id"]]

    for record in subscriptions_of(fake, CUSTOMER):
        transaction = subscriptions[record["public_id"]]
        product = fake.products[record["product"]]
        expected: dict[str, Any] = {
            "type": "SUBSCRIPTION",
            "subscriptionId": record["public_id"],
            "status": "ACTIVE" if record["live"] else "CANCELED",
            "createdAt": og_time(record["created"]),
            "updatedAt": og_time(record["updated"]),
            "billingFrequency": "Every month",
            "price": f"${product['price']}",
            "quantity": record["quantity"],
            "products": [
                {
                    "productId": product["external_product_id"],
                    "name": product["name"],
                    "sku": product["sku"],
                    "imageUrl": product["image_url"],
                }
            ],
        }
        if record["live"]:
            expected["nextBillingAt"] = og_time(upcoming["place"])
            kinds = ["cancel", "skip"]
            names = ["Cancel subscription", "Skip next order"]
        else:
            expected["canceledAt"] = og_time(record["cancelled"])
            expected["cancellationReason"] = "Customer request"
            kinds, names = ["reactivate"], ["Reactivate subscription"]
        actions = transaction.pop("actions")
        assert transaction == expected
        assert [a["name"] for a in actions] == names
        for action, kind in zip(actions, kinds, strict=True):
            path, params = form_params(action["formUrl"])
            assert path == f"/forms/{kind}/{record['public_id']}"
            assert params == {"gladlyCustomerId": [GLADLY_CUSTOMER]}

    [order] = orders
    items = fake.items_of(upcoming)
    actions = order.pop("actions")
    assert order == {
        "type": "ORDER",
        "orderNumber": upcoming["public_id"],
        "orderStatus": "UNSENT",
        "createdAt": og_time(upcoming["created"]),
        "orderTotal": f"${upcoming['total']}",
        "currencyCode": "USD",
        "itemCount": sum(item["quantity"] for item in items),
        "note": f"Scheduled to be placed on {upcoming['place'][:10]}",
        "products": [
            {
                "id": item["public_id"],
                "productId": item["product"],
                "name": fake.products[item["product"]]["name"],
                "sku": fake.products[item["product"]]["sku"],
                "imageUrl": fake.products[item["product"]]["image_url"],
                "quantity": item["quantity"],
                "status": "UNSENT",
                "unitPrice": f"${item['price']}",
                "total": f"${item['total_price']}",
            }
            for item in items
        ],
    }
    assert order["orderTotal"] == "$55.16"
    # One skip per active subscription in the order, aimed at this very order.
    assert len(actions) == len({item["subscription"] for item in items}) == 2
    for action, item in zip(actions, items, strict=True):
        assert action["name"] == f"Skip {fake.products[item['product']]['name']} in this order"
        path, params = form_params(action["formUrl"])
        assert path == f"/forms/skip/{item['subscription']}"
        assert params == {"orderId": [upcoming["public_id"]], "gladlyCustomerId": [GLADLY_CUSTOMER]}


async def test_detailed_lookup_runs_its_ordergroove_calls_in_rounds(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    # Through GraphQL: the subscriptions with their products, the orders with their items (REST takes 7 requests:
    # tests/gladly/test_gladly_lookup_graphql.py compares the two).
    assert [(r.method, r.path) for r in fake.requests] == [("POST", "/graphql/2026-01/")] * 2
    assert not fake.applied


async def test_detailed_lookup_without_a_gladly_id_still_offers_the_forms(adaptor: Adaptor) -> None:
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    [profile] = response.json()["results"]
    urls = [a["formUrl"] for t in profile["transactions"] for a in t.get("actions", [])]
    assert urls and all("gladlyCustomerId" not in url for url in urls)


async def test_lookup_answers_at_most_max_profiles(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, monkeypatch: pytest.MonkeyPatch
) -> None:
    emails = [fake.customers[f"cust_{n:04d}"]["email"] for n in range(1, 14)]
    response = await adaptor.lookup({"lookupLevel": "BASIC", "query": {"emails": emails}})
    assert len(response.json()["results"]) == _lookup.MAX_PROFILES


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (b'{"lookupLevel": "EVERYTHING", "query": {}}', "lookupLevel"),
        (b'{"lookupLevel": "BASIC", "query": ["a@b.com"]}', "query"),
    ],
)
async def test_a_malformed_lookup_is_a_400(adaptor: Adaptor, body: bytes, attr: str | None) -> None:
    response = await adaptor.request("POST", "/lookup", body=body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error.get("attr") == attr
    assert error["code"] in {"invalid_json", "invalid"}


@pytest.mark.parametrize("status", [500, 503])
async def test_ordergroove_failing_gives_a_clean_json_error(
    start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove, status: int
) -> None:
    fake.faults.add(status, times=None)
    async with start_adaptor(max_retries=1) as running:
        response = await running.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["code"] == "ordergroove_error"
    assert re.match(rf"Ordergroove \(127\.0\.0\.1:[0-9]+\) answered {status}", error["detail"])
    assert "Traceback" not in response.text and "<html>" not in response.text


async def test_ordergroove_too_slow_gives_a_504_at_the_deadline(
    start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove
) -> None:
    fake.faults.add(delay=3, times=None)
    async with start_adaptor(deadline=0.3) as running:
        response = await running.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 504
    assert response.json() == {
        "errors": [{"code": "ordergroove_timeout", "detail": "Ordergroove did not answer within 0.3 s; try again."}]
    }


async def test_ordergroove_down_gives_a_503(start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove) -> None:
    fake.faults.add(drop="before", times=None)
    async with start_adaptor() as running:
        response = await running.lookup({"lookupLevel": "BASIC", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "ordergroove_unavailable"


async def test_detailed_lookup_calls_run_concurrently(start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove) -> None:
    # Two slow requests (GraphQL's subscriptions and orders): one after the other they would take 2 s and miss the
    # 1.8 s deadline; together they take about 1 s.
    fake.faults.add(delay=1, times=None, path="^/graphql/")
    async with start_adaptor(deadline=1.8) as running:
        response = await running.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    assert len(response.json()["results"][0]["transactions"]) == 4
    # The faults did slow those calls (a deadline below one delay is missed).
    async with start_adaptor(deadline=0.5) as running:
        response = await running.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 504


async def test_a_lone_surrogate_in_the_request_is_a_400_before_ordergroove_is_called(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    # JSON can carry one as an escape; it has no UTF-8 form, so Ordergroove could never be asked about it.
    body = b'{"lookupLevel": "BASIC", "query": {"emails": ["a\\ud800@example.com"]}}'
    response = await adaptor.request("POST", "/lookup", body=body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "invalid_text"
    assert error["attr"] == "query.emails[0]"
    assert "lone surrogate" in error["detail"]
    assert fake.requests == []


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"query": ' * 50_000 + b"1" + b"}" * 50_000])
async def test_deeply_nested_json_is_a_400(adaptor: Adaptor, fake: ogt.FakeOrdergroove, body: bytes) -> None:
    response = await adaptor.request("POST", "/lookup", body=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"
    assert fake.requests == []


async def test_amounts_beyond_what_can_be_rounded_still_answer(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    live = next(s for s in subscriptions_of(fake, CUSTOMER) if s["live"])
    live["price"] = "1E+26"
    [upcoming] = [o for o in fake.orders.values() if o["customer"] == CUSTOMER and o["status"] == 1]
    upcoming["total"] = "9E+999999"
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    transactions = response.json()["results"][0]["transactions"]
    [subscription] = [t for t in transactions if t.get("subscriptionId") == live["public_id"]]
    assert subscription["price"] == "$100,000,000,000,000,000,000,000,000.00"
    [order] = [t for t in transactions if t["type"] == "ORDER"]
    assert order["orderTotal"] == "9E+999999 USD"


async def test_a_cancel_reason_code_in_other_digits_is_shown_as_it_is(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    canceled = next(s for s in subscriptions_of(fake, CUSTOMER) if not s["live"])
    canceled["cancel_reason"] = "\u00b2|moving"
    canceled["cancel_reason_code"] = None  # as Ordergroove's rules store it: "\u00b2" is no code
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    [transaction] = [
        t for t in response.json()["results"][0]["transactions"] if t.get("subscriptionId") == canceled["public_id"]
    ]
    assert transaction["cancellationReason"] == "moving"


async def test_a_record_with_a_value_of_no_documented_form_still_shows_what_it_can(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    # Ordergroove's own examples hold impossible dates and "undefined" amounts: the lookup still shows the record.
    live = next(s for s in subscriptions_of(fake, CUSTOMER) if s["live"])
    live["created"] = "2017-02-29 12:00:00"
    live["price"] = "undefined"
    [upcoming] = [o for o in fake.orders.values() if o["customer"] == CUSTOMER and o["status"] == 1]
    upcoming["total"] = "undefined"
    upcoming["created"] = "2017-02-30 08:00:00"
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    [profile] = response.json()["results"]
    transactions = profile["transactions"]
    assert len(transactions) == len(subscriptions_of(fake, CUSTOMER)) + 1
    [subscription] = [t for t in transactions if t.get("subscriptionId") == live["public_id"]]
    assert subscription["status"] == "ACTIVE"
    assert "createdAt" not in subscription  # the value that cannot be read is left out, the rest is shown
    assert subscription["billingFrequency"].startswith("Every")
    assert subscription["price"].startswith("$")  # the product's price stands in for the subscription's
    assert [action["name"] for action in subscription["actions"]] == ["Cancel subscription", "Skip next order"]
    [order] = [t for t in transactions if t["type"] == "ORDER"]
    assert order["orderNumber"] == upcoming["public_id"] and order["orderStatus"] == "UNSENT"
    assert "orderTotal" not in order and "createdAt" not in order
    assert profile["customAttributes"]["activeSubscriptions"] == "2"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("live", "yes"),
        ("product", [1]),
        ("public_id", {"id": 1}),
        ("every_period", "weekly"),
        ("quantity", "two"),
        ("cancelled", "2017-02-29 12:00:00"),
        ("components", [1]),
    ],
)
async def test_a_subscription_of_no_documented_form_is_still_a_transaction(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, field: str, value: Any
) -> None:
    # A canceled one for its cancellation date, an active one otherwise.
    chosen = next(s for s in subscriptions_of(fake, CUSTOMER) if s["live"] is (field != "cancelled"))
    chosen[field] = value
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    [profile] = response.json()["results"]
    subscriptions = [t for t in profile["transactions"] if t["type"] == "SUBSCRIPTION"]
    assert len(subscriptions) == len(subscriptions_of(fake, CUSTOMER))
    if field == "cancelled":  # a cancellation date that cannot be read is still a cancellation
        [shown] = [t for t in subscriptions if t.get("subscriptionId") == chosen["public_id"]]
        assert shown["status"] == "CANCELED" and "canceledAt" not in shown
        assert [action["name"] for action in shown["actions"]] == ["Reactivate subscription"]


@pytest.mark.parametrize(("field", "value"), [("status", "sent"), ("public_id", [7]), ("place", "someday")])
async def test_an_order_of_no_documented_form_is_still_a_transaction(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, field: str, value: Any
) -> None:
    [upcoming] = [o for o in fake.orders.values() if o["customer"] == CUSTOMER and o["status"] == 1]
    upcoming[field] = value
    response = await adaptor.lookup({"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}})
    assert response.status_code == 200
    orders = [t for t in response.json()["results"][0]["transactions"] if t["type"] == "ORDER"]
    if field != "status":  # a status that cannot be read is no longer among the upcoming (UNSENT) orders
        assert len(orders) == 1
