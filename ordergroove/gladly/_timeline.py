"""Timeline notes: CUSTOMER_ACTIVITY conversation items posted to Gladly's REST API.

The decisions (request building, what a status means, whether and when to try again, following a merged
customer) live in :class:`ActivityPlan`, which does no I/O. The clients only send, sleep and loop: they are written
once, for async, in ``_async/timeline.py``, and the sync one is generated from it (``scripts/generate_sync.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, TypeAlias
from urllib.parse import quote, unquote

import attrs
import httpx

from ordergroove import __version__
from ordergroove.errors import BODY_LIMIT as ERROR_BODY_LIMIT
from ordergroove.errors import APIConnectionError, APITimeoutError, ConfigurationError, OrdergrooveError, masked
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
    "ActivityPlan",
    "ActivityResult",
    "Done",
    "Fail",
    "GladlyClientBase",
    "Retry",
    "Step",
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
    # _RETRY_AFTER_LIMIT is not waited for (see ActivityPlan.on_response).
    return retry_after_seconds(response.headers.get("Retry-After"), cap=RETRY_AFTER_CAP)


def _bounded(seconds: float) -> float:
    """Every wait passes here: between 0 and _RETRY_AFTER_LIMIT, whatever Retry-After said or however it was read
    (NaN included)."""
    if 0.0 <= seconds <= _RETRY_AFTER_LIMIT:
        return seconds
    return 0.0 if seconds < 0 else _RETRY_AFTER_LIMIT


def _json_body(content: bytes) -> Any:
    """The body as JSON, or None: not JSON, larger than _JSON_LIMIT, or nested too deeply to parse."""
    if len(content) > _JSON_LIMIT:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: "[[[[...", which must not escape as itself
        return None


def _text_prefix(content: bytes, characters: int) -> str:
    """The first ``characters`` of the body's text, decoding no more of it than they can take (4 bytes each)."""
    return content[: characters * 4].decode("utf-8", "replace")[:characters]


def _errors_of(content: bytes) -> list[GladlyErrorItem]:
    data = _json_body(content)
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
class Done:
    result: ActivityResult


@attrs.frozen
class Retry:
    delay: float


@attrs.frozen
class Fail:
    error: OrdergrooveError


Step: TypeAlias = Done | Retry | Fail


class ActivityPlan:
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
        secrets: tuple[str, ...] = (),
    ) -> None:
        self._base_url = base_url
        self._secrets = secrets
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
        data = _json_body(response.content)  # the created item, the caller's own: shown as Gladly gave it
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

    def _retry(self, retry_after: float | None = None) -> Retry:
        delay = _bounded(self._backoff(retry_after))
        self._retries += 1
        return Retry(delay)

    def _error(self, response: httpx.Response, hint: str = "") -> GladlyAPIError:
        # The token and the Basic credentials masked, should Gladly (or a proxy before it) repeat them.
        content = masked(response.content, self._secrets)
        errors = _errors_of(content)
        status = f"{response.status_code} {response.reason_phrase}".strip()
        message = f"Gladly answered {status} to POST {self.url()}"
        said = "; ".join(str(error) for error in errors[:20])
        if not said:
            snippet = " ".join(_text_prefix(content, _SUMMARY_SCAN).split())
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
            body=_text_prefix(content, ERROR_BODY_LIMIT + 1),
            retry_after=_retry_after(response) if response.status_code == 429 else None,
        )

    def on_response(self, response: httpx.Response) -> Step:
        status = response.status_code
        _log.debug("Gladly POST %s -> %s", self.url(), status)
        if 200 <= status < 300:
            return Done(self._result(response, duplicate=False))
        if status == 409 and self._item_id is not None:
            return Done(self._result(response, duplicate=True))
        if status == 301:
            return self._on_moved(response)
        can_retry = self._retries < self._max_retries
        # With an item id a repeat is harmless (Gladly answers 409), so a server error can be retried.
        if status == 429 or (status in {500, 502, 503, 504} and self._item_id is not None):
            retry_after = _retry_after(response)
            if retry_after is not None and not retry_after <= _RETRY_AFTER_LIMIT:  # "not <=": NaN is too long too
                return Fail(self._error(response, f"Gladly asked to wait more than {_RETRY_AFTER_LIMIT:g} s"))
            if can_retry:
                return self._retry(retry_after)
            if status == 429:
                return Fail(self._error(response, "rate limited: retries exhausted"))
        hints = {401: "check the Gladly user and API token", 403: "the API user lacks permission"}
        return Fail(self._error(response, hints.get(status, "")))

    def _on_moved(self, response: httpx.Response) -> Step:
        location = response.headers.get("Location")
        new_id = _customer_from_location(location, httpx.URL(self.url())) if location else None
        if self._redirected or not new_id or new_id == self.customer_id:
            reason = "merged customer redirect not followed: " + (
                "a second redirect" if self._redirected else "no customer id in Location"
            )
            return Fail(self._error(response, reason))
        _log.info("Gladly customer %s was merged into %s; posting there", self.customer_id, new_id)
        self._redirected = True
        self.customer_id = new_id
        return Retry(0.0)

    def on_error(self, exc: httpx.RequestError) -> Step:
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
        return Fail(error_class(message, method="POST", url=self.url(), request_sent=sent))


class GladlyClientBase:
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
        self.host: str = str(url).rstrip("/")
        self.user: str = user
        self._timeout = httpx.Timeout(check_timeout(timeout))
        self._max_retries = check_max_retries(max_retries)
        credentials = base64.b64encode(user_bytes + b":" + token_bytes).decode("ascii")
        self._secrets = (api_token, credentials)
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
    ) -> ActivityPlan:
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
        return ActivityPlan(
            base_url=self.host,
            headers=self._headers,
            timeout=self._timeout,
            max_retries=self._max_retries,
            customer_id=customer_id,
            payload=payload,
            item_id=item_id,
            secrets=self._secrets,
        )
