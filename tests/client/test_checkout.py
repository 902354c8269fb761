"""Purchase POST and its status, against pytest-httpx: the body decoded back, every status, retries, no card leak."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, unquote

import attrs
import httpx
import pytest
from conftest import API_KEY, Api
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove.crypto import decrypt_field, encrypt_field

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "ordergroove_aes.json").read_text("utf-8"))
HASH_KEY: str = VECTORS["hash_key"]
EXPIRY_VECTOR = next(v for v in VECTORS["vectors"] if v["plaintext"] == "01/2019")
CHECKOUT = "https://sc.ordergroove.com"
CREATE_URL = CHECKOUT + "/subscription/create"
CARD_NUMBER = "4111111111111111"
HOLDER = "Zoë O'Brien & Co"
RECEIPT = {"result": "Subscription request received", "subs_req_id": "59f215d4b3ade33e68c8ae9b"}


def address(**changes: Any) -> og.PurchaseAddress:
    fields: dict[str, Any] = {
        "first_name": "Zoë",
        "last_name": "O'Brien",
        "address": "12 Rue de l'Église",
        "address2": "Apt 3 / B",
        "city": "New York",
        "state_province_code": "NY",
        "zip_postal_code": "10001",
        "phone": "+1 555 0100",
        "country_code": "US",
    }
    fields.update(changes)
    return og.PurchaseAddress(**fields)


def payment(**changes: Any) -> og.PaymentInfo:
    fields: dict[str, Any] = {
        "token_id": "tok_abc123",
        "cc_exp_date": "01/2019",
        "cc_holder": HOLDER,
        "cc_number": CARD_NUMBER,
        "cc_type": "1",
        "label": "Visa ending in 1111",
    }
    fields.update(changes)
    return og.PaymentInfo(**fields)


def purchase(**changes: Any) -> og.PurchaseRequest:
    fields: dict[str, Any] = {
        "merchant_id": "0e5de2bedc5e11e3a2e4bc764e106cf4",
        "merchant_order_id": "SO-1001",
        "session_id": "sess.1&2=3",
        "user": og.User(
            user_id="cust-1001",
            first_name="Zoë",
            last_name="O'Brien",
            email="zoe+test@example.com",
            phone_number="+1 555 0100",
            shipping_address=address(),
            billing_address=address(address="1 Billing Way", address2=None),
        ),
        "payment": payment(),
        "products": [
            og.PurchaseProduct(
                product="SKU-COFFEE-1KG",
                sku="COFFEE 1KG",
                subscription_info=og.SubscriptionInfo(
                    quantity=2,
                    price=Decimal("19.99"),
                    tracking_override=og.TrackingOverride(offer="offer-1", every=2, every_period=og.Period.WEEKS),
                    first_order_place_date=dt.date(2025, 2, 1),
                    extra_data={"note": "50% off?"},
                ),
                purchase_info=og.PurchaseInfo(
                    quantity=2, price=Decimal("19.99"), discounted_price=Decimal("17.99"), total=Decimal("35.98")
                ),
            ),
            og.PurchaseProduct(product="MUG", sku="MUG-1"),
        ],
        "og_cart_tracking": True,
        "tracking": {"offer": ["a", "b"], "n": 3},
    }
    fields.update(changes)
    return og.PurchaseRequest(**fields)


# What Ordergroove must read once the body is decoded (card fields compared after decryption).
EXPECTED: dict[str, Any] = {
    "merchant_id": "0e5de2bedc5e11e3a2e4bc764e106cf4",
    "merchant_order_id": "SO-1001",
    "session_id": "sess.1&2=3",
    "og_cart_tracking": True,
    "tracking": {"offer": ["a", "b"], "n": 3},
    "user": {
        "user_id": "cust-1001",
        "first_name": "Zoë",
        "last_name": "O'Brien",
        "email": "zoe+test@example.com",
        "phone_number": "+1 555 0100",
        "shipping_address": {
            "first_name": "Zoë",
            "last_name": "O'Brien",
            "address": "12 Rue de l'Église",
            "address2": "Apt 3 / B",
            "city": "New York",
            "state_province_code": "NY",
            "zip_postal_code": "10001",
            "phone": "+1 555 0100",
            "country_code": "US",
        },
        "billing_address": {
            "first_name": "Zoë",
            "last_name": "O'Brien",
            "address": "1 Billing Way",
            "city": "New York",
            "state_province_code": "NY",
            "zip_postal_code": "10001",
            "phone": "+1 555 0100",
            "country_code": "US",
        },
    },
    "payment": {"token_id": "tok_abc123", "cc_type": "1", "label": "Visa ending in 1111"},
    "products": [
        {
            "product": "SKU-COFFEE-1KG",
            "sku": "COFFEE 1KG",
            "subscription_info": {
                "quantity": 2,
                "price": "19.99",
                "tracking_override": {"offer": "offer-1", "every": 2, "every_period": 2},
                "first_order_place_date": "2025-02-01",
                "extra_data": {"note": "50% off?"},
            },
            "purchase_info": {"quantity": 2, "price": "19.99", "discounted_price": "17.99", "total": "35.98"},
        },
        {"product": "MUG", "sku": "MUG-1"},
    ],
}
PLAIN_CARD = {"cc_exp_date": "01/2019", "cc_holder": HOLDER, "cc_number": CARD_NUMBER}


def decode_whole(content: bytes) -> dict[str, Any]:
    form = parse_qs(content.decode("ascii"), strict_parsing=True)
    assert list(form) == ["create_request"] and len(form["create_request"]) == 1
    data: dict[str, Any] = json.loads(form["create_request"][0])
    return data


def _unquote_all(value: Any) -> Any:
    if isinstance(value, str):
        return unquote(value, errors="strict")
    if isinstance(value, dict):
        return {unquote(k): _unquote_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquote_all(v) for v in value]
    return value


def decode_values(content: bytes) -> dict[str, Any]:
    text = content.decode("ascii")
    assert text.startswith("create_request={")
    data: dict[str, Any] = _unquote_all(json.loads(text.removeprefix("create_request=")))
    return data


def split_card(data: dict[str, Any]) -> dict[str, str]:
    """Take the encrypted card fields out of ``data`` and return them decrypted."""
    return {name: decrypt_field(data["payment"].pop(name), HASH_KEY) for name in PLAIN_CARD}


@pytest.mark.parametrize(("encoding", "decoder"), [("whole", decode_whole), ("values", decode_values)])
async def test_body_decodes_back_field_by_field(api: Api, httpx_mock: HTTPXMock, encoding: str, decoder: Any) -> None:
    httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=201, json=RECEIPT)
    receipt = await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY, encoding=encoding))
    assert receipt == og.from_dict(og.PurchaseReceipt, RECEIPT)
    assert receipt.subs_req_id == "59f215d4b3ade33e68c8ae9b"
    [request] = httpx_mock.get_requests()
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["content-type"] == "application/json"
    assert request.extensions["timeout"]["read"] == 5.0
    data = decoder(request.content)
    card = split_card(data)
    assert card == PLAIN_CARD
    for key in EXPECTED:
        assert data[key] == EXPECTED[key], key
    assert data == EXPECTED
    # The expiry is the shared vector's ciphertext, byte for byte.
    assert decoder(request.content)["payment"]["cc_exp_date"] == EXPIRY_VECTOR["ciphertext_base64"]


async def test_the_whole_text_is_encoded_exactly_once(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    raw = httpx_mock.get_requests()[0].content.decode("ascii").removeprefix("create_request=")
    # Only unreserved characters stay as they are; one decoding gives the JSON text itself.
    assert set(raw) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%")
    once = unquote(raw)
    assert once.startswith("{") and json.loads(once)["session_id"] == "sess.1&2=3"
    assert json.loads(once)["products"][0]["subscription_info"]["extra_data"] == {"note": "50% off?"}


async def test_values_encoding_encodes_each_string_once(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY, encoding="values"))
    structure = json.loads(httpx_mock.get_requests()[0].content.decode("ascii").removeprefix("create_request="))
    assert structure["session_id"] == "sess.1%262%3D3"
    assert structure["products"][0]["subscription_info"]["extra_data"] == {"note": "50%25%20off%3F"}
    assert structure["products"][0]["subscription_info"]["quantity"] == 2


async def test_a_mapping_request_sends_the_same_body(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    payload = og.to_dict(purchase())
    assert og.from_dict(og.PurchaseRequest, payload) == purchase()
    await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    await api.run(lambda c: c.checkout.purchase_post(payload, hash_key=HASH_KEY))
    first, second = (decode_whole(r.content) for r in httpx_mock.get_requests())
    assert first == second  # ECB: the same plaintext, the same ciphertext


async def test_encrypted_card_fields_are_sent_as_given_without_hash_key(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    encrypted: dict[str, Any] = {name: encrypt_field(value, HASH_KEY) for name, value in PLAIN_CARD.items()}
    request = purchase(payment=og.PaymentInfo(token_id="tok_abc123", **encrypted))
    await api.run(lambda c: c.checkout.purchase_post(request))
    data = decode_whole(httpx_mock.get_requests()[0].content)
    assert {name: data["payment"][name] for name in PLAIN_CARD} == encrypted


@pytest.mark.parametrize("field", ["cc_exp_date", "cc_holder", "cc_number"])
async def test_plain_card_fields_without_hash_key_are_refused(api: Api, httpx_mock: HTTPXMock, field: str) -> None:
    encrypted: dict[str, Any] = {name: encrypt_field(value, HASH_KEY) for name, value in PLAIN_CARD.items()}
    encrypted[field] = PLAIN_CARD[field]
    request = purchase(payment=og.PaymentInfo(token_id="tok", **encrypted))
    with pytest.raises(og.ConfigurationError, match=f"payment.{field} is not encrypted") as caught:
        await api.run(lambda c: c.checkout.purchase_post(request))
    assert PLAIN_CARD[field] not in str(caught.value)
    assert httpx_mock.get_requests() == []


def _without_payment() -> og.PurchaseRequest:
    return purchase(payment=None)


INVALID: list[tuple[str, Any, str]] = [
    ("merchant_order_id", lambda: purchase(merchant_order_id=""), "merchant_order_id is required"),
    ("merchant_id", lambda: purchase(merchant_id=None), "merchant_id is required"),
    ("session_id", lambda: purchase(session_id=None), "session_id is required"),
    (
        "country",
        lambda: purchase(user=attrs.evolve(purchase().user, shipping_address=address(country_code="USA"))),
        "user.shipping_address.country_code must be a two-letter",
    ),
    (
        "billing city",
        lambda: purchase(user=attrs.evolve(purchase().user, billing_address=address(city=" "))),
        "user.billing_address.city is required",
    ),
    ("email", lambda: purchase(user=attrs.evolve(purchase().user, email=cast(str, None))), "user.email is required"),
    ("payment", _without_payment, "payment is required when a product has subscription_info"),
    (
        "expiry",
        lambda: purchase(payment=payment(cc_exp_date="1/30")),
        "payment.cc_exp_date must be MM/YYYY",
    ),
    (
        "expiry month",
        lambda: purchase(payment=payment(cc_exp_date="13/2030")),
        "payment.cc_exp_date must be MM/YYYY",
    ),
    (
        "cc_type",
        lambda: purchase(payment=payment(cc_type="7")),
        "payment.cc_type must be",
    ),
    ("token", lambda: purchase(payment=payment(token_id="")), "payment.token_id"),
    ("products", lambda: purchase(products=[]), "products must be a non-empty list"),
    (
        "quantity",
        lambda: purchase(
            products=[og.PurchaseProduct(product="P", sku="S", subscription_info=og.SubscriptionInfo(quantity=0))]
        ),
        r"products\[0\].subscription_info.quantity must be a whole number",
    ),
    (
        "period",
        lambda: purchase(
            products=[
                og.PurchaseProduct(
                    product="P",
                    sku="S",
                    subscription_info=og.SubscriptionInfo(
                        quantity=1, tracking_override=og.TrackingOverride(offer="o", every=1, every_period=9)
                    ),
                )
            ]
        ),
        "tracking_override.every_period",
    ),
    (
        "sku",
        lambda: purchase(products=[og.PurchaseProduct(product="P", sku="")]),
        r"products\[0\].sku is required",
    ),
]


@pytest.mark.parametrize(("case", "build", "message"), INVALID, ids=[case for case, _, _ in INVALID])
async def test_checked_before_sending(api: Api, httpx_mock: HTTPXMock, case: str, build: Any, message: str) -> None:
    request = build()
    with pytest.raises(og.ConfigurationError, match=message) as caught:
        await api.run(lambda c: c.checkout.purchase_post(request, hash_key=HASH_KEY))
    for secret in (*PLAIN_CARD.values(), HASH_KEY):
        assert secret not in str(caught.value)
    assert httpx_mock.get_requests() == []


async def test_session_id_may_be_left_out_without_cart_tracking(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    await api.run(
        lambda c: c.checkout.purchase_post(purchase(session_id=None, og_cart_tracking=False), hash_key=HASH_KEY)
    )
    data = decode_whole(httpx_mock.get_requests()[0].content)
    assert "session_id" not in data and data["og_cart_tracking"] is False


async def test_a_checkout_without_subscriptions_needs_no_payment(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    request = purchase(payment=None, products=[og.PurchaseProduct(product="MUG", sku="MUG-1")])
    await api.run(lambda c: c.checkout.purchase_post(request))
    assert "payment" not in decode_whole(httpx_mock.get_requests()[0].content)


async def test_a_bad_mapping_is_a_configuration_error(api: Api, httpx_mock: HTTPXMock) -> None:
    payload = og.to_dict(purchase())
    payload["user"] = "nobody"
    with pytest.raises(og.ConfigurationError, match="not a valid Purchase POST"):
        await api.run(lambda c: c.checkout.purchase_post(payload, hash_key=HASH_KEY))
    with pytest.raises(og.ConfigurationError, match=r"og\.PurchaseRequest or a mapping"):
        await api.run(lambda c: c.checkout.purchase_post(["x"]))
    with pytest.raises(og.ConfigurationError, match="encoding must be"):
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY, encoding="twice"))
    with pytest.raises(og.crypto.FieldEncryptionError, match="32 bytes"):
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key="short"))
    assert httpx_mock.get_requests() == []


@dataclasses.dataclass
class ErrorCase:
    status: int
    body: dict[str, Any]
    error: type[og.PurchaseError]
    also: type[og.APIStatusError]


ERRORS = [
    ErrorCase(
        207,
        {**RECEIPT, "errors": {"MUG": "Product does not exist"}},
        og.PurchasePartialError,
        og.PurchasePartialError,
    ),
    ErrorCase(400, {"error": "Merchant order id cannot be null"}, og.PurchaseBadRequestError, og.BadRequestError),
    ErrorCase(
        400,
        {"error_message": "The credit card encryption is not valid"},
        og.PurchaseBadRequestError,
        og.BadRequestError,
    ),
    ErrorCase(
        401,
        {"error": "Authentication credentials were not provided."},
        og.PurchaseAuthenticationError,
        og.AuthenticationError,
    ),
    ErrorCase(403, {"error": "Authentication Failed"}, og.PurchasePermissionDeniedError, og.PermissionDeniedError),
    ErrorCase(
        409,
        {"error_message": "Order already received", "subs_req_id": "59f215d4b3ade33e68c8ae9b"},
        og.PurchaseConflictError,
        og.PurchaseConflictError,
    ),
]


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: f"{c.status}-{next(iter(c.body))}")
async def test_error_statuses_are_typed_and_never_retried(
    api: Api, httpx_mock: HTTPXMock, case: ErrorCase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ordergroove")
    httpx_mock.add_response(url=CREATE_URL, status_code=case.status, json=case.body)
    with pytest.raises(case.error) as caught:
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    error = caught.value
    assert isinstance(error, case.also) and isinstance(error, og.APIStatusError)
    assert error.status_code == case.status
    assert error.merchant_order_id == "SO-1001"
    assert error.error == case.body.get("error")
    assert error.error_message == case.body.get("error_message")
    assert error.subs_req_id == case.body.get("subs_req_id")
    said = case.body.get("error") or case.body.get("error_message") or ""
    assert said in str(error)
    assert len(httpx_mock.get_requests()) == 1  # a POST's error status is never sent again
    request_body = httpx_mock.get_requests()[0].content.decode()
    for text in (str(error), repr(error), caplog.text, error.body):
        for secret in (*PLAIN_CARD.values(), HASH_KEY, API_KEY):
            assert secret not in text
        for part in ("cc_number", "cc_holder"):
            assert decode_whole(request_body.encode())["payment"][part] not in text


async def test_409_is_not_retried_even_with_retries_left(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE_URL, status_code=409, json={"error": "duplicate"})
    client = api.make(max_retries=5)
    with pytest.raises(og.PurchaseConflictError):
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY), client)
    assert len(httpx_mock.get_requests()) == 1


async def test_429_is_retried_and_a_5xx_is_not(api: Api, httpx_mock: HTTPXMock, sleeps: list[float]) -> None:
    httpx_mock.add_response(url=CREATE_URL, status_code=429, headers={"Retry-After": "2"}, json={"detail": "slow"})
    httpx_mock.add_response(url=CREATE_URL, status_code=201, json=RECEIPT)
    receipt = await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    assert receipt.subs_req_id == RECEIPT["subs_req_id"]
    assert sleeps == [2.0]
    httpx_mock.add_response(url=CREATE_URL, status_code=502, text="<html>bad gateway</html>")
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    assert len(httpx_mock.get_requests()) == 3


async def test_a_timeout_after_sending_is_not_repeated(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=CREATE_URL)
    with pytest.raises(og.APITimeoutError) as caught:
        await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY))
    assert caught.value.request_sent is True
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize(
    ("client_timeout", "call_timeout", "expected"), [(10.0, None, 5.0), (3.0, None, 3.0), (10.0, 8.0, 8.0)]
)
async def test_timeout(
    api: Api, httpx_mock: HTTPXMock, client_timeout: float, call_timeout: float | None, expected: float
) -> None:
    httpx_mock.add_response(url=CREATE_URL, json=RECEIPT)
    client = api.make(timeout=client_timeout)
    await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY, timeout=call_timeout), client)
    assert httpx_mock.get_requests()[0].extensions["timeout"]["read"] == expected


@pytest.mark.parametrize(
    ("options", "host"),
    [
        ({"environment": "staging"}, "https://staging.sc.ordergroove.com"),
        ({"base_url": "https://staging.restapi.ordergroove.com"}, "https://staging.sc.ordergroove.com"),
        ({"base_url": "http://127.0.0.1:8765"}, "http://127.0.0.1:8765"),
    ],
)
async def test_checkout_host_follows_the_environment(
    api: Api, httpx_mock: HTTPXMock, options: dict[str, str], host: str
) -> None:
    httpx_mock.add_response(url=host + "/subscription/create", json=RECEIPT)
    httpx_mock.add_response(url=host + "/subscription/abc/response", json={"customer": "c"})
    client = api.make(**options)
    await api.run(lambda c: c.checkout.purchase_post(purchase(), hash_key=HASH_KEY), client)
    await api.run(lambda c: c.checkout.purchase_status("abc"), client)
    assert [str(r.url) for r in httpx_mock.get_requests()] == [
        host + "/subscription/create",
        host + "/subscription/abc/response",
    ]


async def test_status_pending_then_done_then_not_found(api: Api, httpx_mock: HTTPXMock) -> None:
    status_url = CHECKOUT + "/subscription/59f215d4b3ade33e68c8ae9b/response"
    done = {
        "customer": "cust-1001",
        "payment": "pay-1",
        "shipping_address": "addr-1",
        "errors": {},
        "subscriptions": [{"SKU-COFFEE-1KG": "sub-1"}, {"TEA": "sub-2"}],
    }
    httpx_mock.add_response(url=status_url, status_code=202, text="")
    httpx_mock.add_response(url=status_url, status_code=200, json=done)
    httpx_mock.add_response(url=CHECKOUT + "/subscription/unknown/response", status_code=404, json={"detail": "no"})
    pending = await api.run(lambda c: c.checkout.purchase_status("59f215d4b3ade33e68c8ae9b"))
    assert pending.pending is True and pending == og.PurchaseStatus(pending=True) and not pending.ok
    finished = await api.run(lambda c: c.checkout.purchase_status("59f215d4b3ade33e68c8ae9b"))
    assert finished.pending is False and finished.ok
    assert (finished.customer, finished.payment, finished.shipping_address) == ("cust-1001", "pay-1", "addr-1")
    assert finished.subscription_ids == {"SKU-COFFEE-1KG": "sub-1", "TEA": "sub-2"}
    with pytest.raises(og.NotFoundError):
        await api.run(lambda c: c.checkout.purchase_status("unknown"))
    with pytest.raises(og.ConfigurationError):
        await api.run(lambda c: c.checkout.purchase_status(""))
    assert httpx_mock.get_requests()[0].headers["x-api-key"] == API_KEY


async def test_status_with_errors_is_not_ok(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"customer": "c", "errors": {"MUG": "Product does not exist"}, "subscriptions": []})
    status = await api.run(lambda c: c.checkout.purchase_status("r1"))
    assert not status.ok and status.errors == {"MUG": "Product does not exist"}
    assert status.subscription_ids == {}


def test_card_data_never_in_a_repr() -> None:
    request = purchase()
    ciphertext = encrypt_field(CARD_NUMBER, HASH_KEY)
    encrypted = payment(cc_number=ciphertext)
    for text in (repr(request), repr(request.payment), repr(encrypted), str(encrypted)):
        for secret in (*PLAIN_CARD.values(), "tok_abc123", ciphertext):
            assert secret not in text
    fields = {field.name: field.repr for field in attrs.fields(og.PaymentInfo)}
    assert not any(fields[name] for name in ("cc_number", "cc_holder", "cc_exp_date", "token_id"))
