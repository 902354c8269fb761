"""The emulator delivers signed webhooks for the changes it applies, end to end into the library's receiver."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

KEY = "whsec-test-key"


@contextmanager
def served(app: Any) -> Iterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


def _live_subscription(fake: FakeOrdergroove) -> str:
    for subscription in fake.subscriptions.values():
        usable = subscription["live"] and not subscription.get("prepaid_subscription_context")
        if usable and fake.upcoming_order(subscription["public_id"]) is not None:
            return str(subscription["public_id"])
    raise AssertionError("the demo data has no live subscription with an upcoming order")


def test_changes_reach_a_served_receiver_signed_and_typed() -> None:
    fake = FakeOrdergroove.demo()
    received: list[og.WebhookEvent] = []
    app = og.webhooks.asgi_receiver(KEY, received.append)
    subscription_id = _live_subscription(fake)
    with served(app) as url:
        fake.webhooks.subscribe(url, KEY)
        with fake.client() as client:
            skipped = client.subscriptions.skip_next_order(subscription_id)
            client.subscriptions.cancel(subscription_id, reason_code=4)
        assert fake.webhooks.wait(timeout=10)
    fake.webhooks.close()
    assert [event.type for event in received] == ["order.skip_order", "subscription.cancel"]
    skip, cancel = received
    assert isinstance(skip.object, og.Order) and skip.object.public_id == skipped.public_id
    assert isinstance(cancel.object, og.Subscription)
    assert cancel.object.public_id == subscription_id and cancel.object.live is False
    assert isinstance(cancel.snapshot, og.Subscription) and cancel.snapshot.live is True
    assert all(delivery.ok for delivery in fake.webhooks.deliveries)


def test_a_receiver_with_the_wrong_key_refuses_every_delivery_and_is_retried() -> None:
    fake = FakeOrdergroove.demo()
    fake.webhooks.max_attempts = 2
    handled: list[og.WebhookEvent] = []
    with served(og.webhooks.asgi_receiver("another-key", handled.append)) as url:
        fake.webhooks.subscribe(url, KEY)
        with fake.client() as client:
            client.subscriptions.cancel(_live_subscription(fake))
        assert fake.webhooks.wait(timeout=10)
    fake.webhooks.close()
    assert handled == []
    assert [delivery.status for delivery in fake.webhooks.deliveries] == [401, 401]


def test_a_callable_receiver_gets_the_body_and_a_verifiable_signature() -> None:
    fake = FakeOrdergroove.demo()
    bodies: list[tuple[bytes, Mapping[str, str]]] = []
    fake.webhooks.subscribe(lambda body, headers: bodies.append((body, headers)), KEY)
    customer = next(iter(fake.customers))
    with fake.client() as client:
        client.customers.set_contact_details(customer, email="new@example.com", phone_number="+15550100")
    assert fake.webhooks.wait(timeout=10)
    fake.webhooks.close()
    [(body, headers)] = bodies
    event = og.webhooks.construct_event(body, headers["Ordergroove-Signature"], KEY)
    assert event.type == "subscriber.update"
    assert isinstance(event.object, og.Customer) and event.object.email == "new@example.com"
    with pytest.raises(og.WebhookVerificationError):
        og.webhooks.verify(body + b" ", headers["Ordergroove-Signature"], KEY)


def test_refused_and_unapplied_requests_send_nothing() -> None:
    fake = FakeOrdergroove.demo()
    subscription_id = _live_subscription(fake)
    fake.faults.add(503, method="PATCH")
    with fake.client(max_retries=0) as client:
        with pytest.raises(og.ServerError):
            client.subscriptions.cancel(subscription_id)
        client.subscriptions.cancel(subscription_id)
        with pytest.raises(og.BadRequestError):
            client.subscriptions.cancel(subscription_id)
    assert [event["type"] for event in fake.webhooks.events] == ["subscription.cancel"]


def test_subscribe_refuses_bad_targets_and_keys() -> None:
    fake = FakeOrdergroove()
    with pytest.raises(og.ConfigurationError):
        fake.webhooks.subscribe("ftp://example", KEY)
    with pytest.raises(og.ConfigurationError):
        fake.webhooks.subscribe("http://127.0.0.1:9/", "")


def test_subscribe_refuses_a_key_that_is_not_valid_unicode_without_showing_it() -> None:
    fake = FakeOrdergroove()
    secret = "whsec-emulator-key-\ud800-SECRET"
    with pytest.raises(og.ConfigurationError, match="key") as caught:
        fake.webhooks.subscribe(lambda body, headers: 200, secret)
    error: BaseException | None = caught.value
    while error is not None:
        assert "whsec-emulator-key" not in f"{error} {error!r} {error.args!r}"
        error = error.__cause__ or error.__context__
