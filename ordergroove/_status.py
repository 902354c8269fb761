"""Error mapping, without I/O: an error answer (Ordergroove's Django REST framework body) into a typed
:class:`~ordergroove.errors.APIStatusError` whose message reads as a sentence, and any body summarised for one."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import _config
from .errors import APIConnectionError, APIStatusError, APITimeoutError, body_text, masked, status_error_class
from .retries import retry_after_seconds

MESSAGE_LIMIT = 500
SUMMARY_LIMIT = 200
# An error body longer than this is not an error object worth parsing (Ordergroove's are a few KiB at most).
ERROR_JSON_LIMIT = 1024 * 1024

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
# How much of a body (after its leading whitespace) a summary reads: ample for SUMMARY_LIMIT characters. Decoding
# and splitting a whole large page only to keep 200 characters of it cost many times its size.
_SUMMARY_SCAN = 4096


def summary(content: bytes) -> str:
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


def shown_content(response: httpx.Response) -> bytes:
    """The body, as an error shows it: the API key the request carried masked, should the server (or a proxy
    before it) repeat it (``Invalid API key ...``). A key shorter than 8 characters is no real key's and is left:
    masking it would mask ordinary words (:func:`~ordergroove.errors.masked`)."""
    try:
        key = response.request.headers.get("x-api-key")
    except RuntimeError:  # a response built without its request
        return response.content
    return masked(response.content, (key,))


def status_error(
    response: httpx.Response, method: str, url: str, error_class: Callable[..., APIStatusError] | None = None
) -> APIStatusError:
    content = shown_content(response)
    detail, fields = parse_error_body(content)
    messages = []
    if detail:
        messages.append(detail)
    messages.extend(f"{name}: {', '.join(texts)}" for name, texts in fields.items())
    said = "; ".join(messages) if messages else summary(content)
    if len(said) > MESSAGE_LIMIT:  # the full text stays in .detail, .field_errors and .body
        said = said[: MESSAGE_LIMIT - 3] + "..."
    reason = response.reason_phrase or "Error"
    message = f"{response.status_code} {reason} from {method} {display_path(url)}: {said}"
    if response.status_code in (401, 403):
        message += f" [{where(url)}: {_KEY_HINT}]"
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


def display_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


_KEY_HINT = (
    "check the API key (ORDERGROOVE_API_KEY or api_key=), that it belongs to this environment, "
    "and that it has the permission this call needs"
)
_HOST_HINT = (
    "check the network, and that the environment (ORDERGROOVE_ENVIRONMENT, environment=) or the base URL "
    "(ORDERGROOVE_BASE_URL, base_url=) is the one meant"
)


def where(url: str) -> str:
    """``host (environment)`` of ``url``: which Ordergroove a request went to. Never the URL's user or password."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if parts.port:
        host = f"{host}:{parts.port}"
    origin = f"{parts.scheme}://{parts.hostname}"
    for name, hosts in _config.ENVIRONMENTS.items():
        if origin in (hosts.rest, hosts.checkout, hosts.om, hosts.entitlements) and not parts.port:
            return f"{host} ({name})"
    return f"{host} (a custom base URL)"


def os_error_text(exc: BaseException) -> str | None:
    """The operating system's error under a transport exception: ``Connection refused``, ``Name or service not
    known``... (httpx and anyio wrap it, sometimes in a generic "All connection attempts failed")."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, OSError) and current.errno is not None:
            errno = current.errno
            text = os.strerror(errno) if errno > 0 else (current.strerror or str(current))
            return f"{text} [Errno {errno}]"
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def connection_error(exc: httpx.HTTPError, method: str, url: str, *, sent: bool) -> APIConnectionError:
    """A transport failure as the typed error: where it went (host and environment), the OS error, and what to
    check. Decided here, the one place error messages are written."""
    timed_out = isinstance(exc, httpx.TimeoutException)
    kind = APITimeoutError if timed_out else APIConnectionError
    os_error = os_error_text(exc)
    cause = type(exc).__name__ + (f": {os_error}" if os_error else "")
    message = f"{method} {display_path(url)} to {where(url)} {'timed out' if timed_out else 'failed'} ({cause})"
    if sent:
        message += " after the request was sent: the server may have acted on it"
    elif isinstance(exc, httpx.ConnectError):
        message += f"; {_HOST_HINT}"
    return kind(message, method=method, url=url, request_sent=sent, os_error=os_error)
