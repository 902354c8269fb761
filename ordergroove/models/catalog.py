"""The shapes of the catalog, incentive and entitlement endpoints: product groups' checks and relationships,
selection rules, resources and their grants, offer profiles, one-time incentives, entitlements, cart items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import WireModel, model
from ._enums import KnownPeriod


@model()
@attrs.frozen(kw_only=True, slots=False)
class GroupCheck(WireModel):
    """What ``products.group_check`` answers: whether the product is in the group."""

    product_has_group: bool | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class ProductRelationship(WireModel):
    """A relationship between two products (``relationship_type`` ``"swap_on_purchase"``)."""

    relationship_type: str | None = None
    from_product: str | None = None
    to_product: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class SelectionRule(WireModel):
    """A rotating product's rule: ``selection_rule_type`` ``"TIME_WINDOW"`` or ``"ORDINAL"``; its elements
    (``{public_id, product, starting_date}`` or ``{public_id, product, starting_ordinal}``) and configuration as
    sent."""

    public_id: str | None = None
    selection_rule_type: str | None = None
    product_selection_list_elements: list[Mapping[str, Any]] | None = None
    configuration: Mapping[str, Any] | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class ResourceGrant(WireModel):
    """Access to a resource that buying a digital-plan product grants: ``time_amount`` and ``grace_period`` in
    seconds."""

    public_id: str | None = None
    resource: str | None = None
    product: str | None = None
    time_amount: int | None = None
    grace_period: int | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class Resource(WireModel):
    """Something a digital plan gives access to (a video library, a service)."""

    public_id: str
    merchant: str | None = None
    name: str | None = None
    external_resource_id: str | None = None
    description: str | None = None
    image_url: str | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None

    @property
    def id(self) -> str:
        return self.public_id


@model()
@attrs.frozen(kw_only=True, slots=False)
class OfferProfile(WireModel):
    """An offer profile; ``offers`` (a list of offer ids) and its coupons (``recurring_coupon``,
    ``initial_coupon``: an object, ``{}`` or None) as sent."""

    public_id: str
    name: str | None = None
    merchant: str | None = None
    live: bool | None = None
    weight: int | None = None
    offers: Any = None
    recurring_coupon: Mapping[str, Any] | None = None
    initial_coupon: Mapping[str, Any] | None = None

    @property
    def id(self) -> str:
        return self.public_id


@model()
@attrs.frozen(kw_only=True, slots=False)
class OneTimeIncentive(WireModel):
    """An incentive applied once (to a customer's next order, or to one order); ``incentive`` as sent."""

    public_id: str
    external_code: str | None = None
    description: str | None = None
    merchant: str | None = None
    customer: str | None = None
    order: str | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None
    incentive: Mapping[str, Any] | None = None

    @property
    def id(self) -> str:
        return self.public_id


@model()
@attrs.frozen(kw_only=True, slots=False)
class Entitlement(WireModel):
    """A customer's access to a resource (entitlements-service). Its dates are aware (UTC); ``grace_period`` is
    seconds (sent as a number or a string of digits: the text as sent when it is not a number); ``resource``: the
    resource's fields as sent."""

    public_id: str
    merchant: str | None = None
    merchant_user_id: str | None = None
    initial_activation_date: dt.datetime | None = None
    latest_activation_date: dt.datetime | None = None
    expiration: dt.datetime | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None
    grace_period: int | str | None = None
    access_type: str | None = None
    resource: Mapping[str, Any] | None = None

    @property
    def id(self) -> str:
        return self.public_id


@model()
@attrs.frozen(kw_only=True, slots=False)
class CartItem(WireModel):
    """One product in a shopper's cart (om host): ``id`` is its external product id."""

    id: str | None = None
    offer_id: str | None = None
    incentives: Mapping[str, Any] | None = None
    attributes: str | None = None
    coupon_code: str | None = None
    quantity: int | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class CustomerPatchResult(WireModel):
    """What ``customers.update`` answers: the three fields it sets, as stored (each may be None)."""

    extra_data: Mapping[str, Any] | str | None = None
    locale: int | str | None = None  # as Customer's: an id or a name
    price_code: str | None = None
