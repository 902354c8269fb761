"""Real servers on 127.0.0.1 for the Gladly service's tests: the service itself (uvicorn in a background thread,
building its clients inside its own event loop), the Ordergroove emulator (``ordergroove.testing.serve``) and a
small stand-in for Gladly's REST API that records timeline notes. Every request to the service is signed."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import ordergroove as og
from ordergroove import gladly
from ordergroove import testing as ogt

SIGNING_KEY = "gladly-signing-key-TEST-5e1f"
GLADLY_USER = "api@acme.test"
GLADLY_TOKEN = "gladly-token-TEST-77aa"
GLADLY_CUSTOMER = "gladly-cust-Xy12"
DOWN_CUSTOMER = "gladly-cust-down"  # the stub answers 503 for this one
NESTED_CUSTOMER = "gladly-cust-nested"  # the stub answers 503 with 100,000 nested JSON arrays for this one

AppFactory = Callable[[], contextlib.AbstractAsyncContextManager[Any]]


class ServerThread:
    """uvicorn on a free port of 127.0.0.1 in a thread with its own loop. ``make_app`` is entered inside that
    loop, so the clients the app uses are created, used and closed there."""

    def __init__(self, make_app: AppFactory) -> None:
        self._make_app = make_app
        self._server: uvicorn.Server | None = None
        self._error: BaseException | None = None
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import asyncio

        async def main() -> None:
            async with self._make_app() as app:
                config = uvicorn.Config(
                    app, lifespan="off", log_config=None, access_log=False, timeout_graceful_shutdown=2
                )
                self._server = uvicorn.Server(config)
                await self._server.serve(sockets=[self._sock])

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by start()/stop() in the test's thread
            self._error = exc

    def __enter__(self) -> ServerThread:
        self._thread.start()
        for _ in range(2000):
            if self._error is not None:
                raise RuntimeError("the server failed to start") from self._error
            if self._server is not None and self._server.started:
                return self
            time.sleep(0.005)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
        if self._error is not None:
            raise RuntimeError("the server failed") from self._error


class GladlyStub:
    """Gladly's ``POST /api/v1/customers/{id}/conversation-items``: records notes; a reused item id is a 409."""

    def __init__(self) -> None:
        self.notes: list[dict[str, Any]] = []
        self.authorizations: list[str | None] = []
        self._lock = threading.Lock()
        self.app = Starlette(
            routes=[Route("/api/v1/customers/{customer_id}/conversation-items", self._post, methods=["POST"])]
        )

    async def _post(self, request: Request) -> Response:
        payload = json.loads(await request.body())
        if request.path_params["customer_id"] == DOWN_CUSTOMER:
            return JSONResponse({"errors": [{"code": "unavailable", "detail": "try later"}]}, 503)
        if request.path_params["customer_id"] == NESTED_CUSTOMER:
            return Response(b"[" * 100_000, 503, media_type="application/json")
        with self._lock:
            self.authorizations.append(request.headers.get("authorization"))
            if payload.get("id") and any(note["id"] == payload["id"] for note in self.notes):
                return JSONResponse({"errors": [{"attr": "id", "code": "taken", "detail": "id is taken"}]}, 409)
            self.notes.append({"customer_id": request.path_params["customer_id"], **payload})
        return JSONResponse({"id": payload.get("id"), "customerId": request.path_params["customer_id"]}, 201)


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


class Adaptor:
    """The running service and a signed way to call it."""

    def __init__(self, url: str, http: httpx.AsyncClient, basic: tuple[str, str] | None) -> None:
        self.url = url
        self.http = http
        self.basic = basic

    def headers(
        self,
        method: str,
        path: str,
        body: bytes,
        *,
        now: datetime | None = None,
        key: str = SIGNING_KEY,
    ) -> dict[str, str]:
        base, _, query = path.partition("?")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.basic is not None:
            headers["Authorization"] = basic_header(*self.basic)
        headers |= gladly.sign_request(method, base, query, headers, body, key, now=now)
        return headers

    async def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        signed: bool = True,
        now: datetime | None = None,
        key: str = SIGNING_KEY,
        extra_headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> httpx.Response:
        if body is None:
            body = b"" if payload is None else json.dumps(payload).encode()
        headers = self.headers(method, path, body, now=now, key=key) if signed else {}
        headers |= extra_headers or {}
        return await self.http.request(method, self.url + path, content=body, headers=headers)

    async def lookup(self, payload: Any, **options: Any) -> httpx.Response:
        return await self.request("POST", "/lookup", payload, **options)

    async def action(self, name: str, inputs: Any, **options: Any) -> httpx.Response:
        return await self.request("POST", f"/actions/{name}", inputs, **options)


@pytest.fixture
def fake() -> ogt.FakeOrdergroove:
    return ogt.FakeOrdergroove.demo()


@pytest.fixture
def og_url(fake: ogt.FakeOrdergroove) -> Iterator[str]:
    with ogt.serve(fake) as url:
        yield url


@pytest.fixture
def gladly_stub() -> Iterator[tuple[GladlyStub, str]]:
    stub = GladlyStub()

    @contextlib.asynccontextmanager
    async def app() -> AsyncIterator[Starlette]:
        yield stub.app

    with ServerThread(app) as server:
        yield stub, server.url


StartAdaptor = Callable[..., contextlib.AbstractAsyncContextManager[Adaptor]]


@pytest.fixture
def start_adaptor(fake: ogt.FakeOrdergroove, og_url: str, gladly_stub: tuple[GladlyStub, str]) -> StartAdaptor:
    """``async with start_adaptor(**create_app_options) as adaptor``; ``notes=False`` runs without Gladly's API,
    ``max_retries`` sets the Ordergroove client's retries."""

    @contextlib.asynccontextmanager
    async def start(*, notes: bool = True, max_retries: int = 0, **options: Any) -> AsyncIterator[Adaptor]:
        @contextlib.asynccontextmanager
        async def make_app() -> AsyncIterator[Starlette]:
            async with contextlib.AsyncExitStack() as stack:
                client = await stack.enter_async_context(
                    og.AsyncOrdergroove(api_key=fake.api_key, base_url=og_url, max_retries=max_retries)
                )
                timeline = None
                if notes:
                    timeline = await stack.enter_async_context(
                        gladly.AsyncGladlyClient(gladly_stub[1], GLADLY_USER, GLADLY_TOKEN, max_retries=0)
                    )
                yield gladly.create_app(client, signing_key=SIGNING_KEY, gladly=timeline, **options)

        with ServerThread(make_app) as server:
            async with httpx.AsyncClient(timeout=30) as http:
                yield Adaptor(server.url, http, options.get("basic_auth"))

    return start


@pytest.fixture
async def adaptor(start_adaptor: StartAdaptor) -> AsyncIterator[Adaptor]:
    async with start_adaptor() as running:
        yield running


@pytest.fixture
def notes(gladly_stub: tuple[GladlyStub, str]) -> list[dict[str, Any]]:
    return gladly_stub[0].notes


def subscriptions_of(fake: ogt.FakeOrdergroove, customer_id: str) -> list[dict[str, Any]]:
    return [s for s in fake.subscriptions.values() if s["customer"] == customer_id]


def first(fake: ogt.FakeOrdergroove, customer_id: str = "cust_0001", *, live: bool = True) -> dict[str, Any]:
    """A subscription of the customer, active or canceled (and not prepaid)."""
    return next(
        s
        for s in subscriptions_of(fake, customer_id)
        if s["live"] is live and not s.get("prepaid_subscription_context")
    )
