"""The emulator's GraphQL endpoint through its HTTP surface: the demo data, pagination, limits, errors, versions,
auth, and REST changes seen at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

from ._support import KEY, Api

pytest.importorskip("graphql")

URL = "/graphql/2026-01/"
LIMITED = "limited-key"  # an x-api-key without the "API Access" (bulk operations) permission


@pytest.fixture(scope="module")
def demo() -> FakeOrdergroove:
    """Read-only tests share one demo store (building it is the slow part)."""
    fake = FakeOrdergroove.demo(api_key=KEY)
    fake.add_api_key(LIMITED)
    return fake


@pytest.fixture
def client(demo: FakeOrdergroove) -> Iterator[httpx.Client]:
    with httpx.Client(transport=demo.transport(), base_url=demo.base_url, headers={"x-api-key": KEY}) as http:
        yield http


def post(http: httpx.Client, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return http.post(kwargs.pop("url", URL), json=body, **kwargs)


def data(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def refused(response: httpx.Response, status: int) -> list[str]:
    """The messages of an error answer in the documented shape: {"errors": [{"message": ...}]}."""
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    assert errors and all(isinstance(error["message"], str) and error["message"] for error in errors)
    return [error["message"] for error in errors]


def paginate(http: httpx.Client, query: og.graphql.TypedQuery[Any], **arguments: Any) -> Iterator[dict[str, Any]]:
    """Follow pageInfo to the end, as the reference's iteration recipe does."""
    after = None
    while True:
        variables = query.variables(**arguments, after=after)
        page = data(post(http, query.document, variables))[query.root]
        yield page
        info = page["pageInfo"]
        if not info["hasNextPage"] or not info["endCursor"]:
            return
        after = info["endCursor"]


# -- queries over the demo data --------------------------------------------------------------------------------------


def test_the_typed_subscription_query_answers_the_store_record(api: Api) -> None:
    fake = api.fake
    fake.add_product("p1", price="10.00", name="Coffee")
    record = fake.add_subscription("c1", "p1", quantity=2, every=2, every_period=2, start_date=dt.date(2025, 1, 15))
    query = og.graphql.SUBSCRIPTION
    response = api.request(
        "POST", URL, json={"query": query.document, "variables": query.variables(public_id=record["public_id"])}
    )
    found = data(response)["subscription"]
    sub = og.graphql.from_dict(og.graphql.Subscription, found, strict=True)
    assert sub.public_id == record["public_id"]
    assert (sub.quantity, sub.every, sub.every_period, sub.live) == (2, 2, 2, True)
    assert sub.start_date == dt.date(2025, 1, 15)
    assert found["startDate"] == "2025-01-15T00:00:00-06:00"  # the documented DateTime form of a Date
    assert found["created"] == "2025-03-01T06:00:00-06:00"  # the clock's 12:00 UTC in Chicago (standard time)
    assert sub.product is not None and (sub.product.name, sub.product.price) == ("Coffee", Decimal("10.00"))
    assert sub.customer is not None and sub.customer.merchant_user_id == "c1"
    assert sub.shipping_address is not None and sub.shipping_address.city == record_address(fake, record)["city"]
    assert sub.merchant_public_id == fake.merchant_public_id


def record_address(fake: FakeOrdergroove, record: dict[str, Any]) -> dict[str, Any]:
    return dict(fake.addresses[record["shipping_address"]])


def test_the_typed_order_query_answers_items_and_totals(client: httpx.Client, demo: FakeOrdergroove) -> None:
    order = next(o for o in demo.orders.values() if o["customer"] == "cust_0001" and o["status"] == 1)
    query = og.graphql.ORDER
    found = data(post(client, query.document, query.variables(public_id=order["public_id"])))["order"]
    model = og.graphql.from_dict(og.graphql.Order, found, strict=True)
    assert (model.status, model.total, model.sub_total) == (1, Decimal(order["total"]), Decimal(order["sub_total"]))
    assert model.items is not None and model.items.nodes is not None and model.items.has_more is False
    assert {i.public_id for i in model.items.nodes} == {i["public_id"] for i in demo.items_of(order)}
    assert len(model.items.nodes) == 2  # cust_0001's two active subscriptions ship together
    assert all(i.subscription is not None and i.subscription.live for i in model.items.nodes)
    assert model.customer is not None and model.customer.email == demo.customers["cust_0001"]["email"]


