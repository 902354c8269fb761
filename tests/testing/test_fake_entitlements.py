"""Entitlements (entitlements-service host), carts (om host) and the 1-click actions."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from ordergroove.testing import FakeOrdergroove

from ._support import CART_ITEM_FIELDS, ENTITLEMENT_FIELDS, KEY, NO_PERMISSION, Api, as_storefront

ENTITLEMENTS = "https://entitlements-service.ordergroove.com/entitlements/"


def test_entitlements_are_the_storefront_customers_own(fake: FakeOrdergroove) -> None:
    resource = fake.add_resource(name="4k Resolution Movies", external_resource_id="id1234")
    mine = fake.add_entitlement("c1", resource)
    fake.add_entitlement("c2", resource)
    with httpx.Client(transport=fake.transport()) as client:
        page = client.get(ENTITLEMENTS, headers=fake.storefront_headers("c1")).json()
        refused = client.get(ENTITLEMENTS, headers={"x-api-key": KEY})
    assert page["results"] == [mine] and set(mine) == ENTITLEMENT_FIELDS
    assert mine["resource"]["external_resource_id"] == "id1234"
    assert mine["created"].endswith(".00Z")  # ISO-8601 UTC with a fraction
    assert (refused.status_code, refused.json()) == (403, NO_PERMISSION)  # storefront only


def test_entitlements_through_the_async_transport(fake: FakeOrdergroove) -> None:
    fake.add_entitlement("c1", fake.add_resource())

    async def run() -> int:
        async with httpx.AsyncClient(transport=fake.async_transport()) as client:
            response = await client.get(ENTITLEMENTS, headers=fake.storefront_headers("c1"))
            return len(response.json()["results"])

    assert asyncio.run(run()) == 1


def test_cart(fake: FakeOrdergroove) -> None:
    item = fake.add_cart_item("session-1", "SKU-1", quantity=2)
    with httpx.Client(transport=fake.transport(), base_url="https://om.ordergroove.com") as client:
        assert client.get("/carts/session-1/").json() == [item]  # no authentication
        assert client.get("/carts/unknown/").json() == []
    assert set(item) == CART_ITEM_FIELDS


def test_one_click_delay(http: Api, fake: FakeOrdergroove) -> None:
    order = fake.add_order("c1", place=dt.datetime(2025, 4, 1, 6))
    token = fake.one_click_token(order)
    done = http.get("/one_click/delay", params={"token": token}, key=None)
    assert (done.status_code, done.json()) == (200, {})
    assert order["place"] == "2025-04-15 06:00:00"  # 14 days by default
    http.get("/one_click/delay", params={"token": token, "days": "3"}, key=None)
    assert order["place"] == "2025-04-18 06:00:00"  # each call pushes again
    assert fake.webhooks.events[-1]["type"] == "order.change_next_order_date"
    assert http.get("/one_click/delay", params={"token": "forged"}, key=None).json() == {"detail": "Invalid token."}
    assert http.get("/one_click/delay", key=None).json() == {"token": ["This field is required."]}
    assert http.get("/one_click/delay/", params={"token": token}, key=None).status_code == 404  # no trailing slash


def test_one_click_reactivate(http: Api, fake: FakeOrdergroove) -> None:
    sub = fake.add_subscription("c1", "SKU-1", live=False, cancel_reason="4|Overstocked")
    token = fake.one_click_token(sub)
    done = http.get("/one_click/reactivate", params={"token": token, "winback_id": "w1"}, key=None)
    assert (done.status_code, done.json()) == (200, {})
    assert (sub["live"], sub["cancelled"]) == (True, None)
    assert fake.upcoming_order(sub) is not None  # reactivation creates an order
    again = http.get("/one_click/reactivate", params={"token": token}, key=None)
    assert again.json() == {"subscription": ["This subscription is already in active state"]}
    # A subscription's token does not delay orders.
    assert http.get("/one_click/delay", params={"token": token}, key=None).status_code == 400


def test_merchant_cancel_reasons_are_application_scope_only(http: Api, fake: FakeOrdergroove) -> None:
    fake.cancel_reasons.append({"cancel_reason": 12, "application": "other"})
    assert http.get("/merchant/cancel_reason/", **as_storefront(fake, "c1")).json() == NO_PERMISSION
    only = http.get("/merchant/cancel_reason/", params={"application": "other"}).json()
    assert only == {"results": [{"cancel_reason": 12, "application": "other"}]}
