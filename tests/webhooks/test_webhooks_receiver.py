"""The ASGI webhook receiver: in-process through httpx.ASGITransport, and served for real by uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from assertions import until_set

from ordergroove import webhooks
from ordergroove.errors import ConfigurationError

KEY = "whsec-receiver-key-91b2"
OTHER_KEY = "whsec-someone-else-4410"
URL = "http://receiver.test/webhooks/ordergroove"


def event_body(event_id: str = "evt_1", event_type: str = "subscription.cancel") -> bytes:
    obj = {"public_id": "sub_1", "customer": "cust_1", "product": "prod_1", "live": False}
    return json.dumps(
        {"id": event_id, "type": event_type, "created": int(time.time()), "data": {"object": obj}}
    ).encode()


def signed_headers(body: bytes, key: str = KEY, **kwargs: Any) -> dict[str, str]:
    return {"Ordergroove-Signature": webhooks.sign(body, key, **kwargs), "Content-Type": "application/json"}


class Recorder:
    """A sync handler that records the events and the thread it ran on."""

    def __init__(self, fail: bool = False) -> None:
        self.events: list[webhooks.WebhookEvent] = []
        self.threads: list[int] = []
        self.fail = fail

    def __call__(self, event: webhooks.WebhookEvent) -> None:
        self.events.append(event)
        self.threads.append(threading.get_ident())
        if self.fail:
            raise RuntimeError(f"database down while handling {event.id}")


class AsyncRecorder:
    """An async handler (a coroutine method, so the receiver must see through ``__call__``)."""

    def __init__(self, fail: bool = False) -> None:
        self.events: list[webhooks.WebhookEvent] = []
        self.threads: list[int] = []
        self.fail = fail

    async def __call__(self, event: webhooks.WebhookEvent) -> None:
        await asyncio.sleep(0)
        self.events.append(event)
        self.threads.append(threading.get_ident())
        if self.fail:
            raise RuntimeError(f"queue full while handling {event.id}")


@contextlib.asynccontextmanager
async def client_for(app: webhooks.WebhookReceiver) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        yield client


def assert_no_secret(text: str, *secrets: str) -> None:
    for secret in (KEY, *secrets):
        assert secret not in text
        assert secret[:16] not in text


# -- in process: httpx.ASGITransport -------------------------------------------------------------------------


async def test_a_signed_event_reaches_a_sync_handler_in_a_worker_thread() -> None:
    handler = Recorder()
    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert [e.id for e in handler.events] == ["evt_1"]
    assert handler.events[0].object is not None and handler.events[0].type == "subscription.cancel"
    # A blocking handler must not run on the event loop's thread.
    assert handler.threads[0] != threading.get_ident()


async def test_a_signed_event_reaches_an_async_handler_on_the_loop() -> None:
    handler = AsyncRecorder()
    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
    assert response.status_code == 200
    assert [e.id for e in handler.events] == ["evt_1"]
    assert handler.threads == [threading.get_ident()]


async def test_a_plain_coroutine_function_handler_is_awaited() -> None:
    seen: list[str] = []

    async def handle(event: webhooks.WebhookEvent) -> None:
        seen.append(event.type)

    body = event_body(event_type="order.success")
    async with client_for(webhooks.asgi_receiver(KEY, handle)) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
    assert response.status_code == 200
    assert seen == ["order.success"]


async def test_a_sync_handler_returning_an_awaitable_has_it_awaited() -> None:
    done: list[str] = []

    async def later(event: webhooks.WebhookEvent) -> None:
        done.append(event.id)

    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, lambda event: later(event))) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
    assert response.status_code == 200
    assert done == ["evt_1"]


async def test_a_slow_sync_handler_does_not_block_other_requests() -> None:
    release = threading.Event()
    entered = threading.Event()

    def handler(event: webhooks.WebhookEvent) -> None:
        if event.id == "slow":
            entered.set()
            assert release.wait(10)

    app = webhooks.asgi_receiver(KEY, handler)
    slow, fast = event_body("slow"), event_body("fast")
    async with client_for(app) as client:
        slow_task = asyncio.create_task(client.post(URL, content=slow, headers=signed_headers(slow)))
        assert await asyncio.to_thread(entered.wait, 10)
        # The slow handler is blocked in its thread; the loop still answers another delivery.
        fast_response = await client.post(URL, content=fast, headers=signed_headers(fast))
        assert fast_response.status_code == 200
        assert not slow_task.done()
        release.set()
        assert (await slow_task).status_code == 200


@pytest.mark.parametrize(
    "make_headers",
    [
        pytest.param(lambda body: {}, id="no header"),
        pytest.param(lambda body: {"Ordergroove-Signature": ""}, id="empty header"),
        pytest.param(lambda body: {"Ordergroove-Signature": "garbage"}, id="malformed"),
        pytest.param(lambda body: signed_headers(body, OTHER_KEY), id="wrong key"),
        pytest.param(lambda body: signed_headers(body + b" "), id="tampered body"),
        pytest.param(lambda body: signed_headers(body, timestamp=time.time() - 3600), id="stale"),
        pytest.param(lambda body: signed_headers(body, timestamp=time.time() + 3600), id="future"),
    ],
)
async def test_every_verification_failure_is_the_same_401(
    make_headers: Callable[[bytes], dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = Recorder()
    body = event_body()
    headers = make_headers(body)
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid signature"}
    assert handler.events == []
    # The operator gets the reason in the log; neither the log nor the answer holds a key or signature.
    records = [r for r in caplog.records if r.name == "ordergroove.webhooks"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    sent = headers.get("Ordergroove-Signature", "")
    secrets = [part.split("=", 1)[1] for part in sent.split(",") if part.startswith("sig=")]
    secrets.append(webhooks.sign(body, KEY).split("sig=")[1])
    assert_no_secret(caplog.text, OTHER_KEY, *secrets)
    assert_no_secret(response.text, OTHER_KEY, *secrets)


async def test_rotation_two_signatures_either_matching_is_accepted() -> None:
    handler = Recorder()
    body = event_body()
    old = webhooks.sign(body, OTHER_KEY)
    new = webhooks.sign(body, KEY)
    both = f"{old}, sig={new.split('sig=')[1]}"
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers={"Ordergroove-Signature": both})
    assert response.status_code == 200
    assert len(handler.events) == 1


async def test_a_custom_tolerance_is_applied() -> None:
    body = event_body()
    headers = signed_headers(body, timestamp=time.time() - 3600)
    async with client_for(webhooks.asgi_receiver(KEY, Recorder(), tolerance=7200)) as client:
        assert (await client.post(URL, content=body, headers=headers)).status_code == 200
    async with client_for(webhooks.asgi_receiver(KEY, Recorder(), tolerance=60)) as client:
        assert (await client.post(URL, content=body, headers=headers)).status_code == 401


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"id": "e"}', b""])
async def test_a_signed_body_that_is_not_an_event_is_400(body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    handler = Recorder()
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid payload"}
    assert handler.events == []
    assert "not an event" in caplog.text


async def test_an_unsigned_bad_body_is_401_not_400() -> None:
    # Nothing about the body is examined before the signature holds.
    async with client_for(webhooks.asgi_receiver(KEY, Recorder())) as client:
        response = await client.post(URL, content=b"not json", headers={"Ordergroove-Signature": "ts=1,sig=x"})
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "HEAD"])
async def test_only_post_is_allowed(method: str) -> None:
    handler = Recorder()
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.request(method, URL)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert handler.events == []


async def test_an_oversized_body_is_413() -> None:
    handler = Recorder()
    body = event_body() + b" " * 2000
    async with client_for(webhooks.asgi_receiver(KEY, handler, max_body_size=1000)) as client:
        response = await client.post(URL, content=body, headers=signed_headers(body))
        assert response.status_code == 413

        # Streamed without a Content-Length, the limit holds too.
        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(body), 100):
                yield body[start : start + 100]

        streamed = await client.post(URL, content=chunks(), headers=signed_headers(body))
        assert streamed.status_code == 413
    assert handler.events == []


async def test_a_streamed_body_is_read_whole() -> None:
    handler = Recorder()
    body = event_body()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=chunks(), headers=signed_headers(body))
    assert response.status_code == 200
    assert handler.events[0].id == "evt_1"


@pytest.mark.parametrize("handler_class", [Recorder, AsyncRecorder])
async def test_a_failing_handler_gives_a_generic_500_and_logs_the_exception(
    handler_class: type[Recorder] | type[AsyncRecorder], caplog: pytest.LogCaptureFixture
) -> None:
    handler = handler_class(fail=True)
    body = event_body()
    headers = signed_headers(body)
    async with client_for(webhooks.asgi_receiver(KEY, handler)) as client:
        response = await client.post(URL, content=body, headers=headers)
    assert response.status_code == 500
    assert response.json() == {"error": "handler failed"}
    assert "database" not in response.text and "queue" not in response.text  # the exception stays inside
    (record,) = [r for r in caplog.records if r.name == "ordergroove.webhooks"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert "evt_1" in record.getMessage()
    assert_no_secret(caplog.text, headers["Ordergroove-Signature"].split("sig=")[1])


async def test_duplicates_are_answered_200_without_calling_the_handler_again() -> None:
    handler = Recorder()
    dedup = webhooks.Deduplicator()
    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, handler, deduplicator=dedup)) as client:
        first = await client.post(URL, content=body, headers=signed_headers(body))
        again = await client.post(URL, content=body, headers=signed_headers(body))
        other = event_body("evt_2")
        third = await client.post(URL, content=other, headers=signed_headers(other))
    assert (first.status_code, again.status_code, third.status_code) == (200, 200, 200)
    assert again.json() == {"status": "duplicate"}
    assert [e.id for e in handler.events] == ["evt_1", "evt_2"]


async def test_a_forged_delivery_does_not_mark_an_id_as_seen() -> None:
    handler = Recorder()
    dedup = webhooks.Deduplicator()
    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, handler, deduplicator=dedup)) as client:
        forged = await client.post(URL, content=body, headers=signed_headers(body, OTHER_KEY))
        real = await client.post(URL, content=body, headers=signed_headers(body))
    assert (forged.status_code, real.status_code) == (401, 200)
    assert len(handler.events) == 1


async def test_after_a_handler_failure_the_retry_is_handled_not_taken_for_a_duplicate() -> None:
    calls: list[str] = []

    def flaky(event: webhooks.WebhookEvent) -> None:
        calls.append(event.id)
        if len(calls) == 1:
            raise RuntimeError("first attempt fails")

    dedup = webhooks.Deduplicator()
    body = event_body()
    async with client_for(webhooks.asgi_receiver(KEY, flaky, deduplicator=dedup)) as client:
        first = await client.post(URL, content=body, headers=signed_headers(body))
        retry = await client.post(URL, content=body, headers=signed_headers(body))
        repeat = await client.post(URL, content=body, headers=signed_headers(body))
    assert (first.status_code, retry.status_code, repeat.status_code) == (500, 200, 200)
    assert repeat.json() == {"status": "duplicate"}
    assert calls == ["evt_1", "evt_1"]


async def deliver(app: webhooks.WebhookReceiver, body: bytes) -> tuple[int, dict[str, Any]]:
    """One delivery straight through the ASGI interface (so that a test can cancel it mid-handler)."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(k.lower().encode(), v.encode()) for k, v in signed_headers(body).items()],
    }
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], json.loads(sent[1]["body"])


