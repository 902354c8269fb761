"""Purchase POST end to end on the emulator: what it creates is read back through the REST client."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest

import ordergroove as og
from ordergroove.crypto import decrypt_field
from ordergroove.testing import FakeOrdergroove, serve

PRODUCT = "COFFEE-HOUSE-12OZ"
OTHER = "TEA-GREEN-50"


class Client:
    """A sync or async client of one emulator behind one awaitable ``run``."""

    def __init__(self, fake: FakeOrdergroove, kind: str, **options: Any) -> None:
        self.fake = fake
        self.is_async = kind == "async"
        self.client: Any = fake.async_client(**options) if self.is_async else fake.client(**options)

    async def run(self, fn: Callable[[Any], Any]) -> Any:
        result = fn(self.client)
        return await result if inspect.isawaitable(result) else result

    async def collect(self, fn: Callable[[Any], Any]) -> list[Any]:
        pager = fn(self.client)
        if self.is_async:
            return [record async for record in pager]
        return list(pager)

    async def close(self) -> None:
        if self.is_async:
            await self.client.aclose()
        else:
            self.client.close()


@pytest.fixture
def fake() -> FakeOrdergroove:
    return FakeOrdergroove.demo()


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, fake: FakeOrdergroove) -> AsyncIterator[Client]:
    client = Client(fake, request.param)
    try:
        yield client
    finally:
        await client.close()


def purchase(fake: FakeOrdergroove, order_id: str = "SO-1", **changes: Any) -> og.PurchaseRequest:
    shipping = og.PurchaseAddress(
        first_name="Zoë",
        last_name="Adams",
        address="5 Elm St",
        city="Boston",
        state_province_code="MA",
        zip_postal_code="02110",
        phone="555-0101",
        country_code="US",
    )
    fields: dict[str, Any] = {
        "merchant_id": fake.merchant_public_id,
        "merchant_order_id": order_id,
        "session_id": "og-session-1",
        "user": og.User(
            user_id="new-customer-1",
            first_name="Zoë",
            last_name="Adams",
            email="zoe@example.com",
            phone_number="555-0101",
            shipping_address=shipping,
        ),
        "payment": og.PaymentInfo(
            token_id="tok_visa_1",
            cc_exp_date="04/2031",
            cc_holder="Zoë Adams",
            cc_number="4242424242424242",
            cc_type="1",
        ),
        "products": [
            og.PurchaseProduct(
                product=PRODUCT,
                sku="SKU-1",
                subscription_info=og.SubscriptionInfo(
                    quantity=3,
                    price=Decimal("12.50"),
                    tracking_override=og.TrackingOverride(offer="offer-9", every=2, every_period=og.Period.WEEKS),
                    first_order_place_date=dt.date(2025, 2, 20),
                ),
            ),
            og.PurchaseProduct(
                product=OTHER,
                sku="SKU-2",
                subscription_info=og.SubscriptionInfo(quantity=1),
            ),
            og.PurchaseProduct(product="ONE-TIME-MUG", sku="MUG"),
        ],
    }
    fields.update(changes)
    return og.PurchaseRequest(**fields)


@pytest.mark.parametrize("encoding", ["whole", "values"])
async def test_purchase_creates_records_read_back_through_the_api(
    api: Client, fake: FakeOrdergroove, encoding: str
) -> None:
    key = fake.checkout_hash_key
    receipt = await api.run(lambda c: c.checkout.purchase_post(purchase(fake), hash_key=key, encoding=encoding))
    assert isinstance(receipt, og.PurchaseReceipt) and receipt.result == "Subscription request received"

    pending = await api.run(lambda c: c.checkout.purchase_status(receipt.subs_req_id))
    assert pending.pending is True
    status = await api.run(lambda c: c.checkout.purchase_status(receipt.subs_req_id))
    assert status.pending is False and status.ok
    assert status.customer == "new-customer-1"
    assert set(status.subscription_ids) == {PRODUCT, OTHER}

    customer = await api.run(lambda c: c.customers.retrieve("new-customer-1"))
    assert (customer.first_name, customer.email) == ("Zoë", "zoe@example.com")
    address = await api.run(lambda c: c.addresses.retrieve(status.shipping_address))
    assert (address.city, address.country_code, address.customer) == ("Boston", "US", "new-customer-1")
    payment = await api.run(lambda c: c.payments.retrieve(status.payment))
    # The emulator decrypted the card fields: only the last digits are kept, as Ordergroove does.
    assert (payment.cc_number_ending, payment.cc_exp_date, payment.cc_holder) == ("4242", "04/2031", "Zoë Adams")

    subscriptions = {s.product: s for s in await api.collect(lambda c: c.subscriptions.list(customer="new-customer-1"))}
    assert set(subscriptions) == {PRODUCT, OTHER}
    coffee = subscriptions[PRODUCT]
    assert coffee.public_id == status.subscription_ids[PRODUCT]
    assert (coffee.quantity, coffee.every, coffee.every_period) == (3, 2, og.Period.WEEKS)
    assert coffee.price == Decimal("12.50") and coffee.live
    assert coffee.payment == status.payment and coffee.shipping_address == status.shipping_address

    orders = await api.collect(lambda c: c.orders.list(subscription=coffee.public_id))
    assert len(orders) == 1
    first = orders[0]
    assert first.status == og.OrderStatus.UNSENT and first.place.date() == dt.date(2025, 2, 20)
    items = await api.collect(lambda c: c.items.list(order=first.public_id))
    assert [(i.product, i.quantity, i.price) for i in items] == [(PRODUCT, 3, Decimal("12.50"))]

    [stored] = fake.purchases.values()
    assert stored["merchant_order_id"] == "SO-1"
    assert decrypt_field(stored["request"]["payment"]["cc_number"], key) == "4242424242424242"


async def test_a_repeated_order_id_is_a_conflict_and_changes_nothing(api: Client, fake: FakeOrdergroove) -> None:
    key = fake.checkout_hash_key
    receipt = await api.run(lambda c: c.checkout.purchase_post(purchase(fake), hash_key=key))
    before = len(fake.subscriptions)
    with pytest.raises(og.PurchaseConflictError) as caught:
        await api.run(lambda c: c.checkout.purchase_post(purchase(fake), hash_key=key))
    assert caught.value.status_code == 409
    assert caught.value.merchant_order_id == "SO-1"
    assert caught.value.subs_req_id == receipt.subs_req_id
    assert len(fake.subscriptions) == before
    assert [r.status for r in fake.requests if r.method == "POST"] == [201, 409]


async def test_an_unknown_product_is_a_partial_success(api: Client, fake: FakeOrdergroove) -> None:
    request = purchase(
        fake,
        products=[
            og.PurchaseProduct(product=PRODUCT, sku="S", subscription_info=og.SubscriptionInfo(quantity=1)),
            og.PurchaseProduct(product="NOT-IN-CATALOG", sku="S", subscription_info=og.SubscriptionInfo(quantity=1)),
        ],
    )
    with pytest.raises(og.PurchasePartialError) as caught:
        await api.run(lambda c: c.checkout.purchase_post(request, hash_key=fake.checkout_hash_key))
    subs_req_id = caught.value.subs_req_id
    assert subs_req_id is not None
    await api.run(lambda c: c.checkout.purchase_status(subs_req_id))
    status = await api.run(lambda c: c.checkout.purchase_status(subs_req_id))
    assert list(status.subscription_ids) == [PRODUCT]
    assert status.errors == {"NOT-IN-CATALOG": "Product does not exist"} and not status.ok


async def test_nothing_subscribable_is_a_bad_request(api: Client, fake: FakeOrdergroove) -> None:
    request = purchase(
        fake,
        products=[og.PurchaseProduct(product="NOPE", sku="S", subscription_info=og.SubscriptionInfo(quantity=1))],
    )
    customers = len(fake.customers)
    with pytest.raises(og.PurchaseBadRequestError) as caught:
        await api.run(lambda c: c.checkout.purchase_post(request, hash_key=fake.checkout_hash_key))
    assert caught.value.error_message == "Product NOPE does not exist"
    assert len(fake.customers) == customers and not fake.purchases


async def test_the_wrong_hash_key_is_refused_by_the_emulator(api: Client, fake: FakeOrdergroove) -> None:
    with pytest.raises(og.PurchaseBadRequestError) as caught:
        await api.run(lambda c: c.checkout.purchase_post(purchase(fake), hash_key="0123456789abcdef0123456789ABCDEF"))
    assert caught.value.error_message == "The credit card encryption is not valid"
    assert "4242424242424242" not in str(caught.value)


async def test_status_of_an_unknown_request_is_not_found(api: Client) -> None:
    with pytest.raises(og.NotFoundError):
        await api.run(lambda c: c.checkout.purchase_status("000000000000000000000000"))


async def test_a_wrong_key_is_refused(fake: FakeOrdergroove) -> None:
    with fake.client(api_key="not-a-key") as client, pytest.raises(og.PurchasePermissionDeniedError):
        client.checkout.purchase_post(purchase(fake), hash_key=fake.checkout_hash_key)


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (b'{"merchant_id": "m"}', "error", "one form field"),
        (b"create_request=%7Bnot-json", "error", "not valid JSON"),
        (b"create_request=" + quote(quote('{"a": 1}', safe=""), safe="").encode(), "error", "URL-encoded twice"),
        (b"create_request=" + quote('{"merchant_id": "m"}', safe="").encode(), "error_message", "Merchant order id"),
        (b"create_request=%5B%5D", "error", "JSON object"),
    ],
)
def test_bad_bodies_answer_400(fake: FakeOrdergroove, body: bytes, key: str, message: str) -> None:
    outcome = fake.handle("POST", "/subscription/create", headers={"x-api-key": fake.api_key}, body=body)
    assert outcome.status == 400
    answer = json.loads(outcome.body)
    assert message in answer[key]


def test_missing_payment_answers_400(fake: FakeOrdergroove) -> None:
    data = og.to_dict(purchase(fake))
    del data["payment"]
    body = b"create_request=" + quote(json.dumps(data), safe="").encode()
    outcome = fake.handle("POST", "/subscription/create/", headers={"x-api-key": fake.api_key}, body=body)
    assert (outcome.status, json.loads(outcome.body)) == (
        400,
        {"error_message": "Missing payment data to create record"},
    )
    assert fake.handle("GET", "/subscription/create").status == 405
    assert fake.handle("POST", "/subscription/create", body=body).status == 401


def test_prepaid_subscription_and_pending_polls(fake: FakeOrdergroove) -> None:
    fake.purchase_pending_polls = 0
    request = purchase(
        fake,
        products=[
            og.PurchaseProduct(
                product=PRODUCT,
                sku="S",
                subscription_info=og.SubscriptionInfo(
                    quantity=1, subscription_type="prepaid", prepaid_orders_per_billing=3, renewal_behavior="autorenew"
                ),
            )
        ],
    )
    with fake.client() as client:
        receipt = client.checkout.purchase_post(request, hash_key=fake.checkout_hash_key)
        status = client.checkout.purchase_status(receipt.subs_req_id)
        assert status.pending is False
        subscription = client.subscriptions.retrieve(status.subscription_ids[PRODUCT])
    assert subscription.is_prepaid
    assert fake.subscriptions[subscription.public_id]["prepaid_subscription_context"]["prepaid_orders_per_billing"] == 3


def test_over_a_real_socket_checkout_goes_to_the_served_emulator(fake: FakeOrdergroove) -> None:
    with serve(fake) as base_url, og.Ordergroove(api_key=fake.api_key, base_url=base_url) as client:
        receipt = client.checkout.purchase_post(purchase(fake), hash_key=fake.checkout_hash_key, encoding="values")
        assert client.checkout.purchase_status(receipt.subs_req_id).pending
        assert client.checkout.purchase_status(receipt.subs_req_id).subscription_ids
    assert fake.customers["new-customer-1"]["email"] == "zoe@example.com"
