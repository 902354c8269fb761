"""The read-only resources: items, products, addresses, payments, and the merchant's cancel reasons."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._call import Call, Params
from .._page import Page
from ..errors import ResponseDecodeError
from ..models import Address, BatchResult, CancelReason, Item, Payment, Product
from ..models._convert import decode_list
from ..pagination import AsyncPager, SyncPager
from ._base import AsyncResource, SyncResource, list_call, retrieve_call
from ._batch import BatchKind, batch_calls

if TYPE_CHECKING:
    from ..feed import FeedProduct


def _items(order: str | None, subscription: str | None, page_size: int) -> Call[Page[Item]]:
    params = Params().id("order", order).id("subscription", subscription).page_size(page_size)
    return list_call(Item, "items", params.items())


def _products(external_product_ids: Sequence[str] | None, page_size: int) -> Call[Page[Product]]:
    params = Params().ids("external_product_ids[]", external_product_ids).page_size(page_size)
    return list_call(Product, "products", params.items())


def _by_customer(model: type[Any], collection: str, customer: str | None, page_size: int) -> Call[Page[Any]]:
    return list_call(model, collection, Params().id("customer", customer).page_size(page_size).items())


def _decode_cancel_reasons(body: Any) -> list[CancelReason]:
    if not isinstance(body, dict) or "results" not in body:
        raise ResponseDecodeError("expected a JSON object with a 'results' list of cancel reasons")
    return decode_list(CancelReason, body["results"])


_CANCEL_REASONS: Call[list[CancelReason]] = Call("GET", "/merchant/cancel_reason/", decode=_decode_cancel_reasons)


class Items(SyncResource):
    def list(
        self,
        *,
        order: str | None = None,
        subscription: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Item]:
        return self._pager(_items(order, subscription, page_size), timeout, max_retries)

    def retrieve(self, item_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Item:
        return self._send(retrieve_call(Item, "items", "item_id", item_id), timeout, max_retries)


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
        return self._pager(_items(order, subscription, page_size), timeout, max_retries)

    async def retrieve(self, item_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Item:
        return await self._send(retrieve_call(Item, "items", "item_id", item_id), timeout, max_retries)


class Products(SyncResource):
    def list(
        self,
        *,
        external_product_ids: Sequence[str] | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Product]:
        return self._pager(_products(external_product_ids, page_size), timeout, max_retries)

    def retrieve(self, product_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Product:
        """One product by the merchant's ``external_product_id``."""
        return self._send(retrieve_call(Product, "products", "product_id", product_id), timeout, max_retries)

    def batch_create(
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
        return self._batch("create", products, force_all_fields, timeout, max_retries)

    def batch_update(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[BatchResult]:
        """Update products, 100 per request (``force_all_fields=False``: only the fields given are required)."""
        return self._batch("update", products, force_all_fields, timeout, max_retries)

    def _batch(
        self,
        kind: BatchKind,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        force_all_fields: bool | None,
        timeout: float | None,
        max_retries: int | None,
    ) -> builtins.list[BatchResult]:
        results: builtins.list[BatchResult] = []
        for call in batch_calls(kind, products, force_all_fields):
            chunk: builtins.list[BatchResult] = self._send(call, timeout, max_retries)
            results.extend(chunk)
        return results


class AsyncProducts(AsyncResource):
    def list(
        self,
        *,
        external_product_ids: Sequence[str] | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Product]:
        return self._pager(_products(external_product_ids, page_size), timeout, max_retries)

    async def retrieve(
        self, product_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Product:
        """One product by the merchant's ``external_product_id``."""
        call = retrieve_call(Product, "products", "product_id", product_id)
        return await self._send(call, timeout, max_retries)

    async def batch_create(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[BatchResult]:
        """Create products, 100 per request; one result per product, in the order given."""
        return await self._batch("create", products, force_all_fields, timeout, max_retries)

    async def batch_update(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[BatchResult]:
        """Update products, 100 per request (``force_all_fields=False``: only the fields given are required)."""
        return await self._batch("update", products, force_all_fields, timeout, max_retries)

    async def _batch(
        self,
        kind: BatchKind,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        force_all_fields: bool | None,
        timeout: float | None,
        max_retries: int | None,
    ) -> builtins.list[BatchResult]:
        results: builtins.list[BatchResult] = []
        for call in batch_calls(kind, products, force_all_fields):
            chunk: builtins.list[BatchResult] = await self._send(call, timeout, max_retries)
            results.extend(chunk)
        return results


class Addresses(SyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Address]:
        return self._pager(_by_customer(Address, "addresses", customer, page_size), timeout, max_retries)

    def retrieve(self, address_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Address:
        return self._send(retrieve_call(Address, "addresses", "address_id", address_id), timeout, max_retries)


class AsyncAddresses(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Address]:
        return self._pager(_by_customer(Address, "addresses", customer, page_size), timeout, max_retries)

    async def retrieve(
        self, address_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Address:
        call = retrieve_call(Address, "addresses", "address_id", address_id)
        return await self._send(call, timeout, max_retries)


class Payments(SyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> SyncPager[Payment]:
        return self._pager(_by_customer(Payment, "payments", customer, page_size), timeout, max_retries)

    def retrieve(self, payment_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Payment:
        return self._send(retrieve_call(Payment, "payments", "payment_id", payment_id), timeout, max_retries)


class AsyncPayments(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncPager[Payment]:
        return self._pager(_by_customer(Payment, "payments", customer, page_size), timeout, max_retries)

    async def retrieve(
        self, payment_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Payment:
        call = retrieve_call(Payment, "payments", "payment_id", payment_id)
        return await self._send(call, timeout, max_retries)


class Merchant(SyncResource):
    def cancel_reasons(self, *, timeout: float | None = None, max_retries: int | None = None) -> list[CancelReason]:
        """The cancel reasons the merchant accepts (``.label`` is the standard text for a standard code)."""
        return self._send(_CANCEL_REASONS, timeout, max_retries)


class AsyncMerchant(AsyncResource):
    async def cancel_reasons(
        self, *, timeout: float | None = None, max_retries: int | None = None
    ) -> list[CancelReason]:
        """The cancel reasons the merchant accepts (``.label`` is the standard text for a standard code)."""
        return await self._send(_CANCEL_REASONS, timeout, max_retries)