async def test_a_cancelled_async_handler_leaves_the_event_to_be_handled_by_the_redelivery() -> None:
    started: list[str] = []
    entered = asyncio.Event()

    async def handler(event: webhooks.WebhookEvent) -> None:
        started.append(event.id)
        if len(started) == 1:
            entered.set()
            await asyncio.Event().wait()  # until cancelled: a timeout wrapper, a server whose client went away

    dedup = webhooks.Deduplicator()
    app = webhooks.asgi_receiver(KEY, handler, deduplicator=dedup)
    body = event_body()
    first = asyncio.create_task(deliver(app, body))
    await until_set(entered, first)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert "evt_1" not in dedup  # not handled: only a completed handler marks an event as seen
    assert await deliver(app, body) == (200, {"status": "ok"})
    assert await deliver(app, body) == (200, {"status": "duplicate"})
    assert started == ["evt_1", "evt_1"]


async def test_a_concurrent_delivery_of_an_event_in_progress_is_refused_without_running_the_handler() -> None:
    started: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def handler(event: webhooks.WebhookEvent) -> None:
        started.append(event.id)
        entered.set()
        await release.wait()

    app = webhooks.asgi_receiver(KEY, handler, deduplicator=webhooks.Deduplicator())
    body = event_body()
    first = asyncio.create_task(deliver(app, body))
    await until_set(entered, first)
    # Not 2xx, so Ordergroove delivers it again later; by then the first delivery has finished one way or the other.
    assert await deliver(app, body) == (409, {"error": "event in progress"})
    release.set()
    assert await first == (200, {"status": "ok"})
    assert await deliver(app, body) == (200, {"status": "duplicate"})
    assert started == ["evt_1"]


