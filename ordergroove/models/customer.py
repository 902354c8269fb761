from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .._html import table
from ._base import WireModel, model
from .order import Order


@model(renames={"internal_id": "id"})
@attrs.frozen(kw_only=True, slots=False)
class Customer(WireModel):
    """A shopper. Its id is the merchant's own id, ``merchant_user_id``.

    ``locale`` is an ``int`` (list and retrieve send ``42``) or a ``str`` (``"en-us"``), as sent. ``internal_id`` is
    Ordergroove's own integer id (the wire's ``id``, sent by retrieve; ``.id`` stays ``merchant_user_id``).
    ``experiences`` (create answers) and ``extra_data``: as :class:`Subscription`'s ``extra_data``.
    """

    merchant_user_id: str
    merchant: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    phone_type: int | None = None
    live: bool | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None
    last_login: dt.datetime | None = None
    extra_data: Mapping[str, Any] | str | None = None
    locale: int | str | None = None
    price_code: str | None = None
    session_id: str | None = attrs.field(default=None, repr=False)
    user_token_id: str | None = attrs.field(default=None, repr=False)
    internal_id: int | None = None
    experiences: Mapping[str, Any] | str | None = None

    @property
    def id(self) -> str:
        return self.merchant_user_id

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@model()
@attrs.frozen(kw_only=True, slots=False)
class ContactDetails(WireModel):
    """What ``set_contact_details`` answers: the customer's email and phone number as stored."""

    email: str | None = None
    phone_number: str | None = None
    extra_data: Mapping[str, Any] | str | None = None


@attrs.frozen(kw_only=True)
class CustomerSummary:
    """A customer's subscriptions and orders at a glance, computed from list calls."""

    customer_id: str
    active_subscriptions: int
    total_subscriptions: int
    canceled_subscriptions: int
    orders_fulfilled: int
    lifetime_value: Decimal
    next_order: Order | None

    def _repr_html_(self) -> str:
        """A notebook's view: the counts and the lifetime value, then the next order's own table."""
        rows = [
            ("active subscriptions", str(self.active_subscriptions)),
            ("total subscriptions", str(self.total_subscriptions)),
            ("canceled subscriptions", str(self.canceled_subscriptions)),
            ("orders fulfilled", str(self.orders_fulfilled)),
            ("lifetime value", str(self.lifetime_value)),
            ("next order", "none" if self.next_order is None else repr(self.next_order)),
        ]
        view = getattr(self.next_order, "_repr_html_", None)  # every model has one (given by its class decorator)
        nested = str(view()) if callable(view) else ""
        return table(f"CustomerSummary {self.customer_id}", rows, extra=nested)
