"""``FakeOrdergroove``: the emulator's face — its data, its keys, its faults, its request log and its ways in."""

from __future__ import annotations

import collections
import datetime as dt
import json
import threading
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import httpx

from ordergroove import AsyncOrdergroove, Ordergroove
from ordergroove.errors import ConfigurationError
from ordergroove.testing import _builders
from ordergroove.testing._asgi import ASGIApp, make_app
from ordergroove.testing._checkout import CheckoutState
from ordergroove.testing._faults import Faults
from ordergroove.testing._http import Outcome, handle, sign_storefront
from ordergroove.testing._records import RecordedRequest
from ordergroove.testing._store import Clock, Record, Store
from ordergroove.testing._transport import FakeAsyncTransport, FakeTransport
from ordergroove.testing._webhooks import Webhooks

__all__ = ["FakeOrdergroove"]

Ref = str | Mapping[str, Any]


class FakeOrdergroove:
    """An in-memory Ordergroove with the API's paths, bodies, errors, auth, pagination and business rules.

    Records are plain dicts shaped exactly like the API's JSON. The ``add_*`` methods return the stored
    record itself: changing it (``order["locked"] = True``) changes what the emulator serves.

    ``api_key`` has the Bulk Operations permission; add others with :meth:`add_api_key`. ``seed`` makes ids
    repeatable; ``now`` sets the clock (frozen until ``fake.clock`` is moved; default: the current time).
    Storefront requests are verified against ``merchant_public_id`` and ``storefront_hash_key``.
    """

    base_url = "http://ordergroove.test"
    # Purchase POST's card fields are decrypted with this 32-character hash key (set another per instance).
    checkout_hash_key = "og-emulator-checkout-hash-key-32"
    # How many status requests answer 202 ("still processing") before the outcome (200).
    purchase_pending_polls = 1
    # products-batch calls per minute of the emulator's clock before 429 (None: no limit).
    batch_rate_limit: int | None = 600
    # Requests per minute (real time, over the last 60 s) before 429, like Ordergroove's 6,000 per IP (None: no limit).
    rate_limit: int | None = None

    def __init__(
        self,
        api_key: str = "test-key",
        seed: int | None = None,
        *,
        now: dt.datetime | None = None,
        merchant_public_id: str | None = None,
        storefront_hash_key: str = "test-storefront-hash-key",
    ) -> None:
        self._store = Store(seed=seed, now=now, merchant=merchant_public_id)
        self._lock = threading.RLock()
        self._keys: dict[str, bool] = {api_key: True}
        self.api_key = api_key
        self.storefront_hash_key = storefront_hash_key
        self.faults: Faults = Faults()
        self.webhooks: Webhooks = Webhooks()
        self.requests: list[RecordedRequest] = []
        self._checkout = CheckoutState()
        self._recent: collections.deque[float] = collections.deque()
        # GraphQL versions marked deprecated (version -> the Sunset header sent) or past their sunset (410 Gone).
        self._graphql_sunsets: dict[str, str] = {}
        self._graphql_gone: set[str] = set()

    def _throttled(self) -> bool:
        """Whether one more request now goes over ``rate_limit`` (called under the lock; a refused one counts too)."""
        if self.rate_limit is None:
            return False
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 60.0:
            self._recent.popleft()
        over = len(self._recent) >= self.rate_limit
        if not over:
            self._recent.append(now)
        return over

    def __repr__(self) -> str:
        store = self._store
        return (
            f"<FakeOrdergroove {len(store.customers)} customers, {len(store.subscriptions)} subscriptions, "
            f"{len(store.orders)} orders, {len(self.requests)} requests>"
        )

    # -- configuration ------------------------------------------------------------------------------------
    @property
    def merchant_public_id(self) -> str:
        """The merchant's public id: the ``merchant`` of every record and the storefront ``public_id``."""
        return self._store.merchant

    @property
    def storefront_hash_key(self) -> str:
        """The merchant's storefront hash key: storefront signatures are checked against it."""
        return self._storefront_hash_key

    @storefront_hash_key.setter
    def storefront_hash_key(self, key: str) -> None:
        # Checked here, not at the first storefront request: a key with no UTF-8 form cannot sign anything.
        _check_key("storefront_hash_key", key)
        self._storefront_hash_key = key

    @property
    def clock(self) -> Clock:
        """The emulator's clock (``fake.clock.advance(days=1)``, ``fake.clock.set(...)``)."""
        return self._store.clock

    @property
    def tax_rate(self) -> Decimal:
        """The rate applied to an order's ``sub_total`` to make its ``tax_total`` (default 0)."""
        return self._store.tax_rate

    @tax_rate.setter
    def tax_rate(self, rate: Decimal | str) -> None:
        self._store.tax_rate = Decimal(str(rate))

    def add_api_key(self, key: str, bulk_operations: bool = False) -> None:
        """Accept another ``x-api-key``; without ``bulk_operations`` its list calls must name a customer."""
        self._keys[key] = bulk_operations

    def deprecate_graphql_version(self, version: str, sunset: str = "Sat, 01 Jan 2028 00:00:00 GMT") -> None:
        """Answers of the dated GraphQL ``version`` carry ``Sunset: <sunset>``, as in its deprecation window.

        ``sunset`` is sent as given: Ordergroove does not document the date's format (RFC 8594's HTTP-date here).
        """
        with self._lock:
            self._graphql_sunsets[_dated_version(version)] = _header_value("sunset", sunset)

    def sunset_graphql_version(self, version: str) -> None:
        """The dated GraphQL ``version`` answers 410 Gone, as it does past its sunset date."""
        with self._lock:
            self._graphql_gone.add(_dated_version(version))

    def storefront_headers(
        self, customer_id: str, *, ts: int | None = None, recognized: bool = False
    ) -> dict[str, str]:
        """A valid storefront ``Authorization`` header for ``customer_id`` (``ts`` default: the clock's now)."""
        stamp = self.clock.timestamp() if ts is None else ts
        claims: dict[str, Any] = {"public_id": self.merchant_public_id, "ts": stamp, "sig_field": customer_id}
        if recognized:
            claims["trust_level"] = "recognized"
        claims["sig"] = sign_storefront(
            customer_id, stamp, self.storefront_hash_key, trust_level="recognized" if recognized else None
        )
        return {"Authorization": json.dumps(claims)}

    # -- data -------------------------------------------------------------------------------------------------
    @property
    def customers(self) -> Mapping[str, Record]:
        """Customers by ``merchant_user_id`` (the live records, read-only mapping)."""
        return MappingProxyType(self._store.customers)

    @property
    def products(self) -> Mapping[str, Record]:
        """Products by ``external_product_id``."""
        return MappingProxyType(self._store.products)

    @property
    def subscriptions(self) -> Mapping[str, Record]:
        return MappingProxyType(self._store.subscriptions)

    @property
    def orders(self) -> Mapping[str, Record]:
        return MappingProxyType(self._store.orders)

    @property
    def items(self) -> Mapping[str, Record]:
        return MappingProxyType(self._store.items)

    @property
    def addresses(self) -> Mapping[str, Record]:
        return MappingProxyType(self._store.addresses)

    @property
    def payments(self) -> Mapping[str, Record]:
        return MappingProxyType(self._store.payments)

    @property
    def purchases(self) -> Mapping[str, Record]:
        """Purchase POSTs received, by ``subs_req_id``: ``merchant_order_id``, ``request`` (the JSON as
        decoded, card fields still encrypted) and ``status`` (what the status endpoint answers once done)."""
        return MappingProxyType(self._checkout.purchases)

    @property
    def cancel_reasons(self) -> list[Record]:
        """The merchant's cancel reasons (``{"cancel_reason": int, "application": str}``); a mutable list."""
        return self._store.cancel_reasons

    def items_of(self, order: Ref) -> list[Record]:
        """The items of an order, in the order they were added."""
        order_id = order if isinstance(order, str) else str(order["public_id"])
        return self._store.items_of_order(order_id)

    def upcoming_order(self, subscription: Ref) -> Record | None:
        """The subscription's next unsent order (status 1, earliest ``place``), or ``None``."""
        subscription_id = subscription if isinstance(subscription, str) else str(subscription["public_id"])
        return self._store.upcoming_order(subscription_id)

    def add_customer(self, merchant_user_id: str | None = None, **fields: Any) -> Record:
        """Add a customer (any of the API's customer fields may be given)."""
        with self._lock:
            return self._store.add_customer(merchant_user_id, **fields)

    def add_product(self, external_product_id: str | None = None, **fields: Any) -> Record:
        """Add a product (``price`` default ``"10.00"``)."""
        with self._lock:
            return self._store.add_product(external_product_id, **fields)

    def add_address(self, customer: Ref, **fields: Any) -> Record:
        """Add a shipping address for a customer (created if unknown)."""
        with self._lock:
            return self._store.add_address(customer, **fields)

    def add_payment(self, customer: Ref, *, billing_address: Ref | None = None, **fields: Any) -> Record:
        """Add a payment method for a customer (billing address: their first, created if none)."""
        with self._lock:
            return self._store.add_payment(customer, billing_address=billing_address, **fields)

    def add_subscription(
        self,
        customer: Ref,
        product: Ref,
        *,
        quantity: int = 1,
        every: int = 1,
        every_period: int = 3,
        live: bool = True,
        prepaid: bool | Mapping[str, Any] = False,
        start_date: dt.date | None = None,
        next_order_date: dt.date | dt.datetime | None = None,
        create_order: bool = True,
        payment: Ref | None = None,
        shipping_address: Ref | None = None,
        cancel_reason: str | None = None,
        **fields: Any,
    ) -> Record:
        """Add a subscription; the customer and product are created when unknown.

        A live one also gets its first unsent order (with an item) at ``next_order_date`` (default: one
        frequency after ``start_date``, which defaults to today) unless ``create_order=False``.
        ``live=False`` makes a canceled one (``cancelled`` now, ``cancel_reason`` as given). ``prepaid``:
        True or a mapping of ``prepaid_subscription_context`` fields.
        """
        with self._lock:
            return self._store.add_subscription(
                customer,
                product,
                quantity=quantity,
                every=every,
                every_period=every_period,
                live=live,
                prepaid=prepaid,
                start_date=start_date,
                next_order_date=next_order_date,
                create_order=create_order,
                payment=payment,
                shipping_address=shipping_address,
                cancel_reason=cancel_reason,
                **fields,
            )

    def add_order(
        self,
        customer: Ref,
        *,
        status: int = 1,
        place: dt.datetime | dt.date | str | None = None,
        items: Sequence[Mapping[str, Any]] = (),
        locked: bool = False,
        **fields: Any,
    ) -> Record:
        """Add an order (default: unsent, placed in 30 days). ``items``: keyword sets for :meth:`add_item`."""
        with self._lock:
            order = self._store.add_order(customer, status=status, place=place, locked=locked, **fields)
            for item in items:
                self._store.add_item(order, **item)
            return order

    def add_item(
        self,
        order: Ref,
        *,
        product: Ref,
        subscription: Ref | None = None,
        quantity: int = 1,
        price: Decimal | str | float | None = None,
        **fields: Any,
    ) -> Record:
        """Add an item to an order (price: the subscription's, else the product's); totals follow."""
        with self._lock:
            return self._store.add_item(
                order, product=product, subscription=subscription, quantity=quantity, price=price, **fields
            )

    # -- the rest of the REST surface: catalog, incentives, entitlements, carts, 1-click ----------------------
    def add_product_group(self, group_type: str, name: str, products: Sequence[str] = ()) -> Record:
        """Add a product group (and put ``products`` in it: their ``groups`` gain it)."""
        with self._lock:
            return _builders.add_product_group(self._store, group_type, name, tuple(products))

    def add_product_relationship(
        self, from_product: str, to_product: str, relationship_type: str = "swap_on_purchase"
    ) -> Record:
        with self._lock:
            return _builders.add_product_relationship(self._store, from_product, to_product, relationship_type)

    def add_resource(self, **fields: Any) -> Record:
        """Add a digital resource (``name``, ``external_resource_id``, ``description``, ``image_url``)."""
        with self._lock:
            return _builders.add_resource(self._store, **fields)

    def add_offer_profile(self, **fields: Any) -> Record:
        with self._lock:
            return _builders.add_offer_profile(self._store, **fields)

    def add_one_time_incentive(self, customer: Ref | None = None, **fields: Any) -> Record:
        with self._lock:
            return _builders.add_one_time_incentive(self._store, customer, **fields)

    def add_entitlement(self, customer: Ref, resource: Ref, **fields: Any) -> Record:
        """Give a customer access to a resource (served by the entitlements-service host)."""
        with self._lock:
            return _builders.add_entitlement(self._store, customer, resource, **fields)

    def add_cart_item(self, session_id: str, product: Ref, **fields: Any) -> Record:
        """Put a product in a shopper's cart (served by the om host)."""
        with self._lock:
            return _builders.add_cart_item(self._store, session_id, product, **fields)

    def one_click_token(self, record: Mapping[str, Any]) -> str:
        """A 1-click token: for an order (``one_click/delay``) or a subscription (``one_click/reactivate``)."""
        with self._lock:
            return _builders.one_click_token(self._store, record)

    @classmethod
    def demo(cls, api_key: str = "test-key") -> FakeOrdergroove:
        """A realistic data set, identical on every run (see docs/testing.md for what is in it)."""
        from ordergroove.testing._demo import build_demo

        return build_demo(cls(api_key=api_key, seed=20240601, now=DEMO_NOW))

    # -- the request log ----------------------------------------------------------------------------------
    @property
    def applied(self) -> list[RecordedRequest]:
        """The requests that changed the state, in order."""
        return [record for record in self.requests if record.applied]

    # -- ways in ----------------------------------------------------------------------------------------------
    def handle(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] = (),
        headers: Sequence[tuple[str, str]] | Mapping[str, str] = (),
        body: bytes = b"",
        origin: str | None = None,
    ) -> Outcome:
        """Answer one request without any I/O (``path`` percent-encoded, without the query)."""
        pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        return handle(self, method, path, query, pairs, body, origin=origin or self.base_url)

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport into the emulator: ``httpx.Client(transport=fake.transport())``."""
        return FakeTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async transport: ``httpx.AsyncClient(transport=fake.async_transport())``."""
        return FakeAsyncTransport(self)

    def asgi_app(self) -> ASGIApp:
        """The emulator as a plain ASGI application."""
        return make_app(self)

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {"base_url": self.base_url}
        if "auth" not in options:
            merged["api_key"] = self.api_key
        merged.update(options)
        return merged

    # The httpx clients made below are given to the library's client as any http_client is: closing the client
    # ends its calls and leaves the httpx client as it is, which is nothing to release (its transport is in this
    # process: no socket, no pool). Closing it too would take the client's private state.
    def client(self, **options: Any) -> Ordergroove:
        """The library's client, wired in-process to this emulator (``options`` go to its constructor)."""
        merged = self._client_options(options)
        merged.setdefault("http_client", httpx.Client(transport=self.transport(), base_url=merged["base_url"]))
        return Ordergroove(**merged)

    def async_client(self, **options: Any) -> AsyncOrdergroove:
        """The async client, wired in-process to this emulator."""
        merged = self._client_options(options)
        merged.setdefault(
            "http_client", httpx.AsyncClient(transport=self.async_transport(), base_url=merged["base_url"])
        )
        return AsyncOrdergroove(**merged)


def _dated_version(version: object) -> str:
    from ordergroove.graphql import VERSIONS

    if not isinstance(version, str) or version not in VERSIONS or version == "unstable":
        dated = ", ".join(v for v in VERSIONS if v != "unstable")
        raise ConfigurationError(f"version must be a dated GraphQL version ({dated}), got {version!r}")
    return version


def _header_value(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or not value.isascii() or not value.isprintable():
        raise ConfigurationError(f"{name} must be a non-empty header value of printable ASCII, got {value!r}")
    return value


def _check_key(name: str, value: object) -> None:
    """Refuse a key that cannot sign anything (not a non-empty str, or no UTF-8 form), never quoting it."""
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty string")
    try:
        value.encode("utf-8")
        return
    except UnicodeEncodeError:
        pass
    # Raised outside the except block: the UnicodeEncodeError carries the whole key in its args.
    raise ConfigurationError(f"{name} is not valid Unicode text: it holds a lone surrogate, which has no UTF-8 form")


DEMO_NOW = dt.datetime(2025, 1, 15, 9, 0, 0)
