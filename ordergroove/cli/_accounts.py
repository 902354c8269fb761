"""The command's account changes: customers create/update, addresses, payments, subscription changes, items and
one-time incentives. Each action is one public client call; what is not safe to repeat is marked in ``ONCE``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._args import bool_arg, positive_arg
from ._errors import quoted

if TYPE_CHECKING:
    from .. import Ordergroove

Leaf = Callable[[Any, str, str], argparse.ArgumentParser]
Group = Callable[[Any, str, str], Any]

PHONE_TYPES = ("mobile", "landline", "voip", "invalid")
ADDRESS_TYPES = {"shipping": "shipping_address", "billing": "billing_address"}


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f'expected a JSON object such as {{"key": "value"}}, got {quoted(text)}')
    return value


def add_customer_actions(customers: Any, leaf: Leaf) -> None:
    create = leaf(customers, "create", "create a customer account (sent once: never repeated automatically)")
    create.add_argument("merchant_user_id", help="the customer's id in your store")
    create.add_argument("--merchant", required=True, help="your merchant public id")
    create.add_argument("--email", required=True, help="the customer's email")
    create.add_argument("--first-name", required=True, help="the customer's first name")
    create.add_argument("--last-name", required=True, help="the customer's last name")
    create.add_argument("--phone", required=True, help="the customer's phone number")
    create.add_argument("--phone-type", choices=PHONE_TYPES, default="mobile", help="the phone's type (default mobile)")
    create.add_argument("--session-id", required=True, help="the shopper's og_session_id cookie value")
    create.add_argument("--user-token-id", required=True, help="the shopper's user token id")
    create.add_argument("--locale", required=True, help="a locale name (en-us) or id")
    create.add_argument(
        "--live", type=bool_arg, default=True, metavar="{true,false}", help="an active account (default true)"
    )
    create.add_argument("--price-code", help="the customer's price code")
    create.add_argument("--extra-data", type=_json_object, metavar="JSON", help="a JSON object stored with it")
    update = leaf(customers, "update", "set a customer's extra data, locale or price code (at least one)")
    update.add_argument("customer_id", help="the customer's merchant user id")
    update.add_argument("--extra-data", type=_json_object, metavar="JSON", help="a JSON object stored with it")
    update.add_argument("--locale", help="a locale name (en-us)")
    update.add_argument("--price-code", help="the customer's price code")


def add_subscription_actions(subs: Any, leaf: Leaf) -> None:
    address = leaf(subs, "change-address", "ship the next orders to another of the customer's addresses")
    address.add_argument("subscription_id", help="the subscription's public id")
    address.add_argument("address_id", help="the address's public id (see `addresses list`)")
    payment = leaf(subs, "change-payment", "charge the next orders to another of the customer's payments")
    payment.add_argument("subscription_id", help="the subscription's public id")
    payment.add_argument("payment_id", help="the payment's public id (see `payments list`)")
    product = leaf(subs, "change-product", "swap the subscription to another product")
    product.add_argument("subscription_id", help="the subscription's public id")
    product.add_argument("product_id", help="the product's external id, already in Ordergroove")


def add_groups(commands: Any, group: Group, leaf: Leaf) -> None:
    addresses = group(commands, "addresses", "customers' addresses")
    listed = leaf(addresses, "list", "the addresses")
    listed.add_argument("--customer", help="only this customer's")
    create = leaf(addresses, "create", "add an address to a customer (sent once: never repeated automatically)")
    create.add_argument("--customer", required=True, help="the customer's merchant user id")
    create.add_argument("--type", choices=tuple(ADDRESS_TYPES), default="shipping", help="default shipping")
    create.add_argument("--first-name", required=True, help="the addressee's first name")
    create.add_argument("--last-name", required=True, help="the addressee's last name")
    create.add_argument("--address", required=True, help="the street address")
    create.add_argument("--address2", help="the address's second line")
    create.add_argument("--city", required=True, help="the city")
    create.add_argument("--state", required=True, metavar="CODE", help="the state or province code (TX)")
    create.add_argument("--zip", required=True, metavar="CODE", help="the ZIP or postal code")
    create.add_argument("--country", required=True, metavar="CODE", help="the country code (US)")
    create.add_argument("--company", help="the company name")
    create.add_argument("--phone", help="a phone number")
    create.add_argument("--label", help="a label the customer sees (Home)")
    leaf(
        addresses,
        "use-for-all",
        "ship every live subscription and unsent order of the address's customer to this address (sent once)",
    ).add_argument("address_id", help="the address's public id")

    payments = group(commands, "payments", "customers' payment methods")
    leaf(payments, "list", "the payment methods").add_argument("--customer", help="only this customer's")
    leaf(
        payments,
        "use-for-all",
        "charge every live subscription and unsent order of the payment's customer to it (sent once)",
    ).add_argument("payment_id", help="the payment's public id")

    items = group(commands, "items", "the items of orders")
    listed = leaf(items, "list", "the items")
    listed.add_argument("--order", help="only this order's")
    listed.add_argument("--subscription", help="only this subscription's")
    add = leaf(items, "add", "add a one-time item to an unsent order (sent once: never repeated automatically)")
    add.add_argument("order_id", help="the order's public id")
    add.add_argument("--product", required=True, help="the product's external id")
    add.add_argument("--offer", required=True, help="the offer's public id")
    add.add_argument("--quantity", type=positive_arg, default=1, metavar="N", help="how many (default 1)")
    leaf(items, "delete", "remove an item from its order (sent once: never repeated automatically)").add_argument(
        "item_id", help="the item's public id (see `items list`)"
    )

    incentives = group(commands, "incentives", "one-time incentives")
    leaf(incentives, "list", "the one-time incentives")
    create = leaf(incentives, "create", "create a one-time incentive (sent once: never repeated automatically)")
    create.add_argument("--external-code", required=True, help="the incentive's code in your store")
    create.add_argument("--description", help="what it is")
    create.add_argument("--customer", help="the customer it is for")
    create.add_argument("--order", help="the order it applies to")
    create.add_argument("--incentive", type=_json_object, metavar="JSON", help="the incentive object, as JSON")


ACTIONS = frozenset(
    {
        ("customers", "create"),
        ("customers", "update"),
        ("subscriptions", "change-address"),
        ("subscriptions", "change-payment"),
        ("subscriptions", "change-product"),
        ("items", "add"),
        ("items", "delete"),
        ("addresses", "list"),
        ("addresses", "create"),
        ("addresses", "use-for-all"),
        ("payments", "list"),
        ("payments", "use-for-all"),
        ("items", "list"),
        ("incentives", "list"),
        ("incentives", "create"),
    }
)
LISTS = frozenset({("addresses", "list"), ("payments", "list"), ("items", "list"), ("incentives", "list")})


def run(args: argparse.Namespace, client: Ordergroove, listed: Callable[[Any, int | None], list[Any]]) -> Any:
    """The result of one of ``ACTIONS``: a model, a list, or a sentence saying what was done."""
    key = (args.command, args.action)
    if key == ("customers", "create"):
        now = dt.datetime.now().replace(microsecond=0)  # naive, as Ordergroove's datetimes are
        return client.customers.create(
            merchant=args.merchant,
            merchant_user_id=args.merchant_user_id,
            session_id=args.session_id,
            user_token_id=args.user_token_id,
            first_name=args.first_name,
            last_name=args.last_name,
            email=args.email,
            phone_number=args.phone,
            phone_type=args.phone_type,
            live=args.live,
            created=now,
            last_updated=now,
            last_login=now,
            locale=args.locale,
            extra_data=args.extra_data,
            price_code=args.price_code,
        )
    if key == ("customers", "update"):
        return client.customers.update(
            args.customer_id, extra_data=args.extra_data, locale=args.locale, price_code=args.price_code
        )
    if key == ("subscriptions", "change-address"):
        return client.subscriptions.change_shipping_address(args.subscription_id, shipping_address=args.address_id)
    if key == ("subscriptions", "change-payment"):
        return client.subscriptions.change_payment(args.subscription_id, payment=args.payment_id)
    if key == ("subscriptions", "change-product"):
        return client.subscriptions.change_product(args.subscription_id, product=args.product_id)
    if key == ("items", "add"):
        return client.items.create_in_order(
            order=args.order_id, offer=args.offer, product=args.product, quantity=args.quantity
        )
    if key == ("items", "delete"):
        client.items.delete(args.item_id)
        return f"item {args.item_id} removed from its order"
    if key == ("addresses", "list"):
        return listed(client.addresses.list(customer=args.customer), args.limit)
    if key == ("addresses", "create"):
        return client.addresses.create(
            customer=args.customer,
            address_type=ADDRESS_TYPES[args.type],
            first_name=args.first_name,
            last_name=args.last_name,
            address=args.address,
            address2=args.address2,
            city=args.city,
            state_province_code=args.state,
            zip_postal_code=args.zip,
            country_code=args.country,
            company_name=args.company,
            phone=args.phone,
            label=args.label,
        )
    if key == ("addresses", "use-for-all"):
        client.addresses.use_for_all(args.address_id)
        return f"address {args.address_id} is now used by every live subscription and unsent order of its customer"
    if key == ("payments", "list"):
        return listed(client.payments.list(customer=args.customer), args.limit)
    if key == ("payments", "use-for-all"):
        client.payments.use_for_all(args.payment_id)
        return f"payment {args.payment_id} is now used by every live subscription and unsent order of its customer"
    if key == ("items", "list"):
        return listed(client.items.list(order=args.order, subscription=args.subscription), args.limit)
    if key == ("incentives", "list"):
        return listed(client.one_time_incentives.list(), args.limit)
    return client.one_time_incentives.create(
        external_code=args.external_code,
        description=args.description,
        customer=args.customer,
        order=args.order,
        incentive=args.incentive,
    )
