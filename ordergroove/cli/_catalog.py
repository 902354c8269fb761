"""The catalog commands of ``ordergroove``: ``feed build``, ``feed upload`` and ``products sync``.

``feed build`` and ``products sync`` read a catalog (``.csv`` or ``.jsonl``) row by row, so any size of
catalog takes constant memory, and report each refused row on stderr as ``FILE:LINE: reason``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# The command sends the catalog in chunks of one products-batch request each, to report progress per request.
from .. import PRODUCTS_BATCH_SIZE, BatchError, ConfigurationError, OrdergrooveError, feed
from ._errors import plain, quoted

if TYPE_CHECKING:
    from .. import BatchResult, Ordergroove

FEED_PASSWORD_ENV = "ORDERGROOVE_FEED_PASSWORD"


def add_feed_parser(commands: Any) -> None:
    parser = commands.add_parser("feed", help="the product feed (XML over SFTP)")
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="build FEED.xml from a .csv or .jsonl catalog")
    build.add_argument("catalog", help="a .csv or .jsonl catalog")
    build.add_argument("-o", "--output", required=True, help="the feed file to write")
    build.add_argument("--strict", action="store_true", help="write nothing and exit 1 if any row is refused")
    upload = actions.add_parser("upload", help="upload FEED.xml to Ordergroove by SFTP (password from env)")
    upload.add_argument("feed_file", metavar="FEED.xml", help="the feed file to upload")
    upload.add_argument("--merchant-id", required=True, help="your Ordergroove merchant id (the feed's folder)")
    upload.add_argument("--host", default="production", help="production, staging, or a host name")
    upload.add_argument("--port", type=int, default=22, help="the SFTP port (default 22)")
    upload.add_argument("--username", required=True, help="the SFTP user name Ordergroove gave you")
    keys = upload.add_mutually_exclusive_group()
    keys.add_argument("--host-key", help="the server's public key, as ssh-keyscan prints it")
    keys.add_argument("--known-hosts", help="a known_hosts file holding the server's key")


def add_products_sync_parser(products: Any) -> None:
    sync = products.add_parser("sync", help="create or update the catalog's products with products-batch")
    sync.add_argument("catalog", help="a .jsonl (or .csv) catalog")
    sync.add_argument(
        "--mode",
        choices=("upsert", "create", "update"),
        default="upsert",
        help="upsert (default): update, then create the products Ordergroove does not have",
    )


def _check_catalog(catalog: str) -> None:
    if not Path(catalog).is_file():
        raise ConfigurationError(f"the catalog {quoted(catalog)} does not exist or is not a file")


def _rows(catalog: str, err: TextIO, refused: list[int]) -> Iterator[feed.FeedProduct]:
    for line, result in feed.load_catalog(catalog):
        if isinstance(result, feed.FeedValidationError):
            err.write(f"{catalog}:{line}: refused: {result}\n")
            refused[0] += 1
        else:
            yield result


def build_feed(args: argparse.Namespace, err: TextIO) -> int:
    """Exit 0 when at least one product was written (refused rows are reported, not fatal); 1 otherwise."""
    _check_catalog(args.catalog)
    output = Path(args.output)
    refused = [0]
    # Written next to the target and renamed when complete: a failed build never leaves half a feed.
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            count = feed.write_product_feed(_rows(args.catalog, err, refused), out)
        if count == 0 or (args.strict and refused[0]):
            reason = "no product could be written" if count == 0 else f"{refused[0]} rows refused (--strict)"
            err.write(f"ordergroove: error: {reason}; {output} not written\n")
            return 1
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    err.write(f"wrote {count} products to {output}" + (f", refused {refused[0]} rows\n" if refused[0] else "\n"))
    return 0


def upload_feed(args: argparse.Namespace, out: TextIO) -> int:
    password = os.environ.get(FEED_PASSWORD_ENV)
    if not password:
        raise ConfigurationError(f"set the SFTP password in the {FEED_PASSWORD_ENV} environment variable")
    remote = feed.upload_product_feed(
        args.feed_file,
        merchant_id=args.merchant_id,
        host=args.host,
        port=args.port,
        username=args.username,
        password=password,
        host_key=args.host_key,
        known_hosts=args.known_hosts,
    )
    out.write(f"uploaded {args.feed_file} to {remote}\n")
    return 0


class _Progress:
    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.sent = self.ok = self.failed = 0
        self.live = err.isatty()

    def add(self, results: list[BatchResult]) -> None:
        self.sent += len(results)
        for result in results:
            if result.ok:
                self.ok += 1
            else:
                self.failed += 1
                said = plain(result.extra.get("errors") or result.extra.get("detail") or "")
                self._line(f"product {result.product_id}: refused by Ordergroove ({result.status}) {said}".rstrip())
        self._show()

    def _line(self, text: str) -> None:
        self.err.write(("\r\033[K" if self.live else "") + text + "\n")

    def _show(self) -> None:
        text = f"products sync: {self.sent} sent, {self.ok} ok, {self.failed} refused"
        self.err.write(("\r\033[K" + text) if self.live else text + "\n")
        self.err.flush()


def _chunks(products: Iterator[feed.FeedProduct]) -> Iterator[list[feed.FeedProduct]]:
    chunk: list[feed.FeedProduct] = []
    for product in products:
        chunk.append(product)
        if len(chunk) == PRODUCTS_BATCH_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def sync_products(args: argparse.Namespace, client: Ordergroove, out: TextIO, err: TextIO) -> int:
    """Exit 0 when every product of the catalog was accepted; 1 when any was refused (here or by Ordergroove).

    A request that fails stops the command: what was applied before it is summed up, the products of that request
    are listed (not applied, or of unknown outcome), and the error is raised for ``main`` to report (exit 3 when
    the outcome is unknown, else 1)."""
    _check_catalog(args.catalog)
    refused = [0]
    progress = _Progress(err)
    done = {"created": 0, "updated": 0}
    try:
        for chunk in _chunks(_rows(args.catalog, err, refused)):
            if args.mode == "create":
                results = client.products.batch_create(chunk)
                done["created"] += sum(result.ok for result in results)
            else:
                results = client.products.batch_update(chunk)
                done["updated"] += sum(result.ok for result in results)
                if args.mode == "upsert":
                    missing = {result.product_id for result in results if result.status == 404}
                    if missing:
                        try:
                            created = client.products.batch_create([p for p in chunk if p.product_id in missing])
                        except (BatchError, KeyboardInterrupt):
                            # The update was applied: its results count; the products to create are the error's.
                            progress.add([result for result in results if result.product_id not in missing])
                            raise
                        done["created"] += sum(result.ok for result in created)
                        by_id = {result.product_id: result for result in created}
                        results = [by_id.get(result.product_id, result) for result in results]
            progress.add(results)
    except (BatchError, KeyboardInterrupt) as exc:
        # Ctrl-C during a request: the interruption carries what was applied (`.batch`), as a failed request does.
        stop = exc if isinstance(exc, BatchError) else getattr(exc, "batch", None)
        if progress.live:
            err.write("\n")
        if isinstance(stop, BatchError):
            _report_stop(stop, args, err)
        else:  # Ctrl-C between requests (reading the catalog): what was sent before is applied all the same
            err.write(
                "products sync: stopped by an interruption; what was sent before it was applied (the summary "
                "counts it)\n"
            )
            err.write(f"products sync: the rest of {args.catalog} was not sent\n")
        _summary(out, done, progress, refused, args.catalog)
        raise
    if progress.live:
        err.write("\n")
    _summary(out, done, progress, refused, args.catalog)
    return 1 if progress.failed or refused[0] else 0


def _summary(out: TextIO, done: dict[str, int], progress: _Progress, refused: list[int], catalog: str) -> None:
    out.write(
        f"{done['created']} created, {done['updated']} updated, "
        f"{progress.failed} refused by Ordergroove, {refused[0]} rows refused in {catalog}\n"
    )


def _ids(products: list[Any]) -> str:
    return ", ".join(str(getattr(product, "product_id", "?")) for product in products)


def _report_stop(exc: BatchError, args: argparse.Namespace, err: TextIO) -> None:
    """Which products of the failed request were not applied, or may have been; the catalog after them was not
    sent. The products of the requests before it were applied, as the summary counts."""
    cause = "a failed request" if isinstance(exc.error, OrdergrooveError) else "an interruption"
    err.write(f"products sync: stopped by {cause}; what was sent before it was applied (the summary counts it)\n")
    if exc.unknown:
        err.write(
            f"products sync: {len(exc.unknown)} of unknown outcome (they may have been applied; check them with "
            f"`ordergroove products get` before sending them again): {_ids(exc.unknown)}\n"
        )
    if exc.not_applied:
        err.write(f"products sync: {len(exc.not_applied)} not applied: {_ids(exc.not_applied)}\n")
    err.write(f"products sync: the rest of {args.catalog} after them was not sent\n")
