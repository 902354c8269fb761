"""Retries: which failures, how many times, how long between, never twice an action that could apply twice; logs
without secrets."""

from __future__ import annotations

import email.utils
import json
import logging
import math
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, Sleeps, url
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove import retries

Fn = Callable[[Any], Any]
Add = Callable[[HTTPXMock], None]

NOW = 1_750_000_000.0


def status(code: int, **kwargs: Any) -> Add:
    return lambda mock: mock.add_response(status_code=code, **kwargs)


def raises(exc: type[httpx.HTTPError]) -> Add:
    return lambda mock: mock.add_exception(exc("simulated"))


def ok(mock: HTTPXMock) -> None:
    mock.add_response(json=subscription_payload(public_id="s1"))


RETRIEVE: Fn = lambda c: c.subscriptions.retrieve("s1")  # noqa: E731
PATCH: Fn = lambda c: c.subscriptions.change_quantity("s1", 2)  # noqa: E731  (sets a value: retry-safe)
CANCEL: Fn = lambda c: c.subscriptions.cancel("s1")  # noqa: E731  (could apply twice: never re-sent)

# (id, failure, error class raised when retries run out, request_sent of a connection error)
READ_RETRIED: list[tuple[str, Add, type[og.OrdergrooveError], bool | None]] = [
    ("ConnectError", raises(httpx.ConnectError), og.APIConnectionError, False),
    ("ConnectTimeout", raises(httpx.ConnectTimeout), og.APITimeoutError, False),
    ("ReadTimeout", raises(httpx.ReadTimeout), og.APITimeoutError, True),
    ("ReadError", raises(httpx.ReadError), og.APIConnectionError, True),
    ("RemoteProtocolError", raises(httpx.RemoteProtocolError), og.APIConnectionError, True),
    ("429", status(429), og.RateLimitError, None),
    (
        "423",
        status(423, json={"details": "Resource is currently in use. Please try again shortly."}),
        og.ResourceLockedError,
        None,
    ),
    ("500", status(500), og.ServerError, None),
    ("502", status(502, html="<html>bad gateway</html>"), og.ServerError, None),
    ("503", status(503), og.ServerError, None),
    ("504", status(504), og.ServerError, None),
]


@pytest.mark.parametrize(("case", "fail", "cls", "sent"), READ_RETRIED, ids=[r[0] for r in READ_RETRIED])
async def test_read_retried_until_max_retries_then_raised(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, case: str, fail: Add, cls: type[Exception], sent: bool | None
) -> None:
    for _ in range(3):
        fail(httpx_mock)
    with pytest.raises(cls) as caught:
        await api.run(RETRIEVE)
    assert type(caught.value) is cls
    if sent is not None:
        assert isinstance(caught.value, og.APIConnectionError)
        assert caught.value.request_sent is sent
    assert len(httpx_mock.get_requests()) == 3  # the first try and max_retries=2
    assert len(sleeps) == 2


@pytest.mark.parametrize(("case", "fail", "cls", "sent"), READ_RETRIED, ids=[r[0] for r in READ_RETRIED])
async def test_read_recovers_after_one_failure(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, case: str, fail: Add, cls: type[Exception], sent: bool | None
) -> None:
    fail(httpx_mock)
    ok(httpx_mock)
    subscription = await api.run(RETRIEVE)
    assert subscription.public_id == "s1"
    assert len(httpx_mock.get_requests()) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422])
async def test_read_client_errors_not_retried(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, code: int) -> None:
    httpx_mock.add_response(status_code=code, json={"detail": "no"})
    with pytest.raises(og.APIStatusError):
        await api.run(RETRIEVE)
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps == []


@pytest.mark.parametrize("max_retries", [0, 1, 4])
async def test_per_call_max_retries(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, max_retries: int) -> None:
    for _ in range(max_retries + 1):
        httpx_mock.add_response(status_code=503)
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.subscriptions.retrieve("s1", max_retries=max_retries))
    assert len(httpx_mock.get_requests()) == max_retries + 1
    assert len(sleeps) == max_retries


