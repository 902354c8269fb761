"""Models read well in a terminal and a notebook: a concise repr, an HTML table, and never a secret."""

from __future__ import annotations

import html
from typing import Any

import attrs
import pytest
from payloads import (
    address_payload,
    canceled_subscription_payload,
    contact_details_payload,
    customer_payload,
    item_payload,
    order_payload,
    payment_payload,
    product_payload,
    subscription_payload,
)

import ordergroove as og
from ordergroove.models import _base
from ordergroove.models._base import model


def test_subscription_repr_is_its_id_and_the_fields_that_matter() -> None:
    subscription = og.from_dict(og.Subscription, subscription_payload(public_id="sub_1", quantity=3, every_period=2))
    assert repr(subscription) == (
        "Subscription('sub_1', customer='cust-1001', product='SKU-COFFEE-1KG', live=True, quantity=3, every=1,"
        " every_period=Period.WEEKS)"
    )
    canceled = og.from_dict(og.Subscription, canceled_subscription_payload(public_id="sub_2"))
    assert repr(canceled).endswith(
        "live=False, quantity=2, every=1, every_period=Period.MONTHS,"
        " cancelled=2024-06-01 12:30:00, cancel_reason_code=4)"
    )


def test_repr_of_each_model() -> None:
    order = og.from_dict(og.Order, order_payload(public_id="o1", status=5))
    assert repr(order) == (
        "Order('o1', customer='cust-1001', status=OrderStatus.SUCCESS, place=2024-06-01 00:00:00, total=25.46,"
        " currency_code='USD')"
    )
    new_status = og.from_dict(og.Order, order_payload(public_id="o2", status=42))
    assert "status=42" in repr(new_status)
    item = og.from_dict(og.Item, item_payload(public_id="i1"))
    assert repr(item) == (
        "Item('i1', order='c9f0f895fb98ab9159f51fd0297e236d', subscription='8f14e45fceea167a5a36dedd4bea2543',"
        " product='SKU-COFFEE-1KG', quantity=2, total_price=25.98)"
    )
    product = og.from_dict(og.Product, product_payload())
    assert repr(product) == (
        "Product('SKU-COFFEE-1KG', name='House Blend Coffee 1kg', price=12.99, live=True, autoship_enabled=True,"
        " every=1, every_period=Period.MONTHS)"
    )
    assert repr(product.groups[0]) == "ProductGroup(group_type='sku_swap', name='coffee')"
    assert repr(og.CancelReason(code=4, application="msi")) == "CancelReason(4, label='Overstocked', application='msi')"
    assert repr(og.CancelReason(code=12)) == "CancelReason(12)"
    subscription = og.from_dict(og.Subscription, subscription_payload())
    assert isinstance(subscription.components, list)
    assert repr(subscription.components[0]) == (
        "Component('aab3238922bcc25a6f606eb525ffdc56', product='SKU-FILTER', quantity=2)"
    )


def test_models_built_in_code_read_the_same_as_decoded_ones() -> None:
    decoded = og.from_dict(og.Order, order_payload(public_id="o1"))
    built = attrs.evolve(decoded)
    assert repr(built) == repr(decoded)
    assert repr(og.Order(public_id="o9", customer="c", status=og.OrderStatus.UNSENT)) == (
        "Order('o9', customer='c', status=OrderStatus.UNSENT)"
    )


def test_equality_is_still_attrs() -> None:
    first = og.from_dict(og.Order, order_payload(public_id="o1"))
    again = og.from_dict(og.Order, order_payload(public_id="o1"))
    other = og.from_dict(og.Order, order_payload(public_id="o1", total="99.00"))
    assert first == again
    assert first != other  # a field the repr shows the same way does not make them equal
    assert repr(first) != repr(other)
    unshown = og.from_dict(og.Order, order_payload(public_id="o1", tries=3))
    assert repr(unshown) == repr(first) and unshown != first


