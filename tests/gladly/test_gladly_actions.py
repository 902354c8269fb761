"""The eight App Platform actions end to end: inputs, result shapes, Gladly's app's error texts, timeline notes."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

from typing import Any

import pytest
from _gladly_harness import (  # noqa: F401  (fixtures)
    GLADLY_CUSTOMER,
    NESTED_CUSTOMER,
    Adaptor,
    adaptor,
    fake,
    first,
    gladly_stub,
    notes,
    og_url,
    start_adaptor,
    subscriptions_of,
)

from ordergroove import testing as ogt
from ordergroove.gladly import activity_id

SECRETS = ("session_id", "token_id", "user_token_id")


def og_time(value: str | None) -> str | None:
    return None if value is None else value.replace(" ", "T") + "Z"


def expected_record(record: dict[str, Any], datetimes: tuple[str, ...]) -> dict[str, Any]:
    """An emulator record as the action answers it: datetimes normalised, secrets dropped."""
    expected = {key: value for key, value in record.items() if key not in SECRETS}
    for name in datetimes:
        if expected.get(name) is not None:
            expected[name] = og_time(expected[name])
    return expected


SUBSCRIPTION_TIMES = ("cancelled", "created", "updated")


async def test_get_subscriptions_by_customer_id(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    response = await adaptor.action("getSubscriptionsByCustomerId", {"customerId": "cust_0001"})
    assert response.status_code == 200
    result = response.json()
    assert result == [expected_record(s, SUBSCRIPTION_TIMES) for s in subscriptions_of(fake, "cust_0001")]
    assert result[0]["created"] == "2024-09-17T00:00:00Z"
    assert all("session_id" not in s for s in result)


async def test_get_subscription_by_id(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    canceled = first(fake, live=False)
    response = await adaptor.action("getSubscriptionById", {"subscriptionId": canceled["public_id"]})
    assert response.status_code == 200
    assert response.json() == expected_record(canceled, SUBSCRIPTION_TIMES)
    assert response.json()["cancelled"] == "2024-12-20T00:00:00Z"


async def test_get_subscription_by_id_unknown_is_gladlys_404_text(adaptor: Adaptor) -> None:
    response = await adaptor.action("getSubscriptionById", {"subscriptionId": "0" * 32})
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "not_found", "detail": f"subscription with id {'0' * 32} does not exist"}]
    }


async def test_get_cancellation_reasons(adaptor: Adaptor) -> None:
    response = await adaptor.action("getCancellationReasons", {})
    assert response.status_code == 200
    reasons = response.json()
    assert reasons[0] == {"cancel_reason": 1, "application": "msi", "label": "Customer request"}
    assert reasons[-1] == {"cancel_reason": 12, "application": "msi", "label": "Reason 12"}
    assert [r["cancel_reason"] for r in reasons] == [*range(1, 11), 12]


async def test_get_order_items(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    order = fake.upcoming_order(first(fake))
    assert order is not None
    response = await adaptor.action("getOrderItems", {"orderId": order["public_id"]})
    assert response.status_code == 200
    assert response.json() == [expected_record(i, ("order_updated", "first_placed")) for i in fake.items_of(order)]


async def test_get_shipping_address(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    address = next(a for a in fake.addresses.values() if a["customer"] == "cust_0001")
    address["token_id"] = "tok-SECRET-ADDRESS"
    response = await adaptor.action("getShippingAddress", {"addressId": address["public_id"]})
    assert response.status_code == 200
    assert response.json() == expected_record(address, ("created", "updated"))
    assert "tok-SECRET-ADDRESS" not in response.text


async def test_get_shipping_address_unknown(adaptor: Adaptor) -> None:
    response = await adaptor.action("getShippingAddress", {"addressId": "missing"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "address with id missing does not exist"


async def test_cancel_subscription_with_a_reason(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    response = await adaptor.action(
        "cancelSubscription",
        {
            "subscriptionId": subscription["public_id"],
            "cancelReasonCode": 6,
            "cancelReasonDetails": "Beans too oily",
            "gladlyCustomerId": GLADLY_CUSTOMER,
        },
    )
    assert response.status_code == 200
    assert subscription["live"] is False and subscription["cancel_reason"] == "6|Beans too oily"
    assert response.json() == expected_record(subscription, SUBSCRIPTION_TIMES)
    assert fake.applied[0].json == {"cancel_reason": "6|Beans too oily"}
    [note] = notes
    assert note["customer_id"] == GLADLY_CUSTOMER
    assert note["id"] == activity_id("cancel", subscription["public_id"], og_time(subscription["cancelled"]))


async def test_cancel_subscription_without_a_reason_sends_an_empty_body(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    response = await adaptor.action("cancelSubscription", {"subscriptionId": subscription["public_id"]})
    assert response.status_code == 200
    assert fake.applied[0].json == {}
    assert not notes  # no Gladly customer given: nowhere to write the note


async def test_cancel_subscription_twice_gives_gladlys_400_text(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    canceled = first(fake, live=False)
    response = await adaptor.action(
        "cancelSubscription", {"subscriptionId": canceled["public_id"], "gladlyCustomerId": GLADLY_CUSTOMER}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == (
        "cancel failed: This subscription is not in a state which it can edited"
    )
    assert not notes


async def test_cancel_subscription_unknown(adaptor: Adaptor) -> None:
    response = await adaptor.action("cancelSubscription", {"subscriptionId": "gone"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "subscription with id gone does not exist"


async def test_reactivate_subscription(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    canceled = first(fake, live=False)
    response = await adaptor.action(
        "reactivateSubscription",
        {
            "subscriptionId": canceled["public_id"],
            "every": 3,
            "everyPeriod": 1,
            "startDate": "2025-03-01",
            "gladlyCustomerId": GLADLY_CUSTOMER,
        },
    )
    assert response.status_code == 200
    assert canceled["live"] is True and (canceled["every"], canceled["every_period"]) == (3, 1)
    assert response.json() == expected_record(canceled, SUBSCRIPTION_TIMES)
    [note] = notes
    assert note["id"] == activity_id("reactivate", canceled["public_id"], og_time(canceled["updated"]))
    assert note["content"]["body"].endswith("is active again: every 3 days, starting 2025-03-01.")


async def test_reactivate_an_active_subscription_gives_gladlys_400_text(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    active = first(fake)
    response = await adaptor.action(
        "reactivateSubscription",
        {"subscriptionId": active["public_id"], "every": 1, "everyPeriod": 3, "startDate": "2025-03-01"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "reactivate failed: This subscription is already in active state"


async def test_reactivate_with_missing_inputs(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    response = await adaptor.action("reactivateSubscription", {"subscriptionId": first(fake, live=False)["public_id"]})
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("every", "required"),
        ("everyPeriod", "required"),
        ("startDate", "required"),
    ]
    assert not fake.applied


async def test_skip_subscription(adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    response = await adaptor.action(
        "skipSubscription",
        {
            "orderId": order["public_id"],
            "subscriptionId": subscription["public_id"],
            "gladlyCustomerId": GLADLY_CUSTOMER,
        },
    )
    assert response.status_code == 200
    result = response.json()
    assert result["public_id"] == order["public_id"]
    assert result["status"] == "UNSENT"
    assert result == expected_record(order, ("created", "updated", "place", "cancelled")) | {"status": "UNSENT"}
    assert all(item["subscription"] != subscription["public_id"] for item in fake.items_of(order))
    [note] = notes
    assert note["id"] == activity_id("skip", subscription["public_id"], order["public_id"])


async def test_skip_subscription_of_an_unknown_order(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    response = await adaptor.action("skipSubscription", {"orderId": "nope", "subscriptionId": first(fake)["public_id"]})
    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "order with id nope does not exist"


async def test_skip_subscription_not_in_the_order_gives_gladlys_400_text(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    order = fake.upcoming_order(first(fake))
    assert order is not None
    other = first(fake, "cust_0002")
    response = await adaptor.action(
        "skipSubscription", {"orderId": order["public_id"], "subscriptionId": other["public_id"]}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == (
        "skip subscription failed: This subscription is not part of this order."
    )


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("getSubscriptionsByCustomerId", "customerId"),
        ("getSubscriptionById", "subscriptionId"),
        ("getOrderItems", "orderId"),
        ("getShippingAddress", "addressId"),
        ("cancelSubscription", "subscriptionId"),
    ],
)
async def test_a_missing_input_is_a_400_naming_it(adaptor: Adaptor, name: str, attr: str) -> None:
    response = await adaptor.action(name, {})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"attr": attr, "code": "required", "detail": f"{attr} is required"}]}


async def test_an_unknown_action_is_a_404(adaptor: Adaptor) -> None:
    response = await adaptor.action("deleteEverything", {})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "unknown_action"


async def test_any_other_ordergroove_status_gives_the_status_and_body(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    fake.faults.add(500, method="GET", body={"detail": "database on fire"})
    response = await adaptor.action("getSubscriptionById", {"subscriptionId": first(fake)["public_id"]})
    assert response.status_code == 502
    assert response.json()["errors"][0]["detail"] == 'get subscription failed: 500 {"detail": "database on fire"}'


async def test_a_note_answer_gladly_nests_deeply_does_not_fail_the_action(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    response = await adaptor.action(
        "cancelSubscription", {"subscriptionId": subscription["public_id"], "gladlyCustomerId": NESTED_CUSTOMER}
    )
    # The cancel is applied and answered as such; only the note is missing.
    assert response.status_code == 200
    assert response.json() == expected_record(subscription, SUBSCRIPTION_TIMES)
    assert subscription["live"] is False
    assert not notes


@pytest.mark.parametrize(
    ("name", "inputs", "attr"),
    [
        ("cancelSubscription", {"cancelReasonCode": "\u00b2"}, "cancelReasonCode"),
        ("cancelSubscription", {"cancelReasonCode": "\u0663"}, "cancelReasonCode"),
        ("reactivateSubscription", {"every": "\u0663", "everyPeriod": 2, "startDate": "2025-02-01"}, "every"),
        ("reactivateSubscription", {"every": 2, "everyPeriod": "\u0662", "startDate": "2025-02-01"}, "everyPeriod"),
        ("reactivateSubscription", {"every": 10**400, "everyPeriod": 2, "startDate": "2025-02-01"}, "every"),
    ],
)
async def test_numbers_in_other_digits_are_a_400(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, name: str, inputs: dict[str, Any], attr: str
) -> None:
    subscription = first(fake, live=name == "cancelSubscription")
    response = await adaptor.action(name, {"subscriptionId": subscription["public_id"], **inputs})
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, "invalid")]
    assert not fake.applied


async def test_a_lone_surrogate_in_the_inputs_is_a_400(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    body = b'{"subscriptionId": "sub\\udc80"}'
    response = await adaptor.request("POST", "/actions/getSubscriptionById", body=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "subscriptionId"
    assert fake.requests == []


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 500}, {"drop": "after"}, {"truncate": True}])
async def test_an_action_that_may_have_reached_ordergroove_says_it_may_be_applied(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]], fault: dict[str, Any]
) -> None:
    # A 5xx, a connection lost after sending or an answer cut short: the cancel may be done. The agent is told so
    # (never that it failed, or to try again), and nothing is sent twice.
    subscription = first(fake)
    fake.faults.add(**fault, method="PATCH")
    response = await adaptor.action("cancelSubscription", {"subscriptionId": subscription["public_id"]})
    assert response.status_code in (502, 503, 504)
    detail = response.json()["errors"][0]["detail"]
    assert detail.startswith("cancel: the outcome is unknown")
    assert "may have been applied" in detail and "refresh" in detail
    assert [r.method for r in fake.requests].count("PATCH") == 1
    assert not notes


async def test_a_read_that_fails_says_nothing_was_applied(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    fake.faults.add(drop="after", method="GET", times=None)
    response = await adaptor.action("getSubscriptionById", {"subscriptionId": first(fake)["public_id"]})
    assert response.status_code == 503
    assert "may have been applied" not in response.json()["errors"][0]["detail"]
