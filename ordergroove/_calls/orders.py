"""orders.*: the calls of ``client.orders``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .._call import Call, Params, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import FinalizePlacementResult, Order, OrderStatus
from ._base import Body, action_call, list_call, retrieve_call


def list_(
    *,
    customer: str | None = None,
    subscription: str | None = None,
    status: OrderStatus | int | None = None,
    place: dt.date | None = None,
    place_start: dt.date | None = None,
    place_end: dt.date | None = None,
    created: dt.date | None = None,
    created_start: dt.date | None = None,
    created_end: dt.date | None = None,
    updated_start: dt.date | dt.datetime | None = None,
    updated_end: dt.date | dt.datetime | None = None,
    include_has_plan: bool | None = None,
    page_size: int = 100,
) -> Call[Page[Order]]:
    params = (
        Params()
        .id("customer", customer)
        .id("subscription", subscription)
        .integer("status", status)
        .date("place", place)
        .date("place_start", place_start)
        .date("place_end", place_end)
        .date("created", created)
        .date("created_start", created_start)
        .date("created_end", created_end)
        .date_or_datetime("updated_start", updated_start)
        .date_or_datetime("updated_end", updated_end)
        .boolean("include_has_plan", include_has_plan)
        .page_size(page_size)
    )
    return list_call(Order, "orders", params.items())


def retrieve(order_id: str, include_has_plan: bool | None = None) -> Call[Order]:
    params = Params().boolean("include_has_plan", include_has_plan).items()
    return retrieve_call(Order, "orders", "order_id", order_id, params)


def _action(order_id: str, action: str, body: object = None, *, idempotent: bool) -> Call[Order]:
    return action_call(Order, "orders", "order_id", order_id, action, body, idempotent=idempotent)


def skip_subscription(order_id: str, subscription_id: str) -> Call[Order]:
    # NOT safe to repeat blindly: a second skip could reach the subscription's newly generated next order.
    segment("subscription_id", subscription_id)  # checked like a path id, but sent in the body as given
    return _action(order_id, "skip_subscription", {"subscription": subscription_id}, idempotent=False)


def cancel(order_id: str) -> Call[Order]:
    # NOT idempotent: skipping an unsent order generates the next order of each of its subscriptions (a repeat is
    # refused by Ordergroove, but only once the first has been applied).
    return _action(order_id, "cancel", idempotent=False)


def send_now(order_id: str) -> Call[Order]:
    # NOT safe to repeat blindly: it places the order.
    return _action(order_id, "send_now", idempotent=False)


def change_place_date(order_id: str, place: dt.date | dt.datetime) -> Call[Order]:
    # Setting a date is idempotent.
    if isinstance(place, dt.datetime):
        if place.tzinfo is not None:
            raise ConfigurationError(
                "place must be a date or a naive datetime in Ordergroove's time, not an aware datetime"
            )
        text = place.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(place, dt.date):
        text = place.strftime("%Y-%m-%d 00:00:00")
    else:
        raise ConfigurationError(f"place must be a datetime.date or datetime.datetime, got {type(place).__name__}")
    return _action(order_id, "change_place_date", {"place": text}, idempotent=True)


# orders.change_shipping_address's body field: *unconfirmed* in the reference (named so on the subscription call).
ORDER_SHIPPING_FIELD = "shipping_address"
# orders.finalize_placement's method: PATCH on the reference page and one current page, POST on another
# (*unconfirmed*).
FINALIZE_PLACEMENT_METHOD = "PATCH"


def change_shipping_address(order_id: str, shipping_address: str) -> Call[Order]:
    # Setting the address is idempotent.
    body = Body().id(ORDER_SHIPPING_FIELD, shipping_address, required=True)
    return _action(order_id, "change_shipping", body.fields, idempotent=True)


def change_payment(order_id: str, payment: str) -> Call[Order]:
    # Setting the payment is idempotent.
    return _action(order_id, "change_payment", Body().id("payment", payment, required=True).fields, idempotent=True)


def update(order_id: str, extra_data: Mapping[str, Any] | str) -> Call[Order]:
    # Setting the one field is idempotent.
    return _action(
        order_id, "update", Body().json_text("extra_data", extra_data, required=True).fields, idempotent=True
    )


def finalize_placement(
    order_id: str, response_xml: str, idempotency_key: str, processing_response_id: str | None
) -> Call[FinalizePlacementResult]:
    # NOT re-sent by the client after an ambiguous failure (docs/api.md), although Ordergroove answers a repeat with
    # the same idempotency_key as the first: the caller decides, with the same key. Which fields are required is
    # *unconfirmed*: response_xml and idempotency_key, without which the call means nothing.
    body = (
        Body()
        .id("processing_response_id", processing_response_id, required=False)
        .text("response_xml", response_xml, required=True)
        .text("idempotency_key", idempotency_key, required=True)
    )
    return action_call(
        FinalizePlacementResult,
        "orders",
        "order_id",
        order_id,
        "finalize_placement",
        body.fields,
        idempotent=False,
        method=FINALIZE_PLACEMENT_METHOD,
    )
