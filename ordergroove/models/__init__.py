"""The resources of the Ordergroove API as frozen attrs classes."""

from ._convert import from_dict, to_dict
from ._enums import OrderStatus, Period
from .address import Address
from .cancel_reason import STANDARD_CANCEL_REASONS, CancelReason
from .customer import ContactDetails, Customer, CustomerSummary
from .item import Item
from .order import Order
from .payment import Payment
from .product import Product, ProductGroup
from .purchase import (
    BatchResult,
    BundleComponent,
    PaymentInfo,
    PurchaseAddress,
    PurchaseInfo,
    PurchaseProduct,
    PurchaseReceipt,
    PurchaseRequest,
    PurchaseStatus,
    SubscriptionInfo,
    TrackingOverride,
    User,
)
from .subscription import Component, Subscription

__all__ = [
    "STANDARD_CANCEL_REASONS",
    "Address",
    "BatchResult",
    "BundleComponent",
    "CancelReason",
    "Component",
    "ContactDetails",
    "Customer",
    "CustomerSummary",
    "Item",
    "Order",
    "OrderStatus",
    "Payment",
    "PaymentInfo",
    "Period",
    "Product",
    "ProductGroup",
    "PurchaseAddress",
    "PurchaseInfo",
    "PurchaseProduct",
    "PurchaseReceipt",
    "PurchaseRequest",
    "PurchaseStatus",
    "Subscription",
    "SubscriptionInfo",
    "TrackingOverride",
    "User",
    "from_dict",
    "to_dict",
]
