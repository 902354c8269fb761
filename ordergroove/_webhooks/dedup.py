"""Remembering the event ids already handled, in bounded memory, because deliveries repeat."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from ..errors import ConfigurationError

__all__ = ["Deduplicator"]


class Deduplicator:
    """The ids of recently seen events: ``seen(event_id)`` is True for a repeat, and records the id.

    At most ``max_size`` ids are kept; past that the least recently seen are forgotten first. With ``ttl``
    (seconds), an id not seen again for that long is forgotten too. Safe to share between threads and between
    the tasks of an event loop (no call blocks for long). ``clock`` is the monotonic time source (for tests).

    Memory is per process: several workers or hosts need a shared store (a database unique key, Redis
    ``SET NX``) for exact deduplication; this class suits one process and makes repeats rare, not impossible.
    """

    def __init__(
        self,
        max_size: int = 10_000,
        *,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise ConfigurationError("Deduplicator max_size must be a positive integer")
        if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int | float) or not ttl > 0):
            raise ConfigurationError("Deduplicator ttl must be a positive number of seconds, or None")
        self._max_size = max_size
        self._ttl = ttl
        self._clock = clock
        # id -> when last seen; kept in that order, so expired ids are always at the front.
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def max_size(self) -> int:
        return self._max_size

    @property
    def ttl(self) -> float | None:
        return self._ttl

    def _expire(self, now: float) -> None:
        if self._ttl is None:
            return
        while self._seen:
            oldest_id, last_seen = next(iter(self._seen.items()))
            if now - last_seen < self._ttl:
                return
            del self._seen[oldest_id]

    def seen(self, event_id: str) -> bool:
        """True when ``event_id`` was seen before (and is still remembered); records it either way."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            repeat = event_id in self._seen
            self._seen[event_id] = now
            self._seen.move_to_end(event_id)
            while len(self._seen) > self._max_size:
                self._seen.popitem(last=False)
            return repeat

    def forget(self, event_id: str) -> None:
        """Forget ``event_id``, so that its next delivery is handled (after a handler failed on it)."""
        with self._lock:
            self._seen.pop(event_id, None)

    def __contains__(self, event_id: object) -> bool:
        """Whether ``event_id`` is remembered, without recording it."""
        with self._lock:
            self._expire(self._clock())
            return event_id in self._seen

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._seen)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def __repr__(self) -> str:
        return f"Deduplicator(max_size={self._max_size}, ttl={self._ttl}, remembered={len(self)})"
