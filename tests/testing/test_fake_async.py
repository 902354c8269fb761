"""The async ways in, driven natively: the async transport and a real socket with an httpx.AsyncClient."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from ordergroove.testing import FakeOrdergroove, serve

from ._support import KEY


@pytest.fixture(params=["transport", "socket"])
async def client(request: pytest.FixtureRequest, fake: FakeOrdergroove) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"x-api-key": KEY}
    if request.param == "transport":
        async with httpx.AsyncClient(transport=fake.async_transport(), base_url=fake.base_url, headers=headers) as http:
            yield http
        return
    with serve(fake) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers) as http:
            yield http


@pytest.fixture
def sub(fake: FakeOrdergroove) -> dict[str, Any]:
    return fake.add_subscription("c1", "p1")


async def test_concurrent_skips_of_one_order_apply_once(
    client: httpx.AsyncClient, fake: FakeOrdergroove, sub: dict[str, Any]
) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    path = f"/orders/{order['public_id']}/skip_subscription/"
    answers = await asyncio.gather(*(client.patch(path, json={"subscription": sub["public_id"]}) for _ in range(5)))
    assert sorted(r.status_code for r in answers) == [200, 400, 400, 400, 400]
    assert len(fake.applied) == 1
    upcoming = fake.upcoming_order(sub)
    assert upcoming is not None and upcoming["place"] == "2025-05-01 00:00:00"


async def test_cursor_walk(client: httpx.AsyncClient, fake: FakeOrdergroove) -> None:
    made = [fake.add_subscription("c1", "p1", create_order=False)["public_id"] for _ in range(7)]
    seen: list[str] = []
    url: str | None = "/subscriptions/"
    while url:
        response = await client.get(
            url, params=None if "?" in url else {"page_size": 3}, headers={"X-OG-API-VERSION": "2"}
        )
        seen += [row["public_id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert seen == made


async def test_async_faults(client: httpx.AsyncClient, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    path = f"/subscriptions/{sub['public_id']}/change_quantity/"
    fake.faults.add(502, method="PATCH")
    fake.faults.add(drop="before", method="PATCH")
    fake.faults.add(truncate=True, method="PATCH")
    fake.faults.add(delay=0.01, method="PATCH")
    bad_gateway = await client.patch(path, json={"quantity": 2})
    assert bad_gateway.status_code == 502 and bad_gateway.text.startswith("<html>")
    with pytest.raises(httpx.RemoteProtocolError):
        await client.patch(path, json={"quantity": 3})
    assert sub["quantity"] == 1
    with pytest.raises(httpx.RemoteProtocolError):
        await client.patch(path, json={"quantity": 4})
    assert sub["quantity"] == 4
    assert (await client.patch(path, json={"quantity": 5})).json()["quantity"] == 5
    assert [r.fault for r in fake.requests] == ["502", "drop-before", "truncate", "delay"]
    assert [r.applied for r in fake.requests] == [False, False, True, True]


async def test_async_read_timeout_after_applying(
    client: httpx.AsyncClient, fake: FakeOrdergroove, sub: dict[str, Any]
) -> None:
    local = isinstance(client._transport, type(fake.async_transport()))
    fake.faults.add(delay=30.0 if local else 1.0)
    with pytest.raises(httpx.ReadTimeout):
        await client.patch(f"/subscriptions/{sub['public_id']}/cancel/", json={}, timeout=0.2)
    assert sub["live"] is False and len(fake.applied) == 1


async def test_async_transport_drop_after(fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    fake.faults.add(drop="after")
    async with httpx.AsyncClient(transport=fake.async_transport(), base_url=fake.base_url) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.patch(f"/subscriptions/{sub['public_id']}/cancel/", json={}, headers={"x-api-key": KEY})
    assert sub["live"] is False
