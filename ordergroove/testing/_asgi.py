"""The emulator as a plain ASGI application (no framework), for uvicorn or any ASGI server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

import anyio

from ordergroove.testing._http import handle

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["ConnectionDropped", "make_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ConnectionDropped(Exception):
    """Raised mid-response on purpose: the server then closes the connection before the body is complete."""


def _origin(scope: Scope, headers: list[tuple[str, str]]) -> str:
    scheme = scope.get("scheme", "http")
    for name, value in headers:
        if name.lower() == "host":
            return f"{scheme}://{value}"
    server = scope.get("server")
    if server:
        return f"{scheme}://{server[0]}:{server[1]}"
    return f"{scheme}://localhost"


def make_app(fake: FakeOrdergroove) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope["path"])
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        outcome = handle(fake, scope["method"], path, query, headers, b"".join(chunks), origin=_origin(scope, headers))
        if outcome.drop == "before":
            # Headers promising a body that never comes: the client sees the connection drop.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
            raise ConnectionDropped("dropped before the change was applied (injected fault)")
        if outcome.delay:
            await anyio.sleep(outcome.delay)
        start = {
            "type": "http.response.start",
            "status": outcome.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers],
        }
        if outcome.drop == "after":
            await send(start)
            raise ConnectionDropped("dropped after the change was applied (injected fault)")
        if outcome.truncate:
            await send(start)
            part = outcome.body[: len(outcome.body) // 2]
            await send({"type": "http.response.body", "body": part, "more_body": True})
            raise ConnectionDropped("body truncated (injected fault)")
        await send(start)
        await send({"type": "http.response.body", "body": outcome.body})

    return app
