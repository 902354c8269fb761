"""Hygiene: every request the library builds carries a timeout; clients, responses and servers are closed.

(ResourceWarning is an error in the pytest configuration, so an unclosed socket anywhere fails the run.)
"""

from __future__ import annotations

import datetime as dt
import inspect
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import ordergroove as og
from ordergroove import _io, gladly
from ordergroove import testing as ogt

LATER = dt.date(2025, 3, 1)


def _every_call(fake: ogt.FakeOrdergroove) -> list[tuple[str, Callable[[Any], Any]]]:
    live = next(s for s in fake.subscriptions.values() if s["live"] and not s.get("prepaid_subscription_context"))
    dead = next(s for s in fake.subscriptions.values() if not s["live"])
    sid, cid = live["public_id"], live["customer"]
    order = fake.upcoming_order(sid)
    assert order is not None
    oid = order["public_id"]
    item = fake.items_of(oid)[0]["public_id"]
    address = next(iter(fake.addresses))
    payment = next(iter(fake.payments))
    product = next(iter(fake.products))
    return [
        ("customers.retrieve", lambda c: c.customers.retrieve(cid)),
        ("customers.list", lambda c: c.customers.list(email="nobody@example.com").to_list()),
        ("customers.summary", lambda c: c.customers.summary(cid)),
        (
            "customers.set_contact_details",
            lambda c: c.customers.set_contact_details(cid, email="a@b.example", phone_number="1"),
        ),
        ("subscriptions.list", lambda c: c.subscriptions.list(customer=cid).to_list()),
        ("subscriptions.retrieve", lambda c: c.subscriptions.retrieve(sid)),
        ("subscriptions.change_quantity", lambda c: c.subscriptions.change_quantity(sid, 2)),
        ("subscriptions.change_frequency", lambda c: c.subscriptions.change_frequency(sid, every=2, every_period=2)),
        ("subscriptions.change_next_order_date", lambda c: c.subscriptions.change_next_order_date(sid, LATER)),
        ("orders.list", lambda c: c.orders.list(customer=cid).to_list()),
        ("orders.retrieve", lambda c: c.orders.retrieve(oid)),
        ("orders.change_place_date", lambda c: c.orders.change_place_date(oid, LATER)),
        ("items.list", lambda c: c.items.list(order=oid).to_list()),
        ("items.retrieve", lambda c: c.items.retrieve(item)),
        ("products.list", lambda c: c.products.list().to_list()),
        ("products.retrieve", lambda c: c.products.retrieve(product)),
        ("addresses.list", lambda c: c.addresses.list(customer=cid).to_list()),
        ("addresses.retrieve", lambda c: c.addresses.retrieve(address)),
        ("payments.list", lambda c: c.payments.list(customer=cid).to_list()),
        ("payments.retrieve", lambda c: c.payments.retrieve(payment)),
        ("merchant.cancel_reasons", lambda c: c.merchant.cancel_reasons()),
        ("subscriptions.skip_next_order", lambda c: c.subscriptions.skip_next_order(sid)),
        ("orders.skip_subscription", lambda c: c.orders.skip_subscription(oid, sid)),  # already skipped: a 400
        ("orders.send_now", lambda c: c.orders.send_now(oid)),
        ("orders.cancel", lambda c: c.orders.cancel(oid)),
        ("subscriptions.cancel", lambda c: c.subscriptions.cancel(sid)),
        (
            "subscriptions.reactivate",
            lambda c: c.subscriptions.reactivate(dead["public_id"], every=1, every_period=3, start_date=LATER),
        ),
    ]


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Hands each request to the emulator, after noting its timeout extension; every response's closing is seen."""

    def __init__(self, fake: ogt.FakeOrdergroove) -> None:
        self.sync = fake.transport()
        self.async_ = fake.async_transport()
        self.timeouts: list[Any] = []
        self.responses: list[httpx.Response] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.timeouts.append(request.extensions.get("timeout"))
        response = self.sync.handle_request(request)
        self.responses.append(response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.timeouts.append(request.extensions.get("timeout"))
        response = await self.async_.handle_async_request(request)
        self.responses.append(response)
        return response


def _all(seconds: float) -> dict[str, float]:
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


async def _run(client: Any, call: Callable[[Any], Any], **options: Any) -> None:
    try:
        result = call(client)
        if inspect.isawaitable(result):
            await result
    except og.OrdergrooveError:
        pass  # some calls are refused by the emulator's rules: they were still sent, with their timeout


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_every_request_carries_the_clients_timeout(kind: str) -> None:
    fake = ogt.FakeOrdergroove.demo()
    recording = Recording(fake)
    calls = _every_call(fake)
    if kind == "sync":
        http: Any = httpx.Client(transport=recording, timeout=None)  # no default to fall back on
        client: Any = og.Ordergroove(api_key=fake.api_key, base_url=fake.base_url, http_client=http, timeout=4.5)
    else:
        http = httpx.AsyncClient(transport=recording, timeout=None)
        client = og.AsyncOrdergroove(api_key=fake.api_key, base_url=fake.base_url, http_client=http, timeout=4.5)
    for name, call in calls:
        before = len(recording.timeouts)
        await _run(client, call)
        sent = recording.timeouts[before:]
        assert sent, f"{name} sent nothing"
        assert sent == [_all(4.5)] * len(sent), name
    before = len(recording.timeouts)
    await _run(client.with_options(timeout=2.0), calls[0][1])
    await _run(client, lambda c: c.customers.retrieve(next(iter(fake.customers)), timeout=1.25))
    await _run(client, lambda c: c.orders.list(customer=next(iter(fake.customers)), timeout=0.75).to_list())
    assert recording.timeouts[before:] == [_all(2.0), _all(1.25), _all(0.75)]
    assert all(response.is_closed for response in recording.responses)
    if kind == "sync":
        client.close()
        http.close()
    else:
        await client.aclose()
        await http.aclose()


async def test_gladly_timeline_requests_carry_a_timeout(kind: str) -> None:
    seen: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions.get("timeout"))
        return httpx.Response(201, json={"id": "n1"})

    note: dict[str, Any] = {"title": "t", "body": "b", "occurred_at": dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)}
    if kind == "sync":
        with (
            httpx.Client(transport=httpx.MockTransport(answer), timeout=None) as http,
            gladly.GladlyClient("https://g.example", "u", "t", http_client=http, timeout=3.0) as notes,
        ):
            notes.add_activity("c1", **note)
    else:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(answer), timeout=None) as async_http,
            gladly.AsyncGladlyClient("https://g.example", "u", "t", http_client=async_http, timeout=3.0) as async_notes,
        ):
            await async_notes.add_activity("c1", **note)
    assert seen == [_all(3.0)]


class ClosingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that notes whether it was closed; ``cut`` ends it with a dropped connection."""

    def __init__(self, body: bytes, cut: bool, request: httpx.Request) -> None:
        self.body, self.cut, self.request, self.closed = body, cut, request, False

    def __iter__(self) -> Iterator[bytes]:
        yield self.body
        if self.cut:
            raise httpx.RemoteProtocolError("peer closed connection", request=self.request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.body
        if self.cut:
            raise httpx.RemoteProtocolError("peer closed connection", request=self.request)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


ANSWERS = {
    "ok": (200, b'{"public_id": "s1", "customer": "c", "product": "p", "live": true}', False),
    "status": (404, b'{"detail": "Not found."}', False),
    "html": (502, b"<html>bad gateway</html>", False),
    "not-json": (200, b"<html>maintenance</html>", False),
    "cut": (200, b'{"public_id": "s1", "cust', True),
    "retry": (503, b"", False),
}


async def test_every_response_is_closed(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    streams: list[ClosingStream] = []

    def answer(request: httpx.Request) -> httpx.Response:
        status, body, cut = ANSWERS[request.url.path.split("/")[2]]
        stream = ClosingStream(body, cut, request)
        streams.append(stream)
        headers = {"content-length": str(len(body) * (2 if cut else 1))}
        return httpx.Response(status, headers=headers, stream=stream, request=request)

    async def no_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(_io, "sleep", lambda delay: None)
    monkeypatch.setattr(_io, "async_sleep", no_sleep)
    options: dict[str, Any] = {"api_key": "k", "base_url": "https://og.example", "max_retries": 2}
    for name in ANSWERS:
        for call in (lambda c, n=name: c.subscriptions.retrieve(n), lambda c, n=name: c.subscriptions.cancel(n)):
            if kind == "sync":
                with (
                    httpx.Client(transport=httpx.MockTransport(answer)) as http,
                    og.Ordergroove(http_client=http, **options) as client,
                ):
                    await _run(client, call)
            else:
                async with (
                    httpx.AsyncClient(transport=httpx.MockTransport(answer)) as async_http,
                    og.AsyncOrdergroove(http_client=async_http, **options) as async_client,
                ):
                    await _run(async_client, call)
    assert len(streams) > len(ANSWERS) * 2  # the retries were answered too
    assert all(stream.closed for stream in streams)


def test_clients_close_their_pool_and_only_theirs() -> None:
    with og.Ordergroove(api_key="k") as client:
        copy = client.with_options(timeout=1.0)
        copy.close()  # a copy shares the pool: closing it leaves the pool open
        assert not client._http.is_closed
    assert client._http.is_closed
    with pytest.raises(og.ConfigurationError):
        client.customers.retrieve("c1")
    given = httpx.Client()
    with og.Ordergroove(api_key="k", http_client=given):
        pass
    assert not given.is_closed  # its owner closes it
    given.close()


async def test_async_clients_close_their_pool_and_only_theirs() -> None:
    async with og.AsyncOrdergroove(api_key="k") as client:
        copy = client.with_options(max_retries=0)
        await copy.aclose()
        assert not client._http.is_closed
    assert client._http.is_closed
    with pytest.raises(og.ConfigurationError):
        await client.customers.retrieve("c1")
    given = httpx.AsyncClient()
    async with og.AsyncOrdergroove(api_key="k", http_client=given):
        pass
    assert not given.is_closed
    await given.aclose()


async def test_gladly_clients_close_their_pool() -> None:
    with gladly.GladlyClient("https://g.example", "u", "t") as notes:
        pass
    assert notes._http.is_closed
    async with gladly.AsyncGladlyClient("https://g.example", "u", "t") as async_notes:
        pass
    assert async_notes._http.is_closed


def test_the_served_emulator_stops_and_frees_its_port() -> None:
    fake = ogt.FakeOrdergroove.demo()
    with ogt.serve(fake) as url, og.Ordergroove(api_key=fake.api_key, base_url=url) as client:
        assert client.merchant.cancel_reasons()
        port = int(url.rsplit(":", 1)[1])
        threads = [t for t in threading.enumerate() if t.name == f"ordergroove-fake:{port}"]
        assert len(threads) == 1
    assert not threads[0].is_alive()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
