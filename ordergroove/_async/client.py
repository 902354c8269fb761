"""The client and its sender: the send loop, written once (the sync client is generated from this file).

Every decision of a request is the exchange's (``_exchange.py``); the sender only holds a concurrency slot, waits for
its rate-limit claim, sends through the pool (``_io.py``), and sleeps before a retry.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

import httpx

from .. import _config, _io, _response
from .._base_client import BaseClient, Shared, build_core, check_limits, copy_core
from .._call import DEFAULTS, Call, Options, RequestOptions, Timeout
from .._exceptions import NOT_SENT
from .._exchange import ClientCore, Done, Exchange, Retry
from .._page import Page
from .._rate import RateLimits
from ..errors import ConfigurationError
from .pager import AsyncPager

if TYPE_CHECKING:
    from .graphql import AsyncGraphQL
    from .raw import AsyncOrdergrooveWithRawResponse
    from .resources import (
        AsyncAddresses,
        AsyncCart,
        AsyncCheckout,
        AsyncCustomers,
        AsyncEntitlements,
        AsyncItems,
        AsyncMerchant,
        AsyncOfferProfiles,
        AsyncOneClick,
        AsyncOneTimeIncentives,
        AsyncOrders,
        AsyncPayments,
        AsyncProductGroups,
        AsyncProducts,
        AsyncResources,
        AsyncSubscriptions,
    )
T = TypeVar("T")
_Client = TypeVar("_Client", bound="AsyncOrdergroove")


class AsyncSender:
    """What a client's resources send their calls through: one configuration, the shared rate limits, the pool."""

    def __init__(
        self, core: ClientCore, shared: Shared, pool: _io.AsyncPool, build: Callable[..., httpx.Request]
    ) -> None:
        self.core = core
        self.shared = shared
        self.pool = pool
        # A client the caller brings builds the requests, so its default headers, cookies and params apply; ours
        # has none worth merging, and a plain Request is cheaper.
        self.build = build
        self.closed = False

    def with_options(self, core: ClientCore, rate_limit: int | None, max_concurrency: int | None) -> AsyncSender:
        """A sender with other defaults, sharing this one's connections, and its rate limits unless given others (not
        owning the pool)."""
        check_limits(max_concurrency, rate_limit)
        pool = self.pool if max_concurrency is None else self.pool.limited(max_concurrency)
        return AsyncSender(core, self.shared.unowned(rate_limit), pool, self.build)

    @property
    def timeout(self) -> Timeout:
        return self.core.timeout

    @property
    def base_url(self) -> str:
        return self.core.base_url

    @property
    def graphql_version(self) -> str:
        return self.core.graphql_version

    @property
    def checkout_url(self) -> str:
        return self.core.checkout_url

    @property
    def om_url(self) -> str:
        return self.core.om_url

    @property
    def entitlements_url(self) -> str:
        return self.core.entitlements_url

    @property
    def has_api_key(self) -> bool:
        """Whether the client sends a merchant API key (application scope), not a storefront signature."""
        return "x-api-key" in self.core.headers

    def check_next_url(self, url: str) -> None:
        self.core.check_next_url(url)

    async def send(self, call: Call[T], options: Options = DEFAULTS) -> T:
        """Send one call with these options over the client's; its result, or a typed error."""
        return await self._send(call, self.core.options(options, call))

    def pager(self, call: Call[Page[T]], options: Options = DEFAULTS) -> AsyncPager[T]:
        """A pager over a list call (nothing is sent until it is iterated)."""
        return AsyncPager(self._send, call, self.core.options(options, call))

    async def _send(self, call: Call[T], options: RequestOptions) -> T:
        http, slots = self.pool.get()
        self._check_open(http)
        exchange = self.core.exchange(call, options)
        # Whether an attempt may have been applied: a non-idempotent call is retried only after a clear refusal.
        maybe_applied = False
        try:
            while True:
                request = exchange.request(self.build)
                async with slots or contextlib.nullcontext():
                    # The rate slot is claimed once a concurrency slot is held, so a request starts at its reserved
                    # time: waiting for a free slot after the rate wait would let queued requests start in a burst.
                    claim = self.shared.limits.claim(call, _io.monotonic())
                    if claim is not None and claim.delay > 0:
                        try:
                            await _io.async_sleep(claim.delay)
                        except BaseException:  # cancelled, interrupted (KeyboardInterrupt, a signal handler's error)
                            claim.release()
                            raise
                    maybe_applied = True
                    step = await self._attempt(http, exchange, request, options.deadline)
                if isinstance(step, Done):
                    _response.record(step.response)
                    return step.value
                maybe_applied = call.idempotent
                await _io.async_sleep(step.delay)
        except BaseException as stop:
            if not maybe_applied and not isinstance(stop, Exception):
                # Interrupted before any attempt that could have been applied (waiting for the rate limit or to
                # retry a refusal): products.batch_* tells its products were not applied (not of unknown outcome).
                with contextlib.suppress(Exception):
                    setattr(stop, NOT_SENT, True)
            raise

    async def _attempt(
        self, http: httpx.AsyncClient, exchange: Exchange[T], request: httpx.Request, timeout: float | None
    ) -> Done[T] | Retry:
        """Send one request and read its whole answer within ``timeout``; the exchange reads the outcome."""
        exchange.sent()
        try:
            response = await self.pool.send(http, request, self.core.auth, timeout)
        except httpx.HTTPError as exc:
            return exchange.on_exception(exc)
        try:
            return exchange.on_response(response)
        finally:
            await response.aclose()

    def _check_open(self, http: httpx.AsyncClient) -> None:
        if self.closed:
            raise ConfigurationError(f"this {self.client_name} client is closed")
        if http.is_closed:
            raise ConfigurationError(f"the httpx client given to {self.client_name} as http_client is closed")

    @property
    def client_name(self) -> str:
        return AsyncOrdergroove.__name__


