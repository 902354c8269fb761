"""Every client option through ``with_options``, timeouts as ``httpx.Timeout``, and the per-call extras
(``extra_headers``, ``extra_query``, ``extra_body``), on both clients."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, url
from payloads import STAGING_URL, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og

pytestmark = pytest.mark.usefixtures("clean_env")

OTHER_URL = "https://og-proxy.example.com"


def sent(httpx_mock: HTTPXMock) -> httpx.Request:
    request = httpx_mock.get_requests()[-1]
    return request


async def retrieve(api: Api, client: Any, public_id: str = "s1", **kwargs: Any) -> og.Subscription:
    return await api.run(lambda c: c.subscriptions.retrieve(public_id, **kwargs), client)  # type: ignore[no-any-return]


# -- with_options: every client option --------------------------------------------------------------------------


async def test_with_options_api_key_is_sent_by_the_copy_only(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    copy = api.client.with_options(api_key="og-other-key-1234")
    await retrieve(api, copy)
    assert sent(httpx_mock).headers["x-api-key"] == "og-other-key-1234"
    await retrieve(api, api.client)
    assert sent(httpx_mock).headers["x-api-key"] == API_KEY
    assert "og-other-key" not in repr(copy)


async def test_with_options_api_key_is_checked_and_refused_beside_storefront_auth(api: Api) -> None:
    with pytest.raises(og.ConfigurationError, match="empty"):
        api.client.with_options(api_key=" ")
    storefront = api.make(auth=og.auth.StorefrontAuth("m1", "hash-key", "c1"))
    with pytest.raises(og.ConfigurationError, match="not both"):
        storefront.with_options(api_key="og-key")


async def test_with_options_base_url_and_environment(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    proxied = api.client.with_options(base_url=OTHER_URL + "/")
    assert proxied.base_url == OTHER_URL
    await retrieve(api, proxied)
    assert str(sent(httpx_mock).url) == OTHER_URL + "/subscriptions/s1/"

    staging = api.client.with_options(environment="staging")
    assert staging.base_url == STAGING_URL
    await retrieve(api, staging)
    assert str(sent(httpx_mock).url) == STAGING_URL + "/subscriptions/s1/"
    assert api.client.base_url == url("")  # the original is unchanged

    with pytest.raises(og.ConfigurationError, match="environment"):
        api.client.with_options(environment="moon")
    with pytest.raises(og.ConfigurationError, match="base_url"):
        api.client.with_options(base_url="ftp://example.com")


async def test_with_options_headers_add_to_the_clients(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    client = api.make(headers={"X-Team": "retention"})
    await retrieve(api, client)
    assert sent(httpx_mock).headers["X-Team"] == "retention"

    copy = client.with_options(headers={"X-Trace": "t-1", "User-Agent": "my-app/2.0"})
    await retrieve(api, copy)
    request = sent(httpx_mock)
    assert (request.headers["X-Team"], request.headers["X-Trace"]) == ("retention", "t-1")
    assert request.headers["User-Agent"] == "my-app/2.0"
    assert request.headers["x-api-key"] == API_KEY

    # None removes a header the client would send.
    await retrieve(api, copy.with_options(headers={"X-Team": None}))
    assert "X-Team" not in sent(httpx_mock).headers


@pytest.mark.parametrize("name", ["x-api-key", "Authorization", "X-OG-API-VERSION", "Content-Type", "Host"])
async def test_reserved_headers_are_refused_everywhere(api: Api, name: str, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(og.ConfigurationError, match=f"cannot set {name}"):
        api.make(headers={name: "x"})
    with pytest.raises(og.ConfigurationError, match=f"cannot set {name}"):
        api.client.with_options(headers={name: "x"})
    assert httpx_mock.get_requests() == []


async def test_a_bad_header_value_is_refused_without_showing_it(api: Api) -> None:
    with pytest.raises(og.ConfigurationError, match="printable ASCII") as caught:
        api.client.with_options(headers={"X-Proxy-Token": "secret-token\n"})
    assert "secret-token" not in str(caught.value)
    with pytest.raises(og.ConfigurationError, match="header name"):
        api.client.with_options(headers={"Bad Name": "x"})
    with pytest.raises(og.ConfigurationError, match="mapping"):
        api.client.with_options(headers=[("X-A", "b")])


async def test_with_options_timeout_max_retries_and_graphql_version_are_kept_apart(api: Api) -> None:
    copy = api.client.with_options(timeout=4.0, max_retries=0, graphql_version="unstable")
    assert (copy.timeout, copy.max_retries, copy.graphql_version) == (4.0, 0, "unstable")
    assert (api.client.timeout, api.client.max_retries) == (10.0, 2)
    again = copy.with_options(headers={"X-A": "b"})
    assert (again.timeout, again.max_retries, again.graphql_version) == (4.0, 0, "unstable")


async def test_with_options_rate_limit_gives_the_copy_its_own_limit(api: Api, sleeps: list[float]) -> None:
    client = api.make(rate_limit=600)
    copy = client.with_options(rate_limit=60)
    assert copy._shared.limits is not client._shared.limits
    assert copy._shared.limits.limiter.interval == 1.0
    # The endpoints' own limits (products-batch, per merchant) stay shared.
    assert copy._shared.limits.group_limiters is client._shared.limits.group_limiters
    # Without rate_limit a copy shares the client's limit.
    assert client.with_options(timeout=3.0)._shared.limits is client._shared.limits
    with pytest.raises(og.ConfigurationError, match="rate_limit"):
        client.with_options(rate_limit=0)


async def test_with_options_max_concurrency_bounds_the_copys_requests() -> None:
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json=subscription_payload(public_id="s1"))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = og.AsyncOrdergroove(api_key=API_KEY, http_client=http)
        await asyncio.gather(*(client.subscriptions.retrieve("s1") for _ in range(4)))
        assert peak == 4
        peak = 0
        copy = client.with_options(max_concurrency=1)
        await asyncio.gather(*(copy.subscriptions.retrieve("s1") for _ in range(4)))
        assert peak == 1
        await copy.aclose()
        assert not http.is_closed
        with pytest.raises(og.ConfigurationError, match="max_concurrency"):
            client.with_options(max_concurrency=0)


def test_with_options_max_concurrency_bounds_the_sync_copys_threads() -> None:
    lock = threading.Lock()
    in_flight = peak = 0
    go = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        go.wait(0.05)
        with lock:
            in_flight -= 1
        return httpx.Response(200, json=subscription_payload(public_id="s1"))

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        copy = og.Ordergroove(api_key=API_KEY, http_client=http).with_options(max_concurrency=1)
        threads = [threading.Thread(target=copy.subscriptions.retrieve, args=("s1",)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert peak == 1


# -- httpx.Timeout ---------------------------------------------------------------------------------------------

PHASES = httpx.Timeout(2.0, connect=1.0, read=7.5)


async def test_an_httpx_timeout_sets_each_phase(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    client = api.make(timeout=PHASES)
    assert client.timeout == PHASES
    await retrieve(api, client)
    assert sent(httpx_mock).extensions["timeout"] == {"connect": 1.0, "read": 7.5, "write": 2.0, "pool": 2.0}

    # Per call and with_options, over a float default.
    await retrieve(api, api.client, timeout=PHASES)
    assert sent(httpx_mock).extensions["timeout"]["read"] == 7.5
    await retrieve(api, api.client.with_options(timeout=httpx.Timeout(3.0)))
    assert sent(httpx_mock).extensions["timeout"] == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
    # A float per call over an httpx.Timeout default: the float's everywhere.
    await retrieve(api, client, timeout=4.0)
    assert sent(httpx_mock).extensions["timeout"] == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}


async def test_an_httpx_timeout_read_limit_raises_a_timeout_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), is_reusable=True)
    with pytest.raises(og.APITimeoutError):
        await retrieve(api, api.client, timeout=httpx.Timeout(1.0, read=0.5), max_retries=0)


@pytest.mark.parametrize(
    "bad", [httpx.Timeout(0.0), httpx.Timeout(1.0, read=-1.0), httpx.Timeout(1.0, connect=float("inf"))]
)
async def test_a_bad_httpx_timeout_is_refused(api: Api, bad: httpx.Timeout) -> None:
    with pytest.raises(og.ConfigurationError, match="timeout's"):
        api.make(timeout=bad)
    with pytest.raises(og.ConfigurationError, match="timeout's"):
        api.client.with_options(timeout=bad)


async def test_a_real_server_honours_an_httpx_read_timeout(api: Api) -> None:
    """Against a socket that never answers, an httpx read limit ends the attempt (a float deadline is not used)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    host, port = server.getsockname()
    try:
        client = api.make(base_url=f"http://{host}:{port}", max_retries=0)
        with pytest.raises(og.APITimeoutError):
            await retrieve(api, client, timeout=httpx.Timeout(5.0, read=0.2))
    finally:
        server.close()


@pytest.mark.parametrize("name", ["cursor", "page"])
def test_extra_query_cannot_set_a_lists_cursor(name: str) -> None:
    # The pager follows each page's `next` link; an extra cursor would replace the link's and ask for one page
    # again and again. Refused when the call's options are made, before anything is sent.
    from ordergroove._call import Options
    from ordergroove._calls import subscriptions

    listed = subscriptions.list_(customer="c1")
    with pytest.raises(og.ConfigurationError, match=f"cannot replace {name}"):
        Options(extra_query={name: "x"}).resolve(10.0, 2).check(listed)
    Options(extra_query={"cursor": "x"}).resolve(10.0, 2).check(subscriptions.retrieve("s1"))  # not a list
