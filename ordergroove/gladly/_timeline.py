"""Timeline notes: CUSTOMER_ACTIVITY conversation items posted to Gladly's REST API.

The decisions (request building, what a status means, whether and when to try again, following a merged
customer) live in :class:`_ActivityPlan`, which does no I/O; :class:`GladlyClient` and
:class:`AsyncGladlyClient` differ only in how they send and how they sleep.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, TypeAlias
from urllib.parse import quote, unquote

import anyio
import attrs
import httpx

from ordergroove import __version__
from ordergroove.errors import BODY_LIMIT as ERROR_BODY_LIMIT
from ordergroove.errors import APIConnectionError, APITimeoutError, ConfigurationError, OrdergrooveError
from ordergroove.gladly._errors import GladlyAPIError, GladlyErrorItem
from ordergroove.gladly._signing import utf8_bytes
from ordergroove.retries import (
    RETRY_AFTER_CAP,
    backoff_delay,
    check_max_retries,
    check_timeout,
    request_was_sent,
    retry_after_seconds,
)

__all__ = [
    "ACTIVITY_TYPES",
    "ActivityLink",
    "ActivityResult",
    "AsyncGladlyClient",
    "GladlyClient",
    "activity_id",
]

_log = logging.getLogger("ordergroove.gladly")

ACTIVITY_TYPES = frozenset({"EMAIL", "ISSUE", "SMS", "SURVEY"})
TITLE_LIMIT = 100
BODY_LIMIT = 25_000
LINK_TEXT_LIMIT = 50
ITEM_ID_LIMIT = 49  # Gladly: "under 50 characters"
_ELLIPSIS = "\u2026"
_ITEM_ID_RE = re.compile(r"[A-Za-z0-9._~-]+")  # RFC 3986 unreserved: safe anywhere in a URL

# A longer Retry-After is not waited for: blocking an action's caller that long is worse than failing.
_RETRY_AFTER_LIMIT = 30.0
# Gladly's answers are small JSON documents (a created item echoes a note of at most 25,000 characters):
# a larger body is not parsed, and an error's text is taken from its first characters only.
_JSON_LIMIT = 1 << 20
_SUMMARY_LIMIT = 200
_SUMMARY_SCAN = 4096  # characters looked at to find the summary's words (a 20 MiB page is never split whole)
_MESSAGE_LIMIT = 500

# Module-level so tests can patch them; looked up at call time.
_sleep = time.sleep
_async_sleep = anyio.sleep


_DEFAULT_LINK_TEXT = "View in Ordergroove"


@attrs.frozen
class ActivityLink:
    """The link shown on a timeline item; ``text`` is cut to 50 characters."""

    url: str
    text: str = _DEFAULT_LINK_TEXT


@attrs.frozen
class ActivityResult:
    """A timeline note that Gladly now holds.

    ``customer_id`` is the customer it was posted to (the surviving one when Gladly had merged the customer
    given, then ``merged_from`` is the one given). ``duplicate`` is True when Gladly already had an item
    with ``item_id`` (409): the note was written before, which counts as done. ``item`` is Gladly's answer
    body when it was JSON.
    """

    customer_id: str
    item_id: str | None
    duplicate: bool
    status_code: int
    merged_from: str | None = None
    item: Mapping[str, Any] | None = attrs.field(default=None, eq=False, repr=False)


def activity_id(*parts: object) -> str:
    """A stable, url-safe conversation item id (46 characters) derived from ``parts`` (each by its ``str``).

    Derive it from what identifies the action (for example ``("cancel", subscription_id, request_id)``) so
    that posting the note again sends the same id and Gladly answers 409 instead of writing it twice.
    """
    if not parts:
        raise ConfigurationError("activity_id needs at least one part")
    # JSON keeps the parts apart: ("a,b",) and ("a", "b") must not collide.
    encoded = json.dumps([str(part) for part in parts], ensure_ascii=False).encode("utf-8")
    digest = base64.urlsafe_b64encode(hashlib.sha256(encoded).digest()).rstrip(b"=").decode("ascii")
    return f"og-{digest}"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut.

    Counted in UTF-16 code units, which is never fewer than code points: within the limit however Gladly
    counts, and a character outside the BMP is never split.
    """
    if _utf16_len(text) <= limit:
        return text
    kept: list[str] = []
    used = 1  # the ellipsis
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit:
            break
        kept.append(char)
        used += width
    return "".join(kept).rstrip() + _ELLIPSIS


