"""The API's resources; each method builds its call once and the sync and async classes only send it."""

from ._registry import async_resources, sync_resources
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
from .customers import AsyncCustomers, Customers
from .orders import AsyncOrders, Orders
from .subscriptions import AsyncSubscriptions, Subscriptions

__all__ = [
    "Addresses",
    "AsyncAddresses",
    "AsyncCustomers",
    "AsyncItems",
    "AsyncMerchant",
    "AsyncOrders",
    "AsyncPayments",
    "AsyncProducts",
    "AsyncSubscriptions",
    "Customers",
    "Items",
    "Merchant",
    "Orders",
    "Payments",
    "Products",
    "Subscriptions",
    "async_resources",
    "sync_resources",
]
