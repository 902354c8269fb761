"""one_time_incentives.*, against the emulator, sync and async."""

from __future__ import annotations

from typing import Any

import pytest
from emulated import FLAVOURS, refused, run

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)


def test_create_read_list_update_delete(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    created = run(
        flavour,
        fake,
        lambda c: c.one_time_incentives.create(
            external_code="awesome_discount", customer="cust_0001", incentive={"percent": 10}
        ),
    )
    assert isinstance(created, og.OneTimeIncentive) and created.customer == "cust_0001"
    sent = fake.requests[-1]
    assert (sent.method, sent.path, sent.json) == (
        "POST",
        "/one_time_incentives/create/",
        {"external_code": "awesome_discount", "customer": "cust_0001", "incentive": {"percent": 10}},
    )
    oti = created.public_id
    assert run(flavour, fake, lambda c: c.one_time_incentives.retrieve(oti)).external_code == "awesome_discount"
    assert oti in [i.public_id for i in run(flavour, fake, lambda c: c.one_time_incentives.list())]
    updated = run(flavour, fake, lambda c: c.one_time_incentives.update(oti, description="10% off"))
    assert updated.description == "10% off" and fake.requests[-1].json == {"description": "10% off"}
    deleted = run(flavour, fake, lambda c: c.one_time_incentives.delete(oti))
    assert deleted.public_id == oti and fake.requests[-1].method == "DELETE"
    with pytest.raises(og.NotFoundError):
        run(flavour, fake, lambda c: c.one_time_incentives.retrieve(oti))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.one_time_incentives.create(external_code=""),
        lambda c: c.one_time_incentives.create(external_code="x", customer=".."),
        lambda c: c.one_time_incentives.create(external_code="x", incentive=[1]),
        lambda c: c.one_time_incentives.update("i1"),
        lambda c: c.one_time_incentives.retrieve(""),
        lambda c: c.one_time_incentives.delete(".."),
        lambda c: c.one_time_incentives.list(page_size=0),
    ],
)
def test_bad_arguments_are_refused_before_any_request(flavour: str, call: Any) -> None:
    assert isinstance(refused(flavour, FakeOrdergroove.demo(), call), og.ConfigurationError)


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/create/", lambda c, i: c.one_time_incentives.create(external_code="x")),
        ("/delete/", lambda c, i: c.one_time_incentives.delete(i)),
    ],
)
def test_a_write_is_not_resent_after_an_ambiguous_failure(flavour: str, path: str, call: Any) -> None:
    fake = FakeOrdergroove.demo()
    incentive = fake.add_one_time_incentive("cust_0001", external_code="x")
    fake.faults.add(drop="after", path=path)
    before = len(fake.requests)
    with pytest.raises(og.APIConnectionError) as caught:
        run(flavour, fake, lambda c: call(c, incentive["public_id"]))
    assert caught.value.request_sent is True
    assert len(fake.requests) - before == 1


def test_a_read_is_retried_after_an_ambiguous_failure(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    incentive = fake.add_one_time_incentive("cust_0001", external_code="x")
    fake.faults.add(drop="after", method="GET")
    before = len(fake.requests)
    assert run(flavour, fake, lambda c: c.one_time_incentives.retrieve(incentive["public_id"])).external_code == "x"
    assert len(fake.requests) - before == 2
