from __future__ import annotations

import datetime as dt

import attrs

from ._base import WireModel, model


@model()
@attrs.frozen(kw_only=True, slots=False)
class Address(WireModel):
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

    @property
    def id(self) -> str:
        return self.public_id
