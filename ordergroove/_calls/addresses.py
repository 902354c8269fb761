"""addresses.*: the calls of ``client.addresses``."""

from __future__ import annotations

from .._call import Call, Params, path, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import Address
from ._base import Body, list_call, no_body, retrieve_call, write_call

ADDRESS_TYPES = ("billing_address", "shipping_address")
# Unconfirmed: the reference's text is cut after state_province_code; zip_postal_code and country_code are
# non-null in its data model, so they are required here (the emulator's choice too).
REQUIRED_UNCONFIRMED = ("zip_postal_code", "country_code")


def list_(customer: str | None, page_size: int) -> Call[Page[Address]]:
    return list_call(Address, "addresses", Params().id("customer", customer).page_size(page_size).items())


def retrieve(address_id: str) -> Call[Address]:
    return retrieve_call(Address, "addresses", "address_id", address_id)


def create(fields: dict[str, str | None]) -> Call[Address]:
    # NOT idempotent: creates a record; never re-sent once it may have arrived.
    if fields.get("address_type") not in ADDRESS_TYPES:
        raise ConfigurationError(
            f"address_type must be one of {', '.join(ADDRESS_TYPES)}, got {fields.get('address_type')!r}"
        )
    body = Body().id("customer", fields.pop("customer"), required=True)
    for name, value in fields.items():
        required = name not in ("address2", "company_name", "phone", "fax", "label")
        body.text(name, value, required=required)
    return write_call(Address, "POST", "/addresses/create/", body.fields, idempotent=False)


def update(address_id: str, live: bool) -> Call[Address]:
    # Setting live is idempotent.
    body = Body().boolean("live", live, required=True).fields
    url = path("addresses", segment("address_id", address_id), "update")
    return write_call(Address, "PATCH", url, body, idempotent=True)


def use_for_all(address_public_id: str) -> Call[None]:
    # NOT re-sent: it moves every live subscription and unsent order of the customer to this address, so a
    # repeat after another change could move them again.
    url = path("addresses", segment("address_public_id", address_public_id), "use_for_all")
    return Call("POST", url, decode=no_body, status_values=((204, None),), idempotent=False)