async def test_client_max_retries(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.make(max_retries=1)
    httpx_mock.add_response(status_code=500)
    httpx_mock.add_response(status_code=500)
    with pytest.raises(og.ServerError):
        await api.run(RETRIEVE, client)
    assert len(httpx_mock.get_requests()) == 2


async def test_per_call_timeout_on_every_attempt(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.make(timeout=3)
    httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    ok(httpx_mock)
    ok(httpx_mock)
    await api.run(lambda c: c.subscriptions.retrieve("s1", timeout=1.25), client)
    await api.run(RETRIEVE, client)
    timeouts = [r.extensions["timeout"] for r in httpx_mock.get_requests()]
    assert timeouts == [
        {"connect": 1.25, "read": 1.25, "write": 1.25, "pool": 1.25},
        {"connect": 1.25, "read": 1.25, "write": 1.25, "pool": 1.25},
        {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0},
    ]


TRANSPORT_ERRORS: list[type[httpx.HTTPError]] = [
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.CloseError,
    httpx.RemoteProtocolError,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.DecodingError,
    httpx.TooManyRedirects,
]


@pytest.mark.parametrize("exc", TRANSPORT_ERRORS, ids=[e.__name__ for e in TRANSPORT_ERRORS])
@pytest.mark.parametrize("call", [RETRIEVE, PATCH], ids=["GET", "PATCH"])
async def test_every_httpx_failure_becomes_a_connection_error(
    api: Api, httpx_mock: HTTPXMock, exc: type[httpx.HTTPError], call: Fn
) -> None:
    httpx_mock.add_exception(exc("simulated"))
    client = api.make(max_retries=0)
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(call, client)
    assert isinstance(caught.value, og.APITimeoutError) == issubclass(exc, httpx.TimeoutException)
    assert isinstance(caught.value.__cause__, exc)
    assert exc.__name__ in str(caught.value)


# -- delays ------------------------------------------------------------------------------------------------------


@pytest.fixture
def frozen_core_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core's view of wall-clock time, fixed, so an HTTP-date Retry-After gives an exact delay."""
    monkeypatch.setattr(retries, "time", SimpleNamespace(time=lambda: NOW))


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


@pytest.mark.usefixtures("frozen_core_clock")
@pytest.mark.parametrize(
    ("code", "header", "delay"),
    [
        (429, "7", 7.0),
        (429, "1.5", 1.5),
        (429, "120", 60.0),  # capped
        (503, "3", 3.0),
        (423, "0", 0.0),
        (429, http_date(NOW + 30), 30.0),
        (429, http_date(NOW + 3600), 60.0),  # capped
        (503, http_date(NOW - 300), 0.0),  # already past
    ],
)
async def test_retry_after_honoured(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, code: int, header: str, delay: float
) -> None:
    httpx_mock.add_response(status_code=code, headers={"Retry-After": header})
    ok(httpx_mock)
    await api.run(RETRIEVE)
    assert sleeps == [delay]


@pytest.mark.parametrize("header", ["soon", "", "Wed, 99 Foo 2024"])
async def test_unreadable_retry_after_falls_back_to_backoff(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, header: str
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": header})
    ok(httpx_mock)
    await api.run(RETRIEVE)
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= retries.BACKOFF_BASE


ABSURD_RETRY_AFTER = [
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Fri, 31 Dec 99999 23:59:59 GMT",
    "Mon, 01 Jan 2147483648 00:00:00 GMT",
    "Mon, 01 Jan 0001 00:00:00 +2359",
    "1e308",
    "1e999",
    "-1e999",
    "inf",
    "nan",
    "9" * 400,
]


@pytest.mark.parametrize("header", ABSURD_RETRY_AFTER)
async def test_absurd_retry_after_is_capped_or_ignored(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, header: str
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": header})
    ok(httpx_mock)
    await api.run(RETRIEVE)
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= retries.RETRY_AFTER_CAP


@pytest.mark.parametrize("header", ABSURD_RETRY_AFTER)
async def test_absurd_retry_after_on_the_error_is_finite(api: Api, httpx_mock: HTTPXMock, header: str) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": header})
    with pytest.raises(og.RateLimitError) as caught:
        await api.run(lambda c: c.subscriptions.retrieve("s1", max_retries=0))
    retry_after = caught.value.retry_after
    assert retry_after is None or 0.0 <= retry_after <= retries.RETRY_AFTER_CAP


http_dates = st.builds(
    "{}, {:02d} {} {} {:02d}:{:02d}:{:02d} {}".format,
    st.sampled_from(["Mon", "Fri", "Sun"]),
    st.integers(0, 99),
    st.sampled_from(["Jan", "Feb", "Dec", "Foo"]),
    st.integers(-10, 10**12),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["GMT", "UTC", "+0000", "-2359", "+2359", "-9999", "EST", ""]),
)
numbers = st.one_of(st.floats().map(repr), st.integers().map(str), st.text(alphabet="0123456789e.-+infa", max_size=30))


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(http_dates, numbers, st.text()), cap=st.sampled_from([None, 60.0, 0.0]))
def test_retry_after_seconds_never_raises_and_is_finite(value: str, cap: float | None) -> None:
    # The Gladly timeline client calls it with cap=None: even then, never an exception nor an infinite wait.
    seconds = retries.retry_after_seconds(value, cap=cap)
    assert seconds is None or 0.0 <= seconds < math.inf
    if seconds is not None and cap is not None:
        assert seconds <= cap


@pytest.mark.parametrize("header", ABSURD_RETRY_AFTER)
def test_retry_after_seconds_without_a_cap_is_finite(header: str) -> None:
    seconds = retries.retry_after_seconds(header, cap=None)
    assert seconds is None or 0.0 <= seconds < math.inf


async def test_backoff_is_exponential_and_capped(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Full jitter draws uniformly from [0, ceiling]: returning the ceiling exposes the schedule itself.
    draws: list[tuple[float, float]] = []

    def top(low: float, high: float) -> float:
        draws.append((low, high))
        return high

    monkeypatch.setattr(retries, "random", SimpleNamespace(uniform=top))
    for _ in range(8):
        httpx_mock.add_response(status_code=503)
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.subscriptions.retrieve("s1", max_retries=7))
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert all(low == 0.0 for low, _ in draws)


async def test_backoff_with_real_jitter_stays_in_bounds(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    for _ in range(9):
        httpx_mock.add_response(status_code=502)
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.subscriptions.retrieve("s1", max_retries=8))
    assert len(sleeps) == 8
    for attempt, delay in enumerate(sleeps):
        assert 0.0 <= delay <= min(retries.BACKOFF_CAP, retries.BACKOFF_BASE * 2**attempt)


# -- actions: only when the server certainly did not act ---------------------------------------------------------


@pytest.mark.parametrize("code", [429, 423])
async def test_action_retried_after_not_applied_status(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, code: int
) -> None:
    httpx_mock.add_response(method="PATCH", status_code=code, json={"details": "Resource is currently in use."})
    httpx_mock.add_response(method="PATCH", json=subscription_payload(public_id="s1", quantity=2))
    subscription = await api.run(PATCH)
    assert subscription.quantity == 2
    requests = httpx_mock.get_requests()
    assert len(requests) == 2
    assert all(json.loads(r.content) == {"quantity": 2} for r in requests)
    assert len(sleeps) == 1


async def test_action_gives_up_after_max_retries_of_429(api: Api, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        httpx_mock.add_response(method="PATCH", status_code=429)
    with pytest.raises(og.RateLimitError):
        await api.run(PATCH)
    assert len(httpx_mock.get_requests()) == 3


@pytest.mark.parametrize("code", [500, 502, 503, 504])
async def test_action_not_retried_after_server_error(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, code: int
) -> None:
    httpx_mock.add_response(method="PATCH", status_code=code)
    with pytest.raises(og.ServerError) as caught:
        await api.run(CANCEL)
    assert caught.value.status_code == code
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ReadTimeout, og.APITimeoutError),
        (httpx.WriteTimeout, og.APITimeoutError),
        (httpx.ReadError, og.APIConnectionError),
        (httpx.RemoteProtocolError, og.APIConnectionError),
    ],
)
async def test_action_not_retried_after_sending(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, exc: type[httpx.HTTPError], cls: type[og.APIConnectionError]
) -> None:
    httpx_mock.add_exception(exc("after sending"), method="PATCH")
    with pytest.raises(cls) as caught:
        await api.run(CANCEL)
    assert type(caught.value) is cls
    assert caught.value.request_sent is True
    assert caught.value.method == "PATCH"
    assert caught.value.url == url("/subscriptions/s1/cancel/")
    assert "may have acted" in str(caught.value)
    assert isinstance(caught.value.__cause__, exc)
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "fail",
    [status(500), status(503), raises(httpx.ReadTimeout), raises(httpx.RemoteProtocolError)],
    ids=["500", "503", "ReadTimeout", "RemoteProtocolError"],
)
async def test_retry_safe_action_retried_after_an_ambiguous_failure(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, fail: Add
) -> None:
    # Setting the quantity twice leaves it as once: the call is sent again, the same body each time.
    fail(httpx_mock)
    httpx_mock.add_response(method="PATCH", json=subscription_payload(public_id="s1", quantity=2))
    assert (await api.run(PATCH)).quantity == 2
    requests = httpx_mock.get_requests()
    assert [(r.method, r.url.path) for r in requests] == [("PATCH", "/subscriptions/s1/change_quantity/")] * 2
    assert all(json.loads(r.content) == {"quantity": 2} for r in requests)
    assert len(sleeps) == 1


