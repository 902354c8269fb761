"""Checks several test modules make the same way."""

from __future__ import annotations

import asyncio
from typing import Any


def assert_secret_absent(error: BaseException, secret: str) -> None:
    """Neither the error nor any error chained to it (cause or context) shows ``secret`` or most of it (its first
    16 characters), in its str, repr or arguments."""
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        for text in (str(current), repr(current), *(repr(arg) for arg in current.args), *map(str, current.args)):
            assert secret not in text
            assert secret[:16] not in text
        pending += [chained for chained in (current.__cause__, current.__context__) if chained is not None]


async def until_set(flag: asyncio.Event, task: asyncio.Task[Any]) -> None:
    """Wait for ``flag``, or fail with the task's own error if it ends first (instead of waiting forever)."""
    waiter = asyncio.ensure_future(flag.wait())
    await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
    if not flag.is_set():
        waiter.cancel()
        task.result()
        raise AssertionError("the task ended before setting the flag")
