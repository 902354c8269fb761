"""The library's reads and actions against the emulator served over a real socket (uvicorn on 127.0.0.1).

Every test runs with the sync and the async client; reads are compared with the emulator's stored records
(decode then encode must give back exactly what was served), actions with the state they leave behind.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

from ._support import Switch

KINDS = ("sync", "async")


class Socket:
    """One client of either kind, talking to ``fake`` through the session's uvicorn server."""

    def __init__(self, kind: str, fake: FakeOrdergroove, url: str) -> None:
        self.fake = fake
        self.client: Any = (og.AsyncOrdergroove if kind == "async" else og.Ordergroove)(
            api_key=fake.api_key, base_url=url, max_retries=0
        )

    async def __call__(self, result: Any) -> Any:
        return await result if inspect.isawaitable(result) else result

    async def all(self, pager: Any) -> list[Any]:
        return list(await self(pager.to_list()))

    async def close(self) -> None:
        await self(self.client.aclose() if hasattr(self.client, "aclose") else self.client.close())


@pytest.fixture
def demo() -> FakeOrdergroove:
    return FakeOrdergroove.demo()


@pytest.fixture(params=KINDS)
async def og_socket(
    request: pytest.FixtureRequest, demo: FakeOrdergroove, socket_switch: tuple[Switch, str]
) -> AsyncIterator[Socket]:
    switch, url = socket_switch
    switch.fake = demo
    socket = Socket(request.param, demo, url)
    yield socket
    await socket.close()


def _live(fake: FakeOrdergroove) -> Iterator[dict[str, Any]]:
    for record in fake.subscriptions.values():
        usable = record["live"] and not record.get("prepaid_subscription_context")
        if usable and fake.upcoming_order(record["public_id"]) is not None:
            yield record


async def test_every_read_returns_exactly_what_is_stored(og_socket: Socket) -> None:
    fake, client, run = og_socket.fake, og_socket.client, og_socket
    customer = fake.customers["cust_0001"]
    assert og.to_dict(await run(client.customers.retrieve("cust_0001"))) == customer
    [found] = await og_socket.all(client.customers.list(email=customer["email"]))
    assert found.merchant_user_id == "cust_0001"

    stored_subs = [s for s in fake.subscriptions.values() if s["customer"] == "cust_0001"]
    subs = await og_socket.all(client.subscriptions.list(customer="cust_0001", page_size=2))
    assert sorted(og.to_dict(s)["public_id"] for s in subs) == sorted(s["public_id"] for s in stored_subs)
    for subscription in subs:
        assert og.to_dict(subscription) == fake.subscriptions[subscription.public_id]
    live = await og_socket.all(client.subscriptions.list(customer="cust_0001", live=True))
    assert {s.public_id for s in live} == {s["public_id"] for s in stored_subs if s["live"]}
    first = subs[0]
    assert og.to_dict(await run(client.subscriptions.retrieve(first.public_id))) == fake.subscriptions[first.public_id]

    orders = await og_socket.all(client.orders.list(customer="cust_0001", status=og.OrderStatus.SUCCESS))
    assert orders and all(o.status is og.OrderStatus.SUCCESS for o in orders)
    order = orders[0]
    assert og.to_dict(await run(client.orders.retrieve(order.public_id))) == fake.orders[order.public_id]
    items = await og_socket.all(client.items.list(order=order.public_id))
    assert [og.to_dict(i) for i in items] == fake.items_of(order.public_id)
    assert og.to_dict(await run(client.items.retrieve(items[0].public_id))) == fake.items[items[0].public_id]

    products = await og_socket.all(client.products.list(external_product_ids=["COFFEE-HOUSE-12OZ", "FILTERS-100"]))
    assert sorted(p.external_product_id for p in products) == ["COFFEE-HOUSE-12OZ", "FILTERS-100"]
    product = await run(client.products.retrieve("COFFEE-HOUSE-12OZ"))
    assert og.to_dict(product) == fake.products["COFFEE-HOUSE-12OZ"]

    addresses = await og_socket.all(client.addresses.list(customer="cust_0001"))
    payments = await og_socket.all(client.payments.list(customer="cust_0001"))
    assert addresses and payments
    address, payment = addresses[0], payments[0]
    assert og.to_dict(await run(client.addresses.retrieve(address.public_id))) == fake.addresses[address.public_id]
    assert og.to_dict(await run(client.payments.retrieve(payment.public_id))) == fake.payments[payment.public_id]

    reasons = await run(client.merchant.cancel_reasons())
    assert [(r.code, r.application) for r in reasons] == [
        (r["cancel_reason"], r["application"]) for r in fake.cancel_reasons
    ]


