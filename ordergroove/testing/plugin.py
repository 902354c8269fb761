"""The pytest plugin (registered by entry point): fixtures wired to a fresh demo emulator.

Imports are deferred into the fixtures so that merely loading the plugin (which pytest does for every
project that has this library installed) costs nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

_F = TypeVar("_F", bound=Callable[..., Any])


def _async_fixture(function: _F) -> _F:
    # Strict-mode projects need pytest-asyncio's decorator for an async fixture; auto mode accepts either.
    try:
        import pytest_asyncio
    except ImportError:  # without pytest-asyncio the async fixture cannot run anyway
        return cast(_F, pytest.fixture(function))
    return cast(_F, pytest_asyncio.fixture(function))


if TYPE_CHECKING:
    from ordergroove import AsyncOrdergroove, Ordergroove
    from ordergroove.testing._fake import FakeOrdergroove


@pytest.fixture
def fake_ordergroove() -> FakeOrdergroove:
    """A fresh emulator holding the seeded demo data set (identical on every run)."""
    from ordergroove.testing._fake import FakeOrdergroove

    return FakeOrdergroove.demo()


@pytest.fixture
def og_client(fake_ordergroove: FakeOrdergroove) -> Iterator[Ordergroove]:
    """A sync client wired in-process to ``fake_ordergroove``; closed after the test."""
    client = fake_ordergroove.client()
    try:
        yield client
    finally:
        client.close()


@_async_fixture
async def async_og_client(fake_ordergroove: FakeOrdergroove) -> AsyncIterator[AsyncOrdergroove]:
    """An async client wired in-process to ``fake_ordergroove``; closed after the test."""
    client = fake_ordergroove.async_client()
    try:
        yield client
    finally:
        await client.aclose()
