"""What the lookup, the forms and the App Platform actions share: the settings, the error answer, the deadline,
concurrent calls and the timeline note."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import attrs

from ordergroove.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    OrdergrooveError,
)

if TYPE_CHECKING:
    from ordergroove import AsyncOrdergroove
    from ordergroove.gladly._async.timeline import AsyncGladlyClient

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_NOTE_TIMEOUT",
    "Service",
    "ServiceError",
    "ascii_int",
    "check_seconds",
    "error_item",
    "gather_all",
    "json_object",
    "upstream_error",
    "within",
]

T = TypeVar("T")

_log = logging.getLogger("ordergroove.gladly")

# Gladly cuts a lookup or an action at 15 s and wants an answer within 5 s: the Ordergroove calls of one request
# get this long in all, then Gladly gets a clean error instead of its own timeout.
DEFAULT_DEADLINE = 10.0
# The timeline note is written after the action succeeded; it must not push the answer past Gladly's limit.
DEFAULT_NOTE_TIMEOUT = 3.0
# Gladly cuts a request at 15 s: no wait of the service may reach it.
GLADLY_LIMIT = 15.0

# [0-9], not \d or str.isdigit(): those accept other scripts' digits ("\u0663") and superscripts ("\u00b2"),
# which int() then refuses or reads differently.
_ASCII_DIGITS = re.compile(r"[0-9]+")


@attrs.frozen
class Service:
    """The service's collaborators and limits (one per app)."""

    client: AsyncOrdergroove
    gladly: AsyncGladlyClient | None = None
    deadline: float = DEFAULT_DEADLINE
    note_timeout: float = DEFAULT_NOTE_TIMEOUT

    async def note(self, gladly_customer_id: str | None, *, title: str, body: str, item_id: str) -> bool:
        """Write one timeline note; True when Gladly holds it. A failure is logged, never raised: the action
        itself is done, and Gladly's own audit event still records it."""
        if self.gladly is None or not gladly_customer_id:
            return False
        try:
            await asyncio.wait_for(
                self.gladly.add_activity(
                    gladly_customer_id,
                    title=title,
                    body=body,
                    occurred_at=dt.datetime.now(dt.timezone.utc),
                    item_id=item_id,
                ),
                self.note_timeout,
            )
        except (OrdergrooveError, asyncio.TimeoutError) as exc:
            _log.warning("the Gladly timeline note %s was not written: %s", item_id, type(exc).__name__)
            return False
        return True


def ascii_int(text: str, *, max_digits: int = 9) -> int | None:
    """``text`` as a whole number when it is 1 to ``max_digits`` ASCII digits (no sign, no spaces), else None.

    Bounded, so int() never meets a string longer than it accepts (4300 digits) nor builds a huge number.
    """
    if len(text) > max_digits or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def check_seconds(name: str, value: object, *, most: float, inclusive: bool = False) -> float:
    """``value`` as a finite number of seconds, more than 0 and below ``most`` (or up to it when ``inclusive``);
    anything else (NaN, infinity, a string, a bool) is a ConfigurationError naming ``name``."""
    # Written so that NaN, which fails every comparison, fails the check instead of passing it.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not value > 0
        or not (value <= most if inclusive else value < most)
    ):
        bound = f"at most {most:g}" if inclusive else f"less than {most:g}"
        raise ConfigurationError(f"{name} must be a number of seconds more than 0 and {bound}, got {value!r}")
    return float(value)


def error_item(code: str, detail: str, attr: str | None = None) -> dict[str, str]:
    """One entry of Gladly's ``{"errors": [{"attr", "code", "detail"}]}``."""
    item = {"code": code, "detail": detail}
    if attr is not None:
        item = {"attr": attr, **item}
    return item


class ServiceError(Exception):
    """An answer other than success: its status and Gladly's ``{"errors": [...]}`` list."""

    def __init__(self, status_code: int, errors: Sequence[Mapping[str, str]]) -> None:
        super().__init__(status_code)
        self.status_code = status_code
        self.errors = [dict(item) for item in errors]

    @classmethod
    def one(cls, status_code: int, code: str, detail: str, attr: str | None = None) -> ServiceError:
        return cls(status_code, [error_item(code, detail, attr)])

    def body(self) -> dict[str, Any]:
        return {"errors": self.errors}


