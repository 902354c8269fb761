"""addresses.create / update / use_for_all and payments.create / update / use_for_all, against the emulator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from emulated import FLAVOURS, refused, run

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)

CUSTOMER = "cust_0001"


def new_address(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "customer": CUSTOMER,
        "address_type": "shipping_address",
        "first_name": "Nathan",
        "last_name": "Torres",
        "address": "75 Broad St Fl 23",
        "city": "New York",
        "state_province_code": "NY",
        "zip_postal_code": "10004-2487",
        "country_code": "US",
        "label": "office",
    }
    fields.update(overrides)
    return fields


def test_address_create_reads_back_and_is_listed(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    created = run(flavour, fake, lambda c: c.addresses.create(**new_address()))
    assert isinstance(created, og.Address) and created.city == "New York" and created.live is True
    sent = fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/addresses/create/")
    assert sent.json == new_address()  # optional fields left None are not sent
    assert run(flavour, fake, lambda c: c.addresses.retrieve(created.public_id)).label == "office"
    listed = run(flavour, fake, lambda c: c.addresses.list(customer=CUSTOMER))
    assert created.public_id in [a.public_id for a in listed]


def test_address_update_deactivates(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    address = fake.add_address(CUSTOMER)
    updated = run(flavour, fake, lambda c: c.addresses.update(address["public_id"], live=False))
    assert isinstance(updated, og.Address) and updated.live is False
    assert fake.requests[-1].json == {"live": False}
    assert run(flavour, fake, lambda c: c.addresses.retrieve(address["public_id"])).live is False


def _unsent(client: Any) -> Any:
    return client.orders.list(customer=CUSTOMER, status=og.OrderStatus.UNSENT)


def test_address_use_for_all_moves_subscriptions_and_unsent_orders(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    address = fake.add_address(CUSTOMER)
    assert run(flavour, fake, lambda c: c.addresses.use_for_all(address["public_id"])) is None
    sent = fake.requests[-1]
    assert (sent.method, sent.path, sent.body, sent.status) == (
        "POST",
        f"/addresses/{address['public_id']}/use_for_all/",
        b"",
        204,
    )
    live = [s for s in run(flavour, fake, lambda c: c.subscriptions.list(customer=CUSTOMER)) if s.live]
    orders = run(flavour, fake, _unsent)
    assert live and {s.shipping_address for s in live} == {address["public_id"]}
    assert {o.shipping_address for o in orders} <= {address["public_id"]}


def test_payment_create_update_and_use_for_all(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    created = run(
        flavour,
        fake,
        lambda c: c.payments.create(
            customer=CUSTOMER, cc_number_ending="4111", token_id="tok_1", cc_exp_date=dt.date(2028, 11, 1), cc_type=1
        ),
    )
    assert isinstance(created, og.Payment) and created.cc_number_ending == "4111"
    assert fake.requests[-1].json == {
        "customer": CUSTOMER,
        "cc_number_ending": "4111",
        "token_id": "tok_1",
        "cc_exp_date": "11/2028",
        "cc_type": 1,
    }
    listed = run(flavour, fake, lambda c: c.payments.list(customer=CUSTOMER))
    assert created.public_id in [p.public_id for p in listed]
    updated = run(flavour, fake, lambda c: c.payments.update(created.public_id, label="work card", cc_exp_date="12/29"))
    assert (updated.label, updated.cc_exp_date) == ("work card", "12/2029")
    assert run(flavour, fake, lambda c: c.payments.retrieve(created.public_id)).label == "work card"
    assert run(flavour, fake, lambda c: c.payments.use_for_all(created.public_id)) is None
    live = [s for s in run(flavour, fake, lambda c: c.subscriptions.list(customer=CUSTOMER)) if s.live]
    assert live and {s.payment for s in live} == {created.public_id}
    assert {o.payment for o in run(flavour, fake, _unsent)} <= {created.public_id}


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.addresses.create(**new_address(address_type="home")),
        lambda c: c.addresses.create(**new_address(city="")),
        lambda c: c.addresses.create(**new_address(customer="..")),
        lambda c: c.addresses.update("a1", live="no"),
        lambda c: c.addresses.use_for_all(""),
        lambda c: c.payments.create(customer=CUSTOMER, cc_number_ending="4111", token_id="t", cc_exp_date="2028-11"),
        lambda c: c.payments.create(customer=CUSTOMER, cc_number_ending="4111", token_id="t", cc_type=9),
        lambda c: c.payments.create(customer=CUSTOMER, cc_number_ending="", token_id="t"),
        lambda c: c.payments.update("p1"),
        lambda c: c.payments.update("p1", payment_method="cash"),
        lambda c: c.payments.update("p1", live=1),
        lambda c: c.payments.use_for_all(".."),
    ],
)
def test_bad_arguments_are_refused_before_any_request(flavour: str, call: Any) -> None:
    assert isinstance(refused(flavour, FakeOrdergroove.demo(), call), og.ConfigurationError)


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/addresses/create/", lambda c, a, p: c.addresses.create(**new_address())),
        ("/use_for_all/", lambda c, a, p: c.addresses.use_for_all(a)),
        ("/payments/create/", lambda c, a, p: c.payments.create(customer=CUSTOMER, cc_number_ending="1", token_id="t")),
        ("/use_for_all/", lambda c, a, p: c.payments.use_for_all(p)),
    ],
)
def test_a_write_is_not_resent_after_an_ambiguous_failure(flavour: str, path: str, call: Any) -> None:
    fake = FakeOrdergroove.demo()
    address, payment = fake.add_address(CUSTOMER), fake.add_payment(CUSTOMER)
    fake.faults.add(drop="after", path=path)
    before = len(fake.requests)
    with pytest.raises(og.APIConnectionError) as caught:
        run(flavour, fake, lambda c: call(c, address["public_id"], payment["public_id"]))
    assert caught.value.request_sent is True
    assert len(fake.requests) - before == 1


def test_a_read_is_retried_after_an_ambiguous_failure(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    address = fake.add_address(CUSTOMER)
    fake.faults.add(drop="after", path="/addresses/")
    before = len(fake.requests)
    assert run(flavour, fake, lambda c: c.addresses.retrieve(address["public_id"])).public_id == address["public_id"]
    assert len(fake.requests) - before == 2
