"""customers.create / update, against the emulator, sync and async."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from emulated import FLAVOURS, refused, run

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)

WHEN = dt.datetime(2025, 1, 10, 12, 0, 0)


def new_customer(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "merchant": "m1",
        "merchant_user_id": "new-1",
        "session_id": "s.1",
        "user_token_id": "t1",
        "first_name": "John",
        "last_name": "Doe",
        "email": "john@doe.example",
        "phone_number": "+15551231234",
        "phone_type": "mobile",
        "live": True,
        "created": WHEN,
        "last_updated": WHEN,
        "last_login": WHEN,
        "locale": "en-us",
        "extra_data": {"subscriber_key": "k"},
    }
    fields.update(overrides)
    return fields


def test_create_sends_the_wire_form_and_the_customer_reads_back(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fields = new_customer(merchant=fake.merchant_public_id)
    created = run(flavour, fake, lambda c: c.customers.create(**fields))
    assert isinstance(created, og.Customer) and created.merchant_user_id == "new-1"
    assert created.phone_type == 2  # sent by name, answered as the integer
    sent = fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/customers/create/")
    assert sent.json["created"] == "2025-01-10 12:00:00"
    assert sent.json["extra_data"] == '{"subscriber_key":"k"}'  # a string holding JSON
    assert "experiences" not in sent.json and "price_code" not in sent.json  # None: not sent
    again = run(flavour, fake, lambda c: c.customers.retrieve("new-1"))
    assert again.email == "john@doe.example"
    listed = run(flavour, fake, lambda c: c.customers.list(email="john@doe.example"))
    assert [c.merchant_user_id for c in listed] == ["new-1"]


def test_update_sets_the_fields_given(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    result = run(flavour, fake, lambda c: c.customers.update("cust_0001", locale="fr-ca", price_code="vip"))
    assert isinstance(result, og.CustomerPatchResult)
    assert (result.locale, result.price_code) == ("fr-ca", "vip")
    sent = fake.requests[-1]
    assert (sent.method, sent.path, sent.json) == (
        "PATCH",
        "/customers/cust_0001/update",
        {"locale": "fr-ca", "price_code": "vip"},
    )
    assert run(flavour, fake, lambda c: c.customers.retrieve("cust_0001")).price_code == "vip"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.customers.create(**new_customer(phone_type="cell")),
        lambda c: c.customers.create(**new_customer(email="nope")),
        lambda c: c.customers.create(**new_customer(live="yes")),
        lambda c: c.customers.create(**new_customer(created=dt.date(2025, 1, 1))),
        lambda c: c.customers.create(**new_customer(locale=True)),
        lambda c: c.customers.create(**new_customer(merchant_user_id="")),
        lambda c: c.customers.update("cust_0001"),
        lambda c: c.customers.update("cust_0001", locale=""),
        lambda c: c.customers.update("", locale="fr"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(flavour: str, call: Any) -> None:
    fake = FakeOrdergroove.demo()
    assert isinstance(refused(flavour, fake, call), og.ConfigurationError)


def test_create_is_never_resent_after_an_ambiguous_failure(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fake.faults.add(drop="after", path="/customers/create/")
    fields = new_customer(merchant=fake.merchant_public_id)
    error = refused_after_one(flavour, fake, lambda c: c.customers.create(**fields))
    assert error.request_sent is True


def test_update_is_sent_again_after_a_dropped_connection(flavour: str) -> None:
    # "Set X to Y": a repeat leaves the record as one call does, so the client sends it again (docs/retries.md).
    fake = FakeOrdergroove.demo()
    fake.faults.add(drop="after", path="/update")
    before = len(fake.requests)
    assert run(flavour, fake, lambda c: c.customers.update("cust_0001", price_code="vip")).price_code == "vip"
    assert len(fake.requests) - before == 2


def refused_after_one(flavour: str, fake: FakeOrdergroove, fn: Any) -> og.APIConnectionError:
    before = len(fake.requests)
    with pytest.raises(og.APIConnectionError) as caught:
        run(flavour, fake, fn)
    assert len(fake.requests) - before == 1  # exactly one request reached the emulator
    return caught.value
