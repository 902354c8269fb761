"""What the clients take from an ``http_client`` the caller brings, and how they behave once it is closed."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

import ordergroove as og

BASE = "https://restapi.ordergroove.com"
CUSTOMER = {"merchant_user_id": "cust_1", "email": "a@example.com"}


def test_default_headers_and_cookies_of_a_given_client_are_sent(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/customers/cust_1/", json=CUSTOMER)
    with httpx.Client(headers={"X-Trace": "t-1", "User-Agent": "theirs"}, cookies={"session": "s"}) as http:
        client = og.Ordergroove("key", http_client=http)
        assert client.customers.retrieve("cust_1").email == "a@example.com"
    request = httpx_mock.get_requests()[0]
    assert request.headers["X-Trace"] == "t-1"
    assert "session=s" in request.headers["Cookie"]
    # The library's own headers win over the given client's defaults.
    assert request.headers["User-Agent"].startswith("ordergroove-python/")
    assert request.headers["x-api-key"] == "key"


async def test_async_default_headers_of_a_given_client_are_sent(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/customers/cust_1/", json=CUSTOMER)
    async with httpx.AsyncClient(headers={"X-Trace": "t-2"}) as http:
        client = og.AsyncOrdergroove("key", http_client=http)
        assert (await client.customers.retrieve("cust_1")).merchant_user_id == "cust_1"
    assert httpx_mock.get_requests()[0].headers["X-Trace"] == "t-2"


def test_a_closed_given_client_is_a_configuration_error_not_a_runtime_error() -> None:
    http = httpx.Client()
    client = og.Ordergroove("key", http_client=http)
    http.close()
    with pytest.raises(og.ConfigurationError, match="http_client is closed"):
        client.customers.retrieve("cust_1")


async def test_async_closed_clients_are_configuration_errors() -> None:
    http = httpx.AsyncClient()
    client = og.AsyncOrdergroove("key", http_client=http)
    await http.aclose()
    with pytest.raises(og.ConfigurationError, match="http_client is closed"):
        await client.customers.retrieve("cust_1")
    own = og.AsyncOrdergroove("key")
    await own.aclose()
    with pytest.raises(og.ConfigurationError, match="client is closed"):
        await own.customers.retrieve("cust_1")


def test_with_options_copies_keep_the_class_and_share_limits() -> None:
    with og.Ordergroove("key", rate_limit=600, max_concurrency=2) as client:
        copy = client.with_options(timeout=2.0, max_retries=0)
        assert type(copy) is og.Ordergroove
        assert (copy.timeout, copy.max_retries) == (2.0, 0)
        assert (client.timeout, client.max_retries) == (10.0, 2)
        assert copy._shared.limits.limiter is client._shared.limits.limiter
        assert copy._shared.limits.group_limiters is client._shared.limits.group_limiters
        assert copy._sender.pool is client._sender.pool  # one pool, one concurrency bound
        assert copy.customers._sender is copy._sender
        copy.close()  # a copy never closes the pool it shares
        assert not client._http.is_closed
