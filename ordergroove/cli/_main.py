"""The command's parser and its dispatch: each subcommand to the client call (or the module) that runs it."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO, cast

from .. import (
    APIConnectionError,
    APIStatusError,
    BatchError,
    Ordergroove,
    OrdergrooveError,
    OrderStatus,
    Period,
    ResponseDecodeError,
    __version__,
)
from . import _accounts, _catalog, _export, _graphql, _serve
from ._args import bool_arg, date_arg, names, period_arg, positive_arg, status_arg
from ._errors import describe, options_of, os_error, quoted
from ._output import Output

# -- arguments ---------------------------------------------------------------------------------------------------

SANDBOX_HELP = (
    "run against a fresh demo emulator inside this command (no key, no network); its state resets on every "
    "command, so a cancel is gone by the next get: to keep state, run `ordergroove fake serve` and point "
    "--base-url at it"
)

# The global options: given before or after the subcommand (``ordergroove customers list --limit 5 --sandbox``).
# Each is declared on every parser of the tree with a suppressed default, so a value given at any level reaches the
# namespace and one not given is absent from it: what was given is known, then the defaults are filled in.
GLOBAL_DEFAULTS: dict[str, Any] = {
    "sandbox": False,
    "environment": None,
    "base_url": None,
    "json": False,
    "limit": None,
}
CLIENT = frozenset({"sandbox", "environment", "base_url"})
SHOWS = CLIENT | {"json"}
LISTS = SHOWS | {"limit"}


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose page (``ordergroove X --help``) opens with the line they have in the list by default."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        text = kwargs.get("help")
        if text and not kwargs.get("description"):
            kwargs["description"] = f"{text[0].upper()}{text[1:]}."
        return super().add_parser(name, **kwargs)


class Parser(argparse.ArgumentParser):
    """An argparse parser that takes the global options too; every parser of the command's tree is one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.add_argument_group("global options (before or after the command)")
        suppress = argparse.SUPPRESS
        group.add_argument("--sandbox", action="store_true", default=suppress, help=SANDBOX_HELP)
        group.add_argument(
            "--environment",
            choices=("production", "staging"),
            default=suppress,
            help="Ordergroove's environment (default: ORDERGROOVE_ENVIRONMENT, else production)",
        )
        group.add_argument(
            "--staging",
            action="store_const",
            dest="environment",
            const="staging",
            default=suppress,
            help="the same as --environment staging",
        )
        group.add_argument(
            "--base-url",
            default=suppress,
            metavar="URL",
            help="send the requests to this URL (default: ORDERGROOVE_BASE_URL, else the environment's host)",
        )
        group.add_argument("--json", action="store_true", default=suppress, help="print JSON instead of tables")
        group.add_argument("--limit", type=positive_arg, default=suppress, metavar="N", help="list at most N records")
        self.set_defaults(_usage=self)  # the deepest parser reached: its help is shown when an action is missing

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        # argparse's own says "invalid choice: 'x' (choose from 'a', 'b')", in Python's quotes: the same in words.
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(str, action.choices))
            raise argparse.ArgumentError(action, f"invalid choice: {quoted(str(value))} (choose from {choices})")

    def add_subparsers(self, **kwargs: Any) -> Any:
        # Not required by argparse: a missing command or action prints the help of where the user stopped.
        kwargs["required"] = False
        kwargs.setdefault("action", _Commands)
        return super().add_subparsers(**kwargs)


def _group(commands: Any, name: str, text: str) -> Any:
    """A subcommand with actions of its own (``customers``): its parser's subparsers."""
    parser = commands.add_parser(name, help=text)
    return parser.add_subparsers(dest="action", metavar="ACTION", title="actions")


def _leaf(actions: Any, name: str, text: str) -> Parser:
    parser: Parser = actions.add_parser(name, help=text)
    return parser