async def test_a_failed_handler_releases_the_event_in_progress() -> None:
    calls: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def handler(event: webhooks.WebhookEvent) -> None:
        calls.append(event.id)
        if len(calls) == 1:
            entered.set()
            await release.wait()
            raise RuntimeError("first attempt fails")

    app = webhooks.asgi_receiver(KEY, handler, deduplicator=webhooks.Deduplicator())
    body = event_body()
    first = asyncio.create_task(deliver(app, body))
    await until_set(entered, first)
    assert (await deliver(app, body))[0] == 409
    release.set()
    assert await first == (500, {"error": "handler failed"})
    assert await deliver(app, body) == (200, {"status": "ok"})
    assert calls == ["evt_1", "evt_1"]


async def test_a_cancelled_delivery_keeps_a_sync_handler_in_progress_until_its_thread_returns() -> None:
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def handler(event: webhooks.WebhookEvent) -> None:
        calls.append(event.id)
        entered.set()
        assert release.wait(10)

    dedup = webhooks.Deduplicator()
    app = webhooks.asgi_receiver(KEY, handler, deduplicator=dedup)
    body = event_body()
    first = asyncio.create_task(deliver(app, body))
    try:
        assert await asyncio.to_thread(entered.wait, 10)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        # A thread cannot be stopped: the handler still runs, so a redelivery must not start it a second time.
        assert (await deliver(app, body))[0] == 409
    finally:
        release.set()
    for _ in range(1000):  # the thread's end reaches the loop through a callback: let the loop run until then
        if "evt_1" in dedup:
            break
        await asyncio.sleep(0.01)
    # It returned, so the event was handled after all: the redelivery is a duplicate.
    assert await deliver(app, body) == (200, {"status": "duplicate"})
    assert calls == ["evt_1"]


