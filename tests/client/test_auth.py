"""Storefront (customer-scope) authentication: the signed ``Authorization`` header, computed here by hand."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from types import SimpleNamespace
from typing import Any

import pytest
from assertions import assert_secret_absent
from conftest import Api, url
from payloads import subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove import auth

MERCHANT_PUBLIC_ID = "0e5de2bedc5e11e3a2e4bc764e106cf4"
HASH_KEY = "storefront-hash-key-Zk29-SECRET"
CUSTOMER = "cust-1001"
TS = 1_700_000_000


def expected_sig(message: str, key: str = HASH_KEY) -> str:
    """Standard Base64 of HMAC-SHA256 keyed with the hash key (UTF-8) over the UTF-8 message."""
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The auth module's clock, fixed (only that module's view of ``time`` is replaced)."""
    clock = SimpleNamespace(now=TS + 0.75)
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_storefront_headers_exact_value() -> None:
    headers = og.auth.storefront_headers(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, ts=TS)
    assert list(headers) == ["Authorization"]
    value = json.loads(headers["Authorization"])
    assert value == {
        "public_id": MERCHANT_PUBLIC_ID,
        "ts": TS,
        "sig_field": CUSTOMER,
        "sig": expected_sig(f"{CUSTOMER}|{TS}"),
    }
    assert isinstance(value["ts"], int)


def test_storefront_headers_recognized_trust_level() -> None:
    headers = og.auth.storefront_headers(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, "recognized", ts=TS)
    value = json.loads(headers["Authorization"])
    assert value == {
        "public_id": MERCHANT_PUBLIC_ID,
        "ts": TS,
        "sig_field": CUSTOMER,
        "sig": expected_sig(f"{CUSTOMER}|recognized|{TS}"),
        "trust_level": "recognized",
    }
    assert value["sig"] != expected_sig(f"{CUSTOMER}|{TS}")


def test_signature_of_non_ascii_values_uses_utf8() -> None:
    value = json.loads(og.auth.storefront_headers(MERCHANT_PUBLIC_ID, "clé-ünï", "kunde-ö", ts=TS)["Authorization"])
    assert value["sig"] == expected_sig(f"kunde-ö|{TS}", key="clé-ünï")


def test_storefront_headers_uses_the_clock(frozen_time: SimpleNamespace) -> None:
    value = json.loads(og.auth.storefront_headers(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER)["Authorization"])
    assert value["ts"] == TS  # whole seconds
    assert value["sig"] == expected_sig(f"{CUSTOMER}|{TS}")


@pytest.mark.parametrize(
    "args",
    [
        ("", HASH_KEY, CUSTOMER, None),
        (MERCHANT_PUBLIC_ID, "", CUSTOMER, None),
        (MERCHANT_PUBLIC_ID, HASH_KEY, "", None),
        (MERCHANT_PUBLIC_ID, HASH_KEY, 42, None),
        (MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, "trusted"),
        (MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, "RECOGNIZED"),
    ],
)
def test_bad_storefront_arguments_refused(args: tuple[Any, ...]) -> None:
    with pytest.raises(og.ConfigurationError) as headers_error:
        og.auth.storefront_headers(*args)
    with pytest.raises(og.ConfigurationError) as auth_error:
        og.auth.StorefrontAuth(*args)
    for error in (headers_error.value, auth_error.value):
        assert HASH_KEY not in str(error)


# A lone surrogate has no UTF-8 form: a key read through a bad decoder, or built from a broken escape.
UNENCODABLE_KEY = "storefront-hash-key-Zk29\ud800-SECRET"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: og.auth.storefront_headers(MERCHANT_PUBLIC_ID, UNENCODABLE_KEY, CUSTOMER), id="headers"),
        pytest.param(lambda: og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, UNENCODABLE_KEY, CUSTOMER), id="auth"),
        pytest.param(lambda: og.auth.storefront_signature(UNENCODABLE_KEY, CUSTOMER, TS), id="signature"),
    ],
)
def test_a_hash_key_that_is_not_valid_unicode_is_refused_without_showing_it(call: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="hash_key") as caught:
        call()
    assert_secret_absent(caught.value, UNENCODABLE_KEY)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: og.auth.storefront_headers(MERCHANT_PUBLIC_ID, HASH_KEY, "cust-\udc80"), id="headers"),
        pytest.param(lambda: og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, HASH_KEY, "cust-\udc80"), id="auth"),
        pytest.param(lambda: og.auth.storefront_signature(HASH_KEY, "cust-\udc80", TS), id="signature"),
    ],
)
def test_a_customer_id_that_is_not_valid_unicode_is_a_configuration_error(call: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="customer_id") as caught:
        call()
    assert_secret_absent(caught.value, HASH_KEY)


def test_storefront_auth_repr_hides_the_hash_key() -> None:
    signer = og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, trust_level="recognized")
    text = repr(signer) + str(signer)
    assert HASH_KEY not in text
    assert CUSTOMER in text and "recognized" in text


async def test_client_with_storefront_auth_and_no_key(
    api: Api, httpx_mock: HTTPXMock, frozen_time: SimpleNamespace
) -> None:
    client = api.make(auth=og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER))
    httpx_mock.add_response(url=url("/subscriptions/s1/"), json=subscription_payload(public_id="s1"))
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    request = httpx_mock.get_request()
    assert request is not None
    assert "x-api-key" not in request.headers
    value = json.loads(request.headers["Authorization"])
    assert value == {
        "public_id": MERCHANT_PUBLIC_ID,
        "ts": TS,
        "sig_field": CUSTOMER,
        "sig": expected_sig(f"{CUSTOMER}|{TS}"),
    }
    assert HASH_KEY not in repr(client)


async def test_each_request_is_signed_afresh(api: Api, httpx_mock: HTTPXMock, frozen_time: SimpleNamespace) -> None:
    client = api.make(auth=og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER, "recognized"))
    httpx_mock.add_response(json=subscription_payload(), is_reusable=True)
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    frozen_time.now = TS + 7200  # two hours later: the first signature has expired
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    first, second = (json.loads(r.headers["Authorization"]) for r in httpx_mock.get_requests())
    assert (first["ts"], second["ts"]) == (TS, TS + 7200)
    assert second["sig"] == expected_sig(f"{CUSTOMER}|recognized|{TS + 7200}")
    assert second["trust_level"] == "recognized"


async def test_every_attempt_carries_the_signature(
    api: Api, httpx_mock: HTTPXMock, frozen_time: SimpleNamespace
) -> None:
    client = api.make(auth=og.auth.StorefrontAuth(MERCHANT_PUBLIC_ID, HASH_KEY, CUSTOMER))
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_response(json=subscription_payload())
    await api.run(lambda c: c.subscriptions.retrieve("s1"), client)
    requests = httpx_mock.get_requests()
    assert len(requests) == 2
    assert all(json.loads(r.headers["Authorization"])["sig_field"] == CUSTOMER for r in requests)
