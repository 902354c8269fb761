"""Pagination (cursor and page numbers, page_size bounds) and every filter."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ordergroove.testing import FakeOrdergroove

from ._support import Api, ids, results


@pytest.fixture
def many(fake: FakeOrdergroove) -> list[str]:
    return [fake.add_subscription("c1", "p1", create_order=False)["public_id"] for _ in range(25)]


def test_cursor_pages_follow_next_to_the_end(api: Api, many: list[str]) -> None:
    seen: list[str] = []
    response = api.v2("/subscriptions/", params={"customer": "c1", "live": "true"})
    first = response.json()
    assert set(first) == {"next", "previous", "results"} and first["previous"] is None
    pages = 0
    while True:
        body = response.json()
        assert response.status_code == 200
        seen += ids(body["results"])
        pages += 1
        if body["next"] is None:
            break
        link = urlsplit(body["next"])
        assert f"{link.scheme}://{link.netloc}" == api.base_url  # absolute, on the origin asked
        query = parse_qs(link.query)
        assert query["customer"] == ["c1"] and query["live"] == ["true"] and "cursor" in query
        response = api.v2(body["next"])
    assert (seen, pages) == (many, 3)
    assert len(body["results"]) == 5
    previous = api.v2(body["previous"]).json()
    assert ids(previous["results"]) == many[10:20]


def test_cursor_page_size(api: Api, many: list[str]) -> None:
    body = api.v2("/subscriptions/", params={"page_size": 100}).json()
    assert ids(body["results"]) == many and body["next"] is None
    assert "page_size=7" in api.v2("/subscriptions/", params={"page_size": 7}).json()["next"]


def test_invalid_cursor_is_404(api: Api, many: list[str]) -> None:
    response = api.v2("/subscriptions/", params={"cursor": "!!!"})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid cursor"})


def test_page_numbers_without_the_version_header(api: Api, many: list[str]) -> None:
    first = api.get("/subscriptions/").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (25, 10, None)
    assert first["next"] == f"{api.base_url}/subscriptions/?page=2"
    last = api.get("/subscriptions/", params={"page": 3}).json()
    assert ids(last["results"]) == many[20:] and last["next"] is None
    assert last["previous"] == f"{api.base_url}/subscriptions/?page=2"
    assert api.get("/subscriptions/", params={"page": 2}).json()["previous"] == f"{api.base_url}/subscriptions/"
    for page in ("4", "0", "abc"):
        response = api.get("/subscriptions/", params={"page": page})
        assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


# "²" passes str.isdigit() but int() refuses it; int() reads "٣" and the fullwidth "1": none is an ASCII number.
NON_ASCII_DIGITS = ["\u00b2", "\u0663", "\uff11", "1\u00b2"]


@pytest.mark.parametrize("digit", NON_ASCII_DIGITS)
def test_page_size_and_status_of_non_ascii_digits_are_400(api: Api, many: list[str], digit: str) -> None:
    for send in (api.get, api.v2):
        response = send("/subscriptions/", params={"page_size": digit})
        assert (response.status_code, response.json()) == (400, {"page_size": ["A valid integer is required."]})
    response = api.v2("/orders/", params={"status": digit})
    assert (response.status_code, response.json()) == (400, {"status": ["Enter a whole number."]})


@pytest.mark.parametrize("digit", NON_ASCII_DIGITS)
def test_page_and_cursor_of_non_ascii_digits_are_invalid_like_any_other_text(
    api: Api, many: list[str], digit: str
) -> None:
    # Ordergroove (Django REST framework) answers 404 for a page or cursor it cannot read, as for "abc" above.
    response = api.get("/subscriptions/", params={"page": digit})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})
    cursor = base64.urlsafe_b64encode(f"o={digit}".encode()).decode()
    response = api.v2("/subscriptions/", params={"cursor": cursor})
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid cursor"})


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("101", "Ensure this value is less than or equal to 100."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("ten", "A valid integer is required."),
    ],
)
def test_page_size_bounds(api: Api, many: list[str], size: str, message: str) -> None:
    for send in (api.get, api.v2):
        response = send("/subscriptions/", params={"page_size": size})
        assert (response.status_code, response.json()) == (400, {"page_size": [message]})


def test_page_size_default_is_ten(api: Api, many: list[str]) -> None:
    assert len(results(api.v2("/subscriptions/"))) == 10


def test_subscription_filters(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_address("c1")  # the customer's first address: the default one
    address = fake.add_address("c1", label="Office")
    a = fake.add_subscription("c1", "p1")
    b = fake.add_subscription("c1", "p2", shipping_address=address)
    c = fake.add_subscription("c2", "p1", live=False)

    def found(**params: Any) -> list[str]:
        return ids(results(api.v2("/subscriptions/", params=params)))

    assert found(customer="c1") == [a["public_id"], b["public_id"]]
    assert found(product="p1") == [a["public_id"], c["public_id"]]
    assert found(shipping_address=address["public_id"]) == [b["public_id"]]
    assert found(live="true") == [a["public_id"], b["public_id"]]
    assert found(live="false") == [c["public_id"]]
    assert found(live=["true", "false"]) == [a["public_id"], b["public_id"], c["public_id"]]
    assert found(customer="c1", product="p2") == [b["public_id"]]
    bad = api.v2("/subscriptions/", params={"live": "maybe"})
    assert (bad.status_code, bad.json()) == (400, {"live": ["Enter a valid boolean."]})


def test_created_and_updated_filters(api: Api, fake: FakeOrdergroove) -> None:
    made = []
    for day in (1, 5, 9):
        fake.clock.set(dt.datetime(2025, 3, day, 10, 30, 0))
        made.append(fake.add_subscription("c1", "p1", create_order=False)["public_id"])

    def found(**params: str) -> list[str]:
        return ids(results(api.v2("/subscriptions/", params=params)))

    assert found(created="2025-03-05") == made[1:2]
    assert found(created_start="2025-03-05") == made[1:]
    assert found(created_end="2025-03-05") == made[:2]
    assert found(created_start="2025-03-02", created_end="2025-03-08") == made[1:2]
    assert found(updated_start="2025-03-05T10:30:00") == made[1:]
    assert found(updated_start="2025-03-05T10:30:01") == made[2:]
    assert found(updated_end="2025-03-09T10:29:59") == made[:2]
    assert found(updated="2025-03-09") == made[2:]
    for name, value, message in [
        ("created_start", "2025-03-05T10:30:00", "Enter a valid date."),
        ("created_end", "March", "Enter a valid date."),
        ("updated_end", "2025-13-01", "Enter a valid date/time."),
    ]:
        response = api.v2("/subscriptions/", params={name: value})
        assert (response.status_code, response.json()) == (400, {name: [message]})


def test_order_filters(api: Api, fake: FakeOrdergroove) -> None:
    sub = fake.add_subscription("c1", "p1", next_order_date=dt.date(2025, 4, 1), prepaid=True)
    upcoming = fake.upcoming_order(sub)
    assert upcoming is not None
    done = fake.add_order("c1", status=5, place=dt.datetime(2025, 2, 1, 6))
    fake.add_item(done, product="p1", subscription=sub)
    other = fake.add_order("c2", status=3, place=dt.datetime(2025, 2, 15, 6), items=[{"product": "p1"}])

    def found(**params: Any) -> list[str]:
        return ids(results(api.v2("/orders/", params=params)))

    assert found(customer="c1") == [upcoming["public_id"], done["public_id"]]
    assert found(subscription=sub["public_id"]) == [upcoming["public_id"], done["public_id"]]
    assert found(subscription=sub["public_id"], status="1") == [upcoming["public_id"]]
    assert found(status=["5", "3"]) == [done["public_id"], other["public_id"]]
    assert found(place="2025-02-01") == [done["public_id"]]
    assert found(place_start="2025-02-02") == [upcoming["public_id"], other["public_id"]]
    assert found(place_start="2025-02-01", place_end="2025-02-15") == [done["public_id"], other["public_id"]]
    assert found(created_start="2025-03-01", created_end="2025-03-01") == found()
    assert found(updated_start="2025-03-01T12:00:00") == found()
    bad = api.v2("/orders/", params={"status": "sent"})
    assert (bad.status_code, bad.json()) == (400, {"status": ["Enter a whole number."]})
    assert api.v2("/orders/", params={"place_end": "1/2/2025"}).json() == {"place_end": ["Enter a valid date."]}
    plain = results(api.v2("/orders/", params={"customer": "c1"}))
    assert all("has_plan" not in row for row in plain)
    flagged = results(api.v2("/orders/", params={"include_has_plan": "true"}))
    assert [row["has_plan"] for row in flagged] == [True, True, False]


def test_item_customer_product_address_payment_filters(api: Api, fake: FakeOrdergroove) -> None:
    first = fake.add_subscription("c1", "p1")
    second = fake.add_subscription("c1", "p2")
    third = fake.add_subscription("c2", "p3")
    order = fake.upcoming_order(first)
    assert order is not None
    item_ids = ids(fake.items_of(order))
    assert ids(results(api.v2("/items/", params={"order": order["public_id"]}))) == item_ids
    assert [i["subscription"] for i in results(api.v2("/items/", params={"subscription": second["public_id"]}))] == [
        second["public_id"]
    ]
    by_customer = results(api.v2("/items/", params={"customer": "c2"}))
    assert [i["subscription"] for i in by_customer] == [third["public_id"]]
    found = results(api.v2("/customers/", params={"email": "c2@example.com"}))
    assert ids(found, "merchant_user_id") == ["c2"]
    products = results(api.v2("/products/", params={"external_product_ids[]": ["p3", "p1"]}))
    assert ids(products, "external_product_id") == ["p1", "p3"]
    assert len(results(api.v2("/products/"))) == 3
    assert [a["customer"] for a in results(api.v2("/addresses/", params={"customer": "c2"}))] == ["c2"]
    payments = results(api.v2("/payments/", params={"customer": "c2"}))
    assert [p["customer"] for p in payments] == ["c2"] and third["payment"] == payments[0]["public_id"]


def test_unknown_params_and_empty_values_are_ignored(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_subscription("c1", "p1")
    assert len(results(api.v2("/subscriptions/", params={"color": "blue", "customer": ""}))) == 1