class AsyncOrdergroove(BaseClient):
    """The client: ``og.Ordergroove`` sends and answers in the calling thread (thread-safe: share one per process);
    ``og.AsyncOrdergroove`` has the same names, every call awaited and every pager iterated with ``async for``.

    >>> with og.Ordergroove() as client:                 # key from ORDERGROOVE_API_KEY
    ...     for subscription in client.subscriptions.list(customer="c1"):
    ...         print(subscription.public_id)
    >>> async with og.AsyncOrdergroove() as client:
    ...     async for subscription in client.subscriptions.list(customer="c1"):
    ...         print(subscription.public_id)

    A record holding a value of no documented form (an impossible date, ``"total": "undefined"``) is decoded with
    that attribute None and the value in ``model.unparsed``; ``strict=True`` refuses it instead, with a
    ``ResponseDecodeError`` naming the record (its place in a page) and the field.
    """

    _sender: AsyncSender
    customers: AsyncCustomers
    subscriptions: AsyncSubscriptions
    orders: AsyncOrders
    items: AsyncItems
    products: AsyncProducts
    addresses: AsyncAddresses
    payments: AsyncPayments
    merchant: AsyncMerchant
    product_groups: AsyncProductGroups
    resources: AsyncResources
    offer_profiles: AsyncOfferProfiles
    one_time_incentives: AsyncOneTimeIncentives
    entitlements: AsyncEntitlements
    cart: AsyncCart
    one_click: AsyncOneClick
    checkout: AsyncCheckout
    graphql: AsyncGraphQL

    def __init__(
        self,
        api_key: str | None = None,
        *,
        environment: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        auth: httpx.Auth | None = None,
        max_concurrency: int | None = None,
        rate_limit: int | None = None,
        graphql_version: str | None = None,
        headers: Mapping[str, str | None] | None = None,
        strict: bool = False,
    ) -> None:
        _io.AsyncPool.check(http_client)
        core = build_core(
            api_key, environment, base_url, timeout, max_retries, auth, graphql_version, headers, strict=strict
        )
        check_limits(max_concurrency, rate_limit)
        shared = Shared(RateLimits(rate_limit), owns_http=http_client is None)
        pool = _io.AsyncPool(http_client, max_concurrency=max_concurrency)
        build = http_client.build_request if http_client is not None else httpx.Request
        self._sender = AsyncSender(core, shared, pool, build)
        self._attach_resources()

    def _attach_resources(self) -> None:
        # Imported here, not at the top: `import ordergroove` loads no model until a client is made.
        from .graphql import AsyncGraphQL
        from .resources import (
            AsyncAddresses,
            AsyncCart,
            AsyncCheckout,
            AsyncCustomers,
            AsyncEntitlements,
            AsyncItems,
            AsyncMerchant,
            AsyncOfferProfiles,
            AsyncOneClick,
            AsyncOneTimeIncentives,
            AsyncOrders,
            AsyncPayments,
            AsyncProductGroups,
            AsyncProducts,
            AsyncResources,
            AsyncSubscriptions,
        )

        # A new resource: one line here, its class in resources.py and its annotation above.
        sender = self._sender
        self.customers = AsyncCustomers(sender)
        self.subscriptions = AsyncSubscriptions(sender)
        self.orders = AsyncOrders(sender)
        self.items = AsyncItems(sender)
        self.products = AsyncProducts(sender)
        self.addresses = AsyncAddresses(sender)
        self.payments = AsyncPayments(sender)
        self.merchant = AsyncMerchant(sender)
        self.checkout = AsyncCheckout(sender)
        self.graphql = AsyncGraphQL(sender)
        self.product_groups = AsyncProductGroups(sender)
        self.resources = AsyncResources(sender)
        self.offer_profiles = AsyncOfferProfiles(sender)
        self.one_time_incentives = AsyncOneTimeIncentives(sender)
        self.entitlements = AsyncEntitlements(sender)
        self.cart = AsyncCart(sender)
        self.one_click = AsyncOneClick(sender)

    def with_options(
        self: _Client,
        *,
        api_key: str | None = None,
        environment: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str | None] | None = None,
        rate_limit: int | None = None,
        max_concurrency: int | None = None,
        graphql_version: str | None = None,
        strict: bool | None = None,
    ) -> _Client:
        """A copy with other defaults (None keeps this client's), sharing its connection pool: closing the copy
        leaves it open. ``headers`` add to this client's (None as a value removes one); ``rate_limit`` and
        ``max_concurrency`` give the copy limits of its own, else it shares this client's."""
        core = copy_core(
            self._sender.core,
            api_key=api_key,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            headers=headers,
            graphql_version=graphql_version,
            strict=strict,
        )
        copy = object.__new__(type(self))
        copy._sender = self._sender.with_options(core, rate_limit, max_concurrency)
        copy._sender.closed = self._sender.closed
        copy._attach_resources()
        return copy

    @functools.cached_property
    def with_raw_response(self) -> AsyncOrdergrooveWithRawResponse:
        """The same resources, each method returning ``og.RawResponse``: the HTTP answer (status, headers, request
        id) with the parsed result, ``.parse()``. A list method sends its first page and ``.parse()`` is that page.

        >>> raw = client.with_raw_response.subscriptions.retrieve("sub_1")
        >>> raw.status_code, raw.headers.get("content-type"), raw.request_id
        >>> subscription = raw.parse()
        """
        from .raw import AsyncOrdergrooveWithRawResponse

        return AsyncOrdergrooveWithRawResponse(self)

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client in use (for the async client: the running event loop's)."""
        return self._sender.pool.current()

    async def aclose(self) -> None:
        """Close the connection pool (unless it was given as ``http_client``, which its owner closes)."""
        self._sender.closed = True
        if self._sender.shared.owns_http:
            await self._sender.pool.aclose()

    async def __aenter__(self: _Client) -> _Client:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
