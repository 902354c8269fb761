"""The Gladly shapes of records decoded leniently: any JSON value in any field still gives a lookup profile, its
transactions and the App Platform records (JSON, what can be read of the record), never an exception."""

from __future__ import annotations

import json
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import customer_payload, item_payload, order_payload, product_payload, subscription_payload

import ordergroove as og
from ordergroove.domain import summarize
from ordergroove.gladly import _mapping

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["2017-02-29 12:00:00", "undefined", "", "1E+26", "9E+999999"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def _fields(cls: type[Any]) -> list[str]:
    return [field.name for field in attrs.fields(cls) if field.init and field.name not in ("extra", "unparsed")]


def _fuzzed(cls: type[Any], payload: dict[str, Any], data: st.DataObject) -> Any:
    field = data.draw(st.sampled_from(_fields(cls)), label=f"{cls.__name__} field")
    payload[field] = data.draw(json_values, label=f"{cls.__name__} value")
    return og.from_dict(cls, payload)  # lenient: a value of no documented form costs only its attribute


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_value_in_any_field_still_maps(data: st.DataObject) -> None:
    subscription = _fuzzed(og.Subscription, subscription_payload(), data)
    order = _fuzzed(og.Order, order_payload(status=1), data)
    item = _fuzzed(og.Item, item_payload(), data)
    customer = _fuzzed(og.Customer, customer_payload(), data)
    product = _fuzzed(og.Product, product_payload(), data)
    products = {product.external_product_id: product} if product.external_product_id else {}
    by_id = {subscription.public_id: subscription} if subscription.public_id else {}

    summary = summarize("cust", [subscription], [order])
    transactions = [
        _mapping.subscription_transaction(
            subscription, products=products, next_order=order, gladly_customer_id="g1", root_path="/gladly"
        ),
        _mapping.order_transaction(
            order, [item], products=products, subscriptions=by_id, gladly_customer_id="g1", root_path="/gladly"
        ),
    ]
    profile = _mapping.profile(customer, summary, transactions)
    records = [_mapping.platform_record(model) for model in (subscription, order, item, customer, product)]
    json.dumps([profile, records])  # what Gladly gets is JSON
    assert profile["customAttributes"]["totalSubscriptions"] == "1"
    assert [t["type"] for t in profile["transactions"]] == ["SUBSCRIPTION", "ORDER"]
