"""Timeline notes through Gladly's REST API, sync and async alike (every test runs in both modes)."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from ordergroove import gladly
from ordergroove.errors import APIConnectionError, APITimeoutError, ConfigurationError, OrdergrooveError
from ordergroove.gladly import _io as gladly_io
from ordergroove.gladly import _timeline

HOST = "https://acme.gladly.com"
USER = "agent@acme.com"
TOKEN = "tok-SECRET-9f8e7d"
AUTH = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
WHEN = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=timezone.utc)


def items_url(customer_id: str) -> str:
    return f"{HOST}/api/v1/customers/{customer_id}/conversation-items"


AddActivity = Callable[..., Awaitable[gladly.ActivityResult]]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every back-off delay, sync or async, recorded instead of slept."""
    recorded: list[float] = []

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(gladly_io, "sleep", fake_sleep)
    monkeypatch.setattr(gladly_io, "async_sleep", fake_async_sleep)
    return recorded


@pytest.fixture(params=["sync", "async"])
async def make(request: pytest.FixtureRequest, sleeps: list[float]) -> AsyncIterator[Callable[..., AddActivity]]:
    """Builds a client (sync or async) and returns its add_activity as an awaitable; closes them all after."""
    sync_clients: list[gladly.GladlyClient] = []
    async_clients: list[gladly.AsyncGladlyClient] = []

    def factory(**options: Any) -> AddActivity:
        if request.param == "sync":
            client = gladly.GladlyClient(HOST, USER, TOKEN, **options)
            sync_clients.append(client)

            async def call(*args: Any, **kwargs: Any) -> gladly.ActivityResult:
                return client.add_activity(*args, **kwargs)

            return call
        async_client = gladly.AsyncGladlyClient(HOST, USER, TOKEN, **options)
        async_clients.append(async_client)
        return async_client.add_activity

    yield factory
    for client in sync_clients:
        client.close()
    for async_client in async_clients:
        await async_client.aclose()


@pytest.fixture
def add(make: Callable[..., AddActivity]) -> AddActivity:
    return make()


def body_of(request: httpx.Request) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(request.content)
    return result


# --- the request ---------------------------------------------------------------------------------------


async def test_posts_the_exact_request(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("cust%2F1%20a"), status_code=201, json={"id": "og-1", "customerId": "x"}
    )
    result = await add(
        "cust/1 a",
        title="Subscription canceled",
        body="Canceled by agent.\nReason: too much product",
        occurred_at=WHEN,
        link=gladly.ActivityLink(url="https://og.example/s/1", text="Open"),
        item_id="og-1",
        activity_type="ISSUE",
    )
    [request] = httpx_mock.get_requests()
    assert request.method == "POST"
    assert str(request.url) == items_url("cust%2F1%20a")
    assert request.headers["Authorization"] == AUTH
    assert request.headers["Content-Type"] == "application/json"
    assert body_of(request) == {
        "id": "og-1",
        "content": {
            "type": "CUSTOMER_ACTIVITY",
            "activityType": "ISSUE",
            "title": "Subscription canceled",
            "body": "Canceled by agent.\nReason: too much product",
            "sourceName": "Ordergroove",
            "occurredAt": "2026-11-25T12:00:00.123Z",
            "link": {"url": "https://og.example/s/1", "text": "Open"},
        },
    }
    assert result == gladly.ActivityResult(customer_id="cust/1 a", item_id="og-1", duplicate=False, status_code=201)
    assert result.item == {"id": "og-1", "customerId": "x"}


async def test_defaults_and_time_zone_conversion(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201, json={"id": "gladly-made"})
    paris = timezone(timedelta(hours=1))
    result = await add(
        "c1",
        title="t",
        body="",
        occurred_at=datetime(2026, 1, 1, 0, 30, 5, 999, tzinfo=paris),
        link={"url": "https://og.example"},
        source_name="OG",
    )
    content = body_of(httpx_mock.get_requests()[0])
    assert "id" not in content
    assert content["content"]["activityType"] == "EMAIL"
    assert content["content"]["sourceName"] == "OG"
    assert content["content"]["occurredAt"] == "2025-12-31T23:30:05.000Z"
    assert content["content"]["link"] == {"url": "https://og.example", "text": "View in Ordergroove"}
    assert result.item_id == "gladly-made"  # the id Gladly gave it


