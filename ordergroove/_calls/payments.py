"""payments.*: the calls of ``client.payments``."""

from __future__ import annotations

import datetime as dt
import re

from .._call import Call, Params, path, segment
from .._page import Page
from ..errors import ConfigurationError
from ..models import Payment
from ._base import Body, list_call, no_body, retrieve_call, write_call

CC_TYPES = (1, 2, 3, 4, 5, 6)  # Visa, Mastercard, American Express, Discover, Diners, JCB
PAYMENT_METHODS = ("credit card", "paypal", "applepay", "shoppay", "googlepay")
_EXP_DATE = re.compile(r"(0[1-9]|1[0-2])/([0-9]{2}|[0-9]{4})")


def list_(customer: str | None, page_size: int) -> Call[Page[Payment]]:
    return list_call(Payment, "payments", Params().id("customer", customer).page_size(page_size).items())


def retrieve(payment_id: str) -> Call[Payment]:
    return retrieve_call(Payment, "payments", "payment_id", payment_id)


def exp_date(value: dt.date | str | None) -> str | None:
    """``cc_exp_date`` as ``MM/YYYY``: a date (its month) or the text ``MM/YYYY`` or ``MM/YY``."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.strftime("%m/%Y")
    if not isinstance(value, str) or _EXP_DATE.fullmatch(value) is None:
        raise ConfigurationError(f"cc_exp_date must be a date or 'MM/YYYY' (or 'MM/YY'), got {value!r}")
    return value


def _card(body: Body, cc_type: int | None, payment_method: str | None) -> Body:
    if cc_type is not None and (isinstance(cc_type, bool) or cc_type not in CC_TYPES):
        raise ConfigurationError(f"cc_type must be one of {CC_TYPES} (1 Visa ... 6 JCB), got {cc_type!r}")
    if payment_method is not None and payment_method not in PAYMENT_METHODS:
        raise ConfigurationError(f"payment_method must be one of {', '.join(PAYMENT_METHODS)}, got {payment_method!r}")
    return body.integer("cc_type", cc_type).text("payment_method", payment_method)


def create(
    customer: str,
    cc_number_ending: str,
    token_id: str,
    cc_holder: str | None,
    cc_exp_date: dt.date | str | None,
    billing_address: str | None,
    label: str | None,
    cc_type: int | None,
) -> Call[Payment]:
    # NOT idempotent: creates a record; never re-sent once it may have arrived.
    body = (
        Body()
        .id("customer", customer, required=True)
        .text("cc_number_ending", cc_number_ending, required=True)
        .text("token_id", token_id, required=True)
        .text("cc_holder", cc_holder)
        .text("cc_exp_date", exp_date(cc_exp_date))
        .id("billing_address", billing_address)
        .text("label", label)
    )
    return write_call(Payment, "POST", "/payments/create/", _card(body, cc_type, None).fields, idempotent=False)


def update(
    payment_id: str,
    label: str | None,
    token_id: str | None,
    cc_holder: str | None,
    cc_type: int | None,
    cc_exp_date: dt.date | str | None,
    cc_number_ending: str | None,
    billing_address: str | None,
    payment_method: str | None,
    live: bool | None,
) -> Call[Payment]:
    # Setting fields is idempotent.
    body = (
        Body()
        .text("label", label)
        .text("token_id", token_id)
        .text("cc_holder", cc_holder)
        .text("cc_exp_date", exp_date(cc_exp_date))
        .text("cc_number_ending", cc_number_ending)
        .id("billing_address", billing_address)
        .boolean("live", live)
    )
    url = path("payments", segment("payment_id", payment_id), "update")
    return write_call(Payment, "PATCH", url, _card(body, cc_type, payment_method).changes(), idempotent=True)


def use_for_all(payment_id: str) -> Call[None]:
    # NOT re-sent: it moves every live subscription and unsent order of the customer to this payment.
    url = path("payments", segment("payment_id", payment_id), "use_for_all")
    return Call("POST", url, decode=no_body, status_values=((204, None),), idempotent=False)
