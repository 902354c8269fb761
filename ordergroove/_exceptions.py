"""Every exception of the package, the extras' included: one module, so that there is one place to look.

Each is an :class:`OrdergrooveError`. Import them from :mod:`ordergroove.errors` (or ``ordergroove`` itself); the
extras' errors are also in their modules (``ordergroove.feed.FeedValidationError``, ``ordergroove.gladly...``).
Nothing here imports more than the standard library and attrs, so ``import ordergroove`` stays cheap.

Which is which: an error status is its status error even when its body is HTML or empty; a success whose
body is not JSON (or not of the expected shape) is a :class:`ResponseDecodeError`; a connection that failed,
or a body cut short, is an :class:`APIConnectionError` whose ``request_sent`` says whether the server could
have acted.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "ConfigurationError",
    "FeedUploadError",
    "FeedValidationError",
    "FieldEncryptionError",
    "GladlyAPIError",
    "GladlyErrorItem",
    "GladlySignatureError",
    "GraphQLError",
    "NoUpcomingOrderError",
    "NotFoundError",
    "OrdergrooveError",
    "PermissionDeniedError",
    "PurchaseAuthenticationError",
    "PurchaseBadRequestError",
    "PurchaseConflictError",
    "PurchaseError",
    "PurchasePartialError",
    "PurchasePermissionDeniedError",
    "RateLimitError",
    "ResourceLockedError",
    "ResponseDecodeError",
    "ServerError",
    "VersionSunsetError",
    "WebhookPayloadError",
    "WebhookVerificationError",
]

# Bodies are kept for diagnosis but never without bound: an HTML error page can be large.
BODY_LIMIT = 2000
_COUNT_CHUNK = 64 * 1024


class _Kept(str):
    """A body as :func:`body_text` keeps it: already cut to ``BODY_LIMIT``, with its note; kept as it is."""


def _truncate(text: str, limit: int = BODY_LIMIT) -> str:
    if isinstance(text, _Kept):
        return str(text)
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more characters]"


# A secret shorter than this is no real key's or token's: masking it would mask ordinary words.
_SECRET_MIN = 8


def masked(content: bytes, secrets: Iterable[str | None]) -> bytes:
    """``content`` with each of ``secrets`` (the API key, a token, Basic credentials the request carried) that a
    server or a proxy before it repeated (``Invalid API key ...``) replaced by ``***``: the one masking of an
    answer's body before an error shows it. Each in its JSON-escaped forms too (a quote or a backslash in a key, a
    slash some servers write "\\/") and its URL-encoded ones, which decoded are the secret itself. Longest first, so
    that a secret containing another (or its own unescaped form) goes whole."""
    masking = [secret for secret in secrets if secret and len(secret) >= _SECRET_MIN]  # (read once: any iterable)
    forms: set[str] = set()
    for secret in masking:
        for ascii_only in (True, False):
            escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
            forms |= {secret, escaped, escaped.replace("/", "\\/")}
    for form in sorted(forms, key=len, reverse=True):
        content = content.replace(form.encode("utf-8", errors="replace"), b"***")
    for secret in masking:
        content = _url_encoded(secret).sub(b"***", content)
    return content


def _url_encoded(secret: str) -> re.Pattern[bytes]:
    """Any URL-encoded form of ``secret`` (a server repeating the query or form it received): each character as
    itself or percent-encoded, whichever an encoder chose (Python's quote() keeps "/", encodeURIComponent "!"),
    in hex of either case, and encoded twice (a proxy encoding again what was encoded: "%2B" as "%252B"); a space
    also as "+" (twice: "%2B"), a slash also JSON-escaped ("\\/")."""
    parts = []
    for char in secret:
        raw = char.encode("utf-8", errors="replace")
        options = [re.escape(raw), b"".join(_percent(byte) for byte in raw)]
        if char == " ":
            options += [rb"\+", _percent(ord("+"))]
        if char == "/":
            options.append(rb"\\/")
        parts.append(b"(?:" + b"|".join(options) + b")")
    return re.compile(b"".join(parts))


def _percent(byte: int) -> bytes:
    """``byte`` percent-encoded, once or twice, as a pattern matching its hex in either case (%2B, %2b, %252B)."""
    return b"%(?:25)?" + b"".join(b"[" + bytes([digit]) + bytes([digit]).lower() + b"]" for digit in b"%02X" % byte)


def body_text(content: bytes) -> str:
    """``content`` as an error keeps it in ``.body``: what ``_truncate(content.decode("utf-8", "replace"))`` gives,
    decoding no more of a large body than is kept (the whole of a 20 MiB page would be copied up to 4 times)."""
    # A character takes at most 4 bytes (an undecodable byte becomes one U+FFFD), so this prefix holds the first
    # BODY_LIMIT + 1 characters in full, whatever follows them.
    head = content[: 4 * (BODY_LIMIT + 1)].decode("utf-8", errors="replace")
    if len(head) <= BODY_LIMIT:  # the whole body (a longer body has over BODY_LIMIT characters in its head)
        return head
    return _Kept(f"{head[:BODY_LIMIT]}... [{_characters(content) - BODY_LIMIT} more characters]")


def _characters(content: bytes) -> int:
    """``len(content.decode("utf-8", "replace"))``, counted a chunk at a time."""
    if content.isascii():
        return len(content)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    count = sum(len(decoder.decode(content[at : at + _COUNT_CHUNK])) for at in range(0, len(content), _COUNT_CHUNK))
    return count + len(decoder.decode(b"", final=True))


class OrdergrooveError(Exception):
    """The base of every exception raised by this library."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduce calls cls(*args), which keyword-only constructors (some of which rewrite the
        # message they are given) refuse: a process pool's worker error would be lost. Rebuilt as it is instead:
        # same class, args and attributes, which hold no secret (as the repr and str hold none).
        return (_rebuilt, (type(self), self.args), dict(self.__dict__))


def _rebuilt(cls: type[OrdergrooveError], args: tuple[Any, ...]) -> OrdergrooveError:
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    return error


class ConfigurationError(OrdergrooveError, ValueError):
    """The client or a call was given something unusable (no API key, an empty id, a quantity below 1, ...).

    Raised before any request is sent.
    """


class APIConnectionError(OrdergrooveError):
    """The request did not get a complete answer.

    ``request_sent`` is True when the server may have received (and acted on) the request: the library
    never repeats an action in that case, so the caller must check the state before trying again.
    """

    method: str
    url: str
    request_sent: bool
    os_error: str | None
    """The operating system's error underneath (``Connection refused``, ``Name or service not known``), if any."""

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool, os_error: str | None = None) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.request_sent = request_sent
        self.os_error = os_error


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class ResponseDecodeError(OrdergrooveError):
    """A success whose body is not JSON, or not of the shape the model expects."""

    status_code: int | None
    body: str | None
    method: str | None
    url: str | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: str | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = _truncate(body) if body is not None else None
        self.method = method
        self.url = url


