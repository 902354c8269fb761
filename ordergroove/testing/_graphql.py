"""The emulator's GraphQL endpoint: ``POST /graphql/<version>/``, answered from the same store as REST.

graphql-core (the ``testing`` extra) executes the documents against the schema built from the SDL in
``ordergroove.graphql._sdl``; the resolvers read the store's REST-shaped records and show them as the GraphQL
types (camelCase, nested objects, America/Chicago offsets, JSON text for ``extraData``), so a change made
through REST is seen here at once. Before anything runs, a request is checked the way the reference documents:
one operation, one root field, depth at most 9, complexity at most 200 (``ordergroove.graphql.measure``, the
same arithmetic the library's tests use). Where the reference leaves status codes unconfirmed, the choices are:
syntax, validation, depth and argument errors 400; bad or missing credentials 401/403 (as REST, in the
``errors`` shape); a list query that needs the "API Access" permission 403; an unknown version 404. A version
marked deprecated (``fake.deprecate_graphql_version``) sends a ``Sunset`` header with every answer; one marked
past its sunset (``fake.sunset_graphql_version``) answers 410 Gone.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ordergroove.graphql import (
    DEFAULT_PAGE_SIZE,
    MAX_COMPLEXITY,
    MAX_DEPTH,
    MAX_PAGE_SIZE,
    VERSIONS,
    measure,
    schema_sdl,
)
from ordergroove.models.cancel_reason import STANDARD_CANCEL_REASONS
from ordergroove.testing._records import Headers
from ordergroove.testing._rules import ApiError
from ordergroove.testing._store import Record, Store, parse_stored_datetime

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from ordergroove.testing._context import Principal
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["respond"]

Answer = tuple[int, Any, bool, tuple[tuple[str, str], ...]]
Info = Any  # graphql.GraphQLResolveInfo: unused by the resolvers, which read the store
NO_PERMISSION = "You do not have permission to perform this action."
ITEMS_PER_ORDER = 100


def respond(
    fake: FakeOrdergroove,
    method: str,
    raw_path: str,
    headers: Headers,
    parsed: Any,
    body_error: bool,
    authenticate: Callable[[FakeOrdergroove, Headers], Principal],
) -> Answer | None:
    """The answer when ``raw_path`` is under ``/graphql``; None for any other path."""
    if raw_path != "/graphql" and not raw_path.startswith("/graphql/"):
        return None
    segments = raw_path.split("/")
    # Every documented URL ends with a slash: /graphql/2026-01/
    if len(segments) != 4 or segments[3] != "" or segments[2] not in VERSIONS:
        return _errors(404, f"Unknown GraphQL API version: the versions are {', '.join(VERSIONS)}")
    version = segments[2]
    if version in fake._graphql_gone:
        return _errors(410, f"GraphQL API version {version} is past its sunset date: use a newer version")
    answer = _answer(fake, method, version, headers, parsed, body_error, authenticate)
    sunset = fake._graphql_sunsets.get(version)
    if sunset is None:
        return answer
    status, payload, applied, extra = answer
    return status, payload, applied, (*extra, ("sunset", sunset))


def _answer(
    fake: FakeOrdergroove,
    method: str,
    version: str,
    headers: Headers,
    parsed: Any,
    body_error: bool,
    authenticate: Callable[[FakeOrdergroove, Headers], Principal],
) -> Answer:
    try:
        principal = authenticate(fake, headers)
    except ApiError as error:
        return _errors(error.status, str(error.body.get("detail", "Authentication Failed")))
    if method != "POST":
        return 405, {"errors": [{"message": f'Method "{method}" not allowed.'}]}, False, (("allow", "POST, OPTIONS"),)
    if body_error:
        return _errors(400, "The request body is not JSON")
    if isinstance(parsed, list):
        return _errors(400, "Batching is not supported: send one query per request")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("query"), str):
        return _errors(400, "The request body must be a JSON object with a 'query' string")
    variables = parsed.get("variables")
    operation_name = parsed.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        return _errors(400, "'variables' must be a JSON object")
    if operation_name is not None and not isinstance(operation_name, str):
        return _errors(400, "'operationName' must be a string")
    return _execute(fake._store, principal, version, parsed["query"], variables, operation_name)


def _errors(status: int, *messages: str) -> Answer:
    return status, {"errors": [{"message": message} for message in messages]}, False, ()


def _execute(
    store: Store,
    principal: Principal,
    version: str,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> Answer:
    from graphql import GraphQLError, execute_sync, parse, validate

    try:
        document = parse(query)
    except GraphQLError as error:
        return 400, {"errors": [error.formatted]}, False, ()
    schema = _schema(version)
    problems = validate(schema, document)
    if problems:
        return 400, {"errors": [problem.formatted for problem in problems]}, False, ()
    try:
        cost = measure(document, operation_name)
    except ValueError as error:
        return _errors(400, str(error))
    if cost.root_fields != 1:
        return _errors(400, f"A request runs one root field; this one has {cost.root_fields}")
    if cost.depth > MAX_DEPTH:
        return _errors(400, f"Query depth {cost.depth} exceeds the maximum depth of {MAX_DEPTH}")
    if cost.complexity > MAX_COMPLEXITY:
        return _errors(400, f"Query complexity {cost.complexity} exceeds the maximum complexity of {MAX_COMPLEXITY}")
    result = execute_sync(
        schema,
        document,
        root_value=_Root(_Views(store), principal),
        variable_values=variables,
        operation_name=operation_name,
    )
    if result.errors and any(isinstance(error.original_error, _Denied) for error in result.errors):
        return _errors(403, NO_PERMISSION)
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    # No data at all (bad variables, a bad argument of the root field): the request was refused.
    return (400 if result.data is None else 200), payload, False, ()


# -- the schema, once per version --------------------------------------------------------------------------------

_schemas: dict[str, GraphQLSchema] = {}
_schemas_lock = threading.Lock()


def _schema(version: str) -> GraphQLSchema:
    with _schemas_lock:
        found = _schemas.get(version)
        if found is None:
            found = _schemas[version] = _build_schema(version)
        return found


def _build_schema(version: str) -> GraphQLSchema:
    from graphql import build_schema

    schema = build_schema(schema_sdl(version))
    assert schema.query_type is not None
    for name, field in schema.query_type.fields.items():
        field.resolve = _ROOT_RESOLVERS[name]
    return schema


def _date_argument(args: Mapping[str, Any], name: str) -> dt.date | None:
    """A ``Date`` argument, checked here: the SDL's custom scalar passes any value through."""
    from graphql import GraphQLError

    value = args.get(name)
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise GraphQLError(f"Date cannot represent {str(value)[:40]!r}: expected YYYY-MM-DD (argument '{name}')")


