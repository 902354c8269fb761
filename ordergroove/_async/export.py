"""Bulk export's loop: a list's pages into the journal (the file and its cursor, ``_export.py``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .._call import Call, Options
from .._export import ExportResult, Journal, Progress, Reporter, count_options, finish, no_total, start, write
from .._page import Page
from ..errors import OrdergrooveError

if TYPE_CHECKING:
    from .client import AsyncSender


async def export(
    sender: AsyncSender,
    name: str,
    call: Call[Page[Any]],
    path: str | os.PathLike[str],
    resume: bool,
    progress: Progress,
    options: Options,
) -> ExportResult:
    journal = Journal(path, name, call.params, sender.base_url, resume)
    first = start(sender.check_next_url, call, journal)
    try:
        reporter = Reporter(progress, journal)
    except BaseException:
        journal.close()
        raise
    try:
        if reporter.shows:
            # The total, for the progress only: one extra read, not retried (a failure leaves the total unknown
            # and the export goes on; a user who shows no progress is sent no such request).
            try:
                journal.total = await sender.pager(call, count_options(options)).count()
            except OrdergrooveError as exc:
                no_total(journal, exc)
        pages = sender.pager(first, options).pages()
        try:
            async for page in pages:
                write(journal, page, reporter)
        finally:
            await pages.aclose()  # type: ignore[attr-defined]
    except BaseException:
        reporter.close()
        journal.close()
        raise
    return finish(journal, reporter)
