"""customers.*: the calls of ``client.customers``."""

from __future__ import annotations

from .._call import Call, Params, path, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import ContactDetails, Customer, Order, Subscription
from . import orders, subscriptions
from ._base import list_call, one, retrieve_call


def list_(email: str | None, page_size: int) -> Call[Page[Customer]]:
    return list_call(Customer, "customers", Params().text("email", email).page_size(page_size).items())


def retrieve(customer_id: str) -> Call[Customer]:
    return retrieve_call(Customer, "customers", "customer_id", customer_id)


def set_contact_details(customer_id: str, email: str, phone_number: str) -> Call[ContactDetails]:
    # Setting contact details is idempotent.
    for name, value in (("email", email), ("phone_number", phone_number)):
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"{name} is required and must be a non-empty string, got {value!r}")
    if "@" not in email:
        raise ConfigurationError(f"email {email!r} is not an email address")
    return Call(
        "PATCH",
        # One of the two paths Ordergroove serves without a trailing slash.
        path("customers", segment("customer_id", customer_id), "set_contact_details", trailing_slash=False),
        decode=one(ContactDetails),
        json={"email": email, "phone_number": phone_number},
        has_body=True,
    )


def summary(customer_id: str) -> tuple[Call[Page[Subscription]], Call[Page[Order]]]:
    """summary's two reads: every subscription and every order of the customer (summarised by
    :func:`ordergroove.domain.summarize`)."""
    segment("customer_id", customer_id)
    return (
        subscriptions.list_(customer_id, None, None, None, None, None, None, 100),
        orders.list_(customer=customer_id),
    )
