"""items.*: the calls of ``client.items``."""

from __future__ import annotations

from .._call import Call, Params
from .._page import Page
from ..models import Item
from ._base import list_call, retrieve_call


def list_(order: str | None, subscription: str | None, page_size: int) -> Call[Page[Item]]:
    params = Params().id("order", order).id("subscription", subscription).page_size(page_size)
    return list_call(Item, "items", params.items())


def retrieve(item_id: str) -> Call[Item]:
    return retrieve_call(Item, "items", "item_id", item_id)
