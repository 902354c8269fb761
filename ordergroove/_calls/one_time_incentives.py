"""one_time_incentives.*: the calls of ``client.one_time_incentives``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._call import Call, Params, path, segment
from .._page import Page
from ..models import OneTimeIncentive
from ._base import Body, list_call, one, retrieve_call, write_call


def list_(page_size: int) -> Call[Page[OneTimeIncentive]]:
    return list_call(OneTimeIncentive, "one_time_incentives", Params().page_size(page_size).items())


def retrieve(one_time_incentive_id: str) -> Call[OneTimeIncentive]:
    return retrieve_call(OneTimeIncentive, "one_time_incentives", "one_time_incentive_id", one_time_incentive_id)


# Unconfirmed: the create and update bodies (external_code, description, customer, order, incentive, as the
# reference presumes); create requires external_code.
def _body(
    external_code: str | None,
    description: str | None,
    customer: str | None,
    order: str | None,
    incentive: Mapping[str, Any] | None,
    create: bool,
) -> Body:
    return (
        Body()
        .text("external_code", external_code, required=create)
        .text("description", description)
        .id("customer", customer)
        .id("order", order)
        .mapping("incentive", incentive)
    )


def create(
    external_code: str,
    description: str | None,
    customer: str | None,
    order: str | None,
    incentive: Mapping[str, Any] | None,
) -> Call[OneTimeIncentive]:
    # NOT idempotent: creates a record; never re-sent once it may have arrived.
    body = _body(external_code, description, customer, order, incentive, True)
    return write_call(OneTimeIncentive, "POST", "/one_time_incentives/create/", body.fields, idempotent=False)


def update(
    one_time_incentive_id: str,
    external_code: str | None,
    description: str | None,
    customer: str | None,
    order: str | None,
    incentive: Mapping[str, Any] | None,
) -> Call[OneTimeIncentive]:
    # Setting fields is idempotent.
    url = path("one_time_incentives", segment("one_time_incentive_id", one_time_incentive_id), "update")
    body = _body(external_code, description, customer, order, incentive, False)
    return write_call(OneTimeIncentive, "PATCH", url, body.changes(), idempotent=True)


def delete(one_time_incentive_id: str) -> Call[OneTimeIncentive]:
    # NOT re-sent: a repeat answers 404 once the first was applied. Ordergroove answers the deleted record.
    url = path("one_time_incentives", segment("one_time_incentive_id", one_time_incentive_id), "delete")
    return Call("DELETE", url, decode=one(OneTimeIncentive), idempotent=False)
