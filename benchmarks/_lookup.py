"""Target 7: the Gladly DETAILED lookup by ``externalCustomerId`` with 100 ms added to every Ordergroove request:
through GraphQL (two requests in one round) against REST alone (seven requests in two rounds), the same answer.

Ordergroove is the emulator with its demo data (``_lookup_server.py``), served in a process of its own; a fault adds
the delay to every request. Each demo customer is looked up both ways in turn, and the answers compared; the
requests of each lookup are counted as the client sends them. The emulator's own time is part of each latency:
the same lookups without the delay show it (graphql-core, which executes the emulator's GraphQL, takes longer
than its REST handlers).
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
from _common import HERE, Result

import ordergroove as og
from ordergroove.gladly import _lookup
from ordergroove.gladly._service import Service
from ordergroove.testing import FakeOrdergroove

DELAY = 0.1
PATHS = ("graphql", "rest")


@contextlib.contextmanager
def _emulator(delay: float) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, str(HERE / "_lookup_server.py"), str(delay)], stdout=subprocess.PIPE, text=True, cwd=HERE
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"the emulator did not start (said {line!r})")
        yield line.split(" ", 1)[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


async def _measure(url: str, customers: list[str], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per path: the latency (s) and the number of requests of each lookup."""
    seen: dict[str, dict[str, list[float]]] = {path: {"seconds": [], "requests": []} for path in PATHS}
    sent = 0

    async def count(_request: httpx.Request) -> None:
        nonlocal sent
        sent += 1

    http = httpx.AsyncClient(event_hooks={"request": [count]})
    async with http, og.AsyncOrdergroove(api_key="test-key", base_url=url, http_client=http) as client:
        service = Service(client=client, deadline=60.0)
        answers: dict[str, Any] = {}
        for _ in range(rounds):
            for customer in customers:
                payload = {"lookupLevel": "DETAILED", "query": {"externalCustomerId": customer}}
                for path in PATHS:
                    before = sent
                    start = time.perf_counter()
                    answer = await _lookup.lookup(service, payload, use_graphql=path == "graphql")
                    seen[path]["seconds"].append(time.perf_counter() - start)
                    seen[path]["requests"].append(sent - before)
                    # Both paths answer the same: timing two different answers would mean nothing.
                    if answers.setdefault(customer, answer) != answer:
                        raise AssertionError(f"the GraphQL and REST answers differ for {customer}")
    return seen


def _ms(values: list[float]) -> str:
    low, high = min(values) * 1000, max(values) * 1000
    return f"median {statistics.median(values) * 1000:.0f} ms (min {low:.0f}, max {high:.0f})"


def run(quick: bool) -> Result:
    customers = sorted(FakeOrdergroove.demo().customers)[: 5 if quick else None]
    rounds = 1 if quick else 3
    with _emulator(0) as url:
        asyncio.run(_measure(url, customers[:2], 1))  # warm-up: the server's GraphQL schema, the decoders
        bare = asyncio.run(_measure(url, customers, 1))
    with _emulator(DELAY) as url:
        slow = asyncio.run(_measure(url, customers, rounds))
    graphql, rest = slow["graphql"], slow["rest"]
    speedup = statistics.median(rest["seconds"]) / statistics.median(graphql["seconds"])
    most = max(graphql["requests"])
    return Result(
        target="lookup",
        title=f"Gladly DETAILED lookup x {len(customers)} demo customers at +{DELAY * 1000:.0f} ms a request: "
        "GraphQL vs REST",
        figure=round(speedup, 2),
        goal="<= 2 requests per lookup (REST: 7), in less time",
        met=most <= 2 and speedup > 1.0,
        details={
            "requests per lookup, GraphQL": f"{statistics.median(graphql['requests']):g} (max {most:g})",
            "requests per lookup, REST": f"{statistics.median(rest['requests']):g} (max {max(rest['requests']):g})",
            "latency, GraphQL": _ms(graphql["seconds"]),
            "latency, REST": _ms(rest["seconds"]),
            "without the delay, GraphQL": _ms(bare["graphql"]["seconds"]),
            "without the delay, REST": _ms(bare["rest"]["seconds"]),
            "lookups each way": str(len(graphql["seconds"])),
        },
    )
