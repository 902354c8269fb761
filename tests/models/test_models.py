"""Models: decode and encode round trips on realistic payloads, types, enums, money, unknown fields, bad payloads."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import (
    ADDRESS_ID,
    CUSTOMER_ID,
    ORDER_ID,
    PRODUCT_ID,
    SUBSCRIPTION_ID,
    address_payload,
    canceled_subscription_payload,
    contact_details_payload,
    customer_payload,
    item_payload,
    order_payload,
    payment_payload,
    prepaid_subscription_payload,
    product_payload,
    subscription_payload,
)

import ordergroove as og

Builder = Callable[..., dict[str, Any]]

MODELS: list[tuple[type[Any], Builder]] = [
    (og.Subscription, subscription_payload),
    (og.Subscription, canceled_subscription_payload),
    (og.Subscription, prepaid_subscription_payload),
    (og.Order, order_payload),
    (og.Item, item_payload),
    (og.Customer, customer_payload),
    (og.Product, product_payload),
    (og.Address, address_payload),
    (og.Payment, payment_payload),
    (og.ContactDetails, contact_details_payload),
    (og.CancelReason, lambda **kw: {"cancel_reason": 4, "application": "msi", **kw}),
]
MODEL_IDS = [f"{cls.__name__}-{builder.__name__}" for cls, builder in MODELS]


@pytest.mark.parametrize(("cls", "builder"), MODELS, ids=MODEL_IDS)
def test_round_trip_of_every_documented_field(cls: type[Any], builder: Builder) -> None:
    payload = builder()
    model = og.from_dict(cls, payload)
    assert isinstance(model, cls)
    assert model.extra == {}  # every documented field has a home on the model
    assert og.to_dict(model) == payload
    assert json.dumps(og.to_dict(model)) == json.dumps(payload)  # same key order too


@pytest.mark.parametrize(("cls", "builder"), MODELS, ids=MODEL_IDS)
def test_unknown_fields_are_kept(cls: type[Any], builder: Builder) -> None:
    payload = builder(brand_new_field={"nested": [1, 2]}, another="x")
    model = og.from_dict(cls, payload)
    assert model.extra == {"brand_new_field": {"nested": [1, 2]}, "another": "x"}
    assert og.to_dict(model) == payload


@pytest.mark.parametrize(("cls", "builder"), MODELS, ids=MODEL_IDS)
def test_models_are_frozen(cls: type[Any], builder: Builder) -> None:
    model = og.from_dict(cls, builder())
    first = attrs.fields(cls)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(model, first, "changed")


def test_to_dict_is_a_copy() -> None:
    payload = subscription_payload()
    model = og.from_dict(og.Subscription, payload)
    encoded = og.to_dict(model)
    encoded["components"][0]["quantity"] = 99
    encoded["extra_data"]["gift"] = True
    assert og.to_dict(model) == subscription_payload()
    payload["quantity"] = 7  # nor does the caller's payload tie the model to it afterwards
    assert model.quantity == 2


def test_subscription_types() -> None:
    s = og.from_dict(og.Subscription, subscription_payload())
    assert s.public_id == s.id == SUBSCRIPTION_ID
    assert (s.customer, s.product, s.shipping_address) == (CUSTOMER_ID, PRODUCT_ID, ADDRESS_ID)
    assert s.live is True and s.is_active and not s.is_canceled and not s.is_prepaid
    assert s.start_date == dt.date(2024, 1, 15) and type(s.start_date) is dt.date
    assert s.created == dt.datetime(2024, 1, 15, 10, 21, 33) and s.created.tzinfo is None
    assert s.every_period is og.Period.MONTHS
    assert s.every == 1 and s.quantity == 2 and s.reminder_days == 5
    assert s.price is None and s.cancelled is None and s.cancel_reason_code is None
    assert s.components == [
        og.Component(public_id="aab3238922bcc25a6f606eb525ffdc56", quantity=2, product="SKU-FILTER")
    ]
    assert s.extra_data == {"gift": False, "source": "pdp"}


def test_canceled_and_prepaid_subscription() -> None:
    canceled = og.from_dict(og.Subscription, canceled_subscription_payload())
    assert canceled.is_canceled and not canceled.is_active
    assert canceled.cancelled == dt.datetime(2024, 6, 1, 12, 30)
    assert (canceled.cancel_reason, canceled.cancel_reason_code) == ("4|Overstocked", 4)
    prepaid = og.from_dict(og.Subscription, prepaid_subscription_payload(price="19.99"))
    assert prepaid.is_prepaid
    assert prepaid.prepaid_subscription_context is not None
    assert prepaid.prepaid_subscription_context["prepaid_orders_remaining"] == 2
    assert prepaid.price == Decimal("19.99")


def test_order_types() -> None:
    o = og.from_dict(og.Order, order_payload())
    assert o.id == ORDER_ID
    assert o.status is og.OrderStatus.UNSENT and o.is_upcoming
    assert o.total == Decimal("25.46") and type(o.total) is Decimal
    assert o.sub_total - o.discount_total + o.tax_total + o.shipping_total == o.total  # type: ignore[operator]
    assert o.place == dt.datetime(2024, 6, 1)
    assert o.locked is False and o.has_plan is False


def test_other_models_types() -> None:
    item = og.from_dict(og.Item, item_payload(first_placed="2024-05-03 07:00:00"))
    assert item.total_price == Decimal("25.98") and item.first_placed == dt.datetime(2024, 5, 3, 7)
    customer = og.from_dict(og.Customer, customer_payload())
    assert customer.id == CUSTOMER_ID and customer.name == "Ada Lovelace" and customer.phone_type == 2
    product = og.from_dict(og.Product, product_payload())
    assert product.id == PRODUCT_ID and product.price == Decimal("12.99")
    assert product.groups == [og.ProductGroup(group_type="sku_swap", name="coffee")]
    assert product.every_period is og.Period.MONTHS
    payment = og.from_dict(og.Payment, payment_payload())
    assert payment.cc_number_ending == "4242" and payment.cc_exp_date == "12/2027"
    address = og.from_dict(og.Address, address_payload())
    assert address.country_code == "US" and address.address2 == "Flat 3"


def test_sensitive_fields_are_not_in_repr() -> None:
    payment = og.from_dict(og.Payment, payment_payload())
    customer = og.from_dict(og.Customer, customer_payload())
    address = og.from_dict(og.Address, address_payload())
    assert "tok-pay-99" not in repr(payment) and "Ada Lovelace" not in repr(payment)
    assert "tok-user-55" not in repr(customer) and "sess-9a8b7c" not in repr(customer)
    assert "tok-addr-77" not in repr(address)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15 10:21:33", dt.datetime(2024, 1, 15, 10, 21, 33)),
        ("2024-01-15T10:21:33", dt.datetime(2024, 1, 15, 10, 21, 33)),
        ("2024-01-15 10:21:33.250000", dt.datetime(2024, 1, 15, 10, 21, 33, 250000)),
        ("2024-01-15T10:21:33.5", dt.datetime(2024, 1, 15, 10, 21, 33, 500000)),
        ("2024-01-15T10:21:33Z", dt.datetime(2024, 1, 15, 10, 21, 33, tzinfo=dt.timezone.utc)),
        (
            "2024-01-15T10:21:33+02:00",
            dt.datetime(2024, 1, 15, 10, 21, 33, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("2024-01-15", dt.datetime(2024, 1, 15)),
    ],
)
def test_datetime_variants_decode_and_round_trip_exactly(text: str, expected: dt.datetime) -> None:
    payload = order_payload(created=text, updated=text)
    order = og.from_dict(og.Order, payload)
    assert order.created == expected
    assert order.created is not None and (order.created.tzinfo is None) == (expected.tzinfo is None)
    assert og.to_dict(order)["created"] == text


@pytest.mark.parametrize("text", ["2024-01-15", "2024-01-15 00:00:00", "2024-01-15T00:00:00"])
def test_date_field_variants(text: str) -> None:
    s = og.from_dict(og.Subscription, subscription_payload(start_date=text))
    assert s.start_date == dt.date(2024, 1, 15)
    assert og.to_dict(s)["start_date"] == text


@pytest.mark.parametrize(
    ("extra_data", "form"),
    [({"a": {"b": [1, None]}}, dict), ('{"a": 1}', og.models.JSONText), ("not json at all", str), (None, type(None))],
)
def test_extra_data_in_each_documented_form(extra_data: Any, form: type[Any]) -> None:
    for cls, builder in ((og.Subscription, subscription_payload), (og.Order, order_payload)):
        model: Any = og.from_dict(cls, builder(extra_data=extra_data))
        assert model.extra_data == extra_data and type(model.extra_data) is form
        assert model.unparsed == {}
        assert og.to_dict(model)["extra_data"] == extra_data and type(og.to_dict(model)["extra_data"]) is type(
            extra_data
        )
    assert og.from_dict(og.Customer, customer_payload()).extra_data.value == {"loyalty_tier": "gold"}  # type: ignore[union-attr]


@pytest.mark.parametrize("extra_data", [[], [1], 5, True, 1.5])
def test_extra_data_of_no_documented_form_is_unparsed(extra_data: Any) -> None:
    model = og.from_dict(og.Subscription, subscription_payload(extra_data=extra_data))
    assert model.extra_data is None and model.unparsed == {"extra_data": extra_data}
    assert og.to_dict(model) == subscription_payload(extra_data=extra_data)
    with pytest.raises(og.ResponseDecodeError, match="extra_data"):
        og.from_dict(og.Subscription, subscription_payload(extra_data=extra_data), strict=True)


def test_unknown_enum_values_stay_ints() -> None:
    s = og.from_dict(og.Subscription, subscription_payload(every_period=9))
    assert s.every_period == 9 and not isinstance(s.every_period, og.Period)
    o = og.from_dict(og.Order, order_payload(status=42))
    assert o.status == 42 and not isinstance(o.status, og.OrderStatus)
    assert not o.is_upcoming
    assert og.to_dict(o)["status"] == 42
    p = og.from_dict(og.Product, product_payload(every_period=None))
    assert p.every_period is None


def test_enum_values() -> None:
    assert [(p.name, int(p)) for p in og.Period] == [("DAYS", 1), ("WEEKS", 2), ("MONTHS", 3), ("YEARS", 4)]
    assert {int(s) for s in og.OrderStatus} == {1, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20}
    assert (int(og.OrderStatus.UNSENT), int(og.OrderStatus.CANCELLED), int(og.OrderStatus.SUCCESS)) == (1, 4, 5)
    for code in (1, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20):
        assert og.from_dict(og.Order, order_payload(status=code)).status is og.OrderStatus(code)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("12.99", Decimal("12.99")), ("0.10", Decimal("0.10")), (12.99, Decimal("12.99")), (7, Decimal(7))],
)
def test_money_is_decimal(wire: Any, expected: Decimal) -> None:
    order = og.from_dict(og.Order, order_payload(total=wire))
    assert order.total == expected and type(order.total) is Decimal
    assert str(order.total) == str(expected)  # exact: no float noise
    assert og.to_dict(order)["total"] == wire


def test_lenient_where_the_value_is_exact() -> None:
    # Ids sometimes arrive as numbers and counts as numeric strings: their text is exact, so they are accepted.
    s = og.from_dict(og.Subscription, subscription_payload(customer=1001, quantity="3", every=2.0))
    assert (s.customer, s.quantity, s.every) == ("1001", 3, 2)
    assert og.to_dict(s)["customer"] == 1001  # and given back exactly as received


@pytest.mark.parametrize("total", [float("inf"), float("nan"), "Infinity", "-inf", "sNaN", "undefined"])
def test_non_finite_or_unreadable_money_is_unparsed(total: Any) -> None:
    order = og.from_dict(og.Order, order_payload(total=total))
    assert order.total is None and list(order.unparsed) == ["total"]
    assert og.to_dict(order)["total"] is total
    with pytest.raises(og.ResponseDecodeError, match="total"):
        og.from_dict(og.Order, order_payload(total=total), strict=True)


def test_datetimes_built_in_code_that_ordergroove_cannot_spell_are_iso() -> None:
    aware = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
    precise = dt.datetime(2024, 7, 1, 9, 0, 0, 123456)
    encoded = og.to_dict(
        og.Order(public_id="o1", customer="c1", status=og.OrderStatus.UNSENT, place=aware, created=precise)
    )
    assert encoded["place"] == "2024-07-01T09:00:00+00:00"
    assert encoded["created"] == "2024-07-01T09:00:00.123456"
    assert encoded["status"] == 1


def test_cancel_reason_labels() -> None:
    standard = og.from_dict(og.CancelReason, {"cancel_reason": 6, "application": "msi"})
    assert (standard.code, standard.application, standard.label) == (6, "msi", "Quality issues")
    custom = og.from_dict(og.CancelReason, {"cancel_reason": 12})
    assert custom.label is None and custom.application is None
    assert og.to_dict(custom) == {"cancel_reason": 12}


def test_model_built_in_code_encodes_to_the_wire_shape() -> None:
    s = og.Subscription(
        public_id="s1",
        customer="c1",
        product="p1",
        live=True,
        every=2,
        every_period=og.Period.WEEKS,
        start_date=dt.date(2024, 7, 1),
        created=dt.datetime(2024, 7, 1, 9, 5, 3),
        price=Decimal("9.50"),
        extra={"future_field": 1},
    )
    encoded = og.to_dict(s)
    assert encoded["every_period"] == 2 and type(encoded["every_period"]) is int
    assert encoded["start_date"] == "2024-07-01"
    assert encoded["created"] == "2024-07-01 09:05:03"
    assert encoded["price"] == "9.50"
    assert encoded["future_field"] == 1
    assert "extra" not in encoded and "_raw" not in encoded
    assert og.from_dict(og.Subscription, encoded) == s
    reason = og.to_dict(og.CancelReason(code=3))
    assert reason == {"cancel_reason": 3, "application": None}


def test_to_dict_refuses_other_objects() -> None:
    with pytest.raises(TypeError):
        og.to_dict({"public_id": "x"})


# -- payloads that do not decode --------------------------------------------------------------------------

# A value of no documented form: lenient, the model is built with None there and the value in ``unparsed``;
# strict, the record is refused, naming the model and the field.
OFF_SPEC: list[tuple[str, type[Any], Any, str]] = [
    ("public_id null", og.Subscription, {**subscription_payload(), "public_id": None}, "public_id"),
    ("live not bool", og.Subscription, subscription_payload(live="true"), "live"),
    ("quantity not int", og.Subscription, subscription_payload(quantity="two"), "quantity"),
    ("bool as int", og.Subscription, subscription_payload(quantity=True), "quantity"),
    ("created a number", og.Subscription, subscription_payload(created=1700000000), "created"),
    ("bad date", og.Subscription, subscription_payload(start_date="15/01/2024"), "start_date"),
    ("impossible date", og.Subscription, subscription_payload(start_date="2017-02-29"), "start_date"),
    ("components a number", og.Subscription, subscription_payload(components=5), "components"),
    ("component not object", og.Subscription, subscription_payload(components=["x"]), "components"),
    ("context not object", og.Subscription, prepaid_subscription_payload(prepaid_subscription_context=[1]), "prepaid"),
    ("status text", og.Order, order_payload(status="unsent"), "status"),
    ("money text", og.Order, order_payload(total="N/A"), "total"),
    ("money undefined", og.Order, order_payload(total="undefined"), "total"),
    ("money NaN", og.Order, order_payload(total="NaN"), "total"),
    ("money bool", og.Order, order_payload(total=False), "total"),
    ("groups wrong", og.Product, product_payload(groups=[1]), "groups"),
    ("code text", og.CancelReason, {"cancel_reason": "four"}, "cancel_reason"),  # the wire name
]


@pytest.mark.parametrize(("case", "cls", "payload", "field"), OFF_SPEC, ids=[b[0] for b in OFF_SPEC])
def test_a_value_of_no_documented_form_costs_only_that_attribute(
    case: str, cls: type[Any], payload: Any, field: str
) -> None:
    model = og.from_dict(cls, payload)
    [(wire, value)] = model.unparsed.items()
    assert wire.startswith(field) and value == payload[wire]
    attribute = {"cancel_reason": "code"}.get(wire, wire)
    assert getattr(model, attribute) is None
    assert og.to_dict(model) == payload and list(og.to_dict(model)) == list(payload)
    with pytest.raises(og.ResponseDecodeError) as caught:
        og.from_dict(cls, payload, strict=True)
    assert str(caught.value).startswith(f"{cls.__name__} payload does not decode: {wire}")


# Refused in both modes: what is not a record of the model at all.
BAD: list[tuple[str, type[Any], Any, list[str]]] = [
    (
        "missing customer",
        og.Subscription,
        {k: v for k, v in subscription_payload().items() if k != "customer"},
        ["Subscription", "customer", "required field missing"],
    ),
    ("order id missing", og.Item, {k: v for k, v in item_payload().items() if k != "order"}, ["Item", "order"]),
    ("no merchant_user_id", og.Customer, {"email": "a@b.co"}, ["Customer", "merchant_user_id"]),
    ("list not object", og.Order, [order_payload()], ["Order", "JSON object"]),
    ("string not object", og.Payment, "payment", ["Payment", "JSON object"]),
    ("null not object", og.Payment, None, ["Payment", "JSON object"]),
]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(("case", "cls", "payload", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_payload_names_model_and_field(
    case: str, cls: type[Any], payload: Any, words: list[str], strict: bool
) -> None:
    with pytest.raises(og.ResponseDecodeError) as caught:
        og.from_dict(cls, payload, strict=strict)
    for word in words:
        assert word in str(caught.value)


# -- property tests -----------------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=24)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=16,
)
ALL_MODELS = [cls for cls, _ in MODELS[:1] + MODELS[3:]]


@settings(max_examples=300, deadline=None)
@given(cls=st.sampled_from(ALL_MODELS), data=json_values, strict=st.booleans())
def test_random_json_gives_a_model_or_a_decode_error(cls: type[Any], data: Any, strict: bool) -> None:
    try:
        model = og.from_dict(cls, data, strict=strict)
    except og.ResponseDecodeError as error:
        assert cls.__name__ in str(error)
    else:
        assert isinstance(model, cls)
        assert og.to_dict(model) == data or data != data  # NaN inside: not equal to itself


def _field_mutations(builder: Builder) -> st.SearchStrategy[dict[str, Any]]:
    """A realistic payload with some documented fields replaced by random JSON: exercises every field's hook."""
    base = builder()
    return st.dictionaries(st.sampled_from(sorted(base)), json_values, max_size=4).map(
        lambda changes: {**base, **changes}
    )


