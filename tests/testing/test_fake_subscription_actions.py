"""The subscription endpoints added for the whole REST surface."""

from __future__ import annotations

from typing import Any

from ordergroove.testing import FakeOrdergroove

from ._support import (
    COMPONENT_FIELDS,
    NO_PERMISSION,
    NOT_FOUND,
    PREPAID_FIELDS,
    ROTATION_CONTEXT_FIELDS,
    SUBSCRIPTION_FIELDS,
    Api,
    as_storefront,
)


def _sub(fake: FakeOrdergroove, customer: str = "c1", **fields: Any) -> dict[str, Any]:
    return fake.add_subscription(customer, "SKU-1", **fields)


def test_change_email_reminder(http: Api, fake: FakeOrdergroove) -> None:
    sub = _sub(fake)
    done = http.patch(f"/subscriptions/{sub['public_id']}/change_email_reminder/", {"reminder_days": 7})
    assert done.status_code == 200 and set(done.json()) == SUBSCRIPTION_FIELDS
    assert done.json()["reminder_days"] == 7 == sub["reminder_days"]
    low = http.patch(f"/subscriptions/{sub['public_id']}/change_email_reminder/", {"reminder_days": 4})
    assert (low.status_code, low.json()) == (
        400,
        {"reminder_days": ["Ensure this value is greater than or equal to 5."]},
    )
    missing = http.patch(f"/subscriptions/{sub['public_id']}/change_email_reminder/", {})
    assert missing.json() == {"reminder_days": ["This field is required."]}
    other = _sub(fake, "c2")
    path = f"/subscriptions/{other['public_id']}/change_email_reminder/"
    assert http.patch(path, {"reminder_days": 9}, **as_storefront(fake, "c1")).json() == NOT_FOUND
    assert http.patch(path, {"reminder_days": 9}, **as_storefront(fake, "c2")).status_code == 200


def test_update_takes_a_cancel_reason_and_a_zero_price(http: Api, fake: FakeOrdergroove) -> None:
    sub = _sub(fake)
    body = {"cancel_reason": "4|Overstocked", "price": "0.00", "components": [{"product": "123"}]}
    done = http.patch(f"/subscriptions/{sub['public_id']}/update/", body)
    assert done.status_code == 200
    assert (sub["cancel_reason"], sub["cancel_reason_code"], sub["price"]) == ("4|Overstocked", 4, "0.00")
    assert sub["components"] == [{"product": "123"}]


def _create_in_order_body(fake: FakeOrdergroove, customer: str = "c1") -> dict[str, Any]:
    fake.add_product("SKU-2", price="4.00")
    order = fake.add_order(customer)
    return {
        "merchant": fake.merchant_public_id,
        "customer": customer,
        "product": "SKU-2",
        "offer": "offer-1",
        "order": order["public_id"],
        "session_id": "ac4f7938383a11e89ecbbc764e1107f2.896371.1539022086",
        "payment": order["payment"],
        "shipping_address": order["shipping_address"],
        "quantity": 2,
        "every": 2,
        "every_period": 3,
        "components": [{"product": "SKU-1", "quantity": 1}],
    }


def test_create_in_order(http: Api, fake: FakeOrdergroove) -> None:
    body = _create_in_order_body(fake)
    done = http.post("/subscriptions/iu/", body)
    assert done.status_code == 200, done.text
    created = done.json()
    assert set(created) == SUBSCRIPTION_FIELDS
    assert (created["product"], created["quantity"], created["every"], created["live"]) == ("SKU-2", 2, 2, True)
    # Readable, listed, and its first shipment rides in the given order.
    assert http.get(f"/subscriptions/{created['public_id']}/").json() == created
    listed = http.get("/subscriptions/", params={"customer": "c1"}).json()["results"]
    assert created["public_id"] in [row["public_id"] for row in listed]
    items = fake.items_of(body["order"])
    assert [(i["product"], i["subscription"], i["quantity"]) for i in items] == [("SKU-2", created["public_id"], 2)]
    assert fake.orders[body["order"]]["sub_total"] == "8.00"
    component = created["components"][0]
    assert set(component) == COMPONENT_FIELDS and component["product"] == "SKU-1"
    assert fake.webhooks.events[-1]["type"] == "subscription.create"