class APIStatusError(OrdergrooveError):
    """Ordergroove answered with an error status.

    ``detail`` is Ordergroove's ``detail`` (or ``details``) text, ``field_errors`` its per-field messages,
    ``body`` the body text (truncated), whatever its format.
    """

    status_code: int
    method: str
    url: str
    detail: str | None
    field_errors: dict[str, list[str]]
    body: str
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        detail: str | None = None,
        field_errors: Mapping[str, list[str]] | None = None,
        body: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.detail = detail
        self.field_errors = dict(field_errors or {})
        self.body = _truncate(body)
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400: the request broke a business rule or a field was invalid (see ``detail`` / ``field_errors``)."""


class AuthenticationError(APIStatusError):
    """401: no credentials, or credentials Ordergroove does not accept."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this (for example a list across customers without Bulk Operations)."""


class NotFoundError(APIStatusError):
    """404: no such record."""


class ResourceLockedError(APIStatusError):
    """423: the record is in use; safe to retry shortly."""


class RateLimitError(APIStatusError):
    """429: over Ordergroove's rate limit; safe to retry after ``retry_after`` seconds (when given)."""


class ServerError(APIStatusError):
    """5xx: Ordergroove (or a load balancer in front of it) failed."""


# The limits a GraphQL server refuses a query for, told from its message: Ordergroove documents no error code.
_GRAPHQL_LIMITS = (("depth", "depth"), ("complexity", "complexity"), ("root field", "root_fields"))
_PAGE_SIZE_WORDS = ("'first'", "'last'", "page size")


