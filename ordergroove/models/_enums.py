from __future__ import annotations

import enum
from typing import TYPE_CHECKING, TypeAlias


class Period(enum.IntEnum):
    """The unit of a subscription's frequency (``every_period``)."""

    DAYS = 1
    WEEKS = 2
    MONTHS = 3
    YEARS = 4


class OrderStatus(enum.IntEnum):
    """An order's ``status`` code (Ordergroove's status table)."""

    UNSENT = 1
    REJECTED = 3
    CANCELLED = 4
    SUCCESS = 5
    SEND_NOW = 6
    PENDING_BATCH_RESPONSE = 9
    PENDING_VERIFICATION = 10
    PENDING_PLACEMENT = 11
    PLACEMENT_PREPARATION_EXCEPTION = 12
    PLACEMENT_CONNECTION_ERROR = 13
    RESPONSE_PROCESSING_ERROR = 14
    GENERIC_ERROR_RESPONSE = 15
    MERGED = 17
    CREDIT_CARD_RETRY = 18
    AWAITING_RETRY_INSTRUCTIONS = 19
    AWAITING_RESPONSE_CLASSIFICATION = 20


# A field of a model Ordergroove sends holds its enum, or the plain int of a value added since (never an error). Type
# checkers see the enum, so that editors offer `.name` and comparisons with members check; at run time the alias is
# the union, which is what the decoders dispatch on. An unknown value is an int as an IntEnum member is one: code
# that compares or computes with it works on both; `isinstance(value, og.Period)` tells them apart.
if TYPE_CHECKING:
    KnownPeriod: TypeAlias = Period
    KnownOrderStatus: TypeAlias = OrderStatus
else:
    KnownPeriod = Period | int
    KnownOrderStatus = OrderStatus | int


def period(value: int) -> Period | int:
    """The ``Period`` for a wire value, or the plain int when Ordergroove sends one we don't know yet."""
    try:
        return Period(value)
    except ValueError:
        return value


def order_status(value: int) -> OrderStatus | int:
    """The ``OrderStatus`` for a wire value, or the plain int when it is new."""
    try:
        return OrderStatus(value)
    except ValueError:
        return value
