"""The DETAILED lookup through Ordergroove's GraphQL API: at most two requests in one round, the very answer REST
gives (every demo customer, both paths compared), and REST when GraphQL is refused or cannot say all REST would.

The lookup is async only (the Gladly service runs on the async client), so there is no sync path to test.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

import ordergroove as og
from ordergroove import testing as ogt
from ordergroove.gladly import _lookup, _lookup_graphql
from ordergroove.gladly._service import Service, ServiceError
from ordergroove.graphql import MAX_COMPLEXITY, MAX_DEPTH, measure

pytest.importorskip("graphql")

GRAPHQL_PATH = "/graphql/2026-01/"


@pytest.fixture
def fake() -> ogt.FakeOrdergroove:
    return ogt.FakeOrdergroove.demo()


@pytest.fixture
async def service(fake: ogt.FakeOrdergroove) -> AsyncIterator[Service]:
    async with fake.async_client(max_retries=0) as client:
        yield Service(client=client)


async def detailed(
    service: Service, fake: ogt.FakeOrdergroove, customer: str, *, use_graphql: bool = True
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The answer to a DETAILED lookup by ``externalCustomerId``, and the requests it made."""
    before = len(fake.requests)
    payload = {"lookupLevel": "DETAILED", "query": {"externalCustomerId": customer, "id": "gladly-1"}}
    answer = await _lookup.lookup(service, payload, root_path="/gladly", use_graphql=use_graphql)
    return answer, [(r.method, r.path) for r in fake.requests[before:]]


def test_the_queries_stay_within_the_documented_limits() -> None:
    for document in (_lookup_graphql.SUBSCRIPTIONS, _lookup_graphql.ORDERS):
        cost = measure(document)
        assert cost.root_fields == 1
        assert cost.depth <= MAX_DEPTH and cost.complexity <= MAX_COMPLEXITY
    # The figures, so that a field added to a query is a decision seen in review.
    assert measure(_lookup_graphql.SUBSCRIPTIONS).complexity == 56
    assert (measure(_lookup_graphql.ORDERS).depth, measure(_lookup_graphql.ORDERS).complexity) == (7, 66)


async def test_every_demo_customer_gets_the_rest_answer_in_two_graphql_requests(
    service: Service, fake: ogt.FakeOrdergroove
) -> None:
    transactions = 0
    for customer in sorted(fake.customers):
        through_graphql, graphql_requests = await detailed(service, fake, customer)
        through_rest, rest_requests = await detailed(service, fake, customer, use_graphql=False)
        assert through_graphql == through_rest, customer
        assert graphql_requests == [("POST", GRAPHQL_PATH)] * 2, customer
        assert len(rest_requests) >= 6 and all(method == "GET" for method, _ in rest_requests)
        if customer == "cust_0001":  # customer, summary (2 lists), subscriptions, upcoming orders, items, products
            assert len(rest_requests) == 7
        [profile] = through_graphql["results"]
        transactions += len(profile["transactions"])
    assert transactions > 2 * len(fake.customers)  # the answers compared are full ones
    assert not fake.applied


async def test_the_two_requests_run_in_one_round(fake: ogt.FakeOrdergroove) -> None:
    # Each request takes 1 s: one after the other they would miss the 1.8 s deadline; together they take 1 s.
    fake.faults.add(delay=1, times=None, path="^/graphql/")
    async with fake.async_client(max_retries=0) as client:
        answer, requests = await detailed(Service(client=client, deadline=1.8), fake, "cust_0001")
    assert len(answer["results"][0]["transactions"]) == 4 and len(requests) == 2


async def test_cancel_reasons_and_summer_times_read_as_rest_does(service: Service, fake: ogt.FakeOrdergroove) -> None:
    customer = fake.add_customer("cust_edge", created="2024-07-04 03:30:00")  # daylight time in Chicago
    reasons = ["4", "Moving abroad", "4|Overstocked", "10|a|b", None]
    for reason in reasons:
        fake.add_subscription(customer, "prod_0001", live=False, cancel_reason=reason)
    fake.add_subscription(customer, "prod_0002", next_order_date=fake.clock.now().replace(month=7, day=1, year=2025))
    through_graphql, requests = await detailed(service, fake, "cust_edge")
    through_rest, _ = await detailed(service, fake, "cust_edge", use_graphql=False)
    assert through_graphql == through_rest and len(requests) == 2
    shown = [t.get("cancellationReason") for t in through_graphql["results"][0]["transactions"]]
    assert shown[: len(reasons)] == ["Overstocked", "Moving abroad", "Overstocked", "Other: a|b", None]


async def test_a_customer_without_records_asks_rest_whether_it_exists(
    service: Service, fake: ogt.FakeOrdergroove
) -> None:
    fake.add_customer("cust_new")
    for customer, found in (("cust_new", 1), ("no-such-customer", 0)):
        through_graphql, requests = await detailed(service, fake, customer)
        through_rest, _ = await detailed(service, fake, customer, use_graphql=False)
        assert through_graphql == through_rest and len(through_graphql["results"]) == found
        assert requests == [("POST", GRAPHQL_PATH)] * 2 + [("GET", f"/customers/{customer}/")]


