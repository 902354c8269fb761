"""Ordergroove's business rules over the store: validation (Django REST style errors) and the actions.

Each action takes the store, the record's id and the parsed JSON body, and either changes the state and
returns ``(status, payload)`` or raises :class:`ApiError` without having changed anything: every check
runs before the first write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NoReturn

from ordergroove.testing._store import (
    STATUS_CANCELLED,
    STATUS_SEND_NOW,
    STATUS_UNSENT,
    Record,
    Store,
    ascii_decimal,
    fmt_date,
    fmt_datetime,
    frequency_days,
    frequency_delta,
    money,
    parse_stored_datetime,
    reason_code,
)

__all__ = ["ACTIONS", "ApiError", "not_found"]

NOT_FOUND = "Unable to find requested asset."
NOT_EDITABLE = "This subscription is not in a state which it can edited"
ORDER_NOT_EDITABLE = "This order is not in a state which it can edited"
LOCKED = "Resource is currently in use. Please try again shortly."
REQUIRED = "This field is required."
INVALID_INT = "A valid integer is required."
# Ordergroove's integer columns are 32-bit: Django REST framework caps the fields at this (and a larger
# quantity would overflow the emulator's pricing, which quantizes to cents in 28 digits).
INT_MAX = 2**31 - 1
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ApiError(Exception):
    """An error answer: the status and the JSON body Ordergroove sends."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = dict(body)


def not_found() -> NoReturn:
    raise ApiError(404, {"detail": NOT_FOUND})


def detail(message: str, status: int = 400) -> NoReturn:
    raise ApiError(status, {"detail": message})


def locked() -> NoReturn:
    # Ordergroove spells this one ``details``.
    raise ApiError(423, {"details": LOCKED})