# Personal data and anything secret, by model: none of it may appear in a repr.
NEVER_IN_REPR: list[tuple[type[Any], dict[str, Any], tuple[str, ...]]] = [
    (og.Payment, payment_payload(), ("tok-pay-99", "Ada Lovelace", "4242", "12/2027")),
    (og.Customer, customer_payload(), ("tok-user-55", "sess-9a8b7c", "Ada", "ada@example.com", "+15555550100")),
    (og.Address, address_payload(), ("tok-addr-77", "St James", "Ada", "+15555550100")),
    (og.Subscription, subscription_payload(), ("sess-9a8b7c",)),
    (og.ContactDetails, contact_details_payload(), ("ada@example.com", "+15555550100")),
]


@pytest.mark.parametrize(("cls", "payload", "secrets"), NEVER_IN_REPR, ids=lambda v: getattr(v, "__name__", ""))
def test_repr_never_shows_tokens_card_data_or_personal_data(
    cls: type[Any], payload: dict[str, Any], secrets: tuple[str, ...]
) -> None:
    obj = og.from_dict(cls, payload)
    text = repr(obj) + str(obj)
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize(("cls", "payload", "secrets"), NEVER_IN_REPR, ids=lambda v: getattr(v, "__name__", ""))
def test_html_never_shows_tokens_or_card_data(
    cls: type[Any], payload: dict[str, Any], secrets: tuple[str, ...]
) -> None:
    page = og.from_dict(cls, payload)._repr_html_()
    for secret in ("tok-pay-99", "tok-user-55", "tok-addr-77", "sess-9a8b7c", "4242", "12/2027"):
        assert html.escape(secret) not in page and secret not in page
    if cls is og.Payment:
        assert "Ada Lovelace" not in page  # the card holder


def test_html_view_shows_the_summary_then_the_other_fields() -> None:
    customer = og.from_dict(og.Customer, customer_payload(first_name="<b>Ada</b>", loyalty="platinum"))
    page = customer._repr_html_()  # type: ignore[attr-defined]
    assert page.startswith('<table class="ordergroove-model">')
    assert "Customer <code>cust-1001</code>" in page
    summary, _, details = page.partition("<details>")
    assert "<th style='text-align:left'>live</th><td>True</td>" in summary
    assert "email" not in summary
    assert "<th style='text-align:left'>email</th><td>ada@example.com</td>" in details  # a notebook is not a log
    assert "&lt;b&gt;Ada&lt;/b&gt;" in details and "<b>Ada</b>" not in page  # escaped
    assert "<th style='text-align:left'>extra</th><td>loyalty</td>" in details  # unknown fields: names only
    assert "platinum" not in page


def test_the_display_table_never_names_a_hidden_field() -> None:
    for cls in (og.Subscription, og.Order, og.Item, og.Customer, og.Product, og.Address, og.Payment, og.CancelReason):
        id_field, fields = _base.DISPLAY[cls.__name__]
        hidden = {f.name for f in attrs.fields(cls) if not f.repr}
        assert not hidden & {id_field, *fields}, cls
        names = {f.name for f in attrs.fields(cls)} | {n for n in dir(cls) if isinstance(getattr(cls, n), property)}
        assert {id_field, *fields} <= names, cls  # a typo in the table would silently show nothing


def test_a_model_missing_from_the_table_shows_its_class_and_id_only() -> None:
    @model()
    @attrs.frozen(kw_only=True, slots=False)
    class Voucher:
        public_id: str
        card_number: str | None = None
        holder: str | None = None

    voucher = og.from_dict(Voucher, {"public_id": "v1", "card_number": "4111111111111111", "holder": "Ada"})
    assert repr(voucher) == "Voucher('v1')"
    page = voucher._repr_html_()  # type: ignore[attr-defined]
    assert "v1" in page and "4111" not in page and "Ada" not in page

    @model()
    @attrs.frozen(kw_only=True, slots=False)
    class Note:
        text: str

    assert repr(og.from_dict(Note, {"text": "secret-ish"})) == "Note()"
