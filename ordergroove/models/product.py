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
class ProductGroup:
    group_type: str | None = None
    name: str | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()


@model()
@attrs.frozen(kw_only=True, slots=False)
class Product:
    """A product of the merchant's catalog. Its id is the merchant's ``external_product_id``."""

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
    every_period: Period | int | None = None
    offer_profile: Any = None
    incentive_group: Any = None
    groups: list[ProductGroup] = attrs.field(factory=list)
    created: dt.datetime | None = None
    last_update: dt.datetime | None = None
    extra_data: Any = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()

    @property
    def id(self) -> str:
        return self.external_product_id
