"""The two clients. They differ only in how they send, sleep and bound concurrency; every decision is in
``_core``."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import _config
from ._core import RATE_GROUPS, Call, ClientCore, Done, Page, RateLimiter, RequestOptions, Retry, build_headers
from .errors import ConfigurationError
from .pagination import AsyncPager, SyncPager

if TYPE_CHECKING:
    from .resources._simple import (
        Addresses,
        AsyncAddresses,
        AsyncItems,
        AsyncMerchant,
        AsyncPayments,
        AsyncProducts,
        Items,
        Merchant,
        Payments,
        Products,
    )
    from .resources.checkout import AsyncCheckout, Checkout
    from .resources.customers import AsyncCustomers, Customers
    from .resources.orders import AsyncOrders, Orders
    from .resources.subscriptions import AsyncSubscriptions, Subscriptions

T = TypeVar("T")
_Client = TypeVar("_Client", bound="_BaseClient")

# Module-level so tests can patch them and run retries without waiting.
_sleep: Callable[[float], None] = time.sleep


async def _asyncio_sleep(delay: float) -> None:
    import asyncio  # deferred, like every use of asyncio here: `import ordergroove` does not load it

    await asyncio.sleep(delay)


_async_sleep: Callable[[float], Any] = _asyncio_sleep
_monotonic: Callable[[], float] = time.monotonic


def _build_core(
    api_key: str | None,
    environment: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    auth: httpx.Auth | None,
) -> ClientCore:
    if auth is not None and not isinstance(auth, httpx.Auth):
        raise ConfigurationError(f"auth must be an httpx.Auth such as og.auth.StorefrontAuth, got {auth!r}")
    _, hosts = _config.resolve_environment(environment)
    key = _config.resolve_api_key(api_key, required=auth is None)
    rest_url = _config.resolve_base_url(base_url, hosts)
    return ClientCore(
        base_url=rest_url,
        checkout_url=_config.resolve_checkout_url(rest_url, hosts),
        headers=build_headers(key),
        auth=auth,
        timeout=_config.check_timeout(timeout),
        max_retries=_config.check_max_retries(max_retries),
    )


class _Shared:
    """What a client and its ``with_options`` copies share besides the pool: the rate limiters."""

    def __init__(self, rate_limit: int | None, owns_http: bool, *, limiters: dict[str, RateLimiter] | None = None):
        self.limiter = RateLimiter(rate_limit) if rate_limit else None
        # Endpoints with limits of their own (products-batch: 600/min per merchant).
        self.group_limiters = limiters or {group: RateLimiter(limit) for group, limit in RATE_GROUPS.items()}
        self.owns_http = owns_http

    def unowned(self) -> _Shared:
        copy = _Shared(None, owns_http=False, limiters=self.group_limiters)
        copy.limiter = self.limiter
        return copy

    def delay(self, call: Call[Any]) -> float:
        """Claim this request's start time under every limit that applies; how long to wait for it."""
        now = _monotonic()
        delay = self.limiter.reserve(now) if self.limiter is not None else 0.0
        if call.rate_group is not None:
            delay = max(delay, self.group_limiters[call.rate_group].reserve(now))
        return delay


