"""The pager: every record of a list, one page in memory at a time (cursor mode, following ``next``).

A pager sends nothing until it is iterated, and each iteration starts again from the first page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .. import _extras, _html, _io
from .._call import Call, RequestOptions
from .._page import Page, Trail, count_call
from .._progress import progress_bar
from ..errors import ConfigurationError

if TYPE_CHECKING:
    import pandas as pd

    from .._extras import Money

T = TypeVar("T")


# Values of these filters are personal data or secrets: a repr lands in logs, so it names them without their value.
_PRIVATE = ("email", "phone", "name", "token", "session", "key", "secret")


def _filters(call: Call[Any]) -> list[tuple[str, str]]:
    """The filters a list was asked with (not its page size or cursor), as sent."""
    if call.json is not None and isinstance(call.json, dict):  # a GraphQL query: its variables
        variables = call.json.get("variables") or {}
        pairs = [(str(name), str(value)) for name, value in variables.items()]
        skip = {"after", "first", "pageSize", "page_size"}
    else:
        pairs = list(call.params)
        skip = {"page_size", "cursor", "page"}
    return [(name, value) for name, value in pairs if name not in skip]


def _shown(name: str, value: str) -> str:
    return "..." if any(part in name.lower() for part in _PRIVATE) else value


def _check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigurationError(f"limit must be None or a whole number >= 0, got {limit!r}")


class AsyncPager(Generic[T]):
    """Iterating the pager walks every page (``for``, or ``async for`` on the async client); ``.pages()`` yields
    pages; ``.to_list(limit)`` collects (awaited on the async client)."""

    def __init__(
        self,
        send: _io.AsyncFetch,
        call: Call[Page[T]],
        options: RequestOptions,
    ) -> None:
        self._send = send
        self._call = call
        self._options = options

    async def first_page(self) -> Page[T]:
        """The first page alone (``page.next_url`` says whether there are more)."""
        return await self._send(self._call, self._options)

    async def count(self) -> int | None:
        """How many records the list holds, from one extra request (one record long, the same filters); None when
        Ordergroove's answer does not say (a GraphQL list never does). A failed request raises as any read.

        The pages the pager walks carry no total: this asks Ordergroove's older page-number mode, which counts. Use
        it for a progress display or an estimate, not as a promise: records added or removed meanwhile change it.
        """
        call = count_call(self._call)
        if call is None:
            return None
        return await self._send(call, self._options)

    async def pages(self) -> AsyncIterator[Page[T]]:
        call: Call[Page[T]] | None = self._call
        # The extras go with every request, whatever a link says: links are compared without them.
        trail = Trail(name for name, _ in self._options.extra_query)
        while call is not None:
            page = await self._send(call, self._options)
            call = trail.next(call, page)
            yield page
            # Let go of this page before fetching the next: one page in memory, and its records can be freed
            # without waiting for the garbage collector.
            del page

    def __aiter__(self) -> AsyncIterator[T]:
        return _io.async_records(self.pages())

    async def to_list(self, limit: int | None = None, *, progress: bool | None = None) -> list[T]:
        """The records, at most ``limit``. ``progress``: a bar as pages arrive (None: in a notebook where tqdm is
        installed; True: wherever it runs; False: never)."""
        _check_limit(limit)
        bar = progress_bar(progress, self._name)
        result: list[T] = []
        if limit == 0:
            if bar is not None:
                bar.close()
            return result
        pages = self.pages()
        try:
            async for page in pages:
                result.extend(page.items)
                if bar is not None:
                    bar.update(len(page.items) if limit is None else min(len(page.items), limit - bar.count))
                if limit is not None and len(result) >= limit:
                    return result[:limit]
        finally:
            await pages.aclose()  # type: ignore[attr-defined]
            if bar is not None:
                bar.close()
        return result

    async def to_dataframe(
        self, limit: int | None = None, *, money: Money = "float", progress: bool | None = None
    ) -> pd.DataFrame:
        """The records (at most ``limit``) as a pandas DataFrame: see ``og.frames.to_dataframe`` (pandas extra).
        ``progress`` as for ``to_list``."""
        return _extras.to_dataframe(await self.to_list(limit, progress=progress), money=money)

    @property
    def _name(self) -> str:
        return self._call.path.strip("/").replace("/", " ") or "records"

    def __repr__(self) -> str:
        filters = "".join(f" {name}={_shown(name, value)!r}" for name, value in _filters(self._call))
        return f"<{type(self).__name__} {self._call.method} {self._call.path}{filters}>"

    def _repr_html_(self) -> str:
        rows = [(name, _shown(name, value)) for name, value in _filters(self._call)] or [("filters", "none")]
        caption = f"{type(self).__name__} {self._call.method} {self._call.path}"
        note = "<p>Nothing is fetched until it is iterated: <code>.to_list()</code>, <code>.to_dataframe()</code>.</p>"
        return _html.table(caption, rows, extra=note)