def _format_occurred_at(occurred_at: datetime) -> str:
    if not isinstance(occurred_at, datetime):
        raise ConfigurationError("occurred_at must be a datetime")
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise ConfigurationError("occurred_at must be timezone-aware")
    utc = occurred_at.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _customer_segment(customer_id: str) -> str:
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise ConfigurationError("customer_id must be a non-empty string")
    if customer_id in {".", ".."}:
        raise ConfigurationError(f"{customer_id!r} is not a customer id")
    utf8_bytes(customer_id, "customer_id")
    return quote(customer_id, safe="")


def _build_content(
    *,
    title: str,
    body: str,
    occurred_at: datetime,
    link: ActivityLink | Mapping[str, str] | None,
    item_id: str | None,
    activity_type: str,
    source_name: str,
) -> dict[str, Any]:
    if not isinstance(title, str) or not title.strip():
        raise ConfigurationError("title must be a non-empty string")
    if not isinstance(body, str):
        raise ConfigurationError("body must be a string")
    utf8_bytes(title, "title")
    utf8_bytes(body, "body")
    utf8_bytes(source_name, "source_name")
    if activity_type not in ACTIVITY_TYPES:
        raise ConfigurationError(f"activity_type must be one of {', '.join(sorted(ACTIVITY_TYPES))}")
    if item_id is not None and not (
        isinstance(item_id, str) and len(item_id) <= ITEM_ID_LIMIT and _ITEM_ID_RE.fullmatch(item_id)
    ):
        raise ConfigurationError(
            "item_id must be 1 to 49 url-safe characters (letters, digits, '-', '_', '.', '~'); "
            "activity_id(...) derives one"
        )
    content: dict[str, Any] = {
        "type": "CUSTOMER_ACTIVITY",
        "activityType": activity_type,
        "title": _truncate(title, TITLE_LIMIT),
        "body": _truncate(body, BODY_LIMIT),
        "sourceName": source_name,
        "occurredAt": _format_occurred_at(occurred_at),
    }
    if link is not None:
        if isinstance(link, Mapping):
            link = ActivityLink(url=link.get("url", ""), text=link.get("text", _DEFAULT_LINK_TEXT))
        if not link.url:
            raise ConfigurationError("link.url must not be empty")
        utf8_bytes(link.url, "link.url")
        utf8_bytes(link.text, "link.text")
        content["link"] = {"url": link.url, "text": _truncate(link.text, LINK_TEXT_LIMIT)}
    payload: dict[str, Any] = {"content": content}
    if item_id is not None:
        payload = {"id": item_id, **payload}
    return payload


def _retry_after(response: httpx.Response) -> float | None:
    # Capped like the core's, so that the hint an error carries is a wait a caller can make. Longer than
    # _RETRY_AFTER_LIMIT is not waited for (see _ActivityPlan.on_response).
    return retry_after_seconds(response.headers.get("Retry-After"), cap=RETRY_AFTER_CAP)


def _bounded(seconds: float) -> float:
    """Every wait passes here: between 0 and _RETRY_AFTER_LIMIT, whatever Retry-After said or however it was read
    (NaN included)."""
    if 0.0 <= seconds <= _RETRY_AFTER_LIMIT:
        return seconds
    return 0.0 if seconds < 0 else _RETRY_AFTER_LIMIT


def _json_body(response: httpx.Response) -> Any:
    """The body as JSON, or None: not JSON, larger than _JSON_LIMIT, or nested too deeply to parse."""
    content = response.content
    if len(content) > _JSON_LIMIT:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: "[[[[...", which must not escape as itself
        return None


def _text_prefix(response: httpx.Response, characters: int) -> str:
    """The first ``characters`` of the body's text, decoding no more of it than they can take (4 bytes each)."""
    return response.content[: characters * 4].decode("utf-8", "replace")[:characters]


