"""Realistic Ordergroove payloads, field for field as Ordergroove's published API reference lists them.

Each builder returns a fresh dict holding every documented field of its resource; keyword arguments override
or add fields, so a test states only what it cares about.
"""

from __future__ import annotations

from typing import Any

BASE_URL = "https://restapi.ordergroove.com"
STAGING_URL = "https://staging.restapi.ordergroove.com"

MERCHANT = "0e5de2bedc5e11e3a2e4bc764e106cf4"
CUSTOMER_ID = "cust-1001"
SUBSCRIPTION_ID = "8f14e45fceea167a5a36dedd4bea2543"
ORDER_ID = "c9f0f895fb98ab9159f51fd0297e236d"
ITEM_ID = "45c48cce2e2d7fbdea1afc51c7c6ad26"
PRODUCT_ID = "SKU-COFFEE-1KG"
ADDRESS_ID = "d3d9446802a44259755d38e6d163e820"
PAYMENT_ID = "6512bd43d9caa6e02c990b0a82652dca"
OFFER_ID = "c20ad4d76fe97759aa27a0c99bff6710"


def subscription_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "public_id": SUBSCRIPTION_ID,
        "customer": CUSTOMER_ID,
        "merchant": MERCHANT,
        "product": PRODUCT_ID,
        "payment": PAYMENT_ID,
        "shipping_address": ADDRESS_ID,
        "offer": OFFER_ID,
        "subscription_type": "replenishment",
        "components": [
            {"public_id": "aab3238922bcc25a6f606eb525ffdc56", "quantity": 2, "product": "SKU-FILTER"},
        ],
        "extra_data": {"gift": False, "source": "pdp"},
        "product_attribute": None,
        "quantity": 2,
        "price": None,
        "frequency_days": 30,
        "reminder_days": 5,
        "every": 1,
        "every_period": 3,
        "start_date": "2024-01-15",
        "cancelled": None,
        "cancel_reason": None,
        "cancel_reason_code": None,
        "currency_code": "USD",
        "iteration": 4,
        "sequence": 1,
        "session_id": "sess-9a8b7c",
        "merchant_order_id": "WEB-100045",
        "customer_rep": None,
        "club": None,
        "created": "2024-01-15 10:21:33",
        "updated": "2024-05-02 08:00:00",
        "live": True,
    }
    payload.update(overrides)
    return payload


def canceled_subscription_payload(**overrides: Any) -> dict[str, Any]:
    canceled: dict[str, Any] = {
        "live": False,
        "cancelled": "2024-06-01 12:30:00",
        "cancel_reason": "4|Overstocked",
        "cancel_reason_code": 4,
    }
    return subscription_payload(**{**canceled, **overrides})


def prepaid_subscription_payload(**overrides: Any) -> dict[str, Any]:
    prepaid: dict[str, Any] = {
        "prepaid_subscription_context": {
            "prepaid_orders_remaining": 2,
            "prepaid_orders_per_billing": 3,
            "renewal_behavior": "autorenew",
            "last_renewal_revenue": "59.97",
            "prepaid_origin_merchant_order_id": "WEB-099001",
        },
        "free_trial_subscription_context": {"trial_days": 14},
    }
    return subscription_payload(**{**prepaid, **overrides})


def order_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "public_id": ORDER_ID,
        "merchant": MERCHANT,
        "customer": CUSTOMER_ID,
        "payment": PAYMENT_ID,
        "shipping_address": ADDRESS_ID,
        "currency_code": "USD",
        "sub_total": "25.98",
        "tax_total": "2.08",
        "shipping_total": "0.00",
        "discount_total": "2.60",
        "total": "25.46",
        "created": "2024-05-02 08:00:00",
        "updated": "2024-05-02 08:00:00",
        "place": "2024-06-01 00:00:00",
        "cancelled": None,
        "tries": 0,
        "generic_error_count": 0,
        "status": 1,
        "type": 1,
        "order_merchant_id": None,
        "rejected_message": None,
        "extra_data": None,
        "locked": False,
        "oos_free_shipping": False,
        "has_plan": False,
    }
    payload.update(overrides)
    return payload


