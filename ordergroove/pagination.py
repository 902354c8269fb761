"""Pagers: iterate every record of a list, one page in memory at a time (cursor mode, following ``next``).

A pager sends nothing until it is iterated, and each iteration starts again from the first page.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from ._call import Call, RequestOptions
from ._page import Page
from .errors import ConfigurationError

if TYPE_CHECKING:
    import pandas as pd

    from .frames import Money

__all__ = ["AsyncPager", "Page", "SyncPager"]

T = TypeVar("T")

_items = operator.attrgetter("items")


def _check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigurationError(f"limit must be None or a whole number >= 0, got {limit!r}")


class SyncPager(Generic[T]):
    """``for record in pager`` walks every page; ``.pages()`` yields pages; ``.to_list(limit)`` collects."""

    def __init__(
        self,
        send: Callable[[Call[Page[T]], RequestOptions], Page[T]],
        call: Call[Page[T]],
        options: RequestOptions,
    ) -> None:
        self._send = send
        self._call = call
        self._options = options

    def pages(self) -> Iterator[Page[T]]:
        call: Call[Page[T]] | None = self._call
        while call is not None:
            page = self._send(call, self._options)
            call = call.follow(page.next_url) if page.next_url else None
            yield page
            # Let go of this page before fetching the next: one page in memory, and its records can be freed
            # without waiting for the garbage collector.
            del page

    def __iter__(self) -> Iterator[T]:
        # Chained in C (a generator here would cost a Python-level step per record); map, unlike a generator
        # expression, keeps no reference to the page before.
        return itertools.chain.from_iterable(map(_items, self.pages()))

    def to_list(self, limit: int | None = None) -> list[T]:
        _check_limit(limit)
        result: list[T] = []
        if limit == 0:
            return result
        for page in self.pages():
            result.extend(page.items)
            if limit is not None and len(result) >= limit:
                return result[:limit]
        return result

    def to_dataframe(self, limit: int | None = None, *, money: Money = "float") -> pd.DataFrame:
        """The records (at most ``limit``) as a pandas DataFrame: see ``og.frames.to_dataframe`` (pandas extra)."""
        from .frames import to_dataframe  # deferred: pandas loads only when a frame is asked for

        return to_dataframe(self.to_list(limit), money=money)

    def __repr__(self) -> str:
        return f"<SyncPager {self._call.method} {self._call.path}>"


class AsyncPager(Generic[T]):
    """``async for record in pager`` walks every page; ``.pages()`` yields pages; ``await .to_list(limit)``."""

    def __init__(
        self,
        send: Callable[[Call[Page[T]], RequestOptions], Awaitable[Page[T]]],
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
            call = call.follow(page.next_url) if page.next_url else None
            yield page
            del page  # as in SyncPager.pages: one page in memory

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            items = page.items
            del page
            for item in items:
                yield item
            del items  # released before the next page is fetched, as in SyncPager

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
        """``await pager.to_dataframe()``: the records as a pandas DataFrame (see ``og.frames.to_dataframe``)."""
        from .frames import to_dataframe  # deferred: pandas loads only when a frame is asked for

        return to_dataframe(await self.to_list(limit), money=money)

    def __repr__(self) -> str:
        return f"<AsyncPager {self._call.method} {self._call.path}>"
