"""og.graphql models: the reference's examples decode, to_dict gives back exactly what arrived, unknown fields are
kept, off-spec values are kept aside (or refused in strict mode), and the models agree with the schema."""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
import types
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ordergroove as og
from ordergroove.graphql import _models

# The reference's example 9.1 response (ordergroove-graphql.md §9.1), verbatim.
EXAMPLE_SUBSCRIPTION = {
    "publicId": "0f3c2a9b8d7e4f6a9c1b2d3e4f5a6b7c",
    "live": True,
    "quantity": 2,
    "every": 4,
    "everyPeriod": 2,
    "startDate": "2025-02-03T00:00:00-06:00",
    "price": None,
    "product": {"sku": "TEA-100", "name": "Green tea, 100 bags", "price": "18.50"},
    "customer": {"merchantUserId": "C-1001", "email": "shopper@example.com"},
    "shippingAddress": {"city": "Chicago", "stateProvinceCode": "IL", "countryCode": "US"},
    "prepaidSubscriptionContext": None,
}

# The shape of example 9.2's selection (values invented, as the reference's own are).
EXAMPLE_ORDERS = {
    "pageInfo": {"hasNextPage": True, "endCursor": "YXJyYXljb25uZWN0aW9uOjI0"},
    "edges": [
        {
            "cursor": "YXJyYXljb25uZWN0aW9uOjA=",
            "node": {
                "publicId": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                "status": 1,
                "place": "2025-06-03T00:00:00-05:00",
                "total": "41.37",
                "currencyCode": "USD",
                "items": {
                    "hasMore": False,
                    "nodes": [
                        {
                            "publicId": "11112222333344445555666677778888",
                            "quantity": 2,
                            "price": "18.50",
                            "product": {"sku": "TEA-100", "name": "Green tea, 100 bags"},
                            "subscription": {"publicId": "0f3c2a9b8d7e4f6a9c1b2d3e4f5a6b7c"},
                        }
                    ],
                },
            },
        }
    ],
}


def _exact(model: _models.GraphQLModel) -> str:
    return json.dumps(og.graphql.to_dict(model))  # json.dumps keeps key order: equal text is equal order


def test_example_subscription_decodes_into_python_types() -> None:
    sub = og.graphql.from_dict(og.graphql.Subscription, EXAMPLE_SUBSCRIPTION)
    assert sub.public_id == "0f3c2a9b8d7e4f6a9c1b2d3e4f5a6b7c"
    assert (sub.live, sub.quantity, sub.every, sub.every_period, sub.price) == (True, 2, 4, 2, None)
    assert sub.start_date == dt.date(2025, 2, 3)  # the documented datetime form of a Date: its date as written
    assert (
        sub.product is not None and sub.product.price == Decimal("18.50") and sub.product.name == "Green tea, 100 bags"
    )
    assert sub.customer is not None and sub.customer.merchant_user_id == "C-1001"
    assert sub.shipping_address is not None and sub.shipping_address.city == "Chicago"
    assert sub.prepaid_subscription_context is None
    assert sub.unparsed == {} and sub.extra == {}
    assert _exact(sub) == json.dumps(EXAMPLE_SUBSCRIPTION)
    assert sub.to_dict() == EXAMPLE_SUBSCRIPTION


