"""The typed calls' default field selections: the query documents ``client.graphql.subscription()``,
``subscriptions()``, ``order()`` and ``orders()`` send, and the model each root field decodes to.

They select only what the reference confirms for ``2026-01`` (none of the fields it marks newer), stay within
the complexity limit (tests/graphql/test_queries.py measures them with ``measure``), and declare every
documented argument of their root field as a variable. A caller wanting other fields writes a query of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from ._models import GraphQLModel, Order, Subscription

__all__ = ["ORDER", "ORDERS", "ORDERS_IN_STOCK", "SUBSCRIPTION", "SUBSCRIPTIONS", "TypedQuery"]

M = TypeVar("M", bound=GraphQLModel)


@attrs.frozen
class TypedQuery(Generic[M]):
    """A query document, its one root field, and what that field's records decode to.

    ``arguments``: Python keyword -> the document's variable. ``connection``: the root field is a connection
    (``edges { cursor node }`` plus ``pageInfo``); its nodes decode to ``model``.
    """

    name: str
    root: str
    document: str
    model: type[M]
    connection: bool
    arguments: Mapping[str, str]

    def variables(self, **values: Any) -> dict[str, Any]:
        """The ``variables`` object for these keyword values. ``None`` leaves a variable out, so the argument
        takes its default (``includePrepaidOrders`` is true unless sent as false; an explicit null would not
        be); dates become ``YYYY-MM-DD``."""
        unknown = set(values) - set(self.arguments)
        if unknown:
            raise TypeError(f"{self.name} takes no argument {sorted(unknown)[0]!r}")
        result: dict[str, Any] = {}
        for keyword, value in values.items():
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                raise TypeError(f"{keyword}: expected a date, got a datetime")
            result[self.arguments[keyword]] = value.isoformat() if isinstance(value, dt.date) else value
        return result


_CUSTOMER = "customer { merchantUserId firstName lastName email }"
_ADDRESS = (
    "shippingAddress { publicId firstName lastName address address2 city stateProvinceCode zipPostalCode countryCode }"
)
_PAYMENT = "payment { publicId ccType ccNumberEnding ccExpDate }"

SUBSCRIPTION_SELECTION = f"""
      publicId id live quantity every everyPeriod frequencyDays startDate price currencyCode subscriptionType
      created updated cancelled cancelReason cancelReasonCode {{ code reason }}
      merchantPublicId offerPublicId merchantOrderId externalId reminderDays extraData
      product {{ externalProductId sku name price live }}
      {_CUSTOMER}
      {_ADDRESS}
      {_PAYMENT}
      prepaidSubscriptionContext {{
        prepaidOrdersRemaining prepaidOrdersPerBilling renewalBehavior lastRenewalRevenue prepaidOriginMerchantOrderId
      }}
      components {{ publicId quantity product {{ externalProductId sku name }} }}"""

ORDER_SELECTION = f"""
      publicId status place created updated cancelled currencyCode
      subTotal taxTotal shippingTotal discountTotal total
      tries genericErrorCount hasPlan locked merchantPublicId orderMerchantId rejectedMessage extraData
      {_CUSTOMER}
      {_ADDRESS}
      {_PAYMENT}
      items {{
        hasMore
        nodes {{
          publicId quantity price extraCost totalPrice oneTime firstPlaced offerPublicId orderPublicId
          product {{ externalProductId sku name }}
          subscription {{ publicId every everyPeriod live }}
        }}
      }}"""

_PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
_PAGING = {"first": "first", "after": "after", "last": "last", "before": "before"}
_PAGING_DECLARED = "$first: Int, $after: String, $last: Int, $before: String"
_PAGING_PASSED = "first: $first, after: $after, last: $last, before: $before"

SUBSCRIPTION: TypedQuery[Subscription] = TypedQuery(
    name="Subscription",
    root="subscription",
    document=f"""query Subscription($publicId: String!) {{
  subscription(publicId: $publicId) {{{SUBSCRIPTION_SELECTION}
  }}
}}""",
    model=Subscription,
    connection=False,
    arguments={"public_id": "publicId"},
)

SUBSCRIPTIONS: TypedQuery[Subscription] = TypedQuery(
    name="Subscriptions",
    root="subscriptions",
    document=f"""query Subscriptions($customer: String, $live: Boolean, {_PAGING_DECLARED}) {{
  subscriptions(customer: $customer, live: $live, {_PAGING_PASSED}) {{
    {_PAGE_INFO}
    edges {{
      cursor
      node {{{SUBSCRIPTION_SELECTION}
      }}
    }}
  }}
}}""",
    model=Subscription,
    connection=True,
    arguments={"customer": "customer", "live": "live", **_PAGING},
)

ORDER: TypedQuery[Order] = TypedQuery(
    name="Order",
    root="order",
    document=f"""query Order($publicId: String!) {{
  order(publicId: $publicId) {{{ORDER_SELECTION}
  }}
}}""",
    model=Order,
    connection=False,
    arguments={"public_id": "publicId"},
)

_ORDERS_ARGUMENTS = {
    "customer": "customer",
    "status": "status",
    "subscription": "subscription",
    "place": "place",
    "place_start": "placeStart",
    "place_end": "placeEnd",
    "include_prepaid_orders": "includePrepaidOrders",
}
_ORDERS_DECLARED = (
    "$customer: String, $status: [Int!], $subscription: String, $place: Date, $placeStart: Date, "
    "$placeEnd: Date, $includePrepaidOrders: Boolean"
)
_ORDERS_PASSED = (
    "customer: $customer, status: $status, subscription: $subscription, place: $place, placeStart: $placeStart, "
    "placeEnd: $placeEnd, includePrepaidOrders: $includePrepaidOrders"
)


def _orders_document(name: str, declared: str, passed: str) -> str:
    return f"""query {name}({declared}, {_PAGING_DECLARED}) {{
  orders({passed}, {_PAGING_PASSED}) {{
    {_PAGE_INFO}
    edges {{
      cursor
      node {{{ORDER_SELECTION}
      }}
    }}
  }}
}}"""


ORDERS: TypedQuery[Order] = TypedQuery(
    name="Orders",
    root="orders",
    document=_orders_document("Orders", _ORDERS_DECLARED, _ORDERS_PASSED),
    model=Order,
    connection=True,
    arguments={**_ORDERS_ARGUMENTS, **_PAGING},
)

# ``inStock`` is newer (unconfirmed in 2026-01): a server without it refuses the whole document, so it has a
# document of its own, for a call that asks for that filter.
ORDERS_IN_STOCK: TypedQuery[Order] = TypedQuery(
    name="OrdersInStock",
    root="orders",
    document=_orders_document(
        "OrdersInStock", _ORDERS_DECLARED + ", $inStock: Boolean", _ORDERS_PASSED + ", inStock: $inStock"
    ),
    model=Order,
    connection=True,
    arguments={**_ORDERS_ARGUMENTS, "in_stock": "inStock", **_PAGING},
)
