"""The emulator's Purchase POST and products-batch, sent raw: numbers and dates it must read strictly."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import Api

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def product(fake: FakeOrdergroove) -> str:
    return str(fake.add_product("p1", price="10.00")["external_product_id"])


def purchase(fake: FakeOrdergroove, *, payment: dict[str, Any] | None = None, **info: Any) -> bytes:
    """A minimal Purchase POST form body (no card fields, so nothing to encrypt) for one product of ``p1``."""
    address = {
        "first_name": "Zoe",
        "last_name": "Adams",
        "address": "5 Elm St",
        "city": "Boston",
        "state_province_code": "MA",
        "zip_postal_code": "02110",
        "phone": "555-0101",
        "country_code": "US",
    }
    request = {
        "merchant_id": fake.merchant_public_id,
        "merchant_order_id": "SO-1",
        "session_id": "og-session-1",
        "user": {
            "user_id": "u1",
            "first_name": "Zoe",
            "last_name": "Adams",
            "email": "zoe@example.com",
            "phone_number": "555-0101",
            "shipping_address": address,
        },
        "payment": {"token_id": "tok_1", **(payment or {})},
        "products": [{"product": "p1", "sku": "SKU-1", "subscription_info": {"quantity": 1, **info}}],
    }
    return f"create_request={quote(json.dumps(request))}".encode()


@pytest.mark.parametrize("cc_type", ["\u00b2", "\u0663"])
def test_a_card_type_in_non_ascii_digits_is_no_card_type(
    api: Api, fake: FakeOrdergroove, product: str, cc_type: str
) -> None:
    response = api.request(
        "POST", "/subscription/create/", content=purchase(fake, payment={"cc_type": cc_type}), headers=FORM
    )
    assert response.status_code == 201, response.text
    [payment] = fake.payments.values()
    assert payment["cc_type"] is None  # as for any card type that is not a number


def test_a_card_type_in_ascii_digits_is_kept(api: Api, fake: FakeOrdergroove, product: str) -> None:
    response = api.request(
        "POST", "/subscription/create/", content=purchase(fake, payment={"cc_type": "2"}), headers=FORM
    )
    assert response.status_code == 201, response.text
    assert [p["cc_type"] for p in fake.payments.values()] == [2]


@pytest.mark.parametrize("when", ["\u0662\u0660\u0662\u0665-02-20", "2025-13-45", "2025-02-30"])
def test_a_first_order_date_that_is_not_a_date_is_400(api: Api, fake: FakeOrdergroove, product: str, when: str) -> None:
    response = api.request(
        "POST", "/subscription/create/", content=purchase(fake, first_order_place_date=when), headers=FORM
    )
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": "first_order_place_date must be YYYY-MM-DD"},
    )
    assert fake.subscriptions == {}


@pytest.mark.parametrize("price", ["abc", "\u0663", "NaN", "Infinity", "1e999999", True])
def test_a_subscription_price_that_is_not_an_amount_is_400(
    api: Api, fake: FakeOrdergroove, product: str, price: Any
) -> None:
    response = api.request("POST", "/subscription/create/", content=purchase(fake, price=price), headers=FORM)
    assert (response.status_code, response.json()) == (400, {"error_message": "Subscription price must be a number"})
    assert fake.subscriptions == {}


@pytest.mark.parametrize("quantity", [10**30, 2**31])
def test_a_quantity_past_a_32_bit_integer_is_400(api: Api, fake: FakeOrdergroove, product: str, quantity: int) -> None:
    response = api.request("POST", "/subscription/create/", content=purchase(fake, quantity=quantity), headers=FORM)
    expected = {"error_message": "Subscription quantity must be a positive integer"}
    assert (response.status_code, response.json()) == (400, expected)
    assert fake.subscriptions == {}


def test_a_subscription_price_in_ascii_digits_is_kept(api: Api, fake: FakeOrdergroove, product: str) -> None:
    response = api.request("POST", "/subscription/create/", content=purchase(fake, price="12.5"), headers=FORM)
    assert response.status_code == 201, response.text
    assert [s["price"] for s in fake.subscriptions.values()] == ["12.50"]


@pytest.mark.parametrize("price", ["NaN", "Infinity", "-Infinity"])
def test_products_batch_refuses_a_price_that_is_not_finite(api: Api, fake: FakeOrdergroove, price: str) -> None:
    # JSON as Python writes it for float("nan"): the emulator's JSON reader takes these words as numbers.
    body = (
        '[{"product_id": "x1", "sku": "s", "name": "n", "live": true, "image_url": "u", "detail_url": "d", '
        f'"price": {price}}}]'
    ).encode()
    response = api.request(
        "POST", "/products-batch/create/", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 207
    [result] = response.json()["results"]
    assert (result["status"], result["errors"]) == (400, {"price": ["A valid number is required."]})
    assert "x1" not in fake.products
