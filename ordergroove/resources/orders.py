from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from .._call import Call, Params, segment
from .._export import ExportProgress, ExportResult, export_async, export_sync
from .._page import Page
from ..errors import ConfigurationError
from ..models import Order, OrderStatus
from ..pagination import AsyncPager, SyncPager
from ._base import AsyncResource, SyncResource, action_call, list_call, retrieve_call


def _list(
    customer: str | None,
    subscription: str | None,
    status: OrderStatus | int | None,
    place_start: dt.date | None,
    place_end: dt.date | None,
    created_start: dt.date | None,
    created_end: dt.date | None,
    updated_start: dt.date | dt.datetime | None,
    updated_end: dt.date | dt.datetime | None,
    page_size: int,
) -> Call[Page[Order]]:
    params = (
        Params()
        .id("customer", customer)
        .id("subscription", subscription)
        .integer("status", status)
        .date("place_start", place_start)
        .date("place_end", place_end)
        .date("created_start", created_start)
        .date("created_end", created_end)
        .date_or_datetime("updated_start", updated_start)
        .date_or_datetime("updated_end", updated_end)
        .page_size(page_size)
    )
    return list_call(Order, "orders", params.items())


def _action(order_id: str, action: str, body: object = None) -> Call[Order]:
    return action_call(Order, "orders", "order_id", order_id, action, body)


def _skip_subscription(order_id: str, subscription_id: str) -> Call[Order]:
    # NOT safe to repeat blindly: a second skip could reach the subscription's newly generated next order.
    segment("subscription_id", subscription_id)  # checked like a path id, but sent in the body as given
    return _action(order_id, "skip_subscription", {"subscription": subscription_id})


def _change_place_date(order_id: str, place: dt.date | dt.datetime) -> Call[Order]:
    # Setting a date is idempotent.
    if isinstance(place, dt.datetime):
        if place.tzinfo is not None:
            raise ConfigurationError(
                "place must be a date or a naive datetime in Ordergroove's time, not an aware datetime"
            )
        text = place.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(place, dt.date):
        text = place.strftime("%Y-%m-%d 00:00:00")
    else:
        raise ConfigurationError(f"place must be a datetime.date or datetime.datetime, got {type(place).__name__}")
    return _action(order_id, "change_place_date", {"place": text})


class Orders(SyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Order]:
        call = _list(
            customer,
            subscription,
            status,
            place_start,
            place_end,
            created_start,
            created_end,
            updated_start,
            updated_end,
            page_size,
        )
        return self._pager(call, timeout, max_retries)

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
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
        """Stream every matching order to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        call = _list(
            customer,
            subscription,
            status,
            place_start,
            place_end,
            created_start,
            created_end,
            updated_start,
            updated_end,
            page_size,
        )
        return export_sync(self, "orders", call, path, resume, progress, timeout, max_retries)

    def retrieve(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        return self._send(retrieve_call(Order, "orders", "order_id", order_id), timeout, max_retries)

    def skip_subscription(
        self,
        order_id: str,
        subscription_id: str,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Take one subscription out of this order; Ordergroove generates that subscription's next order."""
        return self._send(_skip_subscription(order_id, subscription_id), timeout, max_retries)

    def cancel(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Skip the whole order; the next order of each of its subscriptions is generated."""
        return self._send(_action(order_id, "cancel"), timeout, max_retries)

    def send_now(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Place the order now instead of on its date."""
        return self._send(_action(order_id, "send_now"), timeout, max_retries)

    def change_place_date(
        self,
        order_id: str,
        place: dt.date | dt.datetime,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Move the order: a date means midnight; a naive datetime is sent as given."""
        return self._send(_change_place_date(order_id, place), timeout, max_retries)


class AsyncOrders(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Order]:
        call = _list(
            customer,
            subscription,
            status,
            place_start,
            place_end,
            created_start,
            created_end,
            updated_start,
            updated_end,
            page_size,
        )
        return self._pager(call, timeout, max_retries)

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
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
        """Stream every matching order to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        call = _list(
            customer,
            subscription,
            status,
            place_start,
            place_end,
            created_start,
            created_end,
            updated_start,
            updated_end,
            page_size,
        )
        return await export_async(self, "orders", call, path, resume, progress, timeout, max_retries)

    async def retrieve(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        return await self._send(retrieve_call(Order, "orders", "order_id", order_id), timeout, max_retries)

    async def skip_subscription(
        self,
        order_id: str,
        subscription_id: str,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Take one subscription out of this order; Ordergroove generates that subscription's next order."""
        return await self._send(_skip_subscription(order_id, subscription_id), timeout, max_retries)

    async def cancel(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Skip the whole order; the next order of each of its subscriptions is generated."""
        return await self._send(_action(order_id, "cancel"), timeout, max_retries)

    async def send_now(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Place the order now instead of on its date."""
        return await self._send(_action(order_id, "send_now"), timeout, max_retries)

    async def change_place_date(
        self,
        order_id: str,
        place: dt.date | dt.datetime,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Move the order: a date means midnight; a naive datetime is sent as given."""
        return await self._send(_change_place_date(order_id, place), timeout, max_retries)
