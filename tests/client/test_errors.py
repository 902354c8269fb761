"""Error mapping: every status and body shape, bodies that do not decode, bodies cut short."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest
from conftest import API_KEY, Api, url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payloads import order_payload, page, subscription_payload
from pytest_httpx import HTTPXMock, IteratorStream

import ordergroove as og
from ordergroove._call import Call, Decoding, RequestOptions
from ordergroove._calls._base import action_call, list_call, retrieve_call
from ordergroove._exceptions import _truncate, body_text, masked
from ordergroove._status import parse_error_body

Fn = Callable[[Any], Any]

HTML_502 = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
)

# (id, status, response kwargs, class, detail, field_errors, words the str must contain)
CASES: list[tuple[str, int, dict[str, Any], type[og.APIStatusError], str | None, dict[str, list[str]], list[str]]] = [
    (
        "400 detail",
        400,
        {"json": {"detail": "This subscription is not in a state which it can edited"}},
        og.BadRequestError,
        "This subscription is not in a state which it can edited",
        {},
        ["400 Bad Request", "This subscription is not in a state which it can edited"],
    ),
    (
        "400 field list",
        400,
        {"json": {"subscription": ["This subscription is already in active state"]}},
        og.BadRequestError,
        None,
        {"subscription": ["This subscription is already in active state"]},
        ["subscription: This subscription is already in active state"],
    ),
    (
        "400 field string",
        400,
        {"json": {"quantity": "Ensure this value is greater than or equal to 1."}},
        og.BadRequestError,
        None,
        {"quantity": ["Ensure this value is greater than or equal to 1."]},
        ["quantity: Ensure this value is greater than or equal to 1."],
    ),
    (
        "400 several fields",
        400,
        {"json": {"every": ["A valid integer is required."], "start_date": ["Date has wrong format.", "In the past."]}},
        og.BadRequestError,
        None,
        {"every": ["A valid integer is required."], "start_date": ["Date has wrong format.", "In the past."]},
        ["every: A valid integer is required.", "start_date: Date has wrong format., In the past."],
    ),
    (
        "400 nested",
        400,
        {
            "json": {
                "components": [{"quantity": ["A valid integer is required."]}, {}],
                "shipping": {"zip_postal_code": ["Required."]},
                "non_field_errors": ["Invalid data."],
            }
        },
        og.BadRequestError,
        None,
        {
            "components.0.quantity": ["A valid integer is required."],
            "shipping.zip_postal_code": ["Required."],
            "non_field_errors": ["Invalid data."],
        },
        ["components.0.quantity: A valid integer is required.", "non_field_errors: Invalid data."],
    ),
    (
        "400 detail list",
        400,
        {"json": {"detail": ["Invalid cursor", "Try again"]}},
        og.BadRequestError,
        "Invalid cursor; Try again",
        {},
        ["Invalid cursor; Try again"],
    ),
    ("400 bare list", 400, {"json": ["Invalid page."]}, og.BadRequestError, "Invalid page.", {}, ["Invalid page."]),
    ("400 bare string", 400, {"json": "Bad input"}, og.BadRequestError, "Bad input", {}, ["Bad input"]),
    (
        "400 error key",
        400,
        {"json": {"error": "Invalid merchant"}},
        og.BadRequestError,
        "Invalid merchant",
        {},
        ["Invalid merchant"],
    ),
    (
        "401",
        401,
        {"json": {"detail": "Authentication Failed"}},
        og.AuthenticationError,
        "Authentication Failed",
        {},
        ["401 Unauthorized", "Authentication Failed"],
    ),
    (
        "403",
        403,
        {"json": {"detail": "Authentication Failed"}},
        og.PermissionDeniedError,
        "Authentication Failed",
        {},
        ["403 Forbidden", "Authentication Failed"],
    ),
    (
        "404",
        404,
        {"json": {"detail": "Unable to find requested asset."}},
        og.NotFoundError,
        "Unable to find requested asset.",
        {},
        ["404 Not Found", "Unable to find requested asset."],
    ),
    (
        "423 details",
        423,
        {"json": {"details": "Resource is currently in use. Please try again shortly."}},
        og.ResourceLockedError,
        "Resource is currently in use. Please try again shortly.",
        {},
        ["423 Locked", "Resource is currently in use. Please try again shortly."],
    ),
    (
        "429",
        429,
        {"json": {"detail": "Request was throttled."}},
        og.RateLimitError,
        "Request was throttled.",
        {},
        ["429 Too Many Requests", "Request was throttled."],
    ),
    (
        "500 text",
        500,
        {"text": "Internal Server Error"},
        og.ServerError,
        None,
        {},
        ["500 Internal Server Error", "Internal Server Error"],
    ),
    ("502 html", 502, {"html": HTML_502}, og.ServerError, None, {}, ["502 Bad Gateway", "(an HTML error page)"]),
    ("503 empty", 503, {"content": b""}, og.ServerError, None, {}, ["503 Service Unavailable", "(empty body)"]),
    (
        "504 non-JSON",
        504,
        {"text": "upstream request timeout"},
        og.ServerError,
        None,
        {},
        ["504 Gateway Timeout", "upstream request timeout"],
    ),
    (
        "500 truncated JSON",
        500,
        {"content": b'{"detail": "Server exp'},
        og.ServerError,
        None,
        {},
        ['{"detail": "Server exp'],
    ),
    ("409 other status", 409, {"json": {"detail": "Conflict"}}, og.APIStatusError, "Conflict", {}, ["409 Conflict"]),
    ("418 other status", 418, {"content": b""}, og.APIStatusError, None, {}, ["418", "(empty body)"]),
    (
        "302 redirect",
        302,
        {"headers": {"Location": "https://login.example.com/"}, "content": b""},
        og.APIStatusError,
        None,
        {},
        ["302 Found"],
    ),
]

# (id, call, method, path)
ENDPOINTS: list[tuple[str, Fn, str, str]] = [
    ("retrieve", lambda c: c.subscriptions.retrieve("s1", max_retries=0), "GET", "/subscriptions/s1/"),
    ("cancel", lambda c: c.subscriptions.cancel("s1", max_retries=0), "PATCH", "/subscriptions/s1/cancel/"),
    (
        "set_contact_details",
        lambda c: c.customers.set_contact_details("c1", email="a@b.co", phone_number="1", max_retries=0),
        "PATCH",
        "/customers/c1/set_contact_details",
    ),
]


@pytest.mark.parametrize(("endpoint", "call", "method", "path"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize(
    ("case", "status", "response", "cls", "detail", "fields", "words"), CASES, ids=[c[0] for c in CASES]
)
async def test_status_errors(
    api: Api,
    httpx_mock: HTTPXMock,
    endpoint: str,
    call: Fn,
    method: str,
    path: str,
    case: str,
    status: int,
    response: dict[str, Any],
    cls: type[og.APIStatusError],
    detail: str | None,
    fields: dict[str, list[str]],
    words: list[str],
) -> None:
    httpx_mock.add_response(status_code=status, **response)
    with pytest.raises(og.APIStatusError) as caught:
        await api.run(call)
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, og.OrdergrooveError)
    assert error.status_code == status
    assert error.method == method
    assert error.url == url(path)
    assert error.detail == detail
    assert error.field_errors == fields
    assert error.body == _body_text(response)
    text = str(error)
    assert text.startswith(f"{status} ")
    assert f"from {method} {path}:" in text
    for word in words:
        assert word in text
    assert API_KEY not in text + repr(error)
    assert len(httpx_mock.get_requests()) == 1


def _body_text(response: dict[str, Any]) -> str:
    if "json" in response:
        return httpx.Response(200, json=response["json"]).text
    if "html" in response:
        return str(response["html"])
    if "text" in response:
        return str(response["text"])
    return bytes(response.get("content", b"")).decode()


async def test_long_html_body_is_kept_truncated(api: Api, httpx_mock: HTTPXMock) -> None:
    html = "<html>" + "x" * 5000 + "</html>"
    httpx_mock.add_response(status_code=502, html=html)
    with pytest.raises(og.ServerError) as caught:
        await api.run(lambda c: c.orders.retrieve("o1", max_retries=0))
    assert caught.value.body.startswith("<html>xxx")
    assert caught.value.body.endswith(f"... [{len(html) - 2000} more characters]")
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(("header", "seconds"), [("7", 7.0), ("0.5", 0.5), ("600", 60.0), ("soon", None)])
async def test_rate_limit_error_carries_retry_after(
    api: Api, httpx_mock: HTTPXMock, header: str, seconds: float | None
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": header}, json={"detail": "Request was throttled."})
    with pytest.raises(og.RateLimitError) as caught:
        await api.run(lambda c: c.orders.retrieve("o1", max_retries=0))
    assert caught.value.retry_after == seconds


# -- successes that do not decode ----------------------------------------------------------------------------

NOT_JSON: list[tuple[str, dict[str, Any], str]] = [
    ("text", {"text": "OK"}, "OK"),
    ("html", {"html": "<html><body>Maintenance</body></html>"}, "(an HTML error page)"),
    ("empty", {"content": b""}, "(empty body)"),
    ("truncated JSON", {"content": b'{"public_id": "s1", '}, '{"public_id": "s1",'),
    ("not UTF-8", {"content": b"\xff\xfe{}"}, "{}"),
]


@pytest.mark.parametrize(("case", "response", "summary"), NOT_JSON, ids=[n[0] for n in NOT_JSON])
async def test_success_that_is_not_json(
    api: Api, httpx_mock: HTTPXMock, case: str, response: dict[str, Any], summary: str
) -> None:
    httpx_mock.add_response(status_code=200, **response)
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.run(lambda c: c.subscriptions.retrieve("s1"))
    error = caught.value
    assert error.status_code == 200
    assert error.method == "GET" and error.url == url("/subscriptions/s1/")
    assert "200 from GET /subscriptions/s1/ is not JSON" in str(error)
    assert summary in str(error)
    assert error.body is not None
    assert len(httpx_mock.get_requests()) == 1  # a complete answer: nothing to retry


# Bodies that are refused whatever the client's ``strict``: not the shape of a record or a page at all.
WRONG_SHAPES: list[tuple[str, Fn, Any, list[str]]] = [
    ("array for a model", lambda c: c.subscriptions.retrieve("s1"), [], ["Subscription"]),
    ("null for a model", lambda c: c.subscriptions.retrieve("s1"), None, ["Subscription"]),
    (
        "missing required field",
        lambda c: c.subscriptions.retrieve("s1"),
        {k: v for k, v in subscription_payload().items() if k != "customer"},
        ["Subscription", "customer", "required field missing"],
    ),
    ("page not an object", lambda c: c.orders.list().to_list(), [order_payload()], ["page", "results"]),
    ("page without results", lambda c: c.orders.list().to_list(), {"next": None}, ["page", "results"]),
    ("results not a list", lambda c: c.orders.list().to_list(), {"results": {"a": 1}}, ["list of Order"]),
    ("next not a string", lambda c: c.orders.list().to_list(), {"next": 3, "results": []}, ["next"]),
    (
        "record not an object",
        lambda c: c.orders.list().to_list(),
        page([order_payload(), 7]),
        ["record 2 of 2", "Order", "expected a JSON object"],
    ),
]

# Records holding a value of no documented form: decoded by default (the attribute None, the value in
# ``unparsed``), refused by a strict client, naming the record and the field.
# (id, call, body, {wire field: value} set aside in the record at ``place``, place, words of the strict error)
OFF_SPEC: list[tuple[str, Fn, Any, dict[str, Any], int, list[str]]] = [
    (
        "wrong type bool",
        lambda c: c.subscriptions.retrieve("s1"),
        subscription_payload(live="yes"),
        {"live": "yes"},
        0,
        ["Subscription payload does not decode: live: expected true or false, got 'yes'"],
    ),
    (
        "wrong type nested",
        lambda c: c.subscriptions.retrieve("s1"),
        subscription_payload(components=[{"quantity": "two"}]),
        {"quantity": "two"},  # kept by the component: a nested model sets aside in its own unparsed
        0,
        ["Subscription", "components[0].quantity"],
    ),
    (
        "bad money",
        lambda c: c.orders.retrieve("o1"),
        order_payload(total="twelve"),
        {"total": "twelve"},
        0,
        ["Order", "total"],
    ),
    (
        "bad datetime",
        lambda c: c.orders.retrieve("o1"),
        order_payload(place="next tuesday"),
        {"place": "next tuesday"},
        0,
        ["Order", "place"],
    ),
    (
        "impossible date",
        lambda c: c.orders.retrieve("o1"),
        order_payload(created="2017-02-29 12:00:00"),
        {"created": "2017-02-29 12:00:00"},
        0,
        ["Order", "created"],
    ),
    (
        "bad record in a page",
        lambda c: c.orders.list().to_list(),
        page([order_payload(), order_payload(status="sent")]),
        {"status": "sent"},
        1,
        ["record 2 of 2: Order payload does not decode: status"],
    ),
    (
        "undefined total in a page",
        lambda c: c.orders.list().to_list(),
        page([order_payload(total="undefined"), order_payload()]),
        {"total": "undefined"},
        0,
        ["record 1 of 2: Order payload does not decode: total: expected a decimal amount, got 'undefined'"],
    ),
]


def _check_decode_error(error: og.ResponseDecodeError, text: str, words: list[str]) -> None:
    for word in words:
        assert word in str(error)
    assert "(in the answer to GET /" in str(error)
    assert error.status_code == 200 and error.method == "GET"
    assert error.body == text


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(("case", "call", "body", "words"), WRONG_SHAPES, ids=[w[0] for w in WRONG_SHAPES])
async def test_success_of_the_wrong_shape(
    api: Api, httpx_mock: HTTPXMock, case: str, call: Fn, body: Any, words: list[str], strict: bool
) -> None:
    text = json.dumps(body)
    httpx_mock.add_response(status_code=200, content=text.encode(), headers={"Content-Type": "application/json"})
    client = api.make(strict=True) if strict else api.client
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.run(call, client)
    _check_decode_error(caught.value, text, words)
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize(("case", "call", "body", "unparsed", "place", "words"), OFF_SPEC, ids=[w[0] for w in OFF_SPEC])
async def test_a_value_of_no_documented_form_costs_only_its_attribute(
    api: Api,
    httpx_mock: HTTPXMock,
    case: str,
    call: Fn,
    body: Any,
    unparsed: dict[str, Any],
    place: int,
    words: list[str],
) -> None:
    text = json.dumps(body)
    httpx_mock.add_response(status_code=200, content=text.encode(), headers={"Content-Type": "application/json"})
    assert api.client.strict is False
    result = await api.run(call)
    records = result if isinstance(result, list) else [result]
    sent = body["results"] if isinstance(body, dict) and "results" in body else [body]
    assert len(records) == len(sent)  # the page is kept, every record of it
    assert [og.to_dict(record) for record in records] == sent  # exactly what arrived
    record = records[place]
    holder = record.components[0] if case == "wrong type nested" else record
    assert holder.unparsed == unparsed
    for field in unparsed:
        assert getattr(holder, field) is None
    assert all(not other.unparsed for index, other in enumerate(records) if index != place)


@pytest.mark.parametrize(("case", "call", "body", "unparsed", "place", "words"), OFF_SPEC, ids=[w[0] for w in OFF_SPEC])
async def test_a_strict_client_refuses_a_value_of_no_documented_form(
    api: Api,
    httpx_mock: HTTPXMock,
    case: str,
    call: Fn,
    body: Any,
    unparsed: dict[str, Any],
    place: int,
    words: list[str],
) -> None:
    text = json.dumps(body)
    httpx_mock.add_response(status_code=200, content=text.encode(), headers={"Content-Type": "application/json"})
    httpx_mock.add_response(status_code=200, content=text.encode(), headers={"Content-Type": "application/json"})
    strict = api.make(strict=True)
    assert strict.strict is True
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.run(call, strict)
    _check_decode_error(caught.value, text, words)
    # A lenient client's strict copy (with_options) refuses it too, sharing the pool.
    with pytest.raises(og.ResponseDecodeError) as again:
        await api.run(call, api.client.with_options(strict=True))
    assert str(again.value) == str(caught.value)
    assert len(httpx_mock.get_requests()) == 2  # refused, never retried


async def test_created_201_decodes(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=201, json=subscription_payload(public_id="s1"))
    assert (await api.run(lambda c: c.subscriptions.retrieve("s1"))).public_id == "s1"


# -- bodies cut short ----------------------------------------------------------------------------------------


def add_truncated(httpx_mock: HTTPXMock, **matchers: Any) -> None:
    """A response announcing 500 bytes and delivering 19: the connection dropped mid-body."""
    httpx_mock.add_response(
        status_code=200,
        headers={"Content-Length": "500", "Content-Type": "application/json"},
        stream=IteratorStream([b'{"public_id": "s1",']),
        **matchers,
    )


async def test_truncated_read_is_retried(api: Api, httpx_mock: HTTPXMock) -> None:
    add_truncated(httpx_mock)
    httpx_mock.add_response(json=subscription_payload(public_id="s1"))
    subscription = await api.run(lambda c: c.subscriptions.retrieve("s1"))
    assert subscription.public_id == "s1"
    assert len(httpx_mock.get_requests()) == 2


async def test_truncated_read_gives_up_as_connection_error(api: Api, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        add_truncated(httpx_mock)
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(lambda c: c.subscriptions.retrieve("s1"))
    assert type(caught.value) is og.APIConnectionError
    assert caught.value.request_sent is True
    assert caught.value.method == "GET" and caught.value.url == url("/subscriptions/s1/")
    assert "GET /subscriptions/s1/" in str(caught.value)
    assert len(httpx_mock.get_requests()) == 3  # max_retries=2


async def test_truncated_action_is_not_repeated(api: Api, httpx_mock: HTTPXMock) -> None:
    add_truncated(httpx_mock, method="PATCH")
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(lambda c: c.subscriptions.cancel("s1"))
    assert caught.value.request_sent is True
    assert "may have acted" in str(caught.value)
    assert len(httpx_mock.get_requests()) == 1


async def test_truncated_retry_safe_action_is_repeated_like_a_read(api: Api, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        add_truncated(httpx_mock, method="PATCH")
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(lambda c: c.subscriptions.change_quantity("s1", 3))
    assert caught.value.request_sent is True
    assert len(httpx_mock.get_requests()) == 3  # max_retries=2


class ScriptedServer:
    """A plain HTTP/1.1 server on 127.0.0.1 answering each connection with the next scripted raw response."""

    def __init__(self, responses: list[bytes]) -> None:
        self.responses = list(responses)
        self.requests: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.responses:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests.append(head.split(b"\r\n")[0])
                conn.sendall(self.responses.pop(0))

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept() when a scripted response was (rightly) never asked for.
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=5)


CUT_SHORT = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"public_id": "s1",'
COMPLETE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
    + f"Content-Length: {len(json.dumps(subscription_payload(public_id='s1')))}\r\n\r\n".encode()
    + json.dumps(subscription_payload(public_id="s1")).encode()
)


@pytest.fixture
def server_factory() -> Iterator[Callable[[list[bytes]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def make(responses: list[bytes]) -> ScriptedServer:
        server = ScriptedServer(responses)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


async def test_dropped_connection_mid_body_is_retried_for_a_read(
    api: Api, server_factory: Callable[[list[bytes]], ScriptedServer]
) -> None:
    server = server_factory([CUT_SHORT, COMPLETE])
    client = api.make(base_url=server.base_url)
    subscription = await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    assert subscription.public_id == "s1"
    assert server.requests == [b"GET /subscriptions/s1/ HTTP/1.1"] * 2


async def test_dropped_connection_mid_body_is_not_repeated_for_an_action(
    api: Api, server_factory: Callable[[list[bytes]], ScriptedServer]
) -> None:
    server = server_factory([CUT_SHORT, COMPLETE])
    client = api.make(base_url=server.base_url)
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(lambda c: c.subscriptions.cancel("s1"), client)
    assert caught.value.request_sent is True
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert server.requests == [b"PATCH /subscriptions/s1/cancel/ HTTP/1.1"]


async def test_connection_refused_is_a_connection_error(api: Api) -> None:
    # A port that was just free: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = api.make(base_url=f"http://127.0.0.1:{port}", max_retries=1)
    with pytest.raises(og.APIConnectionError) as caught:
        await api.run(lambda c: c.subscriptions.cancel("s1"), client)
    assert type(caught.value) is og.APIConnectionError
    assert caught.value.request_sent is False
    assert "may have acted" not in str(caught.value)


# -- large bodies ---------------------------------------------------------------------------------------------

MIB = 1024 * 1024
LARGE_BODIES: list[tuple[str, int, bytes, type[og.OrdergrooveError]]] = [
    (
        "text error page",
        503,
        b"Service temporarily unavailable, please try again later.\n" * (20 * MIB // 57),
        og.ServerError,
    ),
    ("non-ASCII text", 500, "Erreur interne du serveur, réessayez. ".encode() * (20 * MIB // 39), og.ServerError),
    ("one long word", 502, b"x" * (20 * MIB), og.ServerError),
    ("mostly spaces", 400, b" " * (20 * MIB) + b"bad request", og.BadRequestError),
    ("JSON detail", 400, b'{"detail": "' + b"y" * (20 * MIB) + b'"}', og.BadRequestError),
    ("success not JSON", 200, b"OK " * (7 * MIB), og.ResponseDecodeError),
]


@pytest.mark.parametrize(("case", "status", "body", "cls"), LARGE_BODIES, ids=[b[0] for b in LARGE_BODIES])
def test_a_large_body_is_summarised_without_copying_it(
    case: str, status: int, body: bytes, cls: type[og.OrdergrooveError]
) -> None:
    # The client holds the body once; reading an error out of it must not cost a multiple of it again (splitting
    # a 20 MiB page into words to keep 200 characters took over 500 MiB). Sync and async share this mapping.
    exchange = _CORE.exchange(CALLS[0], RequestOptions(timeout=1.0, max_retries=0))
    response = httpx.Response(status, content=body, request=exchange.request())
    tracemalloc.start()
    try:
        with pytest.raises(cls) as caught:
            exchange.on_response(response)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB
    error = caught.value
    assert len(str(error)) < 700
    kept = getattr(error, "body", "")
    assert kept.endswith(" more characters]") and len(kept) < 2100
    assert kept[:40] == body.decode("utf-8", errors="replace")[:40]


@settings(max_examples=200, deadline=None)
@given(
    content=st.one_of(
        st.binary(max_size=12_000),
        st.text(max_size=4_000).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
        st.tuples(st.text(max_size=3_000), st.binary(max_size=40)).map(
            lambda p: p[0].encode("utf-8", "replace") + p[1]
        ),
    )
)
def test_a_kept_body_is_the_decoded_body_truncated(content: bytes) -> None:
    # body_text decodes only what it keeps; what it keeps is what decoding everything then cutting would keep.
    assert body_text(content) == _truncate(content.decode("utf-8", errors="replace"))


def test_the_truncation_note_counts_characters_not_bytes() -> None:
    body = "é" * 3000  # 6000 bytes
    exchange = _CORE.exchange(CALLS[0], RequestOptions(timeout=1.0, max_retries=0))
    response = httpx.Response(500, content=body.encode(), request=exchange.request())
    with pytest.raises(og.ServerError) as caught:
        exchange.on_response(response)
    assert caught.value.body == "é" * 2000 + "... [1000 more characters]"
    assert str(caught.value).endswith(": " + "é" * 197 + "...")


# -- never anything but an OrdergrooveError ------------------------------------------------------------------

_client_for_core = og.Ordergroove(api_key=API_KEY)
_CORE = _client_for_core._core
_client_for_core.close()

CALLS: list[Call[Any]] = [
    retrieve_call(og.Subscription, "subscriptions", "subscription_id", "s1"),
    list_call(og.Order, "orders", (("page_size", "100"),)),
    action_call(og.Subscription, "subscriptions", "subscription_id", "s1", "cancel", {}, idempotent=False),
    action_call(og.Subscription, "subscriptions", "subscription_id", "s1", "change_quantity", {}, idempotent=True),
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
bodies = st.one_of(st.binary(max_size=80), json_values.map(lambda v: json.dumps(v).encode()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 423, 429, 500, 502, 503, 504]),
    body=bodies,
    call_index=st.integers(0, len(CALLS) - 1),
    content_type=st.sampled_from(["application/json", "text/html", ""]),
    strict=st.booleans(),
)
def test_any_response_gives_a_result_or_an_ordergroove_error(
    status: int, body: bytes, call_index: int, content_type: str, strict: bool
) -> None:
    core = attrs.evolve(_CORE, decoding=Decoding(strict=strict))
    exchange = core.exchange(CALLS[call_index], RequestOptions(timeout=1.0, max_retries=0))
    request = exchange.request()
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.Response(status, content=body, headers=headers, request=request)
    try:
        exchange.on_response(response)
    except og.OrdergrooveError as error:
        assert API_KEY not in str(error)
        return
    assert 200 <= status < 300  # only a success can give a result


@settings(max_examples=300, deadline=None)
@given(body=bodies)
def test_error_body_parsing_never_raises(body: bytes) -> None:
    detail, fields = parse_error_body(body)
    assert detail is None or isinstance(detail, str)
    assert all(isinstance(k, str) and all(isinstance(m, str) for m in v) for k, v in fields.items())


@pytest.mark.parametrize(
    "answer",
    [
        {"status_code": 401, "json": {"detail": "Invalid API key {key}", "key": ["{key} is revoked"]}},
        {"status_code": 502, "text": "upstream refused x-api-key={key}"},
        {"status_code": 200, "text": "not json: key {key}"},
    ],
    ids=["401 detail and field", "502 text", "200 not JSON"],
)
async def test_an_answer_that_echoes_the_api_key_does_not_put_it_in_the_error(
    api: Api, httpx_mock: HTTPXMock, answer: dict[str, Any]
) -> None:
    # A server (or a proxy before it) that repeats the key it was sent: the error, its message, detail, field
    # errors and body show it masked, as everything else of the library does.
    given = {
        name: value if name == "status_code" else json.loads(json.dumps(value).replace("{key}", API_KEY))
        for name, value in answer.items()
    }
    httpx_mock.add_response(url=url("/customers/c1/"), **given)
    with pytest.raises(og.OrdergrooveError) as caught:
        await api.run(lambda c: c.customers.retrieve("c1", max_retries=0))
    error = caught.value
    for text in (
        str(error),
        repr(error),
        str(getattr(error, "body", "")),
        repr(getattr(error, "detail", None)),
        repr(getattr(error, "field_errors", None)),
    ):
        assert API_KEY not in text and "***" in str(error) + str(getattr(error, "body", ""))


@pytest.mark.parametrize("call", ["query", "order", "orders"])
async def test_a_graphql_error_that_echoes_the_api_key_does_not_put_it_in_the_error(
    api: Api, httpx_mock: HTTPXMock, call: str
) -> None:
    # A 200 answer whose GraphQL errors repeat the key: the message, the errors kept (message and extensions),
    # the detail and the body show it masked, as an error status's do.
    body = {
        "errors": [
            {"message": f"Invalid key {API_KEY}", "extensions": {"code": "FORBIDDEN", "key": API_KEY}},
            f"also {API_KEY}",
        ],
        "data": {"echo": API_KEY},
    }
    httpx_mock.add_response(method="POST", json=body)
    run: dict[str, Callable[[Any], Any]] = {
        "query": lambda c: c.graphql.query("{ orders { edges { node { publicId } } } }"),
        "order": lambda c: c.graphql.order("o1"),
        "orders": lambda c: c.graphql.orders().first_page(),
    }
    with pytest.raises(og.GraphQLError) as caught:
        await api.run(run[call])
    error = caught.value
    shown = [str(error), repr(error), repr(error.args), *(repr(value) for value in vars(error).values())]
    assert all(API_KEY not in text for text in shown), shown
    assert "Invalid key ***" in str(error) and error.status_code == 200
    assert error.errors[0]["extensions"] == {"code": "FORBIDDEN", "key": "***"}
    assert error.__context__ is None and error.__cause__ is None  # nothing holding the key is chained to it


async def test_a_graphql_error_echoing_a_key_whose_masking_breaks_the_json_is_a_typed_error(
    api: Api, httpx_mock: HTTPXMock
) -> None:
    # A key ending in a backslash (printable ASCII, so accepted) whose bytes the body holds as the start of an escape
    # ('...789\"', a quote after the key's characters): masking them leaves the quote escaping nothing, and the
    # body is no JSON any more. A ResponseDecodeError without the key, not the JSON parser's own error.
    key = "sk_live_0123456789\\"
    httpx_mock.add_response(method="POST", json={"errors": [{"message": f'Invalid key {key[:-1]}"'}], "data": None})
    client = api.make(api_key=key)
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.run(lambda c: c.graphql.query("{ orders { edges { node { publicId } } } }"), client)
    error = caught.value
    for text in (str(error), repr(error), *(repr(value) for value in vars(error).values())):
        assert "0123456789" not in text
    assert "***" in (error.body or "")


@pytest.mark.parametrize(
    ("key", "echoed"),
    [
        ("sk+live/01=23456789", "sk%2Blive%2F01%3D23456789"),  # percent-encoded
        ("sk+live/01=23456789", "sk%2blive%2f01%3d23456789"),  # with lower-case hex
        ("sk live 0123456789", "sk+live+0123456789"),  # form-encoded
        ("sk live 0123456789", "sk%20live%200123456789"),
        # Python's quote() and JavaScript's encodeURI keep "/"; encodeURIComponent keeps "!" ("sk%20live!...").
        ("sk+live/01=23456789", "sk%2Blive/01%3D23456789"),
        ("sk live!0123456789", "sk%20live!0123456789"),
        ("sk+live/01=23456789", "sk%2Blive%2f01%3D23456789"),  # hex of mixed case
        ("sk+live/01=23456789", "sk%252Blive%252F01%253D23456789"),  # encoded twice (a proxy encoding it again)
        ("sk live 0123456789", "sk%2Blive%2B0123456789"),  # form-encoded, then encoded again
        ("sk live 0123456789", "sk%2520live%25200123456789"),
    ],
)
async def test_an_answer_echoing_the_key_url_encoded_does_not_put_it_in_the_error(
    api: Api, httpx_mock: HTTPXMock, key: str, echoed: str
) -> None:
    # A server repeating the query or the form it was sent repeats the key URL-encoded: decoded, the key itself.
    content = json.dumps({"detail": f"Invalid key in ?key={echoed}"}).encode()
    assert "?key=***" in await _error_hiding_the_key(api, httpx_mock, key, content)


async def _error_hiding_the_key(api: Api, httpx_mock: HTTPXMock, key: str, content: bytes) -> str:
    """The error of a 401 answering ``content``, asserted to show no part of ``key`` (its ``str``)."""
    httpx_mock.add_response(status_code=401, content=content)
    client = api.make(api_key=key)
    with pytest.raises(og.AuthenticationError) as caught:
        await api.run(lambda c: c.customers.retrieve("c1", max_retries=0), client)
    error = caught.value
    for text in (str(error), repr(error), *(repr(value) for value in vars(error).values())):
        assert "23456789" not in text
    return str(error)


@pytest.mark.parametrize(
    "key", ['sk_live_01"23456789', "sk_live_01\\23456789", "sk_live_01/23456789", "sk_live_0123456789\\"]
)
async def test_an_answer_echoing_the_key_json_escaped_does_not_put_it_in_the_error(
    api: Api, httpx_mock: HTTPXMock, key: str
) -> None:
    # A key with a quote or a backslash (printable ASCII, so accepted) is repeated JSON-escaped, as is a slash by
    # some servers ("\/"): the body holds another form of it, which decoded is the key itself.
    echoed = json.dumps(f"Invalid API key {key}")
    if "/" in key:
        echoed = echoed.replace("/", "\\/")
    content = ('{"detail": ' + echoed + "}").encode()
    assert "Invalid API key ***" in await _error_hiding_the_key(api, httpx_mock, key, content)


def test_the_secrets_to_mask_may_be_any_iterable() -> None:
    # The masking reads its secrets once: handed a generator, it masks the URL-encoded forms as well as the others.
    key = "sk+live/01=23456789"
    content = b'{"detail": "sk+live/01=23456789 or sk%2Blive%2F01%3D23456789"}'
    assert masked(content, (secret for secret in [key])) == b'{"detail": "*** or ***"}'
