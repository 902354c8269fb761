"""What every resource shares: sending a call through its client with per-call options."""

from __future__ import annotations

import enum
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from .._call import Call, Options, date_value, path, positive_int, segment
from .._page import Page, page_decoder
from ..errors import ConfigurationError
from ..models import Period
from ..models._convert import decode, decode_list
from ..pagination import AsyncPager, SyncPager

if TYPE_CHECKING:
    from .._client import AsyncOrdergroove, Ordergroove

T = TypeVar("T")
M = TypeVar("M")


class SyncResource:
    def __init__(self, client: Ordergroove) -> None:
        self._client = client

    def _send(self, call: Call[T], timeout: float | None, max_retries: int | None) -> T:
        return self._client._send(call, self._client._core.options(Options(timeout, max_retries)))

    def _pager(self, call: Call[Page[M]], timeout: float | None, max_retries: int | None) -> SyncPager[M]:
        return self._client._pager(call, self._client._core.options(Options(timeout, max_retries)))


class AsyncResource:
    def __init__(self, client: AsyncOrdergroove) -> None:
        self._client = client

    async def _send(self, call: Call[T], timeout: float | None, max_retries: int | None) -> T:
        return await self._client._send(call, self._client._core.options(Options(timeout, max_retries)))

    def _pager(self, call: Call[Page[M]], timeout: float | None, max_retries: int | None) -> AsyncPager[M]:
        return self._client._pager(call, self._client._core.options(Options(timeout, max_retries)))


def retrieve_call(model: type[M], collection: str, id_name: str, record_id: str) -> Call[M]:
    return Call("GET", path(collection, segment(id_name, record_id)), decode=partial(decode, model))


def list_call(model: type[M], collection: str, params: tuple[tuple[str, str], ...]) -> Call[Page[M]]:
    return Call(
        "GET",
        path(collection),
        params=params,
        # A page's records are parsed for this decode alone: decoded in place (owned).
        decode=page_decoder(partial(decode_list, model, owned=True)),
        paginated=True,
    )


def action_call(
    model: type[M], collection: str, id_name: str, record_id: str, action: str, body: Any = None
) -> Call[M]:
    """A PATCH on ``/{collection}/{id}/{action}/``; ``body=None`` sends no body."""
    return Call(
        "PATCH",
        path(collection, segment(id_name, record_id), action),
        decode=partial(decode, model),
        json=body,
        has_body=body is not None,
    )


def period_value(value: object) -> int:
    """``every_period`` as its wire int: a :class:`Period` or one of its values."""
    if isinstance(value, Period):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool | enum.Enum):
        try:
            return int(Period(value))
        except ValueError:
            pass
    known = ", ".join(f"{p.value} ({p.name.lower()})" for p in Period)
    raise ConfigurationError(f"every_period must be an og.Period or one of {known}, got {value!r}")


__all__ = ["date_value", "positive_int"]
