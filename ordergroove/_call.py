"""Describing a call, without I/O: the :class:`Call` a resource method builds, and the checks of its arguments.

Everything here runs before any request is sent, so that a bad argument fails early and names itself; ids and
query values are percent-encoded here, so an id can never reach another endpoint.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import attrs
import httpx

from ._config import check_max_retries, check_timeout
from .errors import APIStatusError, ConfigurationError

T = TypeVar("T")

MAX_PAGE_SIZE = 100
# httpx refuses a longer URL (InvalidURL). An id or query value is refused long before: real ones are tens of
# characters (an e-mail at most 254), and with these limits no request the library builds comes near URL_LIMIT.
URL_LIMIT = 65_536
VALUE_LIMIT = 4_096  # one id or query value, percent-encoded
QUERY_LIMIT = 32_768  # a whole query string, percent-encoded
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PAGER_PARAMS = frozenset({"cursor", "page", "page_size"})  # what a list's pager sends and follows itself


@attrs.frozen
class Decoding:
    """How a client reads the records of its answers: part of its configuration, the same for every call it makes
    (``og.Ordergroove(strict=...)``, ``with_options(strict=...)``), handed to each call's decoder.

    ``strict=False`` (the default): a value of no documented form costs only its attribute (None, the value kept in
    ``model.unparsed``). ``strict=True``: such a record is refused with a ``ResponseDecodeError`` naming the record
    (its place in a page) and the field. A body that is not JSON, or a record that is not an object, is refused
    either way.
    """

    strict: bool = False


LENIENT = Decoding()

# A call's decoder: the parsed JSON body and the client's decoding options -> the call's result.
Decode = Callable[[Any, Decoding], T]


@attrs.frozen
class Call(Generic[T]):
    """Everything a resource method wants from one endpoint; built before any I/O, so bad arguments fail early.

    ``decode`` reads the parsed body with the client's :class:`Decoding` (the client decides how strictly, once)."""

    method: str
    path: str
    decode: Decode[T]
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
    # Whether sending it again after it may have reached the server is harmless (the retry safety of
    # docs/api.md): a read (a GraphQL query POST included), or an action that sets X to Y. An action that could apply
    # twice (a create, a delete, a send, a skip, a cancel, a bulk operation, a GET that acts such as the 1-click
    # links) is False and is never re-sent after an ambiguous failure (a 5xx, a timeout or a dropped connection
    # after sending). Default: True for a read method, False for any other.
    idempotent: bool = attrs.field(default=attrs.Factory(lambda call: call.method in READ_METHODS, takes_self=True))

    def follow(self, url: str) -> Call[T]:
        return attrs.evolve(self, url=url, params=())

    def after(self, cursor: str) -> Call[T]:
        """This GraphQL call again, for the page after ``cursor`` (the same query and filters, ``$after`` set)."""
        body = dict(self.json)
        body["variables"] = {**body.get("variables", {}), "after": cursor}
        return attrs.evolve(self, json=body)


Timeout = float | httpx.Timeout
"""A timeout as callers give it: seconds for the whole attempt, or httpx's limits per phase."""

# Headers the library sets itself and an ``extra_headers`` may not replace: the credentials (a key or a
# storefront signature sent where the other is expected would mix scopes), the cursor mode the pagers depend on,
# and what httpx derives from the body and the URL.
RESERVED_HEADERS = frozenset(
    {"x-api-key", "authorization", "x-og-api-version", "content-type", "content-length", "transfer-encoding", "host"}
)


def _timeout(value: Timeout | None) -> Timeout | None:
    return None if value is None else check_timeout(value)


def _max_retries(value: int | None) -> int | None:
    return None if value is None else check_max_retries(value)


def _extra_headers(value: ExtraHeaders | None) -> tuple[tuple[str, str | None], ...]:
    return check_headers("extra_headers", value)