def build_parser() -> Parser:
    parser = Parser(
        prog="ordergroove",
        description="Ordergroove from the shell. The API key comes from the ORDERGROOVE_API_KEY environment variable; "
        "--sandbox runs against the demo emulator instead (no key).",
        epilog="`ordergroove COMMAND --help` describes a command. Exit status: 0 done, 1 an error (one line on "
        "stderr), 2 a usage error, 3 a change whose outcome is unknown (it may have reached Ordergroove: check before "
        "running it again), 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"ordergroove {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    _leaf(commands, "demo", "walk through the library on the demo emulator (no key, no network)")

    customers = _group(commands, "customers", "read customers")
    _leaf(customers, "get", "one customer").add_argument("customer_id", help="the customer's merchant user id")
    _leaf(customers, "list", "the customers").add_argument("--email", help="only the customer with this email")
    _leaf(customers, "summary", "a customer at a glance: subscriptions, orders, lifetime value").add_argument(
        "customer_id", help="the customer's merchant user id"
    )
    _accounts.add_customer_actions(customers, _leaf)

    subs = _group(commands, "subscriptions", "read and change subscriptions")
    sub_list = _leaf(subs, "list", "the subscriptions")
    sub_list.add_argument("--customer", help="only this customer's")
    sub_list.add_argument("--product", help="only those of this product")
    sub_list.add_argument("--live", type=bool_arg, metavar="{true,false}", help="only the active (true) or not (false)")
    _leaf(subs, "get", "one subscription").add_argument("subscription_id", help="the subscription's public id")
    cancel = _leaf(subs, "cancel", "cancel a subscription")
    cancel.add_argument("subscription_id", help="the subscription's public id")
    cancel.add_argument("--reason", type=int, metavar="CODE", help="a cancel reason code (see `cancel-reasons`)")
    cancel.add_argument("--details", help="free text stored with the reason")
    reactivate = _leaf(subs, "reactivate", "reactivate a cancelled subscription")
    reactivate.add_argument("subscription_id", help="the subscription's public id")
    _frequency_arguments(reactivate)
    reactivate.add_argument("--start-date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    reactivate.add_argument("--next-order-date", type=date_arg, metavar="YYYY-MM-DD", help="the first order's date")
    _leaf(subs, "skip", "skip the next order").add_argument("subscription_id", help="the subscription's public id")
    quantity = _leaf(subs, "change-quantity", "change the quantity")
    quantity.add_argument("subscription_id", help="the subscription's public id")
    quantity.add_argument("quantity", type=int, help="the new quantity (1 or more)")
    frequency = _leaf(subs, "change-frequency", "change how often it ships")
    frequency.add_argument("subscription_id", help="the subscription's public id")
    _frequency_arguments(frequency)
    change_date = _leaf(subs, "change-date", "move the next order")
    change_date.add_argument("subscription_id", help="the subscription's public id")
    change_date.add_argument("order_date", type=date_arg, metavar="YYYY-MM-DD", help="the next order's new date")
    _accounts.add_subscription_actions(subs, _leaf)

    orders = _group(commands, "orders", "read orders and act on them")
    order_list = _leaf(orders, "list", "the orders")
    order_list.add_argument("--customer", help="only this customer's")
    order_list.add_argument("--subscription", help="only those holding this subscription")
    order_list.add_argument(
        "--status",
        type=status_arg,
        metavar="STATUS",
        help=f"only those in this status: {names(OrderStatus)}, or a code",
    )
    _leaf(orders, "get", "one order").add_argument("order_id", help="the order's public id")
    skip = _leaf(orders, "skip", "take one subscription out of an order")
    skip.add_argument("order_id", help="the order's public id")
    skip.add_argument("subscription_id", help="the subscription's public id")
    _leaf(orders, "cancel", "cancel an order").add_argument("order_id", help="the order's public id")
    _leaf(orders, "send-now", "place an order now (never re-sent after an ambiguous failure)").add_argument(
        "order_id", help="the order's public id"
    )

    products = _group(commands, "products", "read products and send a catalog")
    _leaf(products, "list", "the products").add_argument(
        "--id", action="append", dest="ids", metavar="PRODUCT_ID", help="only this product; repeat for several"
    )
    _leaf(products, "get", "one product").add_argument("product_id", help="the product's external id")
    _catalog.add_products_sync_parser(products)
    _catalog.add_feed_parser(commands)

    _accounts.add_groups(commands, _group, _leaf)
    _leaf(commands, "cancel-reasons", "the merchant's cancel reasons")
    _graphql.add_parser(commands)
    _export.add_parser(commands)

    _serve.add_gladly_parser(commands)
    _serve.add_fake_parser(commands)
    _hide_refused(parser)
    return parser


def _hide_refused(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Leave out of a command's help the global options it refuses (it still says why when one is given)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                _hide_refused(child, (*path, name))
    accepts = ACCEPTS.get((path[0], path[1] if len(path) > 1 else None)) if path else None
    if accepts is not None:
        for action in parser._actions:
            if action.dest in GLOBAL_DEFAULTS and action.dest not in accepts:
                action.help = argparse.SUPPRESS


def _frequency_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every", type=positive_arg, required=True, metavar="N", help="every N periods")
    parser.add_argument(
        "--period", type=period_arg, required=True, metavar="PERIOD", help=f"the period: {names(Period)} (or 1-4)"
    )


# Which global options each command takes: the others are refused with a usage error, never silently ignored.
ACCEPTS: dict[tuple[str, str | None], frozenset[str]] = {
    ("demo", None): frozenset({"sandbox"}),  # it always runs on the demo emulator
    ("customers", "get"): SHOWS,
    ("customers", "list"): LISTS,
    ("customers", "summary"): SHOWS,
    ("subscriptions", "list"): LISTS,
    **{
        ("subscriptions", action): SHOWS
        for action in ("get", "cancel", "reactivate", "skip", "change-quantity", "change-frequency", "change-date")
    },
    ("orders", "list"): LISTS,
    **{("orders", action): SHOWS for action in ("get", "skip", "cancel", "send-now")},
    **{action: LISTS if action in _accounts.LISTS else SHOWS for action in _accounts.ACTIONS},
    ("products", "list"): LISTS,
    ("products", "get"): SHOWS,
    ("products", "sync"): CLIENT,
    ("feed", "build"): frozenset(),
    ("feed", "upload"): frozenset(),  # SFTP, not the REST API: --host names the server
    ("cancel-reasons", None): SHOWS,
    ("graphql", None): LISTS,  # JSON always; --limit counts the nodes of --all
    ("export", "subscriptions"): CLIENT,
    ("export", "orders"): CLIENT,
    ("export", "customers"): CLIENT,
    # The service's Ordergroove client is the one these options describe (never silently production).
    ("gladly", "serve"): CLIENT,
    ("fake", "serve"): frozenset({"sandbox"}),  # it serves the demo emulator
}

_WHY_NOT = {
    "json": "it prints no records",
    "limit": "it is for lists",
    "sandbox": "it sends no request to Ordergroove's REST API",
    "environment": "it sends no request to Ordergroove's REST API",
    "base_url": "it sends no request to Ordergroove's REST API",
}
_SPELLING = {
    "sandbox": "--sandbox",
    "environment": "--environment/--staging",
    "base_url": "--base-url",
    "json": "--json",
    "limit": "--limit",
}


def parse(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The parsed arguments with the global options filled in; None when no command was given (help shown).
    A usage error exits with status 2, as argparse does."""
    args = parser.parse_args(argv)
    given = {name for name in GLOBAL_DEFAULTS if name in vars(args)}
    for name, default in GLOBAL_DEFAULTS.items():
        vars(args).setdefault(name, default)
    if args.command is None or getattr(args, "action", "") is None:
        return None
    if args.sandbox and (args.environment or args.base_url):
        args._usage.error("--sandbox runs on the demo emulator: it cannot be combined with --environment or --base-url")
    accepts = ACCEPTS[(args.command, getattr(args, "action", None))]
    refused = sorted(given - accepts)
    if refused:
        name = refused[0]
        where = " ".join(part for part in (args.command, getattr(args, "action", None)) if part)
        reason = "it runs on the demo emulator" if name in CLIENT and "sandbox" in accepts else _WHY_NOT[name]
        args._usage.error(f"{_SPELLING[name]} does not apply to `{where}` ({reason})")
    problem = _export.check(args) if args.command == "export" else None
    if problem:
        args._usage.error(problem)
    return args


# -- commands ------------------------------------------------------------------------------------------------------


def _listed(pager: Iterable[Any], limit: int | None) -> list[Any]:
    to_list = getattr(pager, "to_list", None)
    return list(to_list(limit)) if to_list is not None else list(pager)


def run_command(args: argparse.Namespace, client: Ordergroove, output: Output) -> None:
    command, action = args.command, getattr(args, "action", None)
    limit = args.limit
    result: Any
    if (command, action) in _accounts.ACTIONS:
        result = _accounts.run(args, client, _listed)
    elif command == "customers":
        if action == "get":
            result = client.customers.retrieve(args.customer_id)
        elif action == "list":
            result = _listed(client.customers.list(email=args.email), limit)
        else:
            result = client.customers.summary(args.customer_id)
    elif command == "subscriptions":
        subs = client.subscriptions
        if action == "list":
            result = _listed(subs.list(customer=args.customer, product=args.product, live=args.live), limit)
        elif action == "get":
            result = subs.retrieve(args.subscription_id)
        elif action == "cancel":
            result = subs.cancel(args.subscription_id, reason_code=args.reason, reason_details=args.details)
        elif action == "reactivate":
            result = subs.reactivate(
                args.subscription_id,
                every=args.every,
                every_period=args.period,
                start_date=args.start_date or dt.date.today(),
                next_order_date=args.next_order_date,
            )
        elif action == "skip":
            result = subs.skip_next_order(args.subscription_id)
        elif action == "change-quantity":
            result = subs.change_quantity(args.subscription_id, args.quantity)
        elif action == "change-frequency":
            result = subs.change_frequency(args.subscription_id, every=args.every, every_period=args.period)
        else:
            result = subs.change_next_order_date(args.subscription_id, args.order_date)
    elif command == "orders":
        orders = client.orders
        if action == "list":
            pager = orders.list(customer=args.customer, subscription=args.subscription, status=args.status)
            result = _listed(pager, limit)
        elif action == "get":
            result = orders.retrieve(args.order_id)
        elif action == "skip":
            result = orders.skip_subscription(args.order_id, args.subscription_id)
        elif action == "cancel":
            result = orders.cancel(args.order_id)
        else:
            result = orders.send_now(args.order_id)
    elif command == "products":
        if action == "list":
            result = _listed(client.products.list(external_product_ids=args.ids), limit)
        else:
            result = client.products.retrieve(args.product_id)
    else:
        result = client.merchant.cancel_reasons()
    output.show(result)


def _client(args: argparse.Namespace, **options: Any) -> Ordergroove:
    if args.sandbox:
        from ..testing import FakeOrdergroove

        return FakeOrdergroove.demo().client(**options)
    return Ordergroove(environment=args.environment, base_url=args.base_url, **options)


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command changes something at Ordergroove (everything but reads; an export only reads)."""
    action = getattr(args, "action", None)
    reads = ("graphql", "cancel-reasons", "demo", "export")
    return args.command not in reads and action not in ("get", "list", "summary")


def _may_have_applied(exc: OrdergrooveError) -> bool:
    """Whether a failed change may have been applied: its request may have reached Ordergroove and failed there (a
    5xx), or on the way back (a timeout or a connection lost after sending), or was answered but the answer could
    not be read. A read that failed (``subscriptions skip`` reads the next order first) changed nothing."""
    if isinstance(exc, BatchError):  # products sync: the failed request's outcome
        return exc.outcome_unknown
    if getattr(exc, "method", None) in ("GET", "HEAD"):
        return False
    if isinstance(exc, APIConnectionError):
        return exc.request_sent
    if isinstance(exc, APIStatusError):
        return exc.status_code >= 500
    return isinstance(exc, ResponseDecodeError)


def _help(parser: Parser, argv: Sequence[str] | None, err: TextIO) -> int:
    reached: Parser = parser.parse_known_args(argv)[0]._usage
    reached.print_help(err)
    return 2


class _KeptGoing:
    """The output of a change: should its reader stop reading (``| head``), what is left is dropped and the command
    goes on to its end and its own exit status. The change is neither stopped half-way nor said to have failed."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._out.write(text)
            except BrokenPipeError:
                self.broken = True
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._out.flush()
            except BrokenPipeError:
                self.broken = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def _quiet_stdout(out: TextIO) -> None:
    """Python's advice for a closed pipe (the signal module's note on SIGPIPE): point stdout at devnull, so that its
    flush at exit does not fail again (``Exception ignored ... BrokenPipeError``)."""
    if out is not sys.stdout:
        return
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # not a file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


# A read whose output's reader stopped reading: the status a shell reports for a command SIGPIPE ended (128 + 13).
BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parse(parser, argv)
    if args is None:  # no command, or a command without its action: the help of that level, as a usage error
        return _help(parser, argv, err)
    given = out
    kept = _KeptGoing(given) if _writes(args) else None
    if kept is not None:
        out = cast(TextIO, kept)
    status = _run(args, out, err)
    try:
        out.flush()  # piped, stdout is buffered: a closed pipe is found here, not at exit
    except BrokenPipeError:
        _quiet_stdout(given)
        return BROKEN_PIPE
    if kept is not None and kept.broken:
        _quiet_stdout(given)
    return status


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        if args.command == "demo":
            from ._demo import run_demo

            run_demo(out)
        elif args.command == "gladly":
            return _serve.serve_gladly(args, out, err)
        elif args.command == "fake":
            return _serve.serve_fake(args, out, err)
        elif args.command == "export":
            return _export.run_export(args, lambda **options: _client(args, **options), out, err)
        elif args.command == "feed":
            if args.action == "build":
                return _catalog.build_feed(args, err)
            return _catalog.upload_feed(args, out)
        elif args.command == "graphql":
            with _client(args) as client:
                _graphql.run_graphql(args, client, out)
        elif args.command == "products" and args.action == "sync":
            with _client(args) as client:
                return _catalog.sync_products(args, client, out, err)
        else:
            with _client(args) as client:
                run_command(args, client, Output(args.json, out))
    except OrdergrooveError as exc:
        err.write(f"ordergroove: error: {describe(exc, options_of(args._usage))}\n")
        if _writes(args) and _may_have_applied(exc):
            err.write(
                "ordergroove: the outcome is unknown: the request may have reached Ordergroove and been applied. "
                "It was not sent again; check the record (with `get` or `list`) before running the command again.\n"
            )
            return 3
        return 1
    except OSError as exc:  # a local file (a catalog, a feed): never a request, which fails as an OrdergrooveError
        if isinstance(exc, BrokenPipeError) and not _writes(args):
            # A read's output closed by its reader (`| head`): not an error of the command (a change's output
            # never raises this: see _KeptGoing).
            _quiet_stdout(out)
            return BROKEN_PIPE
        err.write(f"ordergroove: error: {os_error(exc)}\n")
        return 1
    except KeyboardInterrupt:
        err.write("ordergroove: interrupted\n")
        if _writes(args):
            err.write(
                "ordergroove: if the change was on its way, it may have reached Ordergroove and been applied: check "
                "the record (with `get` or `list`) before running the command again.\n"
            )
        return 130
    return 0
