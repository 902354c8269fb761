from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from .._call import MAX_PAGE_SIZE, Call, Params, path, segment
from .._export import ExportProgress, ExportResult, export_async, export_sync
from .._page import Page
from ..domain import summarize
from ..errors import ConfigurationError
from ..models import ContactDetails, Customer, CustomerSummary
from ..models._convert import decode
from ..pagination import AsyncPager, SyncPager
from ._base import AsyncResource, SyncResource, list_call, retrieve_call


def _list(email: str | None) -> Call[Page[Customer]]:
    # Pages of 100 like every other list (Ordergroove's default is 10).
    return list_call(Customer, "customers", Params().text("email", email).page_size(MAX_PAGE_SIZE).items())


def _set_contact_details(customer_id: str, email: str, phone_number: str) -> Call[ContactDetails]:
    for name, value in (("email", email), ("phone_number", phone_number)):
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"{name} is required and must be a non-empty string, got {value!r}")
    if "@" not in email:
        raise ConfigurationError(f"email {email!r} is not an email address")
    return Call(
        "PATCH",
        # One of the two paths Ordergroove serves without a trailing slash.
        path("customers", segment("customer_id", customer_id), "set_contact_details", trailing_slash=False),
        decode=partial(decode, ContactDetails),
        json={"email": email, "phone_number": phone_number},
        has_body=True,
    )


class Customers(SyncResource):
    def retrieve(self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None) -> Customer:
        """One customer by the merchant's id (``merchant_user_id``)."""
        return self._send(retrieve_call(Customer, "customers", "customer_id", customer_id), timeout, max_retries)

    def list(
        self, *, email: str | None = None, timeout: float | None = None, max_retries: int | None = None
    ) -> SyncPager[Customer]:
        return self._pager(_list(email), timeout, max_retries)

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        email: str | None = None,
        resume: bool = False,
        progress: Callable[[ExportProgress], None] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ExportResult:
        """Stream every matching customer to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        return export_sync(self, "customers", _list(email), path, resume, progress, timeout, max_retries)

    def set_contact_details(
        self,
        customer_id: str,
        *,
        email: str,
        phone_number: str,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ContactDetails:
        """Update the email and phone number Ordergroove holds (call it when a shopper changes them)."""
        return self._send(_set_contact_details(customer_id, email, phone_number), timeout, max_retries)

    def summary(
        self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> CustomerSummary:
        """Subscriptions and orders at a glance: two list calls, whatever the number of subscriptions."""
        from .orders import Orders
        from .subscriptions import Subscriptions

        segment("customer_id", customer_id)
        subscriptions = Subscriptions(self._client).list(customer=customer_id, timeout=timeout, max_retries=max_retries)
        orders = Orders(self._client).list(customer=customer_id, timeout=timeout, max_retries=max_retries)
        return summarize(customer_id, subscriptions, orders)


class AsyncCustomers(AsyncResource):
    async def retrieve(
        self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> Customer:
        """One customer by the merchant's id (``merchant_user_id``)."""
        return await self._send(retrieve_call(Customer, "customers", "customer_id", customer_id), timeout, max_retries)

    def list(
        self, *, email: str | None = None, timeout: float | None = None, max_retries: int | None = None
    ) -> AsyncPager[Customer]:
        return self._pager(_list(email), timeout, max_retries)

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        email: str | None = None,
        resume: bool = False,
        progress: Callable[[ExportProgress], None] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> ExportResult:
        """Stream every matching customer to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        return await export_async(self, "customers", _list(email), path, resume, progress, timeout, max_retries)

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
        return await self._send(_set_contact_details(customer_id, email, phone_number), timeout, max_retries)

    async def summary(
        self, customer_id: str, *, timeout: float | None = None, max_retries: int | None = None
    ) -> CustomerSummary:
        """Subscriptions and orders at a glance; the two lists are fetched concurrently."""
        import asyncio  # here, not at the top: the sync client does not load asyncio

        from .orders import AsyncOrders
        from .subscriptions import AsyncSubscriptions

        segment("customer_id", customer_id)
        subscriptions, orders = await asyncio.gather(
            AsyncSubscriptions(self._client)
            .list(customer=customer_id, timeout=timeout, max_retries=max_retries)
            .to_list(),
            AsyncOrders(self._client).list(customer=customer_id, timeout=timeout, max_retries=max_retries).to_list(),
        )
        return summarize(customer_id, subscriptions, orders)
