"""A failed request says where it went (host and environment), what the operating system said, and what to check;
never a key."""

from __future__ import annotations

import httpx
import pytest
from _served import free_port

import ordergroove as og
from ordergroove import testing as ogt

KEY = "key-SECRET-4d1e"


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request) from ConnectionRefusedError(
        111, "Connection refused"
    )


def _check_refused(error: og.APIConnectionError, host: str) -> None:
    text = str(error)
    assert host in text
    assert "Connection refused [Errno 111]" in text and error.os_error == "Connection refused [Errno 111]"
    assert "ORDERGROOVE_BASE_URL" in text and "ORDERGROOVE_ENVIRONMENT" in text  # what to check
    assert error.request_sent is False
    assert KEY not in text + repr(error)


def test_a_refused_connection_names_the_host_and_the_os_error_sync() -> None:
    port = free_port()  # nothing listens on it
    client = og.Ordergroove(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with client, pytest.raises(og.APIConnectionError) as caught:
        client.customers.retrieve("cust_0001")
    assert str(caught.value).startswith("GET /customers/cust_0001/ to 127.0.0.1:")
    _check_refused(caught.value, f"127.0.0.1:{port} (a custom base URL)")


async def test_a_refused_connection_names_the_host_and_the_os_error_async() -> None:
    port = free_port()  # nothing listens on it
    async with og.AsyncOrdergroove(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client:
        with pytest.raises(og.APIConnectionError) as caught:
            await client.customers.retrieve("cust_0001")
    # anyio wraps the OS error in "All connection attempts failed": it is found underneath.
    _check_refused(caught.value, f"127.0.0.1:{port} (a custom base URL)")


@pytest.mark.parametrize(("environment", "host"), [("production", "restapi"), ("staging", "staging.restapi")])
def test_the_environment_is_named(environment: str, host: str) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_refused))
    client = og.Ordergroove(api_key=KEY, environment=environment, max_retries=0, http_client=http)
    with client, pytest.raises(og.APIConnectionError) as caught:
        client.subscriptions.retrieve("s1")
    _check_refused(caught.value, f"{host}.ordergroove.com ({environment})")


async def test_the_environment_is_named_async() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(_refused))
    async with og.AsyncOrdergroove(api_key=KEY, environment="staging", max_retries=0, http_client=http) as client:
        with pytest.raises(og.APIConnectionError) as caught:
            await client.subscriptions.retrieve("s1")
    _check_refused(caught.value, "staging.restapi.ordergroove.com (staging)")


def test_a_rejected_key_points_at_the_key_and_the_environment() -> None:
    fake = ogt.FakeOrdergroove.demo()
    # Not a key the emulator knows.
    with fake.client(api_key=KEY) as client, pytest.raises(og.PermissionDeniedError) as caught:
        client.customers.retrieve("cust_0001")
    text = str(caught.value)
    assert "check the API key (ORDERGROOVE_API_KEY" in text and "belongs to this environment" in text
    assert KEY not in text + repr(caught.value)


async def test_a_forbidden_call_points_at_the_key_async() -> None:
    fake = ogt.FakeOrdergroove.demo()
    fake.add_api_key("narrow-key-SECRET")  # without Bulk Operations: an unnarrowed list is forbidden
    async with fake.async_client(api_key="narrow-key-SECRET") as client:
        with pytest.raises(og.PermissionDeniedError) as caught:
            await client.subscriptions.list().to_list()
    text = str(caught.value)
    assert "check the API key" in text and "permission" in text
    assert "narrow-key-SECRET" not in text
