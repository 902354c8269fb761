"""Gladly's Lookup Adaptor requests: find Ordergroove customers, answer profiles (BASIC) and transactions (DETAILED).

A DETAILED lookup asks Ordergroove's GraphQL API first: two requests in one round (``_lookup_graphql``), where
REST takes seven in two rounds; when GraphQL is refused, or cannot say all REST would, REST answers, the same.
The Ordergroove calls of one lookup run concurrently, in as few rounds as their dependencies allow, all under the
service's deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from ordergroove.domain import summarize
from ordergroove.errors import NotFoundError, OrdergrooveError
from ordergroove.gladly import _lookup_graphql, _mapping
from ordergroove.gladly._service import Service, ServiceError, gather_all, upstream_error, within
from ordergroove.models import Customer, CustomerSummary, Item, Order, OrderStatus, Product, Subscription

__all__ = ["MAX_PROFILES", "LookupQuery", "lookup", "parse_query"]

# A query matching more customers than this answers the first ones: each costs several Ordergroove calls.
MAX_PROFILES = 10


class LookupQuery:
    """What a lookup asks for, normalised from Gladly's lenient shapes."""

    def __init__(
        self, *, detailed: bool, external_id: str | None, emails: list[str], gladly_customer_id: str | None
    ) -> None:
        self.detailed = detailed
        self.external_id = external_id
        self.emails = emails
        self.gladly_customer_id = gladly_customer_id


def _strings(value: Any) -> list[str]:
    """A value that may be a string, a list of strings or ``[{"original": ...}]`` entries."""
    values = value if isinstance(value, list) else [value]
    found: list[str] = []
    for entry in values:
        if isinstance(entry, Mapping):
            entry = entry.get("original") or entry.get("normalized")
        if isinstance(entry, str) and entry.strip():
            found.append(entry.strip())
    return found


def parse_query(payload: Mapping[str, Any]) -> LookupQuery:
    """The lookup request's level, ``externalCustomerId`` and emails (``email``/``emails``, flat or under
    ``customAttributes``); a malformed request is a 400."""
    level = payload.get("lookupLevel", "BASIC")
    if not isinstance(level, str) or level.upper() not in {"BASIC", "DETAILED"}:
        raise ServiceError.one(400, "invalid", "lookupLevel must be BASIC or DETAILED", attr="lookupLevel")
    query = payload.get("query", {})
    if not isinstance(query, Mapping):
        raise ServiceError.one(400, "invalid", "query must be a JSON object", attr="query")
    attributes = query.get("customAttributes")
    sources: list[Mapping[str, Any]] = [query]
    if isinstance(attributes, Mapping):
        sources.append(attributes)
    external_id: str | None = None
    emails: dict[str, str] = {}
    for source in sources:
        for key in ("emails", "email"):
            for email in _strings(source.get(key)):
                emails.setdefault(email.lower(), email)
        if external_id is None:
            ids = _strings(source.get("externalCustomerId"))
            external_id = ids[0] if ids else None
    gladly_id = query.get("id")
    return LookupQuery(
        detailed=level.upper() == "DETAILED",
        external_id=external_id,
        emails=list(emails.values()),
        gladly_customer_id=gladly_id if isinstance(gladly_id, str) and gladly_id else None,
    )


async def lookup(
    service: Service, payload: Mapping[str, Any], *, root_path: str = "", use_graphql: bool = True
) -> dict[str, Any]:
    """The answer to one lookup request: ``{"results": [profile, ...]}``. ``use_graphql=False``: REST alone (the
    same answer, in more requests: for comparisons)."""
    query = parse_query(payload)
    try:
        results = await within(_results(service, query, root_path, use_graphql), service.deadline)
    except OrdergrooveError as exc:
        raise upstream_error(exc) from None
    return {"results": results}


async def _results(service: Service, query: LookupQuery, root_path: str, use_graphql: bool) -> list[dict[str, Any]]:
    if query.detailed and query.external_id is not None:
        # The usual DETAILED lookup: the id is known, so the customer and its data are fetched together.
        found = await _lookup_graphql.fetch(service, query.external_id) if use_graphql else None
        if found is not None:
            # No subscription and no order name the customer: REST says whether it exists (a second round).
            customer = found.customer or await _customer(service, query.external_id)
            if customer is None:
                return []
            return [_mapping.profile(customer, *_from_graphql(query.external_id, found, query, root_path))]
        customer_task = asyncio.ensure_future(_customer(service, query.external_id))
        data_task = asyncio.ensure_future(_detailed(service, query.external_id, query, root_path))
        await gather_all(customer_task, data_task)
        customer = customer_task.result()
        return [] if customer is None else [_mapping.profile(customer, *data_task.result())]
    customers = await _find_customers(service, query)
    profiles = [_profile(service, customer, query, root_path, use_graphql) for customer in customers[:MAX_PROFILES]]
    return await gather_all(*profiles)


async def _customer(service: Service, customer_id: str) -> Customer | None:
    try:
        return await service.client.customers.retrieve(customer_id)
    except NotFoundError:
        return None


