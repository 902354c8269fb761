"""Target 7: the emulator at scale. Seeding and listing grow linearly: 100,000 subscriptions are seeded in under
5 s and listed (every page, through the client's pager, in-process) in under 3 s.

Seeded as a test suite would: ``fake.add_subscription`` for 20,000 customers with 5 subscriptions each over 50
products (each live subscription gets its first order, shared by the customer's subscriptions of that day). The
same is measured at a fifth of the size, so that the cost per subscription at both sizes shows the growth:
about 1.0 is linear (before the emulator's indexes it was about 5 between 5,000 and 20,000).
"""

from __future__ import annotations

import gc
import time

from _common import Result

from ordergroove import testing as ogt

SEED_GOAL = 5.0
LIST_GOAL = 3.0


def _measure(count: int) -> tuple[float, float]:
    fake = ogt.FakeOrdergroove(seed=1)
    gc.collect()
    start = time.perf_counter()
    for index in range(count):
        fake.add_subscription(f"c{index // 5}", f"p{index % 50}")
    seeded = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    with fake.client() as client:
        listed = sum(1 for _ in client.subscriptions.list())
    listing = time.perf_counter() - start
    assert listed == count
    return seeded, listing


def run(_base_url: str, quick: bool) -> Result:
    count = 10_000 if quick else 100_000
    small_seed, small_list = _measure(count // 5)
    seed, listing = _measure(count)
    # The goals are for 100,000; a quick run checks the same rate at its size.
    scale = count / 100_000
    met = seed < SEED_GOAL * scale and listing < LIST_GOAL * scale
    return Result(
        target="emulator",
        title=f"the emulator: seed and list {count:,} subscriptions",
        figure=round(seed, 2),
        goal=f"seeded < {SEED_GOAL * scale:g} s and listed < {LIST_GOAL * scale:g} s",
        met=met,
        details={
            "seeded": f"{seed:.2f} s ({seed / count * 1e6:.0f} us per subscription)",
            "listed": f"{listing:.2f} s ({listing / count * 1e6:.0f} us per subscription)",
            f"at {count // 5:,}": f"seeded {small_seed:.2f} s, listed {small_list:.2f} s",
            "growth per subscription (5x the records)": (
                f"seeding {seed / small_seed / 5:.2f}x, listing {listing / small_list / 5:.2f}x (1.0 = linear)"
            ),
        },
    )
