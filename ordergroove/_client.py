"""The two clients. They differ only in how they send, sleep and bound concurrency; every decision is in
``_core``."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import _config
from ._call import Call, Options, RequestOptions
from ._exchange import ClientCore, Done, Exchange, Retry, build_headers
from ._page import Page
from ._rate import Claim, RateLimits
from .errors import ConfigurationError
from .pagination import AsyncPager, SyncPager

if TYPE_CHECKING:
    import asyncio

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

# The shortest wait on the network the sync client asks for once an attempt's time is up: a zero timeout would make
# the socket non-blocking (an error, not a timeout), and a negative one is refused.
_MIN_WAIT = 0.001


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
    key = _config.resolve_api_key(api_key, storefront=auth is not None)
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
    """What a client and its ``with_options`` copies share besides the pool: the rate limits."""

    def __init__(self, limits: RateLimits, owns_http: bool) -> None:
        self.limits = limits
        self.owns_http = owns_http

    def unowned(self) -> _Shared:
        return _Shared(self.limits, owns_http=False)

    def claim(self, call: Call[Any]) -> Claim | None:
        return self.limits.claim(call, _monotonic())


class _Deadline:
    """One sync attempt's deadline. A blocking socket cannot be interrupted, so httpcore's waits are shortened: each
    step it starts (its ``trace`` events) gets only the time left, and the body is checked between chunks."""

    __slots__ = ("_request", "_timeouts", "at")

    def __init__(self, request: httpx.Request, timeout: float) -> None:
        self.at = _monotonic() + timeout
        self._request = request
        self._timeouts: dict[str, float] = request.extensions["timeout"]
        request.extensions["trace"] = self._trace

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        if not event.endswith(".started"):
            return
        left = self.at - _monotonic()
        if left <= 0 and event.endswith(".send_request_headers.started"):
            # Waiting for a connection and connecting used the whole time: better unsent than sent and abandoned.
            raise httpx.ConnectTimeout("no time was left to send the request", request=self._request)
        # httpcore reads these when the step begins, after this event.
        wait = left if left > _MIN_WAIT else _MIN_WAIT
        for name in self._timeouts:
            self._timeouts[name] = wait

    def body(self, stream: httpx.SyncByteStream) -> Iterator[bytes]:
        for chunk in stream:
            if _monotonic() > self.at:
                raise httpx.ReadTimeout("the answer did not arrive in full within the timeout", request=self._request)
            yield chunk


class _DeadlineStream(httpx.SyncByteStream):
    """A response body read under a :class:`_Deadline`."""

    def __init__(self, stream: httpx.SyncByteStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        return self._deadline.body(self._stream)

    def close(self) -> None:
        self._stream.close()


class _Progress:
    """How far httpcore got with an async attempt (its ``trace`` events), to tell after a timeout whether the
    request may have reached the server."""

    __slots__ = ("step",)

    def __init__(self, request: httpx.Request) -> None:
        self.step = ""
        request.extensions["trace"] = self._trace

    async def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        self.step = event

    def timeout(self, request: httpx.Request) -> httpx.TimeoutException:
        message = "no complete answer within the timeout"
        # Only a step of setting up the connection proves nothing was sent. No step at all may mean a transport
        # that reports none (a custom or mock one): assumed sent, so that an action is never repeated.
        if self.step.startswith("connection."):
            return httpx.ConnectTimeout(message, request=request)
        return httpx.ReadTimeout(message, request=request)


class _PerLoop:
    """What an async client keeps per event loop. asyncio's semaphores and httpx's connections work only in the
    loop that first used them, so a client used by one loop after another (consecutive ``asyncio.run`` calls, a
    test framework's loop per test) has its own of each in every loop."""

    def __init__(self, http: httpx.AsyncClient, *, own_pools: bool, max_concurrency: int | None) -> None:
        # The pool made or given at construction: the first loop takes it. A given one serves every loop (its
        # owner's choice); pools the client makes are one per loop.
        self._unused: httpx.AsyncClient | None = http if own_pools else None
        self._given = None if own_pools else http
        self._latest = http  # the pool shown outside a loop: the last one handed out
        self._max_concurrency = max_concurrency
        self._loops: dict[asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, asyncio.Semaphore | None]] = {}
        self._lock = threading.Lock()  # loops may run in several threads
        self._closed = False

    def get(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore | None]:
        """The running loop's httpx client and concurrency bound."""
        import asyncio

        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            with self._lock:
                state = self._loops.get(loop)
                if state is None:
                    if self._closed:  # nothing new for a closed client (its calls are refused before this)
                        return self._latest, None
                    # A loop that has ended keeps nothing: its connections can neither be used nor closed from
                    # another loop, only dropped (an unclosed socket's ResourceWarning is the ended loop's).
                    for ended in [other for other in self._loops if other.is_closed()]:
                        del self._loops[ended]
                    if self._given is not None:
                        pool = self._given
                    elif self._unused is not None:
                        pool, self._unused = self._unused, None
                    else:
                        pool = httpx.AsyncClient(follow_redirects=False)
                    self._latest = pool
                    slots = asyncio.Semaphore(self._max_concurrency) if self._max_concurrency else None
                    state = self._loops[loop] = (pool, slots)
        return state

    def current(self) -> httpx.AsyncClient:
        """The running loop's httpx client; outside a loop, the last one handed out."""
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._latest
        return self.get()[0]

    async def aclose(self) -> None:
        """Close the running loop's pool, and one no loop took. Another loop's pool can only be closed there."""
        import asyncio

        with self._lock:
            self._closed = True
            current = self._loops.get(asyncio.get_running_loop())
        candidates = (current[0] if current is not None else None, self._unused, self._given)
        pools = {id(pool): pool for pool in candidates if pool is not None}
        for pool in pools.values():
            await pool.aclose()


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
        self._shared = _Shared(RateLimits(rate_limit), owns_http)
        self._closed = False

    def with_options(self: _Client, *, timeout: float | None = None, max_retries: int | None = None) -> _Client:
        """A copy with other defaults, sharing this client's connection pool (closing the copy leaves it open)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy._core = self._core.with_options(Options(timeout, max_retries))
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
                claim = self._shared.claim(call)
                if claim is not None and claim.delay > 0:
                    try:
                        _sleep(claim.delay)
                    except BaseException:  # KeyboardInterrupt, a signal handler's exception
                        claim.release()
                        raise
                step = self._attempt(exchange, request, options.timeout)
            if isinstance(step, Done):
                return step.value
            _sleep(step.delay)

    def _attempt(self, exchange: Exchange[T], request: httpx.Request, timeout: float) -> Done[T] | Retry:
        """Send one request and read its whole answer within ``timeout``."""
        deadline = _Deadline(request, timeout)
        try:
            # Never follow a redirect, even on a given http_client set to: x-api-key would go along.
            response = self._http.send(request, auth=self._core.auth, follow_redirects=False, stream=True)
            try:
                if isinstance(response.stream, httpx.SyncByteStream):
                    response.stream = _DeadlineStream(response.stream, deadline)
                response.read()
            except BaseException:
                response.close()
                raise
        except httpx.HTTPError as exc:
            return exchange.on_exception(exc)
        try:
            return exchange.on_response(response)
        finally:
            response.close()

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
        http = http_client or httpx.AsyncClient(follow_redirects=False)
        self._loops = _PerLoop(http, own_pools=http_client is None, max_concurrency=max_concurrency)
        self._build = http.build_request if http_client is not None else httpx.Request  # as in Ordergroove
        self._attach_resources()

    @property
    def _http(self) -> httpx.AsyncClient:
        """The running event loop's httpx client."""
        return self._loops.current()

    def _attach_resources(self) -> None:
        from .resources import async_resources

        for name, resource in async_resources(self).items():
            setattr(self, name, resource)

    async def _send(self, call: Call[T], options: RequestOptions) -> T:
        http, slots = self._loops.get()
        self._check_open(http)
        exchange = self._core.exchange(call, options)
        while True:
            request = exchange.request(self._build)
            async with slots or contextlib.nullcontext():
                # Rate slot claimed under the concurrency slot, as in the sync client.
                claim = self._shared.claim(call)
                if claim is not None and claim.delay > 0:
                    try:
                        await _async_sleep(claim.delay)
                    except BaseException:  # cancelled while waiting
                        claim.release()
                        raise
                step = await self._attempt(http, exchange, request, options.timeout)
            if isinstance(step, Done):
                return step.value
            await _async_sleep(step.delay)

    async def _attempt(
        self, http: httpx.AsyncClient, exchange: Exchange[T], request: httpx.Request, timeout: float
    ) -> Done[T] | Retry:
        """Send one request and read its whole answer within ``timeout``: the attempt is cancelled at the deadline."""
        import asyncio

        progress = _Progress(request)
        try:
            response = await asyncio.wait_for(http.send(request, auth=self._core.auth, follow_redirects=False), timeout)
        except asyncio.TimeoutError:
            return exchange.on_exception(progress.timeout(request))
        except httpx.HTTPError as exc:
            return exchange.on_exception(exc)
        try:
            return exchange.on_response(response)
        finally:
            await response.aclose()

    def _pager(self, call: Call[Page[T]], options: RequestOptions) -> AsyncPager[T]:
        return AsyncPager(self._send, call, options)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was given as ``http_client``, which its owner closes)."""
        self._closed = True
        if self._shared.owns_http:
            await self._loops.aclose()

    async def __aenter__(self) -> AsyncOrdergroove:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
