"""The resource classes of both clients (``client.subscriptions`` is a :class:`Subscriptions`, or an
:class:`AsyncSubscriptions` on the async client). Their calls are described in ``ordergroove/_calls/``."""

from .._async.resources import AsyncAddresses as AsyncAddresses
from .._async.resources import AsyncCheckout as AsyncCheckout
from .._async.resources import AsyncCustomers as AsyncCustomers
from .._async.resources import AsyncItems as AsyncItems
from .._async.resources import AsyncMerchant as AsyncMerchant
from .._async.resources import AsyncOrders as AsyncOrders
from .._async.resources import AsyncPayments as AsyncPayments
from .._async.resources import AsyncProducts as AsyncProducts
from .._async.resources import AsyncSubscriptions as AsyncSubscriptions
from .._sync.resources import Addresses as Addresses
from .._sync.resources import Checkout as Checkout
from .._sync.resources import Customers as Customers
from .._sync.resources import Items as Items
from .._sync.resources import Merchant as Merchant
from .._sync.resources import Orders as Orders
from .._sync.resources import Payments as Payments
from .._sync.resources import Products as Products
from .._sync.resources import Subscriptions as Subscriptions

__all__ = [
    "Addresses",
    "AsyncAddresses",
    "AsyncCheckout",
    "AsyncCustomers",
    "AsyncItems",
    "AsyncMerchant",
    "AsyncOrders",
    "AsyncPayments",
    "AsyncProducts",
    "AsyncSubscriptions",
    "Checkout",
    "Customers",
    "Items",
    "Merchant",
    "Orders",
    "Payments",
    "Products",
    "Subscriptions",
]
