from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._simple import (
    Addresses,
    AsyncAddresses,
    AsyncItems,
    AsyncMerchant,
    AsyncPayments,
    AsyncProducts,
    Items,
    Merchant,
    Payments,
    Products,
)
from .checkout import AsyncCheckout, Checkout
from .customers import AsyncCustomers, Customers
from .orders import AsyncOrders, Orders
from .subscriptions import AsyncSubscriptions, Subscriptions

if TYPE_CHECKING:
    from .._client import AsyncOrdergroove, Ordergroove


def sync_resources(client: Ordergroove) -> dict[str, Any]:
    return {
        "customers": Customers(client),
        "subscriptions": Subscriptions(client),
        "orders": Orders(client),
        "items": Items(client),
        "products": Products(client),
        "addresses": Addresses(client),
        "payments": Payments(client),
        "merchant": Merchant(client),
        "checkout": Checkout(client),
    }


def async_resources(client: AsyncOrdergroove) -> dict[str, Any]:
    return {
        "customers": AsyncCustomers(client),
        "subscriptions": AsyncSubscriptions(client),
        "orders": AsyncOrders(client),
        "items": AsyncItems(client),
        "products": AsyncProducts(client),
        "addresses": AsyncAddresses(client),
        "payments": AsyncPayments(client),
        "merchant": AsyncMerchant(client),
        "checkout": AsyncCheckout(client),
    }
