"""The DETAILED lookup's records through Ordergroove's GraphQL API: two requests in one round, instead of REST's
seven in two (customer, summary's two lists, subscriptions, upcoming orders, each order's items, products).

One request lists the customer's subscriptions with their products, the other the customer's placed and upcoming
orders with their items and the items' products; both carry the customer. The GraphQL records are turned into
the REST models the lookup has always mapped (:func:`records`), so the answer is the one REST gives. Whenever
GraphQL cannot give all REST would (GraphQL refused, an order with more than 100 items, a product that no longer
exists, a value that does not read), :func:`fetch` answers None and the lookup asks REST instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ordergroove.errors import (
    APIStatusError,
    AuthenticationError,
    GraphQLError,
    NotFoundError,
    OrdergrooveError,
    PermissionDeniedError,
    ResponseDecodeError,
    VersionSunsetError,
)
from ordergroove.gladly._service import Service, gather_all
from ordergroove.models import Customer, Item, Order, OrderStatus, Product, Subscription, from_dict

if TYPE_CHECKING:
    from ordergroove import AsyncOrdergroove

__all__ = ["ORDERS", "REFUSAL_MEMORY", "SUBSCRIPTIONS", "Records", "fetch", "records"]

_log = logging.getLogger("ordergroove.gladly")

# After GraphQL is refused in a way that lasts (no access for the key, the version gone, the query refused), the
# lookups of that client use REST alone for this long, then try GraphQL again.
REFUSAL_MEMORY = 600.0
_LASTING = (AuthenticationError, PermissionDeniedError, NotFoundError, VersionSunsetError)
_refused_until: weakref.WeakKeyDictionary[AsyncOrdergroove, float] = weakref.WeakKeyDictionary()

_CUSTOMER = "customer { merchantUserId firstName lastName email phoneNumber phoneType created }"
_PRODUCT = "product { externalProductId name sku imageUrl price }"
# The fields the lookup maps, and no more: each costs a point of the 200 a query may cost (tests measure both).
SUBSCRIPTIONS = f"""query GladlySubscriptions($customer: String!, $after: String) {{
  subscriptions(customer: $customer, first: 100, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      publicId live quantity every everyPeriod price currencyCode created updated cancelled cancelReason
      cancelReasonCode {{ code }}
      {_PRODUCT}
      {_CUSTOMER}
    }} }}
  }}
}}"""
# Placed orders make the lifetime value, unsent ones the next order and the ORDER transactions: the only two
# statuses the summary counts.
ORDERS = f"""query GladlyOrders($customer: String!, $after: String) {{
  orders(customer: $customer, status: [{OrderStatus.UNSENT:d}, {OrderStatus.SUCCESS:d}], first: 100, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      publicId status place created total currencyCode
      {_CUSTOMER}
      items {{ hasMore nodes {{ publicId quantity price totalPrice {_PRODUCT} subscription {{ publicId }} }} }}
    }} }}
  }}
}}"""


class Incomplete(Exception):
    """GraphQL's answer lacks something REST would give: the lookup asks REST."""


@attrs.frozen
class Records:
    """What the DETAILED lookup maps, as REST models. ``customer`` is None when neither list names the customer
    (no subscription and no order): whether it exists is then REST's to say."""

    customer: Customer | None
    subscriptions: list[Subscription]
    orders: list[Order]  # placed and unsent
    items_by_order: dict[str, list[Item]]  # of the unsent orders
    products: dict[str, Product]


async def fetch(service: Service, customer_id: str) -> Records | None:
    """The customer's records in one round of two GraphQL requests; None when REST must answer instead."""
    client = service.client
    if _refused_until.get(client, 0.0) > time.monotonic():
        return None
    variables = {"customer": customer_id}
    try:
        subscriptions, orders = await gather_all(
            client.graphql.paginate(SUBSCRIPTIONS, variables, connection="subscriptions").to_list(),
            client.graphql.paginate(ORDERS, variables, connection="orders").to_list(),
        )
        return records(customer_id, subscriptions, orders)
    except (APIStatusError, ResponseDecodeError, Incomplete) as exc:
        if not _falls_back(client, exc):
            raise
        return None


def _falls_back(client: AsyncOrdergroove, exc: OrdergrooveError | Incomplete) -> bool:
    """Whether REST should answer after ``exc``; a lasting refusal is remembered for :data:`REFUSAL_MEMORY`."""
    if isinstance(exc, APIStatusError) and exc.status_code in (423, 429):
        return False  # REST would be refused alike: Ordergroove's answer stands
    if isinstance(exc, _LASTING) or (isinstance(exc, GraphQLError) and exc.status_code == 400):
        _refused_until[client] = time.monotonic() + REFUSAL_MEMORY
        _log.warning(
            "the lookup uses REST for %g s: Ordergroove's GraphQL API refused it (%s)", REFUSAL_MEMORY, _said(exc)
        )
    else:  # this customer's records (more than 100 items in an order ...) or a passing failure
        _log.info("the lookup asks REST: %s", _said(exc))
    return True


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"


# -- GraphQL's records as the REST models -------------------------------------------------------------------------