def test_example_orders_page_decodes_with_items() -> None:
    page = og.graphql.from_dict(og.graphql.OrderConnection, EXAMPLE_ORDERS)
    assert page.page_info is not None and page.page_info.has_next_page is True
    assert page.edges is not None
    order = page.edges[0].node
    assert order is not None and order.status == 1 and order.total == Decimal("41.37")
    assert order.place == dt.datetime(2025, 6, 3, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert order.items is not None and order.items.has_more is False and order.items.nodes is not None
    item = order.items.nodes[0]
    assert item.subscription is not None and item.subscription.public_id == "0f3c2a9b8d7e4f6a9c1b2d3e4f5a6b7c"
    assert _exact(page) == json.dumps(EXAMPLE_ORDERS)


def test_start_date_accepts_both_documented_forms() -> None:
    for text in ("2025-02-03", "2025-02-03T00:00:00-06:00", "2025-02-03T00:00:00Z"):
        sub = og.graphql.from_dict(og.graphql.Subscription, {"startDate": text})
        assert sub.start_date == dt.date(2025, 2, 3) and sub.unparsed == {}
        assert sub.to_dict() == {"startDate": text}


@pytest.mark.parametrize(
    ("text", "offset"),
    [("2024-03-15T00:00:00-06:00", -6), ("2024-07-15T10:30:00.123456-05:00", -5), ("2024-07-15T10:30:00Z", 0)],
)
def test_datetimes_are_aware_with_the_offset_sent(text: str, offset: int) -> None:
    order = og.graphql.from_dict(og.graphql.Order, {"updated": text})
    assert order.updated is not None and order.updated.utcoffset() == dt.timedelta(hours=offset)
    assert order.to_dict() == {"updated": text}


def test_a_decimal_sent_as_a_number_is_read_exactly() -> None:
    order = og.graphql.from_dict(og.graphql.Order, {"total": 12.99, "subTotal": 12})
    assert (order.total, order.sub_total) == (Decimal("12.99"), Decimal(12))
    assert order.to_dict() == {"total": 12.99, "subTotal": 12}


def test_unknown_fields_are_kept_in_order() -> None:
    payload = {"__typename": "OrderType", "publicId": "o1", "futureField": {"a": [1, 2]}, "status": 5}
    order = og.graphql.from_dict(og.graphql.Order, payload)
    assert order.extra == {"__typename": "OrderType", "futureField": {"a": [1, 2]}}
    assert _exact(order) == json.dumps(payload)
    result = order.to_dict()
    result["futureField"]["a"].append(3)  # the caller's copy: the model is unchanged
    assert order.extra["futureField"] == {"a": [1, 2]}


def test_from_dict_copies_its_input() -> None:
    payload = {"publicId": "o1", "items": {"nodes": [{"price": "1.00"}]}}
    order = og.graphql.from_dict(og.graphql.Order, payload)
    payload["items"]["nodes"][0]["price"] = "9.99"  # type: ignore[index]
    assert order.to_dict()["items"]["nodes"][0]["price"] == "1.00"


OFF_SPEC = [
    ("total", "undefined"),
    ("total", "NaN"),
    ("total", True),
    ("status", "5"),
    ("status", 1.5),
    ("locked", "false"),
    ("place", "2017-02-29T00:00:00-06:00"),  # an impossible date
    ("place", "2024-03-15 00:00:00"),  # no offset: not the documented form
    ("publicId", 42),
    ("customer", "cust_0001"),  # a reference where an object is documented
    ("oneTimeIncentives", {"not": "a list"}),
]


@pytest.mark.parametrize(("wire", "value"), OFF_SPEC)
def test_an_off_spec_value_is_kept_aside_and_given_back(
    wire: str, value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {"publicId": "o1", wire: value, "currencyCode": "USD"}
    name = dict((w, n) for n, w in _models.wire_fields(og.graphql.Order))[wire]
    _models._warned.discard(("Order", name))
    with caplog.at_level(logging.WARNING, logger="ordergroove"):
        order = og.graphql.from_dict(og.graphql.Order, payload)
        og.graphql.from_dict(og.graphql.Order, payload)
    assert getattr(order, name) is None
    assert order.unparsed == {name: value}
    assert order.currency_code == "USD"  # the rest of the record is read
    assert _exact(order) == json.dumps(payload)
    warnings = [r for r in caplog.records if f"Order.{name}" in r.getMessage()]
    assert len(warnings) == 1  # once per model and field


@pytest.mark.parametrize(("wire", "value"), OFF_SPEC)
def test_strict_mode_refuses_an_off_spec_value_naming_the_field(wire: str, value: Any) -> None:
    name = dict((w, n) for n, w in _models.wire_fields(og.graphql.Order))[wire]
    with pytest.raises(og.ResponseDecodeError, match=rf"Order payload does not decode: {name}: "):
        og.graphql.from_dict(og.graphql.Order, {"publicId": "o1", wire: value}, strict=True)


def test_strict_mode_names_the_path_of_a_nested_field() -> None:
    payload = {"edges": [{"node": {"items": {"nodes": [{"price": "1.00"}, {"price": "x"}]}}}]}
    with pytest.raises(og.ResponseDecodeError, match=r"edges\[0\]\.node\.items\.nodes\[1\]\.price: "):
        og.graphql.from_dict(og.graphql.OrderConnection, payload, strict=True)
    lenient = og.graphql.from_dict(og.graphql.OrderConnection, payload)
    assert lenient.edges is not None and lenient.edges[0].node is not None
    items = lenient.edges[0].node.items
    assert items is not None and items.nodes is not None
    assert items.nodes[1].unparsed == {"price": "x"} and items.nodes[0].price == Decimal("1.00")


@pytest.mark.parametrize("strict", [False, True])
def test_a_payload_that_is_not_an_object_is_always_an_error(strict: bool) -> None:
    with pytest.raises(og.ResponseDecodeError, match="expected a JSON object"):
        _models.decode(og.graphql.Subscription, ["not", "an", "object"], strict=strict)


def test_incentives_decode_by_typename() -> None:
    payload = {
        "incentives": [],
        "oneTimeIncentives": [
            {"incentive": {"__typename": "DiscountIncentiveType", "publicId": "i1", "value": "5.00"}},
            {"incentive": {"__typename": "GiftIncentiveType", "product": {"sku": "S"}}},
            {"incentive": {"__typename": "BaseIncentiveType", "name": "n"}},
            {"incentive": {"__typename": "FutureIncentiveType", "name": "f", "bonus": 1}},
            {"incentive": {"name": "no typename"}},
        ],
    }
    order = og.graphql.from_dict(og.graphql.Order, payload)
    assert order.one_time_incentives is not None
    found = [i.incentive for i in order.one_time_incentives]
    assert isinstance(found[0], og.graphql.DiscountIncentive) and found[0].value == Decimal("5.00")
    assert isinstance(found[1], og.graphql.GiftIncentive) and found[1].product is not None
    assert isinstance(found[2], og.graphql.BaseIncentive) and found[2].name == "n"
    assert isinstance(found[3], og.graphql.BaseIncentive) and found[3].extra == {"bonus": 1}
    assert isinstance(found[4], og.graphql.BaseIncentive) and found[4].typename is None
    assert _exact(order) == json.dumps(payload)


def test_a_model_changed_in_code_is_encoded_field_by_field() -> None:
    sub = og.graphql.from_dict(og.graphql.Subscription, EXAMPLE_SUBSCRIPTION)
    changed = attrs.evolve(sub, quantity=5, price=Decimal("9.50"))
    encoded = changed.to_dict()
    assert encoded["quantity"] == 5 and encoded["price"] == "9.50"
    assert encoded["startDate"] == "2025-02-03"  # a date is written as a Date
    assert encoded["product"] == EXAMPLE_SUBSCRIPTION["product"]  # nested models keep what they received
    assert og.graphql.from_dict(og.graphql.Subscription, encoded) == changed


def test_repr_shows_ids_only() -> None:
    sub = og.graphql.from_dict(og.graphql.Subscription, EXAMPLE_SUBSCRIPTION)
    assert repr(sub) == "Subscription(public_id='0f3c2a9b8d7e4f6a9c1b2d3e4f5a6b7c')"
    assert "shopper@example.com" not in repr(sub.customer)


def test_importing_og_graphql_needs_no_graphql_core() -> None:
    code = "import sys, ordergroove as og; og.graphql.Subscription; print('graphql' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -- the models and the schema --------------------------------------------------------------------------------

SCALARS: dict[str, Any] = {
    "String": str,
    "ID": str,
    "Int": int,
    "Boolean": bool,
    "Decimal": Decimal,
    "DateTime": dt.datetime,
    "Date": dt.date,
}


# Ints with a code table the REST models have an enum for: the same enum here (an unknown code stays an int).
CODED: dict[tuple[str, str], Any] = {
    ("OrderType", "status"): Union[og.OrderStatus, int],  # noqa: UP007
    ("ProductType", "everyPeriod"): Union[og.Period, int],  # noqa: UP007
    ("SubscriptionType", "everyPeriod"): Union[og.Period, int],  # noqa: UP007
    ("SwappableProductType", "everyPeriod"): Union[og.Period, int],  # noqa: UP007
}


def _python_type(annotation: Any) -> Any:
    """``X | None`` -> X; ``list[X] | None`` -> (list, X)."""
    inner = [arg for arg in get_args(annotation) if arg is not type(None)]
    target = Union[tuple(inner)] if len(inner) > 1 else inner[0]  # noqa: UP007
    if get_origin(target) is list:
        return (list, get_args(target)[0])
    return target


def test_every_object_type_of_the_newest_schema_has_a_model_with_its_fields() -> None:
    graphql = pytest.importorskip("graphql")
    schema = graphql.build_schema(og.graphql.schema_sdl("unstable"))
    objects = {
        name: tp
        for name, tp in schema.type_map.items()
        if isinstance(tp, graphql.GraphQLObjectType) and not name.startswith("__") and name != "Query"
    }
    assert set(objects) == set(_models.MODELS)
    incentive_types = {"BaseIncentiveType", "DiscountIncentiveType", "GiftIncentiveType"}
    for name, tp in objects.items():
        cls = _models.MODELS[name]
        attrs.resolve_types(cls)
        fields = dict((wire, attr) for attr, wire in _models.wire_fields(cls) if wire != "__typename")
        assert list(fields) == sorted(tp.fields), name  # the same fields, in the reference's (alphabetical) order
        annotations = {f.name: f.type for f in attrs.fields(cls)}
        for wire, field in tp.fields.items():
            gql = graphql.get_nullable_type(field.type)
            expected: Any
            if isinstance(gql, graphql.GraphQLList):
                element = graphql.get_named_type(gql)
                expected = (list, _models.MODELS[element.name])
            else:
                named = graphql.get_named_type(gql)
                if isinstance(named, graphql.GraphQLInterfaceType):
                    expected = _models.Incentive
                elif isinstance(named, graphql.GraphQLObjectType):
                    expected = _models.MODELS[named.name]
                else:
                    expected = CODED.get((name, wire), SCALARS[named.name])
                    assert (name, wire) not in CODED or named.name == "Int"
            assert _python_type(annotations[fields[wire]]) == expected, (name, wire)
        assert ("typename" in annotations) == (name in incentive_types), name


# -- round trips ------------------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_AWARE = st.datetimes(
    min_value=dt.datetime(1990, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [dt.timezone(dt.timedelta(hours=-6)), dt.timezone(dt.timedelta(hours=-5)), dt.timezone.utc]
    ),
)
_DECIMAL = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6)