async def test_the_receiver_is_a_route_of_a_starlette_app() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    handler = Recorder()
    # A Route (not a Mount, which would redirect the POST to a trailing slash) whose endpoint is the app.
    app = Starlette(routes=[Route("/webhooks/ordergroove", webhooks.asgi_receiver(KEY, handler))])
    body = event_body()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app.test") as client:
        response = await client.post("/webhooks/ordergroove", content=body, headers=signed_headers(body))
        forged = await client.post("/webhooks/ordergroove", content=body, headers=signed_headers(body, OTHER_KEY))
    assert (response.status_code, forged.status_code) == (200, 401)
    assert len(handler.events) == 1


async def test_construct_event_inside_a_starlette_endpoint() -> None:
    # The pattern docs/webhooks.md shows for a route of one's own (FastAPI works the same way).
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    received: list[str] = []

    async def endpoint(request: Request) -> JSONResponse:
        try:
            event = webhooks.construct_event(
                await request.body(), request.headers.get("Ordergroove-Signature", ""), KEY
            )
        except webhooks.WebhookPayloadError:
            return JSONResponse({"error": "invalid payload"}, status_code=400)
        except webhooks.WebhookVerificationError:
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        received.append(event.type)
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/hook", endpoint, methods=["POST"])])
    body = event_body(event_type="order.cancel")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app.test") as client:
        assert (await client.post("/hook", content=body, headers=signed_headers(body))).status_code == 200
        assert (await client.post("/hook", content=body)).status_code == 401
    assert received == ["order.cancel"]


