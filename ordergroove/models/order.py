from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._base import RawPayload, extra_field, raw_field
from ._convert import model
from ._enums import OrderStatus


@model()
@attrs.frozen(kw_only=True, slots=False)
class Order:
    """An order, past or upcoming. An upcoming (not yet placed) order has status ``OrderStatus.UNSENT``."""

    public_id: str
    customer: str
    status: OrderStatus | int
    merchant: str | None = None
    payment: str | None = None
    shipping_address: str | None = None
    currency_code: str | None = None
    sub_total: Decimal | None = None
    tax_total: Decimal | None = None
    shipping_total: Decimal | None = None
    discount_total: Decimal | None = None
    total: Decimal | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    place: dt.datetime | None = None
    cancelled: dt.datetime | None = None
    tries: int | None = None
    generic_error_count: int | None = None
    type: int | None = None
    order_merchant_id: str | None = None
    rejected_message: str | None = None
    extra_data: Any = None
    locked: bool | None = None
    oos_free_shipping: bool | None = None
    has_plan: bool | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()

    @property
    def id(self) -> str:
        return self.public_id

    @property
    def is_upcoming(self) -> bool:
        return self.status == OrderStatus.UNSENT
