"""items.*: the calls of ``client.items``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .._call import Call, Params, path, segment
from .._page import Page
from ..models import Item
from ._base import Body, Components, action_call, create_call, list_call, no_body, retrieve_call

# items.delete: "no response body documented; status (200 or 204) *unconfirmed*": either is a success, read as None.
DELETE_STATUSES = (200, 204)


def list_(order: str | None, subscription: str | None, page_size: int) -> Call[Page[Item]]:
    params = Params().id("order", order).id("subscription", subscription).page_size(page_size)
    return list_call(Item, "items", params.items())


def retrieve(item_id: str, omit_price_calculation: bool | None = None) -> Call[Item]:
    params = Params().boolean("omit_price_calculation", omit_price_calculation).items()
    return retrieve_call(Item, "items", "item_id", item_id, params)


def _action(item_id: str, action: str, body: Body, *, idempotent: bool) -> Call[Item]:
    return action_call(Item, "items", "item_id", item_id, action, body.fields, idempotent=idempotent)


def change_quantity(item_id: str, quantity: int) -> Call[Item]:
    # Setting a quantity is idempotent.
    return _action(
        item_id, "change_quantity", Body().integer("quantity", quantity, minimum=1, required=True), idempotent=True
    )


def change_price(item_id: str, price: Decimal | int) -> Call[Item]:
    # Setting a price is idempotent (the item becomes `frozen`: later repricing leaves it alone).
    return _action(item_id, "change_price", Body().amount("price", price, required=True), idempotent=True)


def change_product(item_id: str, product: str) -> Call[Item]:
    # Setting the product is idempotent.
    return _action(item_id, "change_product", Body().id("product", product, required=True), idempotent=True)


def update(item_id: str, components: str | Sequence[str]) -> Call[Item]:
    # Setting the one field is idempotent. Its text form is *unconfirmed*: a string is sent as given; a list of
    # product ids is sent as they read back, comma-separated ("product_id_1,product_id_2") — the one place of that
    # choice.
    if isinstance(components, str):
        body = Body().text("components", components, required=True)
    else:
        body = Body().ids("components", components, required=True)
        body.fields["components"] = ",".join(body.fields["components"])
    return _action(item_id, "update", body, idempotent=True)


def create(
    merchant_id: str,
    customer_id: str,
    shipping_id: str,
    payment_id: str,
    offer_id: str,
    product_id: str,
    place_date: dt.date,
    quantity: int,
    contexts: Mapping[str, Any] | None,
) -> Call[Item]:
    # NOT idempotent: each call adds an item (and may create an order).
    body = (
        Body()
        .id("merchant_id", merchant_id, required=True)
        .id("customer_id", customer_id, required=True)
        .id("shipping_id", shipping_id, required=True)
        .id("payment_id", payment_id, required=True)
        .id("offer_id", offer_id, required=True)
        .id("product_id", product_id, required=True)
        .us_date("place_date", place_date, required=True)  # MM/DD/YYYY here, unlike every other date
        .integer("quantity", quantity, minimum=1, required=True)
        .mapping("contexts", contexts, required=False)
    )
    return create_call(Item, "items", "create", body.fields)


def create_in_order(
    order: str,
    offer: str,
    product: str,
    quantity: int,
    contexts: Mapping[str, Any] | None,
    components: Components | None,
) -> Call[Item]:
    # NOT idempotent: each call adds a one-time (impulse upsell) item. The components' element fields are
    # *unconfirmed*: {product, quantity}, or the legacy {product} the reference's answer shows.
    body = (
        Body()
        .id("order", order, required=True)
        .id("offer", offer, required=True)
        .id("product", product, required=True)
        .integer("quantity", quantity, minimum=1, required=True)
        .mapping("contexts", contexts, required=False)
        .components("components", components, required=False)
    )
    return create_call(Item, "items", "iu", body.fields)


def delete(item_id: str) -> Call[None]:
    # NOT re-sent after an ambiguous failure: a repeat answers 404, which would report an applied delete as an error.
    return Call(
        "DELETE",
        path("items", segment("item_id", item_id), "delete"),
        decode=no_body,
        status_values=tuple((status, None) for status in DELETE_STATUSES),
        idempotent=False,
    )
