"""The schema of Ordergroove's GraphQL API, per version, as SDL (from the reference's type tables).

The emulator builds its schema from this text (``graphql.build_schema``) and the tests check the models
against it. ``2026-01`` leaves out what the reference marks as newer (fields, types and the ``inStock``
argument that older pages lack): whether they are live in the dated version is unconfirmed, so the emulator
refuses them there and a default selection that used them would fail its tests. ``unstable`` has them.
"""

from __future__ import annotations

__all__ = ["CURRENT_VERSION", "VERSIONS", "schema_sdl"]

CURRENT_VERSION = "2026-01"
VERSIONS = ("2026-01", "unstable")

# The types both versions share, fields in the reference's (alphabetical) order.
_COMMON = '''
"""A decimal number sent as a JSON string, e.g. "29.99"."""
scalar Decimal
"""ISO 8601 with an explicit America/Chicago offset, e.g. 2024-03-15T00:00:00-06:00."""
scalar DateTime
"""YYYY-MM-DD."""
scalar Date

type AddressType {
  address: String!
  address2: String
  city: String!
  companyName: String
  countryCode: String!
  created: DateTime!
  fax: String
  firstName: String!
  label: String
  lastName: String!
  live: Boolean!
  phone: String
  priceCode: String
  publicId: String
  stateProvinceCode: String!
  tokenId: String
  zipPostalCode: String!
}

interface IncentiveType {
  name: String!
  publicId: String!
}

type BaseIncentiveType implements IncentiveType {
  name: String!
  publicId: String!
}

type DiscountIncentiveType implements IncentiveType {
  discountType: String!
  field: String!
  limitPolicy: String
  limitValue: Decimal
  name: String!
  publicId: String!
  target: String!
  thresholdField: String
  thresholdValue: Decimal
  value: Decimal!
}

type GiftIncentiveType implements IncentiveType {
  name: String!
  product: ProductType
  publicId: String!
  target: String!
}

type CancelReasonType {
  code: Int!
  reason: String!
}

type ComponentType {
  product: ProductType
  publicId: String!
  quantity: Int
}

type CustomerType {
  created: DateTime!
  email: String
  extraData: String
  firstName: String
  lastName: String
  lastUpdated: DateTime!
  live: Boolean!
  locale: Int
  merchantUserId: String
  phoneNumber: String
  phoneType: Int
  priceCode: String
}

type FreeTrialSubscriptionContextType {
  conversionItem: String
  days: Int!
  expiration: DateTime!
  isInFreeTrial: Boolean!
  product: ProductType
}

type GranteeType {
  externalId: String!
  name: String!
}

type ItemsPage {
  hasMore: Boolean!
  nodes: [ItemType!]!
}

type ItemType {
  components: [ProductType!]!
  extraCost: Decimal!
  firstPlaced: DateTime
  frozen: Boolean!
  offerPublicId: String
  oneTime: Boolean!
  oneTimeIncentives: [OneTimeIncentiveType!]!
  orderPublicId: String!
  price: Decimal!
  product: ProductType
  publicId: String
  quantity: Int!
  subscription: SubscriptionType
  subscriptionComponent: ComponentType
  totalPrice: Decimal!
}

type OneTimeIncentiveType {
  appliedAt: DateTime
  created: DateTime!
  description: String!
  expires: DateTime
  externalCode: String!
  incentive: IncentiveType
  lastUpdated: DateTime!
  onetimeCouponType: String!
  publicId: String!
  stackingType: Int!
}

type OrderConnection {
  edges: [OrderEdge!]!
  pageInfo: PageInfo!
}

type OrderEdge {
  cursor: String!
  node: OrderType!
}

type OrderType {
  cancelled: DateTime
  created: DateTime
  currencyCode: String
  customer: CustomerType
  discountTotal: Decimal!
  extraData: String
  genericErrorCount: Int!
  hasPlan: Boolean!
  items: ItemsPage!
  locked: Boolean!
  merchantPublicId: String!
  oneTimeIncentives: [OneTimeIncentiveType!]!
  oosFreeShipping: Boolean!
  orderMerchantId: String
  payment: PaymentType
  place: DateTime
  publicId: String
  rejectedMessage: String
  shippingAddress: AddressType
  shippingTotal: Decimal!
  status: Int!
  subTotal: Decimal!
  taxTotal: Decimal!
  total: Decimal!
  tries: Int!
  updated: DateTime
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type PaymentType {
  billingAddress: AddressType
  ccExpDate: String
  ccHolder: String
  ccNumberEnding: String
  ccType: Int
  created: DateTime!
  cycle: Int
  cycleStatus: Int
  label: String
  lastUpdated: DateTime!
  live: Boolean!
  paymentMethod: Int
  publicId: String
  tokenId: String
}

type PrepaidSubscriptionContextType {
  lastRenewalRevenue: Decimal!
  prepaidOrdersPerBilling: Int!
  prepaidOrdersRemaining: Int!
  prepaidOriginMerchantOrderId: String
  renewalBehavior: String!
}

type ProductGroupType {
  groupType: String!
  name: String!
}

type ProductType {
  autoshipByDefault: Boolean!
  autoshipEnabled: Boolean!
  created: DateTime
  detailUrl: String
  discontinued: Boolean!
  every: Int
  everyPeriod: Int
  externalProductId: String!
  extraData: String
  groups: [ProductGroupType!]!
  imageUrl: String
  lastUpdate: DateTime
  live: Boolean!
  name: String
  prepaidEligible: Boolean!
  price: Decimal!
  productType: String!
  sku: String!
}

type QueuedActionType {
  date: DateTime
  index: Int!
  ordinal: Int!
  publicId: String!
  skip: Boolean!
}

type SubscriptionConnection {
  edges: [SubscriptionEdge!]!
  pageInfo: PageInfo!
}

type SubscriptionEdge {
  cursor: String!
  node: SubscriptionType!
}

type SubscriptionType {
  cancelReason: String
  cancelReasonCode: CancelReasonType
  cancelled: DateTime
  components: [ComponentType!]
  created: DateTime
  currencyCode: String
  customer: CustomerType
  every: Int
  everyPeriod: Int
  externalId: String
  extraData: String
  freeTrialSubscriptionContext: FreeTrialSubscriptionContextType
  frequencyDays: Int
  grantees: [GranteeType!]!
  id: ID!
  live: Boolean!
  merchantOrderId: String
  merchantPublicId: String!
  offerPublicId: String
  payment: PaymentType
  prepaidSubscriptionContext: PrepaidSubscriptionContextType
  price: Decimal
  product: ProductType
  publicId: String
  quantity: Int!
  queuedActions: [QueuedActionType!]
  reminderDays: Int
  sessionId: String!
  shippingAddress: AddressType
  startDate: Date!
  subscriptionType: String
  updated: DateTime
}
'''

