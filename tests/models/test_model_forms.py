"""Every form of a field the reference documents decodes, losslessly, into an attribute that says which form it is;
a value of no documented form costs only that attribute (``unparsed``), or the record in strict mode.

The forms are those of "Shapes" and "Corrections and additions" in Ordergroove's REST reference
(``ordergroove-rest-endpoints.md``), copied here with their published example values.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from payloads import (
    customer_payload,
    item_payload,
    order_payload,
    page,
    payment_payload,
    product_payload,
    subscription_payload,
)

import ordergroove as og
from ordergroove.models import ComponentIds, JSONText, _fastpath, decode, decode_list

Check = Callable[[Any], bool]

# The reference's published examples, one documented form each: (model, payload, a check of the attribute).
DOCUMENTED: dict[str, tuple[type[Any], dict[str, Any], Check]] = {
    "subscription components: list of objects": (
        og.Subscription,
        subscription_payload(components=[{"public_id": "79d2", "quantity": 1, "product": "0070067690"}]),
        lambda s: s.components == [og.Component(public_id="79d2", quantity=1, product="0070067690")],
    ),
    "subscription components: comma-separated string": (
        og.Subscription,
        subscription_payload(components="product_id_1,product_id_2"),
        lambda s: (
            isinstance(s.components, ComponentIds) and s.components.product_ids == ("product_id_1", "product_id_2")
        ),
    ),
    "subscription components: list of {product}": (
        og.Subscription,
        subscription_payload(components=[{"product": "123"}]),
        lambda s: s.components == [og.Component(product="123")] and s.components[0].public_id is None,
    ),
    "subscription components: null": (
        og.Subscription,
        subscription_payload(components=None),
        lambda s: s.components is None,
    ),
    "subscription extra_data: object": (
        og.Subscription,
        subscription_payload(extra_data={"some": "extra", "fields": "here"}),
        lambda s: type(s.extra_data) is dict and s.extra_data["fields"] == "here",
    ),
    "subscription extra_data: string holding JSON": (
        og.Subscription,
        subscription_payload(extra_data='{"some": "extra"}'),
        lambda s: isinstance(s.extra_data, JSONText) and s.extra_data.value == {"some": "extra"},
    ),
    "subscription cancel_reason_code: string": (
        og.Subscription,
        subscription_payload(cancelled="2024-06-01 12:30:00", cancel_reason="4|Overstocked", cancel_reason_code="4"),
        lambda s: s.cancel_reason_code == 4 and type(s.cancel_reason_code) is int,
    ),
    "subscription cancel_reason_code: integer": (
        og.Subscription,
        subscription_payload(cancel_reason_code=4),
        lambda s: s.cancel_reason_code == 4,
    ),
    "subscription prepaid context: object": (
        og.Subscription,
        subscription_payload(
            prepaid_subscription_context={
                "prepaid_orders_remaining": 0,
                "prepaid_orders_per_billing": 3,
                "renewal_behavior": "autorenew",
                "last_renewal_revenue": 100.8,
                "prepaid_origin_merchant_order_id": "#3082",
            }
        ),
        lambda s: s.is_prepaid and s.prepaid_subscription_context["renewal_behavior"] == "autorenew",
    ),
    "subscription prepaid context: {} (older examples)": (
        og.Subscription,
        subscription_payload(prepaid_subscription_context={}),
        lambda s: s.prepaid_subscription_context == {} and not s.is_prepaid,
    ),
    "subscription prepaid context: null": (
        og.Subscription,
        subscription_payload(prepaid_subscription_context=None),
        lambda s: not s.is_prepaid,
    ),
    "subscription [cur] fields": (
        og.Subscription,
        subscription_payload(
            external_id="gid://shopify/SubscriptionContract/10831298836",
            raw_subscription_type="replenish",
            queued_actions=[{"action": "skip"}],
            customer_rep=12,
        ),
        lambda s: (
            (s.external_id, s.raw_subscription_type, s.queued_actions, s.customer_rep)
            == ("gid://shopify/SubscriptionContract/10831298836", "replenish", [{"action": "skip"}], 12)
        ),
    ),
    "subscription customer_rep: string": (
        og.Subscription,
        subscription_payload(customer_rep="rep-7"),
        lambda s: s.customer_rep == "rep-7",
    ),
    "subscription ids that are not hex, price 0.00": (
        og.Subscription,
        subscription_payload(public_id="7o8gh87fsf7dh87dhd7d988006ajjklf", price="0.00"),
        lambda s: s.public_id == "7o8gh87fsf7dh87dhd7d988006ajjklf" and s.price == Decimal("0.00"),
    ),
    "order type: integer (retrieve)": (og.Order, order_payload(type=1), lambda o: o.type == 1),
    "order type: string": (og.Order, order_payload(type="1"), lambda o: o.type == "1"),
    "order list page without sub_total, with has_plan": (
        og.Order,
        {k: v for k, v in order_payload(has_plan=True).items() if k != "sub_total"},
        lambda o: o.sub_total is None and o.has_plan is True,
    ),
    "order extra_data: string holding JSON, rejected_message empty": (
        og.Order,
        order_payload(extra_data='{"some": "extra"}', rejected_message=""),
        lambda o: isinstance(o.extra_data, JSONText) and o.rejected_message == "",
    ),
    "item components: comma-separated string": (
        og.Item,
        item_payload(components="product_id_1,product_id_2"),
        lambda i: isinstance(i.components, ComponentIds),
    ),
    "item components: list of {product}": (
        og.Item,
        item_payload(components=[{"product": "product_id_1"}]),
        lambda i: i.components == [og.Component(product="product_id_1")],
    ),
    "item without prices (omit_price_calculation), new bundle": (
        og.Item,
        {
            **{k: v for k, v in item_payload().items() if k not in ("price", "extra_cost", "total_price")},
            "subscription_component": "85eae83c245111eeb185acde48001122",
            "order_updated": "2025-01-31 00:00:00",
        },
        lambda i: i.price is None and i.subscription_component == "85eae83c245111eeb185acde48001122",
    ),
    "customer locale: integer, [cur] id": (
        og.Customer,
        customer_payload(locale=42, id=311, phone_type=1),
        lambda c: c.locale == 42 and c.internal_id == 311 and c.id == c.merchant_user_id,
    ),
    "customer locale: string (update)": (og.Customer, customer_payload(locale="fr-ca"), lambda c: c.locale == "fr-ca"),
    "customer extra_data and experiences: strings holding JSON (create)": (
        og.Customer,
        customer_payload(
            extra_data='{"subscriber_key": "another_email@ordergroove.com"}',
            experiences='{"reorder": true, "subscription-management": false}',
        ),
        lambda c: isinstance(c.experiences, JSONText) and c.experiences.value["reorder"] is True,
    ),
    "product price: number (update)": (
        og.Product,
        product_payload(price=38.59),
        lambda p: p.price == Decimal("38.59") and type(p.price) is Decimal,
    ),
    "product price: string": (og.Product, product_payload(price="12.99"), lambda p: p.price == Decimal("12.99")),
    "product last_update: not a datetime": (
        og.Product,
        product_payload(last_update="09/3099", premier_enabled=2, product_type="club"),
        lambda p: p.last_update == "09/3099" and p.premier_enabled == 2,
    ),
    "product extra_data: malformed JSON text (update page)": (
        og.Product,
        product_payload(extra_data='{"some": "extra",}'),
        lambda p: type(p.extra_data) is str and p.extra_data == '{"some": "extra",}',
    ),
    "product selection rules, urls without a scheme, every null": (
        og.Product,
        product_payload(
            image_url="ordergroove.com/product/product_id",
            every=None,
            every_period=None,
            product_selection_rules=[
                {
                    "public_id": "r1",
                    "selection_rule_type": "ORDINAL",
                    "product_selection_list_elements": [{"public_id": "e1", "product": "p1", "starting_ordinal": "0"}],
                    "configuration": {"reveal_moment": "ORDER_PLACEMENT", "pricing_policy": "BEST_PRICE"},
                }
            ],
        ),
        lambda p: p.product_selection_rules[0]["selection_rule_type"] == "ORDINAL" and p.every is None,
    ),
    "payment without card digits ([cur])": (
        og.Payment,
        payment_payload(cc_number_ending=None, cc_exp_date="11/2028", payment_method="shoppay"),
        lambda p: p.cc_number_ending is None and p.payment_method == "shoppay",
    ),
}


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    # Warnings are logged once per model and field in a process; each test here starts as a fresh process would.
    saved = set(_fastpath._WARNED)
    _fastpath._WARNED.clear()
    yield
    _fastpath._WARNED.clear()
    _fastpath._WARNED.update(saved)


@pytest.mark.parametrize("form", list(DOCUMENTED))
def test_every_documented_form_decodes_without_a_warning(form: str, caplog: pytest.LogCaptureFixture) -> None:
    cls, payload, check = DOCUMENTED[form]
    for strict in (False, True):
        model = og.from_dict(cls, payload, strict=strict)
        assert check(model), form
        assert model.unparsed == {} and model.extra == {}
        encoded = og.to_dict(model)
        assert json.dumps(encoded) == json.dumps(payload)  # exactly what arrived, key order included
    [listed] = decode_list(cls, [json.loads(json.dumps(payload))], strict=True)
    assert listed == model
    assert not caplog.records


def test_a_model_built_in_code_encodes_each_form() -> None:
    s = og.Subscription(
        public_id="s1",
        customer="c1",
        product="p1",
        live=True,
        components=ComponentIds("a,b"),
        extra_data=JSONText('{"a": 1}'),
    )
    encoded = og.to_dict(s)
    assert encoded["components"] == "a,b" and type(encoded["components"]) is str
    assert encoded["extra_data"] == '{"a": 1}' and type(encoded["extra_data"]) is str
    assert og.from_dict(og.Subscription, encoded) == s


def test_component_ids_keep_the_text() -> None:
    ids = ComponentIds(" a, b ,,c ")
    assert ids == " a, b ,,c " and ids.product_ids == ("a", "b", "c")
    assert ComponentIds("").product_ids == ()


# -- the reference's own examples that are of no documented form ----------------------------------------------

PUBLISHED_ODDITIES: list[tuple[type[Any], dict[str, Any], str]] = [
    (og.Subscription, subscription_payload(created="2017-02-29 12:00:00"), "created"),
    (og.Subscription, subscription_payload(start_date="2025-02-29"), "start_date"),
    (og.Order, order_payload(total="undefined"), "total"),
    (og.Order, order_payload(place="2017-02-29 00:00:00"), "place"),
    (og.Customer, customer_payload(created="2017-02-29 12:00:00"), "created"),
    (og.Product, product_payload(created="2017-02-29 12:00:00"), "created"),
]


@pytest.mark.parametrize(("cls", "payload", "field"), PUBLISHED_ODDITIES, ids=lambda v: getattr(v, "__name__", v))
def test_an_impossible_published_value_costs_only_its_attribute(
    cls: type[Any], payload: dict[str, Any], field: str, caplog: pytest.LogCaptureFixture
) -> None:
    model = og.from_dict(cls, payload)
    assert getattr(model, field) is None
    assert model.unparsed == {field: payload[field]}
    assert og.to_dict(model) == payload and list(og.to_dict(model)) == list(payload)
    [warning] = caplog.records
    assert warning.name == "ordergroove" and warning.levelno == logging.WARNING
    assert f"{cls.__name__}.{field}" in warning.getMessage()
    with pytest.raises(og.ResponseDecodeError, match=f"^{cls.__name__} payload does not decode: {field}: "):
        og.from_dict(cls, payload, strict=True)


def test_a_page_with_odd_records_is_never_lost() -> None:
    records = [
        subscription_payload(public_id="s1"),
        subscription_payload(public_id="s2", components="a,b", created="2017-02-29 12:00:00"),
        subscription_payload(public_id="s3", extra_data=[1], price="twelve"),
        subscription_payload(public_id="s4"),
    ]
    body = json.loads(json.dumps(page(records)))
    decoded = decode_list(og.Subscription, body["results"])
    assert [s.public_id for s in decoded] == ["s1", "s2", "s3", "s4"]
    assert [dict(s.unparsed) for s in decoded] == [
        {},
        {"created": "2017-02-29 12:00:00"},
        {"extra_data": [1], "price": "twelve"},
        {},
    ]
    assert [og.to_dict(s) for s in decoded] == records
    with pytest.raises(og.ResponseDecodeError) as caught:
        decode_list(og.Subscription, body["results"], strict=True)
    assert str(caught.value) == (
        "record 2 of 4: Subscription payload does not decode: created: expected a datetime, got a string of 19 "
        "characters"
    )


def test_strict_names_a_nested_field() -> None:
    payload = subscription_payload(components=[{"product": "p"}, {"quantity": "two"}])
    lenient = og.from_dict(og.Subscription, payload)
    assert isinstance(lenient.components, list) and lenient.components[0] == og.Component(product="p")
    assert lenient.components[1].quantity is None and lenient.components[1].unparsed == {"quantity": "two"}
    assert lenient.unparsed == {}  # the component's value is the component's
    assert lenient.components[1] != og.Component()  # what was set aside is part of equality
    with pytest.raises(og.ResponseDecodeError, match=r"components\[1\]\.quantity: expected an integer"):
        og.from_dict(og.Subscription, payload, strict=True)


def test_a_component_that_is_not_an_object_makes_the_components_unparsed() -> None:
    s = og.from_dict(og.Subscription, subscription_payload(components=[{"product": "p"}, 7]))
    assert s.components is None and s.unparsed == {"components": [{"product": "p"}, 7]}


def test_each_model_and_field_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    records = [order_payload(total="undefined", tax_total="?") for _ in range(3)] + [order_payload(total="x")]
    decoded = decode_list(og.Order, records)
    assert [o.total for o in decoded] == [None] * 4
    assert sorted(r.getMessage().split(":")[0] for r in caplog.records) == ["Order.tax_total", "Order.total"]
    og.from_dict(og.Subscription, subscription_payload(quantity="x"))
    assert len(caplog.records) == 3


def test_warnings_never_quote_long_values(caplog: pytest.LogCaptureFixture) -> None:
    # A value of the wrong kind could be anything, a card number included: only short text is quoted.
    og.from_dict(og.Order, order_payload(place="4111111111111111"))
    og.from_dict(og.Order, order_payload(total="4111 1111 1111 1111 trailing text"))
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "4111" not in text and "a string of" in text


def test_decode_takes_strict_too() -> None:
    with pytest.raises(og.ResponseDecodeError, match="total"):
        decode(og.Order, order_payload(total="undefined"), strict=True)
    assert decode(og.Order, order_payload(total="undefined")).unparsed == {"total": "undefined"}


# -- any JSON value in any field -----------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
BUILDERS: list[tuple[type[Any], Callable[..., dict[str, Any]]]] = [
    (og.Subscription, subscription_payload),
    (og.Order, order_payload),
    (og.Item, item_payload),
    (og.Customer, customer_payload),
    (og.Product, product_payload),
    (og.Payment, payment_payload),
]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), which=st.sampled_from(range(len(BUILDERS))))
def test_any_json_value_in_any_field_gives_a_model_or_a_typed_error(data: st.DataObject, which: int) -> None:
    cls, builder = BUILDERS[which]
    fields = [f.name for f in attrs.fields(cls) if f.init and f.name != "extra"]
    records = [
        builder(**{name: data.draw(JSON) for name in data.draw(st.lists(st.sampled_from(fields), max_size=3))})
        for _ in range(3)
    ]
    decoded = decode_list(cls, records)  # lenient: the page is never lost
    assert [og.to_dict(model) for model in decoded] == records
    for model, record in zip(decoded, records, strict=True):
        assert set(model.unparsed) <= set(record)
        for name in model.unparsed:
            assert getattr(model, {"id": "internal_id"}.get(name, name)) is None
    try:
        strict = decode_list(cls, records, strict=True)
    except og.ResponseDecodeError as error:
        assert str(error).startswith("record ") and any(model.unparsed for model in decoded)
    else:
        assert strict == decoded and not any(model.unparsed for model in decoded)


def test_a_response_record_that_is_not_an_object_stays_an_error() -> None:
    with pytest.raises(og.ResponseDecodeError, match="record 2 of 2: Subscription payload does not decode"):
        decode_list(og.Subscription, [subscription_payload(), "s2"])


def test_model_to_dict_method_is_og_to_dict() -> None:
    payload = subscription_payload(loyalty="gold", created="2017-02-29 12:00:00")
    model = og.from_dict(og.Subscription, payload)
    assert model.to_dict() == og.to_dict(model) == payload
    built = og.Order(public_id="o1", customer="c", status=og.OrderStatus.SUCCESS, place=dt.datetime(2024, 1, 2))
    assert built.to_dict() == og.to_dict(built)
