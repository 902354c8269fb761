"""Typed models of the GraphQL API's objects: frozen attrs classes with snake_case attributes.

GraphQL returns exactly the fields a query selects, so every attribute is optional: a field that was not
selected (or came back null) is ``None``. Values become Python types (``Decimal``, aware ``datetime`` with the
offset as sent, ``date``; ``every_period`` an ``og.Period`` and an order's ``status`` an ``og.OrderStatus``, as in
the REST models, a code added since kept as its plain int); fields this library does not know are kept in
``extra``; a value of no documented form becomes ``None`` with the raw value kept in ``unparsed`` (attribute
name -> wire value), and the ``ordergroove`` logger warns once per model and field; ``strict=True`` raises
``ResponseDecodeError`` naming the field instead. ``to_dict`` gives back the camelCase JSON exactly as received
(key order, spellings and unknown fields included); a model built or changed in code is encoded field by field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import logging
import math
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args, get_origin

import attrs

from ..errors import ResponseDecodeError
from ..models._enums import KnownOrderStatus, KnownPeriod, OrderStatus, Period

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "MODELS",
    "Address",
    "Application",
    "AppliedIncentive",
    "BaseIncentive",
    "CancelReason",
    "Component",
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
    "from_dict",
    "to_dict",
]

M = TypeVar("M", bound="GraphQLModel")
_log = logging.getLogger("ordergroove")

# Attribute -> wire name where camelCase of the attribute is not the wire name.
_WIRE_NAMES = {"typename": "__typename"}
# Fields that say which record a model is, for its repr (never personal data: a repr lands in logs).
_ID_FIELDS = ("public_id", "merchant_user_id", "external_product_id", "code", "cursor")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@attrs.frozen(kw_only=True, repr=False)
class GraphQLModel:
    """What every GraphQL model has: ``extra`` (unknown fields as received), ``unparsed`` (attribute name ->
    the wire value that was of no documented form) and ``to_dict()``."""

    extra: dict[str, Any] = attrs.field(factory=dict)
    unparsed: dict[str, Any] = attrs.field(factory=dict)
    # The payload a model was decoded from (None when built in code): what to_dict gives back.
    _raw: Mapping[str, Any] | None = attrs.field(default=None, init=False, eq=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON shape (camelCase): exactly what was received for a decoded model."""
        return to_dict(self)

    def __repr__(self) -> str:
        shown = [f"{name}={getattr(self, name)!r}" for name in _ID_FIELDS if getattr(self, name, None) is not None]
        return f"{type(self).__name__}({', '.join(shown)})"


# -- the models, one per GraphQL object type; fields in the schema's (alphabetical) order ------------------


@attrs.frozen(kw_only=True, repr=False)
class Address(GraphQLModel):
    """``AddressType``: a shipping or billing address."""

    address: str | None = None
    address2: str | None = None
    city: str | None = None
    company_name: str | None = None
    country_code: str | None = None
    created: dt.datetime | None = None
    fax: str | None = None
    first_name: str | None = None
    label: str | None = None
    last_name: str | None = None
    live: bool | None = None
    phone: str | None = None
    price_code: str | None = None
    public_id: str | None = None
    state_province_code: str | None = None
    token_id: str | None = None
    zip_postal_code: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Application(GraphQLModel):
    """``ApplicationType`` (newer): how an applied incentive was applied."""

    discounted_amount: str | None = None
    ordinal: int | None = None


@attrs.frozen(kw_only=True, repr=False)
class BaseIncentive(GraphQLModel):
    """``BaseIncentiveType``, and any ``IncentiveType`` whose ``__typename`` this library does not know."""

    typename: str | None = None
    name: str | None = None
    public_id: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class DiscountIncentive(GraphQLModel):
    """``DiscountIncentiveType``."""

    typename: str | None = None
    discount_type: str | None = None
    field: str | None = None
    limit_policy: str | None = None
    limit_value: decimal.Decimal | None = None
    name: str | None = None
    public_id: str | None = None
    target: str | None = None
    threshold_field: str | None = None
    threshold_value: decimal.Decimal | None = None
    value: decimal.Decimal | None = None


@attrs.frozen(kw_only=True, repr=False)
class GiftIncentive(GraphQLModel):
    """``GiftIncentiveType``."""

    typename: str | None = None
    name: str | None = None
    product: Product | None = None
    public_id: str | None = None
    target: str | None = None


