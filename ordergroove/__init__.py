"""Typed sync and async client for the Ordergroove subscription-commerce API."""

import typing as _typing

from . import auth as auth
from . import errors as errors
from . import pagination as pagination
from . import retries as retries
from ._async.client import AsyncOrdergroove as AsyncOrdergroove
from ._response import RawResponse as RawResponse
from ._sync.client import Ordergroove as Ordergroove
from ._version import __version__ as __version__
from .errors import APIConnectionError as APIConnectionError
from .errors import APIStatusError as APIStatusError
from .errors import APITimeoutError as APITimeoutError
from .errors import AuthenticationError as AuthenticationError
from .errors import BadRequestError as BadRequestError
from .errors import BatchError as BatchError
from .errors import ConfigurationError as ConfigurationError
from .errors import GraphQLError as GraphQLError
from .errors import NotFoundError as NotFoundError
from .errors import NoUpcomingOrderError as NoUpcomingOrderError
from .errors import OrdergrooveError as OrdergrooveError
from .errors import PermissionDeniedError as PermissionDeniedError
from .errors import PurchaseAuthenticationError as PurchaseAuthenticationError
from .errors import PurchaseBadRequestError as PurchaseBadRequestError
from .errors import PurchaseConflictError as PurchaseConflictError
from .errors import PurchaseError as PurchaseError
from .errors import PurchasePartialError as PurchasePartialError
from .errors import PurchasePermissionDeniedError as PurchasePermissionDeniedError
from .errors import RateLimitError as RateLimitError
from .errors import ResourceLockedError as ResourceLockedError
from .errors import ResponseDecodeError as ResponseDecodeError
from .errors import ServerError as ServerError
from .errors import VersionSunsetError as VersionSunsetError
from .errors import WebhookPayloadError as WebhookPayloadError
from .errors import WebhookVerificationError as WebhookVerificationError
from .pagination import AsyncPager as AsyncPager
from .pagination import Page as Page
from .pagination import SyncPager as SyncPager

# For type checkers and editors, the lazy names below as plain imports; tests/test_public_names.py checks that
# this block and _LAZY agree.
if _typing.TYPE_CHECKING:
    from . import crypto as crypto
    from . import feed as feed
    from . import frames as frames
    from . import graphql as graphql
    from . import webhooks as webhooks
    from ._calls.products import PRODUCTS_BATCH_SIZE as PRODUCTS_BATCH_SIZE
    from ._export import ExportProgress as ExportProgress
    from ._export import ExportResult as ExportResult
    from ._export import export_cursor_path as export_cursor_path
    from .models import Address as Address
    from .models import BatchResult as BatchResult
    from .models import BundleComponent as BundleComponent
    from .models import CancelReason as CancelReason
    from .models import CartItem as CartItem
    from .models import Component as Component
    from .models import ComponentIds as ComponentIds
    from .models import ContactDetails as ContactDetails
    from .models import Customer as Customer
    from .models import CustomerPatchResult as CustomerPatchResult
    from .models import CustomerSummary as CustomerSummary
    from .models import Entitlement as Entitlement
    from .models import FinalizePlacementResult as FinalizePlacementResult
    from .models import GroupCheck as GroupCheck
    from .models import Item as Item
    from .models import JSONText as JSONText
    from .models import OfferProfile as OfferProfile
    from .models import OneTimeIncentive as OneTimeIncentive
    from .models import Order as Order
    from .models import OrderStatus as OrderStatus
    from .models import Payment as Payment
    from .models import PaymentInfo as PaymentInfo
    from .models import Period as Period
    from .models import Product as Product
    from .models import ProductGroup as ProductGroup
    from .models import ProductRelationship as ProductRelationship
    from .models import PurchaseAddress as PurchaseAddress
    from .models import PurchaseInfo as PurchaseInfo
    from .models import PurchaseProduct as PurchaseProduct
    from .models import PurchaseReceipt as PurchaseReceipt
    from .models import PurchaseRequest as PurchaseRequest
    from .models import PurchaseStatus as PurchaseStatus
    from .models import Resource as Resource
    from .models import ResourceGrant as ResourceGrant
    from .models import RotationOrdinalContext as RotationOrdinalContext
    from .models import RotationOrdinalUpdate as RotationOrdinalUpdate
    from .models import SelectionRule as SelectionRule
    from .models import Subscription as Subscription
    from .models import SubscriptionInfo as SubscriptionInfo
    from .models import TrackingOverride as TrackingOverride
    from .models import User as User
    from .models import from_dict as from_dict
    from .models import to_dict as to_dict
    from .webhooks import WebhookEvent as WebhookEvent

