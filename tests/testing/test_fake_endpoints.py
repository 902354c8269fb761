"""docs/api.md's table of the 86 endpoints, and the emulator routing every row (by host, method and path)."""

from __future__ import annotations

import inspect
import re

import httpx
import pytest
from api_table import rows

from ordergroove.testing import FakeOrdergroove
from ordergroove.testing._routes import ENDPOINTS

from ._support import KEY, NOW

KEPT = {
    "products.bulk_create": "products.batch_create",
    "products.bulk_update": "products.batch_update",
    "purchase_post.create": "checkout.purchase_post",
    "purchase_post.status": "checkout.purchase_status",
    "merchant.list_cancel_reasons": "merchant.cancel_reasons",
}


def test_the_table_has_every_endpoint_once() -> None:
    table = rows()
    assert len(table) == 86
    assert len({(method, host, path) for method, host, path, *_ in table}) == 86
    assert {(m, h, p) for m, h, p, *_ in table} == {(e.method, e.host, e.path) for e in ENDPOINTS}
    # The SDK call is the reference's id, but for the names kept from earlier releases.
    by_route: dict[tuple[str, str, str], str] = {(e.method, e.host, e.path): e.id for e in ENDPOINTS}
    for method, host, path, call, _, _ in table:
        endpoint = by_route[(method, host, path)]
        assert call == KEPT.get(endpoint, endpoint)


def test_retry_safety_follows_the_idempotency_rules() -> None:
    safe = {call: answer == "yes" for _, _, _, call, _, answer in rows()}
    for call in ("subscriptions.list", "orders.retrieve", "subscriptions.change_quantity", "payments.update"):
        assert safe[call], call
    for call in (
        "items.create",
        "items.delete",
        "orders.send_now",
        "addresses.use_for_all",
        "payments.use_for_all",
        "orders.finalize_placement",
        "subscriptions.create_in_order",
        "items.create_in_order",
        "products.batch_create",
        "products.batch_update",
    ):
        assert not safe[call], call


def _url(host: str, path: str) -> str:
    return f"https://{host}.ordergroove.com" + re.sub(r"\{[^}]+\}", "x", path)


@pytest.mark.parametrize(("method", "host", "path"), [row[:3] for row in rows()], ids=[row[3] for row in rows()])
def test_the_emulator_routes_every_row(method: str, host: str, path: str) -> None:
    fake = FakeOrdergroove(seed=1, now=NOW)
    with httpx.Client(transport=fake.transport()) as client:
        response = client.request(method, _url(host, path), headers={"x-api-key": KEY})
    assert response.status_code != 405, response.text
    reached = fake.requests[-1].endpoint
    expected = next(e.id for e in ENDPOINTS if (e.method, e.host, e.path) == (method, host, path))
    assert reached == expected


def test_a_host_serves_its_own_endpoints_only() -> None:
    fake = FakeOrdergroove(seed=1, now=NOW)
    fake.add_customer("c1")
    headers = {"x-api-key": KEY}
    with httpx.Client(transport=fake.transport()) as client:
        assert client.get("https://restapi.ordergroove.com/customers/c1/", headers=headers).status_code == 200
        assert client.get("https://staging.restapi.ordergroove.com/customers/c1/", headers=headers).status_code == 200
        for wrong in ("entitlements-service", "om", "sc", "api", "webhooks"):
            response = client.get(f"https://{wrong}.ordergroove.com/customers/c1/", headers=headers)
            assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
            assert fake.requests[-1].endpoint is None
        # The entitlements path is not served by restapi; the emulator's own origin serves every host.
        assert client.get("https://restapi.ordergroove.com/entitlements/", headers=headers).status_code == 404
        assert client.get("https://om.ordergroove.com/carts/s1/").status_code == 200
        assert client.get("https://staging.om.ordergroove.com/carts/s1/").status_code == 200
        assert client.get(f"{fake.base_url}/carts/s1/").status_code == 200
        assert client.get(f"{fake.base_url}/customers/c1/", headers=headers).status_code == 200


def test_the_asgi_app_routes_by_host_too() -> None:
    fake = FakeOrdergroove(seed=1, now=NOW)
    fake.add_cart_item("s1", "SKU-1")
    transport = httpx.ASGITransport(app=fake.asgi_app())

    async def run() -> tuple[int, int]:
        async with httpx.AsyncClient(transport=transport) as client:
            served = await client.get("https://om.ordergroove.com/carts/s1/")
            refused = await client.get("https://restapi.ordergroove.com/carts/s1/")
            return served.status_code, refused.status_code

    import asyncio

    assert asyncio.run(run()) == (200, 404)


def test_the_wrong_method_answers_405_with_the_allowed_ones() -> None:
    fake = FakeOrdergroove(seed=1, now=NOW)
    with httpx.Client(transport=fake.transport(), base_url=fake.base_url) as client:
        response = client.post("/products/p1/", headers={"x-api-key": KEY})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH, OPTIONS"


# The resources whose every row is a method of both clients (the others join as their methods land).
COMPLETE = ("subscriptions", "orders", "items")


def _returns(annotation: str) -> str:
    """A method's return annotation as the table's returns column says it (``SyncPager[Item]`` -> pager of Item)."""
    matched = re.fullmatch(r"(?:Sync|Async)Pager\[(\w+)\]", annotation)
    return f"pager of {matched.group(1)}" if matched else annotation


@pytest.mark.parametrize("resource", COMPLETE)
async def test_every_row_of_a_complete_resource_is_a_method_of_both_clients(resource: str) -> None:
    fake = FakeOrdergroove(seed=1, now=NOW)
    calls = [(call, returns) for _, _, _, call, returns, _ in rows() if call.startswith(f"{resource}.")]
    assert calls
    async with fake.async_client() as async_client:
        with fake.client() as sync_client:
            for client in (sync_client, async_client):
                for call, returns in calls:
                    method = getattr(getattr(client, resource), call.split(".", 1)[1], None)
                    assert callable(method), f"{type(client).__name__}.{call} is missing"
                    annotation = str(inspect.signature(method).return_annotation)
                    # "None (204)" is None; "Subscription" is Subscription; "pager of Item" is a pager of Item.
                    assert _returns(annotation) == returns.split(" (")[0], (call, annotation, returns)
