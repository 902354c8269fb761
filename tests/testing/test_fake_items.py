"""Items and the order endpoints added for the whole REST surface."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import FINALIZE_FIELDS, ITEM_FIELDS, NO_PERMISSION, NOT_FOUND, ORDER_FIELDS, Api, as_storefront

XML_SUCCESS = "<order><code>SUCCESS</code><orderId>M-1</orderId></order>"


def _order(fake: FakeOrdergroove, customer: str = "c1", **fields: Any) -> dict[str, Any]:
    if "SKU-1" not in fake.products:
        fake.add_product("SKU-1", price="5.00")
        fake.add_product("SKU-2", price="7.00")
    return fake.add_order(customer, items=[{"product": "SKU-1", "quantity": 2}], **fields)


# -- orders ---------------------------------------------------------------------------------------------------
def test_order_change_shipping_and_payment(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    address = fake.add_address("c1", label="Work")
    payment = fake.add_payment("c1", label="Amex")
    done = http.patch(f"/orders/{order['public_id']}/change_shipping/", {"shipping_address": address["public_id"]})
    assert done.status_code == 200 and set(done.json()) == ORDER_FIELDS
    assert order["shipping_address"] == address["public_id"]
    paid = http.patch(f"/orders/{order['public_id']}/change_payment/", {"payment": payment["public_id"]})
    assert paid.json()["payment"] == payment["public_id"] == order["payment"]
    types = [event["type"] for event in fake.webhooks.events]
    assert types == ["order.change_shipping_address", "order.change_payment"]
    theirs = fake.add_address("c2")
    refused = http.patch(f"/orders/{order['public_id']}/change_shipping/", {"shipping_address": theirs["public_id"]})
    assert refused.json() == {"shipping_address": [f'Invalid pk "{theirs["public_id"]}" - object does not exist.']}
    assert http.patch(f"/orders/{order['public_id']}/change_payment/", {}).json() == {
        "payment": ["This field is required."]
    }
    order["status"] = 5
    sent = http.patch(f"/orders/{order['public_id']}/change_payment/", {"payment": payment["public_id"]})
    assert sent.json() == {"detail": "This order is not in a state which it can edited"}


def test_order_update_sets_extra_data_only_with_the_key(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    body = {"extra_data": '{"some": "extra"}', "status": 5}
    done = http.patch(f"/orders/{order['public_id']}/update/", body)
    assert done.status_code == 200 and (order["extra_data"], order["status"]) == ('{"some": "extra"}', 1)
    assert http.patch(f"/orders/{order['public_id']}/update/", {}).json() == {"extra_data": ["This field is required."]}
    refused = http.patch(f"/orders/{order['public_id']}/update/", body, **as_storefront(fake, "c1"))
    assert refused.json() == NO_PERMISSION


def test_finalize_placement(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake, status=10)
    path = f"/orders/{order['public_id']}/finalize_placement/"
    body = {"processing_response_id": "M-1", "response_xml": XML_SUCCESS, "idempotency_key": "k1"}
    done = http.patch(path, body)
    assert done.status_code == 200 and set(done.json()) == FINALIZE_FIELDS
    assert (done.json()["status"], done.json()["display_status"], done.json()["error_code"]) == (5, "SUCCESS", None)
    assert (order["status"], order["order_merchant_id"]) == (5, "M-1")
    assert fake.webhooks.events[-1]["type"] == "order.success"
    # The same response again: the same answer, applied once.
    again = http.patch(path, body)
    assert again.json() == done.json() and [r.applied for r in fake.requests[-2:]] == [True, False]
    refused = http.patch(path, {**body, "idempotency_key": "k2"})
    assert refused.status_code == 400
    assert (refused.json()["error_code"], refused.json()["error_message"]) == (
        3,
        "Order status indicates it is not editable",
    )


@pytest.mark.parametrize(
    ("status", "body", "code", "retry"),
    [
        (10, {"response_xml": XML_SUCCESS}, 1, False),
        (10, {"response_xml": "<order", "idempotency_key": "k"}, 2, False),
        (10, {"response_xml": "<x/>", "idempotency_key": "k"}, 4, False),
        (11, {"response_xml": XML_SUCCESS, "idempotency_key": "k"}, 3, True),
        (1, {"response_xml": XML_SUCCESS, "idempotency_key": "k"}, 3, False),
    ],
)
def test_finalize_placement_errors(
    http: Api, fake: FakeOrdergroove, status: int, body: dict[str, Any], code: int, retry: bool
) -> None:
    order = _order(fake, status=status)
    refused = http.patch(f"/orders/{order['public_id']}/finalize_placement/", body)
    assert refused.status_code == 400 and set(refused.json()) == FINALIZE_FIELDS
    assert (refused.json()["error_code"], refused.json()["retry"], order["status"]) == (code, retry, status)


def test_finalize_placement_rejection_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake, status=13)
    body = {
        "response_xml": "<order><code>ERROR</code><errorMsg>Card declined</errorMsg></order>",
        "idempotency_key": "k",
    }
    refused = http.patch(f"/orders/{order['public_id']}/finalize_placement/", body, **as_storefront(fake, "c1"))
    assert refused.json() == NO_PERMISSION and order["status"] == 13
    done = http.patch(f"/orders/{order['public_id']}/finalize_placement/", body)
    assert done.json()["display_status"] == "REJECTED"
    assert (order["status"], order["rejected_message"]) == (3, "Card declined")
    assert http.patch("/orders/nope/finalize_placement/", body).json() == NOT_FOUND


def test_retrieve_with_has_plan(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    assert http.get(f"/orders/{order['public_id']}/", params={"include_has_plan": "true"}).json()["has_plan"] is False
    assert "has_plan" not in http.get(f"/orders/{order['public_id']}/").json()


# -- items ----------------------------------------------------------------------------------------------------
def test_retrieve_without_price_calculation(http: Api, fake: FakeOrdergroove) -> None:
    item = fake.items_of(_order(fake))[0]
    full = http.get(f"/items/{item['public_id']}/").json()
    assert set(full) == ITEM_FIELDS
    light = http.get(f"/items/{item['public_id']}/", params={"omit_price_calculation": "true"}).json()
    assert set(light) == ITEM_FIELDS - {"price", "extra_cost", "total_price"}


def test_change_price_freezes_the_item(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    item = fake.items_of(order)[0]
    done = http.patch(f"/items/{item['public_id']}/change_price/", {"price": "3.50"})
    assert done.status_code == 200 and set(done.json()) == ITEM_FIELDS
    assert (item["price"], item["frozen"], item["total_price"], order["sub_total"]) == ("3.50", True, "7.00", "7.00")
    # A frozen item keeps its price through a product change.
    http.patch(f"/items/{item['public_id']}/change_product/", {"product": "SKU-2"})
    assert (item["product"], item["price"]) == ("SKU-2", "3.50")
    assert http.patch(f"/items/{item['public_id']}/change_price/", {"price": "x"}).json() == {
        "price": ["A valid number is required."]
    }
    refused = http.patch(f"/items/{item['public_id']}/change_price/", {"price": "1.00"}, **as_storefront(fake, "c1"))
    assert refused.json() == NO_PERMISSION
    assert fake.webhooks.events[0]["type"] == "item.change_price"


def test_change_product(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    item = fake.items_of(order)[0]
    done = http.patch(f"/items/{item['public_id']}/change_product/", {"product": "SKU-2"})
    assert done.status_code == 200
    assert (item["product"], item["price"], order["sub_total"]) == ("SKU-2", "7.00", "14.00")
    assert http.patch(f"/items/{item['public_id']}/change_product/", {"product": "nope"}).status_code == 400
    assert fake.webhooks.events[-1]["type"] == "item.change_product"


def test_prepaid_items_refuse_changes(http: Api, fake: FakeOrdergroove) -> None:
    sub = fake.add_subscription("c1", "SKU-1", prepaid=True)
    order = fake.upcoming_order(sub)
    assert order is not None
    item = fake.items_of(order)[0]
    for method, path, body in (
        ("PATCH", "change_quantity/", {"quantity": 3}),
        ("PATCH", "change_price/", {"price": "1.00"}),
        ("DELETE", "delete/", None),
    ):
        refused = http.request(method, f"/items/{item['public_id']}/{path}", json=body)
        assert refused.status_code == 400, path
    assert item["public_id"] in fake.items


def test_delete_removes_the_item_from_its_order(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    extra = fake.add_item(order, product="SKU-2")
    done = http.delete(f"/items/{extra['public_id']}/delete/")
    assert (done.status_code, done.content) == (204, b"")
    assert [i["product"] for i in fake.items_of(order)] == ["SKU-1"] and order["sub_total"] == "10.00"
    assert http.get(f"/items/{extra['public_id']}/").status_code == 404
    assert http.delete(f"/items/{extra['public_id']}/delete/").status_code == 404
    # Recognized storefront signatures may delete (S+r), not someone else's items.
    item = fake.items_of(order)[0]
    theirs = fake.items_of(_order(fake, "c2"))[0]
    assert (
        http.delete(f"/items/{theirs['public_id']}/delete/", **as_storefront(fake, "c1", recognized=True)).status_code
        == 404
    )
    assert (
        http.delete(f"/items/{item['public_id']}/delete/", **as_storefront(fake, "c1", recognized=True)).status_code
        == 204
    )


def test_update_sets_legacy_components(http: Api, fake: FakeOrdergroove) -> None:
    item = fake.items_of(_order(fake))[0]
    done = http.patch(f"/items/{item['public_id']}/update/", {"components": "SKU-1,SKU-2", "quantity": 9})
    assert done.status_code == 200 and (item["components"], item["quantity"]) == ("SKU-1,SKU-2", 2)
    assert http.patch(f"/items/{item['public_id']}/update/", {}).json() == {"components": ["This field is required."]}
    assert (
        http.patch(f"/items/{item['public_id']}/update/", {"components": "x"}, **as_storefront(fake, "c1")).json()
        == NO_PERMISSION
    )


def _create_body(fake: FakeOrdergroove, place_date: str = "04/01/2025") -> dict[str, Any]:
    fake.add_product("SKU-1", price="5.00")
    address = fake.add_address("c1")
    payment = fake.add_payment("c1", billing_address=address)
    return {
        "merchant_id": fake.merchant_public_id,
        "customer_id": "c1",
        "shipping_id": address["public_id"],
        "payment_id": payment["public_id"],
        "offer_id": "offer-1",
        "product_id": "SKU-1",
        "place_date": place_date,
        "quantity": 2,
        "contexts": {"gift_note": "yes"},
    }


def test_create_finds_or_creates_the_order(http: Api, fake: FakeOrdergroove) -> None:
    body = _create_body(fake)
    done = http.post("/items/create/", body)
    assert done.status_code == 200, done.text
    item = done.json()
    assert set(item) == ITEM_FIELDS and (item["product"], item["quantity"], item["one_time"]) == ("SKU-1", 2, True)
    order = fake.orders[item["order"]]
    assert (order["place"], order["shipping_address"], order["status"]) == (
        "2025-04-01 00:00:00",
        body["shipping_id"],
        1,
    )
    # Readable and listed; a second item for the same day, address and payment joins the same order.
    assert http.get(f"/items/{item['public_id']}/").json() == item
    second = http.post("/items/create/", body).json()
    assert second["order"] == item["order"]
    listed = http.get("/items/", params={"order": item["order"]}).json()["results"]
    assert [row["public_id"] for row in listed] == [item["public_id"], second["public_id"]]
    assert [e["type"] for e in fake.webhooks.events] == ["order.create", "item.create", "item.create"]


def test_create_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    body = _create_body(fake)
    iso = http.post("/items/create/", {**body, "place_date": "2025-04-01"})
    assert iso.json() == {"place_date": ["Date has wrong format. Use one of these formats instead: MM/DD/YYYY."]}
    assert set(http.post("/items/create/", {}).json()) >= {"customer_id", "product_id", "place_date", "quantity"}
    fake.add_customer("c2")
    assert http.post("/items/create/", body, **as_storefront(fake, "c2")).json() == NO_PERMISSION
    assert http.post("/items/create/", body, **as_storefront(fake, "c1")).status_code == 200
    # A merchant that keeps prepaid items apart: 400 when the matching order holds one.
    fake._store.mixed_prepaid_orders = False
    sub = fake.add_subscription("c1", "SKU-1", prepaid=True, next_order_date=dt.date(2025, 5, 1))
    order = fake.upcoming_order(sub)
    assert order is not None
    mixed = {
        **body,
        "shipping_id": order["shipping_address"],
        "payment_id": order["payment"],
        "place_date": "05/01/2025",
    }
    refused = http.post("/items/create/", mixed)
    assert refused.status_code == 400 and len(fake.items_of(order)) == 1


def test_create_in_order(http: Api, fake: FakeOrdergroove) -> None:
    order = _order(fake)
    body = {"order": order["public_id"], "offer": "offer-1", "product": "SKU-2", "quantity": 1}
    done = http.post(
        "/items/iu/", {**body, "components": [{"product": "SKU-1"}]}, **as_storefront(fake, "c1", recognized=True)
    )
    assert done.status_code == 200, done.text
    item = done.json()
    assert (item["one_time"], item["components"], item["order"]) == (True, [{"product": "SKU-1"}], order["public_id"])
    assert order["sub_total"] == "17.00"
    assert http.post("/items/iu/", body, **as_storefront(fake, "c2")).json() == {
        "order": [f'Invalid pk "{order["public_id"]}" - object does not exist.']
    }
    order["status"] = 5
    assert http.post("/items/iu/", body).json() == {"detail": "This order is not in a state which it can edited"}
