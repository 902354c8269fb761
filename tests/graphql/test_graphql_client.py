"""``client.graphql`` (sync and async) against the emulator: raw queries, pagination, the typed calls, errors,
retries and the ``graphql_version`` option."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from conftest import OneKind

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pytest.importorskip("graphql")

PAGED = """query Paged($after: String, $first: Int) {
  orders(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { publicId status } } }
}"""
TEN_LEVELS = (
    "{ orders { edges { node { items { nodes { subscription { components { product { groups { name } } } } } } } } } }"
)


class Graph(OneKind):
    """One client (sync or async) with awaitable helpers, so that each test is written once for both."""

    def __init__(self, fake: FakeOrdergroove, kind: str) -> None:
        self.fake = fake
        super().__init__(kind)

    def make(self, **options: Any) -> Any:
        return self._keep(self.fake.async_client(**options) if self.is_async else self.fake.client(**options))

    async def records(self, fn: Callable[[Any], Any], client: Any = None) -> list[Any]:
        pager = fn(self.client if client is None else client)
        if self.is_async:
            return [record async for record in pager]
        return list(pager)


@pytest.fixture(scope="module")
def demo() -> FakeOrdergroove:
    return FakeOrdergroove.demo()


@pytest.fixture(params=["sync", "async"])
async def g(request: pytest.FixtureRequest, demo: FakeOrdergroove, sleeps: Any) -> AsyncIterator[Graph]:
    demo.requests.clear()
    demo.faults.clear()
    graph = Graph(demo, request.param)
    try:
        yield graph
    finally:
        await graph.close()


def _graphql_requests(fake: FakeOrdergroove) -> list[Any]:
    return [r for r in fake.requests if r.path.startswith("/graphql/")]


async def test_query_returns_the_data(g: Graph, demo: FakeOrdergroove) -> None:
    order = next(iter(demo.orders.values()))
    data = await g.run(
        lambda c: c.graphql.query(
            "query($id: String!) { order(publicId: $id) { publicId status } }", {"id": order["public_id"]}
        )
    )
    assert data == {"order": {"publicId": order["public_id"], "status": order["status"]}}
    (sent,) = _graphql_requests(demo)
    assert sent.method == "POST" and sent.path == "/graphql/2026-01/"
    assert sent.json["variables"] == {"id": order["public_id"]}


async def test_paginate_follows_page_info_to_the_end(g: Graph, demo: FakeOrdergroove) -> None:
    nodes = await g.records(lambda c: c.graphql.paginate(PAGED, {"first": 40}, connection="orders"))
    assert len(nodes) == len(demo.orders)
    assert len({node["publicId"] for node in nodes}) == len(nodes)
    sent = _graphql_requests(demo)
    assert len(sent) == -(-len(nodes) // 40)
    assert "after" not in sent[0].json["variables"] and all(r.json["variables"]["after"] for r in sent[1:])
    assert all(r.json["variables"]["first"] == 40 for r in sent)


async def test_paginate_needs_after_and_a_connection(g: Graph) -> None:
    with pytest.raises(og.ConfigurationError, match=r"\$after"):
        g.client.graphql.paginate("{ orders { edges { node { publicId } } } }", connection="orders")
    with pytest.raises(og.ConfigurationError, match="connection"):
        g.client.graphql.paginate(PAGED, connection="")
    with pytest.raises(og.ResponseDecodeError, match="'subscriptions'"):
        await g.records(lambda c: c.graphql.paginate(PAGED, connection="subscriptions"))


async def test_typed_subscription_and_order(g: Graph, demo: FakeOrdergroove) -> None:
    record = next(iter(demo.subscriptions.values()))
    subscription = await g.run(lambda c: c.graphql.subscription(record["public_id"]))
    assert isinstance(subscription, og.graphql.Subscription)
    assert subscription.public_id == record["public_id"]
    assert subscription.customer is not None and subscription.customer.merchant_user_id == record["customer"]
    assert await g.run(lambda c: c.graphql.subscription("no-such-subscription")) is None
    order_record = next(iter(demo.orders.values()))
    order = await g.run(lambda c: c.graphql.order(order_record["public_id"]))
    assert isinstance(order, og.graphql.Order) and order.public_id == order_record["public_id"]
    assert await g.run(lambda c: c.graphql.order("no-such-order")) is None


async def test_typed_lists_page_and_filter(g: Graph, demo: FakeOrdergroove) -> None:
    subscriptions = await g.records(lambda c: c.graphql.subscriptions(page_size=9))
    assert len(subscriptions) == len(demo.subscriptions)
    assert all(isinstance(s, og.graphql.Subscription) for s in subscriptions)
    customer = subscriptions[0].customer.merchant_user_id
    live = await g.records(lambda c: c.graphql.subscriptions(customer=customer, live=True))
    expected = {s["public_id"] for s in demo.subscriptions.values() if s["customer"] == customer and s["live"]}
    assert {s.public_id for s in live} == expected
    unsent = await g.records(lambda c: c.graphql.orders(customer=customer, status=og.OrderStatus.UNSENT))
    assert unsent and all(o.status == 1 and o.customer.merchant_user_id == customer for o in unsent)
    some = await g.records(lambda c: c.graphql.orders(status=[1, 5], place_start=dt.date(2000, 1, 1), page_size=50))
    sent = _graphql_requests(demo)[-1].json["variables"]
    assert sent["status"] == [1, 5] and sent["placeStart"] == "2000-01-01" and sent["first"] == 50
    assert all(o.status in (1, 5) for o in some)


async def test_in_stock_sends_the_newer_document(g: Graph, demo: FakeOrdergroove) -> None:
    # inStock is newer: 2026-01 refuses it (the whole document), unstable has it.
    with pytest.raises(og.GraphQLError) as caught:
        await g.records(lambda c: c.graphql.orders(in_stock=True))
    assert caught.value.status_code == 400 and "inStock" in str(caught.value)
    unstable = g.make(graphql_version="unstable")
    orders = await g.records(lambda c: c.graphql.orders(in_stock=True, page_size=100), unstable)
    assert orders and _graphql_requests(demo)[-1].path == "/graphql/unstable/"
    plain = await g.run(lambda c: c.graphql.orders(page_size=5).to_list(1))
    assert "inStock" not in _graphql_requests(demo)[-1].json["query"] and len(plain) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"customer": ""}, "customer"),
        ({"status": "1"}, "status"),
        ({"status": [1, True]}, "status"),
        ({"place": dt.datetime(2026, 1, 1)}, "place"),
        ({"include_prepaid_orders": "yes"}, "include_prepaid_orders"),
        ({"in_stock": 1}, "in_stock"),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    g: Graph, demo: FakeOrdergroove, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(og.ConfigurationError, match=match):
        g.client.graphql.orders(**kwargs)
    with pytest.raises(og.ConfigurationError, match="public_id"):
        await g.run(lambda c: c.graphql.order(""))
    with pytest.raises(og.ConfigurationError, match="query"):
        await g.run(lambda c: c.graphql.query("  "))
    with pytest.raises(og.ConfigurationError, match="variables"):
        await g.run(lambda c: c.graphql.query('{ order(publicId: "x") { publicId } }', [1]))
    assert _graphql_requests(demo) == []


async def test_a_limit_refused_by_the_server_says_which(g: Graph) -> None:
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(lambda c: c.graphql.query(TEN_LEVELS))
    error = caught.value
    assert error.status_code == 400 and error.limit == "depth" and error.data is None
    assert error.errors[0]["message"] and set(error.errors[0]) == {"message", "path", "locations", "extensions"}
    assert isinstance(error, og.APIStatusError)
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(lambda c: c.graphql.query("{ orders(first: 300) { edges { node { publicId } } } }"))
    assert caught.value.limit == "page_size"
    wide = " ".join(f"a{i}: customer {{ email }}" for i in range(40))
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(lambda c: c.graphql.query(f'{{ order(publicId: "x") {{ {wide} }} }}'))
    assert caught.value.limit == "complexity"
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(
            lambda c: c.graphql.query('{ a: order(publicId: "x") { publicId } b: order(publicId: "y") { publicId } }')
        )
    assert caught.value.limit == "root_fields"
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(lambda c: c.graphql.query("{ order { nope } }"))
    assert caught.value.limit is None


async def test_errors_with_partial_data(g: Graph, demo: FakeOrdergroove) -> None:
    body = {"data": {"order": None}, "errors": [{"message": "boom", "path": ["order"]}]}
    demo.faults.add(200, path="/graphql/", body=body)
    with pytest.raises(og.GraphQLError) as caught:
        await g.run(lambda c: c.graphql.query('{ order(publicId: "x") { publicId } }'))
    error = caught.value
    assert error.status_code == 200 and error.data == {"order": None} and error.limit is None
    assert error.errors == [{"message": "boom", "path": ["order"], "locations": None, "extensions": None}]
    assert "boom" in str(error)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, og.AuthenticationError), (403, og.PermissionDeniedError), (410, og.APIStatusError)],
)
async def test_http_errors_map_as_for_rest(
    g: Graph, demo: FakeOrdergroove, status: int, error_class: type[og.APIStatusError]
) -> None:
    demo.faults.add(status, path="/graphql/")
    with pytest.raises(error_class) as caught:
        await g.run(lambda c: c.graphql.query('{ order(publicId: "x") { publicId } }'))
    assert caught.value.status_code == status and not isinstance(caught.value, og.GraphQLError)


async def test_every_failure_is_retried_a_query_is_a_read(g: Graph, demo: FakeOrdergroove) -> None:
    demo.faults.add(503, path="/graphql/")
    demo.faults.add(drop="after", path="/graphql/")
    demo.faults.add(429, path="/graphql/", retry_after=2)
    assert await g.run(lambda c: c.graphql.order("no-such-order"), g.make(max_retries=3)) is None
    # The dropped connection came after the answer was made: a read is retried even so.
    assert [bool(r.fault) for r in _graphql_requests(demo)] == [True, True, True, False]
    demo.faults.add(503, path="/graphql/", times=None)
    with pytest.raises(og.ServerError):
        await g.run(lambda c: c.graphql.order("x"), g.make(max_retries=1))
    demo.faults.clear()


async def test_graphql_version_option(g: Graph, demo: FakeOrdergroove) -> None:
    assert g.client.graphql_version == og.graphql.CURRENT_VERSION == "2026-01"
    copy = g.client.with_options(graphql_version="unstable")
    assert copy.graphql_version == "unstable" and g.client.graphql_version == "2026-01"
    assert copy.with_options(timeout=3).graphql_version == "unstable"
    await g.run(lambda c: c.graphql.query('{ order(publicId: "x") { publicId } }'), copy)
    assert _graphql_requests(demo)[-1].path == "/graphql/unstable/"
    for bad in ("2025-01", "", 2026):
        with pytest.raises(og.ConfigurationError, match="graphql_version"):
            g.make(graphql_version=bad)
        with pytest.raises(og.ConfigurationError, match="graphql_version"):
            g.client.with_options(graphql_version=bad)


MUTATIONS = [
    'mutation { cancelSubscription(publicId: "s1") { publicId } }',
    "# a comment\n  mutation Cancel($id: String) { cancel(id: $id) { ok } }",
    "fragment F on Order { publicId }\nmutation M { skip { ...F } }",
    'query Q { orders { edges { node { publicId } } } }\nmutation M($q: String = "query") { x }',
]


@pytest.mark.parametrize("document", MUTATIONS)
@pytest.mark.parametrize("fault", ["503", "drop-after"])
async def test_a_mutation_is_never_sent_twice(g: Graph, demo: FakeOrdergroove, document: str, fault: str) -> None:
    # Ordergroove documents no mutation, but client.graphql.query sends whatever it is given: a change sent again
    # after it may have arrived could apply twice, as any REST action that is not retry-safe.
    before = len(_graphql_requests(demo))
    if fault == "503":
        demo.faults.add(503, path="/graphql/")
        expected: type[og.OrdergrooveError] = og.ServerError
    else:
        demo.faults.add(drop="after", path="/graphql/")
        expected = og.APIConnectionError
    with pytest.raises(expected) as caught:
        await g.run(lambda c: c.graphql.query(document))
    if isinstance(caught.value, og.APIConnectionError):
        assert caught.value.request_sent is True
    assert len(_graphql_requests(demo)) == before + 1
    demo.faults.clear()


@pytest.mark.parametrize(
    "document",
    [
        '{ order(publicId: "mutation") { publicId } }',
        '# mutation { x }\nquery { mutation: order(publicId: "x") { publicId } }',
        'query Q($mutation: String = "x") { order(publicId: $mutation) { publicId } }',
        '"""mutation docs""" query { order(publicId: "x") { publicId } }',
    ],
)
async def test_a_query_that_names_mutation_is_still_a_read(g: Graph, demo: FakeOrdergroove, document: str) -> None:
    before = len(_graphql_requests(demo))
    demo.faults.add(503, path="/graphql/")
    with contextlib.suppress(og.GraphQLError):  # the emulator may refuse the document; only the retry matters
        await g.run(lambda c: c.graphql.query(document))
    assert len(_graphql_requests(demo)) == before + 2
    demo.faults.clear()
