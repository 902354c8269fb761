"""``rate_limit=``: requests start evenly spaced, never in a burst, on a clock the tests control."""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import threading
from typing import Any

import httpx
import pytest

import ordergroove as og
from ordergroove import _io
from ordergroove._rate import RateLimiter

BASE = "http://ordergroove.test"


class Clock:
    """A monotonic clock that moves only when the client sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay

    async def async_sleep(self, delay: float) -> None:
        self.sleep(delay)
        await asyncio.sleep(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(_io, "monotonic", clock.monotonic)
    monkeypatch.setattr(_io, "sleep", clock.sleep)
    monkeypatch.setattr(_io, "async_sleep", clock.async_sleep)
    return clock


def _handler(clock: Clock, started: list[float]) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        started.append(clock.now)
        return httpx.Response(200, json={"merchant_user_id": request.url.path.split("/")[2]})

    return handle


def test_reservations_are_exactly_one_interval_apart() -> None:
    limiter = RateLimiter(1200)
    assert limiter.interval == pytest.approx(0.05)
    delays = [limiter.reserve(10.0) for _ in range(5)]
    assert delays == pytest.approx([0.0, 0.05, 0.10, 0.15, 0.20])


def test_no_burst_after_idle_time() -> None:
    # Unused time is not saved up: after a pause the next requests are spaced again from the first.
    limiter = RateLimiter(60)
    assert limiter.reserve(0.0) == 0.0
    assert limiter.reserve(100.0) == 0.0
    assert limiter.reserve(100.0) == pytest.approx(1.0)
    assert limiter.reserve(100.5) == pytest.approx(1.5)


def test_reservations_from_many_threads_get_distinct_slots() -> None:
    limiter = RateLimiter(6000)
    delays: list[float] = []
    lock = threading.Lock()

    def reserve() -> None:
        for _ in range(50):
            delay = limiter.reserve(5.0)
            with lock:
                delays.append(delay)

    threads = [threading.Thread(target=reserve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(delays) == pytest.approx([index * 0.01 for index in range(200)])


def test_sync_client_spaces_its_requests(clock: Clock) -> None:
    started: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(_handler(clock, started)))
    with og.Ordergroove(api_key="k", base_url=BASE, http_client=http, rate_limit=600) as client:
        for index in range(5):
            client.customers.retrieve(f"c{index}")
        # A copy made with with_options shares the limiter: its requests join the same schedule.
        client.with_options(timeout=3).customers.retrieve("c5")
    http.close()
    gaps = [later - earlier for earlier, later in itertools.pairwise(started)]
    assert gaps == pytest.approx([0.1] * 5)
    assert clock.sleeps == pytest.approx([0.1] * 5)


def test_no_limit_means_no_waiting(clock: Clock) -> None:
    started: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(_handler(clock, started)))
    with og.Ordergroove(api_key="k", base_url=BASE, http_client=http) as client:
        for index in range(3):
            client.customers.retrieve(f"c{index}")
    http.close()
    assert clock.sleeps == [] and started == [clock.now] * 3


async def test_async_fan_out_starts_requests_one_interval_apart(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each task keeps its own time: a sleep moves only the sleeping task forward, so concurrent waits overlap
    # as they do on a real clock, and each request records the moment it would start.
    task_time: contextvars.ContextVar[float] = contextvars.ContextVar("task_time", default=clock.now)

    async def sleep(delay: float) -> None:
        task_time.set(task_time.get() + delay)
        await asyncio.sleep(0)

    monkeypatch.setattr(_io, "async_sleep", sleep)
    started: list[float] = []

    async def handle(request: httpx.Request) -> httpx.Response:
        started.append(task_time.get())
        await asyncio.sleep(0)  # let the other requests run meanwhile
        return httpx.Response(200, json={"merchant_user_id": request.url.path.split("/")[2]})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    async with og.AsyncOrdergroove(
        api_key="k", base_url=BASE, http_client=http, rate_limit=1200, max_concurrency=3
    ) as client:
        customers = await asyncio.gather(*(client.customers.retrieve(f"c{index}") for index in range(12)))
    await http.aclose()
    assert [c.merchant_user_id for c in customers] == [f"c{index}" for index in range(12)]
    # Every request started at a slot of its own, one interval after the previous: no two together, none early.
    assert sorted(started) == pytest.approx([clock.now + index * 0.05 for index in range(12)])


async def test_async_rate_slot_is_claimed_under_the_concurrency_bound(clock: Clock) -> None:
    # The rate slot is taken once the concurrency slot is held: a request queued behind a slow one is timed from
    # when it can really start (here, no wait at all), never from when it was queued, which would let queued
    # requests that had already "waited" start one after another in a burst.
    started: list[float] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        started.append(clock.now)
        clock.now += 0.5  # each answer takes 10 intervals
        await asyncio.sleep(0)
        return httpx.Response(200, json={"merchant_user_id": "c"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    async with og.AsyncOrdergroove(
        api_key="k", base_url=BASE, http_client=http, rate_limit=1200, max_concurrency=1
    ) as client:
        await asyncio.gather(*(client.customers.retrieve("c") for _ in range(4)))
    await http.aclose()
    gaps = [later - earlier for earlier, later in itertools.pairwise(started)]
    assert gaps == pytest.approx([0.5] * 3)  # the slow answers set the pace
    assert clock.sleeps == []  # every slot was claimed when the request could start: nothing to wait for


@pytest.mark.parametrize("value", [0, -5, 1.5, True, "600"])
def test_rate_limit_must_be_a_positive_int(value: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="rate_limit"):
        og.Ordergroove(api_key="k", rate_limit=value)


# -- a wait that never ends in a request gives its slot back -----------------------------------------------------


@pytest.mark.parametrize("order", ["forward", "backward", "middle only"])
def test_released_slots_are_given_to_the_next_requests(order: str) -> None:
    limiter = RateLimiter(60)  # one a second
    starts = [limiter.claim(0.0) for _ in range(5)]
    assert starts == [0.0, 1.0, 2.0, 3.0, 4.0]
    released = {"forward": starts[1:], "backward": starts[:0:-1], "middle only": starts[1:3]}[order]
    for start in released:
        limiter.release(start)
    # The freed slots are taken again in time order, and never two requests less than a second apart.
    kept = sorted(set(starts) - set(released))
    again = [limiter.claim(0.0) for _ in range(len(released) + 1)]
    assert sorted(kept + again) == [float(second) for second in range(len(kept) + len(again))]


def test_a_released_slot_in_the_past_is_not_reused() -> None:
    limiter = RateLimiter(60)
    assert limiter.claim(0.0) == 0.0
    assert limiter.claim(0.0) == 1.0
    assert limiter.claim(0.0) == 2.0
    limiter.release(1.0)
    # At 1.5 the freed slot (1.0) is gone: starting now would come 0.5 s before the request at 2.0.
    assert limiter.claim(1.5) == 3.0


def test_sync_interrupted_wait_gives_its_slot_back(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(_handler(clock, started)))
    with og.Ordergroove(api_key="k", base_url=BASE, http_client=http, rate_limit=120) as client:  # 0.5 s apart
        client.customers.retrieve("c0")

        def interrupted(delay: float) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(_io, "sleep", interrupted)
        with pytest.raises(KeyboardInterrupt):
            client.customers.retrieve("c1")
        monkeypatch.setattr(_io, "sleep", clock.sleep)
        client.customers.retrieve("c2")
    http.close()
    # c2 takes the slot c1 never used: 0.5 s after c0, not 1.0 s.
    assert clock.sleeps == [0.5]
    assert started == [1000.0, 1000.5]


async def test_async_cancelled_waits_give_their_slots_back(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    waiting = 0
    all_waiting = asyncio.Event()
    never = asyncio.Event()

    async def blocked(delay: float) -> None:
        nonlocal waiting
        waiting += 1
        if waiting == 40:  # the first starts at once; the other 40 wait for their slots
            all_waiting.set()
        await never.wait()

    monkeypatch.setattr(_io, "async_sleep", blocked)
    started: list[float] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(_handler(clock, started)))
    async with og.AsyncOrdergroove(api_key="k", base_url=BASE, http_client=http, rate_limit=120) as client:
        tasks = [asyncio.create_task(client.customers.retrieve(f"c{index}")) for index in range(41)]
        await all_waiting.wait()
        for task in tasks:
            task.cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        assert sum(isinstance(outcome, asyncio.CancelledError) for outcome in outcomes) == 40
        monkeypatch.setattr(_io, "async_sleep", clock.async_sleep)
        await client.customers.retrieve("next")
    await http.aclose()
    # The 40 cancelled waits gave their slots back: the next call waits one interval, not 20 s.
    assert clock.sleeps == [0.5]
    assert started == [1000.0, 1000.5]
