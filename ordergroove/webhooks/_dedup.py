"""Remembering the event ids already handled, in bounded memory, because deliveries repeat."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Literal, TypeAlias

from ..errors import ConfigurationError

__all__ = ["Claim", "Deduplicator"]

Claim: TypeAlias = Literal["new", "duplicate", "in_progress"]


class Deduplicator:
    """The ids of recently handled events, and of those being handled right now.

    ``with dedup.handling(event_id) as claim:`` is the usual form: ``claim`` is ``"new"`` (handle the event),
    ``"duplicate"`` (already handled) or ``"in_progress"`` (another delivery is handling it now). A new event
    counts as handled only when the block completes; when it raises anything, a cancellation included, the
    event is released so that its next delivery handles it. ``claim``/``complete``/``release`` are the same
    steps spelled out; ``seen(event_id)`` is the older one-step form, which records the id before the work.

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
        # Claimed and not yet completed or released; bounded by the deliveries being handled at once.
        self._in_progress: set[str] = set()
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

    def _record(self, event_id: str, now: float) -> None:
        self._seen[event_id] = now
        self._seen.move_to_end(event_id)
        while len(self._seen) > self._max_size:
            self._seen.popitem(last=False)

    def claim(self, event_id: str) -> Claim:
        """Start handling ``event_id``: ``"new"`` (it is now in progress: call :meth:`complete` or :meth:`release`
        when done), ``"duplicate"`` (already handled) or ``"in_progress"`` (claimed and not yet finished)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if event_id in self._in_progress:
                return "in_progress"
            if event_id in self._seen:
                # A repeat restarts the id's ttl, as seen() does: deliveries still arriving keep it remembered.
                self._record(event_id, now)
                return "duplicate"
            self._in_progress.add(event_id)
            return "new"

    def complete(self, event_id: str) -> None:
        """``event_id`` was handled: later deliveries are duplicates."""
        with self._lock:
            self._in_progress.discard(event_id)
            now = self._clock()
            self._expire(now)
            self._record(event_id, now)

    def release(self, event_id: str) -> None:
        """``event_id`` was not handled (the work failed or was cancelled): its next delivery handles it."""
        with self._lock:
            self._in_progress.discard(event_id)

    @contextlib.contextmanager
    def handling(self, event_id: str) -> Iterator[Claim]:
        """:meth:`claim` ``event_id`` for the block; a new event is completed when the block ends normally, and
        released when it raises (any exception, ``asyncio.CancelledError`` and ``KeyboardInterrupt`` too)."""
        claim = self.claim(event_id)
        if claim != "new":
            yield claim
            return
        try:
            yield claim
        except BaseException:
            self.release(event_id)
            raise
        self.complete(event_id)

    def seen(self, event_id: str) -> bool:
        """True when ``event_id`` was seen before (or is being handled); otherwise records it as seen.

        The id is recorded before any work is done: if that work can fail or be cancelled, call :meth:`forget`
        in an ``except BaseException`` (not just ``Exception``), or use :meth:`handling`, which does it.
        """
        with self._lock:
            now = self._clock()
            self._expire(now)
            if event_id in self._in_progress:
                return True
            repeat = event_id in self._seen
            self._record(event_id, now)
            return repeat

    def forget(self, event_id: str) -> None:
        """Forget ``event_id`` (seen, or in progress), so that its next delivery is handled."""
        with self._lock:
            self._seen.pop(event_id, None)
            self._in_progress.discard(event_id)

    def __contains__(self, event_id: object) -> bool:
        """Whether ``event_id`` is remembered as handled (not merely in progress), without recording it."""
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
            self._in_progress.clear()

    def __repr__(self) -> str:
        remembered = len(self)
        with self._lock:
            in_progress = len(self._in_progress)
        return (
            f"Deduplicator(max_size={self._max_size}, ttl={self._ttl}, remembered={remembered}, "
            f"in_progress={in_progress})"
        )
