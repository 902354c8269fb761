"""The decisions of a request, without I/O (sans-I/O, as h11 and httpcore do it).

A resource method describes what it wants as a :class:`Call`. :class:`Exchange` turns a call into
``httpx.Request`` objects and reads each outcome (a response or a transport exception) into either a result,
a retry after a delay, or a typed error. The sync and async clients only send, sleep and loop; every policy —
headers, timeouts, retries, error mapping, decoding — is decided here, once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import random
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
        raise ConfigurationError(f"{name} must be a non-empty string, got {value!r}")
    if value in (".", ".."):
        raise ConfigurationError(f"{name} {value!r} is not a valid id")
    _check_encodable(name, value)
    return quote(value, safe="")


def _check_encodable(name: str, value: str) -> None:
    # A lone surrogate has no UTF-8 form: quote() and httpx would raise UnicodeEncodeError at request time.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigurationError(f"{name} must be valid Unicode text, got {value!r}") from None


def path(*parts: str, trailing_slash: bool = True) -> str:
    joined = "/" + "/".join(parts)
    return joined + "/" if trailing_slash else joined


# -- query parameters ---------------------------------------------------------------------------------------


class Params:
    """Collects query parameters, checking each type and serialising it as Ordergroove expects."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []

    def items(self) -> tuple[tuple[str, str], ...]:
        return tuple(self._items)

    def id(self, name: str, value: str | None) -> Params:
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{name} must be a non-empty string, got {value!r}")
            _check_encodable(name, value)
            self._items.append((name, value))
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
            self._items.append((name, "true" if value else "false"))
        return self

    def integer(self, name: str, value: int | None) -> Params:
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigurationError(f"{name} must be an int, got {value!r}")
            self._items.append((name, str(int(value))))
        return self

    def date(self, name: str, value: dt.date | None) -> Params:
        if value is not None:
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise ConfigurationError(f"{name} must be a datetime.date, got {type(value).__name__}")
            self._items.append((name, value.isoformat()))
        return self

    def date_or_datetime(self, name: str, value: dt.date | dt.datetime | None) -> Params:
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                raise ConfigurationError(
                    f"{name} must be a naive datetime in Ordergroove's time (as its fields are), not an aware one"
                )
            self._items.append((name, value.strftime("%Y-%m-%dT%H:%M:%S")))
            return self
        return self.date(name, value)

    def text(self, name: str, value: str | None) -> Params:
        if value is not None:
            if not isinstance(value, str) or not value:
                raise ConfigurationError(f"{name} must be a non-empty string, got {value!r}")
            _check_encodable(name, value)
            self._items.append((name, value))
        return self

    def page_size(self, value: int) -> Params:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
            raise ConfigurationError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {value!r}")
        self._items.append(("page_size", str(value)))
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

    Never raises: any bytes at all give ``(None, {})`` at worst.
    """
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


def _body_text(response: httpx.Response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _summary(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "(empty body)"
    if stripped.startswith("<"):
        return "(an HTML error page)"
    flat = " ".join(stripped.split())
    return flat if len(flat) <= 200 else flat[:197] + "..."


def status_error(
    response: httpx.Response, method: str, url: str, error_class: Callable[..., APIStatusError] | None = None
) -> APIStatusError:
    detail, fields = parse_error_body(response.content)
    text = _body_text(response)
    messages = []
    if detail:
        messages.append(detail)
    messages.extend(f"{name}: {', '.join(texts)}" for name, texts in fields.items())
    said = "; ".join(messages) if messages else _summary(text)
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
        body=text,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
    )


def _display_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def retry_after_seconds(
    value: str | None, *, now: float | None = None, cap: float | None = RETRY_AFTER_CAP
) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date), at most ``cap``; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
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
        request = build(
            call.method,
            self.url,
            params=call.params or None,
            json=call.json if call.has_body and call.content is None else None,
            content=call.content,
            headers=headers,
            extensions={"timeout": timeout.as_dict()},
        )
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
            body = loads(response.content)
        except (ValueError, RecursionError):
            raise ResponseDecodeError(
                f"{response.status_code} from {where} is not JSON: {_summary(_body_text(response))}",
                status_code=response.status_code,
                body=_body_text(response),
                method=self.call.method,
                url=self.url,
            ) from None
        try:
            value = self.call.decode(body)
        except ResponseDecodeError as exc:
            raise ResponseDecodeError(
                f"{exc.message} (in the answer to {where})",
                status_code=response.status_code,
                body=_body_text(response),
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
    """Spaces requests evenly so that no more than ``per_minute`` start in any minute (shared across threads)."""

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / per_minute
        self._next = 0.0
        self._lock = threading.Lock()

    def reserve(self, now: float) -> float:
        """Claim the next slot; returns how long to wait before sending."""
        with self._lock:
            start = max(now, self._next)
            self._next = start + self.interval
            return start - now


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
