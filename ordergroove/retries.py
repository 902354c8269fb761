"""The retry policy's pieces, public so that code built on the library (the Gladly extra, a user's own client)
retries as it does: how long ``Retry-After`` asks to wait, the backoff between attempts, whether a failed request
may have reached the server, and the checks of the ``timeout`` and ``max_retries`` settings.

See docs/retries.md for the policy itself: which calls are retried, after what.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
import time

import httpx

from ._config import check_max_retries, check_timeout

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "RETRY_AFTER_CAP",
    "backoff_delay",
    "check_max_retries",
    "check_timeout",
    "request_was_sent",
    "retry_after_seconds",
]

RETRY_AFTER_CAP = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0


def retry_after_seconds(
    value: str | None, *, now: float | None = None, cap: float | None = RETRY_AFTER_CAP
) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date), at most ``cap``; None when absent or unreadable.

    Never raises, and never gives an infinite wait, whatever the header holds (``1e999``, the year 99999): the
    value is sleeping time, and ``time.sleep`` overflows on an infinite or absurd one.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            seconds = when.timestamp() - (time.time() if now is None else now)
        # OverflowError: a year beyond what datetime (or the C int behind it) holds.
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if not math.isfinite(seconds):  # NaN, or infinity: no wait to honour
        return None
    seconds = max(seconds, 0.0)
    return seconds if cap is None else min(seconds, cap)


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Capped exponential backoff with full jitter (attempt 0 is the first retry)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt))
    return (rng or random).uniform(0.0, ceiling)


def request_was_sent(exc: httpx.HTTPError) -> bool:
    """Whether the server may have received the request when this exception was raised."""
    not_sent = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    return not isinstance(exc, not_sent)
