"""The in-process ways in: httpx transports that hand each request to the emulator and act out its faults."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import anyio
import httpx

from ordergroove.testing._http import Outcome, handle

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["FakeAsyncTransport", "FakeTransport"]

_DROPPED = "Server disconnected without sending a response."


def _handle(fake: FakeOrdergroove, request: httpx.Request, body: bytes) -> Outcome:
    url = request.url
    raw_path = url.raw_path.split(b"?", 1)[0].decode("ascii")
    return handle(
        fake,
        request.method,
        raw_path,
        url.params.multi_items(),
        request.headers.multi_items(),
        body,
        origin=f"{url.scheme}://{url.netloc.decode('ascii')}",
    )


def _times_out(outcome: Outcome, request: httpx.Request) -> bool:
    """A delay longer than the read timeout: the client would give up first (the change already applied)."""
    timeout = request.extensions.get("timeout", {}).get("read")
    return outcome.delay is not None and timeout is not None and outcome.delay > timeout


def _cut(outcome: Outcome) -> tuple[bytes, str]:
    part = outcome.body[: len(outcome.body) // 2]
    message = (
        "peer closed connection without sending complete message body "
        f"(received {len(part)} bytes, expected {len(outcome.body)})"
    )
    return part, message


class _TruncatedStream(httpx.SyncByteStream):
    def __init__(self, outcome: Outcome, request: httpx.Request) -> None:
        self._part, self._message = _cut(outcome)
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        if self._part:
            yield self._part
        raise httpx.RemoteProtocolError(self._message, request=self._request)


class _AsyncTruncatedStream(httpx.AsyncByteStream):
    def __init__(self, outcome: Outcome, request: httpx.Request) -> None:
        self._part, self._message = _cut(outcome)
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise httpx.RemoteProtocolError(self._message, request=self._request)


def _before_the_delay(outcome: Outcome, request: httpx.Request) -> None:
    """The faults that strike before the answer's delay: a connection dropped before the request got through, or a
    delay past the read timeout."""
    if outcome.drop == "before":
        raise httpx.RemoteProtocolError(_DROPPED, request=request)
    if _times_out(outcome, request):
        raise httpx.ReadTimeout("timed out", request=request)


def _after_the_delay(
    outcome: Outcome, request: httpx.Request, truncated: type[_TruncatedStream | _AsyncTruncatedStream]
) -> httpx.Response:
    """The answer, or the faults that strike after the delay: a connection dropped once the change is applied, a
    body cut in half (streamed by ``truncated``, the transport's kind of stream)."""
    if outcome.drop == "after":
        raise httpx.RemoteProtocolError(_DROPPED, request=request)
    if outcome.truncate:
        return httpx.Response(
            outcome.status, headers=list(outcome.headers), stream=truncated(outcome, request), request=request
        )
    return httpx.Response(outcome.status, headers=list(outcome.headers), content=outcome.body, request=request)


class FakeTransport(httpx.BaseTransport):
    """``httpx.Client(transport=fake.transport())``: requests go straight to the emulator, no socket."""

    def __init__(self, fake: FakeOrdergroove) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        outcome = _handle(self._fake, request, request.read())
        _before_the_delay(outcome, request)
        if outcome.delay:
            time.sleep(outcome.delay)
        return _after_the_delay(outcome, request, _TruncatedStream)


class FakeAsyncTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=fake.async_transport())``: the async twin of :class:`FakeTransport`."""

    def __init__(self, fake: FakeOrdergroove) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        outcome = _handle(self._fake, request, await request.aread())
        _before_the_delay(outcome, request)
        if outcome.delay:
            await anyio.sleep(outcome.delay)
        return _after_the_delay(outcome, request, _AsyncTruncatedStream)
