"""Fuzzing what comes off the wire: error bodies, whole responses, webhook and Gladly signature headers.

The error-body parser never raises; a response of any status, headers and bytes gives a result or an
``OrdergrooveError`` (sync and async alike); a webhook signature header or body of any text gives a
``WebhookVerificationError`` / ``WebhookPayloadError``; Gladly's headers of any text a ``GladlySignatureError``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordergroove as og
from ordergroove import _io, _status, gladly, retries
from ordergroove.models import Subscription

from ._strategies import DEEP, FUZZ, JSON, ODD_TEXT, near_valid

NOW = dt.datetime(2025, 1, 15, 9, 0, tzinfo=dt.timezone.utc)


def _dumps(value: Any) -> bytes:
    try:
        return json.dumps(value).encode()
    except (ValueError, RecursionError):  # an int too long to print, or nesting too deep to encode
        return b"[]"


JSON_BYTES = (JSON | DEEP).map(_dumps)
BODIES = st.one_of(
    st.binary(max_size=200),
    JSON_BYTES,
    st.sampled_from([b"", b"<html><body>502 Bad Gateway</body></html>", b"null", b"NaN", b"\xff\xfe", b"[" * 5000]),
    st.builds(
        lambda items, nxt: _dumps({"results": items, "next": nxt}),
        st.lists(near_valid(Subscription), max_size=3),
        st.none() | ODD_TEXT,
    ),
    near_valid(Subscription).map(_dumps),
    st.lists(st.fixed_dictionaries({"cancel_reason": JSON, "application": JSON})).map(lambda r: _dumps({"results": r})),
)
# Header values as the wire may carry them: Latin-1 text, odd digits, numbers too large for anything.
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)
LENGTHS = st.one_of(
    st.none(),
    st.integers(0, 10**6).map(str),
    st.sampled_from(["\u00b2", "\u00b9\u00b2", "-1", "1e3", " 5 ", "9" * 40]),
    HEADER_TEXT,
)
RETRY_AFTERS = st.one_of(
    st.none(),
    HEADER_TEXT,
    st.sampled_from(["1e999", "-1", "nan", "inf", "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 1 Jan 99999 00:00:00 +0000"]),
)


@st.composite
def responses(draw: st.DrawFn) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status = draw(
        st.sampled_from([200, 201, 204, 207, 301, 302, 400, 401, 403, 404, 409, 423, 429, 500, 502, 503])
        | st.integers(100, 599)
    )
    headers: list[tuple[bytes, bytes]] = []
    length = draw(LENGTHS)
    if length is not None:
        headers.append((b"content-length", length.encode("latin-1")))
    retry_after = draw(RETRY_AFTERS)
    if retry_after is not None:
        headers.append((b"retry-after", retry_after.encode("latin-1")))
    if draw(st.booleans()):
        headers.append((b"content-type", b"application/json"))
    return status, headers, draw(BODIES)


CALLS: dict[str, Callable[[Any], Any]] = {
    "retrieve": lambda c: c.subscriptions.retrieve("sub_1"),
    "list": lambda c: c.subscriptions.list(customer="c1").to_list(limit=5),
    "cancel_reasons": lambda c: c.merchant.cancel_reasons(),
    "action": lambda c: c.subscriptions.change_quantity("sub_1", 2),
    "skip_next_order": lambda c: c.subscriptions.skip_next_order("sub_1"),
    "set_contact_details": lambda c: c.customers.set_contact_details("c1", email="a@b.example", phone_number="1"),
}


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    async def async_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(_io, "sleep", lambda delay: None)
    monkeypatch.setattr(_io, "async_sleep", async_sleep)
    yield


def _handler(answers: list[tuple[int, list[tuple[bytes, bytes]], bytes]]) -> Callable[[httpx.Request], httpx.Response]:
    queue = iter(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        status, headers, body = next(queue, answers[-1])
        return httpx.Response(status, headers=headers, content=body, request=request)

    return handle


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(CALLS)))
def test_any_response_gives_a_result_or_an_ordergroove_error_sync(data: st.DataObject, name: str) -> None:
    answers = data.draw(st.lists(responses(), min_size=1, max_size=3))
    http = httpx.Client(transport=httpx.MockTransport(_handler(answers)))
    with (
        og.Ordergroove(api_key="k", base_url="https://og.example", http_client=http, max_retries=2) as client,
        contextlib.suppress(og.OrdergrooveError),  # a result, or one of the library's errors: nothing else
    ):
        CALLS[name](client)
    http.close()


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(CALLS)))
async def test_any_response_gives_a_result_or_an_ordergroove_error_async(data: st.DataObject, name: str) -> None:
    answers = data.draw(st.lists(responses(), min_size=1, max_size=3))
    http = httpx.AsyncClient(transport=httpx.MockTransport(_handler(answers)))
    async with og.AsyncOrdergroove(api_key="k", base_url="https://og.example", http_client=http) as client:
        with contextlib.suppress(og.OrdergrooveError):
            await CALLS[name](client)
    await http.aclose()


@FUZZ
@given(
    content=st.binary(max_size=300)
    | JSON_BYTES
    | st.sampled_from([b"[" * 100_000, b'{"detail": ' + b"[" * 900 + b"]" * 900 + b"}"])
)
def test_parse_error_body_never_raises(content: bytes) -> None:
    detail, fields = _status.parse_error_body(content)
    assert detail is None or isinstance(detail, str)
    assert all(isinstance(k, str) and all(isinstance(m, str) for m in v) for k, v in fields.items())


@pytest.mark.parametrize("depth", [10, 300, 600, 900, 990, 1000])
def test_parse_error_body_on_deeply_nested_messages(depth: int) -> None:
    for body in (
        b'{"detail": ' + b"[" * depth + b"]" * depth + b"}",
        b'{"field": ' + b"[" * depth + b"{}" + b"]" * depth + b"}",
        b'{"field": ' + b'{"a":' * depth + b"1" + b"}" * depth + b"}",
    ):
        detail, fields = _status.parse_error_body(body)
        assert detail is None or isinstance(detail, str)
        assert isinstance(fields, dict)


@FUZZ
@given(value=RETRY_AFTERS)
def test_retry_after_is_a_bounded_number_or_none(value: str | None) -> None:
    seconds = retries.retry_after_seconds(value)
    assert seconds is None or 0.0 <= seconds <= retries.RETRY_AFTER_CAP


@FUZZ
@given(
    header=ODD_TEXT
    | st.text(alphabet="ts=ig,0123456789abcdef ", max_size=200)
    | st.sampled_from(["ts=1,sig=" + "a" * 64, "ts=\u0661,sig=" + "a" * 64, "ts=1,sig=" + "\u0661" * 64])
)
def test_webhook_signature_header_of_any_text(header: str) -> None:
    with pytest.raises(og.WebhookVerificationError):
        og.webhooks.verify(b"{}", header, "whsec-key", now=1.0)


@FUZZ
@given(
    payload=st.binary(max_size=200)
    | JSON_BYTES
    | st.builds(lambda e: _dumps(e), st.fixed_dictionaries({"id": JSON, "type": JSON, "created": JSON, "data": JSON}))
)
def test_webhook_body_of_any_bytes(payload: bytes) -> None:
    try:
        event = og.webhooks.parse(payload)
    except og.webhooks.WebhookPayloadError:
        return
    assert isinstance(event, og.WebhookEvent)


GLADLY_AUTH = st.one_of(
    ODD_TEXT,
    st.builds(
        lambda alg, names, sig: f"SigningAlgorithm={alg}, SignedHeaders={names}, Signature={sig}",
        st.sampled_from(["hmac-sha256", "HMAC-SHA256", "md5", ""]) | ODD_TEXT,
        st.sampled_from(["gladly-time", "gladly-time;host", "", ";", "x y"]) | ODD_TEXT,
        st.sampled_from(["0" * 64, "\u0661" * 64, "g" * 64, ""]) | ODD_TEXT,
    ),
)
GLADLY_TIME = st.one_of(
    ODD_TEXT, st.sampled_from(["20250115T090000Z", "20251315T250000Z", "\u0662" * 8 + "T000000Z", ""])
)


@FUZZ
@given(
    authorization=GLADLY_AUTH,
    gladly_time=GLADLY_TIME,
    extra=st.lists(st.tuples(ODD_TEXT, ODD_TEXT), max_size=3),
    query=ODD_TEXT | st.none(),
)
def test_gladly_signature_headers_of_any_text(
    authorization: str, gladly_time: str, extra: list[tuple[str, str]], query: str | None
) -> None:
    headers = [("Gladly-Authorization", authorization), ("Gladly-Time", gladly_time), *extra]
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request("POST", "/lookup", query, headers, b"{}", "signing-key", now=NOW)


@FUZZ
@given(header=ODD_TEXT | st.binary(max_size=60) | st.none() | st.builds(lambda t: "Basic " + t, ODD_TEXT))
def test_gladly_basic_auth_of_any_text(header: str | bytes | None) -> None:
    assert gladly.check_basic_auth(header, "user", "password") is False