_ORDERS_ARGUMENTS = """customer: String
    status: [Int!]
    subscription: String
    place: Date
    placeStart: Date
    placeEnd: Date
    includePrepaidOrders: Boolean = true"""

_QUERY = """
type Query {
  order(publicId: String!): OrderType
  orders(
    %s
    first: Int
    after: String
    last: Int
    before: String
  ): OrderConnection!
  subscription(publicId: String!): SubscriptionType
  subscriptions(
    customer: String
    live: Boolean
    first: Int
    after: String
    last: Int
    before: String
  ): SubscriptionConnection!
}
"""

# What the reference marks "(newer)": in unstable only (see the module docstring).
_NEWER = """
type ApplicationType {
  discountedAmount: String
  ordinal: Int
}

type AppliedIncentiveType {
  application: ApplicationType
  incentive: IncentiveType
  source: SourceType
  status: String!
  target: String!
  targetPublicId: String!
}

type GiftContextType {
  canChangeQuantity: Boolean!
  canSwapSku: Boolean!
  gift: GiftIncentiveType
}

type SourceType {
  automaticType: String
  conditionPublicId: String
  couponPublicId: String
  criteriaExpression: String
  description: String
  externalCode: String
  publicId: String!
  sourceType: String!
  stackingType: Int
}

type SwappableProductType {
  autoshipByDefault: Boolean!
  autoshipEnabled: Boolean!
  created: DateTime
  detailUrl: String
  discontinued: Boolean!
  every: Int
  everyPeriod: Int
  externalProductId: String!
  extraData: String
  groups: [ProductGroupType!]!
  imageUrl: String
  lastUpdate: DateTime
  live: Boolean!
  name: String
  prepaidEligible: Boolean!
  price: Decimal!
  productType: String!
  sku: String!
}

extend type ItemType {
  appliedIncentives: [AppliedIncentiveType!]!
  giftContext: GiftContextType
}

extend type OrderType {
  appliedIncentives: [AppliedIncentiveType!]!
}

extend type ProductType {
  swappableProducts: [SwappableProductType!]!
}
"""


def schema_sdl(version: str) -> str:
    """The SDL of one version (``KeyError`` for a version the reference does not list)."""
    if version == "2026-01":
        return _COMMON + _QUERY % _ORDERS_ARGUMENTS
    if version == "unstable":
        return _COMMON + _QUERY % (_ORDERS_ARGUMENTS + "\n    inStock: Boolean") + _NEWER
    raise KeyError(version)
