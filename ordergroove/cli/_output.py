"""How the command prints what it got: a table per model, a sentence for a customer summary, or JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TextIO

from .. import (
    Address,
    CancelReason,
    ContactDetails,
    Customer,
    CustomerPatchResult,
    CustomerSummary,
    Item,
    OneTimeIncentive,
    Order,
    OrderStatus,
    Payment,
    Period,
    Product,
    Subscription,
    to_dict,
)
from ._errors import plain


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, OrderStatus | Period):
        return value.name.lower().replace("_", " ")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple | dict):
        return plain(value)  # words, never a Python list
    return str(value)


def _frequency(every: int | None, period: Period | int | None) -> str:
    if every is None or period is None:
        return "-"
    unit = period.name.lower() if isinstance(period, Period) else f"period {period}"
    return f"every {every} {unit[:-1] if every == 1 else unit}"


# Columns per model: (heading, how to read it).
_COLUMNS: dict[type[Any], list[tuple[str, Callable[[Any], Any]]]] = {
    Customer: [
        ("customer", lambda c: c.merchant_user_id),
        ("name", lambda c: c.name or None),
        ("email", lambda c: c.email),
        ("phone", lambda c: c.phone_number),
        ("live", lambda c: c.live),
    ],
    Subscription: [
        ("subscription", lambda s: s.public_id),
        ("product", lambda s: s.product),
        ("qty", lambda s: s.quantity),
        ("frequency", lambda s: _frequency(s.every, s.every_period)),
        ("active", lambda s: s.live),
        ("prepaid", lambda s: s.is_prepaid),
        ("cancelled", lambda s: s.cancelled),
        ("reason", lambda s: s.cancel_reason),
    ],
    Order: [
        ("order", lambda o: o.public_id),
        ("status", lambda o: o.status),
        ("place", lambda o: o.place),
        ("total", lambda o: o.total),
        ("customer", lambda o: o.customer),
    ],
    Product: [
        ("product", lambda p: p.external_product_id),
        ("name", lambda p: p.name),
        ("sku", lambda p: p.sku),
        ("price", lambda p: p.price),
        ("autoship", lambda p: p.autoship_enabled),
        ("live", lambda p: p.live),
    ],
    CancelReason: [("code", lambda r: r.code), ("label", lambda r: r.label), ("application", lambda r: r.application)],
    ContactDetails: [("email", lambda c: c.email), ("phone", lambda c: c.phone_number)],
    Address: [
        ("address", lambda a: a.public_id),
        ("customer", lambda a: a.customer),
        ("label", lambda a: a.label),
        ("name", lambda a: " ".join(part for part in (a.first_name, a.last_name) if part) or None),
        ("street", lambda a: a.address),
        ("city", lambda a: a.city),
        ("state", lambda a: a.state_province_code),
        ("zip", lambda a: a.zip_postal_code),
        ("country", lambda a: a.country_code),
        ("live", lambda a: a.live),
    ],
    Payment: [
        ("payment", lambda p: p.public_id),
        ("customer", lambda p: p.customer),
        ("label", lambda p: p.label),
        ("card ending", lambda p: p.cc_number_ending),
        ("expires", lambda p: p.cc_exp_date),
        ("method", lambda p: p.payment_method),
        ("live", lambda p: p.live),
    ],
    OneTimeIncentive: [
        ("incentive", lambda i: i.public_id),
        ("code", lambda i: i.external_code),
        ("description", lambda i: i.description),
        ("customer", lambda i: i.customer),
        ("order", lambda i: i.order),
        ("created", lambda i: i.created),
    ],
    CustomerPatchResult: [
        ("locale", lambda r: r.locale),
        ("price code", lambda r: r.price_code),
        ("extra data", lambda r: None if r.extra_data is None else json.dumps(r.extra_data)),
    ],
    Item: [
        ("item", lambda i: i.public_id),
        ("order", lambda i: i.order),
        ("subscription", lambda i: i.subscription),
        ("product", lambda i: i.product),
        ("qty", lambda i: i.quantity),
        ("price", lambda i: i.price),
        ("one time", lambda i: i.one_time),
    ],
}


def table(rows: Sequence[Any], out: TextIO) -> None:
    if not rows:
        out.write("(none)\n")
        return
    columns = _COLUMNS[type(rows[0])]
    cells = [[h for h, _ in columns]] + [[_text(read(row)) for _, read in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    for index, line in enumerate(cells):
        out.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() + "\n")
        if index == 0:
            out.write("  ".join("-" * width for width in widths) + "\n")


def summary_text(summary: CustomerSummary) -> str:
    next_order = summary.next_order
    upcoming = (
        f"{next_order.public_id} on {_text(next_order.place)} ({_text(next_order.total)})" if next_order else "none"
    )
    return (
        f"customer {summary.customer_id}: {summary.active_subscriptions} active of "
        f"{summary.total_subscriptions} subscriptions ({summary.canceled_subscriptions} canceled), "
        f"{summary.orders_fulfilled} orders fulfilled, lifetime value {summary.lifetime_value}, next order {upcoming}"
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return to_dict(value)


def _plain(value: Any) -> Any:
    if isinstance(value, CustomerSummary):
        return {
            "customer_id": value.customer_id,
            "active_subscriptions": value.active_subscriptions,
            "total_subscriptions": value.total_subscriptions,
            "canceled_subscriptions": value.canceled_subscriptions,
            "orders_fulfilled": value.orders_fulfilled,
            "lifetime_value": str(value.lifetime_value),
            "next_order": to_dict(value.next_order) if value.next_order else None,
        }
    return value


class Output:
    def __init__(self, as_json: bool, out: TextIO) -> None:
        self.as_json = as_json
        self.out = out

    def show(self, value: Any) -> None:
        if self.as_json:
            if isinstance(value, str):
                value = {"done": value}
            elif isinstance(value, list):
                value = [_plain(item) for item in value]
            self.out.write(json.dumps(_plain(value), default=_json_default, indent=2) + "\n")
        elif isinstance(value, str):  # what an action without a record to show did
            self.out.write(value + "\n")
        elif isinstance(value, CustomerSummary):
            self.out.write(summary_text(value) + "\n")
        elif isinstance(value, list):
            table(value, self.out)
        else:
            table([value], self.out)
