"""The library's own clients wired to the emulator: fake.client(), fake.async_client() and the pytest fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove, serve


def test_fixture_client_walks_the_demo(og_client: og.Ordergroove, fake_ordergroove: FakeOrdergroove) -> None:
    subs = og_client.subscriptions.list(customer="cust_0001").to_list()
    assert [s.product for s in subs] == ["COFFEE-HOUSE-12OZ", "FILTERS-100", "GRANOLA-1KG"]
    assert [s.is_active for s in subs] == [True, True, False]
    assert len(og_client.subscriptions.list().to_list()) == len(fake_ordergroove.subscriptions)
    summary = og_client.customers.summary("cust_0001")
    assert (summary.active_subscriptions, summary.canceled_subscriptions) == (2, 1)
    assert summary.next_order is not None and summary.lifetime_value > 0
    # The client asked for cursor pages of 100.
    listing = next(r for r in fake_ordergroove.requests if r.path == "/subscriptions/")
    assert listing.headers["X-OG-API-VERSION"] == "2" and listing.params["page_size"] == ["100"]


def test_fixture_client_skips_exactly_once(og_client: og.Ordergroove, fake_ordergroove: FakeOrdergroove) -> None:
    sub = next(s for s in fake_ordergroove.subscriptions.values() if s["customer"] == "cust_0002" and s["live"])
    before = fake_ordergroove.upcoming_order(sub)
    assert before is not None
    skipped = og_client.subscriptions.skip_next_order(sub["public_id"])
    assert skipped.public_id == before["public_id"]
    assert [r.path for r in fake_ordergroove.applied] == [f"/orders/{before['public_id']}/skip_subscription/"]
    after = fake_ordergroove.upcoming_order(sub)
    assert after is not None and after["place"] > before["place"]


def test_errors_come_through_typed(og_client: og.Ordergroove, fake_ordergroove: FakeOrdergroove) -> None:
    canceled = next(s for s in fake_ordergroove.subscriptions.values() if not s["live"])
    with pytest.raises(og.BadRequestError) as caught:
        og_client.subscriptions.cancel(canceled["public_id"])
    assert caught.value.detail == "This subscription is not in a state which it can edited"
    with pytest.raises(og.NotFoundError):
        og_client.subscriptions.retrieve("nope")


def test_an_ambiguous_failure_is_not_repeated(fake_ordergroove: FakeOrdergroove) -> None:
    sub = next(s for s in fake_ordergroove.subscriptions.values() if s["live"])
    fake_ordergroove.faults.add(drop="after", method="PATCH")
    with fake_ordergroove.client(max_retries=3) as client, pytest.raises(og.APIConnectionError) as caught:
        client.subscriptions.cancel(sub["public_id"])
    assert caught.value.request_sent is True
    assert len(fake_ordergroove.applied) == 1 and sub["live"] is False


def test_a_retry_safe_action_is_repeated_after_an_ambiguous_failure(fake_ordergroove: FakeOrdergroove) -> None:
    sub = next(s for s in fake_ordergroove.subscriptions.values() if s["live"])
    fake_ordergroove.faults.add(drop="after", method="PATCH")
    with fake_ordergroove.client(max_retries=3) as client:
        changed = client.subscriptions.change_quantity(sub["public_id"], 4)
    # Applied twice, to the same effect: setting a quantity to 4 again leaves it at 4.
    assert changed.quantity == 4 == sub["quantity"]
    assert [r.fault for r in fake_ordergroove.requests] == ["drop-after", None]
    assert len(fake_ordergroove.applied) == 2


def test_a_lock_is_retried_until_it_clears(fake_ordergroove: FakeOrdergroove) -> None:
    sub = next(s for s in fake_ordergroove.subscriptions.values() if s["live"])
    fake_ordergroove.faults.add(423, method="PATCH")
    with fake_ordergroove.client(max_retries=2) as client:
        client.subscriptions.change_frequency(sub["public_id"], every=2, every_period=og.Period.WEEKS)
    assert [r.status for r in fake_ordergroove.requests] == [423, 200]
    assert len(fake_ordergroove.applied) == 1 and sub["every_period"] == 2


async def test_async_fixture_client(async_og_client: og.AsyncOrdergroove, fake_ordergroove: FakeOrdergroove) -> None:
    subs = [s async for s in async_og_client.subscriptions.list(customer="cust_0001")]
    assert len(subs) == 3
    order = await async_og_client.subscriptions.skip_next_order(subs[0].public_id)
    assert order.status == og.OrderStatus.UNSENT
    reactivated = await async_og_client.subscriptions.reactivate(
        subs[2].public_id, every=1, every_period=og.Period.MONTHS, start_date=dt.date(2025, 2, 1)
    )
    assert reactivated.is_active and not reactivated.is_canceled
    assert [r.method for r in fake_ordergroove.applied] == ["PATCH", "PATCH"]


async def test_async_client_with_options(fake_ordergroove: FakeOrdergroove) -> None:
    fake_ordergroove.faults.add(503, method="GET")
    client = fake_ordergroove.async_client(max_retries=1)
    try:
        reasons = await client.merchant.cancel_reasons()
    finally:
        await client.aclose()
    assert [r.code for r in reasons][:3] == [1, 2, 3]
    assert [r.status for r in fake_ordergroove.requests] == [503, 200]


def test_client_over_a_real_socket(fake_ordergroove: FakeOrdergroove) -> None:
    with serve(fake_ordergroove) as url, og.Ordergroove(api_key=fake_ordergroove.api_key, base_url=url) as client:
        page = client.orders.list(customer="cust_0001", status=1).to_list()
        assert len(page) == 1
        details = client.customers.set_contact_details("cust_0001", email="new@example.com", phone_number="5")
        assert details.email == "new@example.com"
    assert fake_ordergroove.customers["cust_0001"]["email"] == "new@example.com"


async def test_async_client_over_a_real_socket(fake_ordergroove: FakeOrdergroove) -> None:
    with serve(fake_ordergroove) as url:
        async with og.AsyncOrdergroove(api_key=fake_ordergroove.api_key, base_url=url) as client:
            products = [p async for p in client.products.list()]
            assert len(products) == 10
        async with og.AsyncOrdergroove(api_key="wrong", base_url=url) as stranger:
            with pytest.raises(og.PermissionDeniedError) as caught:
                await stranger.products.retrieve("COFFEE-HOUSE-12OZ")
            assert caught.value.detail == "Authentication Failed"


def test_storefront_auth_client_sees_one_customer(fake_ordergroove: FakeOrdergroove) -> None:
    auth = og.auth.StorefrontAuth(
        fake_ordergroove.merchant_public_id, fake_ordergroove.storefront_hash_key, "cust_0001"
    )
    with fake_ordergroove.client(auth=auth) as client:
        subs = client.subscriptions.list().to_list()
    assert {s.customer for s in subs} == {"cust_0001"} and len(subs) == 3
    assert "x-api-key" not in fake_ordergroove.requests[0].headers


def test_a_closed_emulator_client_refuses_calls(fake_ordergroove: FakeOrdergroove) -> None:
    client = fake_ordergroove.client()
    copy = client.with_options(max_retries=0)
    client.close()
    with pytest.raises(og.ConfigurationError, match="client is closed"):
        client.merchant.cancel_reasons()
    assert copy.merchant.cancel_reasons()  # a copy is closed on its own, as with any http_client
    copy.close()


async def test_a_closed_async_emulator_client_refuses_calls(fake_ordergroove: FakeOrdergroove) -> None:
    client = fake_ordergroove.async_client()
    await client.aclose()
    with pytest.raises(og.ConfigurationError, match="client is closed"):
        await client.merchant.cancel_reasons()