# Imported above, with ``import ordergroove``.
_EAGER = (
    "__version__",
    "auth",
    "errors",
    "pagination",
    "retries",
    "AsyncOrdergroove",
    "Ordergroove",
    "AsyncPager",
    "Page",
    "RawResponse",
    "SyncPager",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "ConfigurationError",
    "GraphQLError",
    "NotFoundError",
    "NoUpcomingOrderError",
    "OrdergrooveError",
    "PermissionDeniedError",
    "PurchaseAuthenticationError",
    "PurchaseBadRequestError",
    "PurchaseConflictError",
    "PurchaseError",
    "PurchasePartialError",
    "PurchasePermissionDeniedError",
    "RateLimitError",
    "ResourceLockedError",
    "ResponseDecodeError",
    "ServerError",
    "VersionSunsetError",
    "WebhookPayloadError",
    "WebhookVerificationError",
)

# Loaded on first use, so that ``import ordergroove`` costs little more than ``import httpx``: the optional parts
# (``og.webhooks``, ``og.feed`` ...), and the models (some thirty attrs classes, whose generated methods take most of
# the import time), which a client loads when it is created and ``og.Subscription`` when it is first named.
# Public name -> the module (of this package) it comes from; a name that is its own module is that submodule.
_LAZY: dict[str, str] = {
    "crypto": "crypto",
    "feed": "feed",
    "frames": "frames",
    "graphql": "graphql",
    "webhooks": "webhooks",
    "ExportProgress": "_export",
    "ExportResult": "_export",
    "export_cursor_path": "_export",
    "PRODUCTS_BATCH_SIZE": "_calls.products",
    "Address": "models",
    "BatchResult": "models",
    "BundleComponent": "models",
    "CancelReason": "models",
    "Component": "models",
    "ComponentIds": "models",
    "ContactDetails": "models",
    "Customer": "models",
    "CustomerSummary": "models",
    "FinalizePlacementResult": "models",
    "Item": "models",
    "JSONText": "models",
    "Order": "models",
    "OrderStatus": "models",
    "Payment": "models",
    "PaymentInfo": "models",
    "Period": "models",
    "Product": "models",
    "ProductGroup": "models",
    "CartItem": "models",
    "CustomerPatchResult": "models",
    "Entitlement": "models",
    "GroupCheck": "models",
    "OfferProfile": "models",
    "OneTimeIncentive": "models",
    "ProductRelationship": "models",
    "Resource": "models",
    "ResourceGrant": "models",
    "SelectionRule": "models",
    "PurchaseAddress": "models",
    "PurchaseInfo": "models",
    "PurchaseProduct": "models",
    "PurchaseReceipt": "models",
    "PurchaseRequest": "models",
    "PurchaseStatus": "models",
    "RotationOrdinalContext": "models",
    "RotationOrdinalUpdate": "models",
    "Subscription": "models",
    "SubscriptionInfo": "models",
    "TrackingOverride": "models",
    "User": "models",
    "from_dict": "models",
    "to_dict": "models",
    "WebhookEvent": "webhooks",
}

__all__ = sorted([*_EAGER, *_LAZY])


def __getattr__(name: str) -> _typing.Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f"{__name__}.{home}")
    value = module if home == name else getattr(module, name)
    globals()[name] = value  # the next lookup is a plain attribute, not this function
    return value


def __dir__() -> list[str]:
    return list(__all__)
