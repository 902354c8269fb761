"""A plain ASGI app that receives Ordergroove webhooks: verify, parse, deduplicate, hand to a handler."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..errors import ConfigurationError, WebhookVerificationError
from ._dedup import Deduplicator
from ._events import WebhookEvent, WebhookPayloadError, parse
from ._signature import DEFAULT_TOLERANCE, key_bytes, verify

__all__ = ["WebhookReceiver", "asgi_receiver"]

logger = logging.getLogger("ordergroove.webhooks")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Handler = Callable[[WebhookEvent], object]

_HEADER = b"ordergroove-signature"
DEFAULT_MAX_BODY_SIZE = 1024 * 1024


class _BodyTooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


def _is_async(handler: Handler) -> bool:
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - an object whose __call__ is a coroutine function
    )


class WebhookReceiver:
    """The ASGI app made by :func:`asgi_receiver`. It answers every path it is mounted at."""

    def __init__(
        self,
        key: str,
        handler: Handler,
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        deduplicator: Deduplicator | None = None,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        key_bytes(key)  # refuses an empty or unencodable key now, not on every delivery
        if not callable(handler):
            raise ConfigurationError("the webhook handler must be callable")
        if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not tolerance >= 0:
            raise ConfigurationError("the webhook tolerance must be a number of seconds, zero or more")
        if isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 1:
            raise ConfigurationError("max_body_size must be a positive number of bytes")
        self._key = key
        self._handler = handler
        self._handler_is_async = _is_async(handler)
        self._tolerance = tolerance
        self._deduplicator = deduplicator
        self._max_body_size = max_body_size

    def __repr__(self) -> str:
        # The key is deliberately left out.
        return f"WebhookReceiver(handler={self._handler!r}, tolerance={self._tolerance!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            # A websocket (or anything else): refuse it without answering over HTTP.
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        if scope.get("method") != "POST":
            await _respond(send, 405, {"error": "method not allowed"}, [(b"allow", b"POST")])
            return
        try:
            body = await self._read_body(scope, receive)
        except _Disconnected:
            return
        except _BodyTooLarge:
            await _respond(send, 413, {"error": "payload too large"})
            return
        status, answer = await self._handle(scope, body)
        await _respond(send, status, answer)

    async def _handle(self, scope: Scope, body: bytes) -> tuple[int, dict[str, str]]:
        headers = scope.get("headers", ())
        values = [value.decode("latin-1") for name, value in headers if name.lower() == _HEADER]
        try:
            if not values:
                raise WebhookVerificationError("no Ordergroove-Signature header")
            verify(body, ",".join(values), self._key, tolerance=self._tolerance)
        except WebhookVerificationError as exc:
            # The reason is logged for the operator (it never holds a key or signature); the sender only
            # learns that it failed, the same text whatever the reason.
            logger.warning("rejected a webhook: %s", exc.message)
            return 401, {"error": "invalid signature"}
        try:
            event = parse(body)
        except WebhookPayloadError as exc:
            logger.warning("rejected a signed webhook whose body is not an event: %s", exc.message)
            return 400, {"error": "invalid payload"}
        dedup = self._deduplicator
        if dedup is not None:
            claim = dedup.claim(event.id)
            if claim == "duplicate":
                logger.info("ignored a repeated delivery of webhook event %s (%s)", event.id, event.type)
                return 200, {"status": "duplicate"}
            if claim == "in_progress":
                # Not 2xx, so Ordergroove delivers it again later, when this delivery has finished one way or another.
                logger.info("deferred a delivery of webhook event %s (%s): it is being handled", event.id, event.type)
                return 409, {"error": "event in progress"}
        return await self._run_handler(event)

    async def _run_handler(self, event: WebhookEvent) -> tuple[int, dict[str, str]]:
        """Call the handler; the event's claim is completed only when it returns, and released otherwise."""
        dedup = self._deduplicator
        thread: asyncio.Future[object] | None = None
        try:
            if self._handler_is_async:
                result = self._handler(event)
            else:
                # A sync handler may block (a database, an HTTP call): a worker thread keeps the loop free. Shielded,
                # so that a cancelled delivery can still learn how the thread, which cannot be stopped, ends.
                thread = asyncio.ensure_future(asyncio.to_thread(self._handler, event))
                result = await asyncio.shield(thread)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("the webhook handler failed on event %s (%s)", event.id, event.type)
            if dedup is not None:
                # Ordergroove retries after a 500; that retry must be handled, not taken for a repeat.
                dedup.release(event.id)
            return 500, {"error": "handler failed"}
        except BaseException:
            # Cancelled (a timeout, a server whose client went away, a shutdown): the event was not handled.
            if thread is not None and not thread.done():
                # Its thread runs on: the event stays in progress until it returns, so no redelivery runs it twice.
                thread.add_done_callback(functools.partial(_settle_detached, dedup, event))
            elif dedup is not None:
                dedup.release(event.id)
            raise
        if dedup is not None:
            dedup.complete(event.id)
        return 200, {"status": "ok"}

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        for name, value in scope.get("headers", ()):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    break
                if declared > self._max_body_size:
                    raise _BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body_size:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        # Nothing to start or stop; answering lets it run under servers that insist on lifespan events.
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def _settle_detached(dedup: Deduplicator | None, event: WebhookEvent, thread: asyncio.Future[object]) -> None:
    """The end of a sync handler whose delivery was cancelled while its thread ran."""
    if thread.cancelled():
        completed = False
    elif (error := thread.exception()) is not None:
        logger.error(
            "the webhook handler failed on event %s (%s) after its delivery was cancelled",
            event.id,
            event.type,
            exc_info=error,
        )
        completed = False
    else:
        result = thread.result()
        # An awaitable it returned was to be awaited by the delivery, which is gone: the handler did not finish.
        completed = not inspect.isawaitable(result)
        if inspect.iscoroutine(result):
            result.close()
    if dedup is not None:
        if completed:
            dedup.complete(event.id)
        else:
            dedup.release(event.id)


async def _respond(
    send: Send, status: int, answer: dict[str, str], extra_headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps(answer).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        *(extra_headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def asgi_receiver(
    key: str,
    handler: Handler,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    deduplicator: Deduplicator | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
) -> WebhookReceiver:
    """An ASGI app that receives Ordergroove webhooks and calls ``handler(event)`` for each.

    POST only (405 otherwise). The body is verified against the ``Ordergroove-Signature`` header with ``key``
    (401 ``{"error": "invalid signature"}`` on any failure, whatever the reason), then parsed (400 when it is
    not an event envelope). With a ``deduplicator``, a repeat of an event already handled answers 200
    ``{"status": "duplicate"}`` and a delivery of an event still being handled answers 409 ``{"error": "event
    in progress"}`` (so Ordergroove delivers it again later), neither calling the handler; an event counts as
    handled only once its handler has returned. A coroutine-function handler is awaited; a plain function runs
    in a worker thread. 200 when the handler returns; when it raises, the exception is logged (logger
    ``ordergroove.webhooks``) and the answer is a generic 500, so Ordergroove delivers the event again. A
    handler that raises or is cancelled leaves its event to the next delivery (a sync handler's thread, which
    cannot be stopped, keeps its event in progress until it returns). Bodies over ``max_body_size`` bytes
    answer 413.
    """
    return WebhookReceiver(key, handler, tolerance=tolerance, deduplicator=deduplicator, max_body_size=max_body_size)
