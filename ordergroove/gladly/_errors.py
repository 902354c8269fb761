"""The exceptions of the Gladly extra. Both are :class:`~ordergroove.errors.OrdergrooveError`."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ordergroove.errors import BODY_LIMIT, OrdergrooveError

__all__ = ["GladlyAPIError", "GladlyErrorItem", "GladlySignatureError"]


class GladlySignatureError(OrdergrooveError):
    """A request claiming to come from Gladly failed authentication.

    ``reason`` is a short machine-readable code: ``missing_header``, ``malformed_header``,
    ``unsupported_algorithm``, ``stale``, ``future`` or ``mismatch``. The message names the header or check
    that failed; it never contains the signing key or any signature.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@attrs.frozen
class GladlyErrorItem:
    """One entry of Gladly's ``{"errors": [{"attr", "code", "detail"}]}`` answer."""

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
        self.errors: list[GladlyErrorItem] = list(errors)
        self.body = body if len(body) <= BODY_LIMIT else body[:BODY_LIMIT] + "..."
        self.retry_after = retry_after
