"""product_groups.*: the calls of ``client.product_groups``."""

from __future__ import annotations

from .._call import Call, Params, path, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import ProductGroup
from ._base import Body, list_call, write_call

GROUP_TYPES = ("eligibility", "incentive", "sku_swap")


def _group_type(value: object) -> str:
    if value not in GROUP_TYPES:
        raise ConfigurationError(f"group_type must be one of {', '.join(GROUP_TYPES)}, got {value!r}")
    return str(value)


def list_(name: str | None, group_type: str | None, page_size: int) -> Call[Page[ProductGroup]]:
    # A read.
    params = Params().text("name", name).text("group_type", group_type).page_size(page_size)
    return list_call(ProductGroup, "product_groups", params.items())


def create(name: str, group_type: str) -> Call[ProductGroup]:
    # NOT idempotent: creates a group (a duplicate fails); never re-sent once it may have arrived.
    # Unconfirmed: the body; name and group_type, as the reference presumes.
    body = Body().text("name", name, required=True).text("group_type", _group_type(group_type), required=True)
    return write_call(ProductGroup, "POST", "/product_groups/create/", body.fields, idempotent=False)


def update(group_type: str, current_name: str, name: str) -> Call[ProductGroup]:
    # NOT re-sent after an ambiguous failure: the path names the group by its current name, so once a rename is
    # applied a repeat answers 404, which would report an applied rename as an error. Ordergroove answers 201.
    url = path("product_groups", segment("group_type", group_type), segment("name", current_name))
    _group_type(group_type)
    body = Body().text("name", name, required=True)
    return write_call(ProductGroup, "PATCH", url, body.fields, idempotent=False)
