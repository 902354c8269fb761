"""Bulk export: every record of a list, streamed page by page to a JSON Lines file that can be resumed exactly.

Each line is one record exactly as Ordergroove sent it (unknown fields included). Beside the file, while an export
runs, ``FILE.cursor`` (JSON) says where it stands: the ``next`` link of the last page written and the file's size
after that page. After every page the lines are written first, then the cursor file is replaced atomically; on
resume the file is cut back to the recorded size (dropping any lines of a page whose cursor was not yet recorded)
and the export continues from the recorded link. So an interruption at any moment loses no record and writes none
twice. The cursor file is removed when the export completes.

An export sends its requests through the client, so it keeps to the client's ``rate_limit`` and retries as any
read does. File writes are small and synchronous, on the async client too. This module is the file and its cursor;
the loop over the pages is ``_async/export.py`` (and its generated sync twin).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import attrs

from ._call import Call, Options
from ._html import table
from ._page import Page
from ._progress import ProgressBar, progress_bar
from .errors import ConfigurationError, OrdergrooveError, ResponseDecodeError

__all__ = ["CURSOR_SUFFIX", "ExportProgress", "ExportResult", "Progress", "export_cursor_path"]

CURSOR_SUFFIX = ".cursor"
logger = logging.getLogger("ordergroove")
_FORMAT = 1

try:
    import orjson
except ImportError:  # pragma: no cover - exercised where orjson is absent

    def _line(record: Any) -> bytes:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

else:

    def _line(record: Any) -> bytes:
        try:
            return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, which orjson does not write
            return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@attrs.frozen
class ExportProgress:
    """Where a running export stands, given to a ``progress`` function after every page (and once more when the
    export completes, with ``done`` True). ``str()`` reads as a log line:
    ``subscriptions: 1,200 of 5,000 records (200 this run), 12 pages, 3.1 s, 65 records/s, about 58 s left``
    (the total and the time left when the list's count is known: see ``total``)."""

    resource: str
    records: int  # records in the file, those of an earlier interrupted run included
    pages: int  # pages fetched by this run
    resumed_from: int  # records already in the file when this run started
    elapsed: float  # seconds since this run started
    done: bool
    # The records of the whole list, when known: from one count read before the first page (when progress is shown:
    # see Pager.count), or from the pages themselves when they carry Ordergroove's count; else None.
    total: int | None = None

    @property
    def written(self) -> int:
        """Records written by this run."""
        return self.records - self.resumed_from

    @property
    def rate(self) -> float:
        """Records written per second by this run (0.0 before any time has passed)."""
        return self.written / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        """Seconds left at this run's rate, when the total is known and records are coming (else None)."""
        if self.total is None or self.rate <= 0:
            return None
        return max(0, self.total - self.records) / self.rate

    def __str__(self) -> str:
        of = f" of {self.total:,}" if self.total is not None else ""
        run = f" ({self.written:,} this run)" if self.resumed_from else ""
        left = self.remaining
        state = ", done" if self.done else (f", about {left:,.0f} s left" if left is not None else "")
        return (
            f"{self.resource}: {self.records:,}{of} {'record' if self.records == 1 and not of else 'records'}{run}, "
            f"{_count(self.pages, 'page')}, {self.elapsed:.1f} s, {self.rate:,.0f} records/s{state}"
        )


@attrs.frozen
class ExportResult:
    """A completed export."""

    path: Path
    resource: str
    records: int  # records in the file
    written: int  # records written by this run (fewer than ``records`` after a resume)
    pages: int
    resumed: bool

    def __str__(self) -> str:
        resumed = f", {self.written:,} written by this run (resumed)" if self.resumed else ""
        fetched = _count(self.pages, "page")
        return f"{self.resource}: {_count(self.records, 'record')} in {self.path}{resumed}, {fetched} fetched"

    def _repr_html_(self) -> str:
        rows = [
            ("path", str(self.path)),
            ("records", f"{self.records:,}"),
            ("written by this run", f"{self.written:,}"),
            ("pages fetched", f"{self.pages:,}"),
            ("resumed", "yes" if self.resumed else "no"),
        ]
        return table(f"ExportResult: {self.resource}", rows)


# What ``export(progress=...)`` takes: a function given an ExportProgress after every page, or whether to show a bar
# (None: in a notebook where tqdm is installed; True: wherever it runs; False: never).
Progress: TypeAlias = bool | Callable[[ExportProgress], None] | None


def export_cursor_path(path: str | os.PathLike[str]) -> Path:
    """The cursor file kept beside an export's output while it runs (``FILE.jsonl`` -> ``FILE.jsonl.cursor``).

    It is there after an interruption, and ``export(..., resume=True)`` continues from it; an export that completed
    removed it. So ``og.export_cursor_path(path).exists()`` tells whether ``path`` holds an export to resume.
    """
    target = Path(path)
    return target.with_name(target.name + CURSOR_SUFFIX)


class Journal:
    """The output file and its cursor file."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        resource: str,
        params: Sequence[tuple[str, str]],
        base_url: str,
        resume: bool,
    ) -> None:
        if not isinstance(resume, bool):
            raise ConfigurationError(f"resume must be True or False, got {resume!r}")
        self.path = Path(path)
        self.cursor = export_cursor_path(self.path)
        self.resource = resource
        self.filters = [list(pair) for pair in params]
        self.base_url = base_url
        self.next_url: str | None = None
        self.records = 0
        self.pages = 0
        self.total: int | None = None
        self.started = time.monotonic()
        state = self._load() if resume else None
        if state is None and resume and self.path.exists() and self.path.stat().st_size > 0:
            raise ConfigurationError(
                f"nothing to resume: {self.path} has no cursor file {self.cursor.name} (the export it holds "
                "completed, or it was not written by an export); export without resume to start over"
            )
        if state is None and not resume and self.cursor.exists():
            raise ConfigurationError(
                f"{self.path} holds an interrupted export ({self.cursor.name} says where it stopped): continue it "
                f"with resume=True (--resume), or remove {self.cursor.name} to start over"
            )
        if state is None:
            self.file = open(self.path, "wb")  # noqa: SIM115 (closed by close(), after the last page)
            self.resumed = False
            self._save(0)
        else:
            self.file = self._reopen(state["offset"])
            self.next_url = state["next"]
            self.records = state["records"]
            self.resumed = True
        self.resumed_from = self.records

    def _load(self) -> dict[str, Any] | None:
        try:
            text = self.cursor.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            state = json.loads(text)
            valid = (
                isinstance(state, dict)
                and state.get("format") == _FORMAT
                and isinstance(state.get("offset"), int)
                and isinstance(state.get("records"), int)
                and (state.get("next") is None or isinstance(state.get("next"), str))
            )
        except ValueError:
            valid = False
        if not valid:
            raise ConfigurationError(f"{self.cursor} is not a cursor file of this library; cannot resume from it")
        if state.get("resource") != self.resource or state.get("filters") != self.filters:
            recorded = f"{state.get('resource')} {_filters_text(state.get('filters'))}"
            asked = f"{self.resource} {_filters_text(self.filters)}"
            raise ConfigurationError(
                f"{self.cursor.name} records an export of {recorded}, not of {asked}: resume with the same filters"
            )
        if state.get("base_url") != self.base_url:
            raise ConfigurationError(
                f"{self.cursor.name} records an export from {state.get('base_url')}, not from {self.base_url}"
            )
        return dict(state)

    def _reopen(self, offset: int) -> Any:
        try:
            file = open(self.path, "r+b")  # noqa: SIM115 (closed by close())
        except FileNotFoundError:
            raise ConfigurationError(f"cannot resume: {self.path} is gone (its cursor file remains)") from None
        size = file.seek(0, os.SEEK_END)
        if size < offset:
            file.close()
            raise ConfigurationError(
                f"cannot resume exactly: {self.path} is shorter ({size} bytes) than when its cursor was written "
                f"({offset} bytes)"
            )
        # Lines past the recorded size belong to a page whose cursor was not recorded: that page comes again.
        file.truncate(offset)
        file.seek(offset)
        return file

    def _save(self, offset: int) -> None:
        state = {
            "format": _FORMAT,
            "resource": self.resource,
            "filters": self.filters,
            "base_url": self.base_url,
            "next": self.next_url,
            "offset": offset,
            "records": self.records,
        }
        temporary = self.cursor.with_name(self.cursor.name + ".tmp")
        temporary.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.cursor)

    def commit(self, page: Page[Any]) -> None:
        """Write a page's records, then record the point after it."""
        lines = b"".join(_line(_wire(record)) for record in page.items)
        self.file.write(lines)
        self.file.flush()
        self.records += len(page.items)
        self.pages += 1
        if page.count is not None:
            self.total = page.count
        self.next_url = page.next_url
        if page.next_url is not None:
            self._save(self.file.tell())

    def progress(self, done: bool) -> ExportProgress:
        return ExportProgress(
            resource=self.resource,
            records=self.records,
            pages=self.pages,
            resumed_from=self.resumed_from,
            elapsed=time.monotonic() - self.started,
            done=done,
            total=self.total,
        )

    def finish(self) -> ExportResult:
        self.file.close()
        self.cursor.unlink(missing_ok=True)
        return ExportResult(
            path=self.path,
            resource=self.resource,
            records=self.records,
            written=self.records - self.resumed_from,
            pages=self.pages,
            resumed=self.resumed,
        )

    def close(self) -> None:
        self.file.close()


def _filters_text(filters: Any) -> str:
    """A request's filters as a reader writes them: ``with customer=c1, live=true``, or ``without filters``."""
    pairs = [f"{pair[0]}={pair[1]}" for pair in filters or () if isinstance(pair, list | tuple) and len(pair) == 2]
    return f"with {', '.join(pairs)}" if pairs else "without filters"


def _wire(record: Any) -> Any:
    # The mapping the record was decoded from, as received (to_dict would copy it); to_dict for any other.
    from .models._wire import wire_payload

    raw = wire_payload(record)
    if raw is not None:
        return raw
    from .models import to_dict

    return to_dict(record)


def start(check_next_url: Callable[[str], None], call: Call[Page[Any]], journal: Journal) -> Call[Page[Any]]:
    """The list call, or its continuation from the cursor file's link (which must point to the client's host)."""
    if journal.next_url is None:
        return call
    try:
        check_next_url(journal.next_url)
    except ResponseDecodeError:
        journal.close()
        raise ConfigurationError(f"{journal.cursor.name} points to another host; refusing to resume from it") from None
    return call.follow(journal.next_url)


class Reporter:
    """Where ``progress`` sends each page's news: the caller's function, or a bar."""

    def __init__(self, progress: Progress, journal: Journal) -> None:
        self.function: Callable[[ExportProgress], None] | None = None
        self.bar: ProgressBar | None = None
        if progress is None or isinstance(progress, bool):
            self.bar = progress_bar(progress, f"export {journal.resource}")
        elif callable(progress):
            self.function = progress
        else:
            raise ConfigurationError(f"progress must be a function, True, False or None, got {progress!r}")
        if self.bar is not None and journal.records:
            self.bar.update(journal.records)  # a resumed export starts from what the file holds

    @property
    def shows(self) -> bool:
        """Whether progress is shown (to a function or as a bar): only then is the list's total worth a request."""
        return self.function is not None or self.bar is not None

    def page(self, journal: Journal, records: int, last: bool) -> None:
        if self.bar is not None:
            self.bar.update(records, journal.total)
        if self.function is not None and not last:
            self.function(journal.progress(done=False))

    def done(self, journal: Journal) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.function is not None:
            self.function(journal.progress(done=True))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def count_options(options: Options) -> Options:
    """The export's options for its count read: the same, without retries (a total that does not come at once is
    not worth delaying the export for)."""
    query: dict[str, list[str]] = {}
    for name, value in options.extra_query:
        query.setdefault(name, []).append(value)
    # Made anew, not evolved: Options' converters take what a caller gives (mappings), not what they made of it.
    return Options(
        timeout=options.timeout,
        max_retries=0,
        extra_headers=dict(options.extra_headers),
        extra_query=query,
        extra_body=options.extra_body,
    )


def no_total(journal: Journal, exc: OrdergrooveError) -> None:
    """The count read failed: the progress goes on without a total. Logged at debug level, without the error's
    message (its URL may carry a filter's personal value)."""
    status = getattr(exc, "status_code", None)
    logger.debug(
        "export %s: no total for the progress (the count read failed: %s)", journal.resource, status or "no answer"
    )


def write(journal: Journal, page: Page[Any], reporter: Reporter) -> None:
    """One page into the file and the cursor."""
    journal.commit(page)
    reporter.page(journal, len(page.items), last=page.next_url is None)


def finish(journal: Journal, reporter: Reporter) -> ExportResult:
    result = journal.finish()
    reporter.done(journal)
    return result
