"""The HTTP surface, sans I/O: one function from a request to an outcome, shared by every way in.

``handle`` routes (by host, method and path: see ``_routes``), authenticates, filters, paginates, applies the
business rules, injects faults and records the request. The transports, the ASGI app and the socket server
only carry bytes to and from it and act out the outcome's delay, drop or truncation.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ordergroove.testing._checkout import respond as respond_checkout
from ordergroove.testing._context import NO_PERMISSION, Call, Params, Principal, last, parse_bool
from ordergroove.testing._faults import Fault
from ordergroove.testing._graphql import respond as respond_graphql
from ordergroove.testing._records import Headers, RecordedRequest
from ordergroove.testing._routes import ENDPOINTS, Match, Scope, match
from ordergroove.testing._rules import ACTIONS, ApiError, not_found
from ordergroove.testing._rules_catalog import HANDLERS as CATALOG_HANDLERS
from ordergroove.testing._rules_catalog import product_view
from ordergroove.testing._rules_records import HANDLERS as RECORD_HANDLERS
from ordergroove.testing._rules_records import PREPAID_GUARDED, prepaid_guard
from ordergroove.testing._store import Record, Store, Table, ascii_int, parse_stored_datetime

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["Outcome", "handle", "sign_storefront"]

SIGNATURE_LIFETIME = 2 * 60 * 60
Handler = Callable[[Call], tuple[int, Any]]


@attrs.frozen
class Outcome:
    """What to send back: the response, and how to misbehave while sending it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    delay: float | None = None
    drop: Literal["before", "after"] | None = None
    truncate: bool = False


def _json_response(status: int, payload: Any, extra: Sequence[tuple[str, str]] = ()) -> Outcome:
    if status == 204:
        return Outcome(status, tuple(extra), b"")
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Outcome(status, (("content-type", "application/json"), *extra), body)


