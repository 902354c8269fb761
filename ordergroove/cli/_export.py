"""``ordergroove export subscriptions|orders|customers [filters] -o FILE``: a resumable bulk export.

The format follows the output's extension: ``.jsonl`` writes JSON Lines (each record exactly as received),
``.csv`` CSV (nested fields in dotted columns), ``.parquet`` Parquet (typed columns, through pandas); ``-o -``
writes JSON Lines to stdout. Progress goes to stderr (a tqdm bar on a terminal, a line every ten seconds
otherwise): records, the rate, and the total and time left when Ordergroove tells the list's count.

An export to a file is written as JSON Lines first (``FILE.jsonl`` itself, or ``FILE.csv.part.jsonl`` beside a CSV
or Parquet file, converted when complete). An interruption (Ctrl-C, a failure that outlasted the retries) leaves
its cursor beside that file, and ``--resume`` continues from it: no record is lost or written twice.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from .. import (
    ConfigurationError,
    Customer,
    ExportProgress,
    Order,
    Ordergroove,
    OrdergrooveError,
    OrderStatus,
    Subscription,
    export_cursor_path,
    from_dict,
    to_dict,
)
from ._args import bool_arg, date_arg, names, positive_arg, status_arg
from ._errors import describe, options_of, os_error

# Ordergroove allows 6,000 requests per minute per IP; an export keeps to it unless told to go slower.
DEFAULT_RATE_LIMIT = 6000
STDOUT = "-"
FORMATS = {".jsonl": "JSON Lines", ".csv": "CSV", ".parquet": "Parquet"}
MODELS: dict[str, type[Any]] = {"subscriptions": Subscription, "orders": Order, "customers": Customer}
PARQUET_NEEDS = 'writing .parquet needs pandas and pyarrow: pip install "ordergroove[parquet]"'


def add_parser(commands: Any) -> None:
    """Add ``export`` to the command's subcommands."""
    export = commands.add_parser(
        "export",
        help="stream every matching record to a file: .jsonl, .csv or .parquet (resumable)",
        description="Stream every matching record to a file whose extension says the format: .jsonl (JSON Lines, "
        "each record as Ordergroove sent it), .csv (nested fields in dotted columns) or .parquet (typed columns, "
        "with pandas and pyarrow); -o - writes JSON Lines to stdout. Progress on stderr: records, total when "
        "known, rate and time left. After an interruption, the same command with --resume continues where it "
        "stopped.",
    )
    kinds = export.add_subparsers(dest="action", metavar="RESOURCE", title="resources")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file to write: FILE.jsonl, FILE.csv or FILE.parquet; - for JSON Lines on stdout",
    )
    common.add_argument("--resume", action="store_true", help="continue an interrupted export of the same FILE")
    common.add_argument(
        "--rate-limit",
        type=positive_arg,
        default=DEFAULT_RATE_LIMIT,
        metavar="PER_MINUTE",
        help=f"send at most this many requests a minute (default {DEFAULT_RATE_LIMIT}, Ordergroove's limit per IP)",
    )
    common.add_argument("--no-progress", action="store_true", help="no progress on stderr")

    subscriptions = kinds.add_parser("subscriptions", parents=[common], help="subscriptions")
    subscriptions.add_argument("--customer", help="only this customer's")
    subscriptions.add_argument("--product", help="only those of this product")
    subscriptions.add_argument(
        "--live", type=bool_arg, metavar="{true,false}", help="only the active (true) or not (false)"
    )
    _dates(subscriptions, "created", "updated")

    orders = kinds.add_parser("orders", parents=[common], help="orders")
    orders.add_argument("--customer", help="only this customer's")
    orders.add_argument("--subscription", help="only those holding this subscription")
    orders.add_argument(
        "--status",
        type=status_arg,
        metavar="STATUS",
        help=f"only those in this status: {names(OrderStatus)}, or a code",
    )
    _dates(orders, "place", "created", "updated")

    customers = kinds.add_parser("customers", parents=[common], help="customers")
    customers.add_argument("--email", help="only the customer with this email")


def _dates(parser: argparse.ArgumentParser, *fields: str) -> None:
    for field in fields:
        for end, word in (("start", "on or after"), ("end", "on or before")):
            parser.add_argument(
                f"--{field}-{end}", type=date_arg, metavar="YYYY-MM-DD", help=f"only those {field} {word} this date"
            )


