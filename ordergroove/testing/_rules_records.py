"""Rules of the customer-owned records' endpoints added for the whole REST surface.

Each handler takes the routed :class:`Call`, runs every check before its first write (an error changes
nothing), and answers ``(status, payload)``. Where the reference leaves a choice *unconfirmed*, the choice is a
named constant or function here, with the reference's words next to it.
"""

from __future__ import annotations

import copy
import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ordergroove.testing._context import Call, refuse
from ordergroove.testing._rules import (
    NOT_EDITABLE,
    ORDER_NOT_EDITABLE,
    ApiError,
    Fields,
    detail,
    locked,
    not_found,
    update_subscription,
)
from ordergroove.testing._store import (
    STATUS_SUCCESS,
    STATUS_UNSENT,
    Record,
    Store,
    ascii_decimal,
    fmt_date,
    money,
    reason_code,
)

__all__ = ["HANDLERS"]

Handler = Callable[[Call], tuple[int, Any]]
INVALID_PK = 'Invalid pk "{}" - object does not exist.'
RENEWAL_BEHAVIORS = ("autorenew", "cancel", "downgrade")

# -- choices the reference leaves *unconfirmed* (one place each) ---------------------------------------------
# subscriptions.update_prepaid_context: the older page allows the application scope only, the current edition
# also a storefront signature changing renewal_behavior only (403 for the other fields). The current one is kept.
PREPAID_STOREFRONT_FIELDS = ("renewal_behavior",)
# subscriptions.upgrade_to_prepaid: the product must be in the "prepaid" eligibility group [cur].
PREPAID_GROUP = {"group_type": "eligibility", "name": "prepaid"}
# subscriptions.create_from_item: no request schema is published; the item's public id plus the frequency.
CREATE_FROM_ITEM_FIELDS = ("item", "every", "every_period")
# subscriptions.update_components: `update` elements {public_id, quantity} and `delete` elements (component
# public ids) are presumed; no response is published: the emulator answers the subscription.
# addresses/payments use_for_all: nothing published about the response; the emulator answers 204 (no body),
# and moves the customer's live subscriptions and unsent orders (the reference: "subscriptions only, or unsent
# orders too ... unconfirmed"; DESIGN: "changes the customer's subscriptions and unsent orders").
USE_FOR_ALL_STATUS = 204
# addresses.create: zip_postal_code and country_code "yes?" (text cut; non-null in the data model).
ADDRESS_REQUIRED = (
    "customer",
    "address_type",
    "first_name",
    "last_name",
    "address",
    "city",
    "state_province_code",
    "zip_postal_code",
    "country_code",
)
ADDRESS_OPTIONAL = ("address2", "company_name", "phone", "fax", "label")
ADDRESS_TYPES = ("billing_address", "shipping_address")
# payments.update: "Payment fields to change; schema unconfirmed".
PAYMENT_WRITABLE = (
    "label",
    "token_id",
    "cc_holder",
    "cc_type",
    "cc_exp_date",
    "cc_number_ending",
    "billing_address",
    "payment_method",
    "live",
)
PAYMENT_METHODS = ("credit card", "paypal", "applepay", "shoppay", "googlepay")
CC_TYPES = (1, 2, 3, 4, 5, 6)
# orders.finalize_placement: which of processing_response_id, response_xml and idempotency_key are required is
# not stated ("?"); response_xml and idempotency_key are what the call cannot work without.
FINALIZE_REQUIRED = ("response_xml", "idempotency_key")
FINALIZABLE_STATUSES = (9, 10, 13)  # "Only for orders whose placement answered PROCESSING: status 10, 13 or 9"
STATUS_PENDING_PLACEMENT = 11
STATUS_REJECTED = 3
NOT_FINALIZABLE = "Order status indicates it is not editable"


def placement_outcome(root: ElementTree.Element) -> tuple[int, str, str | None] | None:
    """(status, display_status, error message) of a placement response, or None when it is not one.

    The order-placement response format is not in the reference (*unconfirmed*): the emulator reads
    ``<order><code>SUCCESS</code>...<errorMsg>...</errorMsg></order>``; any other code rejects the order.
    """
    code = root.findtext("code")
    if root.tag != "order" or code is None:
        return None
    if code.strip().upper() == "SUCCESS":
        return STATUS_SUCCESS, "SUCCESS", None
    return STATUS_REJECTED, "REJECTED", (root.findtext("errorMsg") or code).strip()


# -- small helpers ----------------------------------------------------------------------------------------------
def _subscription(call: Call, arg: str = "subscription_id") -> Record:
    sub = call.store.subscriptions.get(call.args[arg])
    return call.own(sub, None if sub is None else sub["customer"])


def _order(call: Call) -> Record:
    order = call.store.orders.get(call.args["order_id"])
    return call.own(order, None if order is None else order["customer"])


