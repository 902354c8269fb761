from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._base import RawPayload, extra_field, raw_field
from ._convert import model


@model()
@attrs.frozen(kw_only=True, slots=False)
class Item:
    """One line of an order."""

    public_id: str
    order: str
    subscription: str | None = None
    offer: str | None = None
    product: str | None = None
    quantity: int | None = None
    price: Decimal | None = None
    extra_cost: Decimal | None = None
    total_price: Decimal | None = None
    one_time: bool | None = None
    frozen: bool | None = None
    product_attribute: str | None = None
    subscription_component: Any = None
    order_updated: dt.datetime | None = None
    first_placed: dt.datetime | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()

    @property
    def id(self) -> str:
        return self.public_id