def check(args: argparse.Namespace) -> str | None:
    """What is wrong with the command as typed (a usage error), before anything is sent; None when nothing is."""
    if args.output == STDOUT:
        return "--resume needs a file: an export to stdout (-o -) starts over" if args.resume else None
    suffix = Path(args.output).suffix.lower()
    if suffix not in FORMATS:
        given = f"its extension {suffix}" if suffix else "it has no extension"
        return (
            f"cannot tell which format to write {args.output} in ({given}): name it .jsonl (JSON Lines), .csv or "
            ".parquet, or give -o - for JSON Lines on stdout"
        )
    return None


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "customers":
        return {"email": args.email}
    dates = {
        f"{field}_{end}": getattr(args, f"{field}_{end}")
        for field in (("place", "created", "updated") if args.action == "orders" else ("created", "updated"))
        for end in ("start", "end")
    }
    if args.action == "orders":
        return {"customer": args.customer, "subscription": args.subscription, "status": args.status, **dates}
    return {"customer": args.customer, "product": args.product, "live": args.live, **dates}


# -- progress ------------------------------------------------------------------------------------------------------


class Progress:
    """The export's progress on stderr, through tqdm: a bar redrawn in place on a terminal; elsewhere (a log, a CI
    job) a line every ten seconds and a last one when done. Both show the records, the rate, and the total and the
    time left when Ordergroove tells the list's count (one extra read before the export: see ``Pager.count``)."""

    def __init__(self, err: TextIO, *, enabled: bool = True) -> None:
        self.err = err
        self.enabled = enabled
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self.last = time.monotonic()
        self.bar: Any = None

    def __call__(self, progress: ExportProgress) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm  # the cli extra brings it; imported when there is progress to show

        prefix = f"exporting {progress.resource}"
        if self.tty:
            if self.bar is None:
                self.bar = tqdm(
                    desc=prefix,
                    total=progress.total or 0,  # 0: unknown, as tqdm reads it
                    initial=progress.resumed_from,
                    unit=" records",
                    file=self.err,
                    dynamic_ncols=True,
                    mininterval=0.1,
                )
            if progress.total is not None and self.bar.total != progress.total:
                self.bar.total = progress.total
            self.bar.update(progress.records - self.bar.n)
            if progress.done:
                self.bar.close()
            return
        now = time.monotonic()
        if not progress.done and now - self.last < 10.0:
            return
        self.last = now
        line = tqdm.format_meter(
            n=progress.records,
            total=progress.total or 0,  # 0: unknown, as tqdm reads it
            elapsed=progress.elapsed,
            prefix=prefix,
            unit=" records",
            initial=progress.resumed_from,
            ncols=0,
        )
        if progress.resumed_from:
            line += f" (resumed after {progress.resumed_from:,})"
        self.err.write(line + "\n")
        self.err.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- running -------------------------------------------------------------------------------------------------------


def _journal(output: str) -> Path:
    """The JSON Lines file the export writes (and resumes): the output itself, or one beside a CSV/Parquet file."""
    path = Path(output)
    return path if path.suffix.lower() == ".jsonl" else path.with_name(path.name + ".part.jsonl")


def _refusal(args: argparse.Namespace, journal: Path) -> str | None:
    """The export's own refusals, in the command's words (the library's speak of ``resume=True``)."""
    cursor = export_cursor_path(journal)
    if not args.resume and cursor.exists():
        return (
            f"{args.output} has an interrupted export ({cursor} says where it stopped): add --resume to continue "
            f"it, or delete {cursor} to start over"
        )
    if args.resume and not cursor.exists() and (journal.exists() or Path(args.output).exists()):
        return (
            f"nothing to resume: {args.output} holds no interrupted export (it completed, or another program wrote "
            "it); run the command without --resume to start over"
        )
    return None


def _hint(args: argparse.Namespace) -> str:
    if args.output != STDOUT and export_cursor_path(_journal(args.output)).exists():
        return "; run the same command with --resume to continue"
    return ""


def run_export(args: argparse.Namespace, make_client: Callable[..., Ordergroove], out: TextIO, err: TextIO) -> int:
    """Run ``ordergroove export``; returns the exit status (130 after Ctrl-C, 1 after an error)."""
    progress = Progress(err, enabled=not args.no_progress)
    if progress.enabled and importlib.util.find_spec("tqdm") is None:
        err.write(
            'ordergroove: error: export\'s progress needs tqdm: pip install "ordergroove[cli]" (or --no-progress)\n'
        )
        return 1
    try:
        with make_client(rate_limit=args.rate_limit) as client:
            resource = getattr(client, args.action)
            if args.output == STDOUT:
                total = _total(resource, args) if progress.enabled else None
                return _to_stdout(args.action, resource.list(**_filters(args)), out, progress, total)
            return _to_file(args, resource, progress, err)
    except KeyboardInterrupt:
        progress.close()
        err.write(f"\nordergroove: export interrupted{_hint(args)}\n")
        return 130
    except ConfigurationError as exc:  # the export cannot start or resume as asked: nothing to add
        progress.close()
        err.write(f"ordergroove: error: {describe(exc, options_of(args._usage))}\n")
        return 1
    except OrdergrooveError as exc:
        progress.close()
        err.write(f"\nordergroove: error: {describe(exc, options_of(args._usage))}{_hint(args)}\n")
        return 1
    except OSError as exc:
        progress.close()
        err.write(f"ordergroove: error: cannot write the export: {os_error(exc)}\n")
        return 1