# The ``IncentiveType`` interface: decoded by ``__typename`` (select it), BaseIncentive when absent or unknown.
Incentive = Union[BaseIncentive, DiscountIncentive, GiftIncentive]  # noqa: UP007 (a runtime alias)
_INCENTIVES: Mapping[str, type[GraphQLModel]] = {
    "BaseIncentiveType": BaseIncentive,
    "DiscountIncentiveType": DiscountIncentive,
    "GiftIncentiveType": GiftIncentive,
}


@attrs.frozen(kw_only=True, repr=False)
class Source(GraphQLModel):
    """``SourceType`` (newer): where an applied incentive came from."""

    automatic_type: str | None = None
    condition_public_id: str | None = None
    coupon_public_id: str | None = None
    criteria_expression: str | None = None
    description: str | None = None
    external_code: str | None = None
    public_id: str | None = None
    source_type: str | None = None
    stacking_type: int | None = None


@attrs.frozen(kw_only=True, repr=False)
class AppliedIncentive(GraphQLModel):
    """``AppliedIncentiveType`` (newer): an incentive applied to an order or an item."""

    application: Application | None = None
    incentive: Incentive | None = None
    source: Source | None = None
    status: str | None = None
    target: str | None = None
    target_public_id: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class CancelReason(GraphQLModel):
    """``CancelReasonType``: a subscription's cancel reason code and its text."""

    code: int | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class ProductGroup(GraphQLModel):
    """``ProductGroupType``."""

    group_type: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class SwappableProduct(GraphQLModel):
    """``SwappableProductType`` (newer): a product another may be swapped for."""

    autoship_by_default: bool | None = None
    autoship_enabled: bool | None = None
    created: dt.datetime | None = None
    detail_url: str | None = None
    discontinued: bool | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None
    external_product_id: str | None = None
    extra_data: str | None = None
    groups: list[ProductGroup] | None = None
    image_url: str | None = None
    last_update: dt.datetime | None = None
    live: bool | None = None
    name: str | None = None
    prepaid_eligible: bool | None = None
    price: decimal.Decimal | None = None
    product_type: str | None = None
    sku: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Product(GraphQLModel):
    """``ProductType``."""

    autoship_by_default: bool | None = None
    autoship_enabled: bool | None = None
    created: dt.datetime | None = None
    detail_url: str | None = None
    discontinued: bool | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None
    external_product_id: str | None = None
    extra_data: str | None = None
    groups: list[ProductGroup] | None = None
    image_url: str | None = None
    last_update: dt.datetime | None = None
    live: bool | None = None
    name: str | None = None
    prepaid_eligible: bool | None = None
    price: decimal.Decimal | None = None
    product_type: str | None = None
    sku: str | None = None
    swappable_products: list[SwappableProduct] | None = None


@attrs.frozen(kw_only=True, repr=False)
class Component(GraphQLModel):
    """``ComponentType``: a bundle component of a subscription."""

    product: Product | None = None
    public_id: str | None = None
    quantity: int | None = None


@attrs.frozen(kw_only=True, repr=False)
class Customer(GraphQLModel):
    """``CustomerType`` (identified by ``merchant_user_id``; it has no public id)."""

    created: dt.datetime | None = None
    email: str | None = None
    extra_data: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    last_updated: dt.datetime | None = None
    live: bool | None = None
    locale: int | None = None
    merchant_user_id: str | None = None
    phone_number: str | None = None
    phone_type: int | None = None
    price_code: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class FreeTrialSubscriptionContext(GraphQLModel):
    """``FreeTrialSubscriptionContextType``."""

    conversion_item: str | None = None
    days: int | None = None
    expiration: dt.datetime | None = None
    is_in_free_trial: bool | None = None
    product: Product | None = None


@attrs.frozen(kw_only=True, repr=False)
class GiftContext(GraphQLModel):
    """``GiftContextType`` (newer): gift details of an item."""

    can_change_quantity: bool | None = None
    can_swap_sku: bool | None = None
    gift: GiftIncentive | None = None


@attrs.frozen(kw_only=True, repr=False)
class Grantee(GraphQLModel):
    """``GranteeType``."""

    external_id: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class OneTimeIncentive(GraphQLModel):
    """``OneTimeIncentiveType`` (note the wire spelling ``onetimeCouponType``)."""

    applied_at: dt.datetime | None = None
    created: dt.datetime | None = None
    description: str | None = None
    expires: dt.datetime | None = None
    external_code: str | None = None
    incentive: Incentive | None = None
    last_updated: dt.datetime | None = None
    onetime_coupon_type: str | None = None
    public_id: str | None = None
    stacking_type: int | None = None


