"""customers.*: the calls of ``client.customers``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .._call import Call, Params, path, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import ContactDetails, Customer, CustomerPatchResult, Order, Subscription
from . import orders, subscriptions
from ._base import Body, list_call, one, retrieve_call, write_call


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
        idempotent=True,
    )


def summary(customer_id: str) -> tuple[Call[Page[Subscription]], Call[Page[Order]]]:
    """summary's two reads: every subscription and every order of the customer (summarised by
    :func:`ordergroove.domain.summarize`)."""
    segment("customer_id", customer_id)
    return (
        subscriptions.list_(customer=customer_id),
        orders.list_(customer=customer_id),
    )


PHONE_TYPES = ("invalid", "landline", "mobile", "voip")  # by name in a request; answers carry 0-3


def create(
    merchant: str,
    merchant_user_id: str,
    session_id: str,
    user_token_id: str,
    first_name: str,
    last_name: str,
    email: str,
    phone_number: str,
    phone_type: str,
    live: bool,
    created: dt.datetime,
    last_updated: dt.datetime,
    last_login: dt.datetime,
    locale: int | str,
    extra_data: Mapping[str, Any] | str | None,
    experiences: Mapping[str, Any] | str | None,
    price_code: str | None,
) -> Call[Customer]:
    # NOT idempotent: creates an account (a repeat with the same merchant_user_id fails): never re-sent.
    if phone_type not in PHONE_TYPES:
        raise ConfigurationError(f"phone_type must be one of {', '.join(PHONE_TYPES)}, got {phone_type!r}")
    if isinstance(locale, bool) or not isinstance(locale, int | str) or locale == "":
        raise ConfigurationError(f"locale must be a locale id (int) or a locale name such as 'en-us', got {locale!r}")
    if not isinstance(email, str) or "@" not in email:
        raise ConfigurationError(f"email must be an email address, got {email!r}")
    body = (
        Body()
        .text("merchant", merchant, required=True)
        .id("merchant_user_id", merchant_user_id, required=True)
        .text("session_id", session_id, required=True)
        .text("user_token_id", user_token_id, required=True)
        .text("first_name", first_name, required=True)
        .text("last_name", last_name, required=True)
        .text("email", email, required=True)
        .text("phone_number", phone_number, required=True)
        .text("phone_type", phone_type, required=True)
        .boolean("live", live, required=True)
        .datetime("created", created, required=True)
        .datetime("last_updated", last_updated, required=True)
        .datetime("last_login", last_login, required=True)
        .json_text("extra_data", extra_data)
        .json_text("experiences", experiences)
        .text("price_code", price_code)
    )
    body.fields["locale"] = locale
    return write_call(Customer, "POST", "/customers/create/", body.fields, idempotent=False)


def update(
    customer_id: str, extra_data: Mapping[str, Any] | str | None, locale: str | None, price_code: str | None
) -> Call[CustomerPatchResult]:
    # Setting fields is idempotent.
    changes = Body().json_text("extra_data", extra_data).text("locale", locale).text("price_code", price_code)
    # One of the two paths Ordergroove serves without a trailing slash.
    url = path("customers", segment("customer_id", customer_id), "update", trailing_slash=False)
    return write_call(CustomerPatchResult, "PATCH", url, changes.changes(), idempotent=True)