async def test_success_without_a_json_body(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=204)
    result = await add("c1", title="t", body="b", occurred_at=WHEN)
    assert result.item is None
    assert result.item_id is None
    assert result.status_code == 204


async def test_long_texts_are_truncated_with_an_ellipsis(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201)
    await add(
        "c1",
        title="T" * 150,
        body="b" * 30_000,
        occurred_at=WHEN,
        link=gladly.ActivityLink(url="https://og.example", text="L" * 80),
    )
    content = body_of(httpx_mock.get_requests()[0])["content"]
    assert content["title"] == "T" * 99 + "\u2026"
    assert content["body"] == "b" * 24_999 + "\u2026"
    assert content["link"]["text"] == "L" * 49 + "\u2026"


async def test_exact_limits_are_kept_and_wide_characters_count_double(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201, is_reusable=True)
    await add("c1", title="T" * 100, body="b" * 25_000, occurred_at=WHEN)
    await add("c1", title="\U0001f600" * 60, body="b", occurred_at=WHEN)
    first, second = (body_of(r)["content"] for r in httpx_mock.get_requests())
    assert first["title"] == "T" * 100
    assert first["body"] == "b" * 25_000
    # 49 emoji = 98 UTF-16 units, plus the ellipsis: within 100 however Gladly counts.
    assert second["title"] == "\U0001f600" * 49 + "\u2026"


@pytest.mark.parametrize(
    ("customer_id", "options", "match"),
    [
        ("", {}, "customer_id"),
        ("..", {}, "customer id"),
        ("c1", {"occurred_at": datetime(2026, 1, 1)}, "timezone-aware"),
        ("c1", {"item_id": "x" * 50}, "item_id"),
        ("c1", {"item_id": "a/b"}, "item_id"),
        ("c1", {"item_id": ""}, "item_id"),
        ("c1", {"activity_type": "CHAT"}, "activity_type"),
        ("c1", {"title": "  "}, "title"),
        ("c1", {"link": {"text": "no url"}}, "link"),
    ],
)
async def test_bad_arguments_fail_before_sending(
    add: AddActivity, httpx_mock: HTTPXMock, customer_id: str, options: dict[str, Any], match: str
) -> None:
    arguments: dict[str, Any] = {"title": "t", "body": "b", "occurred_at": WHEN, **options}
    with pytest.raises(ConfigurationError, match=match):
        await add(customer_id, **arguments)
    assert httpx_mock.get_requests() == []


# --- what Gladly answers ------------------------------------------------------------------------------


