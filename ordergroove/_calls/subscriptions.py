"""subscriptions.*: the calls of ``client.subscriptions``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from .._call import Call, Params, date_value, path, positive_int, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import (
    CancelReason,
    Component,
    Order,
    OrderStatus,
    Period,
    RotationOrdinalContext,
    RotationOrdinalUpdate,
    Subscription,
)
from . import orders
from ._base import Body, Components, action_call, create_call, list_call, one, period_value, retrieve_call


def list_(
    *,
    customer: str | None = None,
    product: str | None = None,
    shipping_address: str | None = None,
    live: bool | None = None,
    created: dt.date | None = None,
    created_start: dt.date | None = None,
    created_end: dt.date | None = None,
    updated_start: dt.date | dt.datetime | None = None,
    updated_end: dt.date | dt.datetime | None = None,
    page_size: int = 100,
) -> Call[Page[Subscription]]:
    params = (
        Params()
        .id("customer", customer)
        .id("product", product)
        .id("shipping_address", shipping_address)
        .boolean("live", live)
        .date("created", created)
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


# subscriptions.change_payment's body field: *unconfirmed* in the reference (see change_payment).
SUBSCRIPTION_PAYMENT_FIELD = "payment"
# "how many days before placement the reminder e-mail goes out; at least 5"
MIN_REMINDER_DAYS = 5
RenewalBehavior = Literal["autorenew", "cancel", "downgrade"]
RENEWAL_BEHAVIORS: tuple[RenewalBehavior, ...] = ("autorenew", "cancel", "downgrade")


def change_payment(subscription_id: str, payment: str) -> Call[Subscription]:
    # Setting the payment is idempotent. The body field's name, `payment`, is *unconfirmed* (the reference names it
    # so on the order-level change_payment): SUBSCRIPTION_PAYMENT_FIELD.
    body = Body().id(SUBSCRIPTION_PAYMENT_FIELD, payment, required=True)
    return _action(subscription_id, "change_payment", body.fields, idempotent=True)


def change_email_reminder(subscription_id: str, reminder_days: int) -> Call[Subscription]:
    # Setting the reminder is idempotent.
    body = Body().integer("reminder_days", reminder_days, minimum=MIN_REMINDER_DAYS, required=True)
    return _action(subscription_id, "change_email_reminder", body.fields, idempotent=True)


def update(
    subscription_id: str,
    extra_data: Mapping[str, Any] | str | None,
    price: Decimal | int | None,
    components: Components | None,
    offer: str | None,
    cancel_reason: str | None,
) -> Call[Subscription]:
    # Setting fields is idempotent.
    body = (
        Body()
        .json_text("extra_data", extra_data, required=False)
        .amount("price", price, required=False)
        .components("components", components, required=False)
        .id("offer", offer, required=False)
        .text("cancel_reason", cancel_reason, required=False)
    )
    body.at_least_one("extra_data", "price", "components", "offer", "cancel_reason")
    return _action(subscription_id, "update", body.fields, idempotent=True)


def create_in_order(
    merchant: str,
    customer: str,
    product: str,
    offer: str,
    order: str,
    session_id: str,
    payment: str,
    shipping_address: str,
    quantity: int,
    every: int,
    every_period: Period | int,
    price: Decimal | int | None,
    extra_data: Mapping[str, Any] | str | None,
    components: Components | None,
) -> Call[Subscription]:
    # NOT idempotent: each call creates a subscription (an impulse upsell riding in the order).
    body = (
        Body()
        .id("merchant", merchant, required=True)
        .id("customer", customer, required=True)
        .id("product", product, required=True)
        .id("offer", offer, required=True)
        .id("order", order, required=True)
        .id("session_id", session_id, required=True)
        .id("payment", payment, required=True)
        .id("shipping_address", shipping_address, required=True)
        .integer("quantity", quantity, minimum=1, required=True)
        .integer("every", every, minimum=1, required=True)
        .period("every_period", every_period, required=True)
        .amount("price", price, required=False)
        .json_text("extra_data", extra_data, required=False)
        .components("components", components, required=False)
    )
    return create_call(Subscription, "subscriptions", "iu", body.fields)


def create_from_item(item: str, every: int | None, every_period: Period | int | None) -> Call[Subscription]:
    # NOT idempotent: each call creates a subscription. The request body is *unconfirmed* (no schema published):
    # the item's public id, and optionally the frequency (Ordergroove's default: the product's) — this is the one
    # place that choice is made.
    body = (
        Body()
        .id("item", item, required=True)
        .integer("every", every, minimum=1, required=False)
        .period("every_period", every_period, required=False)
    )
    return create_call(Subscription, "subscriptions", "create_from_item", body.fields)


def change_product(subscription_public_id: str, product: str) -> Call[Subscription]:
    # Setting the product is idempotent.
    body = Body().id("product", product, required=True)
    return action_call(
        Subscription,
        "subscriptions",
        "subscription_public_id",
        subscription_public_id,
        "change_product",
        body.fields,
        idempotent=True,
    )


def retrieve_rotation_ordinal(subscription_id: str, product_id: str) -> Call[RotationOrdinalContext]:
    return Call(
        "GET",
        # One of the paths Ordergroove serves without a trailing slash.
        path(
            "subscriptions",
            segment("subscription_id", subscription_id),
            "rotation_ordinal",
            segment("product_id", product_id),
            trailing_slash=False,
        ),
        decode=one(RotationOrdinalContext),
    )


def set_rotation_ordinal(
    subscription_id: str, rotating_product: str, ordinal: int | None
) -> Call[RotationOrdinalUpdate]:
    # Setting the ordinal is idempotent.
    body = (
        Body()
        .id("rotating_product", rotating_product, required=True)
        .integer("ordinal", ordinal, minimum=1, required=False)
    )
    return action_call(
        RotationOrdinalUpdate,
        "subscriptions",
        "subscription_id",
        subscription_id,
        "rotation_ordinal/update",
        body.fields,
        idempotent=True,
    )


def update_prepaid_context(
    subscription_id: str,
    orders_remaining: int | None,
    orders_per_billing: int | None,
    renewal_behavior: RenewalBehavior | None,
) -> Call[Subscription]:
    # Setting values is idempotent, unless the call may end the prepaid plan: with no prepaid shipment left and a
    # renewal_behavior of "cancel" or "downgrade", Ordergroove cancels the subscription or makes it pay-as-you-go (the
    # reference's side effect). Sent again, that would cancel twice, or be refused (400: not prepaid) once applied.
    # It cannot when it leaves shipments (orders_remaining > 0) or sets "autorenew". The fields' types and
    # requiredness are *unconfirmed* (the reference's text is cut): whole numbers (orders_remaining may be 0), each
    # optional, at least one given.
    body = (
        Body()
        .integer("orders_remaining", orders_remaining, minimum=0, required=False)
        .integer("orders_per_billing", orders_per_billing, minimum=1, required=False)
        .choice("renewal_behavior", renewal_behavior, RENEWAL_BEHAVIORS, required=False)
    )
    body.at_least_one("orders_remaining", "orders_per_billing", "renewal_behavior")
    keeps_the_plan = body.fields.get("orders_remaining", 0) > 0 or body.fields.get("renewal_behavior") == "autorenew"
    return _action(subscription_id, "update_prepaid_context", body.fields, idempotent=keeps_the_plan)


def change_renewal_behavior(subscription_id: str, renewal_behavior: RenewalBehavior) -> Call[Subscription]:
    # Setting the behaviour is idempotent.
    body = Body().choice("renewal_behavior", renewal_behavior, RENEWAL_BEHAVIORS, required=True)
    return _action(subscription_id, "change_renewal_behavior", body.fields, idempotent=True)


def upgrade_to_prepaid(
    subscription_id: str, orders_per_billing: int, renewal_behavior: RenewalBehavior | None
) -> Call[Subscription]:
    # NOT re-sent after an ambiguous failure: the first re-prices the next order to a whole prepaid cycle; a repeat
    # is refused (400: already prepaid), which would report an applied upgrade as an error.
    body = (
        Body()
        .integer(
            "orders_per_billing", orders_per_billing, minimum=2, required=True
        )  # "2 or more (missing or lower -> 400)"
        .choice("renewal_behavior", renewal_behavior, RENEWAL_BEHAVIORS, required=False)
    )
    return _action(subscription_id, "upgrade_to_prepaid", body.fields, idempotent=False)


def retrieve_component(component_public_id: str) -> Call[Component]:
    return Call(
        "GET",
        path("subscriptions", "components", segment("component_public_id", component_public_id)),
        decode=one(Component),
    )


def update_components(
    subscription_public_id: str,
    create: Components | None,
    update: Components | None,
    delete: Sequence[str] | None,
) -> Call[Subscription]:
    # NOT idempotent: `create` adds components each time (a POST, although it modifies). The shapes of the `update`
    # and `delete` elements and the answer are *unconfirmed*: {public_id, quantity} and component public ids, the
    # subscription answered (the one place these choices are made).
    body = (
        Body()
        .components("create", create, required=False)
        .components("update", update, keys=("public_id", "quantity"), needs=("public_id", "quantity"), required=False)
        .ids("delete", delete, required=False)
        .at_least_one("create", "update", "delete")
    )
    return action_call(
        Subscription,
        "subscriptions",
        "subscription_public_Id",
        subscription_public_id,
        "components/bulk_operation",
        body.fields,
        idempotent=False,
        method="POST",
    )
