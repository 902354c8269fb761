"""Client configuration: credentials, hosts, headers, lifecycle, copies, limits."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, Sleeps, url
from payloads import BASE_URL, STAGING_URL, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove import _io
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.usefixtures("clean_env")

CLIENTS = [og.Ordergroove, og.AsyncOrdergroove]
Fn = Callable[[Any], Any]


async def close(client: Any) -> None:
    if isinstance(client, og.AsyncOrdergroove):
        await client.aclose()
    else:
        client.close()


# -- credentials and hosts -------------------------------------------------------------------------------------


async def test_api_key_from_argument_is_sent(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    await api.run(lambda c: c.subscriptions.retrieve("s1"))
    assert httpx_mock.get_request() is not None
    assert httpx_mock.get_request().headers["x-api-key"] == API_KEY  # type: ignore[union-attr]


async def test_api_key_from_environment(api: Api, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGROOVE_API_KEY", "env-key-123")
    client = api.make(api_key=None)
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    request = httpx_mock.get_request()
    assert request is not None and request.headers["x-api-key"] == "env-key-123"


async def test_api_key_argument_beats_environment(
    api: Api, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGROOVE_API_KEY", "env-key-123")
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    await api.run(lambda c: c.subscriptions.retrieve("s1"))
    request = httpx_mock.get_request()
    assert request is not None and request.headers["x-api-key"] == API_KEY


@pytest.mark.parametrize("cls", CLIENTS)
def test_no_api_key_names_the_variable(cls: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="ORDERGROOVE_API_KEY"):
        cls()


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("key", ["", "   "])
def test_empty_api_key_is_refused(cls: Any, key: str) -> None:
    with pytest.raises(og.ConfigurationError, match="empty"):
        cls(api_key=key)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    ("environment", "expected"), [(None, BASE_URL), ("production", BASE_URL), ("staging", STAGING_URL)]
)
async def test_environment_picks_the_host(cls: Any, environment: str | None, expected: str) -> None:
    client = cls(api_key="k", environment=environment)
    assert client.base_url == expected
    await close(client)


@pytest.mark.parametrize("cls", CLIENTS)
async def test_environment_from_variable(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGROOVE_ENVIRONMENT", "staging")
    client = cls(api_key="k")
    assert client.base_url == STAGING_URL
    await close(client)


@pytest.mark.parametrize("cls", CLIENTS)
async def test_base_url_variable_and_argument(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGROOVE_BASE_URL", "http://127.0.0.1:8123/")
    from_env = cls(api_key="k")
    assert from_env.base_url == "http://127.0.0.1:8123"
    # The argument overrides both the variable and the environment's host.
    from_arg = cls(api_key="k", environment="staging", base_url="http://127.0.0.1:9000/og/")
    assert from_arg.base_url == "http://127.0.0.1:9000/og"
    await close(from_env)
    await close(from_arg)


async def test_requests_go_to_the_base_url_override(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.make(base_url="http://127.0.0.1:9000/og/")
    httpx_mock.add_response(
        url="http://127.0.0.1:9000/og/orders/o1/", json={"public_id": "o1", "customer": "c", "status": 5}
    )
    order = await api.run(lambda c: c.orders.retrieve("o1"), client)
    assert order.status is og.OrderStatus.SUCCESS


async def test_staging_requests_go_to_staging(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.make(environment="staging")
    httpx_mock.add_response(url=STAGING_URL + "/customers/c1/", json={"merchant_user_id": "c1"})
    customer = await api.run(lambda c: c.customers.retrieve("c1"), client)
    assert customer.merchant_user_id == "c1"


@pytest.mark.parametrize("cls", CLIENTS)
def test_unknown_environment_is_refused(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(og.ConfigurationError, match=r"'sandbox'.*'production'"):
        cls(api_key="k", environment="sandbox")
    monkeypatch.setenv("ORDERGROOVE_ENVIRONMENT", "prod")
    with pytest.raises(og.ConfigurationError, match="'prod'"):
        cls(api_key="k")


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("base_url", ["restapi.ordergroove.com", "ftp://x", "", "https://", "http://[::1"])
def test_base_url_must_be_http(cls: Any, base_url: str) -> None:
    with pytest.raises(og.ConfigurationError, match="base_url"):
        cls(api_key="k", base_url=base_url)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("tail", ["?api_key=sk_live_0123456789secret", "#sk_live_0123456789secret", "?"])
def test_a_base_url_with_a_query_or_a_fragment_is_refused_without_showing_it(cls: Any, tail: str) -> None:
    # Every path is appended to the base URL: after a query or a fragment it would land there (a request to
    # "/?api_key=.../orders/"), and the messages that show a request's path would show the query with it.
    with pytest.raises(og.ConfigurationError, match="query or a fragment") as refused:
        cls(api_key="k", base_url="https://user:pw@gateway.example/og/" + tail)
    assert "secret" not in str(refused.value) and "pw" not in str(refused.value)
    assert "https://***@gateway.example/og/" in str(refused.value)


# -- headers ---------------------------------------------------------------------------------------------------


async def test_headers_sent(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    await api.run(lambda c: c.subscriptions.retrieve("s1"))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["User-Agent"] == f"ordergroove-python/{og.__version__}"
    assert request.headers["Accept"] == "application/json"
    # A retrieve is not a list: no cursor header.
    assert "X-OG-API-VERSION" not in request.headers


# -- lifecycle -------------------------------------------------------------------------------------------------


def test_sync_context_manager_closes(httpx_mock: HTTPXMock) -> None:
    with og.Ordergroove(api_key="k") as client:
        pool = client._http  # the client's own pool, to check it really closes
        assert not pool.is_closed
    assert pool.is_closed
    with pytest.raises(og.ConfigurationError, match="closed"):
        client.subscriptions.retrieve("s1")
    assert httpx_mock.get_requests() == []


async def test_async_context_manager_closes(httpx_mock: HTTPXMock) -> None:
    async with og.AsyncOrdergroove(api_key="k") as client:
        pool = client._http
        assert not pool.is_closed
    assert pool.is_closed
    with pytest.raises(og.ConfigurationError, match="closed"):
        await client.subscriptions.retrieve("s1")
    assert httpx_mock.get_requests() == []


def _recording_handler(seen: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=subscription_payload(public_id="s1"))

    return handler


def test_given_sync_http_client_is_used_and_left_open() -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(_recording_handler(seen)))
    with og.Ordergroove(api_key="k", http_client=http) as client:
        assert client.subscriptions.retrieve("s1").public_id == "s1"
    assert len(seen) == 1 and seen[0].headers["x-api-key"] == "k"
    assert not http.is_closed
    assert http.get("https://restapi.ordergroove.com/subscriptions/s1/").status_code == 200
    http.close()


async def test_given_async_http_client_is_used_and_left_open() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(_recording_handler(seen)))
    async with og.AsyncOrdergroove(api_key="k", http_client=http) as client:
        assert (await client.subscriptions.retrieve("s1")).public_id == "s1"
    assert len(seen) == 1
    assert not http.is_closed
    assert (await http.get("https://restapi.ordergroove.com/subscriptions/s1/")).status_code == 200
    await http.aclose()


def test_wrong_kind_of_http_client_is_refused() -> None:
    async_http = httpx.AsyncClient()
    with pytest.raises(og.ConfigurationError, match="AsyncClient"):
        og.Ordergroove(api_key="k", http_client=async_http)  # type: ignore[arg-type]
    sync_http = httpx.Client()
    with pytest.raises(og.ConfigurationError, match=r"httpx\.Client"):
        og.AsyncOrdergroove(api_key="k", http_client=sync_http)  # type: ignore[arg-type]
    sync_http.close()
    asyncio.run(async_http.aclose())


@pytest.mark.parametrize("cls", CLIENTS)
def test_auth_must_be_an_httpx_auth(cls: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="auth"):
        cls(api_key="k", auth="Bearer abc")


# -- with_options ----------------------------------------------------------------------------------------------


async def test_with_options_copies_share_the_pool(api: Api, httpx_mock: HTTPXMock) -> None:
    copy = api.client.with_options(timeout=3.0, max_retries=0)
    assert copy._http is api.client._http  # one connection pool
    assert (copy.timeout, copy.max_retries) == (3.0, 0)
    assert (api.client.timeout, api.client.max_retries) == (10.0, 2)
    assert copy.base_url == api.client.base_url

    httpx_mock.add_response(status_code=503, url=url("/subscriptions/s1/"))
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.subscriptions.retrieve("s1"), copy)
    requests = httpx_mock.get_requests()
    assert len(requests) == 1  # the copy's max_retries=0
    assert requests[0].extensions["timeout"] == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}

    # Closing the copy leaves the original (and its pool) working.
    await close(copy)
    assert not api.client._http.is_closed
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    assert (await api.run(lambda c: c.subscriptions.retrieve("s1"))).public_id == "s1"
    assert httpx_mock.get_requests()[-1].extensions["timeout"]["read"] == 10.0


async def test_with_options_keeps_unspecified_values(api: Api) -> None:
    copy = api.client.with_options(max_retries=5)
    assert (copy.timeout, copy.max_retries) == (10.0, 5)
    again = copy.with_options(timeout=1.5)
    assert (again.timeout, again.max_retries) == (1.5, 5)


BAD_TIMEOUTS: list[Any] = [0, -1, "3", True, [1], float("nan")]
BAD_RETRIES: list[Any] = [-1, 1.5, True, "2"]
BAD_POSITIVE: list[Any] = [0, -3, 2.5, True, "4"]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_bad_timeout_refused(cls: Any, timeout: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="timeout"):
        cls(api_key="k", timeout=timeout)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("max_retries", BAD_RETRIES)
def test_bad_max_retries_refused(cls: Any, max_retries: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="max_retries"):
        cls(api_key="k", max_retries=max_retries)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("name", ["max_concurrency", "rate_limit"])
@pytest.mark.parametrize("value", BAD_POSITIVE)
def test_bad_concurrency_and_rate_limit_refused(cls: Any, name: str, value: Any) -> None:
    with pytest.raises(og.ConfigurationError, match=name):
        cls(api_key="k", **{name: value})


async def test_bad_options_refused_by_with_options_and_per_call(api: Api, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(og.ConfigurationError, match="timeout"):
        api.client.with_options(timeout=0)
    with pytest.raises(og.ConfigurationError, match="max_retries"):
        api.client.with_options(max_retries=-1)
    with pytest.raises(og.ConfigurationError, match="timeout"):
        await api.run(lambda c: c.subscriptions.retrieve("s1", timeout=-2))
    with pytest.raises(og.ConfigurationError, match="max_retries"):
        await api.run(lambda c: c.subscriptions.cancel("s1", max_retries=True))
    assert httpx_mock.get_requests() == []


def test_repr_shows_no_key() -> None:
    sync = og.Ordergroove(api_key=API_KEY)
    asyncc = og.AsyncOrdergroove(api_key=API_KEY)
    for client in (sync, asyncc, sync.with_options(timeout=1.0)):
        text = repr(client) + str(client)
        assert API_KEY not in text
        assert BASE_URL in text
        assert API_KEY not in repr(client._core)
    sync.close()
    asyncio.run(asyncc.aclose())


# -- concurrency bound and rate limit --------------------------------------------------------------------------


async def test_async_max_concurrency_bounds_requests_in_flight(httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    in_flight = 0
    peak = 0

    async def respond(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(5):  # give the other tasks every chance to start
            await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, json=subscription_payload(public_id=request.url.path.split("/")[2]))

    httpx_mock.add_callback(respond, is_reusable=True)
    async with og.AsyncOrdergroove(api_key="k", max_concurrency=2) as client:
        results = await asyncio.gather(*(client.subscriptions.retrieve(f"s{i}") for i in range(6)))
    assert [s.public_id for s in results] == [f"s{i}" for i in range(6)]
    assert peak == 2
    assert len(httpx_mock.get_requests()) == 6


async def test_async_without_bound_runs_all_at_once(httpx_mock: HTTPXMock) -> None:
    in_flight = 0
    peak = 0

    async def respond(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(5):
            await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, json=subscription_payload())

    httpx_mock.add_callback(respond, is_reusable=True)
    async with og.AsyncOrdergroove(api_key="k") as client:
        await asyncio.gather(*(client.subscriptions.retrieve(f"s{i}") for i in range(4)))
    assert peak == 4  # so the bound above is what limited it


def test_sync_max_concurrency_bounds_threads(httpx_mock: HTTPXMock) -> None:
    lock = threading.Lock()
    in_flight = 0
    peak = 0
    # Every request waits here until the gate opens; with the bound at 2, only two can be waiting.
    two_inside = threading.Barrier(2, timeout=5)

    def respond(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        with contextlib.suppress(threading.BrokenBarrierError):
            two_inside.wait()
        with lock:
            in_flight -= 1
        return httpx.Response(200, json=subscription_payload())

    httpx_mock.add_callback(respond, is_reusable=True)
    with og.Ordergroove(api_key="k", max_concurrency=2) as client, ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda i: client.subscriptions.retrieve(f"s{i}"), range(6)))
    assert len(results) == 6
    assert peak == 2


async def test_rate_limit_spaces_requests(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_io, "monotonic", lambda: 1000.0)  # a clock that never moves
    client = api.make(rate_limit=120)  # one request every 0.5 s
    copy = client.with_options(timeout=2.0)  # copies share the limiter
    httpx_mock.add_response(json=subscription_payload(), is_reusable=True)
    for target in (client, client, copy, client):
        await api.run(lambda c: c.subscriptions.retrieve("s1"), target)
    assert sleeps == [0.5, 1.0, 1.5]
    assert len(httpx_mock.get_requests()) == 4


async def test_no_rate_limit_no_sleep(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_response(json=subscription_payload(), is_reusable=True)
    for _ in range(3):
        await api.run(lambda c: c.subscriptions.retrieve("s1"))
    assert sleeps == []


# -- storefront clients are customer scope only -------------------------------------------------------------------


def _storefront_auth() -> og.auth.StorefrontAuth:
    return og.auth.StorefrontAuth("0e5de2bedc5e11e3a2e4bc764e106cf4", "hash-key-not-the-api-key", "cust_0001")


async def test_storefront_client_never_sends_the_merchant_api_key(
    api: Api, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A merchant key in the environment must not turn a customer-scope client into a merchant one: with it,
    # the client could read and change every customer's subscriptions.
    monkeypatch.setenv("ORDERGROOVE_API_KEY", API_KEY)
    client = api.make(auth=_storefront_auth())
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client.with_options(timeout=2.0, max_retries=0))
    requests = httpx_mock.get_requests()
    assert len(requests) == 2
    for request in requests:
        assert "x-api-key" not in request.headers
        assert json.loads(request.headers["Authorization"])["sig_field"] == "cust_0001"


@pytest.mark.parametrize("cls", CLIENTS)
def test_api_key_and_storefront_auth_together_are_refused(cls: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="api_key") as caught:
        cls(api_key=API_KEY, auth=_storefront_auth())
    assert "auth" in str(caught.value)
    assert API_KEY not in str(caught.value) + repr(caught.value.args)


# -- ids and query values too long for a URL --------------------------------------------------------------------

LONG = "a" * 70_000

OVERLONG: list[tuple[str, Fn, str]] = [
    ("path id", lambda c: c.subscriptions.retrieve(LONG), "subscription_id"),
    ("action id", lambda c: c.subscriptions.cancel(LONG), "subscription_id"),
    ("checkout id", lambda c: c.checkout.purchase_status(LONG), "subs_req_id"),
    ("non-ASCII id", lambda c: c.orders.retrieve("é" * 2_000), "order_id"),
    ("query id", lambda c: c.subscriptions.list(customer=LONG).to_list(), "customer"),
    ("query text", lambda c: c.customers.list(email=LONG + "@example.com").to_list(), "email"),
    ("many ids", lambda c: c.products.list(external_product_ids=["p" * 1_000] * 70).to_list(), "external_product_ids"),
]


@pytest.mark.parametrize(("case", "call", "name"), OVERLONG, ids=[o[0] for o in OVERLONG])
async def test_overlong_ids_and_query_values_are_refused_before_sending(
    api: Api, httpx_mock: HTTPXMock, case: str, call: Fn, name: str
) -> None:
    with pytest.raises(og.ConfigurationError) as caught:
        await api.run(call)
    message = str(caught.value)
    assert name in message and "too long" in message
    assert len(message) < 300  # names the argument without echoing it
    assert httpx_mock.get_requests() == []


async def test_a_base_url_too_long_for_any_request_is_a_configuration_error(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.make(base_url="http://127.0.0.1:9000/" + "b" * 65_500)
    with pytest.raises(og.ConfigurationError, match="too long") as caught:
        await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    assert len(str(caught.value)) < 300
    assert httpx_mock.get_requests() == []


# -- one async client, several event loops ------------------------------------------------------------------------


def test_one_async_client_serves_consecutive_event_loops() -> None:
    # Each asyncio.run has its own loop; what the client keeps that belongs to a loop (the concurrency bound) is
    # made again in the next one instead of failing with "bound to a different event loop".
    client = FakeOrdergroove.demo().async_client(max_concurrency=2, rate_limit=6000)
    ids = [f"cust_{number:04d}" for number in range(1, 7)]

    async def fan_out() -> list[str]:
        customers = await asyncio.gather(*(client.customers.retrieve(customer_id) for customer_id in ids))
        return [customer.merchant_user_id for customer in customers]

    try:
        assert asyncio.run(fan_out()) == ids
        assert asyncio.run(fan_out()) == ids
        assert asyncio.run(fan_out()) == ids
    finally:
        asyncio.run(client.aclose())


class KeepAliveServer:
    """A plain HTTP/1.1 server on 127.0.0.1 that keeps connections open, as Ordergroove's does."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body = json.dumps({"merchant_user_id": self.path.split("/")[2]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def test_one_async_client_with_its_own_pool_serves_consecutive_event_loops() -> None:
    server = KeepAliveServer()
    # No max_concurrency: what is tested here is the connection pool, which httpx ties to the loop that opened it.
    client = og.AsyncOrdergroove(api_key="k", base_url=server.base_url, max_retries=0)

    async def fan_out(*, then_close: bool = False) -> list[str]:
        customers = await asyncio.gather(*(client.customers.retrieve(f"c{index}") for index in range(4)))
        if then_close:
            await client.aclose()
        return [customer.merchant_user_id for customer in customers]

    try:
        # The first loop ends without aclose(): its idle connections can only be dropped (the ResourceWarning of
        # an unclosed socket is that loop's, not this test's concern), never reused from another loop.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            assert asyncio.run(fan_out()) == ["c0", "c1", "c2", "c3"]
            assert asyncio.run(fan_out(then_close=True)) == ["c0", "c1", "c2", "c3"]
            gc.collect()
        # The ended first loop's pool was dropped; the second loop's, closed by aclose() there.
        assert [pool.is_closed for pool, _ in client._sender.pool._loops.values()] == [True]
    finally:
        server.close()