def _strategy(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    target = _python_type(annotation)
    if isinstance(target, tuple):
        if depth <= 0:
            return st.none()
        return st.none() | st.lists(_model_strategy(target[1], depth - 1), max_size=2)
    if target is str:
        return st.none() | _TEXT
    if target is int:
        return st.none() | st.integers(-(2**31), 2**31 - 1)
    if target in CODED.values():
        enum_type = get_args(target)[0]
        return st.none() | st.sampled_from(list(enum_type)) | st.integers(-(2**31), 2**31 - 1)
    if target is bool:
        return st.none() | st.booleans()
    if target is Decimal:
        return st.none() | _DECIMAL
    if target is dt.datetime:
        return st.none() | _AWARE
    if target is dt.date:
        return st.none() | st.dates()
    if depth <= 0:
        return st.none()
    if target == _models.Incentive:
        return st.none() | st.one_of(
            *(_model_strategy(cls, depth - 1, typename=cls.__name__ + "Type") for cls in get_args(target))
        )
    return st.none() | _model_strategy(target, depth - 1)


def _model_strategy(cls: Any, depth: int, typename: str | None = None) -> st.SearchStrategy[Any]:
    attrs.resolve_types(cls)
    fields = {
        name: _strategy(f.type, depth)
        for f in attrs.fields(cls)
        if (name := f.name) not in {"extra", "unparsed", "_raw", "typename"}
    }
    if typename is not None:
        fields["typename"] = st.just(typename)
    extra = st.dictionaries(st.sampled_from(["zFuture", "another"]), st.none() | st.integers() | _TEXT, max_size=1)
    return st.builds(cls, extra=extra, **fields)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_models.MODELS.items())).flatmap(lambda pair: _model_strategy(pair[1], 3)))
