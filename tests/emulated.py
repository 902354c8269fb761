"""Running one test's calls through the sync or the async client against the emulator, in process."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from ordergroove.testing import FakeOrdergroove

FLAVOURS = ["sync", "async"]


def run(flavour: str, fake: FakeOrdergroove, fn: Callable[[Any], Any], **options: Any) -> Any:
    """``fn(client)`` on a client of ``flavour``: its result, a pager's records as a list."""
    if flavour == "sync":
        with fake.client(**options) as client:
            result = fn(client)
            return result.to_list() if hasattr(result, "to_list") else result

    async def go() -> Any:
        async with fake.async_client(**options) as client:
            result = fn(client)
            if hasattr(result, "to_list"):
                return await result.to_list()
            return await result if inspect.isawaitable(result) else result

    return asyncio.run(go())


def refused(flavour: str, fake: FakeOrdergroove, fn: Callable[[Any], Any], **options: Any) -> BaseException:
    """The error ``fn(client)`` raises; the emulator must have received nothing."""
    before = len(fake.requests)
    with pytest.raises(Exception) as caught:
        run(flavour, fake, fn, **options)
    assert len(fake.requests) == before, "a request was sent before the arguments were refused"
    return caught.value
