"""What differs between the sync and the async client, side by side (as httpcore's ``_synchronization.py``).

The clients, pagers, resources and export are written once, for async, in ``_async/``; ``scripts/generate_sync.py``
writes their sync twins in ``_sync/`` by replacing names: ``async_x`` becomes ``x`` and ``AsyncX`` becomes ``X``. Each
async name here has its sync twin beside it: sleeping, running two calls, iterating a pager's records, and the
connection pool with its concurrency bound and its way of holding an attempt to its deadline.

``asyncio`` is imported where it is used, never at the top: ``import ordergroove`` does not load it.
"""

from __future__ import annotations

import functools
import itertools
import operator
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

import httpx

from ._call import Call, RequestOptions
from ._page import Page
from ._response import CAPTURE, RawResponse
from .errors import ConfigurationError

if TYPE_CHECKING:
    import asyncio

    from ._async.pager import AsyncPager
    from ._sync.pager import SyncPager

T = TypeVar("T")
P = ParamSpec("P")
A = TypeVar("A")
B = TypeVar("B")
R = TypeVar("R")

# -- time: module attributes looked up at call time, so that tests can patch them ----------------------------------

sleep: Callable[[float], None] = time.sleep
monotonic: Callable[[], float] = time.monotonic


async def async_sleep(delay: float) -> None:
    import asyncio

    await asyncio.sleep(delay)


# -- running two calls ---------------------------------------------------------------------------------------------


