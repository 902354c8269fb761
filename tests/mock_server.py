"""A mock Ordergroove for client tests: an httpx.MockTransport handler that records what it answers, and a
client of either kind (sync or async) over it, driven by the same test body (the ``kind`` fixture, tests/conftest.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx

import ordergroove as og

KEY = "og-review-key-SECRET-1234"


class Server:
    """A handler for httpx.MockTransport that records every request it answers."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


class Kind:
    def __init__(self, name: str) -> None:
        self.is_async = name == "async"
        self._closers: list[Any] = []

    def client(self, server: Server, *, follow_redirects: bool = False, **options: Any) -> Any:
        options.setdefault("api_key", KEY)
        options.setdefault("max_retries", 0)
        transport = httpx.MockTransport(server)
        if self.is_async:
            http: Any = httpx.AsyncClient(transport=transport, follow_redirects=follow_redirects)
            client: Any = og.AsyncOrdergroove(http_client=http, **options)
        else:
            http = httpx.Client(transport=transport, follow_redirects=follow_redirects)
            client = og.Ordergroove(http_client=http, **options)
        self._closers.append(http)
        return client

    async def run(self, value: Any) -> Any:
        return await value if inspect.isawaitable(value) else value

    async def to_list(self, pager: Any) -> list[Any]:
        return await self.run(pager.to_list())  # type: ignore[no-any-return]

    async def close(self) -> None:
        for http in self._closers:
            if self.is_async:
                await http.aclose()
            else:
                http.close()
