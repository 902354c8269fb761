"""The decisions of a request, without I/O (sans-I/O, as h11 and httpcore do it).

A resource method describes what it wants as a :class:`Call`. :class:`Exchange` turns a call into
``httpx.Request`` objects and reads each outcome (a response or a transport exception) into either a result,
a retry after a delay, or a typed error. The sync and async clients only send, sleep and loop; every policy —
headers, timeouts, retries, error mapping, decoding — is decided here, once.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import email.utils
import json
import logging
import math
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlsplit

import attrs
import httpx

from ._json import loads
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    ResponseDecodeError,
    body_text,
    status_error_class,
)

T = TypeVar("T")

logger = logging.getLogger("ordergroove")

USER_AGENT = f"ordergroove-python/{__version__}"
CURSOR_HEADER = "X-OG-API-VERSION"
RETRY_AFTER_CAP = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
MAX_PAGE_SIZE = 100
MESSAGE_LIMIT = 500
SUMMARY_LIMIT = 200
# httpx refuses a longer URL (InvalidURL). An id or query value is refused long before: real ones are tens of
# characters (an e-mail at most 254), and with these limits no request the library builds comes near URL_LIMIT.
URL_LIMIT = 65_536
VALUE_LIMIT = 4_096  # one id or query value, percent-encoded
QUERY_LIMIT = 32_768  # a whole query string, percent-encoded
# An error body longer than this is not an error object worth parsing (Ordergroove's are a few KiB at most).
ERROR_JSON_LIMIT = 1024 * 1024
# Statuses after which the server certainly did not act, so that even an action may be sent again.
NOT_APPLIED_STATUSES = frozenset({423, 429})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# -- describing a call -------------------------------------------------------------------------------------


@attrs.frozen
class Call(Generic[T]):
    """Everything a resource method wants from one endpoint; built before any I/O, so bad arguments fail early."""

    method: str
    path: str
    decode: Callable[[Any], T]
    params: tuple[tuple[str, str], ...] = ()
    json: Any = None
    has_body: bool = False
    paginated: bool = False
    # A page's ``next`` link, followed as given (already carrying the filters and the cursor); or an endpoint
    # on another host of the environment (the checkout host).
    url: str | None = None
    # A body sent as these bytes instead of JSON (Purchase POST's form body), with its Content-Type.
    content: bytes | None = attrs.field(default=None, repr=False)
    content_type: str | None = None
    # Statuses this endpoint reads its own way: an error class for a status (a 2xx included, such as
    # Purchase POST's 207), or a fixed result whatever the body (the status endpoint's 202 "still processing").
    status_errors: tuple[tuple[int, Callable[..., APIStatusError]], ...] = ()
    status_values: tuple[tuple[int, T], ...] = ()
    # An endpoint with a rate limit of its own (a key of RATE_GROUPS), on top of the client's ``rate_limit``.
    rate_group: str | None = None

    @property
    def is_read(self) -> bool:
        return self.method in READ_METHODS

    def follow(self, url: str) -> Call[T]:
        return attrs.evolve(self, url=url, params=())


@attrs.frozen
class RequestOptions:
    timeout: float
    max_retries: int


def segment(name: str, value: object) -> str:
    """One id as one percent-encoded path segment: it can never reach another endpoint."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a non-empty string, got {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string, got {_shown(value)}")
    if value in (".", ".."):
        raise ConfigurationError(f"{name} {value!r} is not a valid id")
    return _encoded(name, value)


def _encoded(name: str, value: str) -> str:
    """``value`` percent-encoded (as a path segment; a query value takes no more), refused when it cannot be sent."""
    try:
        encoded = quote(value, safe="")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: httpx would fail at request time
        raise ConfigurationError(f"{name} must be valid Unicode text, got {_shown(value)}") from None
    if len(encoded) > VALUE_LIMIT:
        raise ConfigurationError(
            f"{name} is too long: {len(encoded):,} characters once URL-encoded, at most {VALUE_LIMIT:,}"
        )
    return encoded


def _shown(value: str) -> str:
    """A value as an error message shows it: in full when short, never thousands of characters."""
    return repr(value) if len(value) <= 60 else f"{value[:40]!r}... ({len(value):,} characters)"


def path(*parts: str, trailing_slash: bool = True) -> str:
    joined = "/" + "/".join(parts)
    return joined + "/" if trailing_slash else joined


# -- query parameters ---------------------------------------------------------------------------------------


