"""Order and item rules: skip a subscription, cancel, send now, change the place date, locks, items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import ITEM_FIELDS, ORDER_FIELDS, Api

LOCKED = {"details": "Resource is currently in use. Please try again shortly."}
ORDER_NOT_EDITABLE = {"detail": "This order is not in a state which it can edited"}


@pytest.fixture
def pair(fake: FakeOrdergroove) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Two monthly subscriptions of one customer, shipping together in one upcoming order."""
    fake.add_product("p1", price="10.00")
    fake.add_product("p2", price="4.00")
    first = fake.add_subscription("c1", "p1")
    second = fake.add_subscription("c1", "p2", quantity=3)
    order = fake.upcoming_order(first)
    assert order is not None and fake.upcoming_order(second) is order
    return first, second, order


def test_retrieve_order_and_item_shapes(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, _, order = pair
    body = api.get(f"/orders/{order['public_id']}/").json()
    assert set(body) == ORDER_FIELDS
    assert (body["sub_total"], body["total"], body["status"], body["locked"]) == ("22.00", "22.00", 1, False)
    item = fake.items_of(order)[0]
    got = api.get(f"/items/{item['public_id']}/").json()
    assert set(got) == ITEM_FIELDS
    assert (got["order"], got["subscription"], got["price"], got["one_time"]) == (
        order["public_id"],
        first["public_id"],
        "10.00",
        False,
    )


def test_skip_subscription_removes_its_items_and_creates_its_next_order(
    api: Api, fake: FakeOrdergroove, pair: Any
) -> None:
    first, second, order = pair
    response = api.patch(f"/orders/{order['public_id']}/skip_subscription/", {"subscription": first["public_id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["public_id"] == order["public_id"] and body["status"] == 1
    assert body["sub_total"] == "12.00"
    assert [i["subscription"] for i in fake.items_of(order)] == [second["public_id"]]
    following = fake.upcoming_order(first)
    assert following is not None and following is not order
    assert following["place"] == "2025-05-01 00:00:00"  # one month after the skipped order
    assert [i["subscription"] for i in fake.items_of(following)] == [first["public_id"]]
    assert [r.path for r in fake.applied] == [f"/orders/{order['public_id']}/skip_subscription/"]


def test_skipping_the_last_subscription_cancels_the_order(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, second, order = pair
    for sub in (first, second):
        path = f"/orders/{order['public_id']}/skip_subscription/"
        assert api.patch(path, {"subscription": sub["public_id"]}).status_code == 200
    assert order["status"] == 4 and order["cancelled"] == "2025-03-01 12:00:00"
    assert fake.items_of(order) == []
    # The two next orders fall on the same day for the same customer: they ship together again.
    assert fake.upcoming_order(first) is fake.upcoming_order(second)


@pytest.mark.parametrize(
    ("every", "every_period", "place"),
    [(10, 1, "2025-04-11 00:00:00"), (2, 2, "2025-04-15 00:00:00"), (1, 4, "2026-04-01 00:00:00")],
)
def test_skip_moves_by_the_subscriptions_frequency(
    api: Api, fake: FakeOrdergroove, every: int, every_period: int, place: str
) -> None:
    sub = fake.add_subscription("c1", "p1", every=every, every_period=every_period, next_order_date=dt.date(2025, 4, 1))
    order = fake.upcoming_order(sub)
    assert order is not None
    path = f"/orders/{order['public_id']}/skip_subscription/"
    assert api.patch(path, {"subscription": sub["public_id"]}).status_code == 200
    following = fake.upcoming_order(sub)
    assert following is not None and following["place"] == place


def test_skip_subscription_validates(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, _, order = pair
    stranger = fake.add_subscription("c2", "p1")
    path = f"/orders/{order['public_id']}/skip_subscription/"
    missing = api.patch(path, {})
    assert (missing.status_code, missing.json()) == (400, {"subscription": ["This field is required."]})
    outside = api.patch(path, {"subscription": stranger["public_id"]})
    assert outside.status_code == 400 and list(outside.json()) == ["subscription"]
    unknown = api.patch("/orders/nope/skip_subscription/", {"subscription": first["public_id"]})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Unable to find requested asset."})
    assert fake.applied == [] and len(fake.items_of(order)) == 2


def test_order_cancel_skips_each_subscription(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, second, order = pair
    response = api.patch(f"/orders/{order['public_id']}/cancel/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancelled"]) == (4, "2025-03-01 12:00:00")
    for sub in (first, second):
        following = fake.upcoming_order(sub)
        assert following is not None and following["place"] == "2025-05-01 00:00:00"
        assert sub["live"] is True


def test_send_now(api: Api, pair: Any) -> None:
    _, _, order = pair
    response = api.patch(f"/orders/{order['public_id']}/send_now/")
    assert (response.status_code, response.json()["status"]) == (200, 6)
    again = api.patch(f"/orders/{order['public_id']}/send_now/")
    assert (again.status_code, again.json()) == (400, ORDER_NOT_EDITABLE)


def test_actions_on_a_sent_order_are_refused(api: Api, fake: FakeOrdergroove) -> None:
    done = fake.add_order("c1", status=5, place=dt.datetime(2025, 2, 1))
    sub = fake.add_subscription("c1", "p1")
    fake.add_item(done, product="p1", subscription=sub)
    for action, body in [
        ("cancel", None),
        ("send_now", None),
        ("skip_subscription", {"subscription": sub["public_id"]}),
        ("change_place_date", {"place": "2025-04-01 00:00:00"}),
    ]:
        response = api.patch(f"/orders/{done['public_id']}/{action}/", body)
        assert (response.status_code, response.json()) == (400, ORDER_NOT_EDITABLE), action
    assert done["status"] == 5


def test_change_place_date(api: Api, pair: Any) -> None:
    _, _, order = pair
    path = f"/orders/{order['public_id']}/change_place_date/"
    response = api.patch(path, {"place": "2025-04-05 08:30:00"})
    assert (response.status_code, response.json()["place"]) == (200, "2025-04-05 08:30:00")
    assert api.patch(path, {"place": "2025-04-06"}).json()["place"] == "2025-04-06 00:00:00"
    past = api.patch(path, {"place": "2025-02-01 00:00:00"})
    assert (past.status_code, past.json()) == (400, {"place": ["Ensure this date is in the future."]})
    garbled = api.patch(path, {"place": "next tuesday"})
    assert garbled.status_code == 400 and list(garbled.json()) == ["place"]
    assert order["place"] == "2025-04-06 00:00:00"


def test_a_locked_order_refuses_every_change(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, _, order = pair
    order["locked"] = True
    item = fake.items_of(order)[0]
    attempts = [
        ("PATCH", f"/orders/{order['public_id']}/skip_subscription/", {"subscription": first["public_id"]}),
        ("PATCH", f"/orders/{order['public_id']}/cancel/", None),
        ("PATCH", f"/orders/{order['public_id']}/send_now/", None),
        ("PATCH", f"/orders/{order['public_id']}/change_place_date/", {"place": "2025-04-05 00:00:00"}),
        ("PATCH", f"/items/{item['public_id']}/change_quantity/", {"quantity": 4}),
        ("DELETE", f"/items/{item['public_id']}/delete/", None),
        ("PATCH", f"/subscriptions/{first['public_id']}/change_quantity/", {"quantity": 4}),
        ("PATCH", f"/subscriptions/{first['public_id']}/change_next_order_date/", {"order_date": "2025-04-09"}),
    ]
    for method, path, body in attempts:
        response = api.request(method, path, json=body)
        assert (response.status_code, response.json()) == (423, LOCKED), path
    assert api.get(f"/orders/{order['public_id']}/").status_code == 200  # reading is fine
    assert order["status"] == 1 and len(fake.items_of(order)) == 2 and fake.applied == []


def test_item_change_quantity_and_delete(api: Api, fake: FakeOrdergroove, pair: Any) -> None:
    first, _, order = pair
    one, two = fake.items_of(order)
    changed = api.patch(f"/items/{one['public_id']}/change_quantity/", {"quantity": 2})
    assert (changed.status_code, changed.json()["total_price"]) == (200, "20.00")
    assert order["sub_total"] == "32.00" and first["quantity"] == 1  # this order only
    bad = api.patch(f"/items/{one['public_id']}/change_quantity/", {"quantity": -1})
    assert bad.json() == {"quantity": ["Ensure this value is greater than or equal to 1."]}
    deleted = api.request("DELETE", f"/items/{two['public_id']}/delete/")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert order["status"] == 1
    assert api.request("DELETE", f"/items/{one['public_id']}/delete/").status_code == 204
    assert order["status"] == 4
    assert api.get(f"/items/{one['public_id']}/").status_code == 404


def test_tax_follows_the_rate(fake: FakeOrdergroove, api: Api) -> None:
    fake.tax_rate = "0.10"
    sub = fake.add_subscription("c1", "p1", quantity=3)
    order = fake.upcoming_order(sub)
    assert order is not None
    body = api.get(f"/orders/{order['public_id']}/").json()
    assert (body["sub_total"], body["tax_total"], body["total"]) == ("30.00", "3.00", "33.00")
