from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._base import WireModel, model
from ._enums import KnownOrderStatus, OrderStatus


@model()
@attrs.frozen(kw_only=True, slots=False)
class Order(WireModel):
    """An order, past or upcoming. An upcoming (not yet placed) order has status ``OrderStatus.UNSENT``.

    ``type`` is an ``int`` or a ``str``, as sent (retrieve sends ``1``, other pages a string). ``extra_data``: as
    :class:`Subscription`'s.
    """

    public_id: str
    customer: str
    status: KnownOrderStatus
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
    type: int | str | None = None
    order_merchant_id: str | None = None
    rejected_message: str | None = None
    extra_data: Mapping[str, Any] | str | None = None
    locked: bool | None = None
    oos_free_shipping: bool | None = None
    has_plan: bool | None = None

    @property
    def id(self) -> str:
        return self.public_id

    @property
    def is_upcoming(self) -> bool:
        return self.status == OrderStatus.UNSENT