# -- how a REST record reads as a GraphQL object -------------------------------------------------------------------


def _chicago(value: str | None) -> str | None:
    """A stored datetime (naive UTC) as ISO 8601 with the America/Chicago offset of that moment.

    The US rule since 2007, computed here so that no time-zone database is needed: daylight time (-05:00) from
    the second Sunday of March at 2:00 local (08:00 UTC) to the first Sunday of November at 2:00 local (07:00
    UTC), standard time (-06:00) otherwise.
    """
    if value is None:
        return None
    utc = parse_stored_datetime(value)
    offset = dt.timedelta(hours=-5 if _daylight(utc) else -6)
    return (utc + offset).replace(tzinfo=dt.timezone(offset)).isoformat()


def _daylight(utc: dt.datetime) -> bool:
    def sunday(month: int, nth: int) -> dt.date:
        first = dt.date(utc.year, month, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))

    start = dt.datetime.combine(sunday(3, 2), dt.time(8))
    end = dt.datetime.combine(sunday(11, 1), dt.time(7))
    return start <= utc < end


def _chicago_date(value: str) -> dt.date:
    text = _chicago(value)
    assert text is not None
    return dt.date.fromisoformat(text[:10])


def _start_date(value: str | None) -> str | None:
    # The reference's rest-vs-graphql page: date-only values arrive as DateTime, midnight with the offset.
    if value is None:
        return None
    day = dt.date.fromisoformat(value[:10])
    offset = dt.timedelta(hours=-5 if _daylight(dt.datetime.combine(day, dt.time(12))) else -6)
    return dt.datetime.combine(day, dt.time(), dt.timezone(offset)).isoformat()


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _int_or_none(value: Any) -> int | None:
    # GraphQL has Int where REST sends strings (customer locale, payment method): their mapping is unconfirmed.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _plain(record: Mapping[str, Any], names: str, times: str = "") -> dict[str, Any]:
    """The REST fields ``names`` under their camelCase names; those in ``times`` as Chicago datetimes."""
    view = {_camel(name): record.get(name) for name in names.split()}
    view.update({_camel(name): _chicago(record.get(name)) for name in times.split()})
    return view


