"""The resources of the Ordergroove API as frozen attrs classes."""

from ._base import WireModel
from ._enums import OrderStatus, Period
from ._fastpath import decode, decode_list, from_dict
from ._forms import ComponentIds, JSONText
from ._wire import to_dict, wire_payload
from .address import Address
from .cancel_reason import STANDARD_CANCEL_REASONS, CancelReason
from .catalog import (
    CartItem,
    CustomerPatchResult,
    Entitlement,
    GroupCheck,
    OfferProfile,
    OneTimeIncentive,
    ProductRelationship,
    Resource,
    ResourceGrant,
    SelectionRule,
)
from .customer import ContactDetails, Customer, CustomerSummary
from .item import Item
from .order import FinalizePlacementResult, Order
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
from .subscription import Component, RotationOrdinalContext, RotationOrdinalUpdate, Subscription

__all__ = [
    "STANDARD_CANCEL_REASONS",
    "Address",
    "BatchResult",
    "BundleComponent",
    "CancelReason",
    "CartItem",
    "Component",
    "ComponentIds",
    "ContactDetails",
    "Customer",
    "CustomerPatchResult",
    "CustomerSummary",
    "Entitlement",
    "FinalizePlacementResult",
    "GroupCheck",
    "Item",
    "JSONText",
    "OfferProfile",
    "OneTimeIncentive",
    "Order",
    "OrderStatus",
    "Payment",
    "PaymentInfo",
    "Period",
    "Product",
    "ProductGroup",
    "ProductRelationship",
    "PurchaseAddress",
    "PurchaseInfo",
    "PurchaseProduct",
    "PurchaseReceipt",
    "PurchaseRequest",
    "PurchaseStatus",
    "Resource",
    "ResourceGrant",
    "RotationOrdinalContext",
    "RotationOrdinalUpdate",
    "SelectionRule",
    "Subscription",
    "SubscriptionInfo",
    "TrackingOverride",
    "User",
    "WireModel",
    "decode",
    "decode_list",
    "from_dict",
    "to_dict",
    "wire_payload",
]
