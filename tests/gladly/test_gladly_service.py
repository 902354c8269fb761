"""The service's guard (signature, Basic auth, error answers), its configuration and the mapping's formatting."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from _gladly_harness import (  # noqa: F401  (fixtures)
    SIGNING_KEY,
    Adaptor,
    StartAdaptor,
    adaptor,
    basic_header,
    fake,
    first,
    gladly_stub,
    notes,
    og_url,
    start_adaptor,
)

from ordergroove import gladly
from ordergroove import testing as ogt
from ordergroove.errors import ConfigurationError
from ordergroove.gladly import _cli, _lookup, _mapping
from ordergroove.models import OrderStatus, Period

UNAUTHORIZED = {"errors": [{"code": "unauthorized", "detail": "The request could not be authenticated."}]}
LOOKUP = {"lookupLevel": "BASIC", "query": {"externalCustomerId": "cust_0001"}}


@pytest.fixture
def now() -> dt.datetime:
    """The time of this test (never of the module's import: a long run before it must not make it stale)."""
    return dt.datetime.now(dt.timezone.utc)


# -- the guard ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/lookup", LOOKUP),
        ("GET", "/forms/cancel/abc", None),
        ("POST", "/forms/cancel/abc", {"cancelReasonCode": 1}),
        ("POST", "/actions/getCancellationReasons", {}),
    ],
)
async def test_an_unsigned_request_is_a_401_and_reaches_nothing(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, method: str, path: str, payload: Any
) -> None:
    response = await adaptor.request(method, path, payload, signed=False)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert "www-authenticate" not in response.headers  # no Basic auth configured
    assert fake.requests == []