class Params:
    """Collects query parameters, checking each type and serialising it as Ordergroove expects."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []
        self._length = 0  # of the query string, percent-encoded

    def items(self) -> tuple[tuple[str, str], ...]:
        return tuple(self._items)

    def _add(self, name: str, value: str) -> None:
        self._length += len(name) + len(_encoded(name, value)) + 2  # "name=value&" (a name's brackets aside)
        if self._length > QUERY_LIMIT:
            raise ConfigurationError(
                f"{name}: the query string is too long (over {QUERY_LIMIT:,} characters once URL-encoded): "
                "pass fewer values per call"
            )
        self._items.append((name, value))

    def id(self, name: str, value: str | None) -> Params:
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                shown = _shown(value) if isinstance(value, str) else repr(value)
                raise ConfigurationError(f"{name} must be a non-empty string, got {shown}")
            self._add(name, value)
        return self

    def ids(self, name: str, values: Sequence[str] | None) -> Params:
        if values is None:
            return self
        if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset):
            raise ConfigurationError(f"{name} must be a list of ids, got {type(values).__name__}")
        for value in values:
            self.id(name, value)
        return self

    def boolean(self, name: str, value: bool | None) -> Params:
        if value is not None:
            if not isinstance(value, bool):
                raise ConfigurationError(f"{name} must be True or False, got {value!r}")
            self._add(name, "true" if value else "false")
        return self

    def integer(self, name: str, value: int | None) -> Params:
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigurationError(f"{name} must be an int, got {value!r}")
            self._add(name, str(int(value)))
        return self

    def date(self, name: str, value: dt.date | None) -> Params:
        if value is not None:
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise ConfigurationError(f"{name} must be a datetime.date, got {type(value).__name__}")
            self._add(name, value.isoformat())
        return self

    def date_or_datetime(self, name: str, value: dt.date | dt.datetime | None) -> Params:
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                raise ConfigurationError(
                    f"{name} must be a naive datetime in Ordergroove's time (as its fields are), not an aware one"
                )
            self._add(name, value.strftime("%Y-%m-%dT%H:%M:%S"))
            return self
        return self.date(name, value)

    def text(self, name: str, value: str | None) -> Params:
        if value is not None:
            if not isinstance(value, str) or not value:
                raise ConfigurationError(f"{name} must be a non-empty string, got {value!r}")
            self._add(name, value)
        return self

    def page_size(self, value: int) -> Params:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
            raise ConfigurationError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {value!r}")
        self._add("page_size", str(value))
        return self


# -- pages ---------------------------------------------------------------------------------------------------


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its items and the link to the next page (None on the last)."""

    items: list[T]
    next_url: str | None


def page_decoder(decode_items: Callable[[Any], list[T]]) -> Callable[[Any], Page[T]]:
    def decode_page(body: Any) -> Page[T]:
        if not isinstance(body, Mapping) or "results" not in body:
            raise ResponseDecodeError("expected a page: a JSON object with a 'results' list")
        next_url = body.get("next")
        if next_url is not None and not isinstance(next_url, str):
            raise ResponseDecodeError("expected the page's 'next' to be a URL or null")
        return Page(items=decode_items(body["results"]), next_url=next_url or None)

    return decode_page


# -- errors --------------------------------------------------------------------------------------------------

_MESSAGE_KEYS = ("detail", "details", "error", "error_message", "message")


def parse_error_body(content: bytes) -> tuple[str | None, dict[str, list[str]]]:
    """Ordergroove's (Django REST framework's) error body: a ``detail`` text and per-field messages.

    Never raises: any bytes at all give ``(None, {})`` at worst, as does a body too large to be one.
    """
    if len(content) > ERROR_JSON_LIMIT:  # parsed, it would cost many times its size
        return None, {}
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return None, {}
    detail: str | None = None
    fields: dict[str, list[str]] = {}
    if isinstance(data, Mapping):
        for key, value in data.items():
            key = str(key)
            if detail is None and key in _MESSAGE_KEYS and isinstance(value, str | list):
                detail = "; ".join(_messages(value))
            else:
                _collect_field(fields, key, value, depth=0)
    elif isinstance(data, list):
        detail = "; ".join(_messages(data)) or None
    elif isinstance(data, str):
        detail = data
    return detail, fields


def _messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [item if isinstance(item, str) else json.dumps(item, default=str) for item in value]
    return [value if isinstance(value, str) else json.dumps(value, default=str)]


