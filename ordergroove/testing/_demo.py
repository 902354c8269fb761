"""The demo data set: a small coffee-and-pantry store, seeded so that it is identical on every run.

40 customers (``cust_0001`` … ``cust_0040``), 10 products, about 80 subscriptions (active, canceled with
a reason, prepaid), their past orders (mostly success with totals, some rejected or cancelled, one
send-now) and their upcoming unsent orders. ``cust_0001`` always has two active subscriptions sharing an
upcoming order, one canceled subscription and a few successful orders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ordergroove.testing._store import (
    STATUS_SEND_NOW,
    STATUS_SUCCESS,
    STATUS_UNSENT,
    Record,
    Store,
    fmt_datetime,
    frequency_delta,
)

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["build_demo"]

PRODUCTS = (
    ("COFFEE-HOUSE-12OZ", "House Blend Coffee, 12 oz", "14.99", 2, 2),
    ("COFFEE-DECAF-12OZ", "Decaf Coffee, 12 oz", "15.99", 2, 2),
    ("TEA-GREEN-50", "Green Tea, 50 bags", "9.49", 1, 3),
    ("OAT-MILK-6PK", "Oat Milk, 6 pack", "21.00", 2, 2),
    ("FILTERS-100", "Paper Filters, 100 count", "5.99", 2, 3),
    ("GRANOLA-1KG", "Honey Granola, 1 kg", "12.50", 1, 3),
    ("VITAMIN-D-90", "Vitamin D3, 90 softgels", "18.75", 3, 3),
    ("DOG-FOOD-15LB", "Dog Food, 15 lb", "42.00", 4, 2),
    ("RAZOR-BLADES-8", "Razor Blades, 8 pack", "24.99", 2, 3),
    ("SPARKLING-24", "Sparkling Water, 24 cans", "11.99", 2, 2),
)
FIRST = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas", "Kira", "Liam", "Maya")
LAST = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Garcia", "Novak", "Smith", "Rossi", "Kowalski", "Haddad")
CITIES = (("Austin", "TX", "78701"), ("Portland", "OR", "97205"), ("Boston", "MA", "02108"), ("Denver", "CO", "80202"))
REASONS = ("1|Customer request", "4|Overstocked", "6|Quality issues", "3|Payment issues", "10|Moving abroad")


def build_demo(fake: FakeOrdergroove) -> FakeOrdergroove:
    store = fake._store
    store.tax_rate = Decimal("0.0825")
    now = store.clock.now()
    rng = store.rng
    for sku, name, price, every, every_period in PRODUCTS:
        store.add_product(
            sku,
            name=name,
            price=price,
            every=every,
            every_period=every_period,
            prepaid_eligible=sku.startswith(("COFFEE", "VITAMIN")),
            created=fmt_datetime(now - dt.timedelta(days=900)),
            last_update=fmt_datetime(now - dt.timedelta(days=30)),
            groups=[{"group_type": "category", "name": sku.split("-")[0].lower()}],
        )
    skus = [p[0] for p in PRODUCTS]
    for number in range(1, 41):
        customer_id = f"cust_{number:04d}"
        first, last = FIRST[number % len(FIRST)], LAST[(number * 7) % len(LAST)]
        joined = now - dt.timedelta(days=rng.randint(120, 700), hours=rng.randint(0, 23))
        store.add_customer(
            customer_id,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}{number}@example.com",
            phone_number=f"+1512555{number:04d}",
            phone_type=2,
            created=fmt_datetime(joined),
            last_updated=fmt_datetime(joined + dt.timedelta(days=10)),
            last_login=fmt_datetime(now - dt.timedelta(days=rng.randint(0, 60))),
        )
        city, state, zip_code = CITIES[number % len(CITIES)]
        address = store.add_address(
            customer_id,
            address=f"{rng.randint(10, 999)} {rng.choice(('Oak', 'Elm', 'Pine', 'Maple'))} Street",
            city=city,
            state_province_code=state,
            zip_postal_code=zip_code,
            created=fmt_datetime(joined),
            updated=fmt_datetime(joined),
        )
        store.add_payment(
            customer_id,
            billing_address=address,
            cc_number_ending=f"{rng.randint(1000, 9999)}",
            created=fmt_datetime(joined),
            last_updated=fmt_datetime(joined),
        )
        if number == 1:
            plan = [("COFFEE-HOUSE-12OZ", "active"), ("FILTERS-100", "active"), ("GRANOLA-1KG", "canceled")]
        else:
            count = rng.choice((1, 1, 2, 2, 2, 3))
            plan = []
            for sku in rng.sample(skus, count):
                roll = rng.random()
                eligible = store.products[sku]["prepaid_eligible"]
                kind = "canceled" if roll < 0.22 else "prepaid" if roll < 0.45 and eligible else "active"
                plan.append((sku, kind))
        for sku, kind in plan:
            _subscribe(store, customer_id, sku, kind, joined, same_day=number == 1)
    # One order already asked to go out now.
    for order in store.orders.values():
        if order["status"] == STATUS_UNSENT and order["customer"] == "cust_0007":
            order["status"] = STATUS_SEND_NOW
            break
    store.cancel_reasons.append({"cancel_reason": 12, "application": "msi"})
    return fake


def _subscribe(store: Store, customer_id: str, sku: str, kind: str, joined: dt.datetime, *, same_day: bool) -> None:
    rng = store.rng
    now = store.clock.now()
    product = store.products[sku]
    every, every_period = product["every"], product["every_period"]
    step = frequency_delta(every, every_period)
    start = (joined + dt.timedelta(days=rng.randint(0, 30))).replace(hour=0, minute=0, second=0)
    if same_day:
        start = dt.datetime(now.year, now.month, now.day) - dt.timedelta(days=120)
        every, every_period, step = 1, 3, frequency_delta(1, 3)
    live = kind != "canceled"
    sub = store.add_subscription(
        customer_id,
        sku,
        quantity=rng.choice((1, 1, 1, 2, 3)),
        every=every,
        every_period=every_period,
        live=live,
        prepaid=kind == "prepaid",
        start_date=start.date(),
        create_order=False,
        created=fmt_datetime(start),
        updated=fmt_datetime(start),
    )
    # Past orders, one per interval from the start, until today (a canceled one stops early).
    place = start + step
    stop = now if live else start + step * rng.randint(1, 4)
    while place < now and place <= stop:
        roll = rng.random()
        status = 3 if roll < 0.05 else 4 if roll < 0.1 else STATUS_SUCCESS
        order: Record = store.add_order(
            customer_id,
            status=status,
            place=place.replace(hour=6),
            created=fmt_datetime(place - dt.timedelta(days=rng.randint(20, 28))),
            updated=fmt_datetime(place.replace(hour=6, minute=rng.randint(1, 40))),
            shipping_total="0.00" if sub["quantity"] > 1 else "4.99",
            order_merchant_id=f"SO-{rng.randint(100000, 999999)}" if status == STATUS_SUCCESS else None,
            rejected_message='{"code": "card_declined"}' if status == 3 else None,
        )
        store.add_item(order, product=sku, subscription=sub, quantity=sub["quantity"])
        place += step
    if not live:
        last = max(start, place - step)
        sub["cancelled"] = fmt_datetime(min(now - dt.timedelta(days=1), last + dt.timedelta(days=rng.randint(1, 9))))
        sub["cancel_reason"] = reason = rng.choice(REASONS)
        sub["cancel_reason_code"] = int(reason.split("|", 1)[0])
        sub["updated"] = sub["cancelled"]
        return
    upcoming = place if place > now else place + step
    store.schedule(sub, upcoming.replace(hour=6))
