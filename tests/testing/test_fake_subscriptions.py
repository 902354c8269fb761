"""Subscription rules: cancel, reactivate, quantity, frequency, next order date, prepaid, locks, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import SUBSCRIPTION_FIELDS, Api

NOT_EDITABLE = {"detail": "This subscription is not in a state which it can edited"}
NOT_FOUND = {"detail": "Unable to find requested asset."}
LOCKED = {"details": "Resource is currently in use. Please try again shortly."}


@pytest.fixture
def sub(fake: FakeOrdergroove) -> dict[str, Any]:
    fake.add_product("p1", price="10.00")
    fake.add_product("p2", price="7.50")
    return fake.add_subscription("c1", "p1", quantity=2)


def test_a_new_subscription_has_an_upcoming_order_one_frequency_out(fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    assert order["place"] == "2025-04-01 00:00:00"
    assert order["status"] == 1
    [item] = fake.items_of(order)
    assert (item["subscription"], item["quantity"], item["total_price"]) == (sub["public_id"], 2, "20.00")
    assert order["sub_total"] == "20.00" and order["total"] == "20.00"


def test_retrieve_has_every_reference_field(api: Api, sub: dict[str, Any]) -> None:
    response = api.get(f"/subscriptions/{sub['public_id']}/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == SUBSCRIPTION_FIELDS
    assert body["start_date"] == "2025-03-01" and body["created"] == "2025-03-01 12:00:00"
    assert len(body["public_id"]) == 32 and int(body["public_id"], 16) >= 0


def test_prepaid_subscription_carries_its_context(api: Api, fake: FakeOrdergroove) -> None:
    prepaid = fake.add_subscription("c1", "p9", prepaid=True)
    body = api.get(f"/subscriptions/{prepaid['public_id']}/").json()
    assert set(body) == SUBSCRIPTION_FIELDS | {"prepaid_subscription_context"}
    assert set(body["prepaid_subscription_context"]) == {
        "prepaid_orders_remaining",
        "prepaid_orders_per_billing",
        "renewal_behavior",
        "last_renewal_revenue",
        "prepaid_origin_merchant_order_id",
    }


def test_unknown_subscription_is_404(api: Api) -> None:
    for method, path in [("GET", "/subscriptions/nope/"), ("PATCH", "/subscriptions/nope/cancel/")]:
        response = api.request(method, path, json={})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_cancel_a_live_subscription(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {"cancel_reason": "4|Overstocked"})
    assert response.status_code == 200
    body = response.json()
    assert body["live"] is False
    assert body["cancelled"] == "2025-03-01 12:00:00"
    assert (body["cancel_reason"], body["cancel_reason_code"]) == ("4|Overstocked", 4)
    assert fake.subscriptions[sub["public_id"]]["live"] is False
    # Its items left the upcoming order, which held nothing else and so is cancelled.
    assert fake.items_of(order) == []
    assert order["status"] == 4 and order["cancelled"] == "2025-03-01 12:00:00"
    assert fake.upcoming_order(sub) is None


def test_cancel_without_a_reason(api: Api, sub: dict[str, Any]) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/")
    assert response.status_code == 200
    assert (response.json()["cancel_reason"], response.json()["cancel_reason_code"]) == (None, None)


def test_cancel_keeps_a_free_text_reason_without_a_code(api: Api, sub: dict[str, Any]) -> None:
    body = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {"cancel_reason": "moving"}).json()
    assert (body["cancel_reason"], body["cancel_reason_code"]) == ("moving", None)


@pytest.mark.parametrize("head", ["\u00b2", "\u0663", "\uff14"])
def test_cancel_reason_with_a_non_ascii_digit_has_no_code(api: Api, sub: dict[str, Any], head: str) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {"cancel_reason": f"{head}|Overstocked"})
    assert response.status_code == 200
    assert (response.json()["cancel_reason"], response.json()["cancel_reason_code"]) == (f"{head}|Overstocked", None)


def test_cancel_a_canceled_subscription_is_refused(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    assert api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {}).status_code == 200
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {})
    assert (response.status_code, response.json()) == (400, NOT_EDITABLE)
    assert [r.applied for r in fake.requests] == [True, False]


def test_cancel_reason_must_be_text(api: Api, sub: dict[str, Any]) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {"cancel_reason": ["4"]})
    assert (response.status_code, response.json()) == (400, {"cancel_reason": ["Not a valid string."]})


def test_prepaid_refuses_cancel_and_change_quantity(api: Api, fake: FakeOrdergroove) -> None:
    prepaid = fake.add_subscription("c1", "p1", prepaid=True)
    for action, body in [("cancel", {}), ("change_quantity", {"quantity": 3})]:
        response = api.patch(f"/subscriptions/{prepaid['public_id']}/{action}/", body)
        assert response.status_code == 400
        assert set(response.json()) == {"detail"}
    assert prepaid["live"] is True and prepaid["quantity"] == 1
    assert fake.applied == []


def test_cancel_is_refused_while_its_order_is_locked(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    order["locked"] = True
    response = api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {})
    assert (response.status_code, response.json()) == (423, LOCKED)
    assert sub["live"] is True and len(fake.items_of(order)) == 1


def test_reactivate_a_canceled_subscription(api: Api, fake: FakeOrdergroove) -> None:
    canceled = fake.add_subscription("c1", "p1", live=False, cancel_reason="1|Customer request")
    assert canceled["cancel_reason_code"] == 1 and fake.upcoming_order(canceled) is None
    body = {"every": 2, "every_period": 2, "start_date": "2025-03-10"}
    response = api.patch(f"/subscriptions/{canceled['public_id']}/reactivate/", body)
    assert response.status_code == 200
    got = response.json()
    assert got["live"] is True
    assert (got["cancelled"], got["cancel_reason"], got["cancel_reason_code"]) == (None, None, None)
    assert (got["every"], got["every_period"], got["frequency_days"], got["start_date"]) == (2, 2, 14, "2025-03-10")
    order = fake.upcoming_order(canceled)
    assert order is not None and order["place"] == "2025-03-10 00:00:00"
    assert [i["subscription"] for i in fake.items_of(order)] == [canceled["public_id"]]


def test_reactivate_with_a_next_order_date(api: Api, fake: FakeOrdergroove) -> None:
    canceled = fake.add_subscription("c1", "p1", live=False)
    body = {"every": 1, "every_period": 3, "start_date": "2025-03-10", "next_order_date": "2025-03-20"}
    assert api.patch(f"/subscriptions/{canceled['public_id']}/reactivate/", body).status_code == 200
    order = fake.upcoming_order(canceled)
    assert order is not None and order["place"] == "2025-03-20 00:00:00"


def test_reactivate_an_active_subscription_is_refused(api: Api, sub: dict[str, Any]) -> None:
    body = {"every": 1, "every_period": 3, "start_date": "2025-03-10"}
    response = api.patch(f"/subscriptions/{sub['public_id']}/reactivate/", body)
    assert response.status_code == 400
    assert response.json() == {"subscription": ["This subscription is already in active state"]}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "every": ["This field is required."],
                "every_period": ["This field is required."],
                "start_date": ["This field is required."],
            },
        ),
        ({"every": "x", "every_period": 3, "start_date": "2025-03-10"}, {"every": ["A valid integer is required."]}),
        ({"every": 1, "every_period": 7, "start_date": "2025-03-10"}, {"every_period": ['"7" is not a valid choice.']}),
        (
            {"every": 1, "every_period": 3, "start_date": "10/03/2025"},
            {"start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            {"every": 1, "every_period": 3, "start_date": "2025-03-10", "next_order_date": "2025-02-01"},
            {"next_order_date": ["Ensure this date is not in the past."]},
        ),
    ],
)
def test_reactivate_validates_its_body(
    api: Api, fake: FakeOrdergroove, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    canceled = fake.add_subscription("c1", "p1", live=False)
    response = api.patch(f"/subscriptions/{canceled['public_id']}/reactivate/", body)
    assert (response.status_code, response.json()) == (400, errors)
    assert canceled["live"] is False and fake.applied == []


def test_change_quantity_updates_the_subscription_and_its_unsent_items(
    api: Api, fake: FakeOrdergroove, sub: dict[str, Any]
) -> None:
    past = fake.add_order("c1", status=5, place=dt.datetime(2025, 2, 1, 6))
    past_item = fake.add_item(past, product="p1", subscription=sub, quantity=2)
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_quantity/", {"quantity": 5})
    assert (response.status_code, response.json()["quantity"]) == (200, 5)
    upcoming = fake.upcoming_order(sub)
    assert upcoming is not None
    [item] = fake.items_of(upcoming)
    assert (item["quantity"], item["total_price"], upcoming["sub_total"]) == (5, "50.00", "50.00")
    assert past_item["quantity"] == 2  # a sent order is history


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"quantity": ["This field is required."]}),
        ({"quantity": "many"}, {"quantity": ["A valid integer is required."]}),
        ({"quantity": True}, {"quantity": ["A valid integer is required."]}),
        ({"quantity": 0}, {"quantity": ["Ensure this value is greater than or equal to 1."]}),
        ({"quantity": None}, {"quantity": ["This field may not be null."]}),
        # Digits of other scripts are not numbers to Ordergroove: ASCII digits only.
        ({"quantity": "\u0663"}, {"quantity": ["A valid integer is required."]}),
        ({"quantity": "\uff13"}, {"quantity": ["A valid integer is required."]}),
        ({"quantity": "\u00b2"}, {"quantity": ["A valid integer is required."]}),
        # Past Ordergroove's 32-bit integer columns (the emulator used to fail pricing such a quantity: a 500).
        ({"quantity": 10**30}, {"quantity": ["Ensure this value is less than or equal to 2147483647."]}),
        ({"quantity": "1" * 30}, {"quantity": ["Ensure this value is less than or equal to 2147483647."]}),
    ],
)
def test_change_quantity_validates(api: Api, sub: dict[str, Any], body: dict[str, Any], errors: Any) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_quantity/", body)
    assert (response.status_code, response.json()) == (400, errors)
    assert sub["quantity"] == 2


def test_change_quantity_accepts_an_integer_string(api: Api, sub: dict[str, Any]) -> None:
    assert api.patch(f"/subscriptions/{sub['public_id']}/change_quantity/", {"quantity": "3"}).json()["quantity"] == 3


def test_changes_to_a_canceled_subscription_are_refused(api: Api, fake: FakeOrdergroove) -> None:
    canceled = fake.add_subscription("c1", "p1", live=False)
    for action, body in [
        ("change_quantity", {"quantity": 2}),
        ("change_frequency", {"every": 2, "every_period": 2}),
        ("change_next_order_date", {"order_date": "2025-04-10"}),
    ]:
        response = api.patch(f"/subscriptions/{canceled['public_id']}/{action}/", body)
        assert (response.status_code, response.json()) == (400, NOT_EDITABLE), action


def test_change_frequency(api: Api, sub: dict[str, Any]) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_frequency/", {"every": 3, "every_period": 2})
    body = response.json()
    assert (body["every"], body["every_period"], body["frequency_days"]) == (3, 2, 21)
    bad = api.patch(f"/subscriptions/{sub['public_id']}/change_frequency/", {"every": 0, "every_period": 9})
    assert bad.status_code == 400
    assert bad.json() == {
        "every": ["Ensure this value is greater than or equal to 1."],
        "every_period": ['"9" is not a valid choice.'],
    }


def test_change_next_order_date_moves_the_upcoming_order(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    order["place"] = "2025-04-01 06:00:00"
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_next_order_date/", {"order_date": "2025-04-10"})
    assert (response.status_code, response.json()["public_id"]) == (200, sub["public_id"])
    assert order["place"] == "2025-04-10 06:00:00"
    assert fake.upcoming_order(sub) is order


def test_change_next_order_date_splits_a_shared_order(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    other = fake.add_subscription("c1", "p2")
    shared = fake.upcoming_order(sub)
    assert shared is not None and fake.upcoming_order(other) is shared  # same customer, same day: one order
    moved_response = api.patch(
        f"/subscriptions/{sub['public_id']}/change_next_order_date/", {"order_date": "2025-04-10"}
    )
    assert moved_response.status_code == 200
    moved = fake.upcoming_order(sub)
    assert moved is not None and moved is not shared
    assert moved["place"] == "2025-04-10 00:00:00"
    assert [i["subscription"] for i in fake.items_of(shared)] == [other["public_id"]]
    assert shared["status"] == 1 and shared["sub_total"] == "7.50"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"order_date": "2025-03-01"}, {"order_date": ["Ensure this date is in the future."]}),
        ({"order_date": "2025-02-01"}, {"order_date": ["Ensure this date is in the future."]}),
        (
            {"order_date": "soon"},
            {"order_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        ({}, {"order_date": ["This field is required."]}),
    ],
)
def test_change_next_order_date_validates(api: Api, sub: dict[str, Any], body: Any, errors: Any) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_next_order_date/", body)
    assert (response.status_code, response.json()) == (400, errors)


def test_change_next_order_date_without_an_upcoming_order(api: Api, fake: FakeOrdergroove) -> None:
    lone = fake.add_subscription("c1", "p1", create_order=False)
    response = api.patch(f"/subscriptions/{lone['public_id']}/change_next_order_date/", {"order_date": "2025-04-10"})
    assert response.status_code == 400 and set(response.json()) == {"detail"}


def test_change_shipping_and_payment_accept_only_the_customers_own(
    api: Api, fake: FakeOrdergroove, sub: dict[str, Any]
) -> None:
    mine = fake.add_address("c1", label="Office")
    theirs = fake.add_address("c2")
    card = fake.add_payment("c1", cc_number_ending="1111")
    path = f"/subscriptions/{sub['public_id']}/change_shipping/"
    assert api.patch(path, {"shipping_address": mine["public_id"]}).status_code == 200
    assert sub["shipping_address"] == mine["public_id"]
    refused = api.patch(
        f"/subscriptions/{sub['public_id']}/change_shipping/", {"shipping_address": theirs["public_id"]}
    )
    assert refused.status_code == 400
    assert refused.json() == {"shipping_address": [f'Invalid pk "{theirs["public_id"]}" - object does not exist.']}
    assert (
        api.patch(f"/subscriptions/{sub['public_id']}/change_payment/", {"payment": card["public_id"]}).status_code
        == 200
    )
    assert sub["payment"] == card["public_id"]


def test_change_product_swaps_the_unsent_items(api: Api, fake: FakeOrdergroove, sub: dict[str, Any]) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/change_product/", {"product": "p2"})
    assert (response.status_code, response.json()["product"]) == (200, "p2")
    order = fake.upcoming_order(sub)
    assert order is not None
    [item] = fake.items_of(order)
    assert (item["product"], item["price"], item["total_price"]) == ("p2", "7.50", "15.00")
    missing = api.patch(f"/subscriptions/{sub['public_id']}/change_product/", {"product": "nope"})
    assert missing.status_code == 400 and list(missing.json()) == ["product"]


def test_update_sets_extra_data_and_price(api: Api, sub: dict[str, Any]) -> None:
    body = {"extra_data": {"gift": True}, "price": "8.5"}
    got = api.patch(f"/subscriptions/{sub['public_id']}/update/", body).json()
    assert (got["extra_data"], got["price"]) == ({"gift": True}, "8.50")


@pytest.mark.parametrize("price", ["\u0663", "\u00b2", "NaN", "-Infinity", "1e999999", "9" * 40])
def test_update_refuses_a_price_that_is_not_an_ascii_amount(api: Api, sub: dict[str, Any], price: str) -> None:
    response = api.patch(f"/subscriptions/{sub['public_id']}/update/", {"price": price})
    assert (response.status_code, response.json()) == (400, {"price": ["A valid number is required."]})
    assert sub["price"] is None


def test_body_that_is_not_json_or_not_an_object(api: Api, sub: dict[str, Any]) -> None:
    path = f"/subscriptions/{sub['public_id']}/change_quantity/"
    bad = api.request("PATCH", path, content=b"{quantity", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and set(bad.json()) == {"detail"}
    listed = api.patch(path, [1])
    assert listed.status_code == 400
    assert listed.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


def test_wrong_method_and_wrong_slash(api: Api, sub: dict[str, Any]) -> None:
    wrong = api.get(f"/subscriptions/{sub['public_id']}/cancel/")
    assert (wrong.status_code, wrong.json()) == (405, {"detail": 'Method "GET" not allowed.'})
    assert "PATCH" in wrong.headers["allow"]
    assert api.patch(f"/subscriptions/{sub['public_id']}/cancel", {}).status_code == 404
    assert api.get(f"/subscriptions/{sub['public_id']}").status_code == 404
    assert api.get("/nothing/here/").json() == {"detail": "Not found."}
    assert sub["live"] is True


def test_an_id_is_one_path_segment(api: Api, fake: FakeOrdergroove) -> None:
    odd = fake.add_customer("a/b c")
    response = api.get("/customers/a%2Fb%20c/")
    assert (response.status_code, response.json()["merchant_user_id"]) == (200, odd["merchant_user_id"])