def _collect_field(fields: dict[str, list[str]], key: str, value: Any, depth: int) -> None:
    # Nested serializer errors ({"components": [{"quantity": [...]}]}) are flattened to dotted names.
    if depth < 4 and isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            _collect_field(fields, f"{key}.{sub_key}", sub_value, depth + 1)
    elif depth < 4 and isinstance(value, list) and any(isinstance(item, Mapping) for item in value):
        for index, item in enumerate(value):
            if item:
                _collect_field(fields, f"{key}.{index}", item, depth + 1)
    else:
        fields.setdefault(key, []).extend(_messages(value))


_LEADING_SPACE = re.compile(rb"\s*")
# A body starting (after whitespace) with an ASCII character no JSON value starts with: an HTML page, "OK".
# A byte order mark or another encoding's first byte is left to the parser.
_NOT_JSON = re.compile(rb"\s*[^\s\[{\"0-9tfn\x00\x80-\xff-]")
# How much of a body (after its leading whitespace) a summary reads: ample for SUMMARY_LIMIT characters. Decoding
# and splitting a whole large page only to keep 200 characters of it cost many times its size.
_SUMMARY_SCAN = 4096


def _summary(content: bytes) -> str:
    """The start of a body, whitespace collapsed, for an error message; scans a few KiB whatever its size."""
    start = _LEADING_SPACE.match(content).end()  # type: ignore[union-attr]  # \s* always matches
    cut = len(content) > start + _SUMMARY_SCAN
    # Incremental, so that a character cut at the end of the window is left out rather than shown as U+FFFD.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    window = decoder.decode(content[start : start + _SUMMARY_SCAN], final=not cut).strip()
    if not window:
        return "(empty body)" if not cut else "(a body of whitespace)"
    if window.startswith("<"):
        return "(an HTML error page)"
    flat = " ".join(window.split())
    if len(flat) <= SUMMARY_LIMIT and not cut:
        return flat
    return flat[: SUMMARY_LIMIT - 3] + "..."


def status_error(
    response: httpx.Response, method: str, url: str, error_class: Callable[..., APIStatusError] | None = None
) -> APIStatusError:
    content = response.content
    detail, fields = parse_error_body(content)
    messages = []
    if detail:
        messages.append(detail)
    messages.extend(f"{name}: {', '.join(texts)}" for name, texts in fields.items())
    said = "; ".join(messages) if messages else _summary(content)
    if len(said) > MESSAGE_LIMIT:  # the full text stays in .detail, .field_errors and .body
        said = said[: MESSAGE_LIMIT - 3] + "..."
    reason = response.reason_phrase or "Error"
    message = f"{response.status_code} {reason} from {method} {_display_path(url)}: {said}"
    return (error_class or status_error_class(response.status_code))(
        message,
        status_code=response.status_code,
        method=method,
        url=url,
        detail=detail,
        field_errors=fields,
        # In full when it may be an error object (PurchaseError reads its fields from it); cut before it is
        # decoded when larger.
        body=content.decode("utf-8", errors="replace") if len(content) <= ERROR_JSON_LIMIT else body_text(content),
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
    )


def _display_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def retry_after_seconds(
    value: str | None, *, now: float | None = None, cap: float | None = RETRY_AFTER_CAP
) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date), at most ``cap``; None when absent or unreadable.

    Never raises, and never gives an infinite wait, whatever the header holds (``1e999``, the year 99999): the
    value is sleeping time, and ``time.sleep`` overflows on an infinite or absurd one.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            seconds = when.timestamp() - (time.time() if now is None else now)
        # OverflowError: a year beyond what datetime (or the C int behind it) holds.
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if not math.isfinite(seconds):  # NaN, or infinity: no wait to honour
        return None
    seconds = max(seconds, 0.0)
    return seconds if cap is None else min(seconds, cap)


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Capped exponential backoff with full jitter (attempt 0 is the first retry)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt))
    return (rng or random).uniform(0.0, ceiling)


def request_was_sent(exc: httpx.HTTPError) -> bool:
    """Whether the server may have received the request when this exception was raised."""
    not_sent = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    return not isinstance(exc, not_sent)


def _lookup(pairs: tuple[tuple[int, Callable[..., APIStatusError]], ...], status: int) -> Any:
    for key, value in pairs:
        if key == status:
            return value
    return None


# -- the exchange ----------------------------------------------------------------------------------------------


@attrs.frozen
class Done(Generic[T]):
    value: T


@attrs.frozen
class Retry:
    delay: float


