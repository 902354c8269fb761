"""The client's ``strict``: every decode its calls make (list pages, retrieve, actions, the other reads) is lenient
by default and strict on request, decided once for the client (``og.Ordergroove(strict=...)``, ``with_options``)."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from conftest import Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payloads import (
    CUSTOMER_ID,
    address_payload,
    cancel_reasons_payload,
    customer_payload,
    item_payload,
    order_payload,
    page,
    payment_payload,
    product_payload,
    subscription_payload,
)
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove._exceptions import body_text
from ordergroove.models import WireModel
from ordergroove.models._base import REGISTRY


def _json(httpx_mock: HTTPXMock, body: Any, times: int = 1) -> str:
    text = json.dumps(body)
    for _ in range(times):
        httpx_mock.add_response(content=text.encode(), headers={"Content-Type": "application/json"})
    return text


async def test_the_default_is_lenient_and_strict_is_the_clients_configuration(api: Api) -> None:
    assert api.client.strict is False
    strict = api.make(strict=True)
    assert strict.strict is True
    assert strict.with_options(timeout=3).strict is True  # a copy keeps it unless told otherwise
    assert strict.with_options(strict=False).strict is False
    assert api.client.with_options(strict=True).strict is True
    assert api.client.strict is False  # the copy changed, not the client


@pytest.mark.parametrize("value", [1, "yes", None, 0.0])
async def test_strict_must_be_a_bool(api: Api, value: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="strict must be True or False"):
        api.make(strict=value)
    if value is not None:  # with_options: None keeps the client's
        with pytest.raises(og.ConfigurationError, match="strict must be True or False"):
            api.client.with_options(strict=value)


async def test_an_action_decodes_as_the_client_does(api: Api, httpx_mock: HTTPXMock) -> None:
    body = subscription_payload(live=False, cancelled="2017-02-29 12:00:00")
    _json(httpx_mock, body, times=2)
    canceled = await api.run(lambda c: c.subscriptions.cancel("s1", reason_code=4))
    assert canceled.cancelled is None and canceled.unparsed == {"cancelled": "2017-02-29 12:00:00"}
    assert og.to_dict(canceled) == body
    with pytest.raises(og.ResponseDecodeError, match="Subscription payload does not decode: cancelled: ") as caught:
        await api.run(lambda c: c.subscriptions.cancel("s1", reason_code=4), api.make(strict=True))
    assert "(in the answer to PATCH /subscriptions/s1/cancel/)" in str(caught.value)


async def test_the_cancel_reasons_decode_as_the_client_does(api: Api, httpx_mock: HTTPXMock) -> None:
    body = cancel_reasons_payload()
    body["results"][1]["application"] = ["msi"]
    _json(httpx_mock, body, times=2)
    reasons = await api.run(lambda c: c.merchant.cancel_reasons())
    assert [reason.unparsed for reason in reasons] == [{}, {"application": ["msi"]}, {}]
    with pytest.raises(og.ResponseDecodeError, match="record 2 of 3: CancelReason payload does not decode"):
        await api.run(lambda c: c.merchant.cancel_reasons(), api.make(strict=True))


async def test_a_body_that_is_not_json_is_refused_in_both_modes(api: Api, httpx_mock: HTTPXMock) -> None:
    for client in (api.client, api.make(strict=True)):
        httpx_mock.add_response(content=b"<html>maintenance</html>", headers={"Content-Type": "text/html"})
        with pytest.raises(og.ResponseDecodeError, match="is not JSON"):
            await api.run(lambda c: c.orders.list().to_list(), client)


# -- any JSON value in any field of a list page ------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)  # beyond 64 bits orjson reads an integer as a float (see _json.py)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2017-02-29 12:00:00", "undefined", "12.99", "4", "SKU-1,SKU-2", '{"gift": true}', ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=12,
)

# (model, the call that lists it, a record of it)
LISTS: list[tuple[type[Any], Any, Any]] = [
    (og.Subscription, lambda c: c.subscriptions.list(customer=CUSTOMER_ID), subscription_payload),
    (og.Order, lambda c: c.orders.list(), order_payload),
    (og.Item, lambda c: c.items.list(order="o1"), item_payload),
    (og.Customer, lambda c: c.customers.list(), customer_payload),
    (og.Product, lambda c: c.products.list(), product_payload),
    (og.Address, lambda c: c.addresses.list(), address_payload),
    (og.Payment, lambda c: c.payments.list(), payment_payload),
]


def _wire_fields(cls: type[Any]) -> list[str]:
    renames = REGISTRY[cls]
    names = [field.name for field in attrs.fields(cls) if field.init and field.name not in ("extra", "unparsed")]
    return [renames.get(name, name) for name in names]


# The id each model's records are told apart by.
ID = {og.Customer: "merchant_user_id", og.Product: "external_product_id"}


def _set_aside(model: Any) -> bool:
    """Whether the model, or a model nested in it, set a value aside in its ``unparsed``."""
    if model.unparsed:
        return True
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        nested = value if isinstance(value, list) else [value]
        if any(isinstance(item, WireModel) and _set_aside(item) for item in nested):
            return True
    return False


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), place=st.integers(0, 2))
async def test_any_json_value_in_any_field_of_a_list_page_never_costs_the_page(
    api: Api, httpx_mock: HTTPXMock, data: st.DataObject, place: int
) -> None:
    model, listing, payload = data.draw(st.sampled_from(LISTS), label="list")
    field = data.draw(st.sampled_from([*_wire_fields(model), "a_field_not_known_yet"]), label="field")
    value = data.draw(json_values, label="value")
    records = [payload(**{ID.get(model, "public_id"): f"r{index}"}) for index in range(3)]
    records[place][field] = value
    text = _json(httpx_mock, page(records), times=2)

    # Lenient (the default): a page of models, exactly what arrived; the value is read or set aside, never lost.
    decoded = await api.run(lambda c: listing(c).to_list())
    assert [type(record) for record in decoded] == [model] * 3
    assert [og.to_dict(record) for record in decoded] == json.loads(text)["results"]
    changed = decoded[place]
    if field in changed.unparsed:
        attribute = {wire: name for name, wire in REGISTRY[model].items()}.get(field, field)
        assert changed.unparsed == {field: value} and getattr(changed, attribute) is None
    elif field == "a_field_not_known_yet":
        assert changed.extra == {field: value}
    assert not any(_set_aside(record) for index, record in enumerate(decoded) if index != place)

    # Strict: the same page of models, or a typed error naming the record and the field.
    strict = api.make(strict=True)
    try:
        again = await api.run(lambda c: listing(c).to_list(), strict)
    except og.ResponseDecodeError as error:
        assert _set_aside(changed)
        prefix = f"record {place + 1} of 3: {model.__name__} payload does not decode: {field}"
        assert str(error).startswith(prefix), str(error)
        assert error.status_code == 200 and error.body == body_text(text.encode())  # kept, as any error keeps it
    else:
        assert not _set_aside(changed)
        assert again == decoded


# -- every other call decodes as the client does -------------------------------------------------------------------

ODD = {"not": ["a documented form"]}


def _one(field: str) -> Any:
    return {field: ODD}


def _page_of(field: str) -> Any:
    return page([{field: ODD}])


def _list_of(field: str) -> Any:
    return [{field: ODD}]


def _full(payload: Any) -> Any:
    """A whole record of ``payload``'s kind with ``field`` given a value of no documented form."""
    return lambda field: {**payload(), field: ODD}


