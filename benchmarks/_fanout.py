"""Target 4: customers.summary for 200 customers against a server adding 20 ms to every request.

The sync client fetches them one by one; the async client gathers them all with ``max_concurrency=5`` (the
concurrency Ordergroove allows when paginating). Each summary is two list calls (subscriptions and orders).
"""

from __future__ import annotations

import asyncio
import time

from _common import API_KEY, Result

import ordergroove as og

DELAY_MS = 20


def run(base_url: str, quick: bool) -> Result:
    customers = [f"cust-{index:04d}" for index in range(40 if quick else 200)]
    slow_url = f"{base_url}/o/delay={DELAY_MS}"

    with og.Ordergroove(api_key=API_KEY, base_url=slow_url) as client:
        client.customers.summary(customers[0])  # warm-up: the connection, the decoders
        start = time.perf_counter()
        sync_summaries = [client.customers.summary(customer) for customer in customers]
        sync_time = time.perf_counter() - start

    async def fan_out() -> tuple[float, list[og.CustomerSummary]]:
        async with og.AsyncOrdergroove(api_key=API_KEY, base_url=slow_url, max_concurrency=5) as client:
            await client.customers.summary(customers[0])
            start = time.perf_counter()
            summaries = await asyncio.gather(*(client.customers.summary(customer) for customer in customers))
            return time.perf_counter() - start, list(summaries)

    async_time, async_summaries = asyncio.run(fan_out())
    assert [s.customer_id for s in async_summaries] == [s.customer_id for s in sync_summaries] == customers
    assert all(s.total_subscriptions == 3 for s in async_summaries)
    speedup = sync_time / async_time
    requests = 2 * len(customers)
    floor = requests * DELAY_MS / 1000
    return Result(
        target="fanout",
        title=f"customers.summary x {len(customers)} at +{DELAY_MS} ms/request: async (max_concurrency=5) vs sync",
        figure=round(speedup, 2),
        goal=">= 4x faster",
        met=speedup >= 4.0,
        details={
            "sync, one by one": f"{sync_time:.2f} s",
            "async, max_concurrency=5": f"{async_time:.2f} s",
            "requests": str(requests),
            "floors (the delays alone)": f"sync {floor:.2f} s, async {floor / 5:.2f} s",
        },
    )
