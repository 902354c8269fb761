"""Ordergroove models -> Gladly shapes: lookup profiles, transactions, form actions and App Platform results.

Pure functions, no I/O. The SUBSCRIPTION transaction's field names are unconfirmed by Gladly's documentation:
they are built in :func:`subscription_transaction` and nowhere else, so a correction is a one-place change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

import attrs

from ordergroove.gladly._service import ascii_int
from ordergroove.models import (
    STANDARD_CANCEL_REASONS,
    CancelReason,
    Customer,
    CustomerSummary,
    Item,
    Order,
    OrderStatus,
    Period,
    Product,
    Subscription,
    to_dict,
)

__all__ = [
    "CANCEL",
    "REACTIVATE",
    "SKIP",
    "cancel_reason_options",
    "cancel_reason_text",
    "custom_attributes",
    "form_url",
    "format_money",
    "format_timestamp",
    "frequency_text",
    "order_status_name",
    "order_transaction",
    "platform_cancel_reasons",
    "platform_record",
    "profile",
    "subscription_transaction",
]

# The form kinds; each is a path segment of its form's URL.
CANCEL = "cancel"
SKIP = "skip"
REACTIVATE = "reactivate"

_CURRENCY_SYMBOLS: Mapping[str, str] = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "BRL": "R$",
    "MXN": "MX$",
}
_NO_DECIMALS = frozenset({"JPY", "KRW"})
# Ordergroove's phone_type (0 invalid, 1 landline, 2 mobile, 3 VoIP) -> Gladly's phone types.
_PHONE_TYPES: Mapping[int, str] = {1: "HOME", 2: "MOBILE", 3: "OTHER"}
_PERIOD_WORDS: Mapping[int, tuple[str, str]] = {
    Period.DAYS: ("day", "days"),
    Period.WEEKS: ("week", "weeks"),
    Period.MONTHS: ("month", "months"),
    Period.YEARS: ("year", "years"),
}
# Rounding to cents keeps up to this many digits; a larger amount (or an absurd exponent) is shown as it is.
_MONEY_CONTEXT = Context(prec=60, traps=[InvalidOperation])
# Fields the library treats as secrets (kept out of reprs): never passed on to Gladly.
_SECRET_FIELDS = frozenset({"session_id", "token_id", "user_token_id"})


# -- scalars ---------------------------------------------------------------------------------------------------
def format_timestamp(value: dt.datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ``. Ordergroove's datetimes carry no zone: they are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_money(amount: Decimal | None, currency_code: str | None) -> str | None:
    """``"$28.89"``: the amount rounded to the currency's minor unit, with its symbol (or its code).

    Never raises: an amount too large to round (``9E+999999``) keeps its plain form with its code
    (``"9E+999999 USD"``), and NaN or an infinity, which are no amount, give None (the field is left out).
    """
    if amount is None or not amount.is_finite():
        return None
    code = (currency_code or "USD").upper()
    step = Decimal(1) if code in _NO_DECIMALS else Decimal("0.01")
    try:
        # Our own context, not the thread's (which the application may have narrowed): 1E+26 needs 29 digits.
        rounded = amount.quantize(step, rounding=ROUND_HALF_UP, context=_MONEY_CONTEXT)
    except InvalidOperation:
        return f"{amount} {code}"
    sign = "-" if rounded < 0 else ""
    text = f"{rounded.copy_abs():,}"  # copy_abs, not abs(): abs() rounds to the thread's context
    symbol = _CURRENCY_SYMBOLS.get(code)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {code}"


def order_status_name(status: OrderStatus | int | None) -> str | None:
    """The name of an order status (``UNSENT``, ``SUCCESS`` ...); a status this library does not know stays a number.
    None for a status of no documented form (the field is then left out)."""
    if status is None:
        return None
    return status.name if isinstance(status, OrderStatus) else str(status)


def frequency_text(every: int | None, every_period: Period | int | None) -> str | None:
    """``"Every 2 weeks"``, ``"Every month"``."""
    if every is None or every_period is None:
        return None
    words = _PERIOD_WORDS.get(int(every_period))
    if words is None:
        return f"Every {every} (period {int(every_period)})"
    return f"Every {words[0]}" if every == 1 else f"Every {every} {words[1]}"


def cancel_reason_text(cancel_reason: str | None) -> str | None:
    """Ordergroove's ``"code|details"`` as an agent reads it: ``"Overstocked"``, ``"Other: moving abroad"``."""
    if not cancel_reason:
        return None
    code_text, _, details = cancel_reason.partition("|")
    code = ascii_int(code_text.strip())  # "\u00b2".isdigit() is True, yet int() refuses it
    label = STANDARD_CANCEL_REASONS.get(code) if code is not None else None
    parts = [part for part in (label, details.strip()) if part]
    if len(parts) == 2 and parts[0].lower() == parts[1].lower():
        parts = parts[:1]
    return ": ".join(parts) or cancel_reason


def _omit_none(fields: Mapping[str, Any]) -> dict[str, Any]:
    # Gladly reads a missing field as "unknown"; a null could be refused by its schema.
    return {key: value for key, value in fields.items() if value is not None}


