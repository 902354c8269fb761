"""The raw response: what ``client.with_raw_response`` calls return, the HTTP answer along with the parsed result.

A call made through ``with_raw_response`` runs exactly as any other (same request, retries and errors); the sender
records each answer it reads into the call's capture (a context variable, so that concurrent calls and the tasks
a call starts keep theirs apart), and the wrapper returns them with the result.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from typing import Generic, TypeVar

import httpx

from ._config import shown_url

T = TypeVar("T")

# The answers read by the call running in this context, when it runs through with_raw_response.
CAPTURE: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "ordergroove_raw_capture", default=None
)

# Where a gateway or server names a request, most specific first (Ordergroove documents none of its own).
REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-cf-id", "x-amzn-trace-id")


def record(response: httpx.Response | None) -> None:
    """Keep ``response`` for the running ``with_raw_response`` call, if there is one."""
    capture = CAPTURE.get()
    if capture is not None and response is not None:
        capture.append(response)


class RawResponse(Generic[T]):
    """The HTTP answer of a call made through ``client.with_raw_response``, with its parsed result.

    >>> raw = client.with_raw_response.subscriptions.retrieve("sub_1")
    >>> raw.status_code, raw.request_id, raw.headers["content-type"]
    >>> subscription = raw.parse()

    A method that sends several requests (``customers.summary``, ``skip_next_order``, the batch calls, ``export``)
    keeps every answer in ``http_responses``, in order; the properties describe the last. Only answers that were
    read as the call's result are kept: an attempt that was retried is not.
    """

    __slots__ = ("_value", "http_responses")

    def __init__(self, value: T, responses: Sequence[httpx.Response]) -> None:
        self._value = value
        self.http_responses: tuple[httpx.Response, ...] = tuple(responses)

    def parse(self) -> T:
        """The result the method returns without ``with_raw_response`` (a list method's: its first page)."""
        return self._value

    @property
    def http_response(self) -> httpx.Response:
        """The (last) ``httpx.Response``; its body has been read."""
        return self.http_responses[-1]

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the server or its gateway gave the request (``X-Request-Id`` and the like), for a support ticket;
        None when the answer carries none."""
        headers = self.http_response.headers
        for name in REQUEST_ID_HEADERS:
            value: str | None = headers.get(name)
            if value:
                return value
        return None

    @property
    def url(self) -> httpx.URL:
        return self.http_response.request.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    def __repr__(self) -> str:  # never the headers (the request's carry the key), nor a URL's user:password@
        return f"<RawResponse [{self.status_code}] {self.method} {shown_url(str(self.url.copy_with(query=None)))}>"