def test_an_unknown_public_id_is_null(client: httpx.Client) -> None:
    assert data(post(client, '{ order(publicId: "nope") { publicId } }')) == {"order": None}
    assert data(post(client, '{ subscription(publicId: "nope") { publicId } }')) == {"subscription": None}


def test_canceled_subscription_reads_its_reason(client: httpx.Client, demo: FakeOrdergroove) -> None:
    record = next(s for s in demo.subscriptions.values() if s["customer"] == "cust_0001" and not s["live"])
    query = '{ subscription(publicId: "%s") { live cancelled cancelReason cancelReasonCode { code reason } } }'
    found = data(post(client, query % record["public_id"]))["subscription"]
    code = int(record["cancel_reason"].split("|")[0])
    assert found["live"] is False and found["cancelled"] is not None
    assert found["cancelReason"] == record["cancel_reason"].split("|", 1)[1]
    assert found["cancelReasonCode"]["code"] == code and found["cancelReasonCode"]["reason"]


# -- pagination ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [7, 100])
def test_subscriptions_paginate_to_the_end(client: httpx.Client, demo: FakeOrdergroove, page_size: int) -> None:
    pages = list(paginate(client, og.graphql.SUBSCRIPTIONS, first=page_size))
    nodes = [edge["node"]["publicId"] for page in pages for edge in page["edges"]]
    assert nodes == list(demo.subscriptions)  # each once, in the store's order
    assert len(pages) == -(-len(demo.subscriptions) // page_size)
    assert all(len(page["edges"]) == page_size for page in pages[:-1])
    assert pages[0]["pageInfo"]["hasPreviousPage"] is False and pages[-1]["pageInfo"]["hasNextPage"] is False
    for page in pages:
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


def test_orders_filter_and_paginate(client: httpx.Client, demo: FakeOrdergroove) -> None:
    pages = list(paginate(client, og.graphql.ORDERS, customer="cust_0001", status=[5], first=2))
    found = [edge["node"] for page in pages for edge in page["edges"]]
    expected = [o for o in demo.orders.values() if o["customer"] == "cust_0001" and o["status"] == 5]
    assert len(expected) > 2 and [o["publicId"] for o in found] == [o["public_id"] for o in expected]
    for node in found:
        og.graphql.from_dict(og.graphql.Order, node, strict=True)


def test_orders_place_filters_are_inclusive_days(client: httpx.Client, demo: FakeOrdergroove) -> None:
    everything = [
        e["node"] for p in paginate(client, og.graphql.ORDERS, customer="cust_0001", first=100) for e in p["edges"]
    ]
    day = everything[1]["place"][:10]
    same = data(
        post(
            client,
            og.graphql.ORDERS.document,
            og.graphql.ORDERS.variables(customer="cust_0001", place=dt.date.fromisoformat(day)),
        )
    )
    assert {e["node"]["place"][:10] for e in same["orders"]["edges"]} == {day}
    ranged = og.graphql.ORDERS.variables(
        customer="cust_0001", place_start=dt.date.fromisoformat(day), place_end=dt.date.fromisoformat(day), first=100
    )
    within = data(post(client, og.graphql.ORDERS.document, ranged))["orders"]["edges"]
    assert [e["node"]["publicId"] for e in within] == [o["publicId"] for o in everything if o["place"][:10] == day]


def test_backward_pagination_with_last_and_before(client: httpx.Client, demo: FakeOrdergroove) -> None:
    query = (
        "query($last: Int, $before: String) { subscriptions(last: $last, before: $before) "
        "{ pageInfo { hasPreviousPage startCursor } edges { node { publicId } } } }"
    )
    seen: list[str] = []
    before = None
    while True:
        page = data(post(client, query, {"last": 30, "before": before}))["subscriptions"]
        seen = [e["node"]["publicId"] for e in page["edges"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == list(demo.subscriptions)


def test_the_default_page_is_ten(client: httpx.Client) -> None:
    page = data(post(client, "{ subscriptions { edges { cursor } pageInfo { hasNextPage } } }"))["subscriptions"]
    assert len(page["edges"]) == 10 and page["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    "arguments",
    ["first: 101", "last: 101", "first: -1", "first: 2, last: 2", 'after: "not-a-cursor"', 'before: "Y3Vyc29yOng="'],
)
def test_bad_paging_arguments_are_refused(client: httpx.Client, arguments: str) -> None:
    messages = refused(post(client, "{ subscriptions(ARGS) { edges { cursor } } }".replace("ARGS", arguments)), 400)
    assert any(word in messages[0] for word in ("first", "last", "cursor"))


def test_the_default_selections_run_at_the_largest_page_size(client: httpx.Client, demo: FakeOrdergroove) -> None:
    for query in (og.graphql.SUBSCRIPTIONS, og.graphql.ORDERS):
        page = data(post(client, query.document, query.variables(first=og.graphql.MAX_PAGE_SIZE)))[query.root]
        total = len(demo.subscriptions if query is og.graphql.SUBSCRIPTIONS else demo.orders)
        assert len(page["edges"]) == min(total, og.graphql.MAX_PAGE_SIZE) and total > 50
        for edge in page["edges"]:
            og.graphql.from_dict(query.model, edge["node"], strict=True)


# -- limits ----------------------------------------------------------------------------------------------------------


def test_depth_over_nine_is_refused(client: httpx.Client) -> None:
    nine = "{ orders { edges { node { items { nodes { subscription { product { groups { name } } } } } } } } }"
    assert "orders" in data(post(client, nine))
    # The tenth level: a component's product of the item's subscription.
    ten = nine.replace("product { groups { name } }", "components { product { groups { name } } }")
    (message,) = refused(post(client, ten), 400)
    assert "depth 10" in message and "9" in message


def test_complexity_over_200_is_refused_before_it_runs(client: httpx.Client, demo: FakeOrdergroove) -> None:
    scalars = " ".join(f"f{n}: publicId" for n in range(196))  # aliases: the same field many times
    within = '{ subscription(publicId: "x") { SCALARS product { sku } } }'.replace("SCALARS", scalars)  # 196+5+1
    (message,) = refused(post(client, within), 400)
    assert "complexity 202" in message and "200" in message
    at_limit = '{ subscription(publicId: "x") { SCALARS } }'.replace(
        "SCALARS", " ".join(f"f{n}: publicId" for n in range(200))
    )
    assert data(post(client, at_limit)) == {"subscription": None}


def test_one_root_field_per_request(client: httpx.Client) -> None:
    (message,) = refused(
        post(client, '{ order(publicId: "a") { publicId } subscription(publicId: "b") { publicId } }'), 400
    )
    assert "one root field" in message
    batch = client.post(URL, json=[{"query": '{ order(publicId: "a") { publicId } }'}] * 2)
    assert "Batching" in refused(batch, 400)[0]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"query": "{ order(publicId: "}, "Syntax Error"),
        ({"query": "{ nope }"}, "Cannot query field 'nope'"),
        ({"query": "mutation { cancel }"}, "mutation"),
        ({"query": '{ order(publicId: "a") }'}, "must have a selection"),
        ({"variables": {}}, "'query' string"),
        ({"query": "query($d: Date) { orders(place: $d) { edges { cursor } } }", "variables": {"d": "June"}}, "Date"),
        ({"query": "query A { orders { edges { cursor } } } query B { orders { edges { cursor } } }"}, "operation"),
    ],
)
def test_bad_documents_are_refused(client: httpx.Client, body: dict[str, Any], fragment: str) -> None:
    messages = refused(client.post(URL, json=body), 400)
    assert any(fragment.lower() in m.lower() for m in messages), messages


