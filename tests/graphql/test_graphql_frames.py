"""``to_dataframe()`` on ``client.graphql`` pagers: nested records flattened into typed snake_case columns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pd = pytest.importorskip("pandas")
pytest.importorskip("graphql")

RAW = """query($after: String) {
  orders(first: 25, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { publicId subTotal customer { email } shippingAddress { city countryCode } } }
  }
}"""


@pytest.fixture(scope="module")
def client() -> Iterator[og.Ordergroove]:
    with FakeOrdergroove.demo().client() as client:
        yield client


def test_typed_orders_flatten_into_typed_columns(client: og.Ordergroove) -> None:
    orders = client.graphql.orders(page_size=30).to_list(40)
    frame = client.graphql.orders(page_size=30).to_dataframe(40)
    assert len(frame) == 40
    assert list(frame["customer_email"]) == [o.customer.email for o in orders if o.customer]
    assert list(frame["shipping_address_city"]) == [o.shipping_address.city for o in orders if o.shipping_address]
    assert str(frame["total"].dtype) == "float64"
    # An order's status is og.OrderStatus, as over REST: a category of readable names, every member among them.
    assert str(frame["status"].dtype) == "category"
    assert list(frame["status"].cat.categories) == [member.name.lower() for member in og.OrderStatus]
    assert list(frame["status"]) == [o.status.name.lower() for o in orders if isinstance(o.status, og.OrderStatus)]
    assert str(frame["created"].dtype) == "datetime64[us, UTC]" and str(frame["items_has_more"].dtype) == "boolean"
    assert not [name for name in frame.columns if "." in name and not name.startswith(("extra_data", "customer_"))]
    # Secrets stay out of a frame, as they stay out of a repr.
    assert not [name for name in frame.columns if "token_id" in name or name.endswith("unparsed")]


def test_typed_subscriptions_have_product_and_customer_columns(client: og.Ordergroove) -> None:
    frame = client.graphql.subscriptions().to_dataframe(money="decimal")
    subscriptions = client.graphql.subscriptions().to_list()
    assert list(frame["product_name"]) == [s.product.name if s.product else None for s in subscriptions]
    assert list(frame["customer_email"]) == [s.customer.email if s.customer else None for s in subscriptions]
    assert list(frame["price"]) == [s.price for s in subscriptions]  # exact Decimals with money="decimal"
    assert list(frame["every_period"].cat.categories) == ["days", "weeks", "months", "years"]


def test_a_raw_pager_flattens_json_into_snake_case_columns(client: og.Ordergroove) -> None:
    nodes = client.graphql.paginate(RAW, connection="orders").to_list(30)
    frame = client.graphql.paginate(RAW, connection="orders").to_dataframe(30)
    assert list(frame.columns) == [
        "public_id",
        "sub_total",
        "customer_email",
        "shipping_address_city",
        "shipping_address_country_code",
    ]
    assert list(frame["customer_email"]) == [node["customer"]["email"] for node in nodes]
    assert list(frame["shipping_address_city"]) == [node["shippingAddress"]["city"] for node in nodes]
