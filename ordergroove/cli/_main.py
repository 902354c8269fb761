"""The command's parser and its dispatch: each subcommand to the client call (or the module) that runs it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from .. import Ordergroove, OrdergrooveError, __version__
from . import _catalog, _export, _graphql, _serve
from ._args import bool_arg, date_arg, period_arg
from ._output import Output

# -- arguments ---------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ordergroove",
        description="Ordergroove from the shell. The API key comes from ORDERGROOVE_API_KEY.",
    )
    parser.add_argument("--version", action="version", version=f"ordergroove {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sandbox", action="store_true", help="run against the built-in demo emulator (no key)")
    where.add_argument("--staging", action="store_true", help="use Ordergroove's staging environment")
    where.add_argument("--base-url", help="send requests to this URL instead")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--limit", type=int, default=None, help="list at most this many records")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("demo", help="walk through the library on the demo emulator (no key, no network)")

    customers = commands.add_parser("customers", help="customers").add_subparsers(dest="action", required=True)
    customers.add_parser("get").add_argument("customer_id")
    customers.add_parser("list").add_argument("--email")
    customers.add_parser("summary").add_argument("customer_id")

    subs = commands.add_parser("subscriptions", help="subscriptions").add_subparsers(dest="action", required=True)
    sub_list = subs.add_parser("list")
    sub_list.add_argument("--customer")
    sub_list.add_argument("--product")
    sub_list.add_argument("--live", type=bool_arg)
    subs.add_parser("get").add_argument("subscription_id")
    cancel = subs.add_parser("cancel")
    cancel.add_argument("subscription_id")
    cancel.add_argument("--reason", type=int, help="a cancel reason code")
    cancel.add_argument("--details", help="free text stored with the reason")
    reactivate = subs.add_parser("reactivate")
    reactivate.add_argument("subscription_id")
    reactivate.add_argument("--every", type=int, required=True)
    reactivate.add_argument("--period", type=period_arg, required=True)
    reactivate.add_argument("--start-date", type=date_arg, default=None, help="default: today")
    reactivate.add_argument("--next-order-date", type=date_arg)
    subs.add_parser("skip", help="skip the next order").add_argument("subscription_id")
    quantity = subs.add_parser("change-quantity")
    quantity.add_argument("subscription_id")
    quantity.add_argument("quantity", type=int)
    frequency = subs.add_parser("change-frequency")
    frequency.add_argument("subscription_id")
    frequency.add_argument("--every", type=int, required=True)
    frequency.add_argument("--period", type=period_arg, required=True)
    change_date = subs.add_parser("change-date", help="move the next order")
    change_date.add_argument("subscription_id")
    change_date.add_argument("order_date", type=date_arg)

    orders = commands.add_parser("orders", help="orders").add_subparsers(dest="action", required=True)
    order_list = orders.add_parser("list")
    order_list.add_argument("--customer")
    order_list.add_argument("--subscription")
    order_list.add_argument("--status", type=int)
    orders.add_parser("get").add_argument("order_id")
    skip = orders.add_parser("skip", help="take one subscription out of an order")
    skip.add_argument("order_id")
    skip.add_argument("subscription_id")
    orders.add_parser("cancel").add_argument("order_id")
    orders.add_parser("send-now").add_argument("order_id")

    products = commands.add_parser("products", help="products").add_subparsers(dest="action", required=True)
    products.add_parser("list").add_argument("--id", action="append", dest="ids", help="repeat for several")
    products.add_parser("get").add_argument("product_id")
    _catalog.add_products_sync_parser(products)
    _catalog.add_feed_parser(commands)

    commands.add_parser("cancel-reasons", help="the merchant's cancel reasons")
    _graphql.add_parser(commands)
    _export.add_parser(commands)

    _serve.add_gladly_parser(commands)
    _serve.add_fake_parser(commands)
    return parser


# -- commands ------------------------------------------------------------------------------------------------------


def _listed(pager: Iterable[Any], limit: int | None) -> list[Any]:
    to_list = getattr(pager, "to_list", None)
    return list(to_list(limit)) if to_list is not None else list(pager)


def run_command(args: argparse.Namespace, client: Ordergroove, output: Output) -> None:
    command, action = args.command, getattr(args, "action", None)
    limit = args.limit
    result: Any
    if command == "customers":
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
    return Ordergroove(environment="staging" if args.staging else None, base_url=args.base_url, **options)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            from ._demo import run_demo

            run_demo(out)
        elif args.command == "gladly":
            return _serve.serve_gladly(args, out, err)
        elif args.command == "fake":
            return _serve.serve_fake(args, out, err)
        elif args.command == "export":
            return _export.run_export(args, lambda **options: _client(args, **options), err)
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
        err.write(f"ordergroove: error: {type(exc).__name__}: {exc}\n")
        return 1
    except KeyboardInterrupt:
        err.write("ordergroove: interrupted\n")
        return 130
    return 0