async def test_a_tampered_body_is_a_401(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    signed_body = json.dumps(LOOKUP).encode()
    headers = adaptor.headers("POST", "/lookup", signed_body)
    tampered = signed_body.replace(b"cust_0001", b"cust_0002")
    response = await adaptor.http.post(adaptor.url + "/lookup", content=tampered, headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert fake.requests == []


async def test_a_tampered_signed_header_is_a_401(adaptor: Adaptor) -> None:
    body = json.dumps(LOOKUP).encode()
    headers = adaptor.headers("POST", "/lookup", body) | {"Accept": "text/html"}
    response = await adaptor.http.post(adaptor.url + "/lookup", content=body, headers=headers)
    assert response.status_code == 401


async def test_a_tampered_query_is_a_401(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    subscription = first(fake)
    path = f"/forms/cancel/{subscription['public_id']}"
    headers = adaptor.headers("GET", path + "?gladlyCustomerId=a", b"")
    response = await adaptor.http.get(adaptor.url + path + "?gladlyCustomerId=b", headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize("offset", [dt.timedelta(minutes=-10), dt.timedelta(minutes=10)])
async def test_a_stale_or_future_request_is_a_401(adaptor: Adaptor, offset: dt.timedelta, now: dt.datetime) -> None:
    response = await adaptor.lookup(LOOKUP, now=now + offset)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_a_request_signed_with_another_key_is_a_401(adaptor: Adaptor) -> None:
    response = await adaptor.lookup(LOOKUP, key="not-the-key")
    assert response.status_code == 401


async def test_a_recent_request_passes(adaptor: Adaptor, now: dt.datetime) -> None:
    response = await adaptor.lookup(LOOKUP, now=now - dt.timedelta(minutes=2))
    assert response.status_code == 200


async def test_refusals_are_logged_by_reason_without_secrets(
    adaptor: Adaptor, caplog: pytest.LogCaptureFixture, now: dt.datetime
) -> None:
    with caplog.at_level(logging.INFO, logger="ordergroove.gladly"):
        await adaptor.lookup(LOOKUP, key="not-the-key")
        await adaptor.lookup(LOOKUP, now=now - dt.timedelta(hours=1))
    records = [r for r in caplog.records if r.name == "ordergroove.gladly"]
    # At WARNING, so that a service logging at its default level shows why Gladly's requests fail.
    assert [r.levelno for r in records] == [logging.WARNING, logging.WARNING]
    messages = [r.getMessage() for r in records]
    assert messages[0].startswith("POST /lookup refused with 401: signature mismatch: ")
    assert messages[1].startswith("POST /lookup refused with 401: signature stale: ")
    assert SIGNING_KEY not in caplog.text and "not-the-key" not in caplog.text
    assert "Signature=" not in caplog.text


async def test_basic_auth_when_configured(start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove) -> None:
    async with start_adaptor(basic_auth=("gladly", "pw-SECRET")) as running:
        ok = await running.lookup(LOOKUP)
        body = json.dumps(LOOKUP).encode()
        missing = await running.http.post(
            running.url + "/lookup",
            content=body,
            headers=gladly.sign_request("POST", "/lookup", "", {"Content-Type": "application/json"}, body, SIGNING_KEY),
        )
        wrong = await running.lookup(LOOKUP, extra_headers={"Authorization": basic_header("gladly", "guess")})
    assert ok.status_code == 200
    for refused in (missing, wrong):
        assert refused.status_code == 401
        assert refused.json() == UNAUTHORIZED
        assert refused.headers["www-authenticate"] == 'Basic realm="Ordergroove", charset="UTF-8"'
    assert len([r for r in fake.requests if r.path == "/customers/cust_0001/"]) == 1


async def test_an_unexpected_failure_is_a_json_500_without_a_traceback(
    adaptor: Adaptor, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(_lookup, "lookup", broken)
    response = await adaptor.lookup(LOOKUP)
    assert response.status_code == 500
    assert response.json() == {"errors": [{"code": "internal_error", "detail": "The request failed."}]}
    assert "internal detail" not in response.text


async def test_an_unknown_path_and_a_wrong_method_answer_json(adaptor: Adaptor) -> None:
    missing = await adaptor.request("POST", "/nothing-here", {})
    wrong = await adaptor.request("GET", "/lookup")
    assert (missing.status_code, wrong.status_code) == (404, 405)
    assert missing.json()["errors"][0]["code"] == "http_error"
    assert wrong.json()["errors"][0]["code"] == "http_error"


async def test_an_oversized_body_is_refused_before_it_is_read(adaptor: Adaptor) -> None:
    response = await adaptor.request("POST", "/lookup", body=b" " * 1_000_001)
    assert response.status_code == 413


async def test_a_chunked_oversized_body_is_refused(adaptor: Adaptor) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 100_000  # 2 MB in all, without a Content-Length

    response = await adaptor.http.post(adaptor.url + "/lookup", content=chunks())
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


async def test_unsigned_requests_to_unknown_paths_and_methods_are_refused_first(adaptor: Adaptor) -> None:
    # Without the signature nothing is told, not even which paths exist.
    for method, path in (("POST", "/nothing-here"), ("GET", "/lookup"), ("DELETE", "/forms/cancel/x")):
        response = await adaptor.request(method, path, signed=False)
        assert response.status_code == 401, (method, path)
        assert response.json()["errors"][0]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("length", "status"),
    [(b"\xb2", 400), (b"\xb9\xb2", 400), (b"-1", 400), (b"2", 200), (b"9" * 5000, 413)],
)
async def test_the_content_length_is_read_as_ascii_digits_only(
    fake: ogt.FakeOrdergroove, length: bytes, status: int
) -> None:
    # uvicorn's parser would refuse these itself: the app is called directly, as any ASGI server may call it.
    body = b"{}"
    headers = {"content-type": "application/json"}
    headers |= gladly.sign_request("POST", "/actions/getCancellationReasons", "", headers, body, SIGNING_KEY)
    async with fake.async_client() as client:
        transport = httpx.ASGITransport(app=gladly.create_app(client, signing_key=SIGNING_KEY))
        async with httpx.AsyncClient(transport=transport, base_url="http://adaptor.test") as http:
            raw = {name.encode(): value.encode() for name, value in headers.items()} | {b"content-length": length}
            response = await http.post("/actions/getCancellationReasons", content=body, headers=raw)
    assert response.status_code == status
    if status == 400:
        assert response.json()["errors"][0]["code"] == "invalid_length"


@pytest.mark.parametrize(
    "options",
    [
        {"signing_key": ""},
        {"signing_key": "k", "deadline": 15},
        {"signing_key": "k", "deadline": 0},
        {"signing_key": "k", "basic_auth": ("user", "")},
        {"signing_key": "k", "note_timeout": 0},
        {"signing_key": "k", "max_age": float("nan")},
        {"signing_key": "k", "max_age": float("inf")},
        {"signing_key": "k", "max_age": -1},
        {"signing_key": "k", "max_age": 0},
        {"signing_key": "k", "max_age": 86_400},
        {"signing_key": "k", "max_age": "300"},
        {"signing_key": "k", "max_age": True},
        {"signing_key": "k", "deadline": float("nan")},
        {"signing_key": "k", "deadline": "5"},
        {"signing_key": "k", "note_timeout": float("nan")},
        {"signing_key": "k", "note_timeout": float("inf")},
        {"signing_key": "k", "note_timeout": 15},
        {"signing_key": "key\ud800"},
        {"signing_key": "k", "basic_auth": ("user", "pw\udc80")},
    ],
)
async def test_create_app_checks_its_arguments(fake: ogt.FakeOrdergroove, options: dict[str, Any]) -> None:
    async with fake.async_client() as client:
        with pytest.raises(ConfigurationError) as caught:
            gladly.create_app(client, **options)
    # Every option is named by the error; a secret never is quoted.
    text = str(caught.value) + repr(caught.value) + repr(caught.value.args)
    for secret in ("key\ud800", "pw\udc80"):
        assert secret not in text and repr(secret)[1:-1] not in text
    assert any(name in str(caught.value) for name in options)


@pytest.mark.parametrize("max_age", [60, 3600])
async def test_create_app_accepts_a_max_age_within_range(
    start_adaptor: StartAdaptor, max_age: float, now: dt.datetime
) -> None:
    async with start_adaptor(max_age=max_age) as running:
        fresh = await running.lookup(LOOKUP)  # signed as it is sent
        stale = await running.lookup(LOOKUP, now=now - dt.timedelta(seconds=max_age + 60))
    assert fresh.status_code == 200
    assert stale.status_code == 401


# -- configuration from the environment ----------------------------------------------------------------------------
def test_config_needs_only_the_signing_key() -> None:
    config = gladly.ServiceConfig.from_env({"GLADLY_SIGNING_KEY": "key-SECRET"})
    assert config.signing_key == "key-SECRET"
    assert config.basic_auth is None and not config.timeline_notes
    assert config.deadline == 10.0


def test_config_reads_every_variable_and_hides_the_secrets() -> None:
    config = gladly.ServiceConfig.from_env(
        {
            "GLADLY_SIGNING_KEY": "key-SECRET",
            "GLADLY_BASIC_AUTH_USER": "gladly",
            "GLADLY_BASIC_AUTH_PASSWORD": "pw-SECRET",
            "GLADLY_HOST": "https://acme.gladly.com",
            "GLADLY_USER": "api@acme.com",
            "GLADLY_API_TOKEN": "token-SECRET",
            "GLADLY_DEADLINE": "8.5",
        }
    )
    assert config.basic_auth == ("gladly", "pw-SECRET")
    assert (config.gladly_host, config.gladly_user, config.gladly_api_token) == (
        "https://acme.gladly.com",
        "api@acme.com",
        "token-SECRET",
    )
    assert config.timeline_notes and config.deadline == 8.5
    assert "SECRET" not in repr(config)


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({}, ["GLADLY_SIGNING_KEY"]),
        ({"GLADLY_SIGNING_KEY": "  "}, ["GLADLY_SIGNING_KEY"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_BASIC_AUTH_USER": "u"}, ["GLADLY_BASIC_AUTH_PASSWORD"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_HOST": "https://a.gladly.com"}, ["GLADLY_USER", "GLADLY_API_TOKEN"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "soon"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "20"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "nan"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "inf"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "\u0663"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "1_0"}, ["GLADLY_DEADLINE"]),
        ({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": "1e1"}, ["GLADLY_DEADLINE"]),
        # os.environ holds an undecodable byte as a lone surrogate.
        ({"GLADLY_SIGNING_KEY": "key\udcff"}, ["GLADLY_SIGNING_KEY"]),
        (
            {"GLADLY_SIGNING_KEY": "k", "GLADLY_BASIC_AUTH_USER": "u", "GLADLY_BASIC_AUTH_PASSWORD": "p\udcff"},
            ["GLADLY_BASIC_AUTH_PASSWORD"],
        ),
        (
            {
                "GLADLY_SIGNING_KEY": "k",
                "GLADLY_HOST": "https://a.gladly.com",
                "GLADLY_USER": "u",
                "GLADLY_API_TOKEN": "t\udcff",
            },
            ["GLADLY_API_TOKEN"],
        ),
    ],
)
def test_config_names_what_is_missing_or_wrong(environ: dict[str, str], names: list[str]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        gladly.ServiceConfig.from_env(environ)
    assert all(name in str(caught.value) for name in names)
    text = str(caught.value) + repr(caught.value) + repr(caught.value.args)
    assert "\udcff" not in text and "\\udcff" not in text
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_config_reads_a_decimal_deadline() -> None:
    config = gladly.ServiceConfig.from_env({"GLADLY_SIGNING_KEY": "k", "GLADLY_DEADLINE": " 7.25 "})
    assert config.deadline == 7.25


def test_serve_from_env_refuses_to_start_without_a_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLADLY_SIGNING_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="GLADLY_SIGNING_KEY"):
        gladly.serve_from_env(0)


async def test_the_app_built_from_the_environment_serves_signed_lookups_and_writes_notes(
    monkeypatch: pytest.MonkeyPatch,
    fake: ogt.FakeOrdergroove,
    og_url: str,
    gladly_stub: Any,
) -> None:
    stub, stub_url = gladly_stub
    monkeypatch.setenv("ORDERGROOVE_API_KEY", fake.api_key)
    monkeypatch.setenv("ORDERGROOVE_BASE_URL", og_url)
    config = gladly.ServiceConfig.from_env(
        {"GLADLY_SIGNING_KEY": SIGNING_KEY, "GLADLY_HOST": stub_url, "GLADLY_USER": "u@a.com", "GLADLY_API_TOKEN": "t"}
    )
    subscription = first(fake)
    async with _cli._app_from_config(config) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://adaptor.test") as http:
            path = f"/forms/cancel/{subscription['public_id']}"
            body = b'{"cancelReasonCode": "1"}'
            headers = gladly.sign_request("POST", path, "gladlyCustomerId=g1", {}, body, SIGNING_KEY)
            response = await http.post(path + "?gladlyCustomerId=g1", content=body, headers=headers)
    assert response.status_code == 200
    assert subscription["live"] is False
    assert [note["customer_id"] for note in stub.notes] == ["g1"]


# -- formatting ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("28.89", "USD", "$28.89"),
        ("28.895", "usd", "$28.90"),
        ("1234.5", "USD", "$1,234.50"),
        ("-3", "USD", "-$3.00"),
        ("9.99", "EUR", "€9.99"),
        ("1200", "JPY", "¥1,200"),
        ("5", "CHF", "5.00 CHF"),
        ("5", None, "$5.00"),
        ("1E+26", "USD", "$100,000,000,000,000,000,000,000,000.00"),
        ("-1E+26", "EUR", "-€100,000,000,000,000,000,000,000,000.00"),
        ("9E+999999", "USD", "9E+999999 USD"),
        ("1E-999999", "USD", "$0.00"),
    ],
)
def test_format_money(amount: str, currency: str | None, text: str) -> None:
    assert _mapping.format_money(Decimal(amount), currency) == text


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_format_money_leaves_out_what_is_no_amount(amount: str) -> None:
    assert _mapping.format_money(Decimal(amount), "USD") is None


def test_format_money_ignores_the_threads_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        assert _mapping.format_money(Decimal("1234.567"), "USD") == "$1,234.57"


def test_format_timestamp() -> None:
    assert _mapping.format_timestamp(dt.datetime(2025, 1, 17, 6, 0, 5)) == "2025-01-17T06:00:05Z"
    eastern = dt.timezone(dt.timedelta(hours=-5))
    assert _mapping.format_timestamp(dt.datetime(2025, 1, 17, 22, 0, tzinfo=eastern)) == "2025-01-18T03:00:00Z"
    assert _mapping.format_timestamp(None) is None


@pytest.mark.parametrize(
    ("every", "period", "text"),
    [
        (1, Period.MONTHS, "Every month"),
        (2, Period.WEEKS, "Every 2 weeks"),
        (3, 1, "Every 3 days"),
        (1, 9, "Every 1 (period 9)"),
    ],
)
def test_frequency_text(every: int, period: int, text: str) -> None:
    assert _mapping.frequency_text(every, period) == text


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("4|Overstocked", "Overstocked"),
        ("10|Moving abroad", "Other: Moving abroad"),
        ("4|", "Overstocked"),
        ("12|Too pricey", "Too pricey"),
        ("no code at all", "no code at all"),
        ("\u00b2|moving", "moving"),
        ("\u0663", "\u0663"),
        ("9" * 5000 + "|x", "x"),
        (None, None),
    ],
)
def test_cancel_reason_text(reason: str | None, text: str | None) -> None:
    assert _mapping.cancel_reason_text(reason) == text


def test_order_status_names() -> None:
    assert _mapping.order_status_name(OrderStatus.CREDIT_CARD_RETRY) == "CREDIT_CARD_RETRY"
    assert _mapping.order_status_name(99) == "99"
