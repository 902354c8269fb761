"""The HTTP surface, sans I/O: one function from a request to an outcome, shared by every way in.

``handle`` authenticates, routes, filters, paginates, applies the business rules, injects faults and
records the request. The transports, the ASGI app and the socket server only carry bytes to and from it
and act out the outcome's delay, drop or truncation.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlencode

import attrs

from ordergroove.testing._checkout import respond as respond_checkout
from ordergroove.testing._faults import Fault
from ordergroove.testing._graphql import respond as respond_graphql
from ordergroove.testing._records import Headers, RecordedRequest
from ordergroove.testing._rules import ACTIONS, ApiError, not_found
from ordergroove.testing._store import Record, Store, ascii_int, parse_stored_datetime

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["Outcome", "handle", "sign_storefront"]

SIGNATURE_LIFETIME = 2 * 60 * 60
NO_PERMISSION = "You do not have permission to perform this action."
RESOURCES = ("subscriptions", "orders", "items", "customers", "products", "addresses", "payments")
# The two action paths Ordergroove serves without a trailing slash.
NO_SLASH = {("customers", "update"), ("customers", "set_contact_details")}
PAGE_SIZE_DEFAULT = 10
PAGE_SIZE_MAX = 100


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
@attrs.frozen
class Principal:
    """Who is asking: an API key (with or without Bulk Operations) or one storefront customer."""

    bulk: bool = False
    customer: str | None = None
    trust_level: str | None = None

    @property
    def storefront(self) -> bool:
        return self.customer is not None


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
Params = Mapping[str, list[str]]
Predicate = Callable[[Store, Record], bool]


def _parse_bool(value: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


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


def _last(params: Params, key: str) -> str | None:
    values = [v for v in params.get(key, []) if v != ""]
    return values[-1] if values else None


def _equals(field: str, value: str) -> Predicate:
    return lambda store, record: record.get(field) == value


def _in_orders_of(subscription_id: str) -> Predicate:
    orders: set[str] | None = None

    def predicate(store: Store, record: Record) -> bool:
        nonlocal orders
        if orders is None:  # one pass over the items per request, not one per order
            orders = {item["order"] for item in store.items.values() if item["subscription"] == subscription_id}
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
            parsed = [_parse_bool(v) for v in lives]
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


# -- pagination ---------------------------------------------------------------------------------------------
def _page_size(params: Params) -> int:
    raw = _last(params, "page_size")
    if raw is None:
        return PAGE_SIZE_DEFAULT
    size = ascii_int(raw, signed=True)
    if size is None:
        raise ApiError(400, {"page_size": ["A valid integer is required."]})
    if size < 1:
        raise ApiError(400, {"page_size": ["Ensure this value is greater than or equal to 1."]})
    if size > PAGE_SIZE_MAX:
        raise ApiError(400, {"page_size": [f"Ensure this value is less than or equal to {PAGE_SIZE_MAX}."]})
    return size


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o={offset}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(404, {"detail": "Invalid cursor"}) from None
    key, _, value = text.partition("=")
    offset = ascii_int(value) if key == "o" and value.isascii() and value.isdigit() else None
    if offset is None:
        raise ApiError(404, {"detail": "Invalid cursor"})
    return offset


def _link(origin: str, path: str, query: Sequence[tuple[str, str]], drop: str, add: tuple[str, str] | None) -> str:
    kept = [(k, v) for k, v in query if k != drop]
    if add is not None:
        kept.append(add)
    return f"{origin}{path}?{urlencode(kept)}" if kept else f"{origin}{path}"


def _paginate(
    rows: list[Record], params: Params, query: Sequence[tuple[str, str]], headers: Headers, origin: str, path: str
) -> dict[str, Any]:
    size = _page_size(params)
    if headers.get("x-og-api-version", "").strip() == "2":
        cursor = _last(params, "cursor")
        offset = 0 if cursor is None else _decode_cursor(cursor)
        page = rows[offset : offset + size]
        following = offset + size
        nxt = (
            _link(origin, path, query, "cursor", ("cursor", _encode_cursor(following)))
            if following < len(rows)
            else None
        )
        previous: str | None = None
        if offset > 0:
            back = max(0, offset - size)
            previous = _link(origin, path, query, "cursor", ("cursor", _encode_cursor(back)) if back else None)
        return {"next": nxt, "previous": previous, "results": page}
    raw_page = _last(params, "page") or "1"
    last_page = max(1, -(-len(rows) // size))
    number = last_page if raw_page == "last" else ascii_int(raw_page)
    if number is None or not 1 <= number <= last_page:
        raise ApiError(404, {"detail": "Invalid page."})
    page = rows[(number - 1) * size : number * size]
    nxt = _link(origin, path, query, "page", ("page", str(number + 1))) if number < last_page else None
    previous = None
    if number > 1:
        previous = _link(origin, path, query, "page", ("page", str(number - 1)) if number > 2 else None)
    return {"count": len(rows), "next": nxt, "previous": previous, "results": page}


# -- routing ------------------------------------------------------------------------------------------------
@attrs.frozen
class Route:
    kind: Literal["list", "retrieve", "action", "cancel_reasons"]
    resource: str = ""
    record_id: str = ""
    action: str = ""
    methods: tuple[str, ...] = ("GET",)


def _route(raw_path: str) -> Route | None:
    trailing = raw_path.endswith("/")
    segments = raw_path.strip("/").split("/")
    if not raw_path.startswith("/") or any(segment == "" for segment in segments):
        return None
    parts = [unquote(segment) for segment in segments]
    if parts == ["merchant", "cancel_reason"] and trailing:
        return Route("cancel_reasons")
    if parts[0] not in RESOURCES:
        return None
    resource = parts[0]
    if len(parts) == 1 and trailing:
        return Route("list", resource)
    if len(parts) == 2 and trailing:
        return Route("retrieve", resource, parts[1])
    if len(parts) == 3 and (resource, parts[2]) in ACTIONS:
        if trailing == ((resource, parts[2]) in NO_SLASH):
            return None
        method, _ = ACTIONS[(resource, parts[2])]
        return Route("action", resource, parts[1], parts[2], (method,))
    return None


def _find(store: Store, resource: str, record_id: str, principal: Principal) -> Record:
    record = store.collection(resource).get(record_id)
    if record is None:
        not_found()
    # A storefront customer sees only their own records: anyone else's do not exist for them.
    if principal.storefront and resource != "products" and _record_owner(store, resource, record) != principal.customer:
        not_found()
    return record


def _respond(
    fake: FakeOrdergroove,
    method: str,
    raw_path: str,
    query: Sequence[tuple[str, str]],
    params: Params,
    headers: Headers,
    parsed: Any,
    body_error: bool,
    origin: str,
) -> tuple[int, Any, bool, tuple[tuple[str, str], ...]]:
    route = _route(raw_path)
    if route is None:
        return 404, {"detail": "Not found."}, False, ()
    principal = _authenticate(fake, headers)
    if method not in route.methods:
        allow = (("allow", ", ".join((*route.methods, "OPTIONS"))),)
        return 405, {"detail": f'Method "{method}" not allowed.'}, False, allow
    store = fake._store
    if route.kind == "cancel_reasons":
        return 200, {"results": list(store.cancel_reasons)}, False, ()
    if route.kind == "retrieve":
        return 200, _find(store, route.resource, route.record_id, principal), False, ()
    if route.kind == "list":
        unscoped = not principal.bulk and not principal.storefront and route.resource != "products"
        if unscoped and not _narrowed(route.resource, params):
            raise ApiError(403, {"detail": NO_PERMISSION})
        predicates = _filters(route.resource, params)
        rows = [
            record
            for record in store.collection(route.resource).values()
            if all(predicate(store, record) for predicate in predicates)
            and (
                not principal.storefront
                or route.resource == "products"
                or _record_owner(store, route.resource, record) == principal.customer
            )
        ]
        if route.resource == "orders" and _parse_bool(_last(params, "include_has_plan") or "false"):
            rows = [dict(row, has_plan=_has_plan(store, row)) for row in rows]
        return 200, _paginate(rows, params, query, headers, origin, raw_path), False, ()
    target = _find(store, route.resource, route.record_id, principal)
    if principal.trust_level == "recognized":
        raise ApiError(403, {"detail": NO_PERMISSION})
    if body_error:
        raise ApiError(400, {"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"})
    _, rule = ACTIONS[(route.resource, route.action)]
    before = copy.deepcopy(target)
    status, payload = rule(store, route.record_id, parsed)
    # The event carries the changed record (the stored one, whatever the action answers) and the one before.
    fake.webhooks.emit(route.resource, route.action, copy.deepcopy(target), before, store.clock.timestamp())
    return status, payload, True, ()


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
                # Purchase POST and products-batch read their bodies their own way (a form body, a list).
                answer = respond_checkout(fake, method, raw_path, params, header_map, body)
                # GraphQL (POST /graphql/<version>/), from the same store: ordergroove/testing/_graphql.py.
                answer = answer or respond_graphql(
                    fake, method, raw_path, header_map, parsed, body_error, _authenticate
                )
                code, payload, applied, allow = answer or _respond(
                    fake, method, raw_path, query, params, header_map, parsed, body_error, origin
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
