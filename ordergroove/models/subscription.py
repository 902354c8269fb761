from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._base import WireModel, model
from ._enums import KnownPeriod


@model()
@attrs.frozen(kw_only=True, slots=False)
class Component(WireModel):
    """One part of a bundle subscription (the legacy ``{"product": id}`` form has only ``product``)."""

    public_id: str | None = None
    quantity: int | None = None
    product: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class RotationOrdinalContext(WireModel):
    """Where a subscription stands in a rotating product's cycle (``subscriptions.retrieve_rotation_ordinal``).

    ``active`` is False for an earlier pairing of the subscription and the product (before a SKU swap, say).
    """

    ordinal: int | None = None
    rotating_product: str | None = None
    subscription: str | None = None
    active: bool | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class RotationOrdinalUpdate(WireModel):
    """What ``subscriptions.set_rotation_ordinal`` answers. The product is ``rotation_product`` here, as Ordergroove
    spells it in this answer (``rotating_product`` in the request and in :class:`RotationOrdinalContext`)."""

    ordinal: int | None = None
    rotation_product: str | None = None
    subscription: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class Subscription(WireModel):
    """A customer's subscription to a product. Active when ``live``; canceled when ``cancelled`` is set.

    ``components``: a list of :class:`Component` (bundles, or the legacy ``[{"product": id}]``), or the legacy
    comma-separated product ids as a :class:`~ordergroove.models.ComponentIds` (a ``str``); ``[]`` when left out,
    None when sent as null. ``extra_data``: a mapping (sent as an object), a
    :class:`~ordergroove.models.JSONText` (a ``str``: sent as a string holding JSON) or a plain ``str`` (text that
    is not JSON).
    """

    public_id: str
    customer: str
    product: str
    live: bool
    merchant: str | None = None
    payment: str | None = None
    shipping_address: str | None = None
    offer: str | None = None
    subscription_type: str | None = None
    components: list[Component] | str | None = attrs.field(factory=list)
    extra_data: Mapping[str, Any] | str | None = None
    product_attribute: str | None = None
    quantity: int | None = None
    price: Decimal | None = None
    frequency_days: int | None = None
    reminder_days: int | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None
    start_date: dt.date | None = None
    cancelled: dt.datetime | None = None
    cancel_reason: str | None = None
    cancel_reason_code: int | None = None
    currency_code: str | None = None
    iteration: int | None = None
    sequence: int | None = None
    session_id: str | None = attrs.field(default=None, repr=False)
    merchant_order_id: str | None = None
    customer_rep: int | str | None = None
    club: Any = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    prepaid_subscription_context: Mapping[str, Any] | None = None
    free_trial_subscription_context: Mapping[str, Any] | None = None
    external_id: str | None = None
    raw_subscription_type: str | None = None
    queued_actions: list[Mapping[str, Any]] | None = None

    @property
    def id(self) -> str:
        return self.public_id

    @property
    def is_active(self) -> bool:
        """Whether ``live`` is true (not when it was of no documented form: then it is None, see ``unparsed``)."""
        return self.live is True

    @property
    def is_canceled(self) -> bool:
        """Whether ``cancelled`` is set, or was sent as a value of no documented form (an impossible date)."""
        return self.cancelled is not None or "cancelled" in self.unparsed

    @property
    def is_prepaid(self) -> bool:
        """Whether it has a prepaid context (older payloads send ``{}`` for a subscription that is not prepaid)."""
        return bool(self.prepaid_subscription_context)