class _BaseClient:
    """Configuration, copies and description: the same for both clients."""

    _core: ClientCore
    _shared: _Shared
    _closed: bool
    _slots: Any
    _build: Callable[..., httpx.Request]

    def _configure(
        self,
        api_key: str | None,
        environment: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        auth: httpx.Auth | None,
        max_concurrency: int | None,
        rate_limit: int | None,
        owns_http: bool,
    ) -> None:
        self._core = _build_core(api_key, environment, base_url, timeout, max_retries, auth)
        _config.check_positive_int("max_concurrency", max_concurrency)
        _config.check_positive_int("rate_limit", rate_limit)
        self._shared = _Shared(rate_limit, owns_http)
        self._closed = False

    def with_options(self: _Client, *, timeout: float | None = None, max_retries: int | None = None) -> _Client:
        """A copy with other defaults, sharing this client's connection pool (closing the copy leaves it open)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._core = self._core.with_options(timeout, max_retries)
        copy._shared = self._shared.unowned()
        copy._attach_resources()
        return copy

    def _attach_resources(self) -> None:
        raise NotImplementedError

    def _check_open(self, http: httpx.Client | httpx.AsyncClient) -> None:
        if self._closed:
            raise ConfigurationError(f"this {type(self).__name__} client is closed")
        if http.is_closed:
            raise ConfigurationError(f"the httpx client given to {type(self).__name__} as http_client is closed")

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def timeout(self) -> float:
        return self._core.timeout

    @property
    def max_retries(self) -> int:
        return self._core.max_retries

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self._core.base_url!r}>"


class Ordergroove(_BaseClient):
    """The synchronous client. Thread-safe: share one per process.

    >>> with og.Ordergroove() as client:                 # key from ORDERGROOVE_API_KEY
    ...     for subscription in client.subscriptions.list(customer="c1"):
    ...         print(subscription.public_id)
    """

    customers: Customers
    subscriptions: Subscriptions
    orders: Orders
    items: Items
    products: Products
    addresses: Addresses
    payments: Payments
    merchant: Merchant
    checkout: Checkout

    def __init__(
        self,
        api_key: str | None = None,
        *,
        environment: str | None = None,
        base_url: str | None = None,
        timeout: float = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        auth: httpx.Auth | None = None,
        max_concurrency: int | None = None,
        rate_limit: int | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise ConfigurationError("http_client must be an httpx.Client (use AsyncOrdergroove for AsyncClient)")
        self._configure(
            api_key,
            environment,
            base_url,
            timeout,
            max_retries,
            auth,
            max_concurrency,
            rate_limit,
            owns_http=http_client is None,
        )
        self._slots = threading.BoundedSemaphore(max_concurrency) if max_concurrency else None
        self._http = http_client or httpx.Client(follow_redirects=False)
        # A client the caller brings builds the requests, so its default headers, cookies and params apply; ours
        # has none worth merging, and a plain Request is cheaper.
        self._build = self._http.build_request if http_client is not None else httpx.Request
        self._attach_resources()

    def _attach_resources(self) -> None:
        from .resources import sync_resources

        for name, resource in sync_resources(self).items():
            setattr(self, name, resource)

    def _send(self, call: Call[T], options: RequestOptions) -> T:
        self._check_open(self._http)
        exchange = self._core.exchange(call, options)
        while True:
            request = exchange.request(self._build)
            with self._slots or contextlib.nullcontext():
                # The rate slot is claimed once a concurrency slot is held, so a request starts at its reserved
                # time: waiting for a free slot after the rate wait would let queued requests start in a burst.
                delay = self._shared.delay(call)
                if delay > 0:
                    _sleep(delay)
                step: Done[T] | Retry
                try:
                    # Never follow a redirect, even on a given http_client set to: x-api-key would go along.
                    response = self._http.send(request, auth=self._core.auth, follow_redirects=False)
                except httpx.HTTPError as exc:
                    step = exchange.on_exception(exc)
                else:
                    try:
                        step = exchange.on_response(response)
                    finally:
                        response.close()
            if isinstance(step, Done):
                return step.value
            _sleep(step.delay)

    def _pager(self, call: Call[Page[T]], options: RequestOptions) -> SyncPager[T]:
        return SyncPager(self._send, call, options)

    def close(self) -> None:
        """Close the connection pool (unless it was given as ``http_client``, which its owner closes)."""
        self._closed = True
        if self._shared.owns_http:
            self._http.close()

    def __enter__(self) -> Ordergroove:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncOrdergroove(_BaseClient):
    """The asynchronous client: the same names as :class:`Ordergroove`, every call awaited.

    >>> async with og.AsyncOrdergroove() as client:
    ...     async for subscription in client.subscriptions.list(customer="c1"):
    ...         print(subscription.public_id)
    """

    customers: AsyncCustomers
    subscriptions: AsyncSubscriptions
    orders: AsyncOrders
    items: AsyncItems
    products: AsyncProducts
    addresses: AsyncAddresses
    payments: AsyncPayments
    merchant: AsyncMerchant
    checkout: AsyncCheckout

    def __init__(
        self,
        api_key: str | None = None,
        *,
        environment: str | None = None,
        base_url: str | None = None,
        timeout: float = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        auth: httpx.Auth | None = None,
        max_concurrency: int | None = None,
        rate_limit: int | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError("http_client must be an httpx.AsyncClient (use Ordergroove for httpx.Client)")
        self._configure(
            api_key,
            environment,
            base_url,
            timeout,
            max_retries,
            auth,
            max_concurrency,
            rate_limit,
            owns_http=http_client is None,
        )
        import asyncio  # deferred: `import ordergroove` does not load asyncio

        self._slots = asyncio.Semaphore(max_concurrency) if max_concurrency else None
        self._http = http_client or httpx.AsyncClient(follow_redirects=False)
        self._build = self._http.build_request if http_client is not None else httpx.Request  # as in Ordergroove
        self._attach_resources()

    def _attach_resources(self) -> None:
        from .resources import async_resources

        for name, resource in async_resources(self).items():
            setattr(self, name, resource)

    async def _send(self, call: Call[T], options: RequestOptions) -> T:
        self._check_open(self._http)
        exchange = self._core.exchange(call, options)
        while True:
            request = exchange.request(self._build)
            async with self._slots or contextlib.nullcontext():
                # Rate slot claimed under the concurrency slot, as in the sync client.
                delay = self._shared.delay(call)
                if delay > 0:
                    await _async_sleep(delay)
                step: Done[T] | Retry
                try:
                    response = await self._http.send(request, auth=self._core.auth, follow_redirects=False)
                except httpx.HTTPError as exc:
                    step = exchange.on_exception(exc)
                else:
                    try:
                        step = exchange.on_response(response)
                    finally:
                        await response.aclose()
            if isinstance(step, Done):
                return step.value
            await _async_sleep(step.delay)

    def _pager(self, call: Call[Page[T]], options: RequestOptions) -> AsyncPager[T]:
        return AsyncPager(self._send, call, options)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was given as ``http_client``, which its owner closes)."""
        self._closed = True
        if self._shared.owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncOrdergroove:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