def test_round_trip_through_the_wire_shape(model: Any) -> None:
    encoded = og.graphql.to_dict(model)
    json.dumps(encoded)  # JSON-serialisable as it is
    decoded = og.graphql.from_dict(type(model), encoded, strict=True)
    assert decoded == model
    assert json.dumps(decoded.to_dict()) == json.dumps(encoded)


def test_models_are_frozen() -> None:
    sub = og.graphql.Subscription(public_id="s1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        sub.public_id = "s2"  # type: ignore[misc]
    assert isinstance(og.graphql, types.ModuleType)


def test_og_to_dict_gives_back_the_camelcase_json_of_a_graphql_model() -> None:
    payload = {"publicId": "s1", "startDate": "2026-01-02", "product": {"name": "Coffee"}, "unknownField": [1]}
    model = og.graphql.from_dict(og.graphql.Subscription, payload)
    assert og.to_dict(model) == payload
    assert list(og.to_dict(model)) == list(payload)
    assert og.to_dict(og.from_dict(og.Address, {"public_id": "a1"})) == {"public_id": "a1"}  # REST models unchanged


# -- coded Ints: the REST models' enums ------------------------------------------------------------------------

CODED_PAYLOAD = {
    "publicId": "o1",
    "status": 5,
    "items": {"nodes": [{"subscription": {"everyPeriod": 2, "product": {"everyPeriod": 3}}}]},
}


@pytest.mark.parametrize("strict", [False, True])
def test_known_codes_decode_to_the_rest_enums(strict: bool) -> None:
    order = og.graphql.from_dict(og.graphql.Order, CODED_PAYLOAD, strict=strict)
    assert order.status is og.OrderStatus.SUCCESS
    assert order.items is not None and order.items.nodes is not None
    subscription = order.items.nodes[0].subscription
    assert subscription is not None and subscription.product is not None
    assert subscription.every_period is og.Period.WEEKS and subscription.product.every_period is og.Period.MONTHS
    assert order.unparsed == {} and subscription.unparsed == {}
    assert og.graphql.to_dict(order) == CODED_PAYLOAD  # the wire form as received
    # A model built in code with the enums encodes them as the API's Ints.
    built = og.graphql.SwappableProduct(every_period=og.Period.DAYS)
    assert og.graphql.to_dict(built) == {"everyPeriod": 1} and type(og.graphql.to_dict(built)["everyPeriod"]) is int


@pytest.mark.parametrize("strict", [False, True])
def test_an_unknown_code_is_kept_as_its_int_strict_or_not(strict: bool) -> None:
    # As over REST: a code added since is kept (never None, never an error); isinstance tells it from a member.
    order = og.graphql.from_dict(og.graphql.Order, {"status": 42}, strict=strict)
    product = og.graphql.from_dict(og.graphql.Product, {"everyPeriod": 7}, strict=strict)
    assert order.status == 42 and not isinstance(order.status, og.OrderStatus)
    assert product.every_period == 7 and not isinstance(product.every_period, og.Period)
    assert order.unparsed == {} and product.unparsed == {}
    assert og.graphql.to_dict(order) == {"status": 42}


def test_a_code_of_no_documented_form_is_unparsed_or_refused_in_strict_mode() -> None:
    # The reference documents Ints: a string (even a member's name) is off-spec, as for any Int field.
    order = og.graphql.from_dict(og.graphql.Order, {"publicId": "o1", "status": "SUCCESS"})
    assert order.status is None and order.unparsed == {"status": "SUCCESS"}
    subscription = og.graphql.from_dict(og.graphql.Subscription, {"everyPeriod": True})
    assert subscription.every_period is None and subscription.unparsed == {"every_period": True}
    with pytest.raises(og.ResponseDecodeError, match=r"status: expected an integer, got 'SUCCESS'"):
        og.graphql.from_dict(og.graphql.Order, {"status": "SUCCESS"}, strict=True)
    with pytest.raises(og.ResponseDecodeError, match=r"everyPeriod|every_period"):
        og.graphql.from_dict(og.graphql.Subscription, {"everyPeriod": 2.5}, strict=True)