def _item(call: Call) -> tuple[Record, Record]:
    item = call.store.items.get(call.args["item_id"])
    order = None if item is None else call.store.orders.get(item["order"])
    call.own(item, None if order is None else order["customer"])
    assert item is not None and order is not None
    return item, order


def _editable(order: Record) -> None:
    if order["locked"]:
        locked()
    if order["status"] != STATUS_UNSENT:
        detail(ORDER_NOT_EDITABLE)


def _is_prepaid(store: Store, item: Record) -> bool:
    sub = store.subscriptions.get(item["subscription"] or "")
    return sub is not None and bool(sub.get("prepaid_subscription_context"))


def _touch(store: Store, *records: Record, field: str = "updated") -> None:
    for record in records:
        record[field] = store.stamp()


def _reference(fields: Fields, store: Store, collection: str, name: str, customer: str | None) -> Record | None:
    """The record a body field names (required), checked to exist and to belong to ``customer``."""
    value = fields.string(name)
    if value is None:
        return None
    record = store.collection(collection).get(value)
    ok = record is not None and (customer is None or record.get("customer") == customer)
    fields.check(name, ok, INVALID_PK.format(value))
    return record if ok else None


def _product(fields: Fields, store: Store, name: str) -> Record | None:
    value = fields.string(name)
    if value is None:
        return None
    fields.check(name, value in store.products, INVALID_PK.format(value))
    return store.products.get(value)


def _unsent_of_customer(store: Store, customer: str) -> list[Record]:
    return [o for o in store.orders.values() if o["customer"] == customer and o["status"] == STATUS_UNSENT]


def _reprice(store: Store, order: Record) -> None:
    store.recompute_order(order)
    _touch(store, order)


