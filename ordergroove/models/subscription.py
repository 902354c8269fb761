from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._base import RawPayload, extra_field, raw_field
from ._convert import model
from ._enums import Period


@model()
@attrs.frozen(kw_only=True, slots=False)
class Component:
    """One part of a bundle subscription."""

    public_id: str | None = None
    quantity: int | None = None
    product: str | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()


@model()
@attrs.frozen(kw_only=True, slots=False)
class Subscription:
    """A customer's subscription to a product. Active when ``live``; canceled when ``cancelled`` is set."""

    public_id: str
    customer: str
    product: str
    live: bool
    merchant: str | None = None
    payment: str | None = None
    shipping_address: str | None = None
    offer: str | None = None
    subscription_type: str | None = None
    components: list[Component] = attrs.field(factory=list)
    extra_data: Any = None
    product_attribute: str | None = None
    quantity: int | None = None
    price: Decimal | None = None
    frequency_days: int | None = None
    reminder_days: int | None = None
    every: int | None = None
    every_period: Period | int | None = None
    start_date: dt.date | None = None
    cancelled: dt.datetime | None = None
    cancel_reason: str | None = None
    cancel_reason_code: int | None = None
    currency_code: str | None = None
    iteration: int | None = None
    sequence: int | None = None
    session_id: str | None = attrs.field(default=None, repr=False)
    merchant_order_id: str | None = None
    customer_rep: int | None = None
    club: Any = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    prepaid_subscription_context: Mapping[str, Any] | None = None
    free_trial_subscription_context: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()

    @property
    def id(self) -> str:
        return self.public_id

    @property
    def is_active(self) -> bool:
        return self.live

    @property
    def is_canceled(self) -> bool:
        return self.cancelled is not None

    @property
    def is_prepaid(self) -> bool:
        return self.prepaid_subscription_context is not None
