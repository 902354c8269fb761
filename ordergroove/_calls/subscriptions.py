"""subscriptions.*: the calls of ``client.subscriptions``."""

from __future__ import annotations

import datetime as dt

from .._call import Call, Params, date_value, positive_int, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import CancelReason, Order, OrderStatus, Period, Subscription
from . import orders
from ._base import action_call, list_call, period_value, retrieve_call


def list_(
    customer: str | None,
    product: str | None,
    live: bool | None,
    created_start: dt.date | None,
    created_end: dt.date | None,
    updated_start: dt.date | dt.datetime | None,
    updated_end: dt.date | dt.datetime | None,
    page_size: int,
) -> Call[Page[Subscription]]:
    params = (
        Params()
        .id("customer", customer)
        .id("product", product)
        .boolean("live", live)
        .date("created_start", created_start)
        .date("created_end", created_end)
        .date_or_datetime("updated_start", updated_start)
        .date_or_datetime("updated_end", updated_end)
        .page_size(page_size)
    )
    return list_call(Subscription, "subscriptions", params.items())


def retrieve(subscription_id: str) -> Call[Subscription]:
    return retrieve_call(Subscription, "subscriptions", "subscription_id", subscription_id)


def _action(subscription_id: str, action: str, body: object = None, *, idempotent: bool) -> Call[Subscription]:
    return action_call(
        Subscription, "subscriptions", "subscription_id", subscription_id, action, body, idempotent=idempotent
    )


def cancel(
    subscription_id: str, reason_code: int | CancelReason | None, reason_details: str | None
) -> Call[Subscription]:
    # NOT re-sent after an ambiguous failure: a repeat is refused by Ordergroove (400: not in a state which it can
    # be edited), which would report a cancel that was applied as an error, and after a reactivation in between it
    # would cancel again.
    if reason_code is None:
        if reason_details is not None:
            raise ConfigurationError("reason_details needs a reason_code (Ordergroove stores 'code|details')")
        return _action(subscription_id, "cancel", {}, idempotent=False)
    code = reason_code.code if isinstance(reason_code, CancelReason) else reason_code
    positive_int("reason_code", code)
    if reason_details is not None and not isinstance(reason_details, str):
        raise ConfigurationError(f"reason_details must be a string, got {type(reason_details).__name__}")
    return _action(subscription_id, "cancel", {"cancel_reason": f"{code}|{reason_details or ''}"}, idempotent=False)


def reactivate(
    subscription_id: str,
    every: int,
    every_period: Period | int,
    start_date: dt.date,
    next_order_date: dt.date | None,
) -> Call[Subscription]:
    # NOT re-sent after an ambiguous failure: the first makes the subscription live and creates an order; a repeat is
    # refused (400: already in active state) or, after a cancel in between, reactivates again.
    body: dict[str, object] = {
        "every": positive_int("every", every),
        "every_period": period_value(every_period),
        "start_date": date_value("start_date", start_date).isoformat(),
    }
    if next_order_date is not None:
        if date_value("next_order_date", next_order_date) < start_date:
            raise ConfigurationError(
                f"next_order_date {next_order_date.isoformat()} is before start_date {start_date.isoformat()}"
            )
        body["next_order_date"] = next_order_date.isoformat()
    return _action(subscription_id, "reactivate", body, idempotent=False)


def change_quantity(subscription_id: str, quantity: int) -> Call[Subscription]:
    # Setting a quantity is idempotent.
    body = {"quantity": positive_int("quantity", quantity)}
    return _action(subscription_id, "change_quantity", body, idempotent=True)


def change_frequency(subscription_id: str, every: int, every_period: Period | int) -> Call[Subscription]:
    # Setting a frequency is idempotent.
    body = {"every": positive_int("every", every), "every_period": period_value(every_period)}
    return _action(subscription_id, "change_frequency", body, idempotent=True)


def change_next_order_date(subscription_id: str, order_date: dt.date) -> Call[Subscription]:
    # Setting a date is idempotent.
    body = {"order_date": date_value("order_date", order_date).isoformat()}
    return _action(subscription_id, "change_next_order_date", body, idempotent=True)


def change_shipping_address(subscription_id: str, shipping_address: str) -> Call[Subscription]:
    # Setting the address is idempotent.
    segment("shipping_address", shipping_address)  # an address's public id: checked like a path id, sent as given
    return _action(subscription_id, "change_shipping", {"shipping_address": shipping_address}, idempotent=True)


def upcoming_orders(subscription_id: str) -> Call[Page[Order]]:
    """skip_next_order's first step: the subscription's unsent orders (a read). The second is
    :func:`orders.skip_subscription` on the one order picked, never on another."""
    segment("subscription_id", subscription_id)  # checked before the lookup, not only before the PATCH
    return orders.list_(subscription=subscription_id, status=OrderStatus.UNSENT)
