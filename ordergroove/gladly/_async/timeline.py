"""The Gladly timeline client: the send loop of :class:`~ordergroove.gladly._timeline.ActivityPlan` (written once;
the sync client is generated from this file)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import TracebackType

import httpx

from ordergroove.gladly import _io
from ordergroove.gladly._timeline import ActivityLink, ActivityResult, Done, Fail, GladlyClientBase, Step


class AsyncGladlyClient(GladlyClientBase):
    """Writes timeline notes through Gladly's REST API (Basic auth: a Gladly user's email and API token).

    ``GladlyClient`` sends in the calling thread; ``AsyncGladlyClient`` has the same names, every call awaited.
    ``host`` is like ``https://org.gladly.com``. Pass ``http_client`` to reuse an ``httpx.Client`` (an
    ``httpx.AsyncClient`` for the async client; it is then not closed by ``close()``/``aclose()``).
    """

    def __init__(
        self,
        host: str,
        user: str,
        api_token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(host, user, api_token, timeout=timeout, max_retries=max_retries)
        self._owns_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()

    async def add_activity(
        self,
        customer_id: str,
        *,
        title: str,
        body: str,
        occurred_at: datetime,
        link: ActivityLink | Mapping[str, str] | None = None,
        item_id: str | None = None,
        activity_type: str = "EMAIL",
        source_name: str = "Ordergroove",
    ) -> ActivityResult:
        """Post a CUSTOMER_ACTIVITY item to the customer's timeline.

        ``occurred_at`` must be timezone-aware (it is sent in UTC, to the millisecond). A title longer than
        100 characters, a body longer than 25,000 and a link text longer than 50 are cut, ending with an
        ellipsis. ``item_id`` (see :func:`activity_id`) makes the call idempotent: a 409 (id taken) returns
        a result with ``duplicate=True``, and server errors or dropped connections are retried. Without an
        id only what Gladly certainly did not act on is retried. A 429 is retried (up to ``max_retries``)
        after ``Retry-After``; a 301 (the customer was merged) is followed once to the surviving customer.
        Any other error status raises :class:`GladlyAPIError`; a connection failure raises
        :class:`~ordergroove.errors.APIConnectionError` (``request_sent`` says whether Gladly may have acted).
        """
        plan = self._plan(
            customer_id,
            title=title,
            body=body,
            occurred_at=occurred_at,
            link=link,
            item_id=item_id,
            activity_type=activity_type,
            source_name=source_name,
        )
        while True:
            step: Step
            try:
                # auth=None: a reused client's own auth must not replace the Gladly credentials.
                response = await self._http.send(plan.request(), auth=None, follow_redirects=False)
            except httpx.RequestError as exc:
                step = plan.on_error(exc)
            else:
                step = plan.on_response(response)
            if isinstance(step, Done):
                return step.result
            if isinstance(step, Fail):
                raise step.error
            if step.delay > 0:
                await _io.async_sleep(step.delay)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncGladlyClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
