"""addresses.*: the calls of ``client.addresses``."""

from __future__ import annotations

from .._call import Call, Params
from .._page import Page
from ..models import Address
from ._base import list_call, retrieve_call


def list_(customer: str | None, page_size: int) -> Call[Page[Address]]:
    return list_call(Address, "addresses", Params().id("customer", customer).page_size(page_size).items())


def retrieve(address_id: str) -> Call[Address]:
    return retrieve_call(Address, "addresses", "address_id", address_id)