def _to_file(args: argparse.Namespace, resource: Any, progress: Progress, err: TextIO) -> int:
    output = Path(args.output)
    kind = FORMATS[output.suffix.lower()]
    if kind == "Parquet" and not all(importlib.util.find_spec(name) for name in ("pandas", "pyarrow")):
        raise ConfigurationError(PARQUET_NEEDS)
    journal = _journal(args.output)
    refusal = _refusal(args, journal)
    if refusal:
        raise ConfigurationError(refusal)
    # No progress shown, no progress asked for: the library then sends no request for the total.
    shown = progress if progress.enabled else False
    result = resource.export(journal, **_filters(args), resume=args.resume, progress=shown)
    if kind != "JSON Lines":
        # Written beside the target and renamed when complete: a failed conversion never leaves half a file.
        partial = output.with_name(f".{output.name}.tmp")
        try:
            (_write_csv if kind == "CSV" else _write_parquet)(journal, partial, MODELS[args.action])
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
        journal.unlink()
    resumed = f" ({result.written:,} this run)" if result.resumed else ""
    err.write(f"exported {result.records:,} {result.resource} to {output} as {kind}{resumed}\n")
    return 0


def _total(resource: Any, args: argparse.Namespace) -> int | None:
    """How many records the export will write, for the progress; None when Ordergroove does not say or the read
    fails (once, without retries: the export does not wait for its progress's total)."""
    try:
        count: int | None = resource.list(**_filters(args), max_retries=0).count()
    except OrdergrooveError:
        return None
    return count


def _to_stdout(name: str, pager: Any, out: TextIO, progress: Progress, total: int | None) -> int:
    started = time.monotonic()
    records = pages = 0
    try:
        for page in pager.pages():
            out.write("".join(json.dumps(to_dict(item), ensure_ascii=False) + "\n" for item in page.items))
            out.flush()
            records += len(page.items)
            pages += 1
            total = page.count if page.count is not None else total
            progress(_progress(name, records, pages, started, total, done=False))
    except BrokenPipeError:  # the reader stopped (`| head`): stop quietly, as other shell tools do
        progress.close()
        if out is sys.stdout:  # else Python reports the closed pipe again when it flushes stdout at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    progress(_progress(name, records, pages, started, total, done=True))
    return 0


def _progress(name: str, records: int, pages: int, started: float, total: int | None, *, done: bool) -> ExportProgress:
    elapsed = time.monotonic() - started
    return ExportProgress(
        resource=name, records=records, pages=pages, resumed_from=0, elapsed=elapsed, done=done, total=total
    )


# -- the other formats ---------------------------------------------------------------------------------------------


def _lines(journal: Path) -> Iterator[dict[str, Any]]:
    with journal.open("rb") as lines:
        for line in lines:
            yield json.loads(line)


def _flat(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        if isinstance(value, Mapping) and value:
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # numbers, true/false, lists and {} as JSON


def _write_csv(journal: Path, target: Path, model: type[Any]) -> None:
    """The records as CSV: one row each, nested objects in dotted columns (``next_order.total``), lists as JSON.
    Two passes over the JSON Lines file, so that the columns are every record's and memory stays flat."""
    columns: dict[str, None] = {}
    for record in _lines(journal):
        columns.update((name, None) for name, _ in _flat(record))
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(columns))
        writer.writeheader()
        for record in _lines(journal):
            writer.writerow({name: _cell(value) for name, value in _flat(record)})


def _write_parquet(journal: Path, target: Path, model: type[Any]) -> None:
    """The records as Parquet: the typed columns of ``og.frames.to_dataframe`` (dates as datetimes, money as
    floats, statuses as categories), through pandas and pyarrow."""
    from .. import frames

    frame = frames.to_dataframe((from_dict(model, record) for record in _lines(journal)), model=model)
    frame.to_parquet(target, index=False)
