"""Fixtures shared by the client's tests: a sync and an async client behind one small adapter, sleeps recorded.

Tests written against :class:`Api` run twice, once per client (``api`` is parametrised over "sync" and
"async"), so the async paths are exercised exactly as thoroughly as the sync ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import httpx._transports.default as httpx_transports
import pytest
from mock_server import Kind
from payloads import BASE_URL

import ordergroove as og
from ordergroove import _io
from ordergroove.testing import FakeOrdergroove, serve

# Tests that only run when asked for by a marker expression naming their marker (``-m slow``, ``-m soak``):
# selection, not skipping, so the default run reports them as deselected. `.ci/run` runs `-m slow` after the
# default run; the 2,000-call soak is for `-m soak` (the default run soaks with a 300-call version).
OPT_IN_MARKERS = ("slow", "soak")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.option.markexpr or ""
    left_out = [name for name in OPT_IN_MARKERS if name not in expression]
    deselected = [item for item in items if any(item.get_closest_marker(name) for name in left_out)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        left = set(deselected)
        items[:] = [item for item in items if item not in left]


API_KEY = "og-key-7Qz9-VERY-SECRET-d41d8cd9"
KEY_HEADER = {"x-api-key": API_KEY}


class Sleeps(list[float]):
    """The delays the clients asked to sleep, in order (nothing actually waits)."""


class OneKind:
    """Clients of one kind (sync or async) behind awaitable helpers, so a test body is written once for both: the
    base of the ``api`` and ``emulated`` fixtures' adapters. A subclass makes its clients with :meth:`make` and
    hands each to :meth:`_keep`; :meth:`close` closes them all."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.is_async = kind == "async"
        self._clients: list[Any] = []
        self.client: Any = self.make()

    def make(self, **options: Any) -> Any:
        raise NotImplementedError

    def _keep(self, client: Any) -> Any:
        self._clients.append(client)
        return client

    async def run(self, fn: Callable[[Any], Any], client: Any = None) -> Any:
        """``fn(client)``, awaited when the client is async."""
        result = fn(self.client if client is None else client)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self) -> None:
        for client in self._clients:
            if self.is_async:
                await client.aclose()
            else:
                client.close()


class Api(OneKind):
    """One client (sync or async) behind awaitable helpers, so a test body is written once for both."""

    def make(self, **options: Any) -> Any:
        """Another client of the same kind (closed with the fixture); ``api_key`` defaults to the test key."""
        options.setdefault("api_key", API_KEY)
        if options.get("auth") is not None and options["api_key"] is API_KEY:
            options["api_key"] = None
        return self._keep(og.AsyncOrdergroove(**options) if self.is_async else og.Ordergroove(**options))

    async def collect(self, fn: Callable[[Any], Any], limit: int | None = None, client: Any = None) -> list[Any]:
        """Every record of the pager ``fn(client)`` returns, through plain iteration (``for`` / ``async for``)."""
        pager = fn(self.client if client is None else client)
        records: list[Any] = []
        if self.is_async:
            async for record in pager:
                records.append(record)
                if limit is not None and len(records) >= limit:
                    break
        else:
            for record in pager:
                records.append(record)
                if limit is not None and len(records) >= limit:
                    break
        return records

    async def to_list(self, fn: Callable[[Any], Any], limit: int | None = None) -> list[Any]:
        return await self.run(lambda client: fn(client).to_list(limit))  # type: ignore[no-any-return]

    async def pages(self, fn: Callable[[Any], Any]) -> list[og.Page[Any]]:
        pager = fn(self.client)
        if self.is_async:
            return [page async for page in pager.pages()]
        return list(pager.pages())


_shared_ssl_context = functools.cache(httpx.create_ssl_context)


@pytest.fixture
def fast_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every client built in a test reuses one SSL context: building one per client costs ~20 ms, and no test
    here talks TLS (requests are answered by pytest-httpx or a plain-HTTP server on 127.0.0.1)."""
    monkeypatch.setattr(httpx_transports, "create_ssl_context", _shared_ssl_context)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, fast_clients: None) -> None:
    """No ORDERGROOVE_* variable of the machine running the tests leaks into them."""
    for name in ("ORDERGROOVE_API_KEY", "ORDERGROOVE_ENVIRONMENT", "ORDERGROOVE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    """Patch the clients' sleeps: retries run at once and the requested delays are recorded."""
    recorded = Sleeps()

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(_io, "sleep", fake_sleep)
    monkeypatch.setattr(_io, "async_sleep", fake_async_sleep)
    return recorded


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, clean_env: None, sleeps: Sleeps) -> AsyncIterator[Api]:
    adapter = Api(request.param)
    try:
        yield adapter
    finally:
        await adapter.close()


