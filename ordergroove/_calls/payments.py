"""payments.*: the calls of ``client.payments``."""

from __future__ import annotations

from .._call import Call, Params
from .._page import Page
from ..models import Payment
from ._base import list_call, retrieve_call


def list_(customer: str | None, page_size: int) -> Call[Page[Payment]]:
    return list_call(Payment, "payments", Params().id("customer", customer).page_size(page_size).items())


def retrieve(payment_id: str) -> Call[Payment]:
    return retrieve_call(Payment, "payments", "payment_id", payment_id)