def _errors_of(response: httpx.Response) -> list[GladlyErrorItem]:
    data = _json_body(response)
    raw = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return []
    items = []
    for entry in raw:
        if isinstance(entry, dict):
            fields = {k: entry.get(k) for k in ("attr", "code", "detail")}
            items.append(GladlyErrorItem(**{k: v if isinstance(v, str) else None for k, v in fields.items()}))
    return items


def _customer_from_location(location: str, base: httpx.URL) -> str | None:
    """The customer id a 301's ``Location`` names (``.../customers/<id>[/...]``), or None."""
    try:
        url = base.join(location)
    except httpx.InvalidURL:
        return None
    segments = url.raw_path.decode("ascii", "replace").split("?", 1)[0].split("/")
    for index, segment in enumerate(segments[:-1]):
        if segment == "customers" and segments[index + 1]:
            return unquote(segments[index + 1])
    return None


@attrs.frozen
class _Done:
    result: ActivityResult


@attrs.frozen
class _Retry:
    delay: float


@attrs.frozen
class _Fail:
    error: OrdergrooveError


_Step: TypeAlias = _Done | _Retry | _Fail


class _ActivityPlan:
    """One ``add_activity`` call, without I/O: what to send next and what each outcome means."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
        max_retries: int,
        customer_id: str,
        payload: dict[str, Any],
        item_id: str | None,
    ) -> None:
        self._base_url = base_url
        self._headers = headers
        self._timeout = timeout
        self._max_retries = max_retries
        self._payload = payload
        self._item_id = item_id
        self.customer_id = customer_id
        self._given_customer_id = customer_id
        self._retries = 0
        self._redirected = False

    def url(self) -> str:
        return f"{self._base_url}/api/v1/customers/{_customer_segment(self.customer_id)}/conversation-items"

    def request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.url(),
            headers=self._headers,
            json=self._payload,
            extensions={"timeout": self._timeout.as_dict()},
        )

    def _result(self, response: httpx.Response, *, duplicate: bool) -> ActivityResult:
        data = _json_body(response)
        item = data if isinstance(data, dict) else None
        item_id = self._item_id
        if item_id is None and item is not None and isinstance(item.get("id"), str):
            item_id = item["id"]
        return ActivityResult(
            customer_id=self.customer_id,
            item_id=item_id,
            duplicate=duplicate,
            status_code=response.status_code,
            merged_from=self._given_customer_id if self._redirected else None,
            item=item,
        )

    def _backoff(self, retry_after: float | None) -> float:
        # Full jitter: concurrent writers that were refused together do not come back together.
        return retry_after if retry_after is not None else backoff_delay(self._retries)

    def _retry(self, retry_after: float | None = None) -> _Retry:
        delay = _bounded(self._backoff(retry_after))
        self._retries += 1
        return _Retry(delay)

    def _error(self, response: httpx.Response, hint: str = "") -> GladlyAPIError:
        errors = _errors_of(response)
        status = f"{response.status_code} {response.reason_phrase}".strip()
        message = f"Gladly answered {status} to POST {self.url()}"
        said = "; ".join(str(error) for error in errors[:20])
        if not said:
            snippet = " ".join(_text_prefix(response, _SUMMARY_SCAN).split())
            said = snippet if len(snippet) <= _SUMMARY_LIMIT else snippet[:_SUMMARY_LIMIT] + "..."
        if said:
            message += ": " + (said if len(said) <= _MESSAGE_LIMIT else said[:_MESSAGE_LIMIT] + "...")
        if hint:
            message += f" ({hint})"
        return GladlyAPIError(
            message,
            status_code=response.status_code,
            method="POST",
            url=self.url(),
            errors=errors,
            # One character more than GladlyAPIError keeps, so that it still marks a longer body as cut.
            body=_text_prefix(response, ERROR_BODY_LIMIT + 1),
            retry_after=_retry_after(response) if response.status_code == 429 else None,
        )

    def on_response(self, response: httpx.Response) -> _Step:
        status = response.status_code
        _log.debug("Gladly POST %s -> %s", self.url(), status)
        if 200 <= status < 300:
            return _Done(self._result(response, duplicate=False))
        if status == 409 and self._item_id is not None:
            return _Done(self._result(response, duplicate=True))
        if status == 301:
            return self._on_moved(response)
        can_retry = self._retries < self._max_retries
        # With an item id a repeat is harmless (Gladly answers 409), so a server error can be retried.
        if status == 429 or (status in {500, 502, 503, 504} and self._item_id is not None):
            retry_after = _retry_after(response)
            if retry_after is not None and not retry_after <= _RETRY_AFTER_LIMIT:  # "not <=": NaN is too long too
                return _Fail(self._error(response, f"Gladly asked to wait more than {_RETRY_AFTER_LIMIT:g} s"))
            if can_retry:
                return self._retry(retry_after)
            if status == 429:
                return _Fail(self._error(response, "rate limited: retries exhausted"))
        hints = {401: "check the Gladly user and API token", 403: "the API user lacks permission"}
        return _Fail(self._error(response, hints.get(status, "")))

    def _on_moved(self, response: httpx.Response) -> _Step:
        location = response.headers.get("Location")
        new_id = _customer_from_location(location, httpx.URL(self.url())) if location else None
        if self._redirected or not new_id or new_id == self.customer_id:
            reason = "merged customer redirect not followed: " + (
                "a second redirect" if self._redirected else "no customer id in Location"
            )
            return _Fail(self._error(response, reason))
        _log.info("Gladly customer %s was merged into %s; posting there", self.customer_id, new_id)
        self._redirected = True
        self.customer_id = new_id
        return _Retry(0.0)

    def on_error(self, exc: httpx.RequestError) -> _Step:
        sent = request_was_sent(exc)
        _log.debug("Gladly POST %s failed: %s", self.url(), type(exc).__name__)
        # Repeating is safe if Gladly never saw the request, or if the item id makes a repeat a 409.
        if self._retries < self._max_retries and (not sent or self._item_id is not None):
            return self._retry()
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        message = f"POST {self.url()} to Gladly {kind} ({type(exc).__name__})"
        if sent:
            message += "; Gladly may have written the note"
        error_class = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        return _Fail(error_class(message, method="POST", url=self.url(), request_sent=sent))


class _GladlyClientBase:
    def __init__(self, host: str, user: str, api_token: str, *, timeout: float, max_retries: int) -> None:
        if not isinstance(host, str) or not host.strip():
            raise ConfigurationError("host must be the Gladly URL, like https://org.gladly.com")
        utf8_bytes(host, "host")
        try:
            url = httpx.URL(host.strip())
        except httpx.InvalidURL as exc:
            raise ConfigurationError(f"host {host!r} is not a URL") from exc
        if url.scheme not in {"https", "http"} or not url.host or url.query or url.fragment:
            raise ConfigurationError(f"host {host!r} must be like https://org.gladly.com")
        if url.userinfo:
            raise ConfigurationError("host must not carry credentials; pass user and api_token")
        if not user or not api_token:
            raise ConfigurationError("user and api_token must not be empty")
        # Encoded here, where a lone surrogate is refused without the UnicodeEncodeError that would quote it.
        user_bytes = utf8_bytes(user, "user (the Gladly API user's email)")
        token_bytes = utf8_bytes(api_token, "api_token")
        self.host = str(url).rstrip("/")
        self.user = user
        self._timeout = httpx.Timeout(check_timeout(timeout))
        self._max_retries = check_max_retries(max_retries)
        credentials = base64.b64encode(user_bytes + b":" + token_bytes).decode("ascii")
        self._headers = {
            "Authorization": f"Basic {credentials}",
            "Accept": "application/json",
            "User-Agent": f"ordergroove-python/{__version__} (gladly)",
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(host={self.host!r}, user={self.user!r})"

    def _plan(
        self,
        customer_id: str,
        *,
        title: str,
        body: str,
        occurred_at: datetime,
        link: ActivityLink | Mapping[str, str] | None,
        item_id: str | None,
        activity_type: str,
        source_name: str,
    ) -> _ActivityPlan:
        _customer_segment(customer_id)  # checked before anything is sent
        payload = _build_content(
            title=title,
            body=body,
            occurred_at=occurred_at,
            link=link,
            item_id=item_id,
            activity_type=activity_type,
            source_name=source_name,
        )
        return _ActivityPlan(
            base_url=self.host,
            headers=self._headers,
            timeout=self._timeout,
            max_retries=self._max_retries,
            customer_id=customer_id,
            payload=payload,
            item_id=item_id,
        )


class GladlyClient(_GladlyClientBase):
    """Writes timeline notes through Gladly's REST API (Basic auth: a Gladly user's email and API token).

    ``host`` is like ``https://org.gladly.com``. Pass ``http_client`` to reuse an ``httpx.Client`` (it is
    then not closed by :meth:`close`).
    """

    def __init__(
        self,
        host: str,
        user: str,
        api_token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(host, user, api_token, timeout=timeout, max_retries=max_retries)
        self._owns_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()

    def add_activity(
        self,
        customer_id: str,
        *,
        title: str,
        body: str,
        occurred_at: datetime,
        link: ActivityLink | Mapping[str, str] | None = None,
        item_id: str | None = None,
        activity_type: str = "EMAIL",
        source_name: str = "Ordergroove",
    ) -> ActivityResult:
        """Post a CUSTOMER_ACTIVITY item to the customer's timeline.

        ``occurred_at`` must be timezone-aware (it is sent in UTC, to the millisecond). A title longer than
        100 characters, a body longer than 25,000 and a link text longer than 50 are cut, ending with an
        ellipsis. ``item_id`` (see :func:`activity_id`) makes the call idempotent: a 409 (id taken) returns
        a result with ``duplicate=True``, and server errors or dropped connections are retried. Without an
        id only what Gladly certainly did not act on is retried. A 429 is retried (up to ``max_retries``)
        after ``Retry-After``; a 301 (the customer was merged) is followed once to the surviving customer.
        Any other error status raises :class:`GladlyAPIError`; a connection failure raises
        :class:`~ordergroove.errors.APIConnectionError` (``request_sent`` says whether Gladly may have acted).
        """
        plan = self._plan(
            customer_id,
            title=title,
            body=body,
            occurred_at=occurred_at,
            link=link,
            item_id=item_id,
            activity_type=activity_type,
            source_name=source_name,
        )
        while True:
            step: _Step
            try:
                # auth=None: a reused client's own auth must not replace the Gladly credentials.
                response = self._http.send(plan.request(), auth=None, follow_redirects=False)
            except httpx.RequestError as exc:
                step = plan.on_error(exc)
            else:
                step = plan.on_response(response)
            if isinstance(step, _Done):
                return step.result
            if isinstance(step, _Fail):
                raise step.error
            if step.delay > 0:
                _sleep(step.delay)

    def close(self) -> None:
        if self._owns_client:
            self._http.close()

    def __enter__(self) -> GladlyClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncGladlyClient(_GladlyClientBase):
    """:class:`GladlyClient` for ``async`` code (``httpx.AsyncClient``); every call is awaited."""

    def __init__(
        self,
        host: str,
        user: str,
        api_token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(host, user, api_token, timeout=timeout, max_retries=max_retries)
        self._owns_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()

    async def add_activity(
        self,
        customer_id: str,
        *,
        title: str,
        body: str,
        occurred_at: datetime,
        link: ActivityLink | Mapping[str, str] | None = None,
        item_id: str | None = None,
        activity_type: str = "EMAIL",
        source_name: str = "Ordergroove",
    ) -> ActivityResult:
        """Post a CUSTOMER_ACTIVITY item to the timeline (see :meth:`GladlyClient.add_activity`)."""
        plan = self._plan(
            customer_id,
            title=title,
            body=body,
            occurred_at=occurred_at,
            link=link,
            item_id=item_id,
            activity_type=activity_type,
            source_name=source_name,
        )
        while True:
            step: _Step
            try:
                response = await self._http.send(plan.request(), auth=None, follow_redirects=False)
            except httpx.RequestError as exc:
                step = plan.on_error(exc)
            else:
                step = plan.on_response(response)
            if isinstance(step, _Done):
                return step.result
            if isinstance(step, _Fail):
                raise step.error
            if step.delay > 0:
                await _async_sleep(step.delay)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncGladlyClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