async def test_retry_safe_action_gives_up_after_max_retries(api: Api, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), method="PATCH")
    with pytest.raises(og.APITimeoutError) as caught:
        await api.run(PATCH)
    assert caught.value.request_sent is True
    assert len(httpx_mock.get_requests()) == 3


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_action_retried_when_never_sent(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, exc: type[httpx.HTTPError]
) -> None:
    httpx_mock.add_exception(exc("before sending"), method="PATCH")
    httpx_mock.add_response(method="PATCH", json=subscription_payload(public_id="s1", quantity=2))
    assert (await api.run(PATCH)).quantity == 2
    assert len(httpx_mock.get_requests()) == 2


async def test_action_never_sent_gives_up_with_request_sent_false(api: Api, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ConnectError("refused"), method="PATCH")
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(PATCH)
    assert caught.value.request_sent is False
    assert len(httpx_mock.get_requests()) == 3


# -- logs and secrets --------------------------------------------------------------------------------------------


async def test_debug_logs_each_request_and_retry_without_the_key(
    api: Api, httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    ok(httpx_mock)
    await api.run(RETRIEVE)
    ours = [r.getMessage() for r in caplog.records if r.name == "ordergroove"]
    url = "https://restapi.ordergroove.com/subscriptions/s1/"
    # One line per attempt (its outcome, which try, how long), and one per retry decided.
    assert re.fullmatch(rf"GET {url} -> 503 \(attempt 1 of 3, [0-9]+ ms\)", ours[0])
    assert ours[1].startswith("retrying GET /subscriptions/s1/ in ")
    assert ours[1].endswith("after 503 (retry 1 of 2)")
    assert re.fullmatch(rf"GET {url} -> ConnectError \(attempt 2 of 3, [0-9]+ ms\)", ours[2])
    assert ours[3].endswith("after ConnectError (retry 2 of 2)")
    assert re.fullmatch(rf"GET {url} -> 200 \(attempt 3 of 3, [0-9]+ ms\)", ours[4])
    assert len(ours) == 5
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "ordergroove")
    assert API_KEY not in caplog.text


