"""Describing a call, without I/O: the :class:`Call` a resource method builds, and the checks of its arguments.

Everything here runs before any request is sent, so that a bad argument fails early and names itself; ids and
query values are percent-encoded here, so an id can never reach another endpoint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import attrs

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
    # A POST that only reads (a GraphQL query): retried as a read is, after any failure.
    reads: bool = False
    # A GET that changes something (the 1-click actions): not a read, so never re-sent once it may have arrived.
    acts: bool = False

    @property
    def is_read(self) -> bool:
        return self.reads or (self.method in READ_METHODS and not self.acts)

    def follow(self, url: str) -> Call[T]:
        return attrs.evolve(self, url=url, params=())

    def after(self, cursor: str) -> Call[T]:
        """This GraphQL call again, for the page after ``cursor`` (the same query and filters, ``$after`` set)."""
        body = dict(self.json)
        body["variables"] = {**body.get("variables", {}), "after": cursor}
        return attrs.evolve(self, json=body)


def _timeout(value: float | None) -> float | None:
    return None if value is None else check_timeout(value)


def _max_retries(value: int | None) -> int | None:
    return None if value is None else check_max_retries(value)


@attrs.frozen
class Options:
    """One call's overrides of the client's defaults (None keeps the client's), checked when made."""

    timeout: float | None = attrs.field(default=None, converter=_timeout)
    max_retries: int | None = attrs.field(default=None, converter=_max_retries)

    def resolve(self, timeout: float, max_retries: int) -> RequestOptions:
        """These overrides over a client's defaults."""
        return RequestOptions(
            timeout=timeout if self.timeout is None else self.timeout,
            max_retries=max_retries if self.max_retries is None else self.max_retries,
        )


DEFAULTS = Options()


@attrs.frozen
class RequestOptions:
    """What one call is sent with: its options resolved against the client's."""

    timeout: float
    max_retries: int


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
