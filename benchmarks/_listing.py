"""Target 2: listing subscriptions through the pagers against a bare httpx loop, same server, same run."""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from _common import API_KEY, Result, median

import ordergroove as og

HEADERS = {"x-api-key": API_KEY, "X-OG-API-VERSION": "2"}


def _first(base_url: str, total: int) -> str:
    return f"{base_url}/o/total={total}/subscriptions/?page_size=100"


def bare_sync(http: httpx.Client, base_url: str, total: int) -> int:
    count = 0
    url: str | None = _first(base_url, total)
    while url:
        body = json.loads(http.get(url, headers=HEADERS).content)
        count += len(body["results"])
        url = body["next"]
    return count


async def bare_async(http: httpx.AsyncClient, base_url: str, total: int) -> int:
    count = 0
    url: str | None = _first(base_url, total)
    while url:
        body = json.loads((await http.get(url, headers=HEADERS)).content)
        count += len(body["results"])
        url = body["next"]
    return count


def sdk_sync(client: og.Ordergroove) -> int:
    count = 0
    for _ in client.subscriptions.list(page_size=100):
        count += 1
    return count


async def sdk_async(client: og.AsyncOrdergroove) -> int:
    count = 0
    async for _ in client.subscriptions.list(page_size=100):
        count += 1
    return count


def _timed(fn: Any, expected: int) -> tuple[float, float]:
    gc.collect()  # each run starts without the garbage of the one before
    wall, cpu = time.perf_counter(), time.process_time()
    count = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert count == expected, (count, expected)
    return wall, cpu


def run(base_url: str, quick: bool) -> Result:
    total = 2_000 if quick else 10_000
    rounds = 5 if quick else 15
    sdk_base = f"{base_url}/o/total={total}"
    walls: dict[str, list[float]] = {"sdk sync": [], "bare sync": [], "sdk async": [], "bare async": []}
    cpus: dict[str, list[float]] = {name: [] for name in walls}

    def record(name: str, measured: tuple[float, float]) -> None:
        walls[name].append(measured[0])
        cpus[name].append(measured[1])

    with httpx.Client() as http, og.Ordergroove(api_key=API_KEY, base_url=sdk_base) as client:
        candidates = (("sdk sync", lambda: sdk_sync(client)), ("bare sync", lambda: bare_sync(http, base_url, total)))
        for round_number in range(rounds + 1):
            # Round 0 warms up; the order alternates, so neither side always runs right after the other.
            for name, fn in candidates[:: 1 if round_number % 2 else -1]:
                measured = _timed(fn, total)
                if round_number:
                    record(name, measured)

    async def run_async() -> None:
        async with httpx.AsyncClient() as http, og.AsyncOrdergroove(api_key=API_KEY, base_url=sdk_base) as client:
            candidates: tuple[tuple[str, Callable[[], Awaitable[int]]], ...] = (
                ("sdk async", lambda: sdk_async(client)),
                ("bare async", lambda: bare_async(http, base_url, total)),
            )
            for round_number in range(rounds + 1):  # as in the sync rounds
                for name, fn in candidates[:: 1 if round_number % 2 else -1]:
                    gc.collect()
                    wall, cpu = time.perf_counter(), time.process_time()
                    count = await fn()
                    measured = (time.perf_counter() - wall, time.process_time() - cpu)
                    assert count == total, (count, total)
                    if round_number:
                        record(name, measured)

    asyncio.run(run_async())
    sync_ratio = median(walls["sdk sync"]) / median(walls["bare sync"])
    async_ratio = median(walls["sdk async"]) / median(walls["bare async"])
    worst = max(sync_ratio, async_ratio)
    return Result(
        target="list",
        title=f"list {total:,} subscriptions via the pagers vs a bare httpx loop (next + json.loads)",
        figure=round(worst, 3),
        goal="<= 1.15x (sync and async)",
        met=worst <= 1.15,
        details={
            "sync ratio": f"{sync_ratio:.3f}",
            "async ratio": f"{async_ratio:.3f}",
            **{f"{name} wall": f"{median(values) * 1000:.0f} ms" for name, values in walls.items()},
            "sync client CPU ratio": f"{median(cpus['sdk sync']) / median(cpus['bare sync']):.3f}",
            "async client CPU ratio": f"{median(cpus['sdk async']) / median(cpus['bare async']):.3f}",
            "samples": f"{rounds} runs each, interleaved (order alternating), median",
        },
    )