# -- form actions ------------------------------------------------------------------------------------------------
def form_url(
    kind: str,
    subscription_id: str,
    *,
    order_id: str | None = None,
    gladly_customer_id: str | None = None,
    root_path: str = "",
) -> str:
    """The path of a form (GET: the form, POST: the action). Gladly's customer id rides along for the note."""
    path = f"{root_path.rstrip('/')}/forms/{kind}/{quote(subscription_id, safe='')}"
    params = _omit_none({"orderId": order_id, "gladlyCustomerId": gladly_customer_id})
    return f"{path}?{urlencode(params)}" if params else path


def subscription_actions(
    subscription: Subscription, *, gladly_customer_id: str | None, root_path: str
) -> list[dict[str, str]]:
    """What the subscription's state allows: cancel and skip while active, reactivate once canceled."""

    def url(kind: str) -> str:
        return form_url(kind, subscription.public_id, gladly_customer_id=gladly_customer_id, root_path=root_path)

    if not subscription.public_id:  # an id of no documented form: no form can name the subscription
        return []
    if subscription.is_active:
        return [
            {"name": "Cancel subscription", "formUrl": url(CANCEL)},
            {"name": "Skip next order", "formUrl": url(SKIP)},
        ]
    if subscription.is_canceled:
        return [{"name": "Reactivate subscription", "formUrl": url(REACTIVATE)}]
    return []


# -- lookup: profiles and transactions ------------------------------------------------------------------------------
def custom_attributes(summary: CustomerSummary, customer: Customer) -> dict[str, str]:
    """Gladly's custom attributes: one level, string values only (``""`` clears a value)."""
    next_place = summary.next_order.place if summary.next_order is not None else None
    currency = summary.next_order.currency_code if summary.next_order is not None else None
    return {
        "activeSubscriptions": str(summary.active_subscriptions),
        "totalSubscriptions": str(summary.total_subscriptions),
        "lifetimeValue": format_money(summary.lifetime_value, currency) or "",
        "nextOrderDate": next_place.date().isoformat() if next_place is not None else "",
        "subscriberSince": customer.created.date().isoformat() if customer.created is not None else "",
    }