async def test_what_graphql_cannot_say_is_asked_of_rest(service: Service, fake: ogt.FakeOrdergroove) -> None:
    # An upcoming order with more than GraphQL's 100 items.
    subscription = fake.add_subscription("cust_big", "prod_0001")
    order = fake.upcoming_order(subscription)
    assert order is not None
    for _ in range(100):
        fake.add_item(order, product="prod_0002", subscription=subscription["public_id"])
    through_graphql, requests = await detailed(service, fake, "cust_big")
    through_rest, rest_requests = await detailed(service, fake, "cust_big", use_graphql=False)
    assert through_graphql == through_rest
    assert requests == [("POST", GRAPHQL_PATH)] * 2 + rest_requests
    assert len(through_graphql["results"][0]["transactions"][-1]["products"]) == 101  # its first item and the 100 added


@pytest.mark.parametrize("status", [401, 403, 404, 410, 400])
async def test_graphql_refused_the_answer_comes_from_rest_and_the_refusal_is_remembered(
    service: Service, fake: ogt.FakeOrdergroove, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    through_rest, rest_requests = await detailed(service, fake, "cust_0001", use_graphql=False)
    if status == 410:
        fake.sunset_graphql_version("2026-01")
    else:
        fake.faults.add(status, times=None, path="^/graphql/", body={"errors": [{"message": "no GraphQL for you"}]})
    caplog.set_level(logging.WARNING, logger="ordergroove.gladly")
    answer, requests = await detailed(service, fake, "cust_0001")
    assert answer == through_rest
    graphql_requests = [r for r in requests if r[1] == GRAPHQL_PATH]
    assert 1 <= len(graphql_requests) <= 2 and requests[len(graphql_requests) :] == rest_requests
    [warning] = [r.getMessage() for r in caplog.records if r.name == "ordergroove.gladly"]
    assert "the lookup uses REST for 600 s" in warning and str(status) in warning
    assert fake.api_key not in warning
    # The next lookups go to REST at once (GraphQL is tried again after REFUSAL_MEMORY).
    answer, requests = await detailed(service, fake, "cust_0001")
    assert answer == through_rest and requests == rest_requests


async def test_a_server_error_of_graphql_is_not_remembered(service: Service, fake: ogt.FakeOrdergroove) -> None:
    through_rest, rest_requests = await detailed(service, fake, "cust_0001", use_graphql=False)
    fake.faults.add(503, times=2, path="^/graphql/")
    answer, requests = await detailed(service, fake, "cust_0001")
    assert answer == through_rest and requests[-len(rest_requests) :] == rest_requests
    answer, requests = await detailed(service, fake, "cust_0001")
    assert answer == through_rest and requests == [("POST", GRAPHQL_PATH)] * 2


async def test_a_rate_limit_is_ordergroove_s_answer_not_a_fallback(fake: ogt.FakeOrdergroove) -> None:
    fake.faults.add(429, times=None, path="^/graphql/")
    async with fake.async_client(max_retries=0) as client:
        with pytest.raises(ServiceError) as caught:
            await detailed(Service(client=client), fake, "cust_0001")
    assert caught.value.status_code == 502 and "429" in caught.value.errors[0]["detail"]
    assert all(path == GRAPHQL_PATH for _, path in [(r.method, r.path) for r in fake.requests])


async def test_records_convert_graphql_times_to_rest_s_utc() -> None:
    assert _lookup_graphql.rest_time("2024-03-15T00:00:00-06:00") == "2024-03-15 06:00:00"
    assert _lookup_graphql.rest_time("2024-07-04T00:00:00-05:00") == "2024-07-04 05:00:00"
    assert _lookup_graphql.rest_time(None) is None
    for bad in ("2024-03-15T00:00:00", "soon", 5):
        with pytest.raises(_lookup_graphql.Incomplete):
            _lookup_graphql.rest_time(bad)


def test_version_sunset_error_is_public() -> None:
    assert issubclass(og.VersionSunsetError, og.APIStatusError)


async def test_graphql_is_tried_again_once_the_refusal_is_forgotten(
    service: Service, fake: ogt.FakeOrdergroove, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_lookup_graphql, "REFUSAL_MEMORY", 0.0)
    fake.faults.add(401, times=2, path="^/graphql/")
    await detailed(service, fake, "cust_0001")
    fake.faults.clear()
    _, requests = await detailed(service, fake, "cust_0001")
    assert requests == [("POST", GRAPHQL_PATH)] * 2


async def test_a_detailed_lookup_by_email_fetches_each_customer_through_graphql(
    service: Service, fake: ogt.FakeOrdergroove
) -> None:
    email = fake.customers["cust_0002"]["email"]
    payload = {"lookupLevel": "DETAILED", "query": {"emails": [email]}}
    before = len(fake.requests)
    through_graphql = await _lookup.lookup(service, payload)
    requests = [(r.method, r.path) for r in fake.requests[before:]]
    assert through_graphql == await _lookup.lookup(service, payload, use_graphql=False)
    assert requests == [("GET", "/customers/")] + [("POST", GRAPHQL_PATH)] * 2
    assert through_graphql["results"][0]["transactions"]