def test_a_body_that_is_not_json_is_refused(client: httpx.Client) -> None:
    refused(client.post(URL, content=b"{nope", headers={"content-type": "application/json"}), 400)


def test_only_post(client: httpx.Client) -> None:
    response = client.get(URL, params={"query": "{ orders { edges { cursor } } }"})
    refused(response, 405)
    assert response.headers["allow"] == "POST, OPTIONS"


# -- versions --------------------------------------------------------------------------------------------------------


def test_unstable_has_the_newer_fields_and_2026_01_refuses_them(client: httpx.Client) -> None:
    query = og.graphql.ORDERS_IN_STOCK
    variables = query.variables(customer="cust_0001", in_stock=True, first=3)
    assert data(post(client, query.document, variables, url="/graphql/unstable/"))["orders"]["edges"]
    assert "inStock" in refused(post(client, query.document, variables), 400)[0]
    newer = (
        "{ orders(first: 1) { edges { node { appliedIncentives { status } "
        "items { nodes { giftContext { canSwapSku } } } } } } }"
    )
    assert data(post(client, newer, url="/graphql/unstable/"))["orders"]["edges"][0]["node"]["appliedIncentives"] == []
    refused(post(client, newer), 400)


@pytest.mark.parametrize("path", ["/graphql/2025-07/", "/graphql/latest/", "/graphql/", "/graphql", "/graphql/2026-01"])
def test_unknown_versions_and_paths_are_not_found(client: httpx.Client, path: str) -> None:
    assert "version" in refused(post(client, "{ orders { edges { cursor } } }", url=path), 404)[0]


