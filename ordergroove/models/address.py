from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import RawPayload, extra_field, raw_field
from ._convert import model


@model()
@attrs.frozen(kw_only=True, slots=False)
class Address:
    """A shipping or billing address of a customer."""

    public_id: str
    customer: str | None = None
    label: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    address: str | None = None
    address2: str | None = None
    city: str | None = None
    state_province_code: str | None = None
    zip_postal_code: str | None = None
    phone: str | None = None
    fax: str | None = None
    country_code: str | None = None
    live: bool | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    token_id: str | None = attrs.field(default=None, repr=False)
    store_public_id: str | None = None
    extra: Mapping[str, Any] = extra_field()
    _raw: RawPayload = raw_field()

    @property
    def id(self) -> str:
        return self.public_id