# -- authentication -----------------------------------------------------------------------------------------
def sign_storefront(customer_id: str, ts: int, hash_key: str, *, trust_level: str | None = None) -> str:
    """The storefront ``sig``: Base64 HMAC-SHA256 over ``"{customer_id}|{ts}"`` (or ``|recognized|``)."""
    message = f"{customer_id}|recognized|{ts}" if trust_level == "recognized" else f"{customer_id}|{ts}"
    digest = hmac.new(hash_key.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _authenticate(fake: FakeOrdergroove, headers: Headers) -> Principal:
    if "x-api-key" in headers:
        bulk = fake._keys.get(headers["x-api-key"])
        if bulk is None:
            raise ApiError(403, {"detail": "Authentication Failed"})
        return Principal(bulk=bulk)
    if "authorization" in headers:
        return _storefront(fake, headers["authorization"])
    raise ApiError(401, {"detail": "Authentication credentials were not provided."})


def _authorize(fake: FakeOrdergroove, headers: Headers, scope: Scope) -> Principal:
    """Who asks, refused (403) when the endpoint does not take that scope (the reference's auth per endpoint)."""
    if scope in ("none", "own"):
        # "none": the page says no authentication is required; "own": the endpoint checks for itself.
        return Principal(anonymous=True)
    principal = _authenticate(fake, headers)
    if principal.storefront:
        if "S" not in scope or (principal.trust_level == "recognized" and "r" not in scope):
            raise ApiError(403, {"detail": NO_PERMISSION})
    elif "A" not in scope:
        raise ApiError(403, {"detail": NO_PERMISSION})
    return principal


def _storefront(fake: FakeOrdergroove, value: str) -> Principal:
    failed = ApiError(403, {"detail": "Authentication Failed"})
    try:
        claims = json.loads(value)
    except ValueError:
        raise failed from None
    if not isinstance(claims, dict):
        raise failed
    public_id, ts, customer, sig = (claims.get(k) for k in ("public_id", "ts", "sig_field", "sig"))
    trust_level = claims.get("trust_level")
    if (
        public_id != fake.merchant_public_id
        or not isinstance(ts, int)
        or isinstance(ts, bool)
        or not isinstance(customer, str)
        or not customer
        or not isinstance(sig, str)
        or trust_level not in (None, "recognized")
        # A claim decoded from a "\ud800" escape has no UTF-8 form: it cannot have been signed.
        or not _utf8_text(customer)
        or not _utf8_text(sig)
    ):
        raise failed
    expected = sign_storefront(customer, ts, fake.storefront_hash_key, trust_level=trust_level)
    if not hmac.compare_digest(expected.encode(), sig.encode()):
        raise failed
    # Only the age is limited: a timestamp ahead of the server's clock is not refused.
    if fake.clock.timestamp() - ts > SIGNATURE_LIFETIME:
        raise failed
    return Principal(customer=customer, trust_level=trust_level)


def _utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _owner(resource: str, record: Record) -> str | None:
    if resource == "customers":
        return str(record["merchant_user_id"])
    if resource == "products":
        return None
    if resource == "items":
        return None  # resolved through the order by the caller
    return str(record["customer"])


def _record_owner(store: Store, resource: str, record: Record) -> str | None:
    if resource == "items":
        order = store.orders.get(record["order"])
        return None if order is None else str(order["customer"])
    return _owner(resource, record)


# -- filters ------------------------------------------------------------------------------------------------
Predicate = Callable[[Store, Record], bool]
_last = last


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _parse_datetime(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def _time_filters(
    name: str, field: str, params: Params, errors: dict[str, list[str]], allow_time: bool
) -> list[Predicate]:
    """``name`` (that day), ``name_start`` and ``name_end`` (inclusive), over the record's ``field``."""
    found: list[Predicate] = []
    for suffix in ("", "_start", "_end"):
        key = name + suffix
        raw = _last(params, key)
        if raw is None:
            continue
        when: dt.date | dt.datetime | None = _parse_date(raw)
        if when is None and allow_time:
            when = _parse_datetime(raw)
        if when is None:
            message = "Enter a valid date/time." if allow_time else "Enter a valid date."
            errors.setdefault(key, []).append(message)
            continue
        found.append(_time_predicate(field, suffix, when))
    return found


def _time_predicate(field: str, suffix: str, when: dt.date | dt.datetime) -> Predicate:
    def predicate(store: Store, record: Record) -> bool:
        if not record.get(field):
            return False
        stamp = parse_stored_datetime(record[field])
        if isinstance(when, dt.datetime):
            value: dt.date | dt.datetime = stamp
        else:
            value = stamp.date()
        if suffix == "_start":
            return value >= when
        if suffix == "_end":
            return value <= when
        return value == when

    return predicate


def _equals(field: str, value: str) -> Predicate:
    return lambda store, record: record.get(field) == value


def _in_orders_of(subscription_id: str) -> Predicate:
    orders: set[str] | None = None

    def predicate(store: Store, record: Record) -> bool:
        nonlocal orders
        if orders is None:  # one pass over the items per request, not one per order
            orders = {item["order"] for item in store.items_of_subscription(subscription_id)}
        return record["public_id"] in orders

    return predicate


def _filters(resource: str, params: Params) -> list[Predicate]:
    errors: dict[str, list[str]] = {}
    found: list[Predicate] = []
    simple = {
        "subscriptions": ("customer", "product", "shipping_address"),
        "orders": ("customer",),
        "items": ("order", "subscription"),
        "customers": ("email",),
        "addresses": ("customer",),
        "payments": ("customer",),
    }.get(resource, ())
    for name in simple:
        value = _last(params, name)
        if value is not None:
            found.append(_equals(name, value))
    if resource == "subscriptions":
        lives = [v for v in params.get("live", []) if v != ""]
        if lives:
            parsed = [parse_bool(v) for v in lives]
            if any(p is None for p in parsed):
                errors["live"] = ["Enter a valid boolean."]
            else:
                wanted = set(parsed)
                found.append(lambda store, record: record["live"] in wanted)
        found += _time_filters("created", "created", params, errors, allow_time=False)
        found += _time_filters("updated", "updated", params, errors, allow_time=True)
    elif resource == "orders":
        subscription = _last(params, "subscription")
        if subscription is not None:
            found.append(_in_orders_of(subscription))
        statuses = [v for v in params.get("status", []) if v != ""]
        if statuses:
            numbers = [ascii_int(v, signed=True) for v in statuses]
            if None in numbers:
                errors["status"] = ["Enter a whole number."]
            else:
                wanted_status = set(numbers)
                found.append(lambda store, record: record["status"] in wanted_status)
        found += _time_filters("place", "place", params, errors, allow_time=False)
        found += _time_filters("created", "created", params, errors, allow_time=False)
        found += _time_filters("updated", "updated", params, errors, allow_time=True)
    elif resource == "items":
        owner = _last(params, "customer")
        if owner is not None:
            found.append(lambda store, record: _record_owner(store, "items", record) == owner)
    elif resource == "products":
        ids = [v for v in params.get("external_product_ids[]", []) if v != ""]
        if ids:
            wanted_ids = set(ids)
            found.append(lambda store, record: record["external_product_id"] in wanted_ids)
    if errors:
        raise ApiError(400, errors)
    return found


def _narrowed(resource: str, params: Params) -> bool:
    """Whether a list is confined to one customer, as a key without Bulk Operations must ask."""
    keys = {"items": ("customer", "order", "subscription"), "customers": ("email",)}.get(resource, ("customer",))
    return any(_last(params, key) is not None for key in keys)


# -- the endpoints the client always had ----------------------------------------------------------------------
def _find(store: Store, resource: str, record_id: str, principal: Principal) -> Record:
    record = store.collection(resource).get(record_id)
    if record is None:
        not_found()
    # A storefront customer sees only their own records: anyone else's do not exist for them.
    if principal.storefront and resource != "products" and _record_owner(store, resource, record) != principal.customer:
        not_found()
    return record


def _list(resource: str) -> Handler:
    def handler(call: Call) -> tuple[int, Any]:
        principal, store, params = call.principal, call.store, call.params
        unscoped = not principal.bulk and not principal.storefront and resource != "products"
        if unscoped and not _narrowed(resource, params):
            raise ApiError(403, {"detail": NO_PERMISSION})
        predicates = _filters(resource, params)
        candidates = _candidates(store, resource, params)
        if not predicates and (not principal.storefront or resource == "products"):
            rows = candidates if isinstance(candidates, list) else list(candidates)
        else:
            rows = [
                record
                for record in candidates
                if all(predicate(store, record) for predicate in predicates)
                and (
                    not principal.storefront
                    or resource == "products"
                    or _record_owner(store, resource, record) == principal.customer
                )
            ]
        # Only the page's records are extended: extending every match made each page cost the whole list.
        page = call.page(rows)
        page["results"] = [_extended(call, resource, row) for row in page["results"]]
        return 200, page

    return handler


_BY_CUSTOMER = frozenset({"subscriptions", "orders", "addresses", "payments"})


def _candidates(store: Store, resource: str, params: Params) -> Iterable[Record]:
    """The records a list can match, from an index when it filters on an indexed relation (the filters still
    apply to them), else all of them; in insertion order either way."""
    customer = _last(params, "customer")
    if customer is not None and resource in _BY_CUSTOMER:
        return store.of_customer(resource, customer)
    if resource == "items":
        order = _last(params, "order")
        if order is not None:
            return store.items_of_order(order)
        subscription = _last(params, "subscription")
        if subscription is not None:
            return store.items_of_subscription(subscription)
    records = store.collection(resource)
    return records.rows() if isinstance(records, Table) else records.values()


def _retrieve(resource: str, arg: str) -> Handler:
    def handler(call: Call) -> tuple[int, Any]:
        return 200, _extended(call, resource, _find(call.store, resource, call.args[arg], call.principal))

    return handler


def _extended(call: Call, resource: str, record: Record) -> Record:
    """A record with the fields its read adds on request (``include_has_plan``, ``include_product_*``...)."""
    if resource == "orders" and parse_bool(_last(call.params, "include_has_plan") or "false"):
        return dict(record, has_plan=_has_plan(call.store, record))
    if resource == "products":
        return product_view(call, record)
    if resource == "items" and parse_bool(_last(call.params, "omit_price_calculation") or "false"):
        return {k: v for k, v in record.items() if k not in ("price", "extra_cost", "total_price")}
    return record


def _action(resource: str, action: str, arg: str) -> Handler:
    """One of the rules of ``_rules.ACTIONS``; its webhook event carries the stored record and the one before."""

    def handler(call: Call) -> tuple[int, Any]:
        target = _find(call.store, resource, call.args[arg], call.principal)
        body = call.body
        _, rule = ACTIONS[(resource, action)]
        before = copy.deepcopy(target)
        status, payload = rule(call.store, call.args[arg], body)
        call.emit(resource, action, target, before)
        return status, payload

    return handler


def _cancel_reasons(call: Call) -> tuple[int, Any]:
    # The reference documents one bare object {cancel_reason, application} and no container (*unconfirmed*);
    # the emulator answers {"results": [...]}, which a client decodes alike (reference: "decode ... alike").
    wanted = _last(call.params, "application")
    reasons = [r for r in call.store.cancel_reasons if wanted is None or r.get("application") == wanted]
    return 200, {"results": reasons}


def _checkout(call: Call) -> tuple[int, Any]:
    answer = respond_checkout(call.fake, call.endpoint.method, call.raw_path, call.params, call.headers, call.raw_body)
    assert answer is not None  # routed here by the table: the checkout module serves these paths
    status, payload, applied, extra = answer
    call.applied = applied
    call.extra_headers = extra
    return status, payload


LEGACY: dict[str, Handler] = {
    "merchant.list_cancel_reasons": _cancel_reasons,
    "purchase_post.create": _checkout,
    "purchase_post.status": _checkout,
    "products.bulk_create": _checkout,
    "products.bulk_update": _checkout,
    "subscriptions.list": _list("subscriptions"),
    "subscriptions.retrieve": _retrieve("subscriptions", "subscription_id"),
    "orders.list": _list("orders"),
    "orders.retrieve": _retrieve("orders", "order_id"),
    "items.list": _list("items"),
    "items.retrieve": _retrieve("items", "item_id"),
    "customers.list": _list("customers"),
    "customers.retrieve": _retrieve("customers", "merchant_user_id"),
    "addresses.list": _list("addresses"),
    "addresses.retrieve": _retrieve("addresses", "address_id"),
    "payments.list": _list("payments"),
    "payments.retrieve": _retrieve("payments", "payment_id"),
    "products.list": _list("products"),
    "products.retrieve": _retrieve("products", "product_id"),
}
for (_resource, _name), _ in ACTIONS.items():
    _id = f"{_resource}.{_name}"
    _id = {
        "subscriptions.change_shipping": "subscriptions.change_shipping_address",
        "orders.change_shipping": "orders.change_shipping_address",
    }.get(_id, _id)
    _arg = next(e for e in ENDPOINTS if e.id == _id).segments[1][1:-1]
    LEGACY[_id] = _action(_resource, _name, _arg)

# The rules written for the whole surface replace the older ones where both exist (customers.update).
HANDLERS: dict[str, Handler] = {**LEGACY, **RECORD_HANDLERS, **CATALOG_HANDLERS}
for _id in PREPAID_GUARDED:
    HANDLERS[_id] = prepaid_guard(HANDLERS[_id])


def _respond(
    fake: FakeOrdergroove,
    route: Match,
    method: str,
    raw_path: str,
    query: Sequence[tuple[str, str]],
    params: Params,
    headers: Headers,
    parsed: Any,
    body: bytes,
    body_error: bool,
    origin: str,
) -> tuple[int, Any, bool, tuple[tuple[str, str], ...]]:
    principal = _authorize(fake, headers, route.scope)
    endpoint = route.endpoint
    if endpoint is None:
        allow = (("allow", ", ".join((*route.allowed, "OPTIONS"))),)
        return 405, {"detail": f'Method "{method}" not allowed.'}, False, allow
    call = Call(
        fake, endpoint, route.args, principal, params, query, headers, parsed, body_error, body, origin, raw_path
    )
    call.applied = endpoint.writes
    status, payload = HANDLERS[endpoint.id](call)
    applied = call.applied and status < 400
    if applied:
        for resource, action, obj, before in call.events:
            # The event carries the changed record (the stored one, whatever the call answers) and the one before.
            fake.webhooks.emit(resource, action, copy.deepcopy(obj), before, fake.clock.timestamp())
    return status, payload, applied, call.extra_headers


def _has_plan(store: Store, order: Record) -> bool:
    return any(
        store.subscriptions[s].get("prepaid_subscription_context")
        for s in store.subscriptions_of_order(order["public_id"])
        if s in store.subscriptions
    )


def _params(query: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in query:
        params.setdefault(key, []).append(value)
    return params


def _fault_outcome(fault: Fault) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
    assert fault.status is not None
    extra: list[tuple[str, str]] = []
    if fault.body:
        extra.append(("content-type", fault.content_type or "application/octet-stream"))
    if fault.retry_after is not None:
        extra.append(("retry-after", fault.retry_after))
    return fault.status, fault.body or b"", tuple(extra)


def handle(
    fake: FakeOrdergroove,
    method: str,
    raw_path: str,
    query: Sequence[tuple[str, str]],
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    origin: str,
) -> Outcome:
    """Answer one request: ``raw_path`` as sent (percent-encoded), ``query`` its decoded pairs in order."""
    method = method.upper()
    header_map = Headers(headers)
    params = _params(query)
    parsed: Any = None
    body_error = False
    if body.strip():
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            body_error = True
    with fake._lock:
        fault = fake.faults.pick(method, raw_path)
        status: int | None
        extra: tuple[tuple[str, str], ...]
        applied = False
        endpoint: str | None = None
        if fault is not None and fault.drop == "before":
            status, payload_bytes, extra = None, b"", ()
        elif fault is not None and fault.status is not None:
            status, payload_bytes, extra = _fault_outcome(fault)
        elif fake._throttled():
            # Ordergroove documents no Retry-After for its 6,000/min limit: clients back off on their own.
            throttled = _json_response(429, {"detail": "Request was throttled."})
            status, payload_bytes, extra = 429, throttled.body, throttled.headers
        else:
            try:
                # GraphQL (POST /graphql/<version>/), from the same store: ordergroove/testing/_graphql.py.
                answer = respond_graphql(fake, method, raw_path, header_map, parsed, body_error, _authenticate)
                if answer is not None:
                    endpoint = "graphql"
                    code, payload, applied, allow = answer
                else:
                    route = match(origin, method, raw_path)
                    if route is None:
                        raise ApiError(404, {"detail": "Not found."})
                    endpoint = route.endpoint.id if route.endpoint is not None else None
                    code, payload, applied, allow = _respond(
                        fake, route, method, raw_path, query, params, header_map, parsed, body, body_error, origin
                    )
            except ApiError as error:
                code, payload, applied, allow = error.status, error.body, False, ()
            # Serialised under the lock: what was sent is a snapshot of the state.
            response = _json_response(code, payload, allow)
            status, payload_bytes, extra = code, response.body, response.headers
        fake.requests.append(
            RecordedRequest(
                method=method,
                path=raw_path,
                params=params,
                headers=header_map,
                json=parsed,
                body=body,
                status=status,
                applied=applied,
                fault=fault.kind if fault is not None else None,
                endpoint=endpoint,
            )
        )
    return Outcome(
        status=status if status is not None else 200,
        headers=(*extra, ("content-length", str(len(payload_bytes)))),
        body=payload_bytes,
        delay=fault.delay if fault is not None else None,
        drop=fault.drop if fault is not None else None,
        truncate=fault.truncate if fault is not None else False,
    )
