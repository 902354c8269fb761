"""Addresses, payments and customers: create, update, use_for_all (the endpoints added for the whole surface)."""

from __future__ import annotations

from typing import Any

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import ADDRESS_FIELDS, CUSTOMER_FIELDS, NO_PERMISSION, NOT_FOUND, PAYMENT_FIELDS, Api, as_storefront

ADDRESS = {
    "customer": "c1",
    "address_type": "shipping_address",
    "first_name": "Nathan",
    "last_name": "Torres",
    "address": "75 Broad St Fl 23",
    "city": "New York",
    "state_province_code": "NY",
    "zip_postal_code": "10004-2487",
    "country_code": "US",
}


def test_address_create_is_readable_and_listed(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1")
    done = api.post("/addresses/create/", {**ADDRESS, "label": "Office"}, **as_storefront(fake, "c1", recognized=True))
    assert done.status_code == 200, done.text
    created = done.json()
    assert set(created) == ADDRESS_FIELDS - {"updated"}  # the create page omits `updated`
    assert (created["address"], created["label"], created["customer"]) == ("75 Broad St Fl 23", "Office", "c1")
    assert {k: v for k, v in api.get(f"/addresses/{created['public_id']}/").json().items() if k != "updated"} == created
    listed = api.get("/addresses/", params={"customer": "c1"}).json()["results"]
    assert [row["public_id"] for row in listed] == [created["public_id"]]


def test_address_create_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1")
    fake.add_customer("c2")
    missing = http.post("/addresses/create/", {"customer": "c1"})
    assert missing.status_code == 400 and set(missing.json()) == set(ADDRESS) - {"customer"}
    wrong = http.post("/addresses/create/", {**ADDRESS, "address_type": "home"})
    assert wrong.json() == {"address_type": ['"home" is not a valid choice.']}
    assert http.post("/addresses/create/", ADDRESS, **as_storefront(fake, "c2")).json() == NO_PERMISSION
    assert not fake.addresses


def test_address_update_sets_live(http: Api, fake: FakeOrdergroove) -> None:
    address = fake.add_address("c1")
    done = http.patch(f"/addresses/{address['public_id']}/update/", {"live": False, "city": "Paris"})
    assert done.status_code == 200 and set(done.json()) == ADDRESS_FIELDS - {"updated"}
    assert (address["live"], address["city"]) == (False, "Springfield")
    assert http.patch(f"/addresses/{address['public_id']}/update/", {}).json() == {"live": ["This field is required."]}
    assert http.patch(f"/addresses/{address['public_id']}/update/", {"live": "no"}).status_code == 400
    assert (
        http.patch(f"/addresses/{address['public_id']}/update/", {"live": True}, **as_storefront(fake, "c2")).json()
        == NOT_FOUND
    )


@pytest.mark.parametrize(
    ("resource", "field", "event"),
    [
        ("addresses", "shipping_address", "order.change_shipping_address"),
        ("payments", "payment", "order.change_payment"),
    ],
)
def test_use_for_all_moves_subscriptions_and_unsent_orders(
    http: Api, fake: FakeOrdergroove, resource: str, field: str, event: str
) -> None:
    first = fake.add_subscription("c1", "SKU-1")
    second = fake.add_subscription("c1", "SKU-2", every=2)
    sent = fake.add_order("c1", status=5)
    theirs = fake.add_subscription("c2", "SKU-1")
    target = fake.add_address("c1") if resource == "addresses" else fake.add_payment("c1")
    done = http.post(f"/{resource}/{target['public_id']}/use_for_all/", **as_storefront(fake, "c1"))
    assert (done.status_code, done.content) == (204, b"")
    assert first[field] == second[field] == target["public_id"]
    for sub in (first, second):
        upcoming = fake.upcoming_order(sub)
        assert upcoming is not None and upcoming[field] == target["public_id"]
    assert sent[field] != target["public_id"] and theirs[field] != target["public_id"]
    assert event in [e["type"] for e in fake.webhooks.events]
    assert http.post(f"/{resource}/{target['public_id']}/use_for_all/", **as_storefront(fake, "c2")).json() == NOT_FOUND


def test_use_for_all_refuses_an_inactive_address(http: Api, fake: FakeOrdergroove) -> None:
    sub = fake.add_subscription("c1", "SKU-1")
    address = fake.add_address("c1", live=False)
    refused = http.post(f"/addresses/{address['public_id']}/use_for_all/")
    assert (
        refused.json() == {"detail": "This address is not active."} and sub["shipping_address"] != address["public_id"]
    )


def test_payment_create_update_and_read(api: Api, fake: FakeOrdergroove) -> None:
    billing = fake.add_address("c1")
    body = {
        "customer": "c1",
        "cc_number_ending": "4111",
        "token_id": "tok_1",
        "cc_holder": "John Doe",
        "cc_exp_date": "11/28",
        "billing_address": billing["public_id"],
        "label": "Visa",
        "cc_type": 1,
    }
    done = api.post("/payments/create/", body)
    assert done.status_code == 200, done.text
    created = done.json()
    assert set(created) == PAYMENT_FIELDS and created["cc_exp_date"] == "11/2028"
    assert api.get(f"/payments/{created['public_id']}/").json() == created
    assert created["public_id"] in [
        r["public_id"] for r in api.get("/payments/", params={"customer": "c1"}).json()["results"]
    ]
    updated = api.patch(f"/payments/{created['public_id']}/update/", {"label": "Old card", "cc_exp_date": "01/2030"})
    assert (updated.json()["label"], updated.json()["cc_exp_date"]) == ("Old card", "01/2030")


def test_payment_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1")
    fake.add_customer("c2")
    missing = http.post("/payments/create/", {"customer": "c1"})
    assert missing.json() == {"cc_number_ending": ["This field is required."], "token_id": ["This field is required."]}
    body = {"customer": "c1", "cc_number_ending": "4111", "token_id": "t", "cc_exp_date": "13/2030", "cc_type": 9}
    bad = http.post("/payments/create/", body).json()
    assert set(bad) == {"cc_exp_date", "cc_type"}
    assert (
        http.post("/payments/create/", {**body, "cc_exp_date": None, "cc_type": 1}, **as_storefront(fake, "c2")).json()
        == NO_PERMISSION
    )
    payment = fake.add_payment("c1")
    assert http.patch(f"/payments/{payment['public_id']}/update/", {"customer": "c2"}).json() == {
        "customer": ["This field cannot be changed."]
    }
    assert (
        http.patch(f"/payments/{payment['public_id']}/update/", {"label": "x"}, **as_storefront(fake, "c2")).json()
        == NOT_FOUND
    )


CUSTOMER = {
    "merchant": "m",
    "merchant_user_id": "TEST",
    "session_id": "5bda04dc429d11e4bd78bc764e106cf4.463053.1418160308",
    "user_token_id": "tok",
    "first_name": "John",
    "last_name": "Doe",
    "email": "john@doe.com",
    "phone_number": "+15551231234",
    "phone_type": "mobile",
    "live": True,
    "created": "2024-01-31 12:00:00",
    "last_updated": "2024-01-31 12:00:00",
    "last_login": "2024-01-31 12:00:00",
    "locale": "en-US",
    "experiences": '{"reorder": true, "subscription-management": false}',
    "price_code": "prom_customer",
}


def test_customer_create(api: Api, fake: FakeOrdergroove) -> None:
    done = api.post("/customers/create/", CUSTOMER)
    assert done.status_code == 200, done.text
    created = done.json()
    assert set(created) == CUSTOMER_FIELDS | {"experiences"}
    assert (created["phone_type"], created["locale"], created["experiences"]) == (2, "en-US", CUSTOMER["experiences"])
    assert api.get("/customers/TEST/").json() == {k: v for k, v in created.items() if k != "experiences"}
    assert "TEST" in [c["merchant_user_id"] for c in api.get("/customers/").json()["results"]]
    assert fake.webhooks.events[-1]["type"] == "subscriber.create"


def test_customer_create_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    missing = http.post("/customers/create/", {"merchant_user_id": "X"})
    assert missing.status_code == 400 and "email" in missing.json() and "locale" in missing.json()
    assert http.post("/customers/create/", {**CUSTOMER, "phone_type": "pager"}).json() == {
        "phone_type": ['"pager" is not a valid choice.']
    }
    fake.add_customer("other")
    assert http.post("/customers/create/", CUSTOMER, **as_storefront(fake, "other")).json() == NO_PERMISSION
    assert http.post("/customers/create/", CUSTOMER).status_code == 200
    again = http.post("/customers/create/", CUSTOMER)
    assert again.json() == {"merchant_user_id": ["customer with this merchant user id already exists."]}


def test_customer_update_answers_the_patch_result(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_customer("c1", extra_data=None)
    body: dict[str, Any] = {"extra_data": '{"subscriber_key": "x"}', "locale": "es_ES", "price_code": None}
    done = http.patch("/customers/c1/update", body, **as_storefront(fake, "c1"))
    assert (done.status_code, done.json()) == (200, body)
    assert http.patch("/customers/c1/update", {"locale": 5}).json() == {"locale": ["Not a valid string."]}
    assert http.patch("/customers/c1/update", {}, **as_storefront(fake, "c2")).json() == NOT_FOUND