class Emulated(OneKind):
    """The emulator (an empty store at a fixed time: a test adds the records it needs) and a client of one kind
    (sync or async) wired to it in-process, behind the awaitable :meth:`run`, so a test body is written once."""

    def __init__(self, kind: str) -> None:
        self.fake = FakeOrdergroove(seed=7, now=EMULATOR_NOW)
        super().__init__(kind)

    def make(self, **options: Any) -> Any:
        """Another client of the same kind on the same emulator (closed with the fixture)."""
        return self._keep(self.fake.async_client(**options) if self.is_async else self.fake.client(**options))

    def sent(self) -> tuple[str, str, Any]:
        """The last request the emulator received: its method, path and JSON body."""
        last = self.fake.requests[-1]
        return last.method, last.path, last.json

    async def check_refused(self, fn: Callable[[Any], Any], names: str) -> None:
        """``fn`` is refused with a ``ConfigurationError`` naming ``names``, before any request is sent."""
        with pytest.raises(og.ConfigurationError) as caught:
            await self.run(fn)
        assert names in str(caught.value)
        assert self.fake.requests == []

    async def check_retry_rule(self, fn: Callable[[Any], Any], *, fault: str, retry_safe: bool) -> None:
        """Run ``fn`` with its first request meeting ``fault`` ("503", or "drop-after": the connection dropped once
        the change is applied) and check the retry rule: a retry-safe call is sent again, once, the same request; any
        other is never sent again after it may have reached the server (a ``ServerError``, or an
        ``APIConnectionError`` with ``request_sent=True``), and the emulator saw exactly one request."""
        fake = self.fake
        if fault == "503":
            fake.faults.add(503)
        else:
            fake.faults.add(drop="after")
        if retry_safe:
            await self.run(fn)
            assert [r.fault for r in fake.requests] == [fault, None]
            assert (fake.requests[0].path, fake.requests[0].json) == (fake.requests[1].path, fake.requests[1].json)
            return
        expected = og.ServerError if fault == "503" else og.APIConnectionError
        with pytest.raises((expected, og.BatchError)) as caught:
            await self.run(fn)
        error = caught.value
        if isinstance(error, og.BatchError):  # products-batch: the failed request's error, its outcome unknown
            assert error.outcome_unknown and error.not_applied == []
            assert isinstance(error.error, og.OrdergrooveError)
            error = error.error
        assert isinstance(error, expected)
        if isinstance(error, og.APIConnectionError):
            assert error.request_sent is True
        assert [r.fault for r in fake.requests] == [fault]
        assert len(fake.applied) == (1 if fault == "drop-after" else 0)


EMULATOR_NOW = dt.datetime(2025, 3, 1, 12, 0, 0)


@pytest.fixture(params=["sync", "async"])
async def emulated(request: pytest.FixtureRequest, sleeps: Sleeps) -> AsyncIterator[Emulated]:
    """The same test through the sync and the async client, against the emulator; retries do not wait."""
    adapter = Emulated(request.param)
    try:
        yield adapter
    finally:
        await adapter.close()


def url(path: str) -> str:
    return BASE_URL + path


# A sync or an async client over a mock transport (tests/mock_server.py), for a test body written once.
@pytest.fixture(params=["sync", "async"])
async def kind(request: pytest.FixtureRequest, clean_env: None, sleeps: list[float]) -> AsyncIterator[Kind]:
    adapter = Kind(request.param)
    try:
        yield adapter
    finally:
        await adapter.close()


@pytest.fixture
def served_demo() -> Iterator[tuple[str, str]]:
    """A fresh ``FakeOrdergroove.demo()`` served on 127.0.0.1 (started, ready, stopped by ``serve``): its base URL and
    API key, the two values ``ordergroove fake serve`` tells a reader to export (the docs tests run against it)."""
    fake = FakeOrdergroove.demo()
    with serve(fake) as base_url:
        yield base_url, fake.api_key