async def async_both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Both results, the two calls running concurrently. When one fails (or the caller is cancelled), the other is
    cancelled and awaited before the error is raised: no request is left running unobserved, and no task's
    exception goes unretrieved. (Python 3.10 has no TaskGroup; this is the part of one needed here.)"""
    import asyncio

    tasks = (asyncio.ensure_future(first), asyncio.ensure_future(second))
    try:
        a, b = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        # return_exceptions: a second failure is retrieved here, so asyncio does not log it as never retrieved.
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return a, b


def both(first: A, second: B) -> tuple[A, B]:
    """Both results: the sync client has made the two calls one after the other, as the arguments were evaluated."""
    return first, second


# -- a pager's pages and records -------------------------------------------------------------------------------------


# How a pager sends a call (a page, or its list's count): the sender's send, with options already resolved.
class AsyncFetch(Protocol):
    def __call__(self, call: Call[R], options: RequestOptions, /) -> Awaitable[R]: ...


class Fetch(Protocol):
    def __call__(self, call: Call[R], options: RequestOptions, /) -> R: ...


_items = operator.attrgetter("items")


async def async_records(pages: AsyncIterator[Page[T]]) -> AsyncIterator[T]:
    async for page in pages:
        items = page.items
        del page
        for item in items:
            yield item
        del items  # released before the next page is fetched


def records(pages: Iterator[Page[T]]) -> Iterator[T]:
    # Chained in C (a generator here would cost a Python-level step per record); map, unlike a generator
    # expression, keeps no reference to the page before.
    return itertools.chain.from_iterable(map(_items, pages))


# -- with_raw_response: a method's result along with the answers it read ------------------------------------------


def async_raw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """``method``, returning its result with the HTTP answers it read (see ``_response.py``)."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        responses: list[httpx.Response] = []
        token = CAPTURE.set(responses)
        try:
            value = await method(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return RawResponse(value, responses)

    return call


def raw(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """``method``, returning its result with the HTTP answers it read (see ``_response.py``)."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        responses: list[httpx.Response] = []
        token = CAPTURE.set(responses)
        try:
            value = method(*args, **kwargs)
        finally:
            CAPTURE.reset(token)
        return RawResponse(value, responses)

    return call


def async_raw_pager(method: Callable[P, AsyncPager[T]]) -> Callable[P, Awaitable[RawResponse[Page[T]]]]:
    """A list method, sending its first page: the page (``.parse()``) with its answer."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Page[T]]:
        return await async_raw(method(*args, **kwargs).first_page)()

    return call


def raw_pager(method: Callable[P, SyncPager[T]]) -> Callable[P, RawResponse[Page[T]]]:
    """A list method, sending its first page: the page (``.parse()``) with its answer."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Page[T]]:
        return raw(method(*args, **kwargs).first_page)()

    return call


# -- the connection pool and one attempt -----------------------------------------------------------------------------

# The shortest wait on the network the sync client asks for once an attempt's time is up: a zero timeout would make
# the socket non-blocking (an error, not a timeout), and a negative one is refused.
_MIN_WAIT = 0.001


class AsyncPool:
    """The async client's connections and concurrency bound, per event loop.

    asyncio's semaphores and httpx's connections work only in the loop that first used them, so a client used by
    one loop after another (consecutive ``asyncio.run`` calls, a test framework's loop per test) has its own of each
    in every loop.
    """

    @staticmethod
    def check(http_client: object) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError("http_client must be an httpx.AsyncClient (use Ordergroove for httpx.Client)")

    def __init__(self, http: httpx.AsyncClient | None, *, max_concurrency: int | None) -> None:
        # The pool given at construction serves every loop (its owner's choice); the pools the client makes are one
        # per loop, the first made now.
        self._unused: httpx.AsyncClient | None = httpx.AsyncClient(follow_redirects=False) if http is None else None
        self._given = http
        self._latest: httpx.AsyncClient = http or self._unused  # type: ignore[assignment]  # one of them is set
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

    def limited(self, max_concurrency: int) -> AsyncPool:
        """This pool's connections under another concurrency bound (a ``with_options`` copy's; it never closes them)."""
        return _LimitedAsyncPool(self, max_concurrency)

    @staticmethod
    async def send(
        http: httpx.AsyncClient, request: httpx.Request, auth: httpx.Auth | None, timeout: float | None
    ) -> httpx.Response:
        """Send one request and read its whole answer within ``timeout``: the attempt is cancelled at the deadline
        (None: no deadline but httpx's per phase, an ``httpx.Timeout`` the caller gave).

        Raises ``httpx.HTTPError``; a deadline passed is an ``httpx.TimeoutException`` that says whether the request
        may have been sent.
        """
        import asyncio

        progress = _Progress(request)
        try:
            # Never follow a redirect, even on a given http_client set to: x-api-key would go along.
            return await asyncio.wait_for(http.send(request, auth=auth, follow_redirects=False), timeout)
        except asyncio.TimeoutError:
            raise progress.timeout(request) from None


class _LimitedAsyncPool(AsyncPool):
    """Another pool's connections, each loop's under a concurrency bound of its own."""

    def __init__(self, parent: AsyncPool, max_concurrency: int) -> None:
        self._parent = parent
        self._bound = max_concurrency
        self._slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}
        self._lock = threading.Lock()

    def get(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore | None]:
        import asyncio

        http, _ = self._parent.get()
        loop = asyncio.get_running_loop()
        with self._lock:
            for ended in [other for other in self._slots if other.is_closed()]:
                del self._slots[ended]
            slots = self._slots.get(loop)
            if slots is None:
                slots = self._slots[loop] = asyncio.Semaphore(self._bound)
        return http, slots

    def current(self) -> httpx.AsyncClient:
        return self._parent.current()

    def limited(self, max_concurrency: int) -> AsyncPool:
        return _LimitedAsyncPool(self._parent, max_concurrency)

    async def aclose(self) -> None:  # a copy's: the connections are its original's to close
        return None


class Pool:
    """The sync client's connections and concurrency bound: one pool and one semaphore, shared by every thread."""

    @staticmethod
    def check(http_client: object) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise ConfigurationError("http_client must be an httpx.Client (use AsyncOrdergroove for AsyncClient)")

    def __init__(self, http: httpx.Client | None, *, max_concurrency: int | None) -> None:
        self._http = http or httpx.Client(follow_redirects=False)
        self._slots = threading.BoundedSemaphore(max_concurrency) if max_concurrency else None

    def get(self) -> tuple[httpx.Client, threading.BoundedSemaphore | None]:
        return self._http, self._slots

    def current(self) -> httpx.Client:
        return self._http

    def close(self) -> None:
        self._http.close()

    def limited(self, max_concurrency: int) -> Pool:
        """This pool's connections under another concurrency bound (a ``with_options`` copy's; it never closes them)."""
        return Pool(self._http, max_concurrency=max_concurrency)

    @staticmethod
    def send(
        http: httpx.Client, request: httpx.Request, auth: httpx.Auth | None, timeout: float | None
    ) -> httpx.Response:
        """Send one request and read its whole answer within ``timeout`` (None: no deadline but httpx's per phase,
        an ``httpx.Timeout`` the caller gave); raises ``httpx.HTTPError``."""
        deadline = _Deadline(request, timeout) if timeout is not None else None
        # Never follow a redirect, even on a given http_client set to: x-api-key would go along.
        response = http.send(request, auth=auth, follow_redirects=False, stream=True)
        try:
            if deadline is not None and isinstance(response.stream, httpx.SyncByteStream):
                response.stream = _DeadlineStream(response.stream, deadline)
            response.read()
        except BaseException:
            response.close()
            raise
        return response


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


class _Deadline:
    """One sync attempt's deadline. A blocking socket cannot be interrupted, so httpcore's waits are shortened: each
    step it starts (its ``trace`` events) gets only the time left, and the body is checked between chunks."""

    __slots__ = ("_request", "_timeouts", "at")

    def __init__(self, request: httpx.Request, timeout: float) -> None:
        self.at = monotonic() + timeout
        self._request = request
        self._timeouts: dict[str, float] = request.extensions["timeout"]
        request.extensions["trace"] = self._trace

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        if not event.endswith(".started"):
            return
        left = self.at - monotonic()
        if left <= 0 and event.endswith(".send_request_headers.started"):
            # Waiting for a connection and connecting used the whole time: better unsent than sent and abandoned.
            raise httpx.ConnectTimeout("no time was left to send the request", request=self._request)
        # httpcore reads these when the step begins, after this event.
        wait = left if left > _MIN_WAIT else _MIN_WAIT
        for name in self._timeouts:
            self._timeouts[name] = wait

    def body(self, stream: httpx.SyncByteStream) -> Iterator[bytes]:
        for chunk in stream:
            if monotonic() > self.at:
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
