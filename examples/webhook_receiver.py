"""A webhook receiver (``og.webhooks.asgi_receiver``) fed by signed deliveries from the emulator.

    python examples/webhook_receiver.py

The receiver is served by uvicorn on 127.0.0.1; the emulator is subscribed to it and, as Ordergroove does,
POSTs a signed event for every change the client makes. Then a delivery is replayed (answered "duplicate") and
one is forged (refused with 401). Needs the ``testing`` extra (uvicorn).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

WEBHOOK_KEY = "example-webhook-key"  # in production: your webhook verification key, from Ordergroove

received: list[og.WebhookEvent] = []


def handle(event: og.WebhookEvent) -> None:
    """Called once per event (a plain function runs in a worker thread; an async one is awaited)."""
    received.append(event)
    what = event.object.public_id if isinstance(event.object, og.Subscription | og.Order) else "?"
    print(f"  handled {event.type:<32} {what}")


receiver = og.webhooks.asgi_receiver(WEBHOOK_KEY, handle, deduplicator=og.webhooks.Deduplicator())


@contextlib.contextmanager
def serving(app: og.webhooks.WebhookReceiver) -> Iterator[str]:
    """uvicorn on a free port of 127.0.0.1, in a background thread; yields the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def main() -> None:
    fake = FakeOrdergroove.demo()
    with serving(receiver) as base_url:
        url = f"{base_url}/webhooks/ordergroove"
        fake.webhooks.subscribe(url, WEBHOOK_KEY)
        print(f"receiver on {url}; changes made through the client:")
        with fake.client() as client:
            first, second = client.subscriptions.list(customer="cust_0001", live=True).to_list(limit=2)
            client.subscriptions.change_quantity(first.public_id, 2)
            client.subscriptions.skip_next_order(first.public_id)
            client.subscriptions.cancel(second.public_id, reason_code=4)
        fake.webhooks.wait()
        fake.webhooks.close()
        print(f"{len(fake.webhooks.deliveries)} deliveries, answered {[d.status for d in fake.webhooks.deliveries]}")

        # Ordergroove retries deliveries, so the same event can arrive twice: the deduplicator answers it.
        body = json.dumps(fake.webhooks.events[-1]).encode()
        with httpx.Client() as http:
            again = http.post(url, content=body, headers={"Ordergroove-Signature": og.webhooks.sign(body, WEBHOOK_KEY)})
            print(f"the last event delivered again: {again.status_code} {again.json()}")
            forged = http.post(url, content=body, headers={"Ordergroove-Signature": og.webhooks.sign(body, "guess")})
            print(f"a delivery signed with another key: {forged.status_code} {forged.json()}")

    if len(received) != len(fake.webhooks.events) or again.status_code != 200 or forged.status_code != 401:
        raise SystemExit("the receiver did not answer as expected")
    print(f"{len(received)} events handled, each exactly once")


if __name__ == "__main__":
    main()