async def test_409_with_an_item_id_counts_as_done(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    item_id = gladly.activity_id("cancel", "sub-1", "req-7")
    httpx_mock.add_response(
        method="POST",
        url=items_url("c1"),
        status_code=409,
        json={"errors": [{"attr": "id", "code": "taken", "detail": "id already used"}]},
    )
    result = await add("c1", title="t", body="b", occurred_at=WHEN, item_id=item_id)
    assert result.duplicate is True
    assert result.item_id == item_id
    assert result.status_code == 409
    assert body_of(httpx_mock.get_requests()[0])["id"] == item_id


async def test_409_without_an_item_id_is_an_error(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=409, json={"errors": []})
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    assert caught.value.status_code == 409


async def test_301_is_followed_once_to_the_merged_customer(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST",
        url=items_url("old"),
        status_code=301,
        headers={"Location": "/api/v1/customers/new%2B1/conversation-items"},
    )
    httpx_mock.add_response(method="POST", url=items_url("new%2B1"), status_code=201, json={"id": "i1"})
    result = await add("old", title="t", body="b", occurred_at=WHEN, item_id="i1")
    assert result.customer_id == "new+1"
    assert result.merged_from == "old"
    first, second = httpx_mock.get_requests()
    assert first.content == second.content
    assert second.headers["Authorization"] == AUTH


async def test_301_with_an_absolute_location_naming_the_customer(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("old"), status_code=301, headers={"Location": f"{HOST}/api/v1/customers/n2"}
    )
    httpx_mock.add_response(method="POST", url=items_url("n2"), status_code=201)
    result = await add("old", title="t", body="b", occurred_at=WHEN)
    assert (result.customer_id, result.merged_from) == ("n2", "old")
    assert sleeps == []


async def test_a_second_301_is_an_error(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("a"), status_code=301, headers={"Location": "/api/v1/customers/b"}
    )
    httpx_mock.add_response(
        method="POST", url=items_url("b"), status_code=301, headers={"Location": "/api/v1/customers/c"}
    )
    with pytest.raises(gladly.GladlyAPIError, match="second redirect") as caught:
        await add("a", title="t", body="b", occurred_at=WHEN)
    assert caught.value.status_code == 301
    assert len(httpx_mock.get_requests()) == 2


async def test_301_without_a_usable_location_is_an_error(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=items_url("a"), status_code=301, headers={"Location": "/login"})
    with pytest.raises(gladly.GladlyAPIError, match="no customer id"):
        await add("a", title="t", body="b", occurred_at=WHEN)


async def test_429_then_201_waits_for_retry_after(add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=429, headers={"Retry-After": "2"})
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201)
    result = await add("c1", title="t", body="b", occurred_at=WHEN)
    assert result.status_code == 201
    assert sleeps == [2.0]
    first, second = httpx_mock.get_requests()
    assert first.content == second.content


async def test_429_without_retry_after_backs_off_with_jitter(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=429)
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=429)
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201)
    await add("c1", title="t", body="b", occurred_at=WHEN)
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5
    assert 0 <= sleeps[1] <= 1.0


async def test_429_retries_are_bounded(
    make: Callable[..., AddActivity], httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    add = make(max_retries=1)
    httpx_mock.add_response(
        method="POST", url=items_url("c1"), status_code=429, headers={"Retry-After": "1"}, is_reusable=True
    )
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    assert caught.value.status_code == 429
    assert caught.value.retry_after == 1.0
    assert sleeps == [1.0]
    assert len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize("retry_after", ["120", "86400", "1e308", "9e999", "nan"])
@pytest.mark.parametrize("status", [429, 503])
async def test_a_long_retry_after_is_not_waited_for(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float], status: int, retry_after: str
) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("c1"), status_code=status, headers={"Retry-After": retry_after}, is_reusable=True
    )
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN, item_id="i1")
    assert caught.value.status_code == status
    # Every wait is bounded, and so is the hint the error gives (a caller may sleep on it).
    assert all(0 <= seconds <= 30 for seconds in sleeps)
    if caught.value.retry_after is not None:
        assert 0 <= caught.value.retry_after <= 60


@pytest.mark.parametrize("status", [429, 503])
async def test_a_short_retry_after_is_waited_for_on_a_rate_limit_and_a_server_error(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float], status: int
) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=status, headers={"Retry-After": "7"})
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201)
    result = await add("c1", title="t", body="b", occurred_at=WHEN, item_id="i1")
    assert result.status_code == 201
    assert sleeps == [7.0]


async def test_400_carries_gladly_errors(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    errors = [
        {"attr": "content.title", "code": "blank", "detail": "title is required"},
        {"code": "invalid"},
        "not an object",
    ]
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=400, json={"errors": errors})
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    error = caught.value
    assert isinstance(error, OrdergrooveError)
    assert error.status_code == 400
    assert error.errors == [
        gladly.GladlyErrorItem(attr="content.title", code="blank", detail="title is required"),
        gladly.GladlyErrorItem(code="invalid"),
    ]
    assert error.method == "POST"
    assert error.url == items_url("c1")
    assert str(error) == (
        f"Gladly answered 400 Bad Request to POST {items_url('c1')}: content.title: blank (title is required); invalid"
    )