def test_repr_leaves_out_the_key() -> None:
    app = webhooks.asgi_receiver(KEY, Recorder())
    assert KEY not in repr(app)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": ""},
        {"key": None},
        {"handler": "not callable"},
        {"tolerance": -1},
        {"max_body_size": 0},
    ],
)
def test_unusable_arguments_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"key": KEY, "handler": Recorder(), **kwargs}
    with pytest.raises(ConfigurationError):
        webhooks.asgi_receiver(arguments.pop("key"), arguments.pop("handler"), **arguments)


async def test_a_websocket_is_closed_and_an_unknown_scope_ignored() -> None:
    app = webhooks.asgi_receiver(KEY, Recorder())
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    await app({"type": "websocket"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]
    await app({"type": "something-new"}, receive, send)
    assert len(sent) == 1


async def test_a_client_that_disconnects_before_the_body_gets_no_answer() -> None:
    handler = Recorder()
    app = webhooks.asgi_receiver(KEY, handler)
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app({"type": "http", "method": "POST", "headers": []}, receive, send)
    assert sent == [] and handler.events == []


# -- served for real: uvicorn on 127.0.0.1 -------------------------------------------------------------------


@contextlib.contextmanager
def serve(app: webhooks.WebhookReceiver) -> Iterator[str]:
    """Serve ``app`` with uvicorn (lifespan on) on a free port of 127.0.0.1 in a thread; stop it cleanly."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: leave the test process's logging configuration alone.
    config = uvicorn.Config(app, lifespan="on", log_config=None, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
    assert not thread.is_alive()


@pytest.fixture
def sync_served() -> Iterator[tuple[str, Recorder]]:
    handler = Recorder()
    with serve(webhooks.asgi_receiver(KEY, handler, deduplicator=webhooks.Deduplicator())) as url:
        yield url, handler


@pytest.fixture
def async_served() -> Iterator[tuple[str, AsyncRecorder]]:
    handler = AsyncRecorder()
    with serve(webhooks.asgi_receiver(KEY, handler)) as url:
        yield url, handler


def test_served_with_a_sync_handler(sync_served: tuple[str, Recorder], caplog: pytest.LogCaptureFixture) -> None:
    url, handler = sync_served
    body = event_body()
    with httpx.Client(base_url=url) as client:
        ok = client.post("/", content=body, headers=signed_headers(body))
        duplicate = client.post("/any/path", content=body, headers=signed_headers(body))
        forged = client.post("/", content=event_body("evt_2"), headers=signed_headers(body))
        wrong_method = client.get("/")
    assert (ok.status_code, duplicate.status_code, forged.status_code) == (200, 200, 401)
    assert duplicate.json() == {"status": "duplicate"}
    assert forged.json() == {"error": "invalid signature"}
    assert wrong_method.status_code == 405
    assert [e.id for e in handler.events] == ["evt_1"]
    assert handler.events[0].object is not None
    assert_no_secret(caplog.text, signed_headers(body)["Ordergroove-Signature"].split("sig=")[1])


async def test_served_with_an_async_handler(async_served: tuple[str, AsyncRecorder]) -> None:
    url, handler = async_served
    bodies = [event_body(f"evt_{i}", "order.success") for i in range(5)]
    async with httpx.AsyncClient(base_url=url) as client:
        responses = await asyncio.gather(
            *(client.post("/", content=body, headers=signed_headers(body)) for body in bodies)
        )
        bad = await client.post("/", content=b"{}", headers=signed_headers(b"{}"))
    assert [r.status_code for r in responses] == [200] * 5
    assert bad.status_code == 400
    assert sorted(e.id for e in handler.events) == [f"evt_{i}" for i in range(5)]
    # The async handler ran on the server's loop, not on this test's thread.
    assert set(handler.threads) and threading.get_ident() not in handler.threads


def test_served_handler_failure_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    handler = Recorder(fail=True)
    with serve(webhooks.asgi_receiver(KEY, handler)) as url, httpx.Client(base_url=url) as client:
        body = event_body()
        response = client.post("/", content=body, headers=signed_headers(body))
    assert response.status_code == 500
    assert response.json() == {"error": "handler failed"}
    assert "database down while handling evt_1" in caplog.text  # in the log, with its traceback
    assert KEY not in caplog.text