async def test_summary_matches_the_stored_orders(og_socket: Socket) -> None:
    fake, client, run = og_socket.fake, og_socket.client, og_socket
    summary = await run(client.customers.summary("cust_0001"))
    subs = [s for s in fake.subscriptions.values() if s["customer"] == "cust_0001"]
    successful = [o for o in fake.orders.values() if o["customer"] == "cust_0001" and o["status"] == 5]
    assert summary.total_subscriptions == len(subs)
    assert summary.active_subscriptions == sum(s["live"] for s in subs)
    assert summary.orders_fulfilled == len(successful)
    assert summary.lifetime_value == sum((Decimal(o["total"]) for o in successful), Decimal(0))
    unsent = [o for o in fake.orders.values() if o["customer"] == "cust_0001" and o["status"] == 1]
    assert summary.next_order is not None
    assert summary.next_order.public_id == min(unsent, key=lambda o: o["place"])["public_id"]


async def test_subscription_actions_change_the_state_once_each(og_socket: Socket) -> None:
    fake, client, run = og_socket.fake, og_socket.client, og_socket
    record = next(_live(fake))
    sid = record["public_id"]
    upcoming = fake.upcoming_order(sid)
    assert upcoming is not None

    changed = await run(client.subscriptions.change_quantity(sid, 3))
    assert changed.quantity == 3 == fake.subscriptions[sid]["quantity"]
    changed = await run(client.subscriptions.change_frequency(sid, every=2, every_period=og.Period.WEEKS))
    assert (fake.subscriptions[sid]["every"], fake.subscriptions[sid]["every_period"]) == (2, 2)
    assert changed.every_period is og.Period.WEEKS

    new_date = fake.clock.today() + dt.timedelta(days=20)
    await run(client.subscriptions.change_next_order_date(sid, new_date))
    moved = fake.upcoming_order(sid)
    assert moved is not None and moved["place"].startswith(new_date.isoformat())

    skipped = await run(client.subscriptions.skip_next_order(sid))
    assert skipped.public_id == moved["public_id"]
    assert sid not in {i["subscription"] for i in fake.items_of(skipped.public_id)}
    after = fake.upcoming_order(sid)
    assert after is not None and after["public_id"] != skipped.public_id

    canceled = await run(client.subscriptions.cancel(sid, reason_code=4, reason_details="Overstocked"))
    assert canceled.is_canceled and not canceled.live
    assert fake.subscriptions[sid]["cancel_reason"] == "4|Overstocked"
    with pytest.raises(og.BadRequestError) as again:
        await run(client.subscriptions.cancel(sid))
    assert again.value.detail == "This subscription is not in a state which it can edited"

    start = fake.clock.today() + dt.timedelta(days=3)
    reactivated = await run(
        client.subscriptions.reactivate(sid, every=1, every_period=og.Period.MONTHS, start_date=start)
    )
    assert reactivated.live and fake.subscriptions[sid]["live"]
    with pytest.raises(og.BadRequestError) as active:
        await run(client.subscriptions.reactivate(sid, every=1, every_period=1, start_date=start))
    assert active.value.field_errors == {"subscription": ["This subscription is already in active state"]}

    actions = [r.path.rsplit("/", 2)[-2] for r in fake.applied]
    assert actions == [
        "change_quantity",
        "change_frequency",
        "change_next_order_date",
        "skip_subscription",
        "cancel",
        "reactivate",
    ]


