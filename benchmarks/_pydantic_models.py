"""The pydantic v2 equivalent of ``og.Subscription`` and its cursor page: the reference for the decode target.

Same fields, same Python types (``Decimal`` money, ``date``/``datetime``, the ``Period`` enum or a plain int),
frozen, and unknown fields kept (``extra="allow"``), as the library's models do; the documented forms are accepted
(``components`` a list or a string, ``extra_data`` an object or a string, ``cancel_reason_code`` "4" or 4), though
pydantic does less with them: it neither parses a string of JSON nor keeps the payload for ``to_dict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from ordergroove import Period


class Component(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    public_id: str | None = None
    quantity: int | None = None
    product: str | None = None


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    public_id: str
    customer: str
    product: str
    live: bool
    merchant: str | None = None
    payment: str | None = None
    shipping_address: str | None = None
    offer: str | None = None
    subscription_type: str | None = None
    components: list[Component] | str | None = []
    extra_data: dict[str, Any] | str | None = None
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
    session_id: str | None = None
    merchant_order_id: str | None = None
    customer_rep: int | str | None = None
    club: Any = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    prepaid_subscription_context: Mapping[str, Any] | None = None
    free_trial_subscription_context: Mapping[str, Any] | None = None
    external_id: str | None = None
    raw_subscription_type: str | None = None
    queued_actions: list[dict[str, Any]] | None = None


class SubscriptionPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    next: str | None = None
    previous: str | None = None
    results: list[Subscription]


class WebhookData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    object: Subscription | None = None


class WebhookEnvelope(BaseModel):
    """``og.webhooks.parse``'s reference: the envelope, its ``created`` as an aware datetime, the object decoded."""

    model_config = ConfigDict(frozen=True, extra="allow")

    id: str
    type: str
    created: dt.datetime
    data: WebhookData | None = None
    snapshot: Subscription | None = None
