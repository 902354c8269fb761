from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ._base import WireModel, model
from .subscription import Component


@model()
@attrs.frozen(kw_only=True, slots=False)
class Item(WireModel):
    """One line of an order.

    ``components`` (legacy bundles): as :class:`Subscription`'s, None when left out. ``subscription_component``:
    the component of a new-style bundle this item is for.
    """

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
    subscription_component: str | None = None
    order_updated: dt.datetime | None = None
    first_placed: dt.datetime | None = None
    components: list[Component] | str | None = None

    @property
    def id(self) -> str:
        return self.public_id
