"""offer_profiles.*: the calls of ``client.offer_profiles``."""

from __future__ import annotations

from .._call import Call, Params
from .._page import Page
from ..models import OfferProfile
from ._base import list_call


def list_(page_size: int) -> Call[Page[OfferProfile]]:
    # A read.
    return list_call(OfferProfile, "offer_profiles", Params().page_size(page_size).items())
