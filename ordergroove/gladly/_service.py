"""What the lookup, the forms and the App Platform actions share: the settings, the error answer, the deadline,
concurrent calls and the timeline note."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ordergroove.errors import APIConnectionError, APIStatusError, APITimeoutError, OrdergrooveError

if TYPE_CHECKING:
    from ordergroove._client import AsyncOrdergroove
    from ordergroove.gladly._timeline import AsyncGladlyClient

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_NOTE_TIMEOUT",
    "Service",
    "ServiceError",
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
    """Ordergroove failed in a way the caller cannot fix: 504 for a timeout, 502 for an error status, else 503.

    The text names the status and Ordergroove's message, never a key or a stack trace.
    """
    if isinstance(exc, APITimeoutError):
        return ServiceError.one(504, "ordergroove_timeout", "Ordergroove did not answer in time; try again.")
    if isinstance(exc, APIConnectionError):
        text = "Ordergroove could not be reached; try again."
        if exc.request_sent:
            text = "The connection to Ordergroove failed; the change may have been applied: refresh before retrying."
        return ServiceError.one(503, "ordergroove_unavailable", text)
    if isinstance(exc, APIStatusError):
        detail = exc.detail or "; ".join(m for ms in exc.field_errors.values() for m in ms)
        text = f"Ordergroove answered {exc.status_code}" + (f": {detail}" if detail else "")
        status = 504 if exc.status_code == 504 else 503 if exc.status_code >= 500 else 502
        return ServiceError.one(status, "ordergroove_error", text[:500])
    return ServiceError.one(502, "ordergroove_error", "Ordergroove's answer could not be read.")


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
    """The request's JSON object (an empty body is ``{}``); anything else is a 400."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ServiceError.one(400, "invalid_json", "the request body is not JSON") from None
    if not isinstance(data, dict):
        raise ServiceError.one(400, "invalid_json", "the request body must be a JSON object")
    return data