async def _find_customers(service: Service, query: LookupQuery) -> list[Customer]:
    if query.external_id is not None:
        customer = await _customer(service, query.external_id)
        return [] if customer is None else [customer]
    lists = service.client.customers.list
    found = await gather_all(*(lists(email=email).to_list() for email in query.emails))
    unique: dict[str, Customer] = {}
    for customers in found:
        for customer in customers:
            unique.setdefault(customer.merchant_user_id, customer)
    return list(unique.values())


async def _profile(
    service: Service, customer: Customer, query: LookupQuery, root_path: str, use_graphql: bool
) -> dict[str, Any]:
    customer_id = customer.merchant_user_id
    if not query.detailed:
        return _mapping.profile(customer, await service.client.customers.summary(customer_id))
    found = await _lookup_graphql.fetch(service, customer_id) if use_graphql else None
    if found is not None:
        return _mapping.profile(customer, *_from_graphql(customer_id, found, query, root_path))
    return _mapping.profile(customer, *await _detailed(service, customer_id, query, root_path))


async def _detailed(
    service: Service, customer_id: str, query: LookupQuery, root_path: str
) -> tuple[CustomerSummary, list[dict[str, Any]]]:
    """The customer's summary and transactions: two rounds of concurrent calls (rarely a third)."""
    client = service.client
    summary_task = asyncio.ensure_future(client.customers.summary(customer_id))
    subscriptions_task = asyncio.ensure_future(client.subscriptions.list(customer=customer_id).to_list())
    upcoming_task = asyncio.ensure_future(client.orders.list(customer=customer_id, status=OrderStatus.UNSENT).to_list())
    await gather_all(summary_task, subscriptions_task, upcoming_task)
    subscriptions = subscriptions_task.result()
    # A record holding a value of no documented form is shown with what can be read of it; an order whose id
    # cannot be read has no items to fetch (and no form to offer).
    upcoming = sorted(upcoming_task.result(), key=_soonest_first)

    # Round two: the upcoming orders' items and the subscriptions' products, together.
    with_ids = [order.public_id for order in upcoming if order.public_id]
    items_task = asyncio.ensure_future(gather_all(*(client.items.list(order=oid).to_list() for oid in with_ids)))
    products_task = asyncio.ensure_future(_products(service, {s.product for s in subscriptions if s.product}))
    await gather_all(items_task, products_task)
    items_by_order = dict(zip(with_ids, items_task.result(), strict=True))
    products = products_task.result()
    # Round three, rarely: a product that is in an order but in none of the subscriptions (a one-time add-on).
    missing = {item.product for items in items_by_order.values() for item in items if item.product} - set(products)
    if missing:
        products.update(await _products(service, missing))

    transactions = _transactions(subscriptions, upcoming, items_by_order, products, query.gladly_customer_id, root_path)
    return summary_task.result(), transactions


def _soonest_first(order: Order) -> tuple[bool, Any, str]:
    return (order.place is None, order.place or 0, order.public_id or "")


def _from_graphql(
    customer_id: str, found: _lookup_graphql.Records, query: LookupQuery, root_path: str
) -> tuple[CustomerSummary, list[dict[str, Any]]]:
    """The summary and transactions of the records GraphQL gave: computed as REST's are, from the same models."""
    upcoming = sorted((order for order in found.orders if order.is_upcoming), key=_soonest_first)
    transactions = _transactions(
        found.subscriptions, upcoming, found.items_by_order, found.products, query.gladly_customer_id, root_path
    )
    return summarize(customer_id, found.subscriptions, found.orders), transactions


async def _products(service: Service, product_ids: Iterable[str]) -> dict[str, Product]:
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    found = await service.client.products.list(external_product_ids=ids).to_list()
    return {product.external_product_id: product for product in found}


def _transactions(
    subscriptions: list[Subscription],
    upcoming: list[Order],
    items_by_order: Mapping[str, list[Item]],
    products: Mapping[str, Product],
    gladly_customer_id: str | None,
    root_path: str,
) -> list[dict[str, Any]]:
    next_order: dict[str, Order] = {}
    for order in upcoming:  # earliest first: the first order holding a subscription is its next one
        for item in items_by_order.get(order.public_id or "", []):
            if item.subscription:
                next_order.setdefault(item.subscription, order)
    by_id = {subscription.public_id: subscription for subscription in subscriptions if subscription.public_id}
    transactions = [
        _mapping.subscription_transaction(
            subscription,
            products=products,
            next_order=next_order.get(subscription.public_id or ""),
            gladly_customer_id=gladly_customer_id,
            root_path=root_path,
        )
        for subscription in subscriptions
    ]
    transactions.extend(
        _mapping.order_transaction(
            order,
            items_by_order.get(order.public_id or "", []),
            products=products,
            subscriptions=by_id,
            gladly_customer_id=gladly_customer_id,
            root_path=root_path,
        )
        for order in upcoming
    )
    return transactions