def item_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "public_id": ITEM_ID,
        "order": ORDER_ID,
        "subscription": SUBSCRIPTION_ID,
        "offer": OFFER_ID,
        "product": PRODUCT_ID,
        "quantity": 2,
        "price": "12.99",
        "extra_cost": "0.00",
        "total_price": "25.98",
        "one_time": False,
        "frozen": False,
        "product_attribute": None,
        "subscription_component": None,
        "order_updated": "2024-05-02 08:00:00",
        "first_placed": None,
    }
    payload.update(overrides)
    return payload


def customer_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "merchant": MERCHANT,
        "merchant_user_id": CUSTOMER_ID,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone_number": "+15555550100",
        "phone_type": 2,
        "live": True,
        "created": "2023-11-02 14:05:09",
        "last_updated": "2024-05-02 08:00:00",
        "last_login": None,
        "extra_data": '{"loyalty_tier": "gold"}',
        "locale": "en_US",
        "price_code": None,
        "session_id": "sess-9a8b7c",
        "user_token_id": "tok-user-55",
    }
    payload.update(overrides)
    return payload


def product_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "external_product_id": PRODUCT_ID,
        "merchant": MERCHANT,
        "name": "House Blend Coffee 1kg",
        "sku": "HB-1KG",
        "price": "12.99",
        "image_url": "https://cdn.example.com/hb-1kg.png",
        "detail_url": "https://shop.example.com/p/hb-1kg",
        "autoship_enabled": True,
        "autoship_by_default": False,
        "prepaid_eligible": True,
        "live": True,
        "discontinued": False,
        "premier_enabled": 0,
        "product_type": "standard",
        "every": 1,
        "every_period": 3,
        "offer_profile": None,
        "incentive_group": None,
        "groups": [{"group_type": "sku_swap", "name": "coffee"}],
        "created": "2023-01-01 00:00:00",
        "last_update": "2024-04-30 23:59:59",
        "extra_data": {},
    }
    payload.update(overrides)
    return payload


def address_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "public_id": ADDRESS_ID,
        "customer": CUSTOMER_ID,
        "label": "Home",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company_name": None,
        "address": "12 St James's Square",
        "address2": "Flat 3",
        "city": "New York",
        "state_province_code": "NY",
        "zip_postal_code": "10001",
        "phone": "+15555550100",
        "fax": None,
        "country_code": "US",
        "live": True,
        "created": "2023-11-02 14:05:09",
        "updated": "2023-11-02 14:05:09",
        "token_id": "tok-addr-77",
        "store_public_id": None,
    }
    payload.update(overrides)
    return payload


def payment_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "public_id": PAYMENT_ID,
        "customer": CUSTOMER_ID,
        "billing_address": ADDRESS_ID,
        "label": "Visa ending 4242",
        "token_id": "tok-pay-99",
        "cc_holder": "Ada Lovelace",
        "cc_type": 1,
        "cc_number_ending": "4242",
        "cc_exp_date": "12/2027",
        "payment_method": "credit card",
        "live": True,
        "created": "2023-11-02 14:05:09",
        "last_updated": "2024-01-10 09:00:00",
    }
    payload.update(overrides)
    return payload


def contact_details_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"email": "ada@example.com", "phone_number": "+15555550100", "extra_data": None}
    payload.update(overrides)
    return payload


def cancel_reasons_payload() -> dict[str, Any]:
    return {
        "results": [
            {"cancel_reason": 4, "application": "msi"},
            {"cancel_reason": 12, "application": "msi"},
            {"cancel_reason": 1, "application": "csa"},
        ]
    }


def page(results: list[Any], next_url: str | None = None, previous: str | None = None) -> dict[str, Any]:
    """A cursor-mode page as Ordergroove answers with ``X-OG-API-VERSION: 2``."""
    return {"next": next_url, "previous": previous, "results": results}