@attrs.frozen(kw_only=True, repr=False)
class PageInfo(GraphQLModel):
    """``PageInfo``: where a connection's page ends (``end_cursor`` is the next page's ``after``)."""

    end_cursor: str | None = None
    has_next_page: bool | None = None
    has_previous_page: bool | None = None
    start_cursor: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Payment(GraphQLModel):
    """``PaymentType``."""

    billing_address: Address | None = None
    cc_exp_date: str | None = None
    cc_holder: str | None = None
    cc_number_ending: str | None = None
    cc_type: int | None = None
    created: dt.datetime | None = None
    cycle: int | None = None
    cycle_status: int | None = None
    label: str | None = None
    last_updated: dt.datetime | None = None
    live: bool | None = None
    payment_method: int | None = None
    public_id: str | None = None
    token_id: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class PrepaidSubscriptionContext(GraphQLModel):
    """``PrepaidSubscriptionContextType``."""

    last_renewal_revenue: decimal.Decimal | None = None
    prepaid_orders_per_billing: int | None = None
    prepaid_orders_remaining: int | None = None
    prepaid_origin_merchant_order_id: str | None = None
    renewal_behavior: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class QueuedAction(GraphQLModel):
    """``QueuedActionType``."""

    date: dt.datetime | None = None
    index: int | None = None
    ordinal: int | None = None
    public_id: str | None = None
    skip: bool | None = None


@attrs.frozen(kw_only=True, repr=False)
class Subscription(GraphQLModel):
    """``SubscriptionType``. ``start_date`` is a ``date`` whether the server sends ``YYYY-MM-DD`` or the
    documented datetime form (``2024-03-15T00:00:00-06:00``: the date as written is kept)."""

    cancel_reason: str | None = None
    cancel_reason_code: CancelReason | None = None
    cancelled: dt.datetime | None = None
    components: list[Component] | None = None
    created: dt.datetime | None = None
    currency_code: str | None = None
    customer: Customer | None = None
    every: int | None = None
    every_period: KnownPeriod | None = None
    external_id: str | None = None
    extra_data: str | None = None
    free_trial_subscription_context: FreeTrialSubscriptionContext | None = None
    frequency_days: int | None = None
    grantees: list[Grantee] | None = None
    id: str | None = None
    live: bool | None = None
    merchant_order_id: str | None = None
    merchant_public_id: str | None = None
    offer_public_id: str | None = None
    payment: Payment | None = None
    prepaid_subscription_context: PrepaidSubscriptionContext | None = None
    price: decimal.Decimal | None = None
    product: Product | None = None
    public_id: str | None = None
    quantity: int | None = None
    queued_actions: list[QueuedAction] | None = None
    reminder_days: int | None = None
    session_id: str | None = None
    shipping_address: Address | None = None
    start_date: dt.date | None = None
    subscription_type: str | None = None
    updated: dt.datetime | None = None


@attrs.frozen(kw_only=True, repr=False)
class Item(GraphQLModel):
    """``ItemType``: an order line."""

    applied_incentives: list[AppliedIncentive] | None = None
    components: list[Product] | None = None
    extra_cost: decimal.Decimal | None = None
    first_placed: dt.datetime | None = None
    frozen: bool | None = None
    gift_context: GiftContext | None = None
    offer_public_id: str | None = None
    one_time: bool | None = None
    one_time_incentives: list[OneTimeIncentive] | None = None
    order_public_id: str | None = None
    price: decimal.Decimal | None = None
    product: Product | None = None
    public_id: str | None = None
    quantity: int | None = None
    subscription: Subscription | None = None
    subscription_component: Component | None = None
    total_price: decimal.Decimal | None = None


@attrs.frozen(kw_only=True, repr=False)
class ItemsPage(GraphQLModel):
    """``ItemsPage``: an order's items (at most 100; ``has_more``: the rest only over REST)."""

    has_more: bool | None = None
    nodes: list[Item] | None = None


