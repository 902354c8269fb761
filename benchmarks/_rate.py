"""Target 5: ``rate_limit=`` keeps a bulk job at >= 95% of the limit with no 429, against a server that refuses
requests above it.

The server applies GCRA (a request may come at most ``burst`` = 3 intervals ahead of the even schedule) and
records every arrival. Two jobs, each on a client with ``rate_limit=LIMIT``: the async client retrieving customers
with ``max_concurrency=5`` (without the limit it would send several times faster), and the sync client's
``subscriptions.export``. The rate is measured at the server, from the first arrival to the last; the smallest gap
between arrivals shows the spacing (exact spacing: gaps of 60/LIMIT s, no burst).
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from _common import API_KEY, Result

import ordergroove as og

LIMIT = 1200  # per minute: 20 requests a second, 50 ms apart


def _stats(base_url: str, run: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{base_url}/stats/{run}").json()
    return body


def _rate(arrivals: list[float]) -> tuple[float, float]:
    """Requests per minute from first to last arrival, and the smallest gap between arrivals (seconds)."""
    span = arrivals[-1] - arrivals[0]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    return (len(arrivals) - 1) / span * 60, min(gaps)


def run(base_url: str, quick: bool) -> Result:
    requests = 60 if quick else 400
    interval = 60 / LIMIT

    # Job 1: async fan-out of retrieves.
    run_async = uuid.uuid4().hex[:8]
    limited = f"{base_url}/o/rate={LIMIT},burst=3,run={run_async}"

    async def fan_out() -> float:
        async with og.AsyncOrdergroove(
            api_key=API_KEY, base_url=limited, max_concurrency=5, rate_limit=LIMIT, max_retries=0
        ) as client:
            start = time.perf_counter()
            customers = await asyncio.gather(*(client.customers.retrieve(f"c{index}") for index in range(requests)))
            assert len(customers) == requests
            return time.perf_counter() - start

    async_wall = asyncio.run(fan_out())
    async_stats = _stats(base_url, run_async)
    async_rate, async_gap = _rate(async_stats["arrivals"])

    # Job 2: the sync export, one page a request.
    run_export = uuid.uuid4().hex[:8]
    pages = requests // 2
    exporting = f"{base_url}/o/rate={LIMIT},burst=3,run={run_export},total={pages * 10}"
    with (
        tempfile.TemporaryDirectory() as directory,
        og.Ordergroove(api_key=API_KEY, base_url=exporting, rate_limit=LIMIT, max_retries=0) as client,
    ):
        result = client.subscriptions.export(Path(directory) / "subscriptions.jsonl", page_size=10)
        assert result.records == pages * 10 and result.pages == pages
    export_stats = _stats(base_url, run_export)
    export_rate, export_gap = _rate(export_stats["arrivals"])

    rejected = async_stats["rejected"] + export_stats["rejected"]
    worst = min(async_rate, export_rate) / LIMIT
    return Result(
        target="rate",
        title=f"bulk jobs with rate_limit={LIMIT}/min against a server refusing (429) above it",
        figure=round(worst, 3),
        goal=">= 0.95 of the limit, no 429",
        met=worst >= 0.95 and rejected == 0,
        details={
            "async fan-out (max_concurrency=5)": f"{len(async_stats['arrivals'])} requests at {async_rate:.0f}/min "
            f"in {async_wall:.2f} s, smallest gap {async_gap * 1000:.1f} ms",
            "sync export": f"{len(export_stats['arrivals'])} requests at {export_rate:.0f}/min, "
            f"smallest gap {export_gap * 1000:.1f} ms",
            "429 answers": str(rejected),
            "even spacing": f"{interval * 1000:.0f} ms",
        },
    )