async def test_logs_carry_no_storefront_secret(
    api: Api, httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hash_key = "hash-KEY-never-logged-91ab"
    client = api.make(auth=og.auth.StorefrontAuth("merchant-pub", hash_key, "cust-1001"))
    httpx_mock.add_response(status_code=429)
    ok(httpx_mock)
    await api.run(RETRIEVE, client)
    signatures = [json.loads(r.headers["Authorization"])["sig"] for r in httpx_mock.get_requests()]
    assert len(signatures) == 2
    assert any(r.name == "ordergroove" for r in caplog.records)
    for secret in (hash_key, *signatures):
        assert secret not in caplog.text


async def test_no_secret_in_errors(api: Api, httpx_mock: HTTPXMock) -> None:
    errors: list[og.OrdergrooveError] = []
    httpx_mock.add_response(status_code=401, json={"detail": "Authentication Failed"})
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), method="PATCH")
    httpx_mock.add_response(text="not json")
    for call in (
        lambda c: c.subscriptions.retrieve("s1"),
        lambda c: c.subscriptions.cancel("s1"),
        lambda c: c.orders.retrieve("o1"),
    ):
        with pytest.raises(og.OrdergrooveError) as caught:
            await api.run(call)
        errors.append(caught.value)
    assert [type(e) for e in errors] == [og.AuthenticationError, og.APITimeoutError, og.ResponseDecodeError]
    for error in errors:
        text = str(error) + repr(error) + repr(error.args) + repr(vars(error))
        assert API_KEY not in text
