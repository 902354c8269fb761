"""How a model reads in a terminal, a log line and a notebook: its ``__repr__`` and ``_repr_html_``."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import html
from collections.abc import Mapping
from typing import Any

import attrs

# -- how a model reads in a terminal, a log line and a notebook ------------------------------------------------
#
# One table: for each model, its id field (None when it has none) and the few fields that say what it is. A repr
# lands in logs, so it shows identifiers and states, never personal data (names, emails, addresses) and never
# anything attrs marks repr=False (tokens, session ids, card holders). A notebook's HTML view adds the model's
# other fields below the summary, still without the repr=False ones. A model missing from the table shows its
# class and id only, so a model added later can never leak a field by default.
DISPLAY: Mapping[str, tuple[str | None, tuple[str, ...]]] = {
    "Subscription": (
        "public_id",
        ("customer", "product", "live", "quantity", "every", "every_period", "cancelled", "cancel_reason_code"),
    ),
    "Order": ("public_id", ("customer", "status", "place", "total", "currency_code")),
    "Item": ("public_id", ("order", "subscription", "product", "quantity", "total_price")),
    "Customer": ("merchant_user_id", ("live", "created")),
    "ContactDetails": (None, ()),
    "Product": ("external_product_id", ("name", "price", "live", "autoship_enabled", "every", "every_period")),
    "ProductGroup": (None, ("group_type", "name")),
    "Component": ("public_id", ("product", "quantity")),
    "RotationOrdinalContext": (None, ("subscription", "rotating_product", "ordinal", "active")),
    "RotationOrdinalUpdate": (None, ("subscription", "rotation_product", "ordinal")),
    "FinalizePlacementResult": ("order", ("status", "display_status", "error_code", "retry")),
    "Address": ("public_id", ("customer", "label", "country_code", "live")),
    "Payment": ("public_id", ("customer", "payment_method", "cc_type", "live")),
    "CancelReason": ("code", ("label", "application")),
    "PurchaseReceipt": ("subs_req_id", ("result",)),
    "PurchaseStatus": (None, ("pending", "customer", "payment", "shipping_address")),
    "BatchResult": ("product_id", ("status",)),
    "PurchaseRequest": ("merchant_order_id", ("merchant_id",)),
}

# Card data, left out of the HTML view as well (a payment's label often reads "Visa ending in 4242").
HIDDEN: Mapping[str, frozenset[str]] = {"Payment": frozenset({"label", "cc_number_ending", "cc_exp_date"})}

_FALLBACK_ID = "public_id"


def _display_spec(cls: type[Any]) -> tuple[str | None, tuple[str, ...]]:
    spec = DISPLAY.get(cls.__name__)
    if spec is not None:
        return spec
    has_id = any(field.name == _FALLBACK_ID for field in attrs.fields(cls))
    return (_FALLBACK_ID if has_id else None, ())


def _text(value: Any) -> str:
    """A value as a reader wants it: strings quoted, enums by name, datetimes and amounts plainly."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | decimal.Decimal):
        return str(value)
    if isinstance(value, list):
        return f"[{len(value)}]"
    return repr(value)


def _summary(obj: Any) -> tuple[str | None, list[tuple[str, Any]]]:
    id_field, fields = _display_spec(type(obj))
    shown = [(name, getattr(obj, name, None)) for name in fields]
    return id_field, [(name, value) for name, value in shown if value is not None]


def model_repr(obj: Any) -> str:
    """``Subscription('sub_1', customer='cust_0001', live=True, every=2, every_period=Period.WEEKS)``."""
    id_field, shown = _summary(obj)
    parts = [] if id_field is None else [repr(getattr(obj, id_field, None))]
    parts.extend(f"{name}={_text(value)}" for name, value in shown)
    return f"{type(obj).__name__}({', '.join(parts)})"


def model_repr_html(obj: Any) -> str:
    """A small table for notebooks: the repr's fields, then the model's other fields folded away."""
    cls = type(obj)
    id_field, shown = _summary(obj)
    caption = html.escape(cls.__name__)
    if id_field is not None:
        caption += f" <code>{html.escape(str(getattr(obj, id_field, None)))}</code>"
    parts = [f'<table class="ordergroove-model"><caption style="text-align:left">{caption}</caption>']
    parts.extend(_html_row(name, value) for name, value in shown)
    parts.append("</table>")
    if cls.__name__ in DISPLAY:
        skip = {id_field, *(name for name, _ in shown), *HIDDEN.get(cls.__name__, ())}
        rest = [
            (field.name, getattr(obj, field.name))
            for field in attrs.fields(cls)
            if field.repr
            and field.name not in skip
            and field.name not in ("extra", "unparsed")
            and not field.name.startswith("_")
        ]
        rest = [(name, value) for name, value in rest if value is not None and value != []]
        # Unknown fields and values of no documented form could hold anything: their names are shown, not values.
        for name in ("extra", "unparsed"):
            kept = getattr(obj, name, None)
            if kept:
                rest.append((name, ", ".join(sorted(map(str, kept)))))
        if rest:
            parts.append("<details><summary>all fields</summary><table>")
            parts.extend(_html_row(name, value) for name, value in rest)
            parts.append("</table></details>")
    return "".join(parts)


def _html_row(name: str, value: Any) -> str:
    text = _text(value)
    if isinstance(value, str) and text.startswith(("'", '"')):
        text = value  # quotes help in a repr, not in a table cell
    return f"<tr><th style='text-align:left'>{html.escape(name)}</th><td>{html.escape(text)}</td></tr>"


def install_display(cls: type[Any]) -> None:
    """Give a model class its concise ``__repr__`` and ``_repr_html_`` (equality and hashing stay attrs')."""
    setattr(cls, "__repr__", model_repr)  # noqa: B010 (a class built by attrs, given its display after the fact)
    setattr(cls, "_repr_html_", model_repr_html)  # noqa: B010