class Exchange(Generic[T]):
    """One call's attempts. ``request()`` gives the next request; ``on_response``/``on_exception`` decide."""

    def __init__(self, core: ClientCore, call: Call[T], options: RequestOptions) -> None:
        self.core = core
        self.call = call
        self.options = options
        self.attempt = 0
        self.url = call.url if call.url is not None else core.base_url + call.path

    def request(self, build: Callable[..., httpx.Request] = httpx.Request) -> httpx.Request:
        """The next attempt's request; ``build`` is the httpx client's ``build_request`` (its defaults apply)."""
        call = self.call
        headers = dict(self.core.headers)
        if call.paginated:
            headers[CURSOR_HEADER] = "2"
        timeout = httpx.Timeout(self.options.timeout)
        if call.content is not None and call.content_type is not None:
            headers["Content-Type"] = call.content_type
        try:
            request = build(
                call.method,
                self.url,
                params=call.params or None,
                json=call.json if call.has_body and call.content is None else None,
                content=call.content,
                headers=headers,
                extensions={"timeout": timeout.as_dict()},
            )
        except httpx.InvalidURL as exc:
            # Ids, query values and `next` links are checked before; what is left is the base URL itself (the
            # message does not repeat the URL, which may be tens of thousands of characters long).
            raise ConfigurationError(
                f"cannot send {call.method} {call.path[:100]}: httpx refuses its URL ({str(exc)[:100]}); "
                f"a URL must be at most {URL_LIMIT:,} characters, base_url included"
            ) from None
        if self.attempt == 0:
            logger.debug("request %s %s", call.method, request.url)
        return request

    def _retry(self, reason: str, retry_after: float | None = None) -> Retry | None:
        if self.attempt >= self.options.max_retries:
            return None
        delay = retry_after if retry_after is not None else backoff_delay(self.attempt, self.core.rng)
        self.attempt += 1
        logger.debug(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            self.call.method,
            _display_path(self.url),
            delay,
            reason,
            self.attempt,
            self.options.max_retries,
        )
        return Retry(delay)

    def on_exception(self, exc: Exception) -> Retry:
        """A transport failure: retried when safe, else raised as a typed connection error."""
        method = self.call.method
        if not isinstance(exc, httpx.HTTPError):
            raise exc
        sent = request_was_sent(exc)
        if not sent or self.call.is_read:
            step = self._retry(type(exc).__name__)
            if step is not None:
                return step
        kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        what = "timed out" if kind is APITimeoutError else "failed"
        after = " after the request was sent: the server may have acted on it" if sent else ""
        raise kind(
            f"{method} {_display_path(self.url)} {what} ({type(exc).__name__}){after}",
            method=method,
            url=self.url,
            request_sent=sent,
        ) from exc

    def on_response(self, response: httpx.Response) -> Done[T] | Retry:
        method = self.call.method
        length = response.headers.get("Content-Length")
        # Bytes as they came off the wire; a response built in memory (a mock transport) has only its content.
        received = response.num_bytes_downloaded or len(response.content)
        # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
        if length is not None and length.isascii() and length.isdigit() and received < int(length):
            # The connection dropped mid-body: the server answered, so an action may have been applied.
            return self.on_exception(
                httpx.RemoteProtocolError("the response body was cut short", request=response.request)
            )
        status = response.status_code
        error_class = _lookup(self.call.status_errors, status)
        # Anything but a 2xx is an error, redirects included (they are not followed: the key must not travel).
        if error_class is not None or not 200 <= status < 300:
            error = status_error(response, method, self.url, error_class)
            retryable = status in NOT_APPLIED_STATUSES or (self.call.is_read and status >= 500)
            if retryable:
                step = self._retry(f"{status}", error.retry_after)
                if step is not None:
                    return step
            raise error
        for fixed_status, value in self.call.status_values:
            if fixed_status == status:
                return Done(value)
        return Done(self._decode(response))

    def _decode(self, response: httpx.Response) -> T:
        where = f"{self.call.method} {_display_path(self.url)}"
        try:
            # A body that clearly is not JSON is not parsed: a parser's error on a large one costs many times its
            # size (orjson's over ten times: its error keeps the whole document as text).
            if _NOT_JSON.match(response.content) is not None:
                raise ValueError("not JSON")
            body = loads(response.content)
        except (ValueError, RecursionError):
            raise ResponseDecodeError(
                f"{response.status_code} from {where} is not JSON: {_summary(response.content)}",
                status_code=response.status_code,
                body=body_text(response.content),
                method=self.call.method,
                url=self.url,
            ) from None
        try:
            value = self.call.decode(body)
        except ResponseDecodeError as exc:
            raise ResponseDecodeError(
                f"{exc.message} (in the answer to {where})",
                status_code=response.status_code,
                body=body_text(response.content),
                method=self.call.method,
                url=self.url,
            ) from None
        if isinstance(value, Page) and value.next_url is not None:
            self.core.check_next_url(value.next_url)
        return value


