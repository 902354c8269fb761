"""entitlements (entitlements-service host, storefront only), the cart (om host) and the 1-click actions,
against the emulator, sync and async; and the hosts each environment sends them to."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest
from emulated import FLAVOURS, refused, run

import ordergroove as og
from ordergroove import _config
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)


def storefront(fake: FakeOrdergroove, customer: str) -> og.auth.StorefrontAuth:
    return og.auth.StorefrontAuth(fake.merchant_public_id, fake.storefront_hash_key, customer)


def test_entitlements_are_the_signed_in_customers(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    resource = fake.add_resource(name="4k Resolution Movies", external_resource_id="id1234")
    mine = fake.add_entitlement("cust_0001", resource)
    fake.add_entitlement("cust_0002", resource)
    found = run(flavour, fake, lambda c: c.entitlements.list(), auth=storefront(fake, "cust_0001"))
    assert [e.public_id for e in found] == [mine["public_id"]]
    assert isinstance(found[0], og.Entitlement) and found[0].resource is not None
    assert found[0].created is not None and found[0].created.tzinfo is not None  # ISO-8601 UTC
    assert fake.requests[-1].endpoint == "entitlements.list"


def test_entitlements_refused_with_an_api_key(flavour: str) -> None:
    error = refused(flavour, FakeOrdergroove.demo(), lambda c: c.entitlements.list())
    assert isinstance(error, og.ConfigurationError) and "storefront" in str(error)


def test_cart(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fake.add_cart_item("session-1", "COFFEE-HOUSE-12OZ", quantity=2)
    items = run(flavour, fake, lambda c: c.cart.retrieve("session-1"))
    assert len(items) == 1 and isinstance(items[0], og.CartItem)
    assert (items[0].id, items[0].quantity) == ("COFFEE-HOUSE-12OZ", 2)
    assert (fake.requests[-1].path, fake.requests[-1].endpoint) == ("/carts/session-1/", "cart.retrieve")
    assert run(flavour, fake, lambda c: c.cart.retrieve("unknown")) == []


def test_one_click_delay_pushes_the_order(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    order = fake.add_order("cust_0001", place=dt.datetime(2025, 4, 1, 6))
    token = fake.one_click_token(order)
    assert run(flavour, fake, lambda c: c.one_click.delay(token=token, days=3)) is None
    sent = fake.requests[-1]
    assert (sent.method, sent.path, dict(sent.params)) == ("GET", "/one_click/delay", {"token": [token], "days": ["3"]})
    assert run(flavour, fake, lambda c: c.orders.retrieve(order["public_id"])).place == dt.datetime(2025, 4, 4, 6)


def test_one_click_reactivate(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    canceled = next(s for s in run(flavour, fake, lambda c: c.subscriptions.list()) if not s.live)
    token = fake.one_click_token(fake.subscriptions[canceled.public_id])
    assert run(flavour, fake, lambda c: c.one_click.reactivate(token=token, winback_id="w1")) is None
    assert dict(fake.requests[-1].params) == {"token": [token], "winback_id": ["w1"]}
    assert run(flavour, fake, lambda c: c.subscriptions.retrieve(canceled.public_id)).live is True
    with pytest.raises(og.BadRequestError):
        run(flavour, fake, lambda c: c.one_click.reactivate(token="forged"))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.one_click.delay(token=""),
        lambda c: c.one_click.delay(token="t", days=0),
        lambda c: c.one_click.delay(token="t", days=True),
        lambda c: c.one_click.reactivate(token=None),
        lambda c: c.one_click.reactivate(token="t", winback_id=""),
        lambda c: c.cart.retrieve(".."),
    ],
)
def test_bad_arguments_are_refused_before_any_request(flavour: str, call: Any) -> None:
    assert isinstance(refused(flavour, FakeOrdergroove.demo(), call), og.ConfigurationError)


@pytest.mark.parametrize("action", ["delay", "reactivate"])
def test_a_one_click_get_is_not_resent_after_an_ambiguous_failure(flavour: str, action: str) -> None:
    # A GET that acts: unlike a read, never re-sent once it may have arrived.
    fake = FakeOrdergroove.demo()
    fake.faults.add(drop="after", path="/one_click/")
    before = len(fake.requests)
    with pytest.raises(og.APIConnectionError) as caught:
        run(flavour, fake, lambda c: getattr(c.one_click, action)(token="t"))
    assert caught.value.request_sent is True
    assert len(fake.requests) - before == 1


def test_the_cart_is_retried_after_an_ambiguous_failure(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fake.faults.add(drop="after", path="/carts/")
    before = len(fake.requests)
    assert run(flavour, fake, lambda c: c.cart.retrieve("s")) == []
    assert len(fake.requests) - before == 2


def test_hosts_of_each_environment(flavour: str) -> None:
    for name, hosts in _config.ENVIRONMENTS.items():
        assert _config.resolve_om_url(hosts.rest, hosts) == hosts.om
        assert _config.resolve_entitlements_url(hosts.rest, hosts) == hosts.entitlements
        # Another environment's REST host as base_url takes that environment's hosts.
        other = _config.ENVIRONMENTS["staging" if name == "production" else "production"]
        assert _config.resolve_om_url(hosts.rest, other) == hosts.om
    # Any other base URL (the emulator's, a proxy) serves every host: never a real host behind a test's base URL.
    production = _config.ENVIRONMENTS["production"]
    assert _config.resolve_om_url("http://localhost:8000", production) == "http://localhost:8000"
    assert _config.resolve_entitlements_url("http://localhost:8000", production) == "http://localhost:8000"
    assert production.om == "https://om.ordergroove.com"
    assert production.entitlements == "https://entitlements-service.ordergroove.com"


def test_production_hosts_and_paging_on_the_entitlements_host(flavour: str) -> None:
    # No base_url: the production hosts. The emulator's transport answers each host's own endpoints only, so
    # these calls reach it only at entitlements-service and om; the second page's link is on that host too.
    fake = FakeOrdergroove.demo()
    resource = fake.add_resource()
    for _ in range(3):
        fake.add_entitlement("cust_0001", resource)
    fake.add_cart_item("session-1", "COFFEE-HOUSE-12OZ")
    auth = storefront(fake, "cust_0001")
    if flavour == "sync":
        with og.Ordergroove(auth=auth, http_client=httpx.Client(transport=fake.transport())) as client:
            found = client.entitlements.list(page_size=2).to_list()
            cart = client.cart.retrieve("session-1")
    else:

        async def go() -> tuple[list[og.Entitlement], list[og.CartItem]]:
            http = httpx.AsyncClient(transport=fake.async_transport())
            async with og.AsyncOrdergroove(auth=auth, http_client=http) as client:
                return await client.entitlements.list(page_size=2).to_list(), await client.cart.retrieve("session-1")

        found, cart = asyncio.run(go())
    assert len(found) == 3 and len(cart) == 1
    hosts = [(r.headers.get("host"), r.path) for r in fake.requests]
    assert hosts == [
        ("entitlements-service.ordergroove.com", "/entitlements/"),
        ("entitlements-service.ordergroove.com", "/entitlements/"),
        ("om.ordergroove.com", "/carts/session-1/"),
    ]
