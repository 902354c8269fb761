"""``ordergroove export subscriptions|orders|customers [filters] -o FILE.jsonl``: a resumable bulk export.

The records go to the file (JSON Lines, each record as received); a progress line goes to stderr. An export that
is interrupted (Ctrl-C, a network failure that outlasted the retries) leaves ``FILE.jsonl.cursor`` beside the file,
and ``--resume`` continues from it: no record is lost or written twice.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any, TextIO

from .. import ConfigurationError, ExportProgress, ExportResult, Ordergroove, OrdergrooveError, OrderStatus

# Not public: where the export keeps its cursor, to tell the user when --resume can continue.
from .._export import cursor_path
from ._args import bool_arg, date_arg, names, status_arg

# Ordergroove allows 6,000 requests per minute per IP; an export keeps to it unless told to go slower.
DEFAULT_RATE_LIMIT = 6000


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def add_parser(commands: Any) -> None:
    """Add ``export`` to the command's subcommands."""
    export = commands.add_parser(
        "export",
        help="stream every matching record to a JSON Lines file (resumable)",
        description="Stream every matching record to a JSON Lines file, one record as received per line, with a "
        "progress line on stderr. After an interruption, the same command with --resume continues where it "
        "stopped.",
    )
    kinds = export.add_subparsers(dest="action", required=True, metavar="RESOURCE")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-o", "--output", required=True, metavar="FILE.jsonl", help="the file to write")
    common.add_argument("--resume", action="store_true", help="continue an interrupted export (from FILE.jsonl.cursor)")
    common.add_argument(
        "--rate-limit",
        type=_positive,
        default=DEFAULT_RATE_LIMIT,
        metavar="PER_MINUTE",
        help=f"send at most this many requests a minute (default {DEFAULT_RATE_LIMIT}, Ordergroove's limit per IP)",
    )
    common.add_argument("--no-progress", action="store_true", help="no progress line on stderr")

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


class ProgressLine:
    """The export's progress on stderr: redrawn in place on a terminal (at most ten times a second), else a line
    every ten seconds; and a last line when it is done."""

    def __init__(self, err: TextIO, *, enabled: bool = True) -> None:
        self.err = err
        self.enabled = enabled
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self.last = 0.0
        self.width = 0

    def __call__(self, progress: ExportProgress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not progress.done and now - self.last < (0.1 if self.tty else 10.0):
            return
        self.last = now
        fetched = progress.records - progress.resumed_from
        rate = fetched / progress.elapsed if progress.elapsed > 0 else 0.0
        text = f"exporting {progress.resource}: {progress.records:,} records, {progress.pages:,} pages, {rate:,.0f}/s"
        if progress.resumed_from:
            text += f" (resumed after {progress.resumed_from:,})"
        if self.tty:
            self.err.write("\r" + text.ljust(self.width) + ("\n" if progress.done else ""))
            self.width = len(text)
        else:
            self.err.write(text + "\n")
        self.err.flush()


def _run(args: argparse.Namespace, client: Ordergroove, progress: Callable[[ExportProgress], None]) -> ExportResult:
    common: dict[str, Any] = {"resume": args.resume, "progress": progress}
    if args.action == "subscriptions":
        return client.subscriptions.export(
            args.output,
            customer=args.customer,
            product=args.product,
            live=args.live,
            created_start=args.created_start,
            created_end=args.created_end,
            updated_start=args.updated_start,
            updated_end=args.updated_end,
            **common,
        )
    if args.action == "orders":
        return client.orders.export(
            args.output,
            customer=args.customer,
            subscription=args.subscription,
            status=args.status,
            place_start=args.place_start,
            place_end=args.place_end,
            created_start=args.created_start,
            created_end=args.created_end,
            updated_start=args.updated_start,
            updated_end=args.updated_end,
            **common,
        )
    return client.customers.export(args.output, email=args.email, **common)


def _hint(args: argparse.Namespace) -> str:
    if cursor_path(args.output).exists():
        return "; run the same command with --resume to continue"
    return ""


def run_export(args: argparse.Namespace, make_client: Callable[..., Ordergroove], err: TextIO) -> int:
    """Run ``ordergroove export``; returns the exit status (130 after Ctrl-C, 1 after an error)."""
    progress = ProgressLine(err, enabled=not args.no_progress)
    try:
        with make_client(rate_limit=args.rate_limit) as client:
            result = _run(args, client, progress)
    except KeyboardInterrupt:
        err.write(f"\nordergroove: export interrupted{_hint(args)}\n")
        return 130
    except ConfigurationError as exc:  # the export cannot start or resume as asked: nothing to add
        err.write(f"ordergroove: error: {exc}\n")
        return 1
    except OrdergrooveError as exc:
        err.write(f"\nordergroove: error: {type(exc).__name__}: {exc}{_hint(args)}\n")
        return 1
    except OSError as exc:
        err.write(f"ordergroove: error: cannot write the export: {exc}\n")
        return 1
    resumed = f" ({result.written:,} this run)" if result.resumed else ""
    err.write(f"exported {result.records:,} {result.resource} to {result.path}{resumed}\n")
    return 0
