"""The benchmarks' server: a small ASGI app under uvicorn on 127.0.0.1, run in a process of its own.

Its own process, so that serving does not compete with the client being measured for the GIL; pages are
built from a template made once at start-up, so the server's share of each request stays small and the same
for every client measured against it. The emulator (``ordergroove.testing``) is the faithful server for tests;
this one is the fast, predictable one for timing.

A path may start with ``/o/<options>/``, comma-separated ``name=value`` pairs that shape the answers:

- ``total=N``: how many subscriptions the unfiltered list holds (default 10,000);
- ``delay=MS``: wait this long before answering each request (the fan-out benchmark's 20 ms);
- ``rate=PER_MINUTE,burst=B,run=ID``: answer 429 above the rate (GCRA: a request may come at most ``B`` intervals
  ahead of the even schedule), counting per ``run``; ``GET /stats/<run>`` gives the run's arrival times and
  the number of 429s.

Endpoints: ``/subscriptions/`` (cursor pages; ``customer=`` gives that customer's three), ``/orders/``
(``customer=`` gives four), ``/customers/<id>/``.

    python benchmarks/_server.py      # prints "READY http://127.0.0.1:PORT", serves until terminated
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import _data

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PAGE_SIZE_MAX = 100
DEFAULT_TOTAL = 10_000
_MARK = b"@@@@@@@"  # seven bytes in every record's id, replaced by the page number: ids stay unique


class _Pages:
    """Cursor pages of subscriptions built from one template page (100 varied records)."""

    def __init__(self) -> None:
        records = _data.subscriptions(PAGE_SIZE_MAX, seed=2024)
        for record in records:
            record["public_id"] = _MARK.decode() + record["public_id"][7:]
        self.records = [json.dumps(r, separators=(",", ":")).encode() for r in records]
        self._joined: dict[int, bytes] = {}

    def body(self, page: int, size: int, count: int, next_url: str | None) -> bytes:
        joined = self._joined.get(count)
        if joined is None:
            joined = self._joined[count] = b",".join(self.records[:count])
        results = joined.replace(_MARK, b"%07d" % page)
        following = b"null" if next_url is None else json.dumps(next_url).encode()
        return b'{"next":' + following + b',"previous":null,"results":[' + results + b"]}"


class _Limiter:
    """GCRA: a request is refused when it comes more than ``burst`` intervals ahead of the even schedule."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.interval = 60.0 / per_minute
        self.tolerance = burst * self.interval
        self.theoretical = 0.0
        self.arrivals: list[float] = []
        self.rejected = 0

    def admit(self, now: float) -> bool:
        self.arrivals.append(now)
        expected = max(self.theoretical, now)
        if expected - now > self.tolerance:
            self.rejected += 1
            return False
        self.theoretical = expected + self.interval
        return True


class App:
    def __init__(self) -> None:
        self.pages = _Pages()
        self.limiters: dict[str, _Limiter] = {}
        rng = random.Random(7)
        self.customer_subscriptions = [json.dumps(_data.subscription(rng, i)) for i in range(3)]
        self.order_rng = random.Random(11)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        options: dict[str, str] = {}
        prefix = ""
        if path.startswith("/o/"):
            _, _, spec, rest = path.split("/", 3)
            prefix = f"/o/{spec}"
            options = dict(item.split("=", 1) for item in spec.split(",") if "=" in item)
            path = "/" + rest
        if "rate" in options:
            key = options.get("run", "")
            limiter = self.limiters.get(key)
            if limiter is None:
                limiter = self.limiters[key] = _Limiter(int(options["rate"]), int(options.get("burst", "3")))
            if not limiter.admit(time.monotonic()):
                await _answer(send, 429, b'{"detail":"Request was throttled."}')
                return
        if "delay" in options:
            await asyncio.sleep(int(options["delay"]) / 1000)
        query = dict(parse_qsl(scope["query_string"].decode()))
        origin = f"http://{_host(scope)}{prefix}"
        status, body = self.route(path, query, options, origin)
        await _answer(send, status, body)

    def route(self, path: str, query: dict[str, str], options: dict[str, str], origin: str) -> tuple[int, bytes]:
        if path == "/subscriptions/":
            customer = query.get("customer")
            if customer is not None:
                records = ",".join(self.customer_subscriptions)
                return 200, f'{{"next":null,"previous":null,"results":[{records}]}}'.encode()
            size = min(int(query.get("page_size", "10")), PAGE_SIZE_MAX)
            total = int(options.get("total", DEFAULT_TOTAL))
            page = int(query.get("cursor", "0"))
            count = max(0, min(size, total - page * size))
            more = (page + 1) * size < total
            next_url = f"{origin}/subscriptions/?page_size={size}&cursor={page + 1}" if more else None
            return 200, self.pages.body(page, size, count, next_url)
        if path == "/orders/":
            customer = query.get("customer", "cust-0")
            orders = [_data.order(self.order_rng, customer, index) for index in range(4)]
            return 200, json.dumps({"next": None, "previous": None, "results": orders}).encode()
        if path.startswith("/customers/"):
            customer_id = path.split("/")[2]
            return 200, json.dumps({"merchant_user_id": customer_id, "email": f"{customer_id}@example.com"}).encode()
        if path.startswith("/stats/"):
            limiter = self.limiters.get(path.split("/")[2])
            if limiter is None:
                return 404, b'{"detail":"Not found."}'
            return 200, json.dumps({"arrivals": limiter.arrivals, "rejected": limiter.rejected}).encode()
        return 404, b'{"detail":"Not found."}'


def _host(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            return str(value.decode())
    host, port = scope["server"]
    return f"{host}:{port}"


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    import uvicorn

    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted connections only when the listening socket says
    # it is TCP; without it a small response written in two parts waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(App(), lifespan="off", log_level="warning", access_log=False, backlog=2048)
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
            await asyncio.sleep(0.005)
        sys.stdout.write(f"READY http://127.0.0.1:{port}\n")
        sys.stdout.flush()

    async def run() -> None:
        waiter = asyncio.ensure_future(announce())
        await server.serve(sockets=[sock])
        waiter.cancel()

    asyncio.run(run())


if __name__ == "__main__":
    main()
