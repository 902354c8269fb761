"""The emulator's state: wire-shaped records, a controllable clock, seeded ids and the add_* builders.

Every record is stored exactly as the API shows it (a dict with the reference's fields, datetimes as
``"YYYY-MM-DD HH:MM:SS"``, money as decimal strings), so answering a read is a copy and nothing is
translated twice. Relations live in the fields themselves (an item's ``order`` and ``subscription``).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import random
import re
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

__all__ = ["DATETIME_FORMAT", "Clock", "Record", "Store"]

Record = dict[str, Any]

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
CENT = Decimal("0.01")

STATUS_UNSENT = 1
STATUS_CANCELLED = 4
STATUS_SUCCESS = 5
STATUS_SEND_NOW = 6


# Cached: seeding formats the same few dates for every record, and strftime is most of a record's cost.
@functools.lru_cache(maxsize=4096)
def fmt_datetime(value: dt.datetime) -> str:
    return value.strftime(DATETIME_FORMAT)


@functools.lru_cache(maxsize=4096)
def fmt_date(value: dt.date) -> str:
    return value.strftime(DATE_FORMAT)


def parse_stored_datetime(value: str) -> dt.datetime:
    """Read a datetime the store wrote (or a variant a test put in: a ``T``, a fraction, a date alone)."""
    text = value.strip().replace("T", " ")
    if len(text) == 10:
        return dt.datetime.strptime(text, DATE_FORMAT)
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def money(value: Decimal | str | float | int) -> str:
    return str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


@functools.lru_cache(maxsize=4096)
def next_date(start: dt.date, every: int, every_period: int) -> dt.date:
    """``start`` plus one interval (cached: seeding asks the same few of them for every subscription)."""
    moved: dt.date = start + frequency_delta(every, every_period)
    return moved


def frequency_delta(every: int, every_period: int) -> relativedelta:
    """One interval of a subscription: every x days (1), weeks (2), months (3) or years (4)."""
    if every_period == 1:
        return relativedelta(days=every)
    if every_period == 2:
        return relativedelta(weeks=every)
    if every_period == 3:
        return relativedelta(months=every)
    return relativedelta(years=every)


def frequency_days(every: int, every_period: int) -> int:
    return every * {1: 1, 2: 7, 3: 30, 4: 365}.get(every_period, 30)


class Clock:
    """The emulator's notion of now: frozen until a test moves it, so runs are repeatable."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        start = now if now is not None else dt.datetime.now(dt.timezone.utc)
        self._now = self._naive_utc(start)

    @staticmethod
    def _naive_utc(value: dt.datetime) -> dt.datetime:
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.replace(microsecond=0)

    def now(self) -> dt.datetime:
        """Now, as a naive datetime in UTC (Ordergroove's datetimes carry no zone)."""
        return self._now

    def today(self) -> dt.date:
        return self._now.date()

    def timestamp(self) -> int:
        """Now as unix seconds (what storefront signatures are checked against)."""
        return int(self._now.replace(tzinfo=dt.timezone.utc).timestamp())

    def set(self, now: dt.datetime) -> None:
        self._now = self._naive_utc(now)

    def advance(self, delta: dt.timedelta | float = 0.0, /, **kwargs: float) -> dt.datetime:
        """Move forward by a timedelta, a number of seconds, or timedelta keywords (``days=2``)."""
        step = delta if isinstance(delta, dt.timedelta) else dt.timedelta(seconds=delta)
        self._now = self._now + step + dt.timedelta(**kwargs)
        return self._now

    def __repr__(self) -> str:
        return f"Clock({fmt_datetime(self._now)!r})"


def _ref(value: str | Mapping[str, Any], key: str) -> str:
    return value if isinstance(value, str) else str(value[key])


