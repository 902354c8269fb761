"""Rate limiting, in one place: the limiters, the limits a client and its copies share, and a request's claim on
its slots. The clients only wait for a claim's delay, holding a concurrency slot (see ``_async/client.py``)."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from typing import Any

from ._call import Call

# Ordergroove's per-endpoint limits: products-batch allows 600 requests a minute per merchant (create and update
# together), whatever the client's own ``rate_limit``.
RATE_GROUPS: Mapping[str, int] = {"products-batch": 600}


class RateLimiter:
    """Spaces requests evenly so that no more than ``per_minute`` start in any minute (shared across threads).

    A slot is claimed before waiting for it; a wait that ends without a request (cancelled, interrupted) gives its
    slot back with :meth:`release`, for the next request to take. Not tied to an event loop: one plain lock.
    """

    def __init__(self, per_minute: int) -> None:
        self.interval: float = 60.0 / per_minute
        self._next = 0.0  # the first free slot after every claimed one
        self._free: list[float] = []  # slots given back before _next, in time order
        self._lock = threading.Lock()

    def claim(self, now: float) -> float:
        """Claim the earliest free slot from ``now``: the time the request may start."""
        with self._lock:
            # A slot given back that has passed cannot be used: a request now could come too close to the next one.
            del self._free[: bisect.bisect_left(self._free, now)]
            if self._free:
                return self._free.pop(0)
            start = max(now, self._next)
            self._next = start + self.interval
            return start

    def reserve(self, now: float) -> float:
        """Claim the next slot; returns how long to wait before sending."""
        return self.claim(now) - now

    def release(self, start: float) -> None:
        """Give back the slot at ``start`` (from :meth:`claim`): its request was never sent."""
        with self._lock:
            if start + self.interval != self._next:
                bisect.insort(self._free, start)
                return
            # The last slot: the schedule ends earlier, along with the given-back slots just before it.
            self._next = start
            while self._free and self._free[-1] + self.interval == self._next:
                self._next = self._free.pop()


class RateLimits:
    """The limiters that apply to one client and its ``with_options`` copies: the client's own ``rate_limit`` and
    the endpoints' limits of their own (products-batch: 600/min per merchant)."""

    def __init__(self, rate_limit: int | None, *, groups: dict[str, RateLimiter] | None = None) -> None:
        self.limiter: RateLimiter | None = RateLimiter(rate_limit) if rate_limit else None
        self.group_limiters: dict[str, RateLimiter] = groups or {
            group: RateLimiter(limit) for group, limit in RATE_GROUPS.items()
        }

    def claim(self, call: Call[Any], now: float) -> Claim | None:
        """Claim this request's start time under every limit that applies (None when none does)."""
        if self.limiter is None and call.rate_group is None:
            return None
        held = [self.limiter] if self.limiter is not None else []
        if call.rate_group is not None:
            held.append(self.group_limiters[call.rate_group])
        return Claim(now, [(limiter, limiter.claim(now)) for limiter in held])


class Claim:
    """A request's rate-limit slots: how long to wait for them, and giving them back when the wait is abandoned."""

    __slots__ = ("_held", "delay")

    def __init__(self, now: float, held: list[tuple[RateLimiter, float]]) -> None:
        self._held = held
        self.delay: float = max(start for _, start in held) - now

    def release(self) -> None:
        # A wait cancelled or interrupted sends nothing: its slots go to the next requests, or the limiter would
        # keep them, and later calls would wait for requests that never happen.
        for limiter, start in self._held:
            limiter.release(start)