class Fields:
    """Reads a request body the way a DRF serializer does, collecting every field's errors at once."""

    def __init__(self, body: Any) -> None:
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise ApiError(
                400, {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type(body).__name__}."]}
            )
        self.body: dict[str, Any] = body
        self.errors: dict[str, list[str]] = {}

    def _fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def _raw(self, name: str, required: bool, allow_null: bool) -> tuple[bool, Any]:
        if name not in self.body:
            if required:
                self._fail(name, REQUIRED)
            return False, None
        value = self.body[name]
        if value is None and not allow_null:
            self._fail(name, "This field may not be null.")
            return False, None
        return True, value

    def integer(
        self, name: str, *, required: bool = True, min_value: int | None = None, max_value: int = INT_MAX
    ) -> int | None:
        present, value = self._raw(name, required, False)
        if not present:
            return None
        parsed: int | None = None
        if isinstance(value, bool):
            parsed = None
        elif isinstance(value, int):
            parsed = value
        elif isinstance(value, float) and value.is_integer():
            parsed = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]+(\.0*)?\s*", value, re.ASCII):
            parsed = int(Decimal(value.strip()))
        if parsed is None:
            self._fail(name, INVALID_INT)
            return None
        if min_value is not None and parsed < min_value:
            self._fail(name, f"Ensure this value is greater than or equal to {min_value}.")
            return None
        if parsed > max_value:
            self._fail(name, f"Ensure this value is less than or equal to {max_value}.")
            return None
        return parsed

    def choice(self, name: str, choices: tuple[int, ...], *, required: bool = True) -> int | None:
        present, value = self._raw(name, required, False)
        if not present:
            return None
        for choice in choices:
            if not isinstance(value, bool) and str(value) == str(choice):
                return choice
        self._fail(name, f'"{value}" is not a valid choice.')
        return None

    def string(self, name: str, *, required: bool = True, allow_null: bool = False) -> str | None:
        present, value = self._raw(name, required, allow_null)
        if not present or value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self._fail(name, "Not a valid string.")
            return None
        text = str(value)
        if required and not text.strip():
            self._fail(name, "This field may not be blank.")
            return None
        return text

    def email(self, name: str) -> str | None:
        text = self.string(name)
        if text is not None and not EMAIL_RE.match(text):
            self._fail(name, "Enter a valid email address.")
            return None
        return text

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        present, value = self._raw(name, required, False)
        if not present:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self._fail(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
            return None

    def datetime(self, name: str, *, required: bool = True) -> dt.datetime | None:
        present, value = self._raw(name, required, False)
        if not present:
            return None
        try:
            if not isinstance(value, str) or len(value) < 10:
                raise ValueError(value)
            return parse_stored_datetime(value)
        except ValueError:
            self._fail(
                name,
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
            )
            return None

    def check(self, name: str, ok: bool, message: str) -> None:
        if not ok and name not in self.errors:
            self._fail(name, message)

    def done(self) -> None:
        if self.errors:
            raise ApiError(400, self.errors)


# -- helpers over the store -------------------------------------------------------------------------------
def _subscription(store: Store, subscription_id: str) -> Record:
    return store.subscriptions.get(subscription_id) or not_found()


def _order(store: Store, order_id: str) -> Record:
    return store.orders.get(order_id) or not_found()


def _unsent_orders(store: Store, subscription_id: str) -> list[Record]:
    return [o for o in store.orders_of_subscription(subscription_id) if o["status"] == STATUS_UNSENT]


def _require_live(subscription: Record) -> None:
    if not subscription["live"]:
        detail(NOT_EDITABLE)


def _require_unlocked(*orders: Record) -> None:
    if any(order["locked"] for order in orders):
        locked()


def _is_prepaid(subscription: Record) -> bool:
    return bool(subscription.get("prepaid_subscription_context"))


def _touch(store: Store, *records: Record, field: str = "updated") -> None:
    now = store.stamp()
    for record in records:
        record[field] = now


def _remove_subscription_items(store: Store, order: Record, subscription_id: str) -> None:
    """Take a subscription out of an order; an order left with nothing in it is cancelled."""
    for item in store.items_of_order(order["public_id"]):
        if item["subscription"] == subscription_id:
            del store.items[item["public_id"]]
    store.recompute_order(order)
    _touch(store, order)
    if not store.items_of_order(order["public_id"]):
        order["status"] = STATUS_CANCELLED
        order["cancelled"] = store.stamp()


def _skip_in_order(store: Store, order: Record, subscription: Record) -> None:
    """Remove the subscription from the order and generate its next order one frequency later."""
    _remove_subscription_items(store, order, subscription["public_id"])
    if subscription["live"]:
        place = parse_stored_datetime(order["place"]) + frequency_delta(
            subscription["every"], subscription["every_period"]
        )
        store.schedule(subscription, place)


def _future_date(fields: Fields, name: str, value: dt.date | None, today: dt.date) -> None:
    if value is not None:
        fields.check(name, value > today, "Ensure this date is in the future.")


# -- subscription actions ---------------------------------------------------------------------------------
def cancel_subscription(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    reason = fields.string("cancel_reason", required=False, allow_null=True)
    _require_live(sub)
    if _is_prepaid(sub):
        detail("Prepaid subscriptions cannot be cancelled.")
    fields.done()
    unsent = _unsent_orders(store, subscription_id)
    _require_unlocked(*unsent)
    for order in unsent:
        _remove_subscription_items(store, order, subscription_id)
    sub["live"] = False
    sub["cancelled"] = store.stamp()
    sub["cancel_reason"] = reason or None
    sub["cancel_reason_code"] = reason_code(reason)
    _touch(store, sub)
    return 200, sub


def reactivate_subscription(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    if sub["live"]:
        raise ApiError(400, {"subscription": ["This subscription is already in active state"]})
    every = fields.integer("every", min_value=1)
    every_period = fields.choice("every_period", (1, 2, 3, 4))
    start_date = fields.date("start_date")
    next_order_date = fields.date("next_order_date", required=False)
    if next_order_date is not None:
        fields.check("next_order_date", next_order_date >= store.clock.today(), "Ensure this date is not in the past.")
    fields.done()
    assert every is not None and every_period is not None and start_date is not None
    sub.update(
        live=True,
        cancelled=None,
        cancel_reason=None,
        cancel_reason_code=None,
        every=every,
        every_period=every_period,
        frequency_days=frequency_days(every, every_period),
        start_date=fmt_date(start_date),
    )
    _touch(store, sub)
    store.schedule(sub, next_order_date or start_date)
    return 200, sub


def change_quantity(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    quantity = fields.integer("quantity", min_value=1)
    _require_live(sub)
    if _is_prepaid(sub):
        detail("The quantity of a prepaid subscription cannot be changed.")
    fields.done()
    assert quantity is not None
    unsent = _unsent_orders(store, subscription_id)
    _require_unlocked(*unsent)
    sub["quantity"] = quantity
    _touch(store, sub)
    for order in unsent:
        for item in store.items_of_order(order["public_id"]):
            if item["subscription"] == subscription_id:
                item["quantity"] = quantity
                store.price_item(item)
        store.recompute_order(order)
        _touch(store, order)
    return 200, sub


def change_frequency(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    every = fields.integer("every", min_value=1)
    every_period = fields.choice("every_period", (1, 2, 3, 4))
    _require_live(sub)
    fields.done()
    assert every is not None and every_period is not None
    sub.update(every=every, every_period=every_period, frequency_days=frequency_days(every, every_period))
    _touch(store, sub)
    return 200, sub


def change_next_order_date(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    order_date = fields.date("order_date")
    _future_date(fields, "order_date", order_date, store.clock.today())
    _require_live(sub)
    fields.done()
    assert order_date is not None
    order = store.upcoming_order(subscription_id)
    if order is None:
        detail("This subscription has no upcoming order.")
    _require_unlocked(order)
    time_of_day = parse_stored_datetime(order["place"]).time()
    new_place = dt.datetime.combine(order_date, time_of_day)
    if store.subscriptions_of_order(order["public_id"]) == [subscription_id]:
        order["place"] = fmt_datetime(new_place)
        _touch(store, order)
    else:
        # The order also ships other subscriptions: only this one moves, into an order of its own.
        _remove_subscription_items(store, order, subscription_id)
        store.schedule(sub, new_place)
    _touch(store, sub)
    return 200, sub


def _change_reference(
    collection: str, field: str, customer_scoped: bool
) -> Callable[[Store, str, Any], tuple[int, Any]]:
    def action(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
        sub = _subscription(store, subscription_id)
        fields = Fields(body)
        value = fields.string(field)
        if value is not None:
            target = store.collection(collection).get(value)
            ok = target is not None and (not customer_scoped or target.get("customer") == sub["customer"])
            fields.check(field, ok, f'Invalid pk "{value}" - object does not exist.')
        _require_live(sub)
        fields.done()
        sub[field] = value
        _touch(store, sub)
        return 200, sub

    return action


def change_product(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    value = fields.string("product")
    if value is not None:
        fields.check("product", value in store.products, f'Invalid pk "{value}" - object does not exist.')
    _require_live(sub)
    fields.done()
    assert value is not None
    unsent = _unsent_orders(store, subscription_id)
    _require_unlocked(*unsent)
    sub["product"] = value
    _touch(store, sub)
    product = store.products[value]
    for order in unsent:
        for item in store.items_of_order(order["public_id"]):
            if item["subscription"] == subscription_id:
                item["product"] = value
                item["price"] = sub["price"] if sub["price"] is not None else product["price"]
                store.price_item(item)
        store.recompute_order(order)
        _touch(store, order)
    return 200, sub


def update_subscription(store: Store, subscription_id: str, body: Any) -> tuple[int, Any]:
    sub = _subscription(store, subscription_id)
    fields = Fields(body)
    changes: dict[str, Any] = {}
    if "extra_data" in fields.body:
        changes["extra_data"] = fields.body["extra_data"]
    if "price" in fields.body:
        price = fields.body["price"]
        amount = None if price is None else ascii_decimal(price)
        if price is None or amount is not None:
            changes["price"] = None if amount is None else money(amount)
        else:
            fields.check("price", False, "A valid number is required.")
    if "components" in fields.body:
        components = fields.body["components"]
        fields.check("components", isinstance(components, list), 'Expected a list of items but got type "dict".')
        changes["components"] = components
    if "offer" in fields.body:
        changes["offer"] = fields.string("offer", allow_null=True)
    fields.done()
    sub.update(changes)
    _touch(store, sub)
    return 200, sub


# -- order actions ------------------------------------------------------------------------------------------
def _editable_order(store: Store, order_id: str) -> Record:
    order = _order(store, order_id)
    _require_unlocked(order)
    if order["status"] != STATUS_UNSENT:
        detail(ORDER_NOT_EDITABLE)
    return order


def skip_subscription(store: Store, order_id: str, body: Any) -> tuple[int, Any]:
    order = _editable_order(store, order_id)
    fields = Fields(body)
    subscription_id = fields.string("subscription")
    if subscription_id is not None:
        fields.check(
            "subscription",
            subscription_id in store.subscriptions_of_order(order_id),
            "This subscription is not part of this order.",
        )
    fields.done()
    assert subscription_id is not None
    _skip_in_order(store, order, store.subscriptions[subscription_id])
    return 200, order


def cancel_order(store: Store, order_id: str, body: Any) -> tuple[int, Any]:
    order = _editable_order(store, order_id)
    for subscription_id in store.subscriptions_of_order(order_id):
        _skip_in_order(store, order, store.subscriptions[subscription_id])
    order["status"] = STATUS_CANCELLED
    order["cancelled"] = store.stamp()
    _touch(store, order)
    return 200, order


def send_now(store: Store, order_id: str, body: Any) -> tuple[int, Any]:
    order = _editable_order(store, order_id)
    order["status"] = STATUS_SEND_NOW
    _touch(store, order)
    return 200, order


def change_place_date(store: Store, order_id: str, body: Any) -> tuple[int, Any]:
    order = _editable_order(store, order_id)
    fields = Fields(body)
    place = fields.datetime("place")
    if place is not None:
        fields.check("place", place.date() > store.clock.today(), "Ensure this date is in the future.")
    fields.done()
    assert place is not None
    order["place"] = fmt_datetime(place)
    _touch(store, order)
    return 200, order


# items.delete: "no response body documented; status (200 or 204) unconfirmed" (reference): 204, no body.
ITEM_DELETE_STATUS = 204


# -- item actions -------------------------------------------------------------------------------------------
def change_item_quantity(store: Store, item_id: str, body: Any) -> tuple[int, Any]:
    item = store.items.get(item_id) or not_found()
    order = _editable_order(store, item["order"])
    fields = Fields(body)
    quantity = fields.integer("quantity", min_value=1)
    fields.done()
    assert quantity is not None
    item["quantity"] = quantity
    store.price_item(item)
    item["order_updated"] = store.stamp()
    store.recompute_order(order)
    _touch(store, order)
    return 200, item


def delete_item(store: Store, item_id: str, body: Any) -> tuple[int, Any]:
    item = store.items.get(item_id) or not_found()
    order = _editable_order(store, item["order"])
    del store.items[item_id]
    store.recompute_order(order)
    _touch(store, order)
    if not store.items_of_order(order["public_id"]):
        order["status"] = STATUS_CANCELLED
        order["cancelled"] = store.stamp()
    return ITEM_DELETE_STATUS, None


# -- customer actions -----------------------------------------------------------------------------------
def set_contact_details(store: Store, customer_id: str, body: Any) -> tuple[int, Any]:
    customer = store.customers.get(customer_id) or not_found()
    fields = Fields(body)
    email = fields.email("email")
    phone_number = fields.string("phone_number")
    fields.done()
    customer["email"] = email
    customer["phone_number"] = phone_number
    _touch(store, customer, field="last_updated")
    return 200, {
        "email": customer["email"],
        "phone_number": customer["phone_number"],
        "extra_data": customer["extra_data"],
    }


CUSTOMER_WRITABLE = ("first_name", "last_name", "phone_type", "locale", "price_code", "live")


def update_customer(store: Store, customer_id: str, body: Any) -> tuple[int, Any]:
    customer = store.customers.get(customer_id) or not_found()
    fields = Fields(body)
    changes: dict[str, Any] = {}
    if "email" in fields.body:
        changes["email"] = fields.email("email")
    if "phone_number" in fields.body:
        changes["phone_number"] = fields.string("phone_number", required=False, allow_null=True)
    if "extra_data" in fields.body:
        changes["extra_data"] = fields.body["extra_data"]
    for name in CUSTOMER_WRITABLE:
        if name in fields.body:
            changes[name] = fields.body[name]
    fields.done()
    customer.update(changes)
    _touch(store, customer, field="last_updated")
    return 200, customer


Action = Callable[[Store, str, Any], tuple[int, Any]]

# (resource, action name, method) -> rule. Paths are built from these by the HTTP layer.
ACTIONS: dict[tuple[str, str], tuple[str, Action]] = {
    ("subscriptions", "cancel"): ("PATCH", cancel_subscription),
    ("subscriptions", "reactivate"): ("PATCH", reactivate_subscription),
    ("subscriptions", "change_quantity"): ("PATCH", change_quantity),
    ("subscriptions", "change_frequency"): ("PATCH", change_frequency),
    ("subscriptions", "change_next_order_date"): ("PATCH", change_next_order_date),
    ("subscriptions", "change_shipping"): ("PATCH", _change_reference("addresses", "shipping_address", True)),
    ("subscriptions", "change_payment"): ("PATCH", _change_reference("payments", "payment", True)),
    ("subscriptions", "change_product"): ("PATCH", change_product),
    ("subscriptions", "update"): ("PATCH", update_subscription),
    ("orders", "skip_subscription"): ("PATCH", skip_subscription),
    ("orders", "cancel"): ("PATCH", cancel_order),
    ("orders", "send_now"): ("PATCH", send_now),
    ("orders", "change_place_date"): ("PATCH", change_place_date),
    ("items", "change_quantity"): ("PATCH", change_item_quantity),
    ("items", "delete"): ("DELETE", delete_item),
    ("customers", "set_contact_details"): ("PATCH", set_contact_details),
    ("customers", "update"): ("PATCH", update_customer),
}
