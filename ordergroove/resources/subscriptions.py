from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from .._call import Call, Params, segment
from .._export import ExportProgress, ExportResult, export_async, export_sync
from .._page import Page
from ..errors import ConfigurationError
from ..models import CancelReason, Order, Period, Subscription
from ..pagination import AsyncPager, SyncPager
from ._base import (
    AsyncResource,
    SyncResource,
    action_call,
    date_value,
    list_call,
    period_value,
    positive_int,
    retrieve_call,
)

# Each action's comment says whether sending it twice is harmless. The library never sends an action twice
# unless the server certainly did not act (429, 423, or a connection that failed before sending).


def _list(
    customer: str | None,
    product: str | None,
    live: bool | None,
    created_start: dt.date | None,
    created_end: dt.date | None,
    updated_start: dt.date | dt.datetime | None,
    updated_end: dt.date | dt.datetime | None,
    page_size: int,
) -> Call[Page[Subscription]]:
    params = (
        Params()
        .id("customer", customer)
        .id("product", product)
        .boolean("live", live)
        .date("created_start", created_start)
        .date("created_end", created_end)
        .date_or_datetime("updated_start", updated_start)
        .date_or_datetime("updated_end", updated_end)
        .page_size(page_size)
    )
    return list_call(Subscription, "subscriptions", params.items())


def _action(subscription_id: str, action: str, body: object = None) -> Call[Subscription]:
    return action_call(Subscription, "subscriptions", "subscription_id", subscription_id, action, body)


def _cancel(
    subscription_id: str, reason_code: int | CancelReason | None, reason_details: str | None
) -> Call[Subscription]:
    # Repeating a cancel is refused by Ordergroove (400: not in a state which it can be edited): not harmful.
    if reason_code is None:
        if reason_details is not None:
            raise ConfigurationError("reason_details needs a reason_code (Ordergroove stores 'code|details')")
        return _action(subscription_id, "cancel", {})
    code = reason_code.code if isinstance(reason_code, CancelReason) else reason_code
    positive_int("reason_code", code)
    if reason_details is not None and not isinstance(reason_details, str):
        raise ConfigurationError(f"reason_details must be a string, got {type(reason_details).__name__}")
    return _action(subscription_id, "cancel", {"cancel_reason": f"{code}|{reason_details or ''}"})


def _reactivate(
    subscription_id: str,
    every: int,
    every_period: Period | int,
    start_date: dt.date,
    next_order_date: dt.date | None,
) -> Call[Subscription]:
    # Repeating a reactivate is refused by Ordergroove (400: already in active state): not harmful.
    body: dict[str, object] = {
        "every": positive_int("every", every),
        "every_period": period_value(every_period),
        "start_date": date_value("start_date", start_date).isoformat(),
    }
    if next_order_date is not None:
        if date_value("next_order_date", next_order_date) < start_date:
            raise ConfigurationError(
                f"next_order_date {next_order_date.isoformat()} is before start_date {start_date.isoformat()}"
            )
        body["next_order_date"] = next_order_date.isoformat()
    return _action(subscription_id, "reactivate", body)


def _change_quantity(subscription_id: str, quantity: int) -> Call[Subscription]:
    # Setting a quantity is idempotent.
    return _action(subscription_id, "change_quantity", {"quantity": positive_int("quantity", quantity)})


def _change_frequency(subscription_id: str, every: int, every_period: Period | int) -> Call[Subscription]:
    # Setting a frequency is idempotent.
    body = {"every": positive_int("every", every), "every_period": period_value(every_period)}
    return _action(subscription_id, "change_frequency", body)


def _change_next_order_date(subscription_id: str, order_date: dt.date) -> Call[Subscription]:
    # Setting a date is idempotent.
    body = {"order_date": date_value("order_date", order_date).isoformat()}
    return _action(subscription_id, "change_next_order_date", body)