def profile(
    customer: Customer, summary: CustomerSummary, transactions: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A lookup result: ``externalCustomerId`` is the Ordergroove customer id (``merchant_user_id``)."""
    result: dict[str, Any] = {"externalCustomerId": customer.merchant_user_id}
    if customer.name:
        result["name"] = customer.name
    if customer.email:
        result["emails"] = [{"original": customer.email}]
    if customer.phone_number:
        phone: dict[str, str] = {"original": customer.phone_number}
        kind = _PHONE_TYPES.get(customer.phone_type) if customer.phone_type is not None else None
        if kind:
            phone["type"] = kind
        result["phones"] = [phone]
    result["customAttributes"] = custom_attributes(summary, customer)
    if transactions is not None:
        result["transactions"] = list(transactions)
    return result


def _product_fields(product_id: str | None, products: Mapping[str, Product]) -> dict[str, Any]:
    product = products.get(product_id) if product_id is not None else None
    return _omit_none(
        {
            "productId": product_id,
            "name": (product.name if product is not None else None) or product_id,
            "sku": product.sku if product is not None else None,
            "imageUrl": product.image_url if product is not None else None,
        }
    )


def subscription_transaction(
    subscription: Subscription,
    *,
    products: Mapping[str, Product],
    next_order: Order | None,
    gladly_customer_id: str | None,
    root_path: str = "",
) -> dict[str, Any]:
    """One SUBSCRIPTION transaction. Its field names are unconfirmed (see the module's docstring)."""
    product = products.get(subscription.product) if subscription.product is not None else None
    price = subscription.price if subscription.price is not None else product.price if product is not None else None
    status = "ACTIVE" if subscription.is_active else "CANCELED" if subscription.is_canceled else "INACTIVE"
    fields = {
        "type": "SUBSCRIPTION",
        "subscriptionId": subscription.public_id,
        "status": status,
        "createdAt": format_timestamp(subscription.created),
        "updatedAt": format_timestamp(subscription.updated),
        "billingFrequency": frequency_text(subscription.every, subscription.every_period),
        "nextBillingAt": format_timestamp(next_order.place) if next_order is not None else None,
        "canceledAt": format_timestamp(subscription.cancelled),
        "cancellationReason": cancel_reason_text(subscription.cancel_reason),
        "price": format_money(price, subscription.currency_code),
        "quantity": subscription.quantity,
        "products": [_product_fields(subscription.product, products)],
        "actions": subscription_actions(subscription, gladly_customer_id=gladly_customer_id, root_path=root_path)
        or None,
    }
    return _omit_none(fields)


def order_transaction(
    order: Order,
    items: Sequence[Item],
    *,
    products: Mapping[str, Product],
    subscriptions: Mapping[str, Subscription],
    gladly_customer_id: str | None,
    root_path: str = "",
) -> dict[str, Any]:
    """One ORDER transaction; an upcoming order offers to skip each of its active subscriptions."""
    currency = order.currency_code
    lines = []
    for item in items:
        line = _product_fields(item.product, products) if item.product else {}
        line.update(
            _omit_none(
                {
                    "id": item.public_id,
                    "quantity": item.quantity,
                    "status": order_status_name(order.status),
                    "unitPrice": format_money(item.price, currency),
                    "total": format_money(item.total_price, currency),
                }
            )
        )
        lines.append(line)
    actions = []
    if order.is_upcoming:
        seen: set[str] = set()
        for item in items:
            subscription = subscriptions.get(item.subscription) if item.subscription else None
            if subscription is None or not subscription.is_active or subscription.public_id in seen:
                continue
            if not subscription.public_id or not order.public_id:  # no form can name it
                continue
            seen.add(subscription.public_id)
            name = _product_fields(subscription.product, products).get("name") or subscription.public_id
            url = form_url(
                SKIP,
                subscription.public_id,
                order_id=order.public_id,
                gladly_customer_id=gladly_customer_id,
                root_path=root_path,
            )
            actions.append({"name": f"Skip {name} in this order", "formUrl": url})
    place = order.place.date().isoformat() if order.place is not None else None
    fields = {
        "type": "ORDER",
        "orderNumber": order.public_id,
        "orderStatus": order_status_name(order.status),
        "createdAt": format_timestamp(order.created),
        "orderTotal": format_money(order.total, currency),
        "currencyCode": currency,
        "itemCount": sum(item.quantity or 0 for item in items),
        "note": f"Scheduled to be placed on {place}" if place and order.is_upcoming else None,
        "products": lines,
        "actions": actions or None,
    }
    return _omit_none(fields)


# -- forms: the cancel reasons --------------------------------------------------------------------------------------
def _merged_reasons(merchant_reasons: Iterable[CancelReason]) -> list[tuple[int, str | None, str]]:
    """``(code, application, text)``: the standard reasons and the merchant's, each code once, by code."""
    merged: dict[int, tuple[int, str | None, str]] = {
        code: (code, None, label) for code, label in STANDARD_CANCEL_REASONS.items()
    }
    for reason in merchant_reasons:
        merged[reason.code] = (reason.code, reason.application, reason.label or f"Reason {reason.code}")
    return [merged[code] for code in sorted(merged)]


def cancel_reason_options(merchant_reasons: Iterable[CancelReason]) -> list[dict[str, str]]:
    """The options of the cancel form's reason select."""
    return [{"text": text, "value": str(code)} for code, _, text in _merged_reasons(merchant_reasons)]


# -- App Platform results -------------------------------------------------------------------------------------------
def platform_record(model: Any) -> dict[str, Any]:
    """A model as Gladly's Ordergroove app shows it: Ordergroove's fields, datetimes as ``YYYY-MM-DDTHH:MM:SSZ``,
    an order's ``status`` as its name, and no session or payment tokens."""
    data = to_dict(model)
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        if isinstance(value, dt.datetime) and field.name in data:
            data[field.name] = format_timestamp(value)
    if isinstance(model, Order) and model.status is not None:  # else the status as it was sent
        data["status"] = order_status_name(model.status)
    for name in _SECRET_FIELDS:
        data.pop(name, None)
    return data


def platform_cancel_reasons(merchant_reasons: Iterable[CancelReason]) -> list[dict[str, Any]]:
    """The standard reasons and the merchant's: ``{"cancel_reason", "application", "label"}`` each."""
    return [
        {"cancel_reason": code, "application": application, "label": text}
        for code, application, text in _merged_reasons(merchant_reasons)
    ]


# -- what an agent reads after an action (the form's answer and the timeline note) -----------------------------------
def cancel_summary(subscription: Subscription) -> tuple[str, str]:
    """``(message, detail)`` for a subscription just canceled."""
    detail = f"Subscription {subscription.public_id} ({subscription.product}) is canceled."
    reason = cancel_reason_text(subscription.cancel_reason)
    if reason:
        detail += f" Reason: {reason}."
    return "Subscription canceled", detail


def reactivate_summary(subscription: Subscription) -> tuple[str, str]:
    """``(message, detail)`` for a subscription just reactivated."""
    detail = f"Subscription {subscription.public_id} ({subscription.product}) is active again"
    frequency = frequency_text(subscription.every, subscription.every_period)
    if frequency:
        detail += f": {frequency.lower()}"
    if subscription.start_date is not None:
        detail += f", starting {subscription.start_date.isoformat()}"
    return "Subscription reactivated", detail + "."


def skip_summary(subscription_id: str, order: Order) -> tuple[str, str]:
    """``(message, detail)`` for a subscription just taken out of ``order``."""
    when = f" of {order.place.date().isoformat()}" if order.place is not None else ""
    detail = (
        f"Subscription {subscription_id} was taken out of the order{when} (order {order.public_id}); "
        "its next order is scheduled one frequency later."
    )
    return "Order skipped", detail
