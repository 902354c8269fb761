from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._base import WireModel, model

# Ordergroove's standard cancel reason codes.
STANDARD_CANCEL_REASONS: Mapping[int, str] = {
    1: "Customer request",
    2: "Fraud",
    3: "Payment issues",
    4: "Overstocked",
    5: "Out of stock",
    6: "Quality issues",
    7: "Shipping issues",
    8: "Duplicate order",
    9: "Wrong product",
    10: "Other",
}


@model(renames={"code": "cancel_reason"})
@attrs.frozen(kw_only=True, slots=False)
class CancelReason(WireModel):
    """A cancel reason the merchant accepts. ``code`` is the API's ``cancel_reason``."""

    code: int
    application: str | None = None

    @property
    def label(self) -> str | None:
        """The standard text for a standard code, else None."""
        return STANDARD_CANCEL_REASONS.get(self.code)
