"""The next order among naive and aware dates: what skip_next_order skips and what the summary shows."""

from __future__ import annotations

import httpx
from mock_server import Kind, Server
from payloads import order_payload, page, subscription_payload


async def test_skip_next_order_ranks_naive_and_aware_dates_together(kind: Kind) -> None:
    orders = [
        order_payload(public_id="later", place="2025-01-16 09:00:00", status=1),
        order_payload(public_id="sooner", place="2025-01-15T09:00:00+00:00", status=1),
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=page(orders))
        return httpx.Response(200, json=orders[1])

    server = Server(answer)
    client = kind.client(server)
    order = await kind.run(client.subscriptions.skip_next_order("s1"))
    assert order.public_id == "sooner"
    patches = [request for request in server.requests if request.method == "PATCH"]
    assert [request.url.path for request in patches] == ["/orders/sooner/skip_subscription/"]


async def test_summary_with_naive_and_aware_dates(kind: Kind) -> None:
    orders = [
        order_payload(public_id="o1", place="2025-01-16 09:00:00", status=1),
        order_payload(public_id="o2", place="2025-01-15T23:00:00-05:00", status=1),  # 04:00 on the 16th, UTC
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/orders/":
            return httpx.Response(200, json=page(orders))
        return httpx.Response(200, json=page([subscription_payload()]))

    client = kind.client(Server(answer))
    summary = await kind.run(client.customers.summary("c1"))
    assert summary.next_order is not None and summary.next_order.public_id == "o2"