class Table(dict[str, Record]):
    """A collection of records by id that knows when its ids change: a list answers a page from the same list of
    records until a record is added or removed, instead of copying the whole collection for every page."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Record] | None = None

    def rows(self) -> list[Record]:
        """Every record in insertion order (do not change the list: it is shared until the ids change)."""
        if self._rows is None:
            self._rows = list(self.values())
        return self._rows

    def __setitem__(self, key: str, value: Record) -> None:
        self._rows = None
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._rows = None
        super().__delitem__(key)

    def pop(self, *args: Any) -> Any:
        self._rows = None
        return super().pop(*args)

    def popitem(self) -> tuple[str, Record]:
        self._rows = None
        return super().popitem()

    def clear(self) -> None:
        self._rows = None
        super().clear()

    def setdefault(self, key: str, default: Record) -> Record:
        self._rows = None
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._rows = None
        super().update(*args, **kwargs)


class Store:
    """All records, by resource, in insertion order (the order lists answer in)."""

    def __init__(self, *, seed: int | None, now: dt.datetime | None, merchant: str | None) -> None:
        self.rng = random.Random(seed)
        self.clock = Clock(now)
        self.merchant = merchant if merchant is not None else self.new_id()
        self.tax_rate = Decimal("0")
        self._offer: str | None = None
        self.customers: dict[str, Record] = Table()
        self.products: dict[str, Record] = Table()
        self.addresses: dict[str, Record] = Table()
        self.payments: dict[str, Record] = Table()
        self.subscriptions: dict[str, Record] = Table()
        self.orders: dict[str, Record] = Table()
        self.items: dict[str, Record] = Table()
        # Indexes of the relations the emulator looks up (a customer's orders, an order's items...), so that seeding
        # and reading grow linearly. Each lists ids in insertion order and may hold stale ids (a deleted item):
        # readers check every candidate against the records themselves. The relation fields they index are set
        # when a record is added (or through index_item) and never point elsewhere afterwards.
        self._by_customer: dict[str, dict[str, list[str]]] = {
            "subscriptions": {},
            "orders": {},
            "addresses": {},
            "payments": {},
        }
        self._items_by_order: dict[str, list[str]] = {}
        self._items_by_subscription: dict[str, list[str]] = {}
        self._order_position: dict[str, int] = {}
        self._item_position: dict[str, int] = {}
        self._resorted: set[str] = set()  # subscriptions whose item index is not in insertion order
        self._stamp: tuple[dt.datetime, str] | None = None
        self.cancel_reasons: list[Record] = [{"cancel_reason": code, "application": "msi"} for code in range(1, 11)]
        # The rest of the REST surface (catalog, incentives, entitlements, carts, 1-click tokens).
        self.product_groups: dict[tuple[str, str], Record] = {}  # by (group_type, name)
        self.product_relationships: list[Record] = []
        self.selection_rules: dict[str, list[Record]] = {}  # by product
        self.resource_grants: dict[str, list[Record]] = {}  # by product
        self.resources: dict[str, Record] = {}
        self.offer_profiles: dict[str, Record] = {}
        self.one_time_incentives: dict[str, Record] = {}
        self.entitlements: dict[str, Record] = {}
        self.carts: dict[str, list[Record]] = {}  # by session id
        self.rotation_ordinals: dict[tuple[str, str], Record] = {}  # by (subscription, rotating product)
        self.one_click_tokens: dict[str, tuple[str, str]] = {}  # token -> ("orders" | "subscriptions", id)
        self.components: dict[str, str] = {}  # component public id -> its subscription
        self.experiences: dict[str, str] = {}  # customer -> experiences (JSON text), answered by create only
        self.placements: dict[tuple[str, str], Record] = {}  # (order, idempotency_key) -> finalize result
        # Merchant settings the rules consult (prepaid upgrades, mixing prepaid items with others in one order).
        self.prepaid_enabled = True
        self.mixed_prepaid_orders = True

    # -- small helpers ---------------------------------------------------------------------------------
    def new_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def stamp(self) -> str:
        # Formatted once per clock value: seeding stamps every record, and the clock only moves when told.
        now = self.clock.now()
        if self._stamp is None or self._stamp[0] != now:
            self._stamp = (now, fmt_datetime(now))
        return self._stamp[1]

    def collection(self, name: str) -> dict[str, Record]:
        found: dict[str, Record] = getattr(self, name)
        return found

    def of_customer(self, resource: str, customer_id: str) -> list[Record]:
        """The customer's records of ``resource`` (subscriptions, orders, addresses, payments), in insertion order."""
        records = self.collection(resource)
        found = []
        for record_id in self._by_customer[resource].get(customer_id, ()):
            record = records.get(record_id)
            if record is not None and record["customer"] == customer_id:
                found.append(record)
        return found

    def _index_customer(self, resource: str, record: Record) -> None:
        self._by_customer[resource].setdefault(record["customer"], []).append(record["public_id"])

    def index_item(self, item: Record) -> None:
        """Index an item by its order and subscription (add_item does; a rule that sets an item's subscription
        calls it again, and the subscription's index then keeps the items' insertion order by sorting)."""
        item_id = item["public_id"]
        if item_id not in self._item_position:
            self._item_position[item_id] = len(self._item_position)
            self._items_by_order.setdefault(item["order"], []).append(item_id)
        elif item["subscription"]:
            self._resorted.add(item["subscription"])
        if item["subscription"]:
            self._items_by_subscription.setdefault(item["subscription"], []).append(item_id)

    def _indexed_items(self, index: dict[str, list[str]], field: str, value: str) -> list[Record]:
        items = self.items
        found = [
            item
            for item_id in index.get(value, ())
            if (item := items.get(item_id)) is not None and item[field] == value
        ]
        if field == "subscription" and value in self._resorted:
            # An item indexed again comes later in the list: back to the items' insertion order, as a scan gives.
            unique = {item["public_id"]: item for item in found}
            return sorted(unique.values(), key=lambda item: self._item_position[item["public_id"]])
        return found

    def items_of_order(self, order_id: str) -> list[Record]:
        return self._indexed_items(self._items_by_order, "order", order_id)

    def items_of_subscription(self, subscription_id: str) -> list[Record]:
        return self._indexed_items(self._items_by_subscription, "subscription", subscription_id)

    def subscriptions_of_order(self, order_id: str) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.items_of_order(order_id):
            if item["subscription"]:
                seen.setdefault(item["subscription"], None)
        return list(seen)

    def orders_of_subscription(self, subscription_id: str) -> Iterator[Record]:
        order_ids = {item["order"] for item in self.items_of_subscription(subscription_id)}
        found = [self.orders[order_id] for order_id in order_ids if order_id in self.orders]
        found.sort(key=lambda order: self._order_position[order["public_id"]])
        return iter(found)

    def upcoming_order(self, subscription_id: str) -> Record | None:
        """The subscription's next unsent order: status 1, earliest ``place``."""
        unsent = [o for o in self.orders_of_subscription(subscription_id) if o["status"] == STATUS_UNSENT]
        return min(unsent, key=lambda o: parse_stored_datetime(o["place"]), default=None)

    def recompute_order(self, order: Record) -> None:
        """Totals follow the items: sub_total is their sum; tax by the store's rate; total adds it up."""
        sub_total = sum((Decimal(item["total_price"]) for item in self.items_of_order(order["public_id"])), Decimal())
        tax = (sub_total * self.tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        total = sub_total + tax + Decimal(order["shipping_total"]) - Decimal(order["discount_total"])
        order["sub_total"] = money(sub_total)
        order["tax_total"] = money(tax)
        order["total"] = money(max(total, Decimal()))

    def price_item(self, item: Record) -> None:
        item["total_price"] = money(Decimal(item["price"]) * item["quantity"] + Decimal(item["extra_cost"]))

    # -- builders ----------------------------------------------------------------------------------------
    def add_customer(self, merchant_user_id: str | None = None, **fields: Any) -> Record:
        customer_id = merchant_user_id if merchant_user_id is not None else f"customer-{self.new_id()[:8]}"
        if customer_id in self.customers:
            raise ValueError(f"customer {customer_id!r} already exists")
        now = self.stamp()
        record: Record = {
            "merchant": self.merchant,
            "merchant_user_id": customer_id,
            "first_name": "Test",
            "last_name": "Customer",
            "email": f"{customer_id}@example.com",
            "phone_number": None,
            "phone_type": None,
            "live": True,
            "created": now,
            "last_updated": now,
            "last_login": None,
            "extra_data": {},
            "locale": "en-us",
            "price_code": None,
            "session_id": None,
            "user_token_id": None,
        }
        record.update(fields)
        self.customers[customer_id] = record
        return record

    def add_product(self, external_product_id: str | None = None, **fields: Any) -> Record:
        product_id = external_product_id if external_product_id is not None else f"product-{self.new_id()[:8]}"
        if product_id in self.products:
            raise ValueError(f"product {product_id!r} already exists")
        if "price" in fields and fields["price"] is not None:
            fields["price"] = money(fields["price"])
        now = self.stamp()
        record: Record = {
            "external_product_id": product_id,
            "merchant": self.merchant,
            "name": f"Product {product_id}",
            "sku": product_id,
            "price": "10.00",
            "image_url": f"https://shop.example.com/img/{product_id}.png",
            "detail_url": f"https://shop.example.com/p/{product_id}",
            "autoship_enabled": True,
            "autoship_by_default": False,
            "prepaid_eligible": False,
            "live": True,
            "discontinued": False,
            "premier_enabled": 0,
            "product_type": "standard",
            "every": None,
            "every_period": None,
            "offer_profile": None,
            "incentive_group": None,
            "groups": [],
            "created": now,
            "last_update": now,
            "extra_data": {},
        }
        record.update(fields)
        self.products[product_id] = record
        return record

    def ensure_customer(self, customer: str | Mapping[str, Any]) -> Record:
        customer_id = _ref(customer, "merchant_user_id")
        return self.customers.get(customer_id) or self.add_customer(customer_id)

    def ensure_product(self, product: str | Mapping[str, Any]) -> Record:
        product_id = _ref(product, "external_product_id")
        return self.products.get(product_id) or self.add_product(product_id)

    def add_address(self, customer: str | Mapping[str, Any], **fields: Any) -> Record:
        owner = self.ensure_customer(customer)
        now = self.stamp()
        record: Record = {
            "public_id": self.new_id(),
            "customer": owner["merchant_user_id"],
            "label": "Home",
            "first_name": owner["first_name"],
            "last_name": owner["last_name"],
            "company_name": None,
            "address": "1 Main Street",
            "address2": None,
            "city": "Springfield",
            "state_province_code": "NY",
            "zip_postal_code": "10001",
            "phone": owner["phone_number"],
            "fax": None,
            "country_code": "US",
            "live": True,
            "created": now,
            "updated": now,
            "token_id": None,
            "store_public_id": None,
        }
        record.update(fields)
        self.addresses[record["public_id"]] = record
        self._index_customer("addresses", record)
        return record

    def add_payment(
        self,
        customer: str | Mapping[str, Any],
        *,
        billing_address: str | Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Record:
        owner = self.ensure_customer(customer)
        if billing_address is None:
            billing = self.default_address(owner["merchant_user_id"])
        else:
            billing = self.addresses[_ref(billing_address, "public_id")]
        now = self.stamp()
        record: Record = {
            "public_id": self.new_id(),
            "customer": owner["merchant_user_id"],
            "billing_address": billing["public_id"],
            "label": "Visa ending in 4242",
            "token_id": f"tok_{self.new_id()[:16]}",
            "cc_holder": f"{owner['first_name']} {owner['last_name']}",
            "cc_type": 1,
            "cc_number_ending": "4242",
            "cc_exp_date": f"12/{self.clock.today().year + 3}",
            "payment_method": "credit card",
            "live": True,
            "created": now,
            "last_updated": now,
        }
        record.update(fields)
        self.payments[record["public_id"]] = record
        self._index_customer("payments", record)
        return record

    def default_address(self, customer_id: str) -> Record:
        for address in self.of_customer("addresses", customer_id):
            return address
        return self.add_address(customer_id)

    def default_payment(self, customer_id: str) -> Record:
        for payment in self.of_customer("payments", customer_id):
            return payment
        return self.add_payment(customer_id)

    def add_order(
        self,
        customer: str | Mapping[str, Any],
        *,
        status: int = STATUS_UNSENT,
        place: dt.datetime | dt.date | str | None = None,
        payment: str | Mapping[str, Any] | None = None,
        shipping_address: str | Mapping[str, Any] | None = None,
        locked: bool = False,
        **fields: Any,
    ) -> Record:
        owner = self.ensure_customer(customer)
        customer_id = owner["merchant_user_id"]
        pay = self.payments[_ref(payment, "public_id")] if payment is not None else self.default_payment(customer_id)
        ship = (
            self.addresses[_ref(shipping_address, "public_id")]
            if shipping_address is not None
            else self.default_address(customer_id)
        )
        now = self.stamp()
        for key in ("sub_total", "tax_total", "shipping_total", "discount_total", "total"):
            if key in fields and fields[key] is not None:
                fields[key] = money(fields[key])
        record: Record = {
            "public_id": self.new_id(),
            "merchant": self.merchant,
            "customer": customer_id,
            "payment": pay["public_id"],
            "shipping_address": ship["public_id"],
            "currency_code": "USD",
            "sub_total": "0.00",
            "tax_total": "0.00",
            "shipping_total": "0.00",
            "discount_total": "0.00",
            "total": "0.00",
            "created": now,
            "updated": now,
            "place": self.place_text(place if place is not None else self.clock.now() + dt.timedelta(days=30)),
            "cancelled": now if status == STATUS_CANCELLED else None,
            "tries": 1 if status == STATUS_SUCCESS else 0,
            "generic_error_count": 0,
            "status": status,
            "type": 1,
            "order_merchant_id": None,
            "rejected_message": None,
            "extra_data": None,
            "locked": locked,
            "oos_free_shipping": False,
        }
        record.update(fields)
        self.orders[record["public_id"]] = record
        self._order_position.setdefault(record["public_id"], len(self._order_position))
        self._index_customer("orders", record)
        return record

    def place_text(self, value: dt.datetime | dt.date | str) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dt.datetime):
            return fmt_datetime(value)
        return fmt_datetime(dt.datetime.combine(value, dt.time()))

    def add_item(
        self,
        order: str | Mapping[str, Any],
        *,
        product: str | Mapping[str, Any],
        subscription: str | Mapping[str, Any] | None = None,
        quantity: int = 1,
        price: Decimal | str | float | None = None,
        **fields: Any,
    ) -> Record:
        order_record = self.orders[_ref(order, "public_id")]
        product_record = self.ensure_product(product)
        sub = self.subscriptions[_ref(subscription, "public_id")] if subscription is not None else None
        if price is None:
            price = sub["price"] if sub is not None and sub["price"] is not None else product_record["price"]
        record: Record = {
            "public_id": self.new_id(),
            "order": order_record["public_id"],
            "subscription": sub["public_id"] if sub is not None else None,
            "offer": sub["offer"] if sub is not None else None,
            "product": product_record["external_product_id"],
            "quantity": quantity,
            "price": money(price),
            "extra_cost": "0.00",
            "total_price": "0.00",
            "one_time": sub is None,
            "frozen": False,
            "product_attribute": None,
            "subscription_component": None,
            "order_updated": None,
            "first_placed": order_record["place"] if order_record["status"] == STATUS_SUCCESS else None,
        }
        record.update(fields)
        if "extra_cost" in fields:
            record["extra_cost"] = money(record["extra_cost"])
        self.price_item(record)
        self.items[record["public_id"]] = record
        self.index_item(record)
        self.recompute_order(order_record)
        return record

    def add_subscription(
        self,
        customer: str | Mapping[str, Any],
        product: str | Mapping[str, Any],
        *,
        quantity: int = 1,
        every: int = 1,
        every_period: int = 3,
        live: bool = True,
        prepaid: bool | Mapping[str, Any] = False,
        start_date: dt.date | None = None,
        next_order_date: dt.date | dt.datetime | None = None,
        create_order: bool = True,
        payment: str | Mapping[str, Any] | None = None,
        shipping_address: str | Mapping[str, Any] | None = None,
        cancel_reason: str | None = None,
        **fields: Any,
    ) -> Record:
        owner = self.ensure_customer(customer)
        customer_id = owner["merchant_user_id"]
        product_record = self.ensure_product(product)
        pay = self.payments[_ref(payment, "public_id")] if payment is not None else self.default_payment(customer_id)
        ship = (
            self.addresses[_ref(shipping_address, "public_id")]
            if shipping_address is not None
            else self.default_address(customer_id)
        )
        now = self.stamp()
        start = start_date if start_date is not None else self.clock.today()
        record: Record = {
            "public_id": self.new_id(),
            "customer": customer_id,
            "merchant": self.merchant,
            "product": product_record["external_product_id"],
            "payment": pay["public_id"],
            "shipping_address": ship["public_id"],
            "offer": self.offer_id,
            "subscription_type": "replenishment",
            "components": [],
            "extra_data": {},
            "product_attribute": None,
            "quantity": quantity,
            "price": None,
            "frequency_days": frequency_days(every, every_period),
            "reminder_days": 5,
            "every": every,
            "every_period": every_period,
            "start_date": fmt_date(start),
            "cancelled": None if live else now,
            "cancel_reason": None if live else cancel_reason,
            "cancel_reason_code": None if live else reason_code(cancel_reason),
            "currency_code": "USD",
            "iteration": 1,
            "sequence": None,
            "session_id": None,
            "merchant_order_id": None,
            "customer_rep": None,
            "club": None,
            "created": now,
            "updated": now,
            "live": live,
        }
        if prepaid:
            context: Record = {
                "prepaid_orders_remaining": 2,
                "prepaid_orders_per_billing": 3,
                "renewal_behavior": "autorenew",
                "last_renewal_revenue": money(Decimal(product_record["price"]) * quantity * 3),
                "prepaid_origin_merchant_order_id": f"M-{self.new_id()[:10].upper()}",
            }
            if isinstance(prepaid, Mapping):
                context.update(prepaid)
            record["prepaid_subscription_context"] = context
        record.update(fields)
        self.subscriptions[record["public_id"]] = record
        self._index_customer("subscriptions", record)
        if live and create_order:
            if next_order_date is None:
                place: dt.date | dt.datetime = next_date(start, every, every_period)
            else:
                place = next_order_date
            self.schedule(record, place)
        return record

    @property
    def offer_id(self) -> str:
        # One merchant offer; generated lazily so that stores without subscriptions use no randomness for it.
        if self._offer is None:
            self._offer = self.new_id()
        return self._offer

    def schedule(self, subscription: Record, place: dt.date | dt.datetime | str) -> Record:
        """Put the subscription into an unsent order at ``place``.

        Like Ordergroove, a customer's subscriptions due the same day to the same address with the same
        payment ship together: the item joins such an order when there is one.
        """
        place_text = self.place_text(place)
        day = place_text[:10]
        for order in self.of_customer("orders", subscription["customer"]):
            if (
                order["status"] == STATUS_UNSENT
                and order["place"][:10] == day
                and order["payment"] == subscription["payment"]
                and order["shipping_address"] == subscription["shipping_address"]
                and not order["locked"]
            ):
                target = order
                break
        else:
            target = self.add_order(
                subscription["customer"],
                place=place_text,
                payment=subscription["payment"],
                shipping_address=subscription["shipping_address"],
            )
        self.add_item(
            target,
            product=subscription["product"],
            subscription=subscription,
            quantity=subscription["quantity"],
        )
        target["updated"] = self.stamp()
        return target

    def snapshot(self, record: Mapping[str, Any]) -> Record:
        return copy.deepcopy(dict(record))


# ASCII digits only: str.isdigit() and int() also take "²" or "٣" (and int() then fails on "²"). Digits are
# capped below int()'s 4,300-digit limit, which would raise too.
_ASCII_INT = re.compile(r"\s*(-?[0-9]{1,4000})\s*", re.ASCII)


def ascii_int(text: str, *, signed: bool = False) -> int | None:
    """The integer written in ``text`` in ASCII digits (spaces around allowed; ``-`` when ``signed``), or None."""
    found = _ASCII_INT.fullmatch(text)
    if found is None or (not signed and found.group(1).startswith("-")):
        return None
    return int(found.group(1))


_MAX_AMOUNT = Decimal(10) ** 20
_ASCII_DECIMAL = re.compile(r"\s*[-+]?(?:[0-9]{1,20}(?:\.[0-9]*)?|\.[0-9]+)\s*", re.ASCII)


def ascii_decimal(value: object) -> Decimal | None:
    """An amount sent as a JSON number or as text in ASCII digits (no exponent, not NaN or infinite), or None.

    Decimal() alone reads "٣", "NaN" and "1e999999", which then fail, or mislead, once stored as money.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # the shortest text of the float, as json.dumps writes it
    elif isinstance(value, str) and _ASCII_DECIMAL.fullmatch(value) is not None:
        amount = Decimal(value.strip())
    else:
        return None
    # Up to 20 digits before the point: money() quantizes to cents within the default 28-digit precision.
    return amount if amount.is_finite() and abs(amount) < _MAX_AMOUNT else None


def reason_code(cancel_reason: str | None) -> int | None:
    """The ``4`` of ``"4|Overstocked"``."""
    if not cancel_reason:
        return None
    return ascii_int(cancel_reason.split("|", 1)[0])