def check_headers(name: str, value: Mapping[str, str | None] | None) -> tuple[tuple[str, str | None], ...]:
    """Headers to add (a value of None removes a header the library would send), each checked now: a bad one would
    fail inside httpx, its message carrying the value."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{name} must be a mapping of header names to strings, got {type(value).__name__}")
    checked: list[tuple[str, str | None]] = []
    for key, text in value.items():
        if not isinstance(key, str) or not key or not _TOKEN.fullmatch(key):
            raise ConfigurationError(f"{name}: {key!r} is not a valid header name")
        if key.lower() in RESERVED_HEADERS:
            raise ConfigurationError(
                f"{name} cannot set {key}: the client sets it (credentials: pass api_key= or auth= to the client; "
                "the rest follows from the call)"
            )
        if text is not None and not (isinstance(text, str) and text.isascii() and text.isprintable()):
            # The value is not shown: it may be a credential of a proxy.
            raise ConfigurationError(f"{name}: the value of {key} must be a string of printable ASCII (or None)")
        checked.append((key, text))
    return tuple(checked)


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

QueryValue = str | int | bool

# The per-call extras as the methods take them (openai-python's names): headers to add (None removes one of the
# library's), query parameters to add, and fields to add to a JSON object body.
ExtraHeaders = Mapping[str, str | None]
ExtraQuery = Mapping[str, QueryValue | Sequence[QueryValue]]
ExtraBody = Mapping[str, Any]


def _query_text(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        _encoded(name, value)  # refused when it cannot be sent
        return value
    raise ConfigurationError(f"extra_query: {name} must be a string, an int or a bool, got {type(value).__name__}")


def _extra_query(value: ExtraQuery | None) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"extra_query must be a mapping of names to values, got {type(value).__name__}")
    params: list[tuple[str, str]] = []
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ConfigurationError(f"extra_query: {key!r} is not a valid parameter name")
        values = item if isinstance(item, Sequence) and not isinstance(item, str) else [item]
        params.extend((key, _query_text(key, one)) for one in values)
    if sum(len(key) + len(quote(text, safe="")) + 2 for key, text in params) > QUERY_LIMIT:
        raise ConfigurationError(f"extra_query is too long (over {QUERY_LIMIT:,} characters once URL-encoded)")
    return tuple(params)


def _extra_body(value: ExtraBody | None) -> Mapping[str, Any] | None:
    if value is not None and not isinstance(value, Mapping):
        raise ConfigurationError(f"extra_body must be a mapping of field names to values, got {type(value).__name__}")
    return None if value is None else dict(value)


@attrs.frozen
class Options:
    """One call's overrides of the client's defaults (None keeps the client's) and its extras, checked when made.

    The extras add to what the library sends, never replace it: an ``extra_query`` or ``extra_body`` name the call
    sends itself, and the headers the client owns (:data:`RESERVED_HEADERS`), are refused.
    """

    timeout: Timeout | None = attrs.field(default=None, converter=_timeout)
    max_retries: int | None = attrs.field(default=None, converter=_max_retries)
    extra_headers: tuple[tuple[str, str | None], ...] = attrs.field(default=None, converter=_extra_headers, repr=False)
    extra_query: tuple[tuple[str, str], ...] = attrs.field(default=None, converter=_extra_query)
    extra_body: Mapping[str, Any] | None = attrs.field(default=None, converter=_extra_body, repr=False)

    def resolve(self, timeout: Timeout, max_retries: int) -> RequestOptions:
        """These overrides over a client's defaults."""
        return RequestOptions(
            timeout=timeout if self.timeout is None else self.timeout,
            max_retries=max_retries if self.max_retries is None else self.max_retries,
            extra_headers=self.extra_headers,
            extra_query=self.extra_query,
            extra_body=self.extra_body,
        )


DEFAULTS = Options()


@attrs.frozen
class RequestOptions:
    """What one call is sent with: its options resolved against the client's."""

    timeout: Timeout
    max_retries: int
    extra_headers: tuple[tuple[str, str | None], ...] = attrs.field(default=(), repr=False)
    extra_query: tuple[tuple[str, str], ...] = ()
    extra_body: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    @property
    def deadline(self) -> float | None:
        """Seconds for the whole attempt (a float timeout); None with an ``httpx.Timeout``, whose phases bound it."""
        return None if isinstance(self.timeout, httpx.Timeout) else self.timeout

    @property
    def phases(self) -> dict[str, float | None]:
        """httpx's per-phase limits (its ``timeout`` request extension)."""
        timeout = self.timeout if isinstance(self.timeout, httpx.Timeout) else httpx.Timeout(self.timeout)
        return timeout.as_dict()

    def check(self, call: Call[Any]) -> None:
        """Refuse extras this call cannot take, before anything is sent."""
        if self.extra_body is not None:
            if not call.has_body or call.content is not None or not isinstance(call.json, dict):
                what = "a form body" if call.content is not None else "no JSON object body"
                raise ConfigurationError(
                    f"extra_body cannot be sent with {call.method} {call.path}: it sends {what} "
                    "(extra_body adds fields to a JSON object body)"
                )
            taken = sorted(set(self.extra_body) & set(call.json))
            if taken:
                raise ConfigurationError(
                    f"extra_body cannot replace {', '.join(taken)}: {call.method} {call.path} sends "
                    f"{'it' if len(taken) == 1 else 'them'} itself (pass the method's argument)"
                )
        if self.extra_query:
            # A list's cursor is the pager's: an extra one would replace each `next` link's, asking for one page
            # again and again.
            own = {name for name, _ in call.params} | (PAGER_PARAMS if call.paginated else set())
            taken = sorted({name for name, _ in self.extra_query} & own)
            if taken:
                raise ConfigurationError(
                    f"extra_query cannot replace {', '.join(taken)}: {call.method} {call.path} sends "
                    f"{'it' if len(taken) == 1 else 'them'} itself (pass the method's argument)"
                )


def segment(name: str, value: object) -> str:
    """One id as one percent-encoded path segment: it can never reach another endpoint."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a non-empty string, got {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string, got {shown(value)}")
    if value in (".", ".."):
        raise ConfigurationError(f"{name} {value!r} is not a valid id")
    return _encoded(name, value)


def _encoded(name: str, value: str) -> str:
    """``value`` percent-encoded (as a path segment; a query value takes no more), refused when it cannot be sent."""
    try:
        encoded = quote(value, safe="")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: httpx would fail at request time
        raise ConfigurationError(f"{name} must be valid Unicode text, got {shown(value)}") from None
    if len(encoded) > VALUE_LIMIT:
        raise ConfigurationError(
            f"{name} is too long: {len(encoded):,} characters once URL-encoded, at most {VALUE_LIMIT:,}"
        )
    return encoded


def shown(value: str) -> str:
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
                given = shown(value) if isinstance(value, str) else repr(value)
                raise ConfigurationError(f"{name} must be a non-empty string, got {given}")
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


def positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


def date_value(name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ConfigurationError(
            f"{name} must be a datetime.date (e.g. date(2026, 12, 1)), got {type(value).__name__} {value!r}"
        )
    return value
