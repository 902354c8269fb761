"""Builders for the records of the rest of the REST surface (groups, resources, incentives, entitlements ...).

Like the store's ``add_*``, each returns the stored record itself, shaped as the API answers it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from ordergroove.testing._store import Record, Store

__all__ = [
    "add_cart_item",
    "add_entitlement",
    "add_offer_profile",
    "add_one_time_incentive",
    "add_product_group",
    "add_product_relationship",
    "add_resource",
    "one_click_token",
]


def _id(value: str | Mapping[str, Any], key: str) -> str:
    return value if isinstance(value, str) else str(value[key])


def add_product_group(store: Store, group_type: str, name: str, products: tuple[str, ...] = ()) -> Record:
    group = store.product_groups.setdefault((group_type, name), {"name": name, "group_type": group_type})
    for product_id in products:
        members = store.ensure_product(product_id)["groups"]
        if {"group_type": group_type, "name": name} not in members:
            members.append({"group_type": group_type, "name": name})
    return group


def add_product_relationship(
    store: Store, from_product: str, to_product: str, relationship_type: str = "swap_on_purchase"
) -> Record:
    store.ensure_product(from_product)
    store.ensure_product(to_product)
    record = {"relationship_type": relationship_type, "from_product": from_product, "to_product": to_product}
    store.product_relationships.append(record)
    return record


def add_resource(store: Store, **fields: Any) -> Record:
    now = store.stamp()
    record: Record = {
        "merchant": store.merchant,
        "public_id": store.new_id(),
        "name": "Resource",
        "external_resource_id": f"res-{store.new_id()[:8]}",
        "description": None,
        "image_url": None,
        "created": now,
        "last_updated": now,
    }
    record.update(fields)
    store.resources[record["public_id"]] = record
    return record


def add_offer_profile(store: Store, **fields: Any) -> Record:
    record: Record = {
        "public_id": store.new_id(),
        "name": "Default",
        "merchant": store.merchant,
        "live": True,
        "weight": 100,
        "offers": [store.offer_id],
        "recurring_coupon": None,
        "initial_coupon": None,
    }
    record.update(fields)
    store.offer_profiles[record["public_id"]] = record
    return record


def add_one_time_incentive(store: Store, customer: str | Mapping[str, Any] | None = None, **fields: Any) -> Record:
    owner = None if customer is None else store.ensure_customer(customer)["merchant_user_id"]
    now = store.stamp()
    record: Record = {
        "public_id": store.new_id(),
        "external_code": "one_time_discount",
        "description": None,
        "merchant": store.merchant,
        "customer": owner,
        "order": None,
        "created": now,
        "last_updated": now,
        "incentive": {},
    }
    record.update(fields)
    store.one_time_incentives[record["public_id"]] = record
    return record


def add_entitlement(
    store: Store, customer: str | Mapping[str, Any], resource: str | Mapping[str, Any], **fields: Any
) -> Record:
    owner = store.ensure_customer(customer)["merchant_user_id"]
    found = store.resources[_id(resource, "public_id")]
    now = store.clock.now().strftime("%Y-%m-%dT%H:%M:%S.00Z")  # ISO-8601 UTC with a fraction, as published
    record: Record = {
        "merchant": store.merchant,
        "public_id": store.new_id(),
        "merchant_user_id": owner,
        "initial_activation_date": now,
        "latest_activation_date": now,
        "expiration": None,
        "created": now,
        "last_updated": now,
        "grace_period": None,
        "access_type": "time_based",
        "resource": {k: found[k] for k in ("public_id", "name", "external_resource_id", "description", "image_url")},
    }
    record.update(fields)
    store.entitlements[record["public_id"]] = record
    return record


def add_cart_item(store: Store, session_id: str, product: str | Mapping[str, Any], **fields: Any) -> Record:
    record: Record = {
        "id": store.ensure_product(product)["external_product_id"],
        "offer_id": store.offer_id,
        "incentives": {},
        "attributes": "",
        "coupon_code": "",
        "quantity": 1,
        "every": 1,
        "every_period": 3,
    }
    record.update(fields)
    store.carts.setdefault(session_id, []).append(record)
    return record


def one_click_token(store: Store, record: Mapping[str, Any]) -> str:
    """A 1-click token for an order (delay) or a subscription (reactivate), as a webhook payload carries one."""
    kind = "subscriptions" if record.get("public_id") in store.subscriptions else "orders"
    if record.get("public_id") not in store.collection(kind):
        raise KeyError(f"no order or subscription {record.get('public_id')!r}")
    token = secrets.token_urlsafe(24)
    store.one_click_tokens[token] = (kind, str(record["public_id"]))
    return token
