"""The resources: each method hands the call its module in ``_calls/`` describes to the sender, with one options
value. Written once; the sync resources are generated from this file.

Adding an endpoint: a function in ``_calls/<resource>.py`` that checks the arguments and returns the ``Call``, then
one method here, then ``python scripts/generate_sync.py``. See docs/design.md.
"""

from __future__ import annotations

import builtins
import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import _io
from .._call import Call, Options
from .._calls import addresses, checkout, customers, items, merchant, orders, payments, products, subscriptions
from .._export import ExportProgress, ExportResult
from ..domain import pick_next_order, summarize
from ..models import (
    Address,
    BatchResult,
    CancelReason,
    ContactDetails,
    Customer,
    CustomerSummary,
    Item,
    Order,
    OrderStatus,
    Payment,
    Period,
    Product,
    PurchaseReceipt,
    PurchaseRequest,
    PurchaseStatus,
    Subscription,
)
from .export import export
from .pager import AsyncPager

if TYPE_CHECKING:
    from ..feed import FeedProduct
    from .client import AsyncSender


class AsyncResource:
    def __init__(self, sender: AsyncSender) -> None:
        self._sender = sender


class AsyncCustomers(AsyncResource):
    async def retrieve(
        self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Customer:
        """One customer by the merchant's id (``merchant_user_id``)."""
        return await self._sender.send(customers.retrieve(customer_id), Options(timeout, max_retries))

    def list(
        self,
        *,
        email: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Customer]:
        return self._sender.pager(customers.list_(email, page_size), Options(timeout, max_retries))

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        email: str | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Callable[[ExportProgress], None] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ExportResult:
        """Stream every matching customer to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        call = customers.list_(email, page_size)
        return await export(self._sender, "customers", call, path, resume, progress, Options(timeout, max_retries))

    async def set_contact_details(
        self,
        customer_id: str,
        *,
        email: str,
        phone_number: str,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ContactDetails:
        """Update the email and phone number Ordergroove holds (call it when a shopper changes them)."""
        call = customers.set_contact_details(customer_id, email, phone_number)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def summary(
        self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> CustomerSummary:
        """Subscriptions and orders at a glance: two list calls, whatever the number of subscriptions (on the async
        client, fetched concurrently)."""
        subscriptions_call, orders_call = customers.summary(customer_id)
        options = Options(timeout, max_retries)
        subscriptions_of, orders_of = await _io.async_both(
            self._sender.pager(subscriptions_call, options).to_list(),
            self._sender.pager(orders_call, options).to_list(),
        )
        return summarize(customer_id, subscriptions_of, orders_of)


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
        call = subscriptions.list_(
            customer, product, live, created_start, created_end, updated_start, updated_end, page_size
        )
        return self._sender.pager(call, Options(timeout, max_retries))

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
        call = subscriptions.list_(
            customer, product, live, created_start, created_end, updated_start, updated_end, page_size
        )
        options = Options(timeout, max_retries)
        return await export(self._sender, "subscriptions", call, path, resume, progress, options)

    async def retrieve(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Subscription:
        return await self._sender.send(subscriptions.retrieve(subscription_id), Options(timeout, max_retries))

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
        call = subscriptions.cancel(subscription_id, reason_code, reason_details)
        return await self._sender.send(call, Options(timeout, max_retries))

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
        call = subscriptions.reactivate(subscription_id, every, every_period, start_date, next_order_date)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def change_quantity(
        self,
        subscription_id: str,
        quantity: int,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        call = subscriptions.change_quantity(subscription_id, quantity)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def change_frequency(
        self,
        subscription_id: str,
        *,
        every: int,
        every_period: Period | int,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        call = subscriptions.change_frequency(subscription_id, every, every_period)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def change_next_order_date(
        self,
        subscription_id: str,
        order_date: dt.date,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        call = subscriptions.change_next_order_date(subscription_id, order_date)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def change_shipping_address(
        self,
        subscription_id: str,
        /,
        *,
        shipping_address: str,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Subscription:
        """Ship the subscription's next orders to another address of the customer (its public id)."""
        call = subscriptions.change_shipping_address(subscription_id, shipping_address)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def skip_next_order(
        self, subscription_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Order:
        """Skip the subscription's next unsent order; returns the order it was skipped from.

        The order is looked up once. Whatever fails afterwards, only that order is ever sent the skip, and
        only when the server certainly did not act on an earlier try: a second order is never skipped.
        """
        options = Options(timeout, max_retries)
        upcoming = await self._sender.pager(subscriptions.upcoming_orders(subscription_id), options).to_list()
        order = pick_next_order(subscription_id, upcoming)
        return await self._sender.send(orders.skip_subscription(order.public_id, subscription_id), options)


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
        call = orders.list_(
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
        return self._sender.pager(call, Options(timeout, max_retries))

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
        call = orders.list_(
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
        return await export(self._sender, "orders", call, path, resume, progress, Options(timeout, max_retries))

    async def retrieve(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        return await self._sender.send(orders.retrieve(order_id), Options(timeout, max_retries))

    async def skip_subscription(
        self,
        order_id: str,
        subscription_id: str,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Take one subscription out of this order; Ordergroove generates that subscription's next order."""
        call = orders.skip_subscription(order_id, subscription_id)
        return await self._sender.send(call, Options(timeout, max_retries))

    async def cancel(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Skip the whole order; the next order of each of its subscriptions is generated."""
        return await self._sender.send(orders.cancel(order_id), Options(timeout, max_retries))

    async def send_now(self, order_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Order:
        """Place the order now instead of on its date."""
        return await self._sender.send(orders.send_now(order_id), Options(timeout, max_retries))

    async def change_place_date(
        self,
        order_id: str,
        place: dt.date | dt.datetime,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Order:
        """Move the order: a date means midnight; a naive datetime is sent as given."""
        return await self._sender.send(orders.change_place_date(order_id, place), Options(timeout, max_retries))


class AsyncItems(AsyncResource):
    def list(
        self,
        *,
        order: str | None = None,
        subscription: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Item]:
        return self._sender.pager(items.list_(order, subscription, page_size), Options(timeout, max_retries))

    async def retrieve(self, item_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Item:
        return await self._sender.send(items.retrieve(item_id), Options(timeout, max_retries))


class AsyncProducts(AsyncResource):
    def list(
        self,
        *,
        external_product_ids: Sequence[str] | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Product]:
        return self._sender.pager(products.list_(external_product_ids, page_size), Options(timeout, max_retries))

    async def retrieve(
        self, product_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Product:
        """One product by the merchant's ``external_product_id``."""
        return await self._sender.send(products.retrieve(product_id), Options(timeout, max_retries))

    async def batch_create(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[BatchResult]:
        """Create products (mappings of products-batch fields, or ``og.feed.FeedProduct``), 100 per request.

        Returns one :class:`~ordergroove.BatchResult` per product, in the order given.
        """
        return await self._batch(_batch_calls("create", products, force_all_fields), Options(timeout, max_retries))

    async def batch_update(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[BatchResult]:
        """Update products, 100 per request (``force_all_fields=False``: only the fields given are required)."""
        return await self._batch(_batch_calls("update", products, force_all_fields), Options(timeout, max_retries))

    async def _batch(
        self, calls: builtins.list[Call[builtins.list[BatchResult]]], options: Options
    ) -> builtins.list[BatchResult]:
        results: builtins.list[BatchResult] = []
        for call in calls:
            chunk = await self._sender.send(call, options)
            results.extend(chunk)
        return results


# The parameter `products` of batch_create/batch_update hides the module of the same name in their bodies.
_batch_calls = products.batch_calls


class AsyncAddresses(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Address]:
        return self._sender.pager(addresses.list_(customer, page_size), Options(timeout, max_retries))

    async def retrieve(
        self, address_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Address:
        return await self._sender.send(addresses.retrieve(address_id), Options(timeout, max_retries))


class AsyncPayments(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Payment]:
        return self._sender.pager(payments.list_(customer, page_size), Options(timeout, max_retries))

    async def retrieve(
        self, payment_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Payment:
        return await self._sender.send(payments.retrieve(payment_id), Options(timeout, max_retries))


class AsyncMerchant(AsyncResource):
    async def cancel_reasons(
        self, *, timeout: float | None = None, max_retries: int | None = None
    ) -> builtins.list[CancelReason]:
        """The cancel reasons the merchant accepts (``.label`` is the standard text for a standard code)."""
        return await self._sender.send(merchant.cancel_reasons(), Options(timeout, max_retries))


class AsyncCheckout(AsyncResource):
    async def purchase_post(
        self,
        request: PurchaseRequest | Mapping[str, Any],
        *,
        hash_key: str | None = None,
        encoding: checkout.Encoding = "whole",
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> PurchaseReceipt:
        """Send one checkout's Purchase POST; returns Ordergroove's receipt (``subs_req_id``).

        With ``hash_key`` the card fields are taken as plain and encrypted; without it they must already be
        encrypted. Timeout: 5 s unless given (or the client's, when shorter). 207, 400, 401, 403 and 409 raise
        :class:`~ordergroove.errors.PurchaseError` subclasses; a 409 (order id already received) is never retried.
        """
        call = checkout.purchase_post(self._sender.checkout_url, request, hash_key, encoding)
        return await self._sender.send(call, checkout.purchase_options(self._sender.timeout, timeout, max_retries))

    async def purchase_status(
        self, subs_req_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> PurchaseStatus:
        """What came of a Purchase POST: ``.pending`` while Ordergroove processes it; 404 is NotFoundError."""
        call = checkout.purchase_status(self._sender.checkout_url, subs_req_id)
        return await self._sender.send(call, Options(timeout, max_retries))
