from __future__ import annotations

import datetime as dt

import attrs

from ._base import WireModel, model


@model()
@attrs.frozen(kw_only=True, slots=False)
class Payment(WireModel):
    """A stored payment method. Only the last digits of a card are ever held."""

    public_id: str
    customer: str | None = None
    billing_address: str | None = None
    label: str | None = None
    token_id: str | None = attrs.field(default=None, repr=False)
    cc_holder: str | None = attrs.field(default=None, repr=False)
    cc_type: int | None = None
    cc_number_ending: str | None = None
    cc_exp_date: str | None = None
    payment_method: str | None = None
    live: bool | None = None
    created: dt.datetime | None = None
    last_updated: dt.datetime | None = None

    @property
    def id(self) -> str:
        return self.public_id
