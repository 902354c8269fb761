"""Ordergroove's read-only GraphQL API: typed models (``og.graphql.Subscription``, ``og.graphql.Order`` ...),
the typed calls' query documents, the schema per version and the limit arithmetic (``measure``)."""

from ._limits import DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE
from ._limits import MAX_COMPLEXITY as MAX_COMPLEXITY
from ._limits import MAX_DEPTH as MAX_DEPTH
from ._limits import MAX_PAGE_SIZE as MAX_PAGE_SIZE
from ._limits import Cost as Cost
from ._limits import measure as measure
from ._models import Address as Address
from ._models import Application as Application
from ._models import AppliedIncentive as AppliedIncentive
from ._models import BaseIncentive as BaseIncentive
from ._models import CancelReason as CancelReason
from ._models import Component as Component
from ._models import Customer as Customer
from ._models import DiscountIncentive as DiscountIncentive
from ._models import FreeTrialSubscriptionContext as FreeTrialSubscriptionContext
from ._models import GiftContext as GiftContext
from ._models import GiftIncentive as GiftIncentive
from ._models import Grantee as Grantee
from ._models import GraphQLModel as GraphQLModel
from ._models import Incentive as Incentive
from ._models import Item as Item
from ._models import ItemsPage as ItemsPage
from ._models import OneTimeIncentive as OneTimeIncentive
from ._models import Order as Order
from ._models import OrderConnection as OrderConnection
from ._models import OrderEdge as OrderEdge
from ._models import PageInfo as PageInfo
from ._models import Payment as Payment
from ._models import PrepaidSubscriptionContext as PrepaidSubscriptionContext
from ._models import Product as Product
from ._models import ProductGroup as ProductGroup
from ._models import QueuedAction as QueuedAction
from ._models import Source as Source
from ._models import Subscription as Subscription
from ._models import SubscriptionConnection as SubscriptionConnection
from ._models import SubscriptionEdge as SubscriptionEdge
from ._models import SwappableProduct as SwappableProduct
from ._models import from_dict as from_dict
from ._models import to_dict as to_dict
from ._queries import ORDER as ORDER
from ._queries import ORDERS as ORDERS
from ._queries import ORDERS_IN_STOCK as ORDERS_IN_STOCK
from ._queries import SUBSCRIPTION as SUBSCRIPTION
from ._queries import SUBSCRIPTIONS as SUBSCRIPTIONS
from ._queries import TypedQuery as TypedQuery
from ._sdl import CURRENT_VERSION as CURRENT_VERSION
from ._sdl import VERSIONS as VERSIONS
from ._sdl import schema_sdl as schema_sdl

__all__ = [
    "CURRENT_VERSION",
    "DEFAULT_PAGE_SIZE",
    "MAX_COMPLEXITY",
    "MAX_DEPTH",
    "MAX_PAGE_SIZE",
    "ORDER",
    "ORDERS",
    "ORDERS_IN_STOCK",
    "SUBSCRIPTION",
    "SUBSCRIPTIONS",
    "VERSIONS",
    "Address",
    "Application",
    "AppliedIncentive",
    "BaseIncentive",
    "CancelReason",
    "Component",
    "Cost",
    "Customer",
    "DiscountIncentive",
    "FreeTrialSubscriptionContext",
    "GiftContext",
    "GiftIncentive",
    "Grantee",
    "GraphQLModel",
    "Incentive",
    "Item",
    "ItemsPage",
    "OneTimeIncentive",
    "Order",
    "OrderConnection",
    "OrderEdge",
    "PageInfo",
    "Payment",
    "PrepaidSubscriptionContext",
    "Product",
    "ProductGroup",
    "QueuedAction",
    "Source",
    "Subscription",
    "SubscriptionConnection",
    "SubscriptionEdge",
    "SwappableProduct",
    "TypedQuery",
    "from_dict",
    "measure",
    "schema_sdl",
    "to_dict",
]
