"""The emulator's indexes answer exactly what a scan of every record would: the same records, in the same order,
after records are added, moved into a subscription, or deleted."""

from __future__ import annotations

from typing import Any

from ordergroove.testing import FakeOrdergroove

from ._support import Api


def _ids(response: Any) -> list[str]:
    return [record["public_id"] for record in response.json()["results"]]


def test_lists_by_customer_order_and_subscription_match_a_scan(http: Api, fake: FakeOrdergroove) -> None:
    # Interleaved customers and several days, so that a customer's records are spread over the collections.
    subs = [fake.add_subscription(f"c{i % 3}", f"p{i % 4}", every=1 + i % 2) for i in range(24)]
    for customer in ("c0", "c1", "c2", "nobody"):
        for resource in ("subscriptions", "orders", "addresses", "payments"):
            records: dict[str, dict[str, Any]] = getattr(fake, resource)
            scanned = [r["public_id"] for r in records.values() if r["customer"] == customer]
            listed = _ids(http.get(f"/{resource}/", params={"customer": customer, "page_size": 100}))
            assert listed == scanned, (customer, resource)
    for order in list(fake.orders.values())[:5]:
        scanned = [i["public_id"] for i in fake.items.values() if i["order"] == order["public_id"]]
        assert _ids(http.get("/items/", params={"order": order["public_id"]})) == scanned
    for sub in subs[:5]:
        scanned = [i["public_id"] for i in fake.items.values() if i["subscription"] == sub["public_id"]]
        assert _ids(http.get("/items/", params={"subscription": sub["public_id"]})) == scanned


def test_an_item_made_a_subscription_is_found_by_it(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("SKU-1", every=2, every_period=2)
    order = fake.add_order("c1", items=[{"product": "SKU-1"}, {"product": "SKU-1"}])
    first, second = fake.items_of(order)
    created = http.post("/subscriptions/create_from_item/", {"item": second["public_id"]}).json()
    by_subscription = http.get("/items/", params={"subscription": created["public_id"]})
    assert _ids(by_subscription) == [second["public_id"]]
    orders = http.get("/orders/", params={"subscription": created["public_id"]})
    assert _ids(orders) == [order["public_id"]]
    assert fake.upcoming_order(created["public_id"]) == order
    assert first["subscription"] is None


def test_a_deleted_item_is_gone_from_every_list(http: Api, fake: FakeOrdergroove) -> None:
    sub = fake.add_subscription("c1", "SKU-1")
    order = fake.upcoming_order(sub["public_id"])
    assert order is not None
    extra = fake.add_item(order, product="SKU-2")
    assert http.delete(f"/items/{extra['public_id']}/delete/").status_code in (200, 204)
    assert extra["public_id"] not in _ids(http.get("/items/", params={"order": order["public_id"]}))
    assert order["sub_total"] == "10.00"  # the totals follow the items that are left


def test_pages_of_a_whole_collection_follow_additions(http: Api, fake: FakeOrdergroove) -> None:
    for i in range(5):
        fake.add_subscription(f"c{i}", "SKU-1")
    headers = {"X-OG-API-VERSION": "2"}
    first = http.get("/subscriptions/", params={"page_size": 3}, headers=headers)
    fake.add_subscription("late", "SKU-1")  # added between two pages: the next page sees it, as a scan would
    rest = http.get(first.json()["next"], headers=headers)
    listed = _ids(first) + _ids(rest)
    assert listed == list(fake.subscriptions)