# -- auth and scope --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"), [({"x-api-key": "wrong"}, 403), ({}, 401), ({"Authorization": "{}"}, 403)]
)
def test_bad_or_missing_credentials(demo: FakeOrdergroove, headers: dict[str, str], status: int) -> None:
    with httpx.Client(transport=demo.transport(), base_url=demo.base_url, headers=headers) as http:
        refused(post(http, "{ subscriptions { edges { cursor } } }"), status)


def test_a_key_without_api_access_must_name_a_customer(demo: FakeOrdergroove) -> None:
    with httpx.Client(transport=demo.transport(), base_url=demo.base_url, headers={"x-api-key": LIMITED}) as http:
        assert refused(post(http, "{ orders { edges { cursor } } }"), 403) == [
            "You do not have permission to perform this action."
        ]
        found = data(post(http, '{ orders(customer: "cust_0002") { edges { node { customer { merchantUserId } } } } }'))
        assert {e["node"]["customer"]["merchantUserId"] for e in found["orders"]["edges"]} == {"cust_0002"}


def test_a_storefront_customer_sees_only_their_own_records(demo: FakeOrdergroove) -> None:
    headers = demo.storefront_headers("cust_0002")
    with httpx.Client(transport=demo.transport(), base_url=demo.base_url, headers=headers) as http:
        mine = data(
            post(
                http,
                "{ subscriptions(first: 100, live: true) { edges { node { publicId live } } } }",
            )
        )
        edges = mine["subscriptions"]["edges"]
        expected = [s["public_id"] for s in demo.subscriptions.values() if s["customer"] == "cust_0002" and s["live"]]
        assert expected and [e["node"]["publicId"] for e in edges] == expected
        other = next(s for s in demo.subscriptions.values() if s["customer"] == "cust_0003")
        assert data(post(http, '{ subscription(publicId: "ID") { publicId } }'.replace("ID", other["public_id"]))) == {
            "subscription": None
        }
        assert data(post(http, '{ orders(customer: "cust_0003") { edges { cursor } } }'))["orders"]["edges"] == []


def test_live_needs_a_customer_scope(client: httpx.Client) -> None:
    assert "customer" in refused(post(client, "{ subscriptions(live: true) { edges { cursor } } }"), 400)[0]
    scoped = data(post(client, '{ subscriptions(live: false, customer: "cust_0001") { edges { node { live } } } }'))
    assert [e["node"]["live"] for e in scoped["subscriptions"]["edges"]] == [False]


# -- one store -------------------------------------------------------------------------------------------------------


def test_a_rest_change_is_seen_through_graphql_at_once(api: Api) -> None:
    fake = api.fake
    record = fake.add_subscription("c1", "p1")
    query = '{ subscription(publicId: "%s") { live cancelReason cancelReasonCode { code reason } quantity } }'
    before = data(api.request("POST", URL, json={"query": query % record["public_id"]}))["subscription"]
    assert before == {"live": True, "cancelReason": None, "cancelReasonCode": None, "quantity": 1}
    assert (
        api.patch(f"/subscriptions/{record['public_id']}/cancel/", {"cancel_reason": "4|Overstocked"}).status_code
        == 200
    )
    after = data(api.request("POST", URL, json={"query": query % record["public_id"]}))["subscription"]
    assert after == {
        "live": False,
        "cancelReason": "Overstocked",
        "cancelReasonCode": {"code": 4, "reason": "Overstocked"},
        "quantity": 1,
    }


def test_graphql_requests_are_recorded_and_take_faults(fake: FakeOrdergroove) -> None:
    fake.faults.add(503, path="^/graphql/")
    query = "{ orders { edges { cursor } } }"
    with httpx.Client(transport=fake.transport(), base_url=fake.base_url, headers={"x-api-key": KEY}) as http:
        assert post(http, query).status_code == 503
        assert data(post(http, query)) == {"orders": {"edges": []}}
    assert [(r.path, r.status, r.json) for r in fake.requests] == [
        (URL, 503, {"query": query}),
        (URL, 200, {"query": query}),
    ]