class _Views:
    """Builds the GraphQL objects of one request; related records are callables, resolved only if selected."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _ref(self, collection: str, key: Any, view: Callable[[Record], dict[str, Any]]) -> Callable[..., Any]:
        def resolve(_info: Info, **_: Any) -> dict[str, Any] | None:
            record = self.store.collection(collection).get(key) if isinstance(key, str) else None
            return None if record is None else view(record)

        return resolve

    def address(self, record: Record) -> dict[str, Any]:
        return _plain(
            record,
            "address address2 city company_name country_code fax first_name label last_name live phone price_code "
            "public_id state_province_code token_id zip_postal_code",
            "created",
        )

    def customer(self, record: Record) -> dict[str, Any]:
        view = _plain(
            record,
            "email first_name last_name live merchant_user_id phone_number phone_type price_code",
            "created last_updated",
        )
        view.update(extraData=_json_text(record.get("extra_data")), locale=_int_or_none(record.get("locale")))
        return view

    def payment(self, record: Record) -> dict[str, Any]:
        view = _plain(
            record,
            "cc_exp_date cc_holder cc_number_ending cc_type label live public_id token_id",
            "created last_updated",
        )
        view.update(
            billingAddress=self._ref("addresses", record.get("billing_address"), self.address),
            paymentMethod=_int_or_none(record.get("payment_method")),
            cycle=None,
            cycleStatus=None,
        )
        return view

    def product(self, record: Record) -> dict[str, Any]:
        view = _plain(
            record,
            "autoship_by_default autoship_enabled detail_url discontinued every every_period external_product_id "
            "image_url live name prepaid_eligible price product_type sku",
            "created last_update",
        )
        groups = record.get("groups") or []
        view.update(
            extraData=_json_text(record.get("extra_data")),
            groups=[
                {"groupType": group.get("group_type"), "name": group.get("name")}
                for group in groups
                if isinstance(group, Mapping)
            ],
            swappableProducts=[],
        )
        return view

    def subscription(self, record: Record) -> dict[str, Any]:
        view = _plain(
            record,
            "currency_code every every_period external_id frequency_days live merchant_order_id price public_id "
            "quantity reminder_days subscription_type",
            "cancelled created updated",
        )
        reason = record.get("cancel_reason")
        text = reason.split("|", 1)[-1] if isinstance(reason, str) else None
        code = record.get("cancel_reason_code")
        code = int(code) if isinstance(code, str) and code.isdigit() else _int_or_none(code)
        prepaid = record.get("prepaid_subscription_context")
        public_id = str(record["public_id"])
        view.update(
            id=base64.b64encode(f"SubscriptionType:{public_id}".encode()).decode(),
            cancelReason=text,
            cancelReasonCode=None
            if code is None
            else {"code": code, "reason": STANDARD_CANCEL_REASONS.get(code) or text or ""},
            components=[self._component(c) for c in record.get("components") or [] if isinstance(c, Mapping)],
            customer=self._ref("customers", record.get("customer"), self.customer),
            extraData=_json_text(record.get("extra_data")),
            freeTrialSubscriptionContext=None,
            grantees=[],
            merchantPublicId=record.get("merchant"),
            offerPublicId=record.get("offer"),
            payment=self._ref("payments", record.get("payment"), self.payment),
            prepaidSubscriptionContext=None
            if not isinstance(prepaid, Mapping)
            else {_camel(key): value for key, value in prepaid.items()},
            product=self._ref("products", record.get("product"), self.product),
            queuedActions=[],
            sessionId=record.get("session_id") or "",
            shippingAddress=self._ref("addresses", record.get("shipping_address"), self.address),
            startDate=_start_date(record.get("start_date")),
        )
        return view

    def _component(self, component: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "publicId": component.get("public_id") or "",
            "quantity": _int_or_none(component.get("quantity")),
            "product": self._ref("products", component.get("product"), self.product),
        }

    def item(self, record: Record) -> dict[str, Any]:
        view = _plain(record, "extra_cost frozen one_time price public_id quantity total_price", "first_placed")
        view.update(
            appliedIncentives=[],
            components=[],
            giftContext=None,
            offerPublicId=record.get("offer"),
            oneTimeIncentives=[],
            orderPublicId=record.get("order"),
            product=self._ref("products", record.get("product"), self.product),
            subscription=self._ref("subscriptions", record.get("subscription"), self.subscription),
            subscriptionComponent=None,
        )
        return view

    def order(self, record: Record) -> dict[str, Any]:
        view = _plain(
            record,
            "currency_code discount_total generic_error_count locked oos_free_shipping order_merchant_id public_id "
            "rejected_message shipping_total status sub_total tax_total total tries",
            "cancelled created place updated",
        )
        public_id = str(record["public_id"])

        def items(_info: Info) -> dict[str, Any]:
            rows = self.store.items_of_order(public_id)
            return {"hasMore": len(rows) > ITEMS_PER_ORDER, "nodes": [self.item(r) for r in rows[:ITEMS_PER_ORDER]]}

        view.update(
            appliedIncentives=[],
            customer=self._ref("customers", record.get("customer"), self.customer),
            extraData=_json_text(record.get("extra_data")),
            hasPlan=lambda _info: self.prepaid(record),
            items=items,
            merchantPublicId=record.get("merchant"),
            oneTimeIncentives=[],
            payment=self._ref("payments", record.get("payment"), self.payment),
            shippingAddress=self._ref("addresses", record.get("shipping_address"), self.address),
        )
        return view

    def prepaid(self, order: Record) -> bool:
        """An order of a prepaid subscription (REST ``has_plan``)."""
        subscriptions = self.store.subscriptions
        return any(
            subscriptions[s].get("prepaid_subscription_context")
            for s in self.store.subscriptions_of_order(order["public_id"])
            if s in subscriptions
        )

    def in_stock(self, order: Record) -> bool:
        """Every item's product is live (the item's own product; the reference's fallbacks name the same one here)."""
        for item in self.store.items_of_order(order["public_id"]):
            product = self.store.products.get(item.get("product") or "")
            if product is None or not product.get("live"):
                return False
        return True


