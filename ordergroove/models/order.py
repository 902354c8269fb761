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


@model()
@attrs.frozen(kw_only=True, slots=False)
class FinalizePlacementResult(WireModel):
    """What ``orders.finalize_placement`` answers: the order's status after the placement response.

    ``display_status`` names it (``"SUCCESS"``). A refusal is a 400, raised as :class:`~ordergroove.BadRequestError`
    (``detail``: the ``error_message``), whose body has this shape too: ``error_code`` 1 a field missing, 2
    ``response_xml`` not XML, 3 the status does not allow finalising, 4 not a placement response; ``retry`` True when
    the order is still pending placement (call again later). ``og.from_dict(og.FinalizePlacementResult,
    json.loads(error.body))`` reads it.
    """

    merchant: str | None = None
    order: str | None = None
    status: OrderStatus | int | None = None
    display_status: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    retry: bool | None = None
    currency_units_per_merchant_currency_unit: int | None = None