# -- the shared client state -----------------------------------------------------------------------------------


# Ordergroove's per-endpoint limits: products-batch allows 600 requests a minute per merchant (create and update
# together), whatever the client's own ``rate_limit``.
RATE_GROUPS: Mapping[str, int] = {"products-batch": 600}


class RateLimiter:
    """Spaces requests evenly so that no more than ``per_minute`` start in any minute (shared across threads).

    A slot is claimed before waiting for it; a wait that ends without a request (cancelled, interrupted) gives its
    slot back with :meth:`release`, for the next request to take. Not tied to an event loop: one plain lock.
    """

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / per_minute
        self._next = 0.0  # the first free slot after every claimed one
        self._free: list[float] = []  # slots given back before _next, in time order
        self._lock = threading.Lock()

    def claim(self, now: float) -> float:
        """Claim the earliest free slot from ``now``: the time the request may start."""
        with self._lock:
            # A slot given back that has passed cannot be used: a request now could come too close to the next one.
            del self._free[: bisect.bisect_left(self._free, now)]
            if self._free:
                return self._free.pop(0)
            start = max(now, self._next)
            self._next = start + self.interval
            return start

    def reserve(self, now: float) -> float:
        """Claim the next slot; returns how long to wait before sending."""
        return self.claim(now) - now

    def release(self, start: float) -> None:
        """Give back the slot at ``start`` (from :meth:`claim`): its request was never sent."""
        with self._lock:
            if start + self.interval != self._next:
                bisect.insort(self._free, start)
                return
            # The last slot: the schedule ends earlier, along with the given-back slots just before it.
            self._next = start
            while self._free and self._free[-1] + self.interval == self._next:
                self._next = self._free.pop()


@attrs.frozen
class ClientCore:
    """The configuration every request of one client shares; immutable, so copies can share a pool safely."""

    base_url: str
    checkout_url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    auth: httpx.Auth | None = attrs.field(repr=False)
    timeout: float
    max_retries: int
    rng: random.Random | None = attrs.field(default=None, repr=False)
    # "scheme://host/" of base_url: a `next` link starting with it is on the configured host.
    _origin: str = attrs.field(init=False, repr=False, eq=False)

    @_origin.default
    def _origin_of_base_url(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}/"

    def options(self, timeout: float | None, max_retries: int | None) -> RequestOptions:
        from ._config import check_max_retries, check_timeout

        return RequestOptions(
            timeout=self.timeout if timeout is None else check_timeout(timeout),
            max_retries=self.max_retries if max_retries is None else check_max_retries(max_retries),
        )

    def with_options(self, timeout: float | None, max_retries: int | None) -> ClientCore:
        options = self.options(timeout, max_retries)
        return attrs.evolve(self, timeout=options.timeout, max_retries=options.max_retries)

    def exchange(self, call: Call[T], options: RequestOptions) -> Exchange[T]:
        return Exchange(self, call, options)

    def check_next_url(self, url: str) -> None:
        # A link httpx cannot send would fail as InvalidURL/UnicodeEncodeError when followed: refuse it here.
        if len(url) > URL_LIMIT:
            raise ResponseDecodeError(
                f"the page's 'next' link is not a valid URL (it is {len(url):,} characters long; "
                f"at most {URL_LIMIT:,} can be sent)"
            )
        if not url.isprintable():
            raise ResponseDecodeError("the page's 'next' link is not a valid URL (it has non-printable characters)")
        # The API key goes wherever `next` points: only ever follow it to the host we were configured with.
        if url.startswith(self._origin):  # the usual case, without parsing (same verdict as below)
            return
        expected = urlsplit(self.base_url)
        given = urlsplit(url)
        if (given.scheme, given.netloc) != (expected.scheme, expected.netloc):
            raise ResponseDecodeError(
                f"refusing to follow a 'next' link to another host ({given.scheme}://{given.netloc})"
            )


def build_headers(api_key: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if api_key is not None:
        headers["x-api-key"] = api_key
    return headers