def upstream_error(exc: OrdergrooveError) -> ServiceError:
    """Ordergroove failed in a way the caller cannot fix: 504 for a timeout (its own or Ordergroove's), 503 when
    Ordergroove could not be reached or answered a 5xx (it is unavailable: try again later), 502 for any other
    error status (Ordergroove refused what the service sent: a gateway's error, not Gladly's request).

    The text names Ordergroove's host, the status and Ordergroove's message (or the connection's cause), never
    a key or a stack trace; the same text is logged at WARNING by the app.
    """
    where = _host(exc)
    if isinstance(exc, APITimeoutError):
        return ServiceError.one(504, "ordergroove_timeout", f"Ordergroove{where} did not answer in time; try again.")
    if isinstance(exc, APIConnectionError):
        cause = exc.__cause__
        kind = type(cause).__name__ if cause is not None else type(exc).__name__
        why = f" ({kind}: {exc.os_error})" if exc.os_error else f" ({kind})"
        text = f"Ordergroove{where} could not be reached{why}; try again."
        if exc.request_sent:
            text = (
                f"The connection to Ordergroove{where} failed{why}; the change may have been applied: "
                "refresh before retrying."
            )
        return ServiceError.one(503, "ordergroove_unavailable", text[:500])
    if isinstance(exc, APIStatusError):
        detail = exc.detail or "; ".join(m for ms in exc.field_errors.values() for m in ms)
        text = f"Ordergroove{where} answered {exc.status_code}" + (f": {detail}" if detail else "")
        if exc.status_code in (401, 403):
            text += " (check ORDERGROOVE_API_KEY and that it belongs to this environment)"
        status = 504 if exc.status_code == 504 else 503 if exc.status_code >= 500 else 502
        return ServiceError.one(status, "ordergroove_error", text[:500])
    return ServiceError.one(502, "ordergroove_error", f"Ordergroove{where}'s answer could not be read.")


def _host(exc: OrdergrooveError) -> str:
    """`` (host)`` of the request that failed, or nothing when the error does not say."""
    url = getattr(exc, "url", None)
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or not parts.hostname:
        return ""
    # hostname and port, never the netloc: a URL's user:password@ must not reach Gladly or a log.
    return f" ({parts.hostname}:{parts.port})" if parts.port else f" ({parts.hostname})"


async def gather_all(*awaitables: Awaitable[T]) -> list[T]:
    """Run concurrently; on the first failure cancel the others (no call keeps running unobserved) and raise it."""
    tasks = [asyncio.ensure_future(aw) for aw in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def within(awaitable: Awaitable[T], seconds: float, *, acting: bool = False) -> T:
    """``awaitable`` under a deadline; past it, a 504 answer (the work is cancelled). ``acting``: the work
    changes Ordergroove, so the answer warns that the change may have been applied."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        text = f"Ordergroove did not answer within {seconds:g} s; "
        text += "the change may have been applied: refresh before retrying." if acting else "try again."
        raise ServiceError.one(504, "ordergroove_timeout", text) from None


def json_object(body: bytes) -> dict[str, Any]:
    """The request's JSON object (an empty body is ``{}``); anything else is a 400.

    So is text without a UTF-8 form (a lone surrogate, which JSON can carry as ``\\ud800``): it could never be
    sent on to Ordergroove, and refusing it here names the field instead of failing later as Ordergroove's error.
    """
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: hostile nesting ("[[[[..."), not a bug of ours
        raise ServiceError.one(400, "invalid_json", "the request body is not JSON (or is nested too deeply)") from None
    if not isinstance(data, dict):
        raise ServiceError.one(400, "invalid_json", "the request body must be a JSON object")
    unencodable = _unencodable_text(data)
    if unencodable is not None:
        raise ServiceError.one(
            400,
            "invalid_text",
            f"{unencodable} is not valid Unicode text (it holds a lone surrogate); nothing was done",
            attr=unencodable,
        )
    return data


def _unencodable_text(data: dict[str, Any]) -> str | None:
    """Where the first key or string without a UTF-8 form is (``query.emails[0]``), or None.

    Walked with a stack, not recursion: json.loads accepted the nesting, and this must not fail on it either.
    """
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return where or "the request body"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                try:
                    key.encode("utf-8")
                except UnicodeEncodeError:
                    return f"a key of {where}" if where else "a key of the request body"
                stack.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in reversed(list(enumerate(value))))
    return None