# -- the root fields -------------------------------------------------------------------------------------------


class _Denied(Exception):
    """A list query without a customer, from a key that may not list the whole merchant."""


class _Root:
    def __init__(self, views: _Views, principal: Principal) -> None:
        self.views = views
        self.principal = principal

    def visible(self, customer: Any) -> bool:
        return not self.principal.storefront or customer == self.principal.customer

    def scope(self, customer: str | None) -> None:
        # Without a customer, a list covers the whole merchant: only for keys in "API Access" (here: a key with
        # the Bulk Operations permission, as REST lists) and storefront customers (who see their own records).
        if customer is None and not self.principal.bulk and not self.principal.storefront:
            raise _Denied(NO_PERMISSION)


def _order(root: _Root, _info: Info, publicId: str) -> dict[str, Any] | None:
    record = root.views.store.orders.get(publicId)
    if record is None or not root.visible(record.get("customer")):
        return None
    return root.views.order(record)


def _subscription(root: _Root, _info: Info, publicId: str) -> dict[str, Any] | None:
    record = root.views.store.subscriptions.get(publicId)
    if record is None or not root.visible(record.get("customer")):
        return None
    return root.views.subscription(record)


def _orders(root: _Root, _info: Info, **args: Any) -> dict[str, Any]:
    customer = args.get("customer")
    root.scope(customer)
    views = root.views
    store = views.store
    statuses = args.get("status")
    subscription = args.get("subscription")
    in_orders = None if subscription is None else {o["public_id"] for o in store.orders_of_subscription(subscription)}
    place, start, end = (_date_argument(args, name) for name in ("place", "placeStart", "placeEnd"))
    rows = []
    for record in store.orders.values():
        if not root.visible(record.get("customer")) or (customer is not None and record.get("customer") != customer):
            continue
        if statuses is not None and record.get("status") not in statuses:
            continue
        if in_orders is not None and record["public_id"] not in in_orders:
            continue
        if place is not None or start is not None or end is not None:
            day = _chicago_date(record["place"])
            if (
                (place is not None and day != place)
                or (start is not None and day < start)
                or (end is not None and day > end)
            ):
                continue
        if args.get("includePrepaidOrders") is False and views.prepaid(record):
            continue
        in_stock = args.get("inStock")
        if in_stock is not None and views.in_stock(record) != in_stock:
            continue
        rows.append(record)
    return _connection(rows, views.order, args)