async def test_an_error_with_an_html_body(add: AddActivity, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("c1"), status_code=401, text="<html>\n<b>Unauthorized</b></html>"
    )
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    assert caught.value.errors == []
    assert "<b>Unauthorized</b>" in str(caught.value)
    assert "check the Gladly user and API token" in str(caught.value)


NESTED = b"[" * 100_000


@pytest.mark.parametrize("status", [400, 503])
async def test_a_deeply_nested_error_body_is_a_typed_error(
    add: AddActivity, httpx_mock: HTTPXMock, status: int
) -> None:
    httpx_mock.add_response(
        method="POST",
        url=items_url("c1"),
        status_code=status,
        content=NESTED,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    assert caught.value.status_code == status
    assert caught.value.errors == []


async def test_a_deeply_nested_success_body_is_a_result_without_the_item(
    add: AddActivity, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        method="POST",
        url=items_url("c1"),
        status_code=201,
        content=NESTED,
        headers={"Content-Type": "application/json"},
    )
    result = await add("c1", title="t", body="b", occurred_at=WHEN, item_id="i1")
    assert (result.status_code, result.item_id, result.item) == (201, "i1", None)


@pytest.mark.parametrize(
    "content",
    [
        b"<html>" + b"<p>Gateway error</p>\n" * 1_100_000 + b"</html>",  # 23 MB of an HTML page
        b'{"errors": [{"detail": "' + b"x " * 10_000_000 + b'"}]}',  # 20 MB of JSON
    ],
    ids=["html", "json"],
)
def test_a_huge_error_body_is_summarised_without_reading_it_all(content: bytes) -> None:
    import tracemalloc

    response = httpx.Response(502, content=content, request=httpx.Request("POST", items_url("c1")))
    plan = gladly.GladlyClient(HOST, USER, TOKEN, max_retries=0)._plan(
        "c1", title="t", body="b", occurred_at=WHEN, link=None, item_id=None, activity_type="EMAIL", source_name="x"
    )
    tracemalloc.start()
    try:
        step = plan.on_response(response)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # a fraction of the 20 MB body, which is never decoded, parsed or split whole
    assert isinstance(step, _timeline.Fail)
    error = step.error
    assert isinstance(error, gladly.GladlyAPIError)
    assert len(str(error)) < 400 and len(error.body) < 2100


async def test_server_error_is_retried_only_with_an_item_id(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=503)
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=409)
    result = await add("c1", title="t", body="b", occurred_at=WHEN, item_id="once")
    assert result.duplicate is True  # the first attempt had written it after all
    assert len(sleeps) == 1

    httpx_mock.add_response(method="POST", url=items_url("c2"), status_code=503)
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await add("c2", title="t", body="b", occurred_at=WHEN)
    assert caught.value.status_code == 503
    assert len(httpx_mock.get_requests(url=items_url("c2"))) == 1


async def test_a_connection_that_never_opened_is_retried(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=items_url("c1"))
    httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=201)
    result = await add("c1", title="t", body="b", occurred_at=WHEN)
    assert result.status_code == 201
    assert len(sleeps) == 1


async def test_a_timeout_after_sending_is_not_repeated_without_an_item_id(
    add: AddActivity, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=items_url("c1"))
    with pytest.raises(APITimeoutError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN)
    assert caught.value.request_sent is True
    assert "may have written" in str(caught.value)
    assert len(httpx_mock.get_requests()) == 1


async def test_a_dropped_connection_is_repeated_with_an_item_id(
    add: AddActivity, httpx_mock: HTTPXMock, sleeps: list[float]
) -> None:
    httpx_mock.add_exception(httpx.ReadError("reset"), url=items_url("c1"))
    httpx_mock.add_exception(httpx.RemoteProtocolError("eof"), url=items_url("c1"))
    httpx_mock.add_exception(httpx.ReadError("reset"), url=items_url("c1"))
    with pytest.raises(APIConnectionError) as caught:
        await add("c1", title="t", body="b", occurred_at=WHEN, item_id="i")
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.request_sent is True
    assert len(httpx_mock.get_requests()) == 3
    assert len(sleeps) == 2


# --- secrets ---------------------------------------------------------------------------------------------


async def test_the_token_never_shows(
    make: Callable[..., AddActivity], httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    add = make(max_retries=0)
    httpx_mock.add_response(
        method="POST", url=items_url("old"), status_code=301, headers={"Location": "/api/v1/customers/c1"}
    )
    httpx_mock.add_response(
        method="POST", url=items_url("c1"), status_code=403, json={"errors": [{"code": "forbidden"}]}
    )
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=items_url("c2"))
    with pytest.raises(gladly.GladlyAPIError) as status_error:
        await add("old", title="t", body="b", occurred_at=WHEN)
    with pytest.raises(APIConnectionError) as connection_error:
        await add("c2", title="t", body="b", occurred_at=WHEN)
    # The token was really sent ...
    assert all(r.headers["Authorization"] == AUTH for r in httpx_mock.get_requests())
    # ... and shows nowhere else.
    encoded = AUTH.removeprefix("Basic ")
    client = gladly.GladlyClient(HOST, USER, TOKEN)
    async_client = gladly.AsyncGladlyClient(HOST, USER, TOKEN)
    texts = [
        repr(client),
        str(client),
        repr(async_client),
        str(status_error.value),
        repr(status_error.value),
        str(connection_error.value),
        repr(connection_error.value),
        status_error.value.body,
        caplog.text,
    ]
    client.close()
    await async_client.aclose()
    assert caplog.text  # something was logged
    for text in texts:
        assert TOKEN not in text
        assert encoded not in text
    assert repr(client) == "GladlyClient(host='https://acme.gladly.com', user='agent@acme.com')"


@pytest.mark.parametrize("kind", ["json", "text"])
async def test_an_error_body_repeating_the_credentials_shows_them_masked(
    make: Callable[..., AddActivity], httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    # A server or a proxy before it that repeats what it was sent ("Invalid token tok-...", the Authorization
    # header quoted back): the error shows the token and the Basic credentials masked, as an Ordergroove error
    # shows its API key.
    caplog.set_level(logging.DEBUG)
    encoded = AUTH.removeprefix("Basic ")
    said = f"Invalid token {TOKEN} for {USER}:{TOKEN} (Authorization: {AUTH})"
    if kind == "json":
        httpx_mock.add_response(
            method="POST",
            url=items_url("c1"),
            status_code=401,
            json={"errors": [{"attr": TOKEN, "code": "unauthorized", "detail": said}]},
        )
    else:
        httpx_mock.add_response(method="POST", url=items_url("c1"), status_code=401, text=said)
    with pytest.raises(gladly.GladlyAPIError) as caught:
        await make(max_retries=0)("c1", title="t", body="b", occurred_at=WHEN)
    error = caught.value
    texts = [str(error), repr(error), error.body or "", repr(error.errors), caplog.text]
    for text in texts:
        assert TOKEN not in text
        assert encoded not in text
    assert "Invalid token ***" in str(error)  # what the server said is still shown
    assert USER in str(error)  # the user is no secret
    if kind == "json":
        assert error.errors[0].code == "unauthorized" and error.errors[0].attr == "***"


# --- the client itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "token"),
    [(USER, "tok-SECRET\ud800"), ("agent-SECRET\udc80@acme.com", TOKEN)],
)
@pytest.mark.parametrize("client_class", [gladly.GladlyClient, gladly.AsyncGladlyClient])
def test_credentials_without_a_utf8_form_are_refused_without_showing_them(
    client_class: type[gladly.GladlyClient] | type[gladly.AsyncGladlyClient], user: str, token: str
) -> None:
    with pytest.raises(ConfigurationError, match=r"user|api_token") as caught:
        client_class(HOST, user, token)
    error = caught.value
    assert error.__cause__ is None and error.__context__ is None
    for text in (str(error), repr(error), repr(error.args)):
        assert "SECRET" not in text


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"timeout": 0},
        {"timeout": "10"},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"max_retries": -1},
    ],
)
def test_numeric_options_are_checked(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match=r"timeout|max_retries"):
        gladly.GladlyClient(HOST, USER, TOKEN, **options)


@pytest.mark.parametrize(
    ("customer_id", "options", "match"),
    [
        ("c\ud800", {}, "customer_id"),
        ("c1", {"title": "t\ud800"}, "title"),
        ("c1", {"body": "b\udfff"}, "body"),
        ("c1", {"link": {"url": "https://og.example", "text": "\ud800"}}, "link"),
        ("c1", {"link": {"url": "https://og.example/\ud800"}}, "link"),
    ],
)
async def test_text_without_a_utf8_form_fails_before_sending(
    add: AddActivity, httpx_mock: HTTPXMock, customer_id: str, options: dict[str, Any], match: str
) -> None:
    arguments: dict[str, Any] = {"title": "t", "body": "b", "occurred_at": WHEN, **options}
    with pytest.raises(ConfigurationError, match=match):
        await add(customer_id, **arguments)
    assert httpx_mock.get_requests() == []


def test_host_is_checked_and_normalised() -> None:
    with gladly.GladlyClient("https://acme.gladly.com/", USER, TOKEN) as client:
        assert client.host == HOST
    bad_hosts = ["acme.gladly.com", "ftp://acme.gladly.com", "https://u:p@acme.gladly.com", "", "https://x?a=1"]
    for bad in [*bad_hosts, "https://acme.gladly.com/\ud800"]:
        with pytest.raises(ConfigurationError):
            gladly.GladlyClient(bad, USER, TOKEN)
    with pytest.raises(ConfigurationError):
        gladly.GladlyClient(HOST, USER, "")
    with pytest.raises(ConfigurationError):
        gladly.GladlyClient(HOST, USER, TOKEN, max_retries=-1)


def test_a_given_http_client_is_used_not_closed_and_cannot_override(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("a"), status_code=301, headers={"Location": "/api/v1/customers/b"}
    )
    httpx_mock.add_response(method="POST", url=items_url("b"), status_code=201)
    with httpx.Client(auth=("someone", "else"), follow_redirects=True) as http:
        with gladly.GladlyClient(HOST, USER, TOKEN, http_client=http, timeout=3.0) as client:
            result = client.add_activity("a", title="t", body="b", occurred_at=WHEN)
        assert not http.is_closed
    assert result.customer_id == "b"
    requests = httpx_mock.get_requests()
    assert [r.method for r in requests] == ["POST", "POST"]  # httpx would have turned the 301 into a GET
    assert all(r.headers["Authorization"] == AUTH for r in requests)
    assert requests[0].extensions["timeout"] == httpx.Timeout(3.0).as_dict()


async def test_a_given_async_http_client_is_used_not_closed_and_cannot_override(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="POST", url=items_url("a"), status_code=301, headers={"Location": "/api/v1/customers/b"}
    )
    httpx_mock.add_response(method="POST", url=items_url("b"), status_code=201)
    async with httpx.AsyncClient(auth=("someone", "else"), follow_redirects=True) as http:
        async with gladly.AsyncGladlyClient(HOST, USER, TOKEN, http_client=http, timeout=3.0) as client:
            result = await client.add_activity("a", title="t", body="b", occurred_at=WHEN)
        assert not http.is_closed
    assert result.customer_id == "b"
    requests = httpx_mock.get_requests()
    assert [r.method for r in requests] == ["POST", "POST"]
    assert all(r.headers["Authorization"] == AUTH for r in requests)
    assert requests[0].extensions["timeout"] == httpx.Timeout(3.0).as_dict()


# --- activity_id -----------------------------------------------------------------------------------------


def test_activity_id_is_stable_url_safe_and_short() -> None:
    first = gladly.activity_id("cancel", "sub-1", 7)
    assert first == gladly.activity_id("cancel", "sub-1", "7")
    assert len(first) < 50
    assert _timeline._ITEM_ID_RE.fullmatch(first)
    assert first != gladly.activity_id("cancel", "sub-2", 7)
    assert gladly.activity_id("a,b") != gladly.activity_id("a", "b")
    assert gladly.activity_id("x" * 10_000).startswith("og-")
    with pytest.raises(ConfigurationError):
        gladly.activity_id()
