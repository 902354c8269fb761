from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest

from ordergroove.testing import FakeOrdergroove, serve

from ._support import NOW, WAYS, Api, Switch


@pytest.fixture(scope="session")
def socket_switch() -> Iterator[tuple[Switch, str]]:
    switch = Switch()
    with serve(cast(Any, switch)) as url:
        yield switch, url


@pytest.fixture
def fake() -> FakeOrdergroove:
    return FakeOrdergroove(seed=7, now=NOW)


@pytest.fixture(params=WAYS)
def api(request: pytest.FixtureRequest, fake: FakeOrdergroove) -> Api:
    """The same test, through the sync transport, the async transport and a real socket (uvicorn)."""
    way: str = request.param
    if way != "socket":
        return Api(fake, way)
    switch, url = request.getfixturevalue("socket_switch")
    switch.fake = fake
    return Api(fake, way, url)


@pytest.fixture
def http(fake: FakeOrdergroove) -> Api:
    """The sync in-process transport only (the three ways in are covered by the tests that use ``api``)."""
    return Api(fake, "sync")
