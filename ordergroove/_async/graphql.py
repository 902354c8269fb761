"""``client.graphql``: Ordergroove's read-only GraphQL API, raw (``query``, ``paginate``) and typed (``subscription``,
``orders`` ...). Written once; the sync resource is generated from this file. The calls are in ``_calls/graphql.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from .._call import ExtraBody, ExtraHeaders, ExtraQuery, Options
from .._calls import graphql
from ..graphql import Order, Subscription
from ..models import OrderStatus
from .pager import AsyncPager

if TYPE_CHECKING:
    from .client import AsyncSender


class AsyncGraphQL:
    """Queries on ``POST /graphql/<version>/`` (the client's ``graphql_version``). An answer with ``errors`` raises
    ``og.GraphQLError``; an error status raises as on REST. Queries change nothing: every failure is retried."""

    def __init__(self, sender: AsyncSender) -> None:
        self._sender = sender

    async def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> dict[str, Any]:
        """Run one query document and return its ``data``."""
        call = graphql.query(self._sender.graphql_version, query, variables)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    def paginate(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        connection: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[dict[str, Any]]:
        """Every node of the connection ``connection`` (a field of ``data``, dotted for a nested one), page after
        page: the query must select ``pageInfo { hasNextPage endCursor }`` and take ``$after``."""
        call = graphql.paginate(self._sender.graphql_version, query, variables, connection)
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def subscription(
        self,
        public_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription | None:
        """One subscription with its product, customer, address and payment; None when there is none by that id."""
        call = graphql.subscription(self._sender.graphql_version, public_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    def subscriptions(
        self,
        *,
        customer: str | None = None,
        live: bool | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Subscription]:
        """Subscriptions (of ``customer``, the merchant's id for them; ``live`` needs a customer scope)."""
        call = graphql.subscriptions(self._sender.graphql_version, customer, live, page_size)
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def order(
        self,
        public_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order | None:
        """One order with its customer, address, payment and items; None when there is none by that id."""
        call = graphql.order(self._sender.graphql_version, public_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    def orders(
        self,
        *,
        customer: str | None = None,
        status: OrderStatus | int | Sequence[OrderStatus | int] | None = None,
        subscription: str | None = None,
        place: dt.date | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
        include_prepaid_orders: bool | None = None,
        in_stock: bool | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Order]:
        """Orders with their items, filtered as the ``orders`` root field is; ``in_stock`` is newer (it may be
        refused by a ``2026-01`` server)."""
        call = graphql.orders(
            self._sender.graphql_version,
            customer=customer,
            status=status,
            subscription=subscription,
            place=place,
            place_start=place_start,
            place_end=place_end,
            include_prepaid_orders=include_prepaid_orders,
            in_stock=in_stock,
            page_size=page_size,
        )
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))
