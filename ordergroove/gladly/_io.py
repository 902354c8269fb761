"""What differs between the sync and the async Gladly client: sleeping. Module attributes looked up at call time,
so that tests can patch them; ``async_sleep`` becomes ``sleep`` in the generated sync client."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio

sleep: Callable[[float], None] = time.sleep
async_sleep = anyio.sleep