async def test_order_and_customer_actions(og_socket: Socket) -> None:
    fake, client, run = og_socket.fake, og_socket.client, og_socket
    upcoming: dict[str, dict[str, Any]] = {}
    for subscription in _live(fake):
        order = fake.upcoming_order(subscription["public_id"])
        assert order is not None
        upcoming.setdefault(order["public_id"], order)
    first, second = list(upcoming.values())[:2]

    place = dt.datetime.combine(fake.clock.today() + dt.timedelta(days=9), dt.time(8, 30))
    moved = await run(client.orders.change_place_date(first["public_id"], place))
    assert fake.orders[first["public_id"]]["place"] == f"{place:%Y-%m-%d %H:%M:%S}" == og.to_dict(moved)["place"]

    sent = await run(client.orders.send_now(first["public_id"]))
    assert sent.status is og.OrderStatus.SEND_NOW == fake.orders[first["public_id"]]["status"]

    canceled = await run(client.orders.cancel(second["public_id"]))
    assert canceled.status is og.OrderStatus.CANCELLED

    details = await run(
        client.customers.set_contact_details("cust_0002", email="new@example.com", phone_number="+15550100")
    )
    assert (details.email, details.phone_number) == ("new@example.com", "+15550100")
    assert fake.customers["cust_0002"]["email"] == "new@example.com"

    with pytest.raises(og.NotFoundError):
        await run(client.orders.retrieve("no-such-order"))
    assert len(fake.applied) == 4


async def test_the_whole_rest_surface_a_sample(og_socket: Socket) -> None:
    # A sample of the calls of the whole REST surface (docs/api.md) over the socket: writes of subscriptions,
    # orders, items, customers, addresses, payments and the catalog, each read back from the emulator's state.
    fake, client, run = og_socket.fake, og_socket.client, og_socket
    record = next(_live(fake))
    sid, customer = record["public_id"], record["customer"]
    order = fake.upcoming_order(sid)
    assert order is not None
    address = await run(
        client.addresses.create(
            customer=customer,
            address_type="shipping_address",
            first_name="Nathan",
            last_name="Torres",
            address="75 Broad St Fl 23",
            city="New York",
            state_province_code="NY",
            zip_postal_code="10004-2487",
            country_code="US",
        )
    )
    payment = await run(client.payments.create(customer=customer, cc_number_ending="4242", token_id="tok-1"))
    moved = await run(client.subscriptions.change_shipping_address(sid, shipping_address=address.public_id))
    assert moved.shipping_address == address.public_id == fake.subscriptions[sid]["shipping_address"]
    charged = await run(client.subscriptions.change_payment(sid, payment=payment.public_id))
    assert charged.payment == payment.public_id
    reminded = await run(client.subscriptions.change_email_reminder(sid, reminder_days=9))
    assert fake.subscriptions[sid]["reminder_days"] == 9 == reminded.reminder_days
    assert await run(client.payments.use_for_all(payment.public_id)) is None
    assert fake.orders[order["public_id"]]["payment"] == payment.public_id

    updated = await run(client.orders.update(order["public_id"], extra_data={"gift": True}))
    assert fake.orders[order["public_id"]]["extra_data"] == '{"gift":true}' == og.to_dict(updated)["extra_data"]
    item = fake.items_of(order["public_id"])[0]
    repriced = await run(client.items.change_price(item["public_id"], price=Decimal("4.25")))
    assert repriced.price == Decimal("4.25") and fake.items[item["public_id"]]["frozen"] is True
    added = await run(
        client.items.create_in_order(order=order["public_id"], offer=item["offer"], product="FILTERS-100", quantity=1)
    )
    assert added.public_id in {i["public_id"] for i in fake.items_of(order["public_id"])}
    assert await run(client.items.delete(added.public_id)) is None
    assert added.public_id not in {i["public_id"] for i in fake.items_of(order["public_id"])}

    result = await run(client.customers.update(customer, price_code="vip"))
    assert result.price_code == "vip" == fake.customers[customer]["price_code"]
    incentive = await run(client.one_time_incentives.create(external_code="WELCOME", customer=customer))
    assert (await run(client.one_time_incentives.retrieve(incentive.public_id))).external_code == "WELCOME"
    assert (await run(client.products.group_check("COFFEE-HOUSE-12OZ", "incentive", "nope"))).product_has_group is False