def _subscriptions(root: _Root, _info: Info, **args: Any) -> dict[str, Any]:
    from graphql import GraphQLError

    customer = args.get("customer")
    live = args.get("live")
    if live is not None and customer is None and not root.principal.storefront:
        raise GraphQLError("The 'live' argument needs a customer: pass 'customer' or use storefront authentication")
    root.scope(customer)
    rows = [
        record
        for record in root.views.store.subscriptions.values()
        if root.visible(record.get("customer"))
        and (customer is None or record.get("customer") == customer)
        and (live is None or bool(record.get("live")) == live)
    ]
    return _connection(rows, root.views.subscription, args)


_ROOT_RESOLVERS: Mapping[str, Callable[..., Any]] = {
    "order": _order,
    "orders": _orders,
    "subscription": _subscription,
    "subscriptions": _subscriptions,
}


# -- connections ------------------------------------------------------------------------------------------------


def _encode_cursor(index: int) -> str:
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    from graphql import GraphQLError

    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix, _, number = text.partition(":")
    if prefix != "cursor" or not number.isascii() or not number.isdigit() or len(number) > 9:
        raise GraphQLError(f"Invalid cursor: {cursor[:40]!r}")
    return int(number)


def _connection(
    rows: list[Record], view: Callable[[Record], dict[str, Any]], args: Mapping[str, Any]
) -> dict[str, Any]:
    """A Relay page of ``rows`` (in store order) for first/after/last/before."""
    from graphql import GraphQLError

    first, last = args.get("first"), args.get("last")
    if first is not None and last is not None:
        raise GraphQLError("Pass 'first' or 'last', not both")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
            raise GraphQLError(f"'{name}' must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    start, end = 0, len(rows)
    if args.get("after") is not None:
        start = max(start, min(_decode_cursor(args["after"]) + 1, end))
    if args.get("before") is not None:
        end = max(start, min(end, _decode_cursor(args["before"])))
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    edges = [{"cursor": _encode_cursor(index), "node": view(rows[index])} for index in range(start, end)]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": end < len(rows),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }
