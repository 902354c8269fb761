"""Customers, products, addresses, payments and the merchant's cancel reasons."""

from __future__ import annotations

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import ADDRESS_FIELDS, CUSTOMER_FIELDS, PAYMENT_FIELDS, PRODUCT_FIELDS, Api


def test_retrieve_shapes(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1", email="ada@example.com")
    fake.add_product("SKU-1", price=12.5)
    address = fake.add_address("c1")
    payment = fake.add_payment("c1")
    customer = api.get("/customers/c1/").json()
    assert set(customer) == CUSTOMER_FIELDS and customer["email"] == "ada@example.com"
    product = api.get("/products/SKU-1/").json()
    assert set(product) == PRODUCT_FIELDS and product["price"] == "12.50"
    assert set(api.get(f"/addresses/{address['public_id']}/").json()) == ADDRESS_FIELDS
    got = api.get(f"/payments/{payment['public_id']}/").json()
    assert set(got) == PAYMENT_FIELDS
    assert got["billing_address"] == address["public_id"] and got["payment_method"] == "credit card"
    assert api.get("/customers/nobody/").status_code == 404


def test_set_contact_details(api: Api, fake: FakeOrdergroove) -> None:
    customer = fake.add_customer("c1", extra_data={"tier": "gold"})
    body = {"email": "new@example.com", "phone_number": "+15125550100"}
    response = api.patch("/customers/c1/set_contact_details", body)
    assert response.status_code == 200
    assert response.json() == {**body, "extra_data": {"tier": "gold"}}
    assert (customer["email"], customer["phone_number"]) == ("new@example.com", "+15125550100")
    assert customer["last_updated"] == "2025-03-01 12:00:00"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"email": ["This field is required."], "phone_number": ["This field is required."]}),
        ({"email": "not-an-email", "phone_number": "1"}, {"email": ["Enter a valid email address."]}),
        ({"email": "a@example.com", "phone_number": ""}, {"phone_number": ["This field may not be blank."]}),
    ],
)
def test_set_contact_details_validates(api: Api, fake: FakeOrdergroove, body: object, errors: object) -> None:
    customer = fake.add_customer("c1")
    response = api.patch("/customers/c1/set_contact_details", body)
    assert (response.status_code, response.json()) == (400, errors)
    assert customer["email"] == "c1@example.com"


def test_the_two_paths_without_a_trailing_slash(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1")
    body = {"email": "x@example.com", "phone_number": "1"}
    assert api.patch("/customers/c1/set_contact_details/", body).status_code == 404
    assert api.patch("/customers/c1/update/", {"price_code": "vip"}).status_code == 404
    # The reference's update takes extra_data, locale and price_code, and answers those three (CustomerPatchResult).
    updated = api.patch("/customers/c1/update", {"price_code": "vip", "locale": "fr-ca", "first_name": "Ada"})
    assert (updated.status_code, updated.json()) == (200, {"extra_data": {}, "locale": "fr-ca", "price_code": "vip"})
    assert fake.customers["c1"]["first_name"] == "Test"  # not a field of this call: ignored, as Django REST does
    assert api.patch("/customers/nobody/set_contact_details", body).status_code == 404


def test_cancel_reasons(api: Api, fake: FakeOrdergroove) -> None:
    fake.cancel_reasons.append({"cancel_reason": 12, "application": "msi"})
    body = api.get("/merchant/cancel_reason/").json()
    assert list(body) == ["results"]
    assert body["results"][0] == {"cancel_reason": 1, "application": "msi"}
    assert [r["cancel_reason"] for r in body["results"]] == [*range(1, 11), 12]
    assert api.get("/merchant/cancel_reason").status_code == 404