@attrs.frozen(kw_only=True, repr=False)
class Order(GraphQLModel):
    """``OrderType``. Its subscriptions are reached through ``items.nodes[i].subscription``."""

    applied_incentives: list[AppliedIncentive] | None = None
    cancelled: dt.datetime | None = None
    created: dt.datetime | None = None
    currency_code: str | None = None
    customer: Customer | None = None
    discount_total: decimal.Decimal | None = None
    extra_data: str | None = None
    generic_error_count: int | None = None
    has_plan: bool | None = None
    items: ItemsPage | None = None
    locked: bool | None = None
    merchant_public_id: str | None = None
    one_time_incentives: list[OneTimeIncentive] | None = None
    oos_free_shipping: bool | None = None
    order_merchant_id: str | None = None
    payment: Payment | None = None
    place: dt.datetime | None = None
    public_id: str | None = None
    rejected_message: str | None = None
    shipping_address: Address | None = None
    shipping_total: decimal.Decimal | None = None
    status: KnownOrderStatus | None = None
    sub_total: decimal.Decimal | None = None
    tax_total: decimal.Decimal | None = None
    total: decimal.Decimal | None = None
    tries: int | None = None
    updated: dt.datetime | None = None


@attrs.frozen(kw_only=True, repr=False)
class OrderEdge(GraphQLModel):
    """``OrderEdge``."""

    cursor: str | None = None
    node: Order | None = None


@attrs.frozen(kw_only=True, repr=False)
class OrderConnection(GraphQLModel):
    """``OrderConnection``: one page of ``orders``."""

    edges: list[OrderEdge] | None = None
    page_info: PageInfo | None = None


@attrs.frozen(kw_only=True, repr=False)
class SubscriptionEdge(GraphQLModel):
    """``SubscriptionEdge``."""

    cursor: str | None = None
    node: Subscription | None = None


@attrs.frozen(kw_only=True, repr=False)
class SubscriptionConnection(GraphQLModel):
    """``SubscriptionConnection``: one page of ``subscriptions``."""

    edges: list[SubscriptionEdge] | None = None
    page_info: PageInfo | None = None


# GraphQL object type -> model (the interface ``IncentiveType`` is the ``Incentive`` union).
MODELS: Mapping[str, type[GraphQLModel]] = {
    "AddressType": Address,
    "ApplicationType": Application,
    "AppliedIncentiveType": AppliedIncentive,
    "BaseIncentiveType": BaseIncentive,
    "CancelReasonType": CancelReason,
    "ComponentType": Component,
    "CustomerType": Customer,
    "DiscountIncentiveType": DiscountIncentive,
    "FreeTrialSubscriptionContextType": FreeTrialSubscriptionContext,
    "GiftContextType": GiftContext,
    "GiftIncentiveType": GiftIncentive,
    "GranteeType": Grantee,
    "ItemType": Item,
    "ItemsPage": ItemsPage,
    "OneTimeIncentiveType": OneTimeIncentive,
    "OrderConnection": OrderConnection,
    "OrderEdge": OrderEdge,
    "OrderType": Order,
    "PageInfo": PageInfo,
    "PaymentType": Payment,
    "PrepaidSubscriptionContextType": PrepaidSubscriptionContext,
    "ProductGroupType": ProductGroup,
    "ProductType": Product,
    "QueuedActionType": QueuedAction,
    "SourceType": Source,
    "SubscriptionConnection": SubscriptionConnection,
    "SubscriptionEdge": SubscriptionEdge,
    "SubscriptionType": Subscription,
    "SwappableProductType": SwappableProduct,
}

_BASE_FIELDS = frozenset(field.name for field in attrs.fields(GraphQLModel))


def wire_fields(cls: type[GraphQLModel]) -> list[tuple[str, str]]:
    """(attribute, wire name) of a model's fields, in declaration order."""
    return [
        (f.name, _WIRE_NAMES.get(f.name) or _camel(f.name)) for f in attrs.fields(cls) if f.name not in _BASE_FIELDS
    ]


# -- scalars: the documented forms; anything else is off-spec (TypeError / ValueError) ------------------------


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {_preview(value)}")


def _int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected an integer, got {_preview(value)}")


# The coded Ints with a documented code table decode to the REST models' enums (og.Period, og.OrderStatus); a code
# added since stays the plain int, as over REST, strict or not: the reference asks that unknown codes be kept.
_PERIODS: Mapping[int, Period] = {int(member): member for member in Period}
_ORDER_STATUSES: Mapping[int, OrderStatus] = {int(member): member for member in OrderStatus}


def _period(value: Any, _: Any) -> Period | int:
    code = _int(value, None)
    return _PERIODS.get(code, code)


