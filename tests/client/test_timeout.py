"""``timeout`` bounds a whole attempt (connect, send, and the complete answer), not each network read.

A real server on 127.0.0.1 answers slowly; the tests use small timeouts and assert the error, never a duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from conftest import Api

import ordergroove as og

CUSTOMER = json.dumps({"merchant_user_id": "c1", "email": "c1@example.com"}).encode()


class SlowServer:
    """Answers every request on its own connection: headers after ``head_delay`` seconds, then the body in
    pieces of ``piece`` bytes, ``pause`` seconds apart."""

    def __init__(self, *, head_delay: float = 0.0, piece: int = 1, pause: float = 0.0) -> None:
        self.head_delay, self.piece, self.pause = head_delay, piece, pause
        self.requests: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # the client hanging up mid-answer is what some tests want
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data.split(b"\r\n", 1)[0])
            if self.stopped.wait(self.head_delay):
                return
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(CUSTOMER)}\r\n\r\n"
            conn.sendall(head.encode())
            for start in range(0, len(CUSTOMER), self.piece):
                if start and self.stopped.wait(self.pause):
                    return
                conn.sendall(CUSTOMER[start : start + self.piece])

    def close(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def slow_server() -> Iterator[Callable[..., SlowServer]]:
    servers: list[SlowServer] = []

    def make(**options: Any) -> SlowServer:
        server = SlowServer(**options)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("call", "line"),
    [
        (lambda c: c.customers.retrieve("c1"), b"GET /customers/c1/ HTTP/1.1"),
        (
            lambda c: c.customers.set_contact_details("c1", email="c1@example.com", phone_number="5550100"),
            b"PATCH /customers/c1/",
        ),
    ],
    ids=["read", "action"],
)
async def test_a_trickled_body_times_out_within_the_timeout(
    api: Api, slow_server: Callable[..., SlowServer], call: Callable[[Any], Any], line: bytes
) -> None:
    # One byte every 0.1 s: each read returns well within 0.5 s, but the whole answer would take over 4 s.
    server = slow_server(piece=1, pause=0.1)
    client = api.make(base_url=server.base_url, timeout=0.5, max_retries=0)
    with pytest.raises(og.APITimeoutError) as caught:
        await api.run(call, client)
    assert caught.value.request_sent is True
    assert len(server.requests) == 1 and server.requests[0].startswith(line)


async def test_slow_headers_and_a_slow_body_add_up(api: Api, slow_server: Callable[..., SlowServer]) -> None:
    # Headers after 0.4 s, the body 0.4 s later: no single wait reaches 0.6 s, the attempt does.
    server = slow_server(head_delay=0.4, piece=10, pause=0.4)
    client = api.make(base_url=server.base_url, timeout=0.6, max_retries=0)
    with pytest.raises(og.APITimeoutError) as caught:
        await api.run(lambda c: c.customers.retrieve("c1"), client)
    assert caught.value.request_sent is True


async def test_a_timed_out_read_is_retried_then_raised(api: Api, slow_server: Callable[..., SlowServer]) -> None:
    server = slow_server(piece=1, pause=0.1)
    client = api.make(base_url=server.base_url, timeout=0.3, max_retries=1)
    with pytest.raises(og.APITimeoutError):
        await api.run(lambda c: c.customers.retrieve("c1"), client)
    assert len(server.requests) == 2


async def test_an_answer_within_the_timeout_is_read(api: Api, slow_server: Callable[..., SlowServer]) -> None:
    server = slow_server(piece=8, pause=0.01)
    client = api.make(base_url=server.base_url, timeout=5.0, max_retries=0)
    customer = await api.run(lambda c: c.customers.retrieve("c1"), client)
    assert customer.email == "c1@example.com"


async def test_the_per_call_timeout_bounds_the_attempt(api: Api, slow_server: Callable[..., SlowServer]) -> None:
    server = slow_server(piece=1, pause=0.1)
    client = api.make(base_url=server.base_url, timeout=30.0, max_retries=0)
    with pytest.raises(og.APITimeoutError):
        await api.run(lambda c: c.customers.retrieve("c1", timeout=0.5), client)


# -- whether the request was sent, when the attempt ran out of time (async: the attempt is cancelled) -------------


class StuckTransport(httpx.AsyncBaseTransport):
    """Reports that httpcore started ``phase`` (as httpx's own transport does; None: reports nothing, as a mock or a
    custom transport), then never answers."""

    def __init__(self, phase: str | None) -> None:
        self.phase = phase
        self.cancelled = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.phase is not None:
            await request.extensions["trace"](f"{self.phase}.started", {"request": request})
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        raise AssertionError("the attempt was not cut short")


@pytest.mark.parametrize(
    ("phase", "sent"),
    [
        ("connection.connect_tcp", False),
        ("connection.start_tls", False),
        ("http11.send_request_headers", True),
        ("http11.receive_response_headers", True),
        ("http2.receive_response_headers", True),
    ],
)
async def test_async_timeout_says_whether_the_request_was_sent(phase: str, sent: bool, clean_env: None) -> None:
    transport = StuckTransport(phase)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        og.AsyncOrdergroove(api_key="k", http_client=http, timeout=0.2, max_retries=0) as client,
    ):
        with pytest.raises(og.APITimeoutError) as caught:
            await client.subscriptions.cancel("s1")
    assert caught.value.request_sent is sent
    assert ("may have acted" in str(caught.value)) is sent
    assert transport.cancelled == 1


async def test_async_timeout_without_progress_events_assumes_the_request_was_sent(clean_env: None) -> None:
    # A transport that reports nothing (a custom one, a mock) may have sent the request: an action is not repeated.
    transport = StuckTransport(None)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        og.AsyncOrdergroove(api_key="k", http_client=http, timeout=0.2, max_retries=2) as client,
    ):
        with pytest.raises(og.APITimeoutError) as caught:
            await client.subscriptions.cancel("s1")
    assert caught.value.request_sent is True
    assert transport.cancelled == 1  # not retried


# -- sync: each network wait gets the time left ---------------------------------------------------------------


def test_sync_waits_get_the_time_left(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from ordergroove import _io

    now = [100.0]
    monkeypatch.setattr(_io, "monotonic", lambda: now[0])
    seen: dict[str, dict[str, float]] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        # As httpcore does: each phase reports it starts, then reads its timeout; each takes 0.3 s here.
        trace = request.extensions["trace"]
        for phase in ("http11.send_request_headers", "http11.receive_response_headers"):
            trace(f"{phase}.started", {"request": request})
            seen[phase] = dict(request.extensions["timeout"])
            now[0] += 0.3
            trace(f"{phase}.complete", {"request": request})
        return httpx.Response(200, json={"merchant_user_id": "c1"})

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        og.Ordergroove(api_key="k", http_client=http, timeout=1.0) as client,
    ):
        client.customers.retrieve("c1")
    assert seen["http11.send_request_headers"]["write"] == pytest.approx(1.0)
    assert seen["http11.receive_response_headers"]["read"] == pytest.approx(0.7)


def test_sync_request_not_sent_once_the_time_is_up(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from ordergroove import _io

    now = [100.0]
    monkeypatch.setattr(_io, "monotonic", lambda: now[0])
    sent: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        now[0] += 2.0  # the wait for a connection and the connect used up the whole second
        request.extensions["trace"]("http11.send_request_headers.started", {"request": request})
        sent.append(request.method)
        return httpx.Response(200, json={"merchant_user_id": "c1"})

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        og.Ordergroove(api_key="k", http_client=http, timeout=1.0, max_retries=0) as client,
        pytest.raises(og.APITimeoutError) as caught,
    ):
        client.customers.set_contact_details("c1", email="c1@example.com", phone_number="5550100")
    assert caught.value.request_sent is False
    assert sent == []
