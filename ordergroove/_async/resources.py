"""The resources: each method hands the call its module in ``_calls/`` describes to the sender, with one options
value. Written once; the sync resources are generated from this file.

Adding an endpoint: a function in ``_calls/<resource>.py`` that checks the arguments and returns the ``Call``, then
one method here, then ``python scripts/generate_sync.py``. See docs/design.md.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx

from .. import _io
from .._call import ExtraBody, ExtraHeaders, ExtraQuery, Options
from .._calls import (
    addresses,
    cart,
    checkout,
    customers,
    entitlements,
    items,
    merchant,
    offer_profiles,
    one_click,
    one_time_incentives,
    orders,
    payments,
    product_groups,
    products,
    resources,
    subscriptions,
)
from .._calls._base import Components
from .._calls.subscriptions import RenewalBehavior
from .._export import ExportResult, Progress
from ..domain import pick_next_order, summarize
from ..errors import OrdergrooveError
from ..models import (
    Address,
    BatchResult,
    CancelReason,
    CartItem,
    Component,
    ContactDetails,
    Customer,
    CustomerPatchResult,
    CustomerSummary,
    Entitlement,
    FinalizePlacementResult,
    GroupCheck,
    Item,
    OfferProfile,
    OneTimeIncentive,
    Order,
    OrderStatus,
    Payment,
    Period,
    Product,
    ProductGroup,
    ProductRelationship,
    PurchaseReceipt,
    PurchaseRequest,
    PurchaseStatus,
    ResourceGrant,
    RotationOrdinalContext,
    RotationOrdinalUpdate,
    SelectionRule,
    Subscription,
)

# The model: the name Resource is this module's base class (Resource in the generated sync module).
from ..models import Resource as ResourceModel
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
        self,
        customer_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Customer:
        """One customer by the merchant's id (``merchant_user_id``)."""
        return await self._sender.send(
            customers.retrieve(customer_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    def list(
        self,
        *,
        email: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Customer]:
        return self._sender.pager(
            customers.list_(email, page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        email: str | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Progress = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ExportResult:
        """Stream every matching customer to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        call = customers.list_(email, page_size)
        return await export(
            self._sender,
            "customers",
            call,
            path,
            resume,
            progress,
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def set_contact_details(
        self,
        customer_id: str,
        /,
        *,
        email: str,
        phone_number: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ContactDetails:
        """Update the email and phone number Ordergroove holds (call it when a shopper changes them). Retry-safe."""
        call = customers.set_contact_details(customer_id, email, phone_number)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def summary(
        self,
        customer_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> CustomerSummary:
        """Subscriptions and orders at a glance: two list calls, whatever the number of subscriptions (on the async
        client, fetched concurrently)."""
        subscriptions_call, orders_call = customers.summary(customer_id)
        options = Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        subscriptions_of, orders_of = await _io.async_both(
            self._sender.pager(subscriptions_call, options).to_list(progress=False),
            self._sender.pager(orders_call, options).to_list(progress=False),
        )
        return summarize(customer_id, subscriptions_of, orders_of)

    async def create(
        self,
        *,
        merchant: str,
        merchant_user_id: str,
        session_id: str,
        user_token_id: str,
        first_name: str,
        last_name: str,
        email: str,
        phone_number: str,
        phone_type: str,
        live: bool,
        created: dt.datetime,
        last_updated: dt.datetime,
        last_login: dt.datetime,
        locale: int | str,
        extra_data: Mapping[str, Any] | str | None = None,
        experiences: Mapping[str, Any] | str | None = None,
        price_code: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Customer:
        """Create a customer account. ``phone_type`` by name (``"mobile"``...); the datetimes naive, in Ordergroove's
        time; ``extra_data`` / ``experiences`` a mapping or a string of JSON.

        Never re-sent once it may have reached Ordergroove (a failure then raises with ``request_sent=True``).
        """
        call = customers.create(
            merchant,
            merchant_user_id,
            session_id,
            user_token_id,
            first_name,
            last_name,
            email,
            phone_number,
            phone_type,
            live,
            created,
            last_updated,
            last_login,
            locale,
            extra_data,
            experiences,
            price_code,
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update(
        self,
        customer_id: str,
        /,
        *,
        extra_data: Mapping[str, Any] | str | None = None,
        locale: str | None = None,
        price_code: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> CustomerPatchResult:
        """Set the customer's ``extra_data``, ``locale`` or ``price_code`` (at least one); returns the three.
        Retry-safe."""
        call = customers.update(customer_id, extra_data, locale, price_code)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncSubscriptions(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        product: str | None = None,
        shipping_address: str | None = None,
        live: bool | None = None,
        created: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Subscription]:
        """Every matching subscription; a key without Bulk Operations must filter by ``customer``."""
        call = subscriptions.list_(
            customer=customer,
            product=product,
            shipping_address=shipping_address,
            live=live,
            created=created,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            page_size=page_size,
        )
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        product: str | None = None,
        shipping_address: str | None = None,
        live: bool | None = None,
        created: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Progress = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ExportResult:
        """Stream every matching subscription to ``path`` as JSON Lines (one record as received per line).

        Resumable: after an interruption, the same call with ``resume=True`` continues from the last page written
        (``FILE.cursor`` beside the file says where), with no record lost or written twice.
        """
        call = subscriptions.list_(
            customer=customer,
            product=product,
            shipping_address=shipping_address,
            live=live,
            created=created,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            page_size=page_size,
        )
        options = Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        return await export(self._sender, "subscriptions", call, path, resume, progress, options)

    async def retrieve(
        self,
        subscription_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        return await self._sender.send(
            subscriptions.retrieve(subscription_id),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def cancel(
        self,
        subscription_id: str,
        /,
        *,
        reason_code: int | CancelReason | None = None,
        reason_details: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Cancel a live subscription, optionally with a cancel reason code (see ``merchant.cancel_reasons()``)."""
        call = subscriptions.cancel(subscription_id, reason_code, reason_details)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def reactivate(
        self,
        subscription_id: str,
        /,
        *,
        every: int,
        every_period: Period | int,
        start_date: dt.date,
        next_order_date: dt.date | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Reactivate a canceled subscription with a frequency and a start date."""
        call = subscriptions.reactivate(subscription_id, every, every_period, start_date, next_order_date)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_quantity(
        self,
        subscription_id: str,
        /,
        quantity: int,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        call = subscriptions.change_quantity(subscription_id, quantity)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_frequency(
        self,
        subscription_id: str,
        /,
        *,
        every: int,
        every_period: Period | int,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        call = subscriptions.change_frequency(subscription_id, every, every_period)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_next_order_date(
        self,
        subscription_id: str,
        /,
        order_date: dt.date,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        call = subscriptions.change_next_order_date(subscription_id, order_date)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_shipping_address(
        self,
        subscription_id: str,
        /,
        *,
        shipping_address: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Ship the subscription's next orders to another address of the customer (its public id)."""
        call = subscriptions.change_shipping_address(subscription_id, shipping_address)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_payment(
        self,
        subscription_id: str,
        /,
        *,
        payment: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Charge the subscription's next orders to another payment record of the customer (its public id).

        Retry-safe. The body field's name, ``payment``, is unconfirmed by the reference (the order-level call takes
        ``payment``).
        """
        call = subscriptions.change_payment(subscription_id, payment)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_email_reminder(
        self,
        subscription_id: str,
        /,
        *,
        reminder_days: int,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Send the reminder e-mail ``reminder_days`` days before each order is placed (at least 5). Retry-safe."""
        call = subscriptions.change_email_reminder(subscription_id, reminder_days)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update(
        self,
        subscription_id: str,
        /,
        *,
        extra_data: Mapping[str, Any] | str | None = None,
        price: Decimal | int | None = None,
        components: Components | None = None,
        offer: str | None = None,
        cancel_reason: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Set some of the subscription's fields (at least one); the others are not sent. Retry-safe.

        ``extra_data``: a mapping (sent as a string holding JSON) or such a string. ``price`` locks the price
        (``Decimal("0.00")`` allowed). ``components``: legacy bundle contents, product ids (or ``og.Component``).
        ``offer``: an offer's public id. ``cancel_reason``: ``"code|details"`` as Ordergroove stores it.
        """
        call = subscriptions.update(subscription_id, extra_data, price, components, offer, cancel_reason)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def create_in_order(
        self,
        *,
        merchant: str,
        customer: str,
        product: str,
        offer: str,
        order: str,
        session_id: str,
        payment: str,
        shipping_address: str,
        quantity: int,
        every: int,
        every_period: Period | int,
        price: Decimal | int | None = None,
        extra_data: Mapping[str, Any] | str | None = None,
        components: Components | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Create a subscription whose first shipment rides in an existing unsent order (an impulse upsell).

        Not retry-safe: each call creates a subscription, so it is never sent again after it may have reached
        Ordergroove (an ambiguous failure raises with ``request_sent=True``: list the customer's subscriptions before
        trying again). ``merchant``: the merchant's public id; ``session_id``: the shopper's ``og_session_id`` cookie.
        """
        call = subscriptions.create_in_order(
            merchant,
            customer,
            product,
            offer,
            order,
            session_id,
            payment,
            shipping_address,
            quantity,
            every,
            every_period,
            price,
            extra_data,
            components,
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def create_from_item(
        self,
        *,
        item: str,
        every: int | None = None,
        every_period: Period | int | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Make a subscription of an order's item (its public id), every ``every`` ``every_period`` (default: the
        product's). Not retry-safe: each call creates a subscription.

        The reference publishes no request schema for this call: the body ``{"item", "every", "every_period"}`` is
        the library's reading (unconfirmed).
        """
        call = subscriptions.create_from_item(item, every, every_period)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_product(
        self,
        subscription_public_id: str,
        /,
        *,
        product: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Swap the subscription to another product (its external id, already in Ordergroove). Retry-safe."""
        call = subscriptions.change_product(subscription_public_id, product)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def retrieve_rotation_ordinal(
        self,
        subscription_id: str,
        product_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> RotationOrdinalContext:
        """Where the subscription stands in the cycle of a rotating product (its external id)."""
        call = subscriptions.retrieve_rotation_ordinal(subscription_id, product_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def set_rotation_ordinal(
        self,
        subscription_id: str,
        /,
        *,
        rotating_product: str,
        ordinal: int | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> RotationOrdinalUpdate:
        """Set where the subscription stands in a rotating product's cycle (``ordinal`` >= 1). Retry-safe.
        Application scope only."""
        call = subscriptions.set_rotation_ordinal(subscription_id, rotating_product, ordinal)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update_prepaid_context(
        self,
        subscription_id: str,
        /,
        *,
        orders_remaining: int | None = None,
        orders_per_billing: int | None = None,
        renewal_behavior: RenewalBehavior | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Set a prepaid subscription's shipments left, shipments per charge and renewal behaviour (at least one).

        With no shipment left, ``"cancel"`` cancels the subscription and ``"downgrade"`` makes it pay-as-you-go: a
        call that may do so (unless it sets ``orders_remaining`` above 0 or ``renewal_behavior="autorenew"``) is
        never sent again after it may have reached Ordergroove; any other is retry-safe. A
        storefront signature may change ``renewal_behavior`` only. The fields' types and requiredness are
        unconfirmed by the reference: whole numbers, each optional.
        """
        call = subscriptions.update_prepaid_context(
            subscription_id, orders_remaining, orders_per_billing, renewal_behavior
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_renewal_behavior(
        self,
        subscription_id: str,
        /,
        *,
        renewal_behavior: RenewalBehavior,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """What a prepaid subscription does when its prepaid shipments run out: ``"autorenew"``, ``"cancel"`` or
        ``"downgrade"``. Retry-safe."""
        call = subscriptions.change_renewal_behavior(subscription_id, renewal_behavior)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def upgrade_to_prepaid(
        self,
        subscription_id: str,
        /,
        *,
        orders_per_billing: int,
        renewal_behavior: RenewalBehavior | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Make a live subscription prepaid, ``orders_per_billing`` (2 or more) shipments per charge; its next order
        becomes the renewal that charges the whole cycle.

        Not retry-safe: a repeat is refused (already prepaid), so it is never sent again after it may have reached
        Ordergroove.
        """
        call = subscriptions.upgrade_to_prepaid(subscription_id, orders_per_billing, renewal_behavior)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def retrieve_component(
        self,
        component_public_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Component:
        """One component of a bundle subscription."""
        call = subscriptions.retrieve_component(component_public_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update_components(
        self,
        subscription_public_id: str,
        /,
        *,
        create: Components | None = None,
        update: Components | None = None,
        delete: Sequence[str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Subscription:
        """Add, change and remove a bundle subscription's components in one atomic call (at least one list).

        ``create``: ``og.Component(product=..., quantity=...)`` (or a product id, or a mapping); ``update``:
        ``og.Component(public_id=..., quantity=...)`` (a component read back, with a new quantity, works);
        ``delete``: component public ids. Not retry-safe: ``create`` adds components each time. The shapes of the
        ``update`` and ``delete`` elements and the answer (the subscription) are unconfirmed by the reference.
        """
        call = subscriptions.update_components(subscription_public_id, create, update, delete)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def skip_next_order(
        self,
        subscription_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Skip the subscription's next unsent order; returns the order it was skipped from.

        The order is looked up once. Whatever fails afterwards, only that order is ever sent the skip, and
        only when the server certainly did not act on an earlier try: a second order is never skipped.
        """
        options = Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        upcoming = await self._sender.pager(subscriptions.upcoming_orders(subscription_id), options).to_list(
            progress=False
        )
        order = pick_next_order(subscription_id, upcoming)
        return await self._sender.send(orders.skip_subscription(order.public_id, subscription_id), options)


class AsyncOrders(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place: dt.date | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
        created: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        include_has_plan: bool | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Order]:
        call = orders.list_(
            customer=customer,
            subscription=subscription,
            status=status,
            place=place,
            place_start=place_start,
            place_end=place_end,
            created=created,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            include_has_plan=include_has_plan,
            page_size=page_size,
        )
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        customer: str | None = None,
        subscription: str | None = None,
        status: OrderStatus | int | None = None,
        place: dt.date | None = None,
        place_start: dt.date | None = None,
        place_end: dt.date | None = None,
        created: dt.date | None = None,
        created_start: dt.date | None = None,
        created_end: dt.date | None = None,
        updated_start: dt.date | dt.datetime | None = None,
        updated_end: dt.date | dt.datetime | None = None,
        include_has_plan: bool | None = None,
        page_size: int = 100,
        resume: bool = False,
        progress: Progress = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ExportResult:
        """Stream every matching order to ``path`` as JSON Lines; ``resume=True`` continues an interrupted export."""
        call = orders.list_(
            customer=customer,
            subscription=subscription,
            status=status,
            place=place,
            place_start=place_start,
            place_end=place_end,
            created=created,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            include_has_plan=include_has_plan,
            page_size=page_size,
        )
        return await export(
            self._sender,
            "orders",
            call,
            path,
            resume,
            progress,
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def retrieve(
        self,
        order_id: str,
        /,
        *,
        include_has_plan: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """One order; ``include_has_plan=True`` adds ``has_plan``."""
        return await self._sender.send(
            orders.retrieve(order_id, include_has_plan),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def skip_subscription(
        self,
        order_id: str,
        /,
        subscription_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Take one subscription out of this order; Ordergroove generates that subscription's next order."""
        call = orders.skip_subscription(order_id, subscription_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def cancel(
        self,
        order_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Skip the whole order; the next order of each of its subscriptions is generated."""
        return await self._sender.send(
            orders.cancel(order_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def send_now(
        self,
        order_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Place the order now instead of on its date."""
        return await self._sender.send(
            orders.send_now(order_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def change_place_date(
        self,
        order_id: str,
        /,
        place: dt.date | dt.datetime,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Move the order: a date means midnight; a naive datetime is sent as given."""
        return await self._sender.send(
            orders.change_place_date(order_id, place),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def change_shipping_address(
        self,
        order_id: str,
        /,
        *,
        shipping_address: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Ship this order to another address of the customer (its public id). Retry-safe.

        The body field's name, ``shipping_address``, is unconfirmed by the reference (the subscription-level call
        takes ``shipping_address``).
        """
        call = orders.change_shipping_address(order_id, shipping_address)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_payment(
        self,
        order_id: str,
        /,
        *,
        payment: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Charge this order to another payment record of the customer (its public id). Retry-safe."""
        return await self._sender.send(
            orders.change_payment(order_id, payment),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def update(
        self,
        order_id: str,
        /,
        *,
        extra_data: Mapping[str, Any] | str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Order:
        """Set the order's ``extra_data`` (a mapping, sent as a string holding JSON, or such a string); nothing else
        changes. Retry-safe. Application scope only."""
        return await self._sender.send(
            orders.update(order_id, extra_data), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def finalize_placement(
        self,
        order_id: str,
        /,
        *,
        response_xml: str,
        idempotency_key: str,
        processing_response_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> FinalizePlacementResult:
        """Finish placing an order whose placement answered PROCESSING, with the final placement response (XML).

        Not retry-safe for the client: after an ambiguous failure it raises with ``request_sent=True``; calling
        again with the same ``idempotency_key`` is then harmless (Ordergroove answers it as the first). A refusal
        is a ``BadRequestError`` whose body is a :class:`~ordergroove.FinalizePlacementResult` (``error_code``,
        ``retry``). Unconfirmed by the reference: the method (PATCH; one page says POST) and which fields are
        required (``response_xml`` and ``idempotency_key`` here). Application scope only.
        """
        call = orders.finalize_placement(order_id, response_xml, idempotency_key, processing_response_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncItems(AsyncResource):
    def list(
        self,
        *,
        order: str | None = None,
        subscription: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Item]:
        return self._sender.pager(
            items.list_(order, subscription, page_size),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def retrieve(
        self,
        item_id: str,
        /,
        *,
        omit_price_calculation: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """One item; ``omit_price_calculation=True`` leaves ``price``, ``extra_cost`` and ``total_price`` out (faster),
        so they read None."""
        call = items.retrieve(item_id, omit_price_calculation)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def change_quantity(
        self,
        item_id: str,
        /,
        *,
        quantity: int,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Set how many units of this item the order holds. Retry-safe."""
        return await self._sender.send(
            items.change_quantity(item_id, quantity),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def change_price(
        self,
        item_id: str,
        /,
        *,
        price: Decimal | int,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Set the item's price; the item becomes ``frozen`` (later repricing leaves it alone). Retry-safe.
        Application scope only."""
        return await self._sender.send(
            items.change_price(item_id, price), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def create(
        self,
        *,
        merchant_id: str,
        customer_id: str,
        shipping_id: str,
        payment_id: str,
        offer_id: str,
        product_id: str,
        place_date: dt.date,
        quantity: int,
        contexts: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Add a one-time item to the customer's order placed on ``place_date`` with this address and payment
        (Ordergroove creates the order when there is none).

        Not retry-safe: each call adds an item, so it is never sent again after it may have reached Ordergroove.
        ``place_date`` is sent as ``MM/DD/YYYY``, as this call takes it.
        """
        call = items.create(
            merchant_id, customer_id, shipping_id, payment_id, offer_id, product_id, place_date, quantity, contexts
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def create_in_order(
        self,
        *,
        order: str,
        offer: str,
        product: str,
        quantity: int,
        contexts: Mapping[str, Any] | None = None,
        components: Components | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Add a one-time item (an impulse upsell) to an unsent order. Not retry-safe: each call adds an item.

        ``components``: product ids, ``og.Component`` or mappings; their element fields are unconfirmed by the
        reference (``{product, quantity}``, or the legacy ``{product}``).
        """
        call = items.create_in_order(order, offer, product, quantity, contexts, components)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def delete(
        self,
        item_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> None:
        """Remove the item from its order (an order left empty is cancelled).

        Not retry-safe: a repeat answers 404. The reference documents no answer (200 or 204, unconfirmed): either
        returns None.
        """
        await self._sender.send(
            items.delete(item_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def update(
        self,
        item_id: str,
        /,
        *,
        components: str | Sequence[str],
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Set the item's legacy bundle components; nothing else changes. Retry-safe. Application scope only.

        The text form the call takes is unconfirmed by the reference: a string is sent as given, a list of product
        ids comma-separated (``"product_id_1,product_id_2"``, the form they read back in).
        """
        return await self._sender.send(
            items.update(item_id, components), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def change_product(
        self,
        item_id: str,
        /,
        *,
        product: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Item:
        """Make this order item another product (its external id). Retry-safe."""
        return await self._sender.send(
            items.change_product(item_id, product),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )


class AsyncProducts(AsyncResource):
    def list(
        self,
        *,
        external_product_ids: Sequence[str] | None = None,
        include_product_selection_rules: bool | None = None,
        include_product_resource_grants: bool | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Product]:
        """Every product (or those of ``external_product_ids``); ``include_product_selection_rules=True`` adds
        ``product_selection_rules``, ``include_product_resource_grants=True`` the resource grants (under a key
        the reference does not name: they land in the product's ``extra``)."""
        call = products.list_(
            external_product_ids, include_product_selection_rules, include_product_resource_grants, page_size
        )
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def retrieve(
        self,
        product_id: str,
        /,
        *,
        include_product_selection_rules: bool | None = None,
        include_product_free_trials: bool | None = None,
        include_product_resource_grants: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Product:
        """One product by the merchant's ``external_product_id``. The ``include_product_*`` flags add what they
        name (``product_selection_rules``; the free trials and resource grants under keys the reference leaves
        unconfirmed, so they land in ``extra``; ``include_product_resource_grants`` on retrieve is itself
        unconfirmed)."""
        call = products.retrieve(
            product_id, include_product_selection_rules, include_product_free_trials, include_product_resource_grants
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def batch_create(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[BatchResult]:
        """Create products (mappings of products-batch fields, or ``og.feed.FeedProduct``), 100 per request.

        Returns one :class:`~ordergroove.BatchResult` per product, in the order given. A request that fails raises
        :class:`~ordergroove.BatchError`: the results of the requests before it, and which products were not applied
        or are of unknown outcome (never re-sent after an ambiguous failure).
        """
        return await self._batch(
            _batch_calls("create", products, force_all_fields),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def batch_update(
        self,
        products: Iterable[Mapping[str, Any] | FeedProduct],
        *,
        force_all_fields: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[BatchResult]:
        """Update products, 100 per request (``force_all_fields=False``: only the fields given are required).

        Results and failures as for :meth:`batch_create` (a failed request raises :class:`~ordergroove.BatchError`).
        """
        return await self._batch(
            _batch_calls("update", products, force_all_fields),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def _batch(self, batches: builtins.list[_Batch], options: Options) -> builtins.list[BatchResult]:
        results: builtins.list[BatchResult] = []
        for index, batch in enumerate(batches):
            try:
                chunk = await self._sender.send(batch.call, options)
            except OrdergrooveError as exc:
                # The requests before this one were applied: the caller must learn which, or resend them all.
                raise _batch_error(batches, index, results, exc) from exc
            except BaseException as stop:
                # Cancelled (a task's cancel(), a timeout around the call) or interrupted (Ctrl-C) during a request:
                # the interruption goes on as it is, carrying what a BatchError would have said.
                with contextlib.suppress(Exception):  # (nothing may stand in the interruption's way)
                    stop.batch = _batch_error(batches, index, results, stop)  # type: ignore[attr-defined]
                raise
            results.extend(chunk)
        return results

    async def group_check(
        self,
        product_id: str,
        group_type: str,
        group_name: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> GroupCheck:
        """Whether the product is in a group (``.product_has_group``)."""
        call = products.group_check(product_id, group_type, group_name)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    def relationships(
        self,
        product_id: str,
        /,
        *,
        type: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[ProductRelationship]:
        """The product's relationships (``type="swap_on_purchase"``: of that type only). Application scope.

        The container is unconfirmed; read as a page."""
        return self._sender.pager(
            products.relationships(product_id, type, page_size),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def update(
        self,
        external_product_id: str,
        /,
        *,
        name: str | None = None,
        sku: str | None = None,
        price: Decimal | int | float | str | None = None,
        live: bool | None = None,
        image_url: str | None = None,
        detail_url: str | None = None,
        autoship_enabled: bool | None = None,
        prepaid_eligible: bool | None = None,
        discontinued: bool | None = None,
        autoship_by_default: bool | None = None,
        product_type: str | None = None,
        every: int | None = None,
        every_period: Period | int | None = None,
        premier_enabled: int | None = None,
        extra_data: Mapping[str, Any] | str | None = None,
        offer_profile: str | None = None,
        incentive_group: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Product:
        """Set fields of one product (at least one). Application scope. The body is unconfirmed: these are the
        writable Product fields. Retry-safe."""
        changes = {
            "name": name,
            "sku": sku,
            "price": price,
            "live": live,
            "image_url": image_url,
            "detail_url": detail_url,
            "autoship_enabled": autoship_enabled,
            "prepaid_eligible": prepaid_eligible,
            "discontinued": discontinued,
            "autoship_by_default": autoship_by_default,
            "product_type": product_type,
            "every": every,
            "every_period": every_period,
            "premier_enabled": premier_enabled,
            "extra_data": extra_data,
            "offer_profile": offer_profile,
            "incentive_group": incentive_group,
        }
        return await self._sender.send(
            products.update(external_product_id, changes),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def manage_time_window_rotation(
        self,
        product_id: str,
        /,
        *,
        product_selection_list_elements: Sequence[Mapping[str, Any]],
        configuration: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[SelectionRule]:
        """Set the products a time-window rotating product ships: ``{"product": id, "starting_date": aware
        datetime}`` each. Returns the product's rules. Application scope.

        The body is unconfirmed (the reference's presumed form is sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        call = products.manage_time_window_rotation(product_id, product_selection_list_elements, configuration)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def manage_ordinal_rotation(
        self,
        product_id: str,
        /,
        *,
        product_selection_list_elements: Sequence[Mapping[str, Any]],
        configuration: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[SelectionRule]:
        """Set the products an ordinal rotating product ships: ``{"product": id, "starting_ordinal": int}`` each;
        ``configuration`` e.g. ``{"cyclical_rotation_enabled": True}``. Returns the product's rules. Application
        scope.

        The body is unconfirmed (the reference's presumed form is sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        call = products.manage_ordinal_rotation(product_id, product_selection_list_elements, configuration)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def retrieve_rotating_delivery_product(
        self,
        product_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Product:
        """The product a rotating product ships now (the response is unconfirmed: read as a Product)."""
        call = products.retrieve_rotating_delivery_product(product_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def manage_digital_plan(
        self,
        product_id: str,
        /,
        *,
        resource_grants: Sequence[Mapping[str, Any]],
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[ResourceGrant]:
        """Set the resources a digital-plan product grants: ``{"resource": id, "time_amount": timedelta or
        seconds, "grace_period": ...}`` each. Application scope.

        The body is unconfirmed (the reference's presumed form is sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        call = products.manage_digital_plan(product_id, resource_grants)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


# The parameter `products` of batch_create/batch_update hides the module of the same name in their bodies.
_batch_calls = products.batch_calls
_batch_error = products.batch_error
_Batch = products.Batch


class AsyncAddresses(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Address]:
        return self._sender.pager(
            addresses.list_(customer, page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def retrieve(
        self,
        address_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Address:
        return await self._sender.send(
            addresses.retrieve(address_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def create(
        self,
        *,
        customer: str,
        address_type: str,
        first_name: str,
        last_name: str,
        address: str,
        city: str,
        state_province_code: str,
        zip_postal_code: str,
        country_code: str,
        address2: str | None = None,
        company_name: str | None = None,
        phone: str | None = None,
        fax: str | None = None,
        label: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Address:
        """Add an address (``address_type`` ``"shipping_address"`` or ``"billing_address"``) to a customer.

        ``zip_postal_code`` and ``country_code`` are required here although the reference leaves it unconfirmed.
        Never re-sent once it may have reached Ordergroove (a failure then raises with ``request_sent=True``).
        """
        fields: dict[str, str | None] = {
            "customer": customer,
            "address_type": address_type,
            "first_name": first_name,
            "last_name": last_name,
            "address": address,
            "city": city,
            "state_province_code": state_province_code,
            "zip_postal_code": zip_postal_code,
            "country_code": country_code,
            "address2": address2,
            "company_name": company_name,
            "phone": phone,
            "fax": fax,
            "label": label,
        }
        return await self._sender.send(
            addresses.create(fields), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def update(
        self,
        address_id: str,
        /,
        *,
        live: bool,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Address:
        """Deactivate (``live=False``) or reactivate an address: the only field this call sets. Retry-safe."""
        return await self._sender.send(
            addresses.update(address_id, live), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def use_for_all(
        self,
        address_public_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> None:
        """Ship every live subscription and unsent order of the address's customer to this address.

        The response is unconfirmed (204 expected, any success accepted). Never re-sent once it may have reached
        Ordergroove (a failure then raises with ``request_sent=True``).
        """
        await self._sender.send(
            addresses.use_for_all(address_public_id),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )


class AsyncPayments(AsyncResource):
    def list(
        self,
        *,
        customer: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Payment]:
        return self._sender.pager(
            payments.list_(customer, page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def retrieve(
        self,
        payment_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Payment:
        return await self._sender.send(
            payments.retrieve(payment_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def create(
        self,
        *,
        customer: str,
        cc_number_ending: str,
        token_id: str,
        cc_holder: str | None = None,
        cc_exp_date: dt.date | str | None = None,
        billing_address: str | None = None,
        label: str | None = None,
        cc_type: int | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Payment:
        """Add a tokenized card to a customer. ``cc_exp_date``: a date (its month) or ``"MM/YYYY"``; ``cc_type``
        1 Visa ... 6 JCB. Never re-sent once it may have reached Ordergroove (then ``request_sent=True``)."""
        call = payments.create(
            customer, cc_number_ending, token_id, cc_holder, cc_exp_date, billing_address, label, cc_type
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update(
        self,
        payment_id: str,
        /,
        *,
        label: str | None = None,
        token_id: str | None = None,
        cc_holder: str | None = None,
        cc_type: int | None = None,
        cc_exp_date: dt.date | str | None = None,
        cc_number_ending: str | None = None,
        billing_address: str | None = None,
        payment_method: str | None = None,
        live: bool | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Payment:
        """Set fields of a payment (at least one). The body is unconfirmed: these are the Payment fields.
        Retry-safe."""
        call = payments.update(
            payment_id,
            label,
            token_id,
            cc_holder,
            cc_type,
            cc_exp_date,
            cc_number_ending,
            billing_address,
            payment_method,
            live,
        )
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def use_for_all(
        self,
        payment_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> None:
        """Charge every live subscription and unsent order of the payment's customer to this payment.

        The response is unconfirmed (204 expected, any success accepted). Never re-sent once it may have reached
        Ordergroove (a failure then raises with ``request_sent=True``).
        """
        await self._sender.send(
            payments.use_for_all(payment_id), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )


class AsyncMerchant(AsyncResource):
    async def cancel_reasons(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[CancelReason]:
        """The cancel reasons the merchant accepts (``.label`` is the standard text for a standard code)."""
        return await self._sender.send(
            merchant.cancel_reasons(), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )


class AsyncCheckout(AsyncResource):
    async def purchase_post(
        self,
        request: PurchaseRequest | Mapping[str, Any],
        *,
        hash_key: str | None = None,
        encoding: checkout.Encoding = "whole",
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> PurchaseReceipt:
        """Send one checkout's Purchase POST; returns Ordergroove's receipt (``subs_req_id``).

        With ``hash_key`` the card fields are taken as plain and encrypted; without it they must already be
        encrypted. Timeout: 5 s unless given (or the client's, when shorter). 207, 400, 401, 403 and 409 raise
        :class:`~ordergroove.errors.PurchaseError` subclasses; a 409 (order id already received) is never retried.
        """
        call = checkout.purchase_post(self._sender.checkout_url, request, hash_key, encoding)
        return await self._sender.send(
            call,
            checkout.purchase_options(
                self._sender.timeout,
                timeout,
                max_retries,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            ),
        )

    async def purchase_status(
        self,
        subs_req_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> PurchaseStatus:
        """What came of a Purchase POST: ``.pending`` while Ordergroove processes it; 404 is NotFoundError."""
        call = checkout.purchase_status(self._sender.checkout_url, subs_req_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncProductGroups(AsyncResource):
    def list(
        self,
        *,
        name: str | None = None,
        group_type: str | None = None,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[ProductGroup]:
        """The merchant's product groups (application scope)."""
        return self._sender.pager(
            product_groups.list_(name, group_type, page_size),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def create(
        self,
        *,
        name: str,
        group_type: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ProductGroup:
        """Create a group (``group_type`` ``"eligibility"``, ``"incentive"`` or ``"sku_swap"``).

        The body is unconfirmed (``name`` and ``group_type`` are sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        return await self._sender.send(
            product_groups.create(name, group_type),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def update(
        self,
        group_type: str,
        current_name: str,
        /,
        *,
        name: str,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ProductGroup:
        """Rename the group ``current_name`` of ``group_type`` to ``name``; its products stay in it. Not
        retry-safe: once applied, a repeat answers 404 (the old name is gone), so it is never sent again after it may
        have reached Ordergroove (then ``request_sent=True``)."""
        call = product_groups.update(group_type, current_name, name)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncResources(AsyncResource):
    def list(
        self,
        *,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[ResourceModel]:
        return self._sender.pager(
            resources.list_(page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def retrieve(
        self,
        resource_public_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ResourceModel:
        return await self._sender.send(
            resources.retrieve(resource_public_id),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )

    async def create(
        self,
        *,
        name: str,
        external_resource_id: str,
        description: str | None = None,
        image_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ResourceModel:
        """Create a resource a digital plan can grant (application scope).

        The body is unconfirmed (the reference's presumed fields are sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        call = resources.create(name, external_resource_id, description, image_url)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update(
        self,
        resource_public_id: str,
        /,
        *,
        name: str | None = None,
        external_resource_id: str | None = None,
        description: str | None = None,
        image_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> ResourceModel:
        """Set fields of a resource (at least one; application scope). The body is unconfirmed. Retry-safe."""
        call = resources.update(resource_public_id, name, external_resource_id, description, image_url)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncOfferProfiles(AsyncResource):
    def list(
        self,
        *,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[OfferProfile]:
        """The merchant's offer profiles (application scope)."""
        return self._sender.pager(
            offer_profiles.list_(page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )


class AsyncOneTimeIncentives(AsyncResource):
    def list(
        self,
        *,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[OneTimeIncentive]:
        return self._sender.pager(
            one_time_incentives.list_(page_size), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def retrieve(
        self,
        one_time_incentive_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> OneTimeIncentive:
        call = one_time_incentives.retrieve(one_time_incentive_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def create(
        self,
        *,
        external_code: str,
        description: str | None = None,
        customer: str | None = None,
        order: str | None = None,
        incentive: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> OneTimeIncentive:
        """Create a one-time incentive (application scope).

        The body is unconfirmed (the reference's presumed fields are sent). Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``).
        """
        call = one_time_incentives.create(external_code, description, customer, order, incentive)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def update(
        self,
        one_time_incentive_id: str,
        /,
        *,
        external_code: str | None = None,
        description: str | None = None,
        customer: str | None = None,
        order: str | None = None,
        incentive: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> OneTimeIncentive:
        """Set fields of a one-time incentive (at least one; application scope). The body is unconfirmed.
        Retry-safe."""
        call = one_time_incentives.update(one_time_incentive_id, external_code, description, customer, order, incentive)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))

    async def delete(
        self,
        one_time_incentive_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> OneTimeIncentive:
        """Delete a one-time incentive; returns the deleted record. Never re-sent once it may have reached
        Ordergroove (then ``request_sent=True``)."""
        call = one_time_incentives.delete(one_time_incentive_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncEntitlements(AsyncResource):
    def list(
        self,
        *,
        page_size: int = 100,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncPager[Entitlement]:
        """The signed-in customer's entitlements (entitlements-service host).

        Storefront scope only: on a client with an API key it raises ConfigurationError before sending anything.
        Whether the answer is a page or a bare list is unconfirmed; read as a page.
        """
        call = entitlements.list_(self._sender.entitlements_url, self._sender.has_api_key, page_size)
        return self._sender.pager(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncCart(AsyncResource):
    async def retrieve(
        self,
        session_id: str,
        /,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> builtins.list[CartItem]:
        """The shopper's cart by the ``og_session_id`` cookie value (om host); the container is unconfirmed, read
        as a list (empty for an unknown session)."""
        call = cart.retrieve(self._sender.om_url, session_id)
        return await self._sender.send(call, Options(timeout, max_retries, extra_headers, extra_query, extra_body))


class AsyncOneClick(AsyncResource):
    async def delay(
        self,
        *,
        token: str,
        days: int | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> None:
        """Push the order of a 1-click token back by ``days`` (Ordergroove's default: 14).

        A GET that acts: never re-sent once it may have reached Ordergroove (then ``request_sent=True``).
        """
        await self._sender.send(
            one_click.delay(token, days), Options(timeout, max_retries, extra_headers, extra_query, extra_body)
        )

    async def reactivate(
        self,
        *,
        token: str,
        winback_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> None:
        """Reactivate the subscription of a 1-click token (``winback_id``: the win-back campaign).

        A GET that acts: never re-sent once it may have reached Ordergroove (then ``request_sent=True``).
        """
        await self._sender.send(
            one_click.reactivate(token, winback_id),
            Options(timeout, max_retries, extra_headers, extra_query, extra_body),
        )