def _order_status(value: Any, _: Any) -> OrderStatus | int:
    code = _int(value, None)
    return _ORDER_STATUSES.get(code, code)


def _bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {_preview(value)}")


def _decimal(value: Any, _: Any) -> decimal.Decimal:
    # Documented as a JSON string; a JSON number is accepted too (the reference asks for it, defensively).
    if isinstance(value, str):
        try:
            result = decimal.Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError(f"expected a decimal amount, got {_preview(value)}") from None
    elif isinstance(value, int) and not isinstance(value, bool):
        result = decimal.Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        result = decimal.Decimal(repr(value))  # the float's shortest spelling: 12.99, not 12.9900000000000002
    else:
        raise TypeError(f"expected a decimal amount, got {_preview(value)}")
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal amount, got {_preview(value)}")
    return result


def _parse_iso(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    from dateutil import parser  # deferred: Python 3.10's fromisoformat refuses "Z" and odd fractions only

    try:
        return parser.isoparse(value)
    except (ValueError, OverflowError):
        raise ValueError(f"expected an ISO 8601 datetime, got {_preview(value)}") from None


def _datetime(value: Any, _: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected a datetime string, got {_preview(value)}")
    result = _parse_iso(value)
    if result.tzinfo is None or result.utcoffset() is None:
        raise ValueError(f"expected a datetime with a UTC offset, got {_preview(value)}")
    return result


def _date(value: Any, _: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected a date string, got {_preview(value)}")
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date, got {_preview(value)}") from None
    # The documented datetime form of a date (``startDate``): only the date as written matters.
    return _parse_iso(value).date()


# -- decoding --------------------------------------------------------------------------------------------------


class _FieldError(Exception):
    """A strict decode's failure, with the path of the field (built as it travels up)."""

    def __init__(self, path: tuple[str, ...], cause: BaseException) -> None:
        super().__init__(path, cause)
        self.path = path
        self.cause = cause

    def under(self, step: str) -> _FieldError:
        return _FieldError((step, *self.path), self.cause)

    def describe(self) -> str:
        text = ""
        for step in self.path:
            text += step if step.startswith("[") or not text else f".{step}"
        return f"{text}: {self.cause}"


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def _warn_once(cls: type[Any], name: str) -> None:
    key = (cls.__name__, name)
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    _log.warning("GraphQL %s.%s: a value of no documented form was kept in .unparsed", cls.__name__, name)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, GraphQLModel)


def _is_model_list(tp: Any) -> bool:
    return get_origin(tp) is list and _is_model(get_args(tp)[0])


def _is_incentive(tp: Any) -> bool:
    return bool(tp == Incentive)


class _Decoder:
    """One cattrs converter and its hooks, generated once per model; ``strict`` picks what off-spec does."""

    def __init__(self, strict: bool) -> None:
        import cattrs

        self.strict = strict
        conv = cattrs.Converter(detailed_validation=False)
        for tp, hook in ((str, _str), (int, _int), (bool, _bool), (decimal.Decimal, _decimal)):
            conv.register_structure_hook(tp, hook)
        # The fields' types at run time (og.Period | int, og.OrderStatus | int; see models/_enums.py).
        conv.register_structure_hook_func(lambda tp: tp == Union[Period, int], _period)  # noqa: UP007
        conv.register_structure_hook_func(lambda tp: tp == Union[OrderStatus, int], _order_status)  # noqa: UP007
        conv.register_structure_hook(dt.datetime, _datetime)
        conv.register_structure_hook(dt.date, _date)
        conv.register_structure_hook_factory(_is_model, self._model_hook)
        conv.register_structure_hook_factory(_is_model_list, self._list_hook)
        conv.register_structure_hook_func(_is_incentive, self._incentive)
        self.converter: cattrs.Converter = conv

    def _incentive(self, value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {_preview(value)}")
        cls = _INCENTIVES.get(value.get("__typename"), BaseIncentive)  # type: ignore[arg-type]
        return self.converter.structure(value, cls)

    def _list_hook(self, tp: Any) -> Callable[[Any, Any], Any]:
        element = get_args(tp)[0]
        hook = self.converter.get_structure_hook(element)

        def structure(value: Any, _: Any) -> list[Any]:
            if not isinstance(value, list):
                raise TypeError(f"expected a JSON list, got {_preview(value)}")
            result = []
            for index, item in enumerate(value):
                try:
                    result.append(hook(item, element))
                except _FieldError as exc:
                    raise exc.under(f"[{index}]") from None
                except Exception as exc:
                    if self.strict:
                        raise _FieldError((f"[{index}]",), exc) from None
                    raise
            return result

        return structure

    def _model_hook(self, cls: type[GraphQLModel]) -> Callable[[Any, Any], Any]:
        attrs.resolve_types(cls)
        types = {f.name: f.type for f in attrs.fields(cls)}
        by_wire: dict[str, tuple[str, Any, Callable[[Any, Any], Any]]] = {}
        for name, wire in wire_fields(cls):
            tp = types[name]
            inner = [arg for arg in get_args(tp) if arg is not type(None)]
            target = Union[tuple(inner)] if len(inner) > 1 else inner[0]  # noqa: UP007
            if _is_incentive(target):
                by_wire[wire] = (name, target, self._incentive)
            else:
                by_wire[wire] = (name, target, self.converter.get_structure_hook(target))
        strict = self.strict

        def structure(data: Any, _: Any) -> GraphQLModel:
            if not isinstance(data, Mapping):
                raise TypeError(f"expected a JSON object for {cls.__name__}, got {_preview(data)}")
            values: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            unparsed: dict[str, Any] = {}
            for key, value in data.items():
                spec = by_wire.get(key)
                if spec is None:
                    extra[key] = value
                    continue
                name, target, hook = spec
                if value is None:
                    continue
                try:
                    values[name] = hook(value, target)
                except _FieldError as exc:
                    raise exc.under(name) from None
                except Exception as exc:
                    if strict:
                        raise _FieldError((name,), exc) from None
                    unparsed[name] = value
                    _warn_once(cls, name)
            obj = cls(**values, extra=extra, unparsed=unparsed)
            object.__setattr__(obj, "_raw", data)
            return obj

        return structure


_decoders: dict[bool, _Decoder] = {}
_decoders_lock = threading.Lock()


def _decoder(strict: bool) -> _Decoder:
    found = _decoders.get(strict)
    if found is None:
        with _decoders_lock:
            found = _decoders.get(strict)
            if found is None:
                found = _decoders[strict] = _Decoder(strict)
    return found


def decode(cls: type[M], data: Any, *, strict: bool = False) -> M:
    """Decode a payload the API sent (kept by the model as is: do not change it afterwards)."""
    try:
        result: M = _decoder(strict).converter.structure(data, cls)
    except _FieldError as exc:
        raise ResponseDecodeError(f"{cls.__name__} payload does not decode: {exc.describe()}") from None
    except Exception as exc:
        raise ResponseDecodeError(f"{cls.__name__} payload does not decode: {exc}") from None
    return result


def from_dict(cls: type[M], data: Mapping[str, Any], *, strict: bool = False) -> M:
    """Build a GraphQL model from its JSON shape (camelCase, as the API sends it).

    Off-spec values become ``None`` and are kept in ``unparsed``; ``strict=True`` raises
    ``og.ResponseDecodeError`` naming the field instead. A payload that is not an object is always an error.
    """
    # A copy: the model keeps what it was built from, so the caller changing the dict must not change it.
    return decode(cls, _copy_json(data), strict=strict)


# -- encoding --------------------------------------------------------------------------------------------------


def to_dict(model: GraphQLModel) -> dict[str, Any]:
    """The camelCase JSON of a model: exactly what was received for a decoded one (a copy), otherwise its
    fields that are set (``None`` ones left out), its unparsed values and its unknown fields."""
    if not isinstance(model, GraphQLModel):
        raise TypeError(f"to_dict expects a GraphQL model, got {type(model).__name__}")
    raw = model._raw
    if raw is not None:
        copied: dict[str, Any] = _copy_json(raw)
        return copied
    result: dict[str, Any] = {}
    for name, wire in wire_fields(type(model)):
        value = getattr(model, name)
        if value is None and name in model.unparsed:
            result[wire] = _copy_json(model.unparsed[name])
        elif value is not None:
            result[wire] = _encode(value)
    result.update(_copy_json(model.extra))
    return result


def _encode(value: Any) -> Any:
    if isinstance(value, GraphQLModel):
        return to_dict(value)
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.IntEnum):  # og.Period.WEEKS -> 2, as the API sends it
        return int(value)
    if isinstance(value, dt.date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    return value


def _copy_json(value: Any) -> Any:
    # JSON-shaped data copied, so that a caller editing the result never changes a (frozen) model.
    if isinstance(value, Mapping):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value
