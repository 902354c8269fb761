"""The pager: every record of a list, one page in memory at a time (cursor mode, following ``next``).

A pager sends nothing until it is iterated, and each iteration starts again from the first page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Generic, TypeVar

from .. import _extras, _io
from .._call import Call, RequestOptions
from .._page import Page, next_call
from ..errors import ConfigurationError

if TYPE_CHECKING:
    import pandas as pd

    from .._extras import Money

T = TypeVar("T")


def _check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigurationError(f"limit must be None or a whole number >= 0, got {limit!r}")


class AsyncPager(Generic[T]):
    """Iterating the pager walks every page (``for``, or ``async for`` on the async client); ``.pages()`` yields
    pages; ``.to_list(limit)`` collects (awaited on the async client)."""

    def __init__(
        self,
        send: _io.AsyncFetch[T],
        call: Call[Page[T]],
        options: RequestOptions,
    ) -> None:
        self._send = send
        self._call = call
        self._options = options

    async def pages(self) -> AsyncIterator[Page[T]]:
        call: Call[Page[T]] | None = self._call
        while call is not None:
            page = await self._send(call, self._options)
            call = next_call(call, page)
            yield page
            # Let go of this page before fetching the next: one page in memory, and its records can be freed
            # without waiting for the garbage collector.
            del page

    def __aiter__(self) -> AsyncIterator[T]:
        return _io.async_records(self.pages())

    async def to_list(self, limit: int | None = None) -> list[T]:
        _check_limit(limit)
        result: list[T] = []
        if limit == 0:
            return result
        pages = self.pages()
        try:
            async for page in pages:
                result.extend(page.items)
                if limit is not None and len(result) >= limit:
                    return result[:limit]
        finally:
            await pages.aclose()  # type: ignore[attr-defined]
        return result

    async def to_dataframe(self, limit: int | None = None, *, money: Money = "float") -> pd.DataFrame:
        """The records (at most ``limit``) as a pandas DataFrame: see ``og.frames.to_dataframe`` (pandas extra)."""
        return _extras.to_dataframe(await self.to_list(limit), money=money)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._call.method} {self._call.path}>"