def test_create_in_order_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    body = _create_in_order_body(fake)
    missing = http.post("/subscriptions/iu/", {})
    assert missing.status_code == 400 and set(missing.json()) >= {"customer", "order", "every", "session_id"}
    unknown = http.post("/subscriptions/iu/", {**body, "product": "nope"})
    assert unknown.json() == {"product": ['Invalid pk "nope" - object does not exist.']}
    fake.add_customer("c2")
    assert http.post("/subscriptions/iu/", body, **as_storefront(fake, "c2")).json() == NO_PERMISSION
    assert http.post("/subscriptions/iu/", body, **as_storefront(fake, "c1")).status_code == 200
    assert len(fake.subscriptions) == 1


def test_create_from_item(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("SKU-1", every=2, every_period=2)
    order = fake.add_order("c1", items=[{"product": "SKU-1", "quantity": 3}])
    item = fake.items_of(order)[0]
    done = http.post("/subscriptions/create_from_item/", {"item": item["public_id"]})
    assert done.status_code == 200, done.text
    created = done.json()
    assert (created["product"], created["quantity"], created["every"], created["every_period"]) == ("SKU-1", 3, 2, 2)
    assert (item["subscription"], item["one_time"]) == (created["public_id"], False)
    assert http.get(f"/subscriptions/{created['public_id']}/").status_code == 200
    again = http.post("/subscriptions/create_from_item/", {"item": item["public_id"]})
    assert again.json() == {"item": ["This item already belongs to a subscription."]}
    assert http.post("/subscriptions/create_from_item/", {"item": "nope"}).status_code == 400


def test_rotation_ordinal(http: Api, fake: FakeOrdergroove) -> None:
    sub = _sub(fake)
    fake.add_product("ROT-1")
    path = f"/subscriptions/{sub['public_id']}/rotation_ordinal/"
    assert http.get(path + "ROT-1").json() == NOT_FOUND  # the subscription has no rotation with it yet
    start = http.get(path + "SKU-1").json()
    assert set(start) == ROTATION_CONTEXT_FIELDS and start["ordinal"] == 1
    done = http.patch(path + "update/", {"rotating_product": "ROT-1", "ordinal": 3})
    assert done.json() == {"ordinal": 3, "rotation_product": "ROT-1", "subscription": sub["public_id"]}
    assert http.get(path + "ROT-1").json() == {
        "ordinal": 3,
        "rotating_product": "ROT-1",
        "subscription": sub["public_id"],
        "active": True,
    }
    assert http.get(path + "ROT-1/").status_code == 404  # no trailing slash on this path
    bad = http.patch(path + "update/", {"rotating_product": "ROT-1", "ordinal": 0})
    assert bad.json() == {"ordinal": ["Ensure this value is greater than or equal to 1."]}
    refused = http.patch(path + "update/", {"rotating_product": "ROT-1"}, **as_storefront(fake, "c1"))
    assert refused.json() == NO_PERMISSION  # application scope only


def test_prepaid_context_and_renewal_behavior(http: Api, fake: FakeOrdergroove) -> None:
    sub = _sub(fake, prepaid=True)
    base = f"/subscriptions/{sub['public_id']}/"
    done = http.patch(base + "change_renewal_behavior/", {"renewal_behavior": "downgrade"})
    assert done.status_code == 200 and set(done.json()["prepaid_subscription_context"]) == PREPAID_FIELDS
    assert sub["prepaid_subscription_context"]["renewal_behavior"] == "downgrade"
    wrong = http.patch(base + "change_renewal_behavior/", {"renewal_behavior": "never"})
    assert wrong.json() == {"renewal_behavior": ['"never" is not a valid choice.']}
    # A storefront may change renewal_behavior only.
    mine = as_storefront(fake, "c1")
    assert http.patch(base + "update_prepaid_context/", {"orders_remaining": 1}, **mine).json() == NO_PERMISSION
    assert http.patch(base + "update_prepaid_context/", {"renewal_behavior": "cancel"}, **mine).status_code == 200
    done = http.patch(base + "update_prepaid_context/", {"orders_per_billing": 6, "orders_remaining": 4})
    context = done.json()["prepaid_subscription_context"]
    assert (context["prepaid_orders_per_billing"], context["prepaid_orders_remaining"]) == (6, 4)
    # None left with "cancel": the subscription ends.
    assert http.patch(base + "update_prepaid_context/", {"orders_remaining": 0}).json()["live"] is False
    plain = _sub(fake)
    refused = http.patch(
        f"/subscriptions/{plain['public_id']}/change_renewal_behavior/", {"renewal_behavior": "cancel"}
    )
    assert refused.json() == {"detail": "This subscription is not prepaid."}


def test_prepaid_downgrade_when_none_left(http: Api, fake: FakeOrdergroove) -> None:
    sub = _sub(fake, prepaid={"renewal_behavior": "downgrade"})
    done = http.patch(f"/subscriptions/{sub['public_id']}/update_prepaid_context/", {"orders_remaining": 0})
    assert done.json()["live"] is True and done.json()["prepaid_subscription_context"] is None


def test_upgrade_to_prepaid(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("SKU-1", price="10.00")
    sub = _sub(fake)
    path = f"/subscriptions/{sub['public_id']}/upgrade_to_prepaid/"
    assert http.patch(path, {}).json() == {"detail": "orders_per_billing must be 2 or more."}
    assert http.patch(path, {"orders_per_billing": 1}).json() == {"detail": "orders_per_billing must be 2 or more."}
    not_eligible = http.patch(path, {"orders_per_billing": 3})
    assert not_eligible.json() == {"detail": "This product is not eligible for prepaid subscriptions."}
    fake.add_product_group("eligibility", "prepaid", products=["SKU-1"])
    done = http.patch(path, {"orders_per_billing": 3})
    assert done.status_code == 200
    context = done.json()["prepaid_subscription_context"]
    assert (context["prepaid_orders_remaining"], context["prepaid_orders_per_billing"]) == (0, 3)
    assert context["renewal_behavior"] == "autorenew"
    # The next order is the renewal: three shipments' worth.
    upcoming = fake.upcoming_order(sub)
    assert upcoming is not None and upcoming["sub_total"] == "30.00"
    assert http.patch(path, {"orders_per_billing": 3}).json() == {"detail": "This subscription is already prepaid."}


def test_components(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("A")
    fake.add_product("B")
    sub = _sub(fake)
    path = f"/subscriptions/{sub['public_id']}/components/bulk_operation/"
    done = http.post(path, {"create": [{"product": "A", "quantity": 2}, {"product": "B", "quantity": 1}]})
    assert done.status_code == 200
    first, second = done.json()["components"]
    assert set(first) == COMPONENT_FIELDS and (first["product"], first["quantity"]) == ("A", 2)
    assert http.get(f"/subscriptions/components/{first['public_id']}/").json() == first
    body = {"update": [{"public_id": first["public_id"], "quantity": 5}], "delete": [second["public_id"]]}
    after = http.post(path, body).json()["components"]
    assert after == [{**first, "quantity": 5}]
    assert http.get(f"/subscriptions/components/{second['public_id']}/").json() == NOT_FOUND
    # Atomic: one bad element and nothing changes.
    bad = http.post(path, {"create": [{"product": "A"}], "delete": ["nope"]})
    assert bad.status_code == 400 and sub["components"] == after
    assert fake.webhooks.events[-1]["type"] == "subscription.change_components"
    other = _sub(fake, "c2")
    assert (
        http.post(
            f"/subscriptions/{other['public_id']}/components/bulk_operation/", {}, **as_storefront(fake, "c1")
        ).status_code
        == 404
    )
    assert http.get(f"/subscriptions/components/{first['public_id']}/", **as_storefront(fake, "c2")).json() == NOT_FOUND
