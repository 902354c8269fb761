"""The emulator's checkout and catalog endpoints: Purchase POST, its status, and products-batch.

Purchase POST lives on another host in production (``sc.ordergroove.com``); the emulator answers it by path
on any origin, so one emulator serves a client's REST and checkout calls alike.

- ``POST /subscription/create`` (with or without a trailing slash): the form body ``create_request=<JSON>``
  in either documented encoding. It creates the customer (when unknown), the shipping and billing
  addresses, the payment (card fields decrypted with ``fake.checkout_hash_key``), one subscription per
  product with ``subscription_info`` and each subscription's first order, so they can all be read back
  through the REST API. A product the catalog does not have is not subscribed: 207 when others were, 400
  when none could be. A ``merchant_order_id`` already received: 409.
- ``GET /subscription/{subs_req_id}/response``: 202 for the first ``fake.purchase_pending_polls`` requests,
  then 200 with the created ids; 404 for an unknown id.
- ``POST /products-batch/create/`` and ``PATCH /products-batch/update/``: 207 with one result per product;
  more than ``fake.batch_rate_limit`` calls in one minute of the emulator's clock: 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

from ordergroove.testing._rules import INT_MAX, ApiError
from ordergroove.testing._store import Record, ascii_decimal, ascii_int, money

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove
    from ordergroove.testing._records import Headers

__all__ = ["CheckoutState", "respond"]

Answer = tuple[int, Any, bool, tuple[tuple[str, str], ...]]

RECEIVED = "Subscription request received"
STILL_PROCESSING = "Subscription request is still being processed"
BATCH_MAX = 100
_STATUS_PATH = re.compile(r"/subscription/([^/]+)/response/?")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_EXPIRY = re.compile(r"(0[1-9]|1[0-2])/[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_USER_FIELDS = ("user_id", "first_name", "last_name", "email", "phone_number")
_ADDRESS_FIELDS = ("first_name", "last_name", "address", "city", "state_province_code", "zip_postal_code", "phone")
_BATCH_REQUIRED = ("product_id", "sku", "name", "price", "live", "image_url", "detail_url")
_BATCH_TEXT = ("sku", "name", "image_url", "detail_url", "product_type")
_BATCH_BOOL = ("live", "autoship_enabled", "prepaid_eligible", "discontinued", "autoship_by_default")
_BATCH_FIELDS = (
    *_BATCH_TEXT,
    *_BATCH_BOOL,
    "price",
    "every",
    "every_period",
    "extra_data",
    "offer_profile",
    "incentive_group",
)


class CheckoutState:
    """Purchase requests received (by ``subs_req_id``) and the products-batch rate window."""

    def __init__(self) -> None:
        self.purchases: dict[str, Record] = {}
        self.order_ids: dict[str, str] = {}
        self.batch_window: tuple[int, int] = (-1, 0)


def respond(
    fake: FakeOrdergroove, method: str, raw_path: str, query: Mapping[str, list[str]], headers: Headers, body: bytes
) -> Answer | None:
    """The answer when ``raw_path`` is a checkout or products-batch endpoint; None for any other path."""
    if raw_path in ("/subscription/create", "/subscription/create/"):
        _allow(method, "POST")
        _authenticate(fake, headers, purchase=True)
        return _purchase(fake, body)
    found = _STATUS_PATH.fullmatch(raw_path)
    if found is not None:
        _allow(method, "GET")
        _authenticate(fake, headers, purchase=True)
        return _status(fake, unquote(found.group(1)))
    if raw_path in ("/products-batch/create/", "/products-batch/update/"):
        create = raw_path.endswith("/create/")
        _allow(method, "POST" if create else "PATCH")
        _authenticate(fake, headers, purchase=False)
        return _batch(fake, create, query, body)
    return None


def _allow(method: str, allowed: str) -> None:
    if method != allowed:
        raise ApiError(405, {"detail": f'Method "{method}" not allowed.'})


def _authenticate(fake: FakeOrdergroove, headers: Headers, *, purchase: bool) -> None:
    key = "error" if purchase else "detail"
    if "x-api-key" not in headers:
        raise ApiError(401, {key: "Authentication credentials were not provided."})
    if headers["x-api-key"] not in fake._keys:
        raise ApiError(403, {key: "Authentication Failed"})


# -- Purchase POST ----------------------------------------------------------------------------------------------


def _bad(message: str) -> ApiError:
    return ApiError(400, {"error_message": message})


def _create_request(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise ApiError(400, {"error": "The body must be a URL-encoded form"}) from None
    fields = [part for part in text.split("&") if part.startswith("create_request=")]
    if len(fields) != 1:
        raise ApiError(400, {"error": "The body must be one form field, create_request=<JSON>"})
    raw = fields[0].removeprefix("create_request=")
    try:
        if raw.startswith("{"):
            # The strings URL-encoded one by one, the JSON structure as it is.
            data = _unquote_strings(json.loads(raw))
        else:
            decoded = unquote_plus(raw, errors="strict")
            if decoded.startswith("%7B") or decoded.startswith("%7b"):
                raise ApiError(400, {"error": "create_request is URL-encoded twice"})
            data = json.loads(decoded)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, {"error": "create_request is not valid JSON"}) from None
    if not isinstance(data, dict):
        raise ApiError(400, {"error": "create_request must be a JSON object"})
    return data


def _unquote_strings(value: Any) -> Any:
    if isinstance(value, str):
        return unquote(value, errors="strict")
    if isinstance(value, dict):
        return {unquote(key, errors="strict"): _unquote_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unquote_strings(item) for item in value]
    return value


def _required(data: Mapping[str, Any], name: str, label: str) -> str:
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{label} cannot be null")
    return value


def _object(data: Mapping[str, Any], name: str, label: str) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        raise _bad(f"{label} cannot be null")
    return value


def _check_address(address: Mapping[str, Any], label: str) -> None:
    for name in _ADDRESS_FIELDS:
        _required(address, name, f"{label} {name}")
    code = address.get("country_code")
    if not isinstance(code, str) or not _COUNTRY.fullmatch(code):
        raise _bad(f"{label} country_code must be a two-letter country code")


def _decrypt(fake: FakeOrdergroove, payment: Mapping[str, Any]) -> dict[str, str]:
    from ordergroove.crypto import FieldEncryptionError, decrypt_field

    plain: dict[str, str] = {}
    for name in ("cc_exp_date", "cc_holder", "cc_number"):
        value = payment.get(name)
        if value is None:
            continue
        try:
            if not isinstance(value, str):
                raise FieldEncryptionError("not a string")
            plain[name] = decrypt_field(value, fake.checkout_hash_key)
        except FieldEncryptionError:
            raise _bad("The credit card encryption is not valid") from None
    if "cc_exp_date" in plain and not _EXPIRY.fullmatch(plain["cc_exp_date"]):
        raise _bad("The credit card encryption is not valid")
    return plain


def _purchase(fake: FakeOrdergroove, body: bytes) -> Answer:
    store = fake._store
    state = fake._checkout
    data = _create_request(body)
    # Any merchant_id is accepted: the emulator has one merchant, whatever id a test or a sample sends.
    _required(data, "merchant_id", "Merchant id")
    order_id = _required(data, "merchant_order_id", "Merchant order id")
    if order_id in state.order_ids:
        raise ApiError(
            409,
            {
                "error": "Conflict",
                "error_message": "This merchant_order_id was already received",
                "merchant_order_id": order_id,
                "subs_req_id": state.order_ids[order_id],
            },
        )
    if data.get("og_cart_tracking") is not False:
        _required(data, "session_id", "Session id")
    user = _object(data, "user", "User")
    for name in _USER_FIELDS:
        _required(user, name, f"User {name}")
    shipping = _object(user, "shipping_address", "Shipping address")
    _check_address(shipping, "Shipping address")
    billing = user.get("billing_address")
    if billing is not None:
        if not isinstance(billing, dict):
            raise _bad("Billing address must be an object")
        _check_address(billing, "Billing address")
    products = data.get("products")
    if not isinstance(products, list) or not products or not all(isinstance(p, dict) for p in products):
        raise _bad("Products cannot be null")
    for product in products:
        _required(product, "product", "Product")
        _required(product, "sku", "Product sku")
    subscribing = [p for p in products if isinstance(p.get("subscription_info"), dict)]
    payment = data.get("payment")
    if subscribing and (not isinstance(payment, dict) or not payment.get("token_id")):
        raise _bad("Missing payment data to create record")
    plain = _decrypt(fake, payment) if isinstance(payment, dict) else {}
    errors = {str(p["product"]): "Product does not exist" for p in subscribing if p["product"] not in store.products}
    known = [p for p in subscribing if p["product"] not in errors]
    for product in known:
        _check_subscription_info(product["subscription_info"])
    if subscribing and not known:
        first = next(iter(errors))
        raise _bad(f"Product {first} does not exist")

    # Every check is done: from here on the state changes.
    customer = store.customers.get(user["user_id"]) or store.add_customer(
        user["user_id"],
        first_name=user["first_name"],
        last_name=user["last_name"],
        email=user["email"],
        phone_number=user["phone_number"],
        session_id=data.get("session_id"),
    )
    customer_id = customer["merchant_user_id"]
    status: Record = {"customer": customer_id, "payment": None, "shipping_address": None, "errors": errors}
    created: list[dict[str, str]] = []
    if known:
        ship = store.add_address(customer_id, label="Shipping", **_address_fields(shipping))
        bill = store.add_address(customer_id, label="Billing", **_address_fields(billing)) if billing else ship
        assert isinstance(payment, dict)
        number = plain.get("cc_number")
        pay = store.add_payment(
            customer_id,
            billing_address=bill,
            token_id=str(payment["token_id"]),
            cc_holder=plain.get("cc_holder"),
            cc_type=ascii_int(str(payment.get("cc_type", ""))),
            cc_number_ending=number[-4:] if number else None,
            cc_exp_date=plain.get("cc_exp_date"),
            label=payment.get("label"),
            payment_method=payment.get("payment_method") or "credit card",
        )
        status["payment"] = pay["public_id"]
        status["shipping_address"] = ship["public_id"]
        for product in known:
            subscription = _subscribe(fake, customer_id, product, pay, ship, order_id, data.get("session_id"))
            created.append({str(product["product"]): subscription["public_id"]})
    status["subscriptions"] = created
    subs_req_id = store.new_id()[:24]
    state.order_ids[order_id] = subs_req_id
    state.purchases[subs_req_id] = {"merchant_order_id": order_id, "polls": 0, "request": data, "status": status}
    answer: dict[str, Any] = {"result": RECEIVED, "subs_req_id": subs_req_id}
    if errors and created:
        answer["errors"] = errors
        return 207, answer, True, ()
    return 201, answer, True, ()


def _address_fields(address: Mapping[str, Any]) -> dict[str, Any]:
    names = (*_ADDRESS_FIELDS, "company_name", "address2", "fax", "country_code")
    return {name: address.get(name) for name in names}


def _positive_int(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= INT_MAX:
        raise _bad(f"{label} must be a positive integer")
    return value


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:  # 2025-13-45, 2025-02-30
        return False
    return True


def _check_subscription_info(info: Mapping[str, Any]) -> None:
    _positive_int(info.get("quantity"), "Subscription quantity")
    if info.get("price") is not None and ascii_decimal(info["price"]) is None:
        raise _bad("Subscription price must be a number")
    override = info.get("tracking_override")
    if override is not None:
        if not isinstance(override, dict):
            raise _bad("tracking_override must be an object")
        _required(override, "offer", "tracking_override offer")
        _positive_int(override.get("every"), "tracking_override every")
        if override.get("every_period") not in (1, 2, 3, 4):
            raise _bad("tracking_override every_period must be 1, 2, 3 or 4")
    when = info.get("first_order_place_date")
    if when is not None and not _is_date(when):
        raise _bad("first_order_place_date must be YYYY-MM-DD")


def _subscribe(
    fake: FakeOrdergroove,
    customer_id: str,
    product: Mapping[str, Any],
    payment: Record,
    address: Record,
    merchant_order_id: str,
    session_id: Any,
) -> Record:
    store = fake._store
    info: Mapping[str, Any] = product["subscription_info"]
    catalog = store.products[product["product"]]
    override = info.get("tracking_override") or {}
    every = override.get("every") or catalog.get("every") or 1
    every_period = override.get("every_period") or catalog.get("every_period") or 3
    first = info.get("first_order_place_date")
    price = ascii_decimal(info.get("price"))  # checked by _check_subscription_info
    fields: dict[str, Any] = {
        "merchant_order_id": merchant_order_id,
        "session_id": session_id,
        "price": None if price is None else money(price),
        "extra_data": info.get("extra_data") or {},
        "components": info.get("components") or [],
    }
    if override.get("offer"):
        fields["offer"] = override["offer"]
    prepaid: bool | dict[str, Any] = False
    if info.get("subscription_type") == "prepaid":
        per_billing = info.get("prepaid_orders_per_billing") or 1
        fields["subscription_type"] = "prepaid"
        prepaid = {
            "prepaid_orders_per_billing": per_billing,
            "prepaid_orders_remaining": per_billing,
            "renewal_behavior": info.get("renewal_behavior") or "autorenew",
            "prepaid_origin_merchant_order_id": merchant_order_id,
        }
    return store.add_subscription(
        customer_id,
        catalog,
        quantity=info["quantity"],
        every=int(every),
        every_period=int(every_period),
        prepaid=prepaid,
        next_order_date=dt.date.fromisoformat(first) if first else None,
        payment=payment,
        shipping_address=address,
        **fields,
    )


def _status(fake: FakeOrdergroove, subs_req_id: str) -> Answer:
    purchase = fake._checkout.purchases.get(subs_req_id)
    if purchase is None:
        raise ApiError(404, {"detail": "Not found."})
    purchase["polls"] += 1
    if purchase["polls"] <= fake.purchase_pending_polls:
        return 202, {"detail": STILL_PROCESSING}, False, ()
    return 200, purchase["status"], False, ()


# -- products-batch ---------------------------------------------------------------------------------------------


def _throttle(fake: FakeOrdergroove) -> None:
    limit = fake.batch_rate_limit
    if limit is None:
        return
    state = fake._checkout
    now = fake.clock.timestamp()
    minute = now // 60
    window, count = state.batch_window
    if window != minute:
        window, count = minute, 0
    if count >= limit:
        wait = 60 - now % 60
        raise _Throttled(wait)
    state.batch_window = (window, count + 1)


class _Throttled(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def _batch(fake: FakeOrdergroove, create: bool, query: Mapping[str, list[str]], body: bytes) -> Answer:
    try:
        _throttle(fake)
    except _Throttled as throttled:
        detail = f"Request was throttled. Expected available in {throttled.wait} seconds."
        return 429, {"detail": detail}, False, (("retry-after", str(throttled.wait)),)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, {"detail": "JSON parse error"}) from None
    if not isinstance(data, list):
        raise ApiError(400, {"non_field_errors": ["Expected a list of items."]})
    if not data:
        raise ApiError(400, {"non_field_errors": ["This list may not be empty."]})
    if len(data) > BATCH_MAX:
        raise ApiError(400, {"non_field_errors": [f"Ensure this field has no more than {BATCH_MAX} elements."]})
    force = (query.get("force_all_fields") or ["true"])[-1].lower() not in ("false", "0")
    results = [_batch_one(fake, item, create, force) for item in data]
    applied = any(result["status"] == 200 for result in results)
    return 207, {"results": results}, applied, ()


def _batch_errors(item: Mapping[str, Any], complete: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if complete:
        for name in _BATCH_REQUIRED:
            if item.get(name) is None:
                errors[name] = ["This field is required."]
    for name in _BATCH_TEXT:
        if item.get(name) is not None and not isinstance(item[name], str):
            errors[name] = ["Not a valid string."]
    for name in _BATCH_BOOL:
        if item.get(name) is not None and not isinstance(item[name], bool):
            errors[name] = ["Must be a valid boolean."]
    price = item.get("price")
    if price is not None and (not isinstance(price, int | float) or ascii_decimal(price) is None or price < 0):
        errors["price"] = ["A valid number is required."]
    every = item.get("every")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every < 1):
        errors["every"] = ["A valid integer is required."]
    if item.get("every_period") is not None and item["every_period"] not in (1, 2, 3, 4):
        errors["every_period"] = [f'"{item["every_period"]}" is not a valid choice.']
    return errors


def _batch_one(fake: FakeOrdergroove, item: Any, create: bool, force: bool) -> dict[str, Any]:
    store = fake._store
    if not isinstance(item, dict) or not isinstance(item.get("product_id"), str) or not item["product_id"]:
        return {"product_id": None, "status": 400, "errors": {"product_id": ["This field is required."]}}
    product_id = item["product_id"]
    existing = store.products.get(product_id)
    if not create and existing is None:
        return {"product_id": product_id, "status": 404, "detail": "Not found."}
    if create and existing is not None:
        return {"product_id": product_id, "status": 400, "errors": {"product_id": ["Product already exists."]}}
    errors = _batch_errors(item, complete=create or force)
    if errors:
        return {"product_id": product_id, "status": 400, "errors": errors}
    fields = {name: item[name] for name in _BATCH_FIELDS if name in item}
    if fields.get("price") is not None:
        fields["price"] = money(str(fields["price"]))
    if existing is None:
        store.add_product(product_id, **fields)
    else:
        existing.update(fields)
        existing["last_update"] = store.stamp()
    return {"product_id": product_id, "status": 200}
