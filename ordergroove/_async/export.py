"""Bulk export's loop: a list's pages into the journal (the file and its cursor, ``_export.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._call import Call, Options
from .._export import ExportProgress, ExportResult, Journal, finish, start, write
from .._page import Page

if TYPE_CHECKING:
    from .client import AsyncSender


async def export(
    sender: AsyncSender,
    name: str,
    call: Call[Page[Any]],
    path: str | os.PathLike[str],
    resume: bool,
    progress: Callable[[ExportProgress], None] | None,
    options: Options,
) -> ExportResult:
    journal = Journal(path, name, call.params, sender.base_url, resume)
    first = start(sender.check_next_url, call, journal)
    try:
        pages = sender.pager(first, options).pages()
        try:
            async for page in pages:
                write(journal, page, progress)
        finally:
            await pages.aclose()  # type: ignore[attr-defined]
    except BaseException:
        journal.close()
        raise
    return finish(journal, progress)
