"""Typed sync and async client for the Ordergroove subscription-commerce API."""

from typing import TYPE_CHECKING, Any

from . import auth, errors, pagination
from ._client import AsyncOrdergroove, Ordergroove
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    NoUpcomingOrderError,
    OrdergrooveError,
    PermissionDeniedError,
    PurchaseAuthenticationError,
    PurchaseBadRequestError,
    PurchaseConflictError,
    PurchaseError,
    PurchasePartialError,
    PurchasePermissionDeniedError,
    RateLimitError,
    ResourceLockedError,
    ResponseDecodeError,
    ServerError,
    WebhookVerificationError,
)
from .pagination import AsyncPager, Page, SyncPager

if TYPE_CHECKING:
    from . import crypto, feed, frames, webhooks
    from ._export import ExportProgress, ExportResult
    from .models import (
        Address,
        BatchResult,
        BundleComponent,
        CancelReason,
        Component,
        ContactDetails,
        Customer,
        CustomerSummary,
        Item,
        Order,
        OrderStatus,
        Payment,
        PaymentInfo,
        Period,
        Product,
        ProductGroup,
        PurchaseAddress,
        PurchaseInfo,
        PurchaseProduct,
        PurchaseReceipt,
        PurchaseRequest,
        PurchaseStatus,
        Subscription,
        SubscriptionInfo,
        TrackingOverride,
        User,
        from_dict,
        to_dict,
    )
    from .webhooks import WebhookEvent, WebhookPayloadError

# Loaded on first use, so that ``import ordergroove`` costs little more than ``import httpx``: the optional parts
# (``og.webhooks``, ``og.feed`` ...), and the models (some thirty attrs classes, whose generated methods take most of
# the import time), which a client loads when it is created and ``og.Subscription`` when it is first named.
_LAZY_MODULES = frozenset({"crypto", "feed", "frames", "webhooks"})
_LAZY_HOMES = ("models", "_export", "webhooks")


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in __all__:
        for home in _LAZY_HOMES:
            module = importlib.import_module(f"{__name__}.{home}")
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Address",
    "AsyncOrdergroove",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "BatchResult",
    "BundleComponent",
    "CancelReason",
    "Component",
    "ConfigurationError",
    "ContactDetails",
    "Customer",
    "CustomerSummary",
    "ExportProgress",
    "ExportResult",
    "Item",
    "NoUpcomingOrderError",
    "NotFoundError",
    "Order",
    "OrderStatus",
    "Ordergroove",
    "OrdergrooveError",
    "Page",
    "Payment",
    "PaymentInfo",
    "Period",
    "PermissionDeniedError",
    "Product",
    "ProductGroup",
    "PurchaseAddress",
    "PurchaseAuthenticationError",
    "PurchaseBadRequestError",
    "PurchaseConflictError",
    "PurchaseError",
    "PurchaseInfo",
    "PurchasePartialError",
    "PurchasePermissionDeniedError",
    "PurchaseProduct",
    "PurchaseReceipt",
    "PurchaseRequest",
    "PurchaseStatus",
    "RateLimitError",
    "ResourceLockedError",
    "ResponseDecodeError",
    "ServerError",
    "Subscription",
    "SubscriptionInfo",
    "SyncPager",
    "TrackingOverride",
    "User",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "__version__",
    "auth",
    "crypto",
    "errors",
    "feed",
    "frames",
    "from_dict",
    "pagination",
    "to_dict",
    "webhooks",
]
