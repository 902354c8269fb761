"""Realistic Ordergroove records for the benchmarks: every documented field, varied the way real pages vary.

Seeded, so every run decodes the same bytes. About one subscription in six is canceled, one in eight prepaid,
one in five has a price override, one in ten is a bundle with two components; a few carry a field this version of
the library does not know (kept in ``extra``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

MERCHANT = "0e5de2bedc5e11e3a2e4bc764e106cf4"


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _when(rng: random.Random, start: dt.datetime, days: int) -> str:
    moment = start + dt.timedelta(seconds=rng.randrange(days * 86400))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def subscription(rng: random.Random, index: int) -> dict[str, Any]:
    created = _when(rng, dt.datetime(2022, 1, 1), 700)
    canceled = index % 6 == 5
    record: dict[str, Any] = {
        "public_id": _hex(rng),
        "customer": f"cust-{rng.randrange(10**6):06d}",
        "merchant": MERCHANT,
        "product": f"SKU-{rng.randrange(5000):04d}",
        "payment": _hex(rng),
        "shipping_address": _hex(rng),
        "offer": _hex(rng),
        "subscription_type": "replenishment",
        "components": [],
        "extra_data": {"source": rng.choice(["pdp", "cart", "checkout"]), "gift": index % 9 == 0},
        "product_attribute": None,
        "quantity": rng.randint(1, 4),
        "price": f"{rng.randint(500, 9000) / 100:.2f}" if index % 5 == 0 else None,
        "frequency_days": rng.choice([14, 30, 60, 90]),
        "reminder_days": 5,
        "every": rng.choice([1, 2, 3]),
        "every_period": rng.choice([2, 3]),
        "start_date": created[:10],
        "cancelled": _when(rng, dt.datetime(2024, 1, 1), 300) if canceled else None,
        "cancel_reason": f"{rng.randint(1, 9)}|Overstocked" if canceled else None,
        "cancel_reason_code": rng.randint(1, 9) if canceled else None,
        "currency_code": "USD",
        "iteration": rng.randint(0, 30),
        "sequence": 1,
        "session_id": f"sess-{rng.getrandbits(40):010x}",
        "merchant_order_id": f"WEB-{rng.randrange(10**6):06d}",
        "customer_rep": None,
        "club": None,
        "created": created,
        "updated": _when(rng, dt.datetime(2024, 1, 1), 300),
        "live": not canceled,
    }
    if index % 10 == 3:
        record["components"] = [
            {"public_id": _hex(rng), "quantity": rng.randint(1, 3), "product": f"SKU-{rng.randrange(5000):04d}"}
            for _ in range(2)
        ]
    if index % 8 == 7:
        record["prepaid_subscription_context"] = {
            "prepaid_orders_remaining": rng.randint(0, 3),
            "prepaid_orders_per_billing": 3,
            "renewal_behavior": "autorenew",
        }
    if index % 25 == 11:
        record["loyalty_tier"] = "gold"  # a field Ordergroove added after this library was written
    return record


def subscriptions(count: int, seed: int = 8) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [subscription(rng, index) for index in range(count)]


def page_bytes(records: list[dict[str, Any]], next_url: str | None) -> bytes:
    """A cursor page as Ordergroove sends it (compact JSON)."""
    body = {"next": next_url, "previous": None, "results": records}
    return json.dumps(body, separators=(",", ":")).encode()


def order(rng: random.Random, customer: str, index: int) -> dict[str, Any]:
    status = 1 if index == 0 else rng.choice([5, 5, 5, 3, 4])
    total = rng.randint(1000, 9000)
    return {
        "public_id": _hex(rng),
        "customer": customer,
        "merchant": MERCHANT,
        "payment": _hex(rng),
        "shipping_address": _hex(rng),
        "currency_code": "USD",
        "sub_total": f"{total / 100:.2f}",
        "tax_total": "0.00",
        "shipping_total": "0.00",
        "discount_total": "0.00",
        "total": f"{total / 100:.2f}",
        "created": _when(rng, dt.datetime(2023, 1, 1), 500),
        "updated": _when(rng, dt.datetime(2024, 1, 1), 300),
        "place": _when(rng, dt.datetime(2024, 1, 1), 400),
        "cancelled": None,
        "tries": 0,
        "generic_error_count": 0,
        "status": status,
        "type": 1,
        "order_merchant_id": None,
        "rejected_message": None,
        "extra_data": None,
        "locked": False,
        "oos_free_shipping": False,
        "has_plan": False,
    }


def mixed_subscription(rng: random.Random, index: int) -> dict[str, Any]:
    """A subscription as real pages mix the documented forms (see ``mixed_subscriptions``)."""
    record = subscription(rng, index)
    record.pop("loyalty_tier", None)
    record.pop("prepaid_subscription_context", None)
    canceled = index % 3 == 2
    record["live"] = not canceled
    code = rng.randint(1, 9)
    record["cancelled"] = _when(rng, dt.datetime(2024, 1, 1), 300) if canceled else None
    record["cancel_reason"] = f"{code}|Overstocked" if canceled else None
    # cancel_reason_code: the tables' string form and [cur]'s integer form.
    record["cancel_reason_code"] = (str(code) if index % 2 else code) if canceled else None
    extra = {"source": rng.choice(["pdp", "cart", "checkout"]), "gift": index % 9 == 0}
    record["extra_data"] = json.dumps(extra) if index % 2 else extra
    record["price"] = f"{rng.randint(500, 9000) / 100:.2f}" if index % 10 == 4 else None
    record["components"] = []
    if index % 5 == 1:
        products = [f"SKU-{rng.randrange(5000):04d}" for _ in range(2)]
        form = index % 3
        if form == 0:
            record["components"] = [
                {"public_id": _hex(rng), "quantity": rng.randint(1, 3), "product": product} for product in products
            ]
        elif form == 1:
            record["components"] = ",".join(products)  # legacy: comma-separated product ids
        else:
            record["components"] = [{"product": product} for product in products]  # legacy: [{"product"}]
    return record


def mixed_subscriptions(count: int, seed: int = 16) -> list[dict[str, Any]]:
    """Pages as real ones look: a third of the subscriptions cancelled (datetime, reason, code as "4" or 4), half
    with ``extra_data`` as a string holding JSON and half as an object, a fifth with components (a list of objects,
    the comma-separated string or ``[{"product"}]``), most prices null."""
    rng = random.Random(seed)
    return [mixed_subscription(rng, index) for index in range(count)]


def sparse_subscriptions(count: int, seed: int = 24) -> list[dict[str, Any]]:
    """Subscriptions whose optional fields are each present or absent at random (a proxy that drops nulls, an API
    version that leaves fields out): almost every record has a key set of its own."""
    rng = random.Random(seed)
    required = ("public_id", "customer", "product", "live")
    records = []
    for record in subscriptions(count, seed):
        records.append({key: value for key, value in record.items() if key in required or rng.random() < 0.5})
    return records