class Subscriptions(SyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        product: str | None = None,
        live: bool | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Subscription]:
        """Every matching subscription; a key without Bulk Operations must filter by ``customer``."""
        call = _list(customer, product, live, created_start, created_end, updated_start, updated_end, page_size)
        return self._pager(call, timeout, max_retries)

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        product: str | None = None,
        live: bool | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Callable[[ExportProgress], None] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ExportResult:
        """Stream every matching subscription to ``path`` as JSON Lines (one record as received per line).

        Resumable: after an interruption, the same call with ``resume=True`` continues from the last page written
        (``FILE.cursor`` beside the file says where), with no record lost or written twice.
        """
        call = _list(customer, product, live, created_start, created_end, updated_start, updated_end, page_size)
        return export_sync(self, "subscriptions", call, path, resume, progress, timeout, max_retries)

    def retrieve(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Subscription:
        call = retrieve_call(Subscription, "subscriptions", "subscription_id", subscription_id)
        return self._send(call, timeout, max_retries)

    def cancel(
        self,
        subscription_id: str,
        *,
        reason_code: int | CancelReason | None = None,
        reason_details: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        """Cancel a live subscription, optionally with a cancel reason code (see ``merchant.cancel_reasons()``)."""
        return self._send(_cancel(subscription_id, reason_code, reason_details), timeout, max_retries)

    def reactivate(
        self,
        subscription_id: str,
        *,
        every: int,
        every_period: Period | int,
        start_date: dt.date,
        next_order_date: dt.date | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        """Reactivate a canceled subscription with a frequency and a start date."""
        call = _reactivate(subscription_id, every, every_period, start_date, next_order_date)
        return self._send(call, timeout, max_retries)

    def change_quantity(
        self,
        subscription_id: str,
        quantity: int,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return self._send(_change_quantity(subscription_id, quantity), timeout, max_retries)

    def change_frequency(
        self,
        subscription_id: str,
        *,
        every: int,
        every_period: Period | int,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return self._send(_change_frequency(subscription_id, every, every_period), timeout, max_retries)

    def change_next_order_date(
        self,
        subscription_id: str,
        order_date: dt.date,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return self._send(_change_next_order_date(subscription_id, order_date), timeout, max_retries)

    def skip_next_order(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Order:
        """Skip the subscription's next unsent order; returns the order it was skipped from.

        The order is looked up once. Whatever fails afterwards, only that order is ever sent the skip, and
        only when the server certainly did not act on an earlier try: a second order is never skipped.
        """
        from ..domain import pick_next_order
        from .orders import Orders

        segment("subscription_id", subscription_id)  # checked before the lookup, not only before the PATCH
        orders = Orders(self._client)
        upcoming = orders.list(subscription=subscription_id, status=1, timeout=timeout, max_retries=max_retries)
        order = pick_next_order(subscription_id, upcoming.to_list())
        return orders.skip_subscription(order.public_id, subscription_id, timeout=timeout, max_retries=max_retries)


class AsyncSubscriptions(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        product: str | None = None,
        live: bool | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Subscription]:
        """Every matching subscription; a key without Bulk Operations must filter by ``customer``."""
        call = _list(customer, product, live, created_start, created_end, updated_start, updated_end, page_size)
        return self._pager(call, timeout, max_retries)

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        product: str | None = None,
        live: bool | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Callable[[ExportProgress], None] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ExportResult:
        """Stream every matching subscription to ``path`` as JSON Lines (one record as received per line).

        Resumable: after an interruption, the same call with ``resume=True`` continues from the last page written
        (``FILE.cursor`` beside the file says where), with no record lost or written twice.
        """
        call = _list(customer, product, live, created_start, created_end, updated_start, updated_end, page_size)
        return await export_async(self, "subscriptions", call, path, resume, progress, timeout, max_retries)

    async def retrieve(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Subscription:
        call = retrieve_call(Subscription, "subscriptions", "subscription_id", subscription_id)
        return await self._send(call, timeout, max_retries)

    async def cancel(
        self,
        subscription_id: str,
        *,
        reason_code: int | CancelReason | None = None,
        reason_details: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        """Cancel a live subscription, optionally with a cancel reason code (see ``merchant.cancel_reasons()``)."""
        return await self._send(_cancel(subscription_id, reason_code, reason_details), timeout, max_retries)

    async def reactivate(
        self,
        subscription_id: str,
        *,
        every: int,
        every_period: Period | int,
        start_date: dt.date,
        next_order_date: dt.date | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        """Reactivate a canceled subscription with a frequency and a start date."""
        call = _reactivate(subscription_id, every, every_period, start_date, next_order_date)
        return await self._send(call, timeout, max_retries)

    async def change_quantity(
        self,
        subscription_id: str,
        quantity: int,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return await self._send(_change_quantity(subscription_id, quantity), timeout, max_retries)

    async def change_frequency(
        self,
        subscription_id: str,
        *,
        every: int,
        every_period: Period | int,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return await self._send(_change_frequency(subscription_id, every, every_period), timeout, max_retries)

    async def change_next_order_date(
        self,
        subscription_id: str,
        order_date: dt.date,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        return await self._send(_change_next_order_date(subscription_id, order_date), timeout, max_retries)

    async def skip_next_order(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Order:
        """Skip the subscription's next unsent order; returns the order it was skipped from.

        The order is looked up once. Whatever fails afterwards, only that order is ever sent the skip, and
        only when the server certainly did not act on an earlier try: a second order is never skipped.
        """
        from ..domain import pick_next_order
        from .orders import AsyncOrders

        segment("subscription_id", subscription_id)  # checked before the lookup, not only before the PATCH
        orders = AsyncOrders(self._client)
        upcoming = orders.list(subscription=subscription_id, status=1, timeout=timeout, max_retries=max_retries)
        order = pick_next_order(subscription_id, await upcoming.to_list())
        return await orders.skip_subscription(
            order.public_id, subscription_id, timeout=timeout, max_retries=max_retries
        )