def graphql_limit(message: str) -> str | None:
    """Which limit a GraphQL error message says was exceeded: depth, complexity, page_size, root_fields, or None."""
    lowered = message.lower()
    for word, limit in _GRAPHQL_LIMITS:
        if word in lowered:
            return limit
    if any(word in lowered for word in _PAGE_SIZE_WORDS) and ("between" in lowered or "max" in lowered):
        return "page_size"
    return None


class GraphQLError(APIStatusError):
    """A GraphQL answer with ``errors``: the query was refused (HTTP 400) or failed in part (HTTP 200).

    ``errors`` holds each error as ``{"message", "path", "locations", "extensions"}`` (None where the server
    sent none); ``data`` the partial data, if any; ``limit`` which limit a refused query exceeded (``"depth"``,
    ``"complexity"``, ``"page_size"``, ``"root_fields"``), else None. Other statuses (401, 403, 5xx ...) raise
    the same errors as for REST.
    """

    errors: list[dict[str, Any]]
    data: dict[str, Any] | None
    limit: str | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        body: str = "",
        retry_after: float | None = None,
        errors: Sequence[Any] | None = None,
        data: Any = None,
        **_: Any,
    ) -> None:
        if errors is None:  # built from an error status's body
            parsed = _json_object(body)
            found = parsed.get("errors")
            errors = found if isinstance(found, list) else []
            data = parsed.get("data")
        self.errors = [_graphql_error_entry(entry) for entry in errors]
        self.data = data if isinstance(data, dict) else None
        self.limit = next((graphql_limit(e["message"]) for e in self.errors if graphql_limit(e["message"])), None)
        said = "; ".join(e["message"] for e in self.errors)
        if len(said) > 500:
            said = said[:497] + "..."
        if status_code == 200:
            message = f"GraphQL errors from {method} {url}: {said or 'no error message'}"
        elif said:  # an error status's message, with the GraphQL messages as its text
            message = f"{message.split(': ', 1)[0]}: {said}"
        super().__init__(
            message,
            status_code=status_code,
            method=method,
            url=url,
            detail=said or None,
            body=body,
            retry_after=retry_after,
        )


class VersionSunsetError(APIStatusError):
    """410 Gone from a dated GraphQL version (``/graphql/2026-01/``): that version is past its sunset date and
    answers no more. ``version`` names it; set the client's ``graphql_version`` to a current one.

    Before that date, its answers carry a ``Sunset`` header, which the client logs once as a warning.
    """

    def __init__(self, message: str, *, version: str, body: str = "", **kwargs: Any) -> None:
        self.version = version
        errors = _json_object(body).get("errors")
        said = "; ".join(_graphql_error_entry(e)["message"] for e in (errors if isinstance(errors, list) else []))
        said = said or kwargs.get("detail") or ""
        kwargs["detail"] = said or None
        head = message.split(": ", 1)[0]
        message = (
            f"{head}: GraphQL API version {version} is past its sunset date and answers no more"
            + (f" (Ordergroove said: {said[:300]})" if said else "")
            + "; set graphql_version to a current version, e.g. og.Ordergroove(graphql_version=...)"
        )
        super().__init__(message, body=body, **kwargs)


