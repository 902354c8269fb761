"""What the library concludes from records it has fetched: pure functions over models, no I/O (public: use them
on records fetched any way).

``customers.summary`` and ``subscriptions.skip_next_order`` fetch, then decide here; the Gladly extra shows the
order a skip would act on with the same rule (:func:`pick_next_order`), so what it shows is what is skipped.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from decimal import Decimal

from .errors import NoUpcomingOrderError
from .models import CustomerSummary, Order, OrderStatus, Subscription

__all__ = ["earliest", "pick_next_order", "summarize"]


def _sum_context() -> decimal.Context:
    # Totals come from the server: an extreme one ("9E+999999") must not make the sum raise decimal.Overflow,
    # nor may the caller's decimal context (its precision, its traps) change the result. Nothing traps here.
    return decimal.Context(
        prec=28, rounding=decimal.ROUND_HALF_EVEN, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX, traps=[], flags=[]
    )


def summarize(customer_id: str, subscriptions: Iterable[Subscription], orders: Iterable[Order]) -> CustomerSummary:
    """A :class:`CustomerSummary` from a customer's subscriptions and orders (already fetched).

    ``lifetime_value`` is summed with 28 significant digits over Decimal's widest exponent range, whatever the
    current decimal context, and never raises: a sum past even that range (totals beyond ``1E+999999999999999999``)
    is ``Decimal("Infinity")``, or ``NaN`` should such infinite sums of opposite signs meet.
    """
    active = total = canceled = fulfilled = 0
    context = _sum_context()
    lifetime = Decimal(0)
    upcoming: list[Order] = []
    for subscription in subscriptions:
        total += 1
        active += subscription.is_active
        canceled += subscription.is_canceled
    for order in orders:
        if order.status == OrderStatus.SUCCESS:
            fulfilled += 1
            lifetime = context.add(lifetime, order.total or 0)
        elif order.status == OrderStatus.UNSENT:
            upcoming.append(order)
    return CustomerSummary(
        customer_id=customer_id,
        active_subscriptions=active,
        total_subscriptions=total,
        canceled_subscriptions=canceled,
        orders_fulfilled=fulfilled,
        lifetime_value=lifetime,
        next_order=earliest(upcoming),
    )


def earliest(orders: Iterable[Order]) -> Order | None:
    """The order placed soonest (orders without a place date last; ties broken by id, so the pick is stable)."""
    ranked = sorted(orders, key=lambda o: (o.place is None, _comparable(o.place), o.public_id or ""))
    return ranked[0] if ranked else None


def _comparable(place: dt.datetime | None) -> dt.datetime:
    # Naive and aware datetimes do not compare (TypeError): an aware one is ranked by its UTC wall time.
    if place is None:
        return dt.datetime.min
    if place.tzinfo is not None:
        try:
            return place.astimezone(dt.timezone.utc).replace(tzinfo=None)
        except OverflowError:  # within a day of datetime.min or max
            return place.replace(tzinfo=None)
    return place


def pick_next_order(subscription_id: str, orders: Iterable[Order]) -> Order:
    """The earliest unsent order among ``orders``, or :class:`NoUpcomingOrderError`."""
    order = earliest(o for o in orders if o.status == OrderStatus.UNSENT)
    if order is None:
        raise NoUpcomingOrderError(
            f"subscription {subscription_id} has no upcoming (unsent) order to skip; nothing was changed",
            subscription_id=subscription_id,
        )
    return order