# -- subscriptions ----------------------------------------------------------------------------------------------
def change_email_reminder(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    fields = Fields(call.body)
    days = fields.integer("reminder_days", min_value=5)  # "at least 5"
    if not sub["live"]:
        detail(NOT_EDITABLE)
    fields.done()
    sub["reminder_days"] = days
    _touch(call.store, sub)
    return 200, sub


def update(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    body = call.body
    fields = Fields(body)
    reason = fields.string("cancel_reason", required=False, allow_null=True)
    fields.done()
    before = copy.deepcopy(sub)
    rest = {k: v for k, v in fields.body.items() if k != "cancel_reason"}
    status, payload = update_subscription(call.store, sub["public_id"], rest)
    if "cancel_reason" in fields.body:
        sub["cancel_reason"] = reason or None
        sub["cancel_reason_code"] = reason_code(reason)
    call.emit("subscriptions", "update", sub, before)
    return status, payload


def _new_subscription(
    call: Call,
    *,
    customer: str,
    product: Record,
    payment: str,
    shipping_address: str,
    offer: str,
    quantity: int,
    every: int,
    every_period: int,
    extra: dict[str, Any],
) -> Record:
    store = call.store
    return store.add_subscription(
        customer,
        product,
        quantity=quantity,
        every=every,
        every_period=every_period,
        create_order=False,
        payment=payment,
        shipping_address=shipping_address,
        offer=offer,
        **extra,
    )


def _components(fields: Fields, name: str) -> list[Any] | None:
    if name not in fields.body or fields.body[name] is None:
        return None
    value = fields.body[name]
    ok = isinstance(value, list) and all(isinstance(c, dict) and isinstance(c.get("product"), str) for c in value)
    fields.check(name, ok, 'Expected a list of {"product": ...} objects.')
    return value if ok else None


def create_in_order(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    fields.string("merchant")
    customer = fields.string("customer")
    call.acting_for(customer)
    if customer is not None:
        fields.check("customer", customer in store.customers, INVALID_PK.format(customer))
    product = _product(fields, store, "product")
    offer = fields.string("offer")
    order = _reference(fields, store, "orders", "order", customer)
    session_id = fields.string("session_id")
    payment = _reference(fields, store, "payments", "payment", customer)
    address = _reference(fields, store, "addresses", "shipping_address", customer)
    quantity = fields.integer("quantity", min_value=1)
    every = fields.integer("every", min_value=1)
    every_period = fields.choice("every_period", (1, 2, 3, 4))
    price = fields.body.get("price")
    if price is not None:
        fields.check("price", ascii_decimal(price) is not None, "A valid number is required.")
    components = _components(fields, "components")
    fields.done()
    assert customer and product and offer and order and payment and address and quantity and every and every_period
    _editable(order)
    extra: dict[str, Any] = {"session_id": session_id, "components": _with_ids(store, components or [])}
    if price is not None:
        extra["price"] = money(ascii_decimal(price) or Decimal())
    if fields.body.get("extra_data") is not None:
        extra["extra_data"] = fields.body["extra_data"]
    sub = _new_subscription(
        call,
        customer=customer,
        product=product,
        payment=payment["public_id"],
        shipping_address=address["public_id"],
        offer=offer,
        quantity=quantity,
        every=every,
        every_period=every_period,
        extra=extra,
    )
    _index_components(store, sub)
    # The first shipment rides in the given order (an impulse upsell).
    store.add_item(order, product=product, subscription=sub, quantity=quantity)
    _touch(store, order)
    call.emit("subscriptions", "create", sub, None)
    return 200, sub


def create_from_item(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    item_id = fields.string(CREATE_FROM_ITEM_FIELDS[0])
    item = store.items.get(item_id or "")
    order = None if item is None else store.orders[item["order"]]
    if item_id is not None:
        visible = order is not None and call.sees(order["customer"])
        fields.check("item", item is not None and visible, INVALID_PK.format(item_id))
    every = fields.integer("every", required=False, min_value=1)
    every_period = fields.choice("every_period", (1, 2, 3, 4), required=False)
    if item is not None and item["subscription"]:
        fields.check("item", False, "This item already belongs to a subscription.")
    fields.done()
    assert item is not None and order is not None
    product = store.products.get(item["product"]) or store.ensure_product(item["product"])
    every = every or product.get("every") or 1
    every_period = every_period or product.get("every_period") or 3
    sub = _new_subscription(
        call,
        customer=order["customer"],
        product=product,
        payment=order["payment"],
        shipping_address=order["shipping_address"],
        offer=item["offer"] or store.offer_id,
        quantity=item["quantity"],
        every=int(every),
        every_period=int(every_period),
        extra={},
    )
    item.update(subscription=sub["public_id"], offer=sub["offer"], one_time=False)
    store.index_item(item)
    call.emit("subscriptions", "create", sub, None)
    return 200, sub


def _rotation(store: Store, sub: Record, product: str) -> Record:
    found = store.rotation_ordinals.get((sub["public_id"], product))
    if found is None:
        # Before any set_rotation_ordinal a subscription stands at the start of its rotation.
        found = {"ordinal": 1, "rotating_product": product, "subscription": sub["public_id"], "active": True}
    return found


def retrieve_rotation_ordinal(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    product = call.args["product_id"]
    if (sub["public_id"], product) not in call.store.rotation_ordinals and sub["product"] != product:
        not_found()
    return 200, _rotation(call.store, sub, product)


def set_rotation_ordinal(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    fields = Fields(call.body)
    product = _product(fields, call.store, "rotating_product")
    ordinal = fields.integer("ordinal", required=False, min_value=1)
    fields.done()
    assert product is not None
    key = (sub["public_id"], product["external_product_id"])
    context = dict(_rotation(call.store, sub, key[1]))
    if ordinal is not None:
        context["ordinal"] = ordinal
    call.store.rotation_ordinals[key] = context
    # Note the key: rotation_product here, rotating_product on retrieve ([cur]).
    return 200, {"ordinal": context["ordinal"], "rotation_product": key[1], "subscription": sub["public_id"]}


def _prepaid_context(sub: Record) -> Record:
    context = sub.get("prepaid_subscription_context")
    if not context:
        detail("This subscription is not prepaid.")
    assert isinstance(context, dict)
    return context


def update_prepaid_context(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    fields = Fields(call.body)
    if call.principal.storefront and any(
        name in fields.body
        for name in ("orders_remaining", "orders_per_billing")
        if name not in PREPAID_STOREFRONT_FIELDS
    ):
        raise refuse()
    remaining = fields.integer("orders_remaining", required=False, min_value=0)
    per_billing = fields.integer("orders_per_billing", required=False, min_value=1)
    behavior = fields.string("renewal_behavior", required=False)
    if behavior is not None:
        fields.check("renewal_behavior", behavior in RENEWAL_BEHAVIORS, f'"{behavior}" is not a valid choice.')
    context = _prepaid_context(sub)
    fields.done()
    if remaining is not None:
        context["prepaid_orders_remaining"] = remaining
    if per_billing is not None:
        context["prepaid_orders_per_billing"] = per_billing
    if behavior is not None:
        context["renewal_behavior"] = behavior
    _touch(call.store, sub)
    if context["prepaid_orders_remaining"] == 0 and context["renewal_behavior"] != "autorenew":
        _run_out(call, sub, context["renewal_behavior"])
    return 200, sub


def _run_out(call: Call, sub: Record, behavior: str) -> None:
    """With no prepaid shipment left: ``cancel`` cancels the subscription, ``downgrade`` makes it pay-as-you-go."""
    store = call.store
    if behavior == "downgrade":
        sub["prepaid_subscription_context"] = None
        sub["subscription_type"] = "replenishment"
        return
    for order in _unsent_of_customer(store, sub["customer"]):
        for item in store.items_of_order(order["public_id"]):
            if item["subscription"] == sub["public_id"]:
                del store.items[item["public_id"]]
        _reprice(store, order)
    sub.update(live=False, cancelled=store.stamp(), cancel_reason=None, cancel_reason_code=None)


def change_renewal_behavior(call: Call) -> tuple[int, Any]:
    sub = _subscription(call)
    fields = Fields(call.body)
    behavior = fields.string("renewal_behavior")
    if behavior is not None:
        fields.check("renewal_behavior", behavior in RENEWAL_BEHAVIORS, f'"{behavior}" is not a valid choice.')
    context = _prepaid_context(sub)
    fields.done()
    context["renewal_behavior"] = behavior
    _touch(call.store, sub)
    return 200, sub


def upgrade_to_prepaid(call: Call) -> tuple[int, Any]:
    store = call.store
    sub = _subscription(call)
    fields = Fields(call.body)
    per_billing = fields.integer("orders_per_billing", required=False)
    behavior = fields.string("renewal_behavior", required=False)
    # The [cur] page lists its refusals as 400 with a detail, in this order.
    if not store.prepaid_enabled:
        detail("Prepaid subscriptions are not enabled for this merchant.")
    if sub.get("prepaid_subscription_context"):
        detail("This subscription is already prepaid.")
    if not sub["live"]:
        detail(NOT_EDITABLE)
    if per_billing is None or per_billing < 2:
        detail("orders_per_billing must be 2 or more.")
    if behavior is not None and behavior not in RENEWAL_BEHAVIORS:
        fields.check("renewal_behavior", False, f'"{behavior}" is not a valid choice.')
    fields.done()
    product = store.products.get(sub["product"])
    if product is None or PREPAID_GROUP not in product.get("groups", []):
        detail("This product is not eligible for prepaid subscriptions.")
    unit = Decimal(sub["price"] if sub["price"] is not None else product["price"])
    sub["prepaid_subscription_context"] = {
        # 0 left: the next order is the renewal that charges the whole cycle.
        "prepaid_orders_remaining": 0,
        "prepaid_orders_per_billing": per_billing,
        "renewal_behavior": behavior or "autorenew",
        "last_renewal_revenue": None,
        "prepaid_origin_merchant_order_id": None,
    }
    sub["subscription_type"] = "prepaid"
    _touch(store, sub)
    upcoming = store.upcoming_order(sub["public_id"])
    if upcoming is not None:
        for item in store.items_of_order(upcoming["public_id"]):
            if item["subscription"] == sub["public_id"]:
                item["price"] = money(unit * per_billing)
                store.price_item(item)
        _reprice(store, upcoming)
    return 200, sub


def _with_ids(store: Store, components: list[Any]) -> list[Any]:
    return [
        {"public_id": store.new_id(), "quantity": c.get("quantity", 1), "product": c["product"]}
        if isinstance(c, dict) and "public_id" not in c
        else c
        for c in components
    ]


def _index_components(store: Store, sub: Record) -> None:
    for component in sub.get("components") or []:
        if isinstance(component, dict) and isinstance(component.get("public_id"), str):
            store.components[component["public_id"]] = sub["public_id"]


def _component(store: Store, component_id: str) -> tuple[Record, Record] | None:
    owner = store.subscriptions.get(store.components.get(component_id, ""))
    if owner is None:  # added by a builder or a test: found once, then indexed
        for sub in store.subscriptions.values():
            _index_components(store, sub)
        owner = store.subscriptions.get(store.components.get(component_id, ""))
    if owner is None or not isinstance(owner.get("components"), list):
        return None
    for component in owner["components"]:
        if isinstance(component, dict) and component.get("public_id") == component_id:
            return owner, component
    return None


def retrieve_component(call: Call) -> tuple[int, Any]:
    found = _component(call.store, call.args["component_public_id"])
    call.own(None if found is None else found[1], None if found is None else found[0]["customer"])
    assert found is not None
    return 200, found[1]


def update_components(call: Call) -> tuple[int, Any]:
    store = call.store
    sub = _subscription(call, "subscription_public_Id")
    fields = Fields(call.body)
    current = sub["components"] if isinstance(sub.get("components"), list) else []
    by_id = {c.get("public_id"): c for c in current if isinstance(c, dict)}
    creates, updates, deletes = (fields.body.get(name) or [] for name in ("create", "update", "delete"))
    for name, value in (("create", creates), ("update", updates), ("delete", deletes)):
        fields.check(name, isinstance(value, list), f'Expected a list of items but got type "{type(value).__name__}".')
    fields.done()
    for entry in creates:
        ok = isinstance(entry, dict) and entry.get("product") in store.products
        if ok and "quantity" in entry:
            ok = (
                isinstance(entry["quantity"], int) and not isinstance(entry["quantity"], bool) and entry["quantity"] > 0
            )
        fields.check("create", ok, "Each component needs an existing product and a positive quantity.")
    for entry in updates:
        ok = isinstance(entry, dict) and entry.get("public_id") in by_id
        ok = ok and isinstance(entry.get("quantity"), int) and not isinstance(entry["quantity"], bool)
        fields.check(
            "update", ok and entry["quantity"] > 0, "Each update needs a component's public_id and a quantity."
        )
    for entry in deletes:
        fields.check("delete", isinstance(entry, str) and entry in by_id, f"{entry!r} is not a component of it.")
    if not sub["live"]:
        detail(NOT_EDITABLE)
    fields.done()  # atomic: every element is checked before anything changes
    before = copy.deepcopy(sub)
    components = [dict(c) for c in current if not (isinstance(c, dict) and c.get("public_id") in set(deletes))]
    quantities = {entry["public_id"]: entry["quantity"] for entry in updates}
    for component in components:
        if component.get("public_id") in quantities:
            component["quantity"] = quantities[component["public_id"]]
    components += _with_ids(store, [{"product": e["product"], "quantity": e.get("quantity", 1)} for e in creates])
    for component_id in deletes:
        store.components.pop(component_id, None)
    sub["components"] = components
    _index_components(store, sub)
    _touch(store, sub)
    call.emit("subscriptions", "update_components", sub, before)
    return 200, sub


# -- orders -----------------------------------------------------------------------------------------------------
def _order_reference(collection: str, field: str, action: str) -> Handler:
    def handler(call: Call) -> tuple[int, Any]:
        order = _order(call)
        fields = Fields(call.body)
        target = _reference(fields, call.store, collection, field, order["customer"])
        _editable(order)
        fields.done()
        assert target is not None
        before = copy.deepcopy(order)
        order[field] = target["public_id"]
        _touch(call.store, order)
        call.emit("orders", action, order, before)
        return 200, order

    return handler


# orders.change_shipping_address: body field `shipping_address` *unconfirmed* (named so on the subscription call).
ORDER_SHIPPING_FIELD = "shipping_address"


def update_order(call: Call) -> tuple[int, Any]:
    order = _order(call)
    fields = Fields(call.body)
    _, value = fields._raw("extra_data", True, True)
    fields.done()
    # Whether the value replaces or merges into the stored extra_data is not stated: it replaces.
    order["extra_data"] = value
    _touch(call.store, order)
    return 200, order


def finalize_placement(call: Call) -> tuple[int, Any]:
    store = call.store
    order = _order(call)
    body = call.body if isinstance(call.body, dict) else {}

    def result(status: int, display: str, code: int | None, message: str | None, retry: bool = False) -> Record:
        return {
            "merchant": store.merchant,
            "order": order["public_id"],
            "status": status,
            "display_status": display,
            "error_code": code,
            "error_message": message,
            "retry": retry,
            "currency_units_per_merchant_currency_unit": 1,
        }

    missing = [name for name in FINALIZE_REQUIRED if not isinstance(body.get(name), str) or not body[name]]
    if missing:
        raise ApiError(400, result(order["status"], "ERROR", 1, f"Missing required field: {missing[0]}"))
    key = (order["public_id"], body["idempotency_key"])
    if key in store.placements:  # the same response again: the same answer, nothing applied twice
        call.applied = False
        return 200, store.placements[key]
    if order["status"] not in FINALIZABLE_STATUSES:
        pending = order["status"] == STATUS_PENDING_PLACEMENT
        raise ApiError(400, result(order["status"], "ERROR", 3, NOT_FINALIZABLE, retry=pending))
    try:
        root = ElementTree.fromstring(body["response_xml"])
    except ElementTree.ParseError:
        raise ApiError(400, result(order["status"], "ERROR", 2, "response_xml is not valid XML")) from None
    outcome = placement_outcome(root)
    if outcome is None:
        raise ApiError(400, result(order["status"], "ERROR", 4, "response_xml is not a placement response"))
    status, display, message = outcome
    before = copy.deepcopy(order)
    order["status"] = status
    order["rejected_message"] = message
    if body.get("processing_response_id"):
        order["order_merchant_id"] = str(body["processing_response_id"])
    _touch(store, order)
    answer = result(status, display, None, None)
    store.placements[key] = answer
    if status == STATUS_SUCCESS:
        call.emit("orders", "finalize_placement", order, before)
    return 200, answer


# -- items ------------------------------------------------------------------------------------------------------
def _price_of(store: Store, item: Record) -> str:
    sub = store.subscriptions.get(item["subscription"] or "")
    if sub is not None and sub["price"] is not None:
        return str(sub["price"])
    return str(store.products[item["product"]]["price"])


def change_price(call: Call) -> tuple[int, Any]:
    item, order = _item(call)
    fields = Fields(call.body)
    raw = fields.string("price")
    amount = None if raw is None else ascii_decimal(raw)
    if raw is not None:
        fields.check("price", amount is not None and amount >= 0, "A valid number is required.")
    if _is_prepaid(call.store, item):
        detail("The price of a prepaid item cannot be changed.")
    _editable(order)
    fields.done()
    assert amount is not None
    before = copy.deepcopy(item)
    item.update(price=money(amount), frozen=True, order_updated=call.store.stamp())
    call.store.price_item(item)
    _reprice(call.store, order)
    call.emit("items", "change_price", item, before)
    return 200, item


def _contexts(fields: Fields) -> None:
    value = fields.body.get("contexts")
    fields.check("contexts", value is None or isinstance(value, dict), "Expected a dictionary of items.")


def create_item(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    fields.string("merchant_id")
    customer = fields.string("customer_id")
    call.acting_for(customer)
    if customer is not None:
        fields.check("customer_id", customer in store.customers, INVALID_PK.format(customer))
    address = _reference(fields, store, "addresses", "shipping_id", customer)
    payment = _reference(fields, store, "payments", "payment_id", customer)
    offer = fields.string("offer_id")
    product = _product(fields, store, "product_id")
    place_text = fields.string("place_date")
    place: dt.date | None = None
    if place_text is not None:
        try:  # MM/DD/YYYY here, unlike the YYYY-MM-DD everywhere else
            place = dt.datetime.strptime(place_text, "%m/%d/%Y").date()
        except ValueError:
            fields.check("place_date", False, "Date has wrong format. Use one of these formats instead: MM/DD/YYYY.")
    quantity = fields.integer("quantity", min_value=1)
    _contexts(fields)
    fields.done()
    assert customer and address and payment and offer and product and place and quantity
    day = fmt_date(place)
    target = next(
        (
            o
            for o in _unsent_of_customer(store, customer)
            if o["place"][:10] == day
            and o["shipping_address"] == address["public_id"]
            and o["payment"] == payment["public_id"]
        ),
        None,
    )
    if target is not None:
        if target["locked"]:
            locked()
        prepaid_inside = any(_is_prepaid(store, i) for i in store.items_of_order(target["public_id"]))
        if prepaid_inside and not store.mixed_prepaid_orders:
            detail("This merchant does not allow mixing prepaid and other items in one order.")
    created = target is None
    if target is None:
        target = store.add_order(customer, place=place, payment=payment, shipping_address=address)
    item = store.add_item(target, product=product, quantity=quantity, offer=offer, one_time=True)
    _touch(store, target)
    if created:
        call.emit("orders", "create", target, None)
    call.emit("items", "create", item, None)
    return 200, item


def create_item_in_order(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    order_id = fields.string("order")
    order = store.orders.get(order_id or "")
    if order_id is not None:
        visible = order is not None and call.sees(order["customer"])
        fields.check("order", visible, INVALID_PK.format(order_id))
    offer = fields.string("offer")
    product = _product(fields, store, "product")
    quantity = fields.integer("quantity", min_value=1)
    _contexts(fields)
    components = _components(fields, "components")
    fields.done()
    assert order is not None and offer and product and quantity
    _editable(order)
    extra: dict[str, Any] = {"offer": offer, "one_time": True}
    if components is not None:
        extra["components"] = components
    item = store.add_item(order, product=product, quantity=quantity, **extra)
    _touch(store, order)
    call.emit("items", "create", item, None)
    return 200, item


def update_item(call: Call) -> tuple[int, Any]:
    item, order = _item(call)
    fields = Fields(call.body)
    components = fields.string("components")
    _editable(order)
    fields.done()
    before = copy.deepcopy(item)
    # Read back as legacy components are: the text as sent ("product_id_1,product_id_2"; its form *unconfirmed*).
    item["components"] = components
    item["order_updated"] = call.store.stamp()
    call.emit("items", "update", item, before)
    return 200, item


def change_item_product(call: Call) -> tuple[int, Any]:
    item, order = _item(call)
    fields = Fields(call.body)
    product = _product(fields, call.store, "product")
    _editable(order)
    fields.done()
    assert product is not None
    before = copy.deepcopy(item)
    item["product"] = product["external_product_id"]
    if not item["frozen"]:  # a changed price stays (change_price freezes it)
        item["price"] = money(_price_of(call.store, item))
    item["order_updated"] = call.store.stamp()
    call.store.price_item(item)
    _reprice(call.store, order)
    call.emit("items", "change_product", item, before)
    return 200, item


def _refuse_prepaid_item(call: Call) -> None:
    item, _ = _item(call)
    if _is_prepaid(call.store, item):
        detail("Items of prepaid subscriptions cannot be changed.")


# -- customers --------------------------------------------------------------------------------------------------
PHONE_TYPES = {"invalid": 0, "landline": 1, "mobile": 2, "voip": 3}
CUSTOMER_CREATE_REQUIRED = (
    "merchant",
    "merchant_user_id",
    "session_id",
    "user_token_id",
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "phone_type",
    "live",
    "created",
    "last_updated",
    "last_login",
    "locale",
)


def create_customer(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    texts = {
        name: fields.string(name)
        for name in ("merchant", "merchant_user_id", "session_id", "user_token_id", "first_name", "last_name")
    }
    email = fields.email("email")
    phone = fields.string("phone_number")
    phone_type = fields.string("phone_type")
    if phone_type is not None:
        fields.check("phone_type", phone_type.lower() in PHONE_TYPES, f'"{phone_type}" is not a valid choice.')
    present, live = fields._raw("live", True, False)
    if present:
        fields.check("live", isinstance(live, bool), "Must be a valid boolean.")
    stamps = {name: fields.datetime(name) for name in ("created", "last_updated", "last_login")}
    present, locale = fields._raw("locale", True, False)
    if present:
        ok = isinstance(locale, str) or (isinstance(locale, int) and not isinstance(locale, bool))
        fields.check("locale", ok, "A locale id or a locale name is required.")
    for name in ("extra_data", "experiences", "price_code"):
        fields.string(name, required=False, allow_null=True)
    user = texts["merchant_user_id"]
    call.acting_for(user)
    if user is not None:
        fields.check(
            "merchant_user_id", user not in store.customers, "customer with this merchant user id already exists."
        )
    fields.done()
    assert user is not None and phone_type is not None
    fmt = "%Y-%m-%d %H:%M:%S"
    record = store.add_customer(
        user,
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        email=email,
        phone_number=phone,
        phone_type=PHONE_TYPES[phone_type.lower()],
        live=live,
        created=stamps["created"].strftime(fmt) if stamps["created"] else store.stamp(),
        last_updated=stamps["last_updated"].strftime(fmt) if stamps["last_updated"] else store.stamp(),
        last_login=stamps["last_login"].strftime(fmt) if stamps["last_login"] else None,
        extra_data=fields.body.get("extra_data"),
        locale=locale,
        price_code=fields.body.get("price_code"),
        session_id=texts["session_id"],
        user_token_id=texts["user_token_id"],
    )
    experiences = fields.body.get("experiences")
    store.experiences[user] = experiences if isinstance(experiences, str) else "{}"
    call.emit("customers", "create", record, None)
    return 200, dict(record, experiences=store.experiences[user])


def update_customer(call: Call) -> tuple[int, Any]:
    customer = call.store.customers.get(call.args["merchant_user_id"])
    call.own(customer, call.args["merchant_user_id"])
    assert customer is not None
    fields = Fields(call.body)
    changes: dict[str, Any] = {}
    for name in ("extra_data", "locale", "price_code"):
        if name in fields.body:
            value = fields.body[name]
            ok = value is None or isinstance(value, str) or (name == "extra_data" and isinstance(value, dict))
            fields.check(name, ok, "Not a valid string.")
            changes[name] = value
    fields.done()
    before = copy.deepcopy(customer)
    customer.update(changes)
    _touch(call.store, customer, field="last_updated")
    call.emit("customers", "update", customer, before)
    return 200, {name: customer.get(name) for name in ("extra_data", "locale", "price_code")}


# -- addresses and payments ---------------------------------------------------------------------------------------
def _without_updated(record: Record) -> Record:
    # The create and update pages answer an Address without `updated`.
    return {k: v for k, v in record.items() if k != "updated"}


def create_address(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    values = {name: fields.string(name) for name in ADDRESS_REQUIRED}
    for name in ADDRESS_OPTIONAL:
        values[name] = fields.string(name, required=False, allow_null=True)
    customer, kind = values.pop("customer"), values.pop("address_type")
    call.acting_for(customer)
    if customer is not None:
        fields.check("customer", customer in store.customers, INVALID_PK.format(customer))
    if kind is not None:
        fields.check("address_type", kind in ADDRESS_TYPES, f'"{kind}" is not a valid choice.')
    fields.done()
    assert customer is not None
    values.setdefault("label", None)
    record = store.add_address(customer, **values)
    return 200, _without_updated(record)


def update_address(call: Call) -> tuple[int, Any]:
    address = call.store.addresses.get(call.args["address_id"])
    call.own(address, None if address is None else address["customer"])
    assert address is not None
    fields = Fields(call.body)
    present, live = fields._raw("live", True, False)
    if present:
        fields.check("live", isinstance(live, bool), "Must be a valid boolean.")
    fields.done()
    address["live"] = live
    _touch(call.store, address)
    return 200, _without_updated(address)


def _use_for_all(collection: str, arg: str, field: str, action: str, noun: str) -> Handler:
    def handler(call: Call) -> tuple[int, Any]:
        store = call.store
        record = store.collection(collection).get(call.args[arg])
        call.own(record, None if record is None else record["customer"])
        assert record is not None
        if not record["live"]:
            detail(f"This {noun} is not active.")
        customer = record["customer"]
        orders = _unsent_of_customer(store, customer)
        if any(order["locked"] for order in orders):
            locked()
        for sub in store.subscriptions.values():
            if sub["customer"] == customer and sub["live"] and sub[field] != record["public_id"]:
                before = copy.deepcopy(sub)
                sub[field] = record["public_id"]
                _touch(store, sub)
                call.emit("subscriptions", action, sub, before)
        for order in orders:
            if order[field] != record["public_id"]:
                before = copy.deepcopy(order)
                order[field] = record["public_id"]
                _touch(store, order)
                call.emit("orders", action, order, before)
        return USE_FOR_ALL_STATUS, None

    return handler


def _exp_date(fields: Fields, name: str, required: bool) -> str | None:
    text = fields.string(name, required=required, allow_null=not required)
    if text is None:
        return None
    month, _, year = text.partition("/")
    ok = month.isascii() and month.isdigit() and 1 <= int(month) <= 12 and year.isascii() and year.isdigit()
    ok = ok and len(month) == 2 and len(year) in (2, 4)
    fields.check(name, ok, "Enter the expiry date as MM/YYYY or MM/YY.")
    if not ok:
        return None
    return f"{month}/{'20' + year if len(year) == 2 else year}"  # stored and answered as MM/YYYY


def _payment_fields(call: Call, fields: Fields, customer: str | None, *, create: bool) -> dict[str, Any]:
    store = call.store
    values: dict[str, Any] = {}
    for name in ("cc_number_ending", "token_id"):
        if create or name in fields.body:
            values[name] = fields.string(name)
    for name in ("cc_holder", "label"):
        if name in fields.body:
            values[name] = fields.string(name, required=False, allow_null=True)
    if "cc_exp_date" in fields.body:
        values["cc_exp_date"] = _exp_date(fields, "cc_exp_date", False)
    if fields.body.get("cc_type") is not None:
        values["cc_type"] = fields.choice("cc_type", CC_TYPES)
    if fields.body.get("payment_method") is not None:
        method = fields.string("payment_method")
        fields.check("payment_method", method in PAYMENT_METHODS, f'"{method}" is not a valid choice.')
        values["payment_method"] = method
    if fields.body.get("billing_address") is not None:
        billing = _reference(fields, store, "addresses", "billing_address", customer)
        values["billing_address"] = billing and billing["public_id"]
    if not create and "live" in fields.body:
        fields.check("live", isinstance(fields.body["live"], bool), "Must be a valid boolean.")
        values["live"] = fields.body["live"]
    return values


def create_payment(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    customer = fields.string("customer")
    call.acting_for(customer)
    if customer is not None:
        fields.check("customer", customer in store.customers, INVALID_PK.format(customer))
    values = _payment_fields(call, fields, customer, create=True)
    fields.done()
    assert customer is not None
    values.setdefault("cc_holder", None)
    values.setdefault("cc_exp_date", None)
    values.setdefault("label", None)
    billing = values.pop("billing_address", None)
    record = store.add_payment(customer, billing_address=billing, **values)
    return 200, record


def update_payment(call: Call) -> tuple[int, Any]:
    payment = call.store.payments.get(call.args["payment_id"])
    call.own(payment, None if payment is None else payment["customer"])
    assert payment is not None
    fields = Fields(call.body)
    unknown = [name for name in fields.body if name not in PAYMENT_WRITABLE]
    for name in unknown:
        fields.check(name, False, "This field cannot be changed.")
    values = _payment_fields(call, fields, payment["customer"], create=False)
    fields.done()
    payment.update(values)
    _touch(call.store, payment, field="last_updated")
    return 200, payment


def prepaid_guard(rule: Handler) -> Handler:
    def handler(call: Call) -> tuple[int, Any]:
        _refuse_prepaid_item(call)
        return rule(call)

    return handler


HANDLERS: dict[str, Handler] = {
    "subscriptions.change_email_reminder": change_email_reminder,
    "subscriptions.update": update,
    "subscriptions.create_in_order": create_in_order,
    "subscriptions.create_from_item": create_from_item,
    "subscriptions.retrieve_rotation_ordinal": retrieve_rotation_ordinal,
    "subscriptions.set_rotation_ordinal": set_rotation_ordinal,
    "subscriptions.update_prepaid_context": update_prepaid_context,
    "subscriptions.change_renewal_behavior": change_renewal_behavior,
    "subscriptions.upgrade_to_prepaid": upgrade_to_prepaid,
    "subscriptions.retrieve_component": retrieve_component,
    "subscriptions.update_components": update_components,
    "orders.change_shipping_address": _order_reference("addresses", ORDER_SHIPPING_FIELD, "change_shipping"),
    "orders.change_payment": _order_reference("payments", "payment", "change_payment"),
    "orders.update": update_order,
    "orders.finalize_placement": finalize_placement,
    "items.change_price": change_price,
    "items.create": create_item,
    "items.create_in_order": create_item_in_order,
    "items.update": update_item,
    "items.change_product": change_item_product,
    "customers.create": create_customer,
    "customers.update": update_customer,
    "addresses.create": create_address,
    "addresses.update": update_address,
    "addresses.use_for_all": _use_for_all(
        "addresses", "address_public_id", "shipping_address", "change_shipping", "address"
    ),
    "payments.create": create_payment,
    "payments.update": update_payment,
    "payments.use_for_all": _use_for_all("payments", "payment_id", "payment", "change_payment", "payment"),
}
# change_quantity and delete keep their rules (in _rules.ACTIONS); items of prepaid subscriptions answer 400 first.
PREPAID_GUARDED = ("items.change_quantity", "items.delete")
