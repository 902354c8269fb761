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
class ProductGroup(WireModel):
    group_type: str | None = None
    name: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class Product(WireModel):
    """A product of the merchant's catalog. Its id is the merchant's ``external_product_id``.

    ``price`` is sent as a string or a number; both are a ``Decimal``. ``premier_enabled``: 0 disabled, 1 enabled,
    2 tier. ``last_update`` is a ``datetime`` when it reads as one, else the text as sent (the reference's example is
    ``"09/3099"``). ``product_selection_rules`` (with ``include_product_selection_rules``): the rules as sent.
    """

    external_product_id: str
    merchant: str | None = None
    name: str | None = None
    sku: str | None = None
    price: Decimal | None = None
    image_url: str | None = None
    detail_url: str | None = None
    autoship_enabled: bool | None = None
    autoship_by_default: bool | None = None
    prepaid_eligible: bool | None = None
    live: bool | None = None
    discontinued: bool | None = None
    premier_enabled: int | None = None
    product_type: str | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None
    offer_profile: str | None = None
    incentive_group: str | None = None
    groups: list[ProductGroup] = attrs.field(factory=list)
    created: dt.datetime | None = None
    last_update: dt.datetime | str | None = None
    extra_data: Mapping[str, Any] | str | None = None
    product_selection_rules: list[Mapping[str, Any]] | None = None

    @property
    def id(self) -> str:
        return self.external_product_id