@settings(max_examples=400, deadline=None)
@given(data=st.data(), index=st.sampled_from(range(len(MODELS))))
def test_mutated_payloads_give_a_model_leniently_or_a_decode_error_strictly(data: st.DataObject, index: int) -> None:
    cls, builder = MODELS[index]
    payload = data.draw(_field_mutations(builder))
    model = og.from_dict(cls, payload)  # every field present: lenient decoding never loses the record
    assert json.dumps(og.to_dict(model)) == json.dumps(payload)  # whatever decodes, encodes back unchanged, in order
    assert set(model.unparsed) <= set(payload)
    try:
        strict = og.from_dict(cls, payload, strict=True)
    except og.ResponseDecodeError as error:
        assert model.unparsed  # strict refuses exactly what lenient set aside
        assert str(error).startswith(f"{cls.__name__} payload does not decode: {next(iter(model.unparsed))}")
    else:
        assert not model.unparsed and strict == model


money = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6)
stamps = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=200, deadline=None)
@given(total=money, place=stamps, status=st.integers(0, 30), sep=st.sampled_from([" ", "T"]))
def test_generated_orders_round_trip(total: Decimal, place: dt.datetime, status: int, sep: str) -> None:
    payload = order_payload(total=str(total), place=place.isoformat(sep=sep), status=status)
    order = og.from_dict(og.Order, payload)
    assert order.total == total and order.place == place and order.status == status
    assert og.to_dict(order) == payload