def records(customer_id: str, subscriptions: list[dict[str, Any]], orders: list[dict[str, Any]]) -> Records:
    """The REST models the two answers stand for; :class:`Incomplete` when they cannot say all REST would."""
    customer = next(
        (node["customer"] for node in (*subscriptions, *orders) if isinstance(node.get("customer"), Mapping)), None
    )
    products: dict[str, Product] = {}
    subscription_models = [_subscription(node, customer_id, products) for node in subscriptions]
    order_models: list[Order] = []
    items_by_order: dict[str, list[Item]] = {}
    for node in orders:
        order = _decode(Order, _order_wire(node, customer_id))
        order_models.append(order)
        if order.is_upcoming:
            items_by_order[order.public_id] = _items(node, order.public_id, products)
    return Records(
        customer=None if customer is None else _decode(Customer, _customer_wire(customer)),
        subscriptions=subscription_models,
        orders=order_models,
        items_by_order=items_by_order,
        products=products,
    )


def rest_time(value: Any) -> str | None:
    """A GraphQL ``DateTime`` (ISO 8601 with an America/Chicago offset) as REST writes it: ``YYYY-MM-DD HH:MM:SS``
    in UTC, the zone this library reads REST's zoneless times in (``format_timestamp``). The one place the two
    APIs' times meet: should REST's zone prove to be another, this is the line to change."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Incomplete(f"a DateTime that is not text: {value!r}"[:200])
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Incomplete(f"a DateTime that does not read: {value[:60]!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Incomplete(f"a DateTime without its offset: {value[:60]!r}")
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")


def _cancel_reason(text: Any, code_object: Any) -> str | None:
    """REST's ``"code|text"`` from GraphQL's ``cancelReason`` and ``cancelReasonCode``. Whether ``cancelReason`` is
    the text after the code (as the emulator has it) or REST's whole string is unconfirmed: both read the same.
    GraphQL cannot tell REST's ``"4"`` from ``"4|4"`` (the code, then "4" as the text): it is taken as ``"4"``."""
    code = code_object.get("code") if isinstance(code_object, Mapping) else None
    if not isinstance(code, int) or isinstance(code, bool):
        return text if isinstance(text, str) else None
    if not isinstance(text, str):
        return str(code)
    head, pipe, _ = text.partition("|")
    if text == str(code) or (pipe and head.strip() == str(code)):  # the code alone, or REST's string already
        return text
    return f"{code}|{text}"


def _decode(model: type[Any], wire: Mapping[str, Any]) -> Any:
    decoded = from_dict(model, wire)
    if decoded.unparsed:  # a value REST's model does not read: REST shows it its own way
        raise Incomplete(f"{model.__name__} holds values of no documented form: {sorted(decoded.unparsed)}")
    return decoded


def _product(node: Mapping[str, Any], where: str, products: dict[str, Product]) -> str:
    """The node's product id; the product itself kept in ``products``."""
    product = node.get("product")
    if not isinstance(product, Mapping) or not isinstance(product.get("externalProductId"), str):
        # REST names the product even when its record is gone (the lookup then shows the id): GraphQL cannot.
        raise Incomplete(f"{where} without its product")
    product_id: str = product["externalProductId"]
    if product_id not in products:
        wire = {
            "external_product_id": product_id,
            "name": product.get("name"),
            "sku": product.get("sku"),
            "image_url": product.get("imageUrl"),
            "price": product.get("price"),
        }
        products[product_id] = _decode(Product, wire)
    return product_id


def _subscription(node: Mapping[str, Any], customer_id: str, products: dict[str, Product]) -> Subscription:
    wire = {
        "public_id": node.get("publicId"),
        "customer": customer_id,
        "product": _product(node, "a subscription", products),
        "live": node.get("live"),
        "quantity": node.get("quantity"),
        "every": node.get("every"),
        "every_period": node.get("everyPeriod"),
        "price": node.get("price"),
        "currency_code": node.get("currencyCode"),
        "created": rest_time(node.get("created")),
        "updated": rest_time(node.get("updated")),
        "cancelled": rest_time(node.get("cancelled")),
        "cancel_reason": _cancel_reason(node.get("cancelReason"), node.get("cancelReasonCode")),
    }
    decoded: Subscription = _decode(Subscription, wire)
    return decoded


def _order_wire(node: Mapping[str, Any], customer_id: str) -> dict[str, Any]:
    return {
        "public_id": node.get("publicId"),
        "customer": customer_id,
        "status": node.get("status"),
        "place": rest_time(node.get("place")),
        "created": rest_time(node.get("created")),
        "total": node.get("total"),
        "currency_code": node.get("currencyCode"),
    }


def _items(node: Mapping[str, Any], order_id: str, products: dict[str, Product]) -> list[Item]:
    page = node.get("items")
    if not isinstance(page, Mapping) or page.get("hasMore") is not False or not isinstance(page.get("nodes"), list):
        raise Incomplete(f"order {order_id} has more than GraphQL's 100 items (or none readable)")
    found = []
    for item in page["nodes"]:
        subscription = item.get("subscription")
        wire = {
            "public_id": item.get("publicId"),
            "order": order_id,
            "product": _product(item, f"an item of order {order_id}", products),
            "subscription": subscription.get("publicId") if isinstance(subscription, Mapping) else None,
            "quantity": item.get("quantity"),
            "price": item.get("price"),
            "total_price": item.get("totalPrice"),
        }
        found.append(_decode(Item, wire))
    return found


def _customer_wire(node: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "merchant_user_id": node.get("merchantUserId"),
        "first_name": node.get("firstName"),
        "last_name": node.get("lastName"),
        "email": node.get("email"),
        "phone_number": node.get("phoneNumber"),
        "phone_type": node.get("phoneType"),
        "created": rest_time(node.get("created")),
    }