def _graphql_one(field: str) -> Any:
    return {"data": {"subscription": {field: ODD}}}


def _graphql_page(field: str) -> Any:
    return {
        "data": {
            "subscriptions": {
                "edges": [{"node": {"publicId": "s0"}}, {"node": {field: ODD}}],
                "pageInfo": {"hasNextPage": False, "endCursor": None},
            }
        }
    }


def _place(model: type[Any], kind: Any) -> str:
    if kind is _page_of or kind is _list_of:
        return f"record 1 of 1: {model.__name__} payload does not decode: "
    if kind is _graphql_page:
        return f"subscriptions.edges[1].node: {model.__name__} payload does not decode: "
    return f"{model.__name__} payload does not decode: "


# (what is called, the model it answers, the field given a value of no documented form, the answer's shape)
CALLS: list[tuple[str, Any, type[Any], str, Any]] = [
    ("customers.retrieve", lambda c: c.customers.retrieve("c1"), og.Customer, "merchant_user_id", _one),
    ("customers.list", lambda c: c.customers.list().to_list(), og.Customer, "merchant_user_id", _page_of),
    ("addresses.list", lambda c: c.addresses.list().to_list(), og.Address, "public_id", _page_of),
    ("addresses.retrieve", lambda c: c.addresses.retrieve("a1"), og.Address, "public_id", _one),
    ("payments.list", lambda c: c.payments.list().to_list(), og.Payment, "public_id", _page_of),
    ("payments.retrieve", lambda c: c.payments.retrieve("p1"), og.Payment, "public_id", _one),
    ("products.list", lambda c: c.products.list().to_list(), og.Product, "external_product_id", _page_of),
    ("products.retrieve", lambda c: c.products.retrieve("p1"), og.Product, "external_product_id", _one),
    (
        "products.group_check",
        lambda c: c.products.group_check("p1", "bundle", "g1"),
        og.GroupCheck,
        "product_has_group",
        _one,
    ),
    (
        "products.relationships",
        lambda c: c.products.relationships("p1").to_list(),
        og.ProductRelationship,
        "relationship_type",
        _page_of,
    ),
    (
        "products.retrieve_rotating_delivery_product",
        lambda c: c.products.retrieve_rotating_delivery_product("p1"),
        og.Product,
        "external_product_id",
        _one,
    ),
    ("product_groups.list", lambda c: c.product_groups.list().to_list(), og.ProductGroup, "group_type", _page_of),
    ("resources.list", lambda c: c.resources.list().to_list(), og.Resource, "public_id", _page_of),
    ("resources.retrieve", lambda c: c.resources.retrieve("r1"), og.Resource, "public_id", _one),
    ("offer_profiles.list", lambda c: c.offer_profiles.list().to_list(), og.OfferProfile, "public_id", _page_of),
    (
        "one_time_incentives.list",
        lambda c: c.one_time_incentives.list().to_list(),
        og.OneTimeIncentive,
        "public_id",
        _page_of,
    ),
    (
        "one_time_incentives.retrieve",
        lambda c: c.one_time_incentives.retrieve("i1"),
        og.OneTimeIncentive,
        "public_id",
        _one,
    ),
    (
        "one_time_incentives.delete",
        lambda c: c.one_time_incentives.delete("i1"),
        og.OneTimeIncentive,
        "public_id",
        _one,
    ),
    ("cart.retrieve", lambda c: c.cart.retrieve("session-1"), og.CartItem, "id", _list_of),
    # The calls of subscriptions, orders and items that answer a model of their own, and a sample of the others.
    (
        "subscriptions.change_payment",
        lambda c: c.subscriptions.change_payment("s1", payment="p1"),
        og.Subscription,
        "cancelled",
        _full(subscription_payload),
    ),
    (
        "subscriptions.create_in_order",
        lambda c: c.subscriptions.create_in_order(
            merchant="m1",
            customer="c1",
            product="p1",
            offer="o1",
            order="or1",
            session_id="s.1",
            payment="p1",
            shipping_address="a1",
            quantity=1,
            every=1,
            every_period=og.Period.MONTHS,
        ),
        og.Subscription,
        "cancelled",
        _full(subscription_payload),
    ),
    (
        "subscriptions.retrieve_rotation_ordinal",
        lambda c: c.subscriptions.retrieve_rotation_ordinal("s1", "p1"),
        og.RotationOrdinalContext,
        "ordinal",
        _one,
    ),
    (
        "subscriptions.set_rotation_ordinal",
        lambda c: c.subscriptions.set_rotation_ordinal("s1", rotating_product="p1", ordinal=2),
        og.RotationOrdinalUpdate,
        "ordinal",
        _one,
    ),
    (
        "subscriptions.retrieve_component",
        lambda c: c.subscriptions.retrieve_component("k1"),
        og.Component,
        "quantity",
        _one,
    ),
    (
        "orders.finalize_placement",
        lambda c: c.orders.finalize_placement("or1", response_xml="<order/>", idempotency_key="k"),
        og.FinalizePlacementResult,
        "error_code",
        _one,
    ),
    (
        "orders.change_payment",
        lambda c: c.orders.change_payment("or1", payment="p1"),
        og.Order,
        "place",
        _full(order_payload),
    ),
    (
        "items.change_quantity",
        lambda c: c.items.change_quantity("i1", quantity=2),
        og.Item,
        "price",
        _full(item_payload),
    ),
    (
        "items.create_in_order",
        lambda c: c.items.create_in_order(order="or1", offer="o1", product="p1", quantity=1),
        og.Item,
        "price",
        _full(item_payload),
    ),
    (
        "graphql.subscription",
        lambda c: c.graphql.subscription("s1"),
        og.graphql.Subscription,
        "quantity",
        _graphql_one,
    ),
    (
        "graphql.subscriptions",
        lambda c: c.graphql.subscriptions().to_list(),
        og.graphql.Subscription,
        "quantity",
        _graphql_page,
    ),
]


@pytest.mark.parametrize(("name", "call", "model", "field", "shape"), CALLS, ids=[c[0] for c in CALLS])
async def test_every_call_decodes_as_the_client_does(
    api: Api, httpx_mock: HTTPXMock, name: str, call: Any, model: type[Any], field: str, shape: Any
) -> None:
    _json(httpx_mock, shape(field), times=2)
    result = await api.run(call)
    records = result if isinstance(result, list) else [result]
    odd = records[-1]
    assert isinstance(odd, model) and odd.unparsed == {field: ODD}
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.run(call, api.make(strict=True))
    assert str(caught.value).startswith(f"{_place(model, shape)}{field}"), str(caught.value)
