"""The exchange, without I/O (sans-I/O, as h11 and httpcore do it): a :class:`Call` into ``httpx.Request``
objects, and each outcome (a response or a transport exception) into a result, a retry after a delay, or a typed
error. Both clients only send, sleep and loop; what to send, and whether and when to try again, is decided here.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

import attrs
import httpx

from ._call import LENIENT, URL_LIMIT, Call, Decoding, Options, RequestOptions, Timeout
from ._config import shown_url
from ._json import loads
from ._logs import loggable_url
from ._page import Page, check_next_url, origin
from ._status import connection_error, display_path, shown_content, status_error, summary
from ._sunset import SunsetNotice
from ._version import __version__
from .errors import (
    APIStatusError,
    ConfigurationError,
    OrdergrooveError,
    ResponseDecodeError,
    body_text,
)
from .retries import backoff_delay, request_was_sent

T = TypeVar("T")

logger = logging.getLogger("ordergroove")

USER_AGENT = f"ordergroove-python/{__version__}"
CURSOR_HEADER = "X-OG-API-VERSION"
# Statuses after which the server certainly did not act, so that even an action may be sent again.
NOT_APPLIED_STATUSES = frozenset({423, 429})
# A body starting (after whitespace) with an ASCII character no JSON value starts with: an HTML page, "OK".
# A byte order mark or another encoding's first byte is left to the parser.
_NOT_JSON = re.compile(rb"\s*[^\s\[{\"0-9tfn\x00\x80-\xff-]")


def _lookup(pairs: tuple[tuple[int, Callable[..., APIStatusError]], ...], status: int) -> Any:
    for key, value in pairs:
        if key == status:
            return value
    return None


# -- the exchange ----------------------------------------------------------------------------------------------


@attrs.frozen
class Done(Generic[T]):
    value: T
    # The answer the value was read from (for ``with_raw_response``).
    response: httpx.Response | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class Retry:
    delay: float


class Exchange(Generic[T]):
    """One call's attempts. ``request()`` gives the next request; ``on_response``/``on_exception`` decide."""

    def __init__(self, core: ClientCore, call: Call[T], options: RequestOptions) -> None:
        self.core = core
        self.call = call
        self.options = options
        self.attempt: int = 0
        self.url: str = call.url if call.url is not None else core.base_url + call.path
        # The URL an error keeps (.url, which a caller shows or logs and a pickle carries): a base_url's
        # user:password@ (sent as the Authorization header) masked, as in the repr.
        self._error_url = shown_url(self.url)
        self._sent_at: float | None = None
        self._shown_url: httpx.URL | None = None

    def request(self, build: Callable[..., httpx.Request] = httpx.Request) -> httpx.Request:
        """The next attempt's request; ``build`` is the httpx client's ``build_request`` (its defaults apply)."""
        call, options = self.call, self.options
        headers = dict(self.core.headers)
        if call.paginated:
            headers[CURSOR_HEADER] = "2"
        if call.content is not None and call.content_type is not None:
            headers["Content-Type"] = call.content_type
        # The extras, applied here and nowhere else; checked when the options were made (no reserved header) and
        # against the call (RequestOptions.check: nothing the call sends itself is replaced).
        for name, value in options.extra_headers:
            for same in [key for key in headers if key.lower() == name.lower()]:
                del headers[same]
            if value is not None:
                headers[name] = value
        params = call.params + options.extra_query
        url = self.url
        if options.extra_query and "?" in url:
            # httpx replaces a URL's query with `params`: a `next` link's cursor and filters are kept, and an
            # extra the link already carries is sent once.
            parsed = httpx.URL(url)
            names = {name for name, _ in options.extra_query}
            kept = tuple((name, value) for name, value in parsed.params.multi_items() if name not in names)
            params = kept + params
            url = str(parsed.copy_with(query=None))
        body = call.json if call.has_body and call.content is None else None
        if options.extra_body is not None:
            body = {**call.json, **options.extra_body}  # a JSON object (RequestOptions.check)
        try:
            request = build(
                call.method,
                url,
                params=params or None,
                json=body,
                content=call.content,
                headers=headers,
                extensions={"timeout": options.phases},
            )
        except UnicodeEncodeError:
            # httpx writes a JSON body as UTF-8: text holding a lone surrogate (decoded with surrogateescape, or
            # "\ud800" from JSON) has no UTF-8 form. Refused before anything is sent, without echoing the value.
            raise ConfigurationError(
                f"cannot send {call.method} {call.path[:100]}: its body holds text that is not valid Unicode "
                "(a lone surrogate such as '\\ud800' has no UTF-8 form)"
            ) from None
        except httpx.InvalidURL as exc:
            # Ids, query values and `next` links are checked before; what is left is the base URL itself (the
            # message does not repeat the URL, which may be tens of thousands of characters long).
            raise ConfigurationError(
                f"cannot send {call.method} {call.path[:100]}: httpx refuses its URL ({str(exc)[:100]}); "
                f"a URL must be at most {URL_LIMIT:,} characters, base_url included"
            ) from None
        self._shown_url = request.url
        return request

    def sent(self) -> None:
        """The attempt's request is being sent now: its log line gives the time from here to its outcome."""
        self._sent_at = time.monotonic()

    def _log_attempt(self, outcome: str) -> None:
        # One line per attempt (ORDERGROOVE_LOG=debug): what was asked, what came of it, which try, how long.
        if logger.isEnabledFor(logging.DEBUG):
            elapsed = (time.monotonic() - self._sent_at) * 1000 if self._sent_at is not None else 0.0
            logger.debug(
                "%s %s -> %s (attempt %d of %d, %.0f ms)",
                self.call.method,
                loggable_url(self._shown_url if self._shown_url is not None else self.url),
                outcome,
                self.attempt + 1,
                self.options.max_retries + 1,
                elapsed,
            )

    def _retry(self, reason: str, retry_after: float | None = None) -> Retry | None:
        if self.attempt >= self.options.max_retries:
            return None
        delay = retry_after if retry_after is not None else backoff_delay(self.attempt, self.core.rng)
        self.attempt += 1
        logger.debug(
            "retrying %s %s in %.2fs after %s (retry %d of %d)",
            self.call.method,
            display_path(self.url),
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
        self._log_attempt(type(exc).__name__)
        if not sent or self.call.idempotent:
            step = self._retry(type(exc).__name__)
            if step is not None:
                return step
        raise connection_error(exc, method, self._error_url, sent=sent) from exc

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
        self._log_attempt(str(status))
        # Ordergroove's notice that what was asked (a dated GraphQL version) will stop answering: logged once.
        self.core.sunset(response.headers.get("Sunset"), method, display_path(self.url))
        error_class = _lookup(self.call.status_errors, status)
        # Anything but a 2xx is an error, redirects included (they are not followed: the key must not travel).
        if error_class is not None or not 200 <= status < 300:
            error = status_error(response, method, self._error_url, error_class)
            retryable = status in NOT_APPLIED_STATUSES or (self.call.idempotent and status >= 500)
            if retryable:
                step = self._retry(f"{status}", error.retry_after)
                if step is not None:
                    return step
            raise error
        for fixed_status, value in self.call.status_values:
            if fixed_status == status:
                return Done(value, response)
        return Done(self._decode(response), response)

    def _decode(self, response: httpx.Response) -> T:
        where = f"{self.call.method} {display_path(self.url)}"
        try:
            # A body that clearly is not JSON is not parsed: a parser's error on a large one costs many times its
            # size (orjson's over ten times: its error keeps the whole document as text).
            if _NOT_JSON.match(response.content) is not None:
                raise ValueError("not JSON")
            body = loads(response.content)
        except (ValueError, RecursionError):
            shown = shown_content(response)
            raise ResponseDecodeError(
                f"{response.status_code} from {where} is not JSON: {summary(shown)}",
                status_code=response.status_code,
                body=body_text(shown),
                method=self.call.method,
                url=self._error_url,
            ) from None
        try:
            value = self._decoded(body, response)
        except ResponseDecodeError as exc:
            raise ResponseDecodeError(
                f"{exc.message} (in the answer to {where})",
                status_code=response.status_code,
                body=body_text(shown_content(response)),
                method=self.call.method,
                url=self._error_url,
            ) from None
        if isinstance(value, Page) and value.next_url is not None:
            if self.call.url is None:
                self.core.check_next_url(value.next_url)
            else:  # a list on another host (entitlements-service): its links stay on that host
                check_next_url(value.next_url, self.call.url, origin(self.call.url))
        if isinstance(value, Page) and self._shown_url is not None:
            # Where the page was read from: the pager's loop guard knows the first page by it. Without a base_url's
            # user:password@ (sent as the Authorization header): a caller shows or logs a page's URL.
            return cast(T, attrs.evolve(value, url=str(self._shown_url.copy_with(userinfo=b""))))
        return value

    def _decoded(self, body: Any, response: httpx.Response) -> T:
        """The call's value from the answer's JSON; an error the answer holds (a GraphQL ``errors`` on a 200) with
        the request's API key masked, as an error status's is (:func:`~._status.shown_content`)."""
        try:
            return self.call.decode(body, self.core.decoding)
        except OrdergrooveError:
            shown = shown_content(response)
            if shown == response.content:
                raise
        # The answer repeats the key ("Invalid key sk_..."): the error is made again from the answer as errors show
        # it, since the decoder never sees the request. Outside the except: the first error is not chained to it.
        unreadable = ResponseDecodeError(f"the answer to {self.call.method} {display_path(self.url)} could not be read")
        try:
            masked_body = loads(shown)
        except (ValueError, RecursionError):  # the masking cut a JSON escape (a key ending in a backslash)
            raise unreadable from None
        self.call.decode(masked_body, self.core.decoding)
        raise unreadable


@attrs.frozen
class ClientCore:
    """The configuration every request of one client shares; immutable, so copies can share a pool safely."""

    environment: str
    # A URL may carry a proxy's user:password@ (see _config.shown_url): masked in the repr.
    base_url: str = attrs.field(repr=shown_url)
    checkout_url: str = attrs.field(repr=shown_url)
    om_url: str = attrs.field(repr=shown_url)
    entitlements_url: str = attrs.field(repr=shown_url)
    # Every request's headers: the library's, the key, and the client's ``headers=`` over them.
    headers: Mapping[str, str] = attrs.field(repr=False)
    # The client's ``headers=`` (a None value removes one of the library's), kept for its copies to add to.
    custom_headers: tuple[tuple[str, str | None], ...] = attrs.field(repr=False)
    auth: httpx.Auth | None = attrs.field(repr=False)
    timeout: Timeout
    max_retries: int
    # The GraphQL API version this client's ``client.graphql`` calls (checked where the client is built).
    graphql_version: str
    rng: random.Random | None = attrs.field(default=None, repr=False)
    # How the answers' records are read (strict or lenient): decided once, for every call of the client.
    decoding: Decoding = LENIENT
    # Shared with the copies made by with_options (attrs.evolve passes it on): one warning per client.
    sunset: SunsetNotice = attrs.field(factory=SunsetNotice, repr=False, eq=False)
    # "scheme://host/" of base_url: a `next` link starting with it is on the configured host.
    _origin: str = attrs.field(init=False, repr=False, eq=False)

    @_origin.default
    def _origin_of_base_url(self) -> str:
        return origin(self.base_url)

    def options(self, options: Options, call: Call[Any] | None = None) -> RequestOptions:
        """One call's options over this client's defaults (checked against ``call``, before anything is sent)."""
        resolved = options.resolve(self.timeout, self.max_retries)
        if call is not None:
            resolved.check(call)
        return resolved

    def exchange(self, call: Call[T], options: RequestOptions) -> Exchange[T]:
        return Exchange(self, call, options)

    def check_next_url(self, url: str) -> None:
        check_next_url(url, self.base_url, self._origin)


def build_headers(api_key: str | None, custom: tuple[tuple[str, str | None], ...] = ()) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if api_key is not None:
        headers["x-api-key"] = api_key
    for name, value in custom:  # checked: never a reserved header (the key's among them)
        for same in [key for key in headers if key.lower() == name.lower()]:
            del headers[same]
        if value is not None:
            headers[name] = value
    return headers