def _graphql_error_entry(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        return {"message": str(entry), "path": None, "locations": None, "extensions": None}
    message = entry.get("message")
    return {
        "message": message if isinstance(message, str) else json.dumps(message, default=str),
        "path": entry.get("path"),
        "locations": entry.get("locations"),
        "extensions": entry.get("extensions"),
    }


class PurchaseError(APIStatusError):
    """Purchase POST (``client.checkout.purchase_post``) did not go through as a whole.

    ``error`` and ``error_message`` are Ordergroove's texts (either may be None), ``merchant_order_id`` the
    order that was sent, ``subs_req_id`` the request id when Ordergroove returned one. Raised as one of its
    subclasses; the 400/401/403 ones are also :class:`BadRequestError`, :class:`AuthenticationError`,
    :class:`PermissionDeniedError`.
    """

    error: str | None
    error_message: str | None
    subs_req_id: str | None
    merchant_order_id: str | None

    def __init__(self, message: str, *, merchant_order_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        data = _json_object(kwargs.get("body", ""))
        self.error = _text_or_none(data.get("error"))
        self.error_message = _text_or_none(data.get("error_message"))
        self.subs_req_id = _text_or_none(data.get("subs_req_id"))
        self.merchant_order_id = _text_or_none(data.get("merchant_order_id")) or merchant_order_id


class PurchasePartialError(PurchaseError):
    """207: Ordergroove received the order but created only some of its subscriptions.

    The order must not be sent again. ``subs_req_id`` (when given) tells what was created:
    ``client.checkout.purchase_status(error.subs_req_id)``.
    """


class PurchaseConflictError(PurchaseError):
    """409: this ``merchant_order_id`` was already received. Never retried; do not resend the same order id."""


class PurchaseBadRequestError(PurchaseError, BadRequestError):
    """400: nothing was created (a missing field, missing payment data, card fields that do not decrypt)."""


class PurchaseAuthenticationError(PurchaseError, AuthenticationError):
    """401 from Purchase POST."""


class PurchasePermissionDeniedError(PurchaseError, PermissionDeniedError):
    """403 from Purchase POST."""


def _json_object(body: object) -> dict[str, Any]:
    if not isinstance(body, str):
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


# Set (True) on an interruption (a cancellation, Ctrl-C) that stopped a call before any attempt of it that could
# have been applied: waiting for the rate limit, or to retry a clear refusal.
NOT_SENT = "_ordergroove_not_sent"


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a write that failed with ``exc`` may have been applied all the same: its request may have reached
    Ordergroove and failed there (a 5xx), been lost on the way back (a timeout or a connection dropped after
    sending), or been answered with a success whose body could not be read. A clear refusal (a 4xx, a request
    never sent) was not applied."""
    if isinstance(exc, APIConnectionError):
        return exc.request_sent
    if isinstance(exc, APIStatusError):
        return exc.status_code >= 500
    return isinstance(exc, ResponseDecodeError)


class BatchError(OrdergrooveError):
    """``products.batch_create`` / ``batch_update`` stopped at a request that failed; the requests before it were
    applied. Raised for any failed request, the first included; the error itself is ``error`` (and ``__cause__``).
    A call cancelled (``asyncio.CancelledError``) or interrupted (``KeyboardInterrupt``) partway raises that
    interruption itself, with a ``BatchError`` as its ``.batch`` attribute (``error`` is then the interruption, and
    the products of the request it stopped are of unknown outcome, or not applied when it had not left: waiting
    for the rate limit or to retry a refusal). ``asyncio.timeout`` raises ``TimeoutError`` from that
    ``CancelledError``: ``error.__cause__.batch``.

    ``results``: what the call would have returned for the products of the requests Ordergroove answered (one
    ``og.BatchResult`` each, in the order given; a product it refused is there with ``ok=False``).
    ``unknown``: the products of the failed request when its outcome is unknown (a 5xx, a timeout or a connection
    lost after sending, an answer that could not be read): Ordergroove may have applied them; check them (e.g.
    ``client.products.retrieve``) before sending them again. ``not_applied``: the products certainly not applied
    (those of a request clearly refused, a 4xx or one never sent, and every product after it): safe to send again.
    Each product is the object given (a mapping or a ``FeedProduct``). ``outcome_unknown``: ``unknown`` is not empty.
    The message counts the products; it holds none of their values, nor any credential.
    """

    results: list[Any]
    unknown: list[Any]
    not_applied: list[Any]
    error: BaseException

    def __init__(
        self,
        *,
        error: BaseException,
        request: int,
        requests: int,
        results: Sequence[Any],
        unknown: Sequence[Any],
        not_applied: Sequence[Any],
    ) -> None:
        self.results = list(results)
        self.unknown = list(unknown)
        self.not_applied = list(not_applied)
        self.error = error
        said = [f"{len(self.results)} answered (in .results)"]
        if self.unknown:
            said.append(f"{len(self.unknown)} of unknown outcome, maybe applied (in .unknown)")
        said.append(f"{len(self.not_applied)} not applied (in .not_applied)")
        happened = (
            f"failed ({type(error).__name__}: {error})"
            if isinstance(error, OrdergrooveError)
            else f"was interrupted ({type(error).__name__})"
        )
        super().__init__(f"products-batch request {request} of {requests} {happened}; products: {', '.join(said)}")

    @property
    def outcome_unknown(self) -> bool:
        """Whether some products may have been applied without an answer (they are in ``unknown``)."""
        return bool(self.unknown)


class NoUpcomingOrderError(OrdergrooveError):
    """``skip_next_order`` found no unsent order for the subscription; nothing was changed."""

    subscription_id: str

    def __init__(self, message: str, *, subscription_id: str) -> None:
        super().__init__(message)
        self.subscription_id = subscription_id


class WebhookVerificationError(OrdergrooveError):
    """A webhook's signature header is malformed, does not match, or is outside the time tolerance."""


class WebhookPayloadError(OrdergrooveError, ValueError):
    """A webhook body that is not an Ordergroove event envelope (not JSON, or no id/type/created)."""


# -- the checkout extra (ordergroove.crypto) ---------------------------------------------------------------


class FieldEncryptionError(ConfigurationError):
    """A field could not be encrypted or decrypted.

    A hash key that is not 32 bytes, a value the padding cannot carry, or a ciphertext that is not Base64 AES
    output made with this key. A :class:`~ordergroove.errors.ConfigurationError` (so also a ``ValueError``).
    Its message never contains the key, the plaintext or the ciphertext.
    """


# -- the product feed (ordergroove.feed) ---------------------------------------------------------------------


class FeedValidationError(OrdergrooveError, ValueError):
    """A product breaks a rule of Ordergroove's product feed.

    ``field`` names the element (``price``, ``image_url``, ``groups[0].name``, ...) when the rule is about
    one, ``reason`` says what the rule is, ``where`` which product it is when that is known (``product #3``).
    """

    field: str | None
    reason: str
    where: str | None

    def __init__(self, reason: str, *, field: str | None = None, where: str | None = None) -> None:
        prefix = "".join(f"{part}: " for part in (where, field) if part)
        super().__init__(prefix + reason)
        self.field = field
        self.reason = reason
        self.where = where


class FeedUploadError(OrdergrooveError):
    """The feed could not be uploaded. Ordergroove never sees half a file: the previous feed stays as it was
    (on a server without posix-rename, a failure between removing it and renaming the new one leaves none).

    ``host``, ``port`` and ``remote_path`` say where it was going. The message never contains the password.
    """

    host: str
    port: int
    remote_path: str

    def __init__(self, message: str, *, host: str, port: int, remote_path: str) -> None:
        super().__init__(message)
        self.host = host
        self.port = port
        self.remote_path = remote_path


# -- the Gladly extra (ordergroove.gladly) -------------------------------------------------------------------


class GladlySignatureError(OrdergrooveError):
    """A request claiming to come from Gladly failed authentication.

    ``reason`` is a short machine-readable code: ``missing_header``, ``malformed_header``,
    ``unsupported_algorithm``, ``stale``, ``future`` or ``mismatch``. The message names the header or check
    that failed; it never contains the signing key or any signature.
    """

    reason: str

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@attrs.frozen
class GladlyErrorItem:
    """One entry of Gladly's ``{"errors": [{"attr", "code", "detail"}]}`` answer (in :attr:`GladlyAPIError.errors`)."""

    attr: str | None = None
    code: str | None = None
    detail: str | None = None

    def __str__(self) -> str:
        text = ": ".join(part for part in (self.attr, self.code) if part)
        if self.detail:
            text = f"{text} ({self.detail})" if text else self.detail
        return text or "unspecified error"


class GladlyAPIError(OrdergrooveError):
    """Gladly's REST API answered with a status the client does not treat as done.

    ``status_code``, ``errors`` (Gladly's ``errors`` list, parsed), ``body`` (the text, truncated),
    ``method`` and ``url`` (which never carry credentials). ``retry_after`` is set on a 429.
    """

    status_code: int
    method: str
    url: str
    errors: list[GladlyErrorItem]
    body: str
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        errors: Sequence[GladlyErrorItem] = (),
        body: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.errors = list(errors)
        self.body = body if len(body) <= BODY_LIMIT else body[:BODY_LIMIT] + "..."
        self.retry_after = retry_after


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    423: ResourceLockedError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code in STATUS_ERRORS:
        return STATUS_ERRORS[status_code]
    if status_code >= 500:
        return ServerError
    return APIStatusError
