"""Purchase POST (subscriptions created at checkout) and products-batch: the request and answer models.

The request models carry the reference's field names, so ``og.to_dict(request)`` is the JSON Ordergroove
reads (optional fields left at None are left out of what is sent) and ``og.from_dict(og.PurchaseRequest,
payload)`` builds one from that JSON. Card fields (``cc_number``, ``cc_holder``, ``cc_exp_date``) and the
payment token never appear in a repr.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..errors import ConfigurationError
from ._base import WireModel, model
from ._enums import Period

__all__ = [
    "BatchResult",
    "BundleComponent",
    "PaymentInfo",
    "PurchaseAddress",
    "PurchaseInfo",
    "PurchaseProduct",
    "PurchaseReceipt",
    "PurchaseRequest",
    "PurchaseStatus",
    "SubscriptionInfo",
    "TrackingOverride",
    "User",
]

CARD_FIELDS = ("cc_exp_date", "cc_holder", "cc_number")
CC_TYPES = frozenset({"1", "2", "3", "4", "5", "6"})
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_EXPIRY = re.compile(r"(0[1-9]|1[0-2])/[0-9]{4}")


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseAddress(WireModel):
    """A shipping or billing address of a Purchase POST (``country_code``: two letters)."""

    first_name: str
    last_name: str
    address: str
    city: str
    state_province_code: str
    zip_postal_code: str
    phone: str
    country_code: str
    company_name: str | None = None
    address2: str | None = None
    fax: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class User(WireModel):
    """The customer: ``user_id`` is the merchant's customer id (``merchant_user_id`` in the REST API)."""

    user_id: str
    first_name: str
    last_name: str
    email: str
    phone_number: str
    shipping_address: PurchaseAddress
    billing_address: PurchaseAddress | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class PaymentInfo(WireModel):
    """The payment of a Purchase POST. Card fields are sent encrypted (see ``purchase_post(hash_key=...)``).

    ``cc_type``: ``"1"`` Visa, ``"2"`` MasterCard, ``"3"`` Amex, ``"4"`` Discover, ``"5"`` Diners, ``"6"`` JCB.
    """

    token_id: str = attrs.field(repr=False)
    cc_exp_date: str | None = attrs.field(default=None, repr=False)
    cc_type: str | None = None
    cc_holder: str | None = attrs.field(default=None, repr=False)
    cc_number: str | None = attrs.field(default=None, repr=False)
    label: str | None = None
    payment_method: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class TrackingOverride(WireModel):
    """The offer and frequency a subscription is created with, instead of what the offer script tracked."""

    offer: str
    every: int
    every_period: Period | int
    product: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class BundleComponent(WireModel):
    product: str
    quantity: int


@model()
@attrs.frozen(kw_only=True, slots=False)
class SubscriptionInfo(WireModel):
    """Present on a product that the customer subscribes to."""

    quantity: int
    price: Decimal | None = None
    tracking_override: TrackingOverride | None = None
    components: Any = None
    multi_item_bundle_components: list[BundleComponent] | None = None
    first_order_place_date: dt.date | None = None
    extra_data: Mapping[str, Any] | None = None
    subscription_type: str | None = None
    prepaid_orders_per_billing: int | None = None
    renewal_behavior: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseInfo(WireModel):
    """What was bought at checkout (money as ``Decimal``, sent as decimal strings)."""

    quantity: int
    price: Decimal
    discounted_price: Decimal
    total: Decimal


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseProduct(WireModel):
    """One product of the checkout: ``product`` is the product id of the feed / products-batch."""

    product: str
    sku: str
    subscription_info: SubscriptionInfo | None = None
    purchase_info: PurchaseInfo | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseRequest(WireModel):
    """One Purchase POST: sent for every checkout, with or without subscription items.

    ``session_id`` is the ``og_session_id`` cookie (it may be left out only with ``og_cart_tracking=False``);
    ``processed=False`` holds the request for a fraud check; ``tracking`` is what Ordergroove's offer script
    returned, sent as given.
    """

    merchant_id: str
    merchant_order_id: str
    user: User
    products: list[PurchaseProduct]
    session_id: str | None = None
    payment: PaymentInfo | None = None
    og_cart_tracking: bool | None = None
    processed: bool | None = None
    tracking: Any = None

    @property
    def subscribes(self) -> bool:
        """Whether any product has ``subscription_info`` (then ``payment`` is required)."""
        return any(product.subscription_info is not None for product in self.products)

    def validate(self) -> None:
        """Check what Ordergroove requires, before anything is sent.

        Raises :class:`~ordergroove.errors.ConfigurationError` naming the first field that is missing or
        wrong (``user.shipping_address.country_code``, ``products[1].subscription_info.quantity``). Card
        fields are checked by ``purchase_post``, which knows whether they are plain or encrypted.
        """
        _text(self.merchant_id, "merchant_id")
        _text(self.merchant_order_id, "merchant_order_id")
        if self.og_cart_tracking is not False:
            _text(self.session_id, "session_id", hint=" (the og_session_id cookie; or og_cart_tracking=False)")
        elif self.session_id is not None:
            _text(self.session_id, "session_id")
        _bool(self.og_cart_tracking, "og_cart_tracking")
        _bool(self.processed, "processed")
        _check_user(self.user)
        if not isinstance(self.products, list) or not self.products:
            raise ConfigurationError("products must be a non-empty list of og.PurchaseProduct")
        for index, product in enumerate(self.products):
            _check_product(product, f"products[{index}]")
        if self.payment is None:
            if self.subscribes:
                raise ConfigurationError(
                    "payment is required when a product has subscription_info (Ordergroove: "
                    "'Missing payment data to create record')"
                )
        else:
            _check_payment(self.payment)


def _text(value: object, name: str, *, hint: str = "") -> None:
    if not isinstance(value, str) or not value.strip():
        given = "missing" if value is None else f"not a non-empty string ({type(value).__name__})"
        raise ConfigurationError(f"{name} is required: {given}{hint}")


def _optional_text(value: object, name: str) -> None:
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")


def _bool(value: object, name: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, got {value!r}")


def _quantity(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be a whole number >= 1, got {value!r}")


def _money(value: object, name: str, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ConfigurationError(f"{name} must be a Decimal amount >= 0, got {value!r}")


def _instance(value: object, cls: type[Any], name: str) -> None:
    if not isinstance(value, cls):
        raise ConfigurationError(f"{name} must be an og.{cls.__name__}, got {type(value).__name__}")


def _check_address(address: object, name: str) -> None:
    _instance(address, PurchaseAddress, name)
    assert isinstance(address, PurchaseAddress)
    for field in ("first_name", "last_name", "address", "city", "state_province_code", "zip_postal_code", "phone"):
        _text(getattr(address, field), f"{name}.{field}")
    for field in ("company_name", "address2", "fax"):
        _optional_text(getattr(address, field), f"{name}.{field}")
    code = address.country_code
    if not isinstance(code, str) or not _COUNTRY.fullmatch(code):
        raise ConfigurationError(f"{name}.country_code must be a two-letter country code such as 'US', got {code!r}")


def _check_user(user: object) -> None:
    _instance(user, User, "user")
    assert isinstance(user, User)
    for field in ("user_id", "first_name", "last_name", "email", "phone_number"):
        _text(getattr(user, field), f"user.{field}")
    _check_address(user.shipping_address, "user.shipping_address")
    if user.billing_address is not None:
        _check_address(user.billing_address, "user.billing_address")


def _check_product(product: object, name: str) -> None:
    _instance(product, PurchaseProduct, name)
    assert isinstance(product, PurchaseProduct)
    _text(product.product, f"{name}.product")
    _text(product.sku, f"{name}.sku")
    info = product.subscription_info
    if info is not None:
        where = f"{name}.subscription_info"
        _instance(info, SubscriptionInfo, where)
        _quantity(info.quantity, f"{where}.quantity")
        _money(info.price, f"{where}.price", required=False)
        if info.first_order_place_date is not None and (
            isinstance(info.first_order_place_date, dt.datetime) or not isinstance(info.first_order_place_date, dt.date)
        ):
            raise ConfigurationError(f"{where}.first_order_place_date must be a datetime.date")
        override = info.tracking_override
        if override is not None:
            _instance(override, TrackingOverride, f"{where}.tracking_override")
            _text(override.offer, f"{where}.tracking_override.offer")
            _quantity(override.every, f"{where}.tracking_override.every")
            if override.every_period not in tuple(Period):
                raise ConfigurationError(
                    f"{where}.tracking_override.every_period must be an og.Period (1-4), got {override.every_period!r}"
                )
        for index, component in enumerate(info.multi_item_bundle_components or ()):
            _instance(component, BundleComponent, f"{where}.multi_item_bundle_components[{index}]")
            _text(component.product, f"{where}.multi_item_bundle_components[{index}].product")
            _quantity(component.quantity, f"{where}.multi_item_bundle_components[{index}].quantity")
    purchase = product.purchase_info
    if purchase is not None:
        where = f"{name}.purchase_info"
        _instance(purchase, PurchaseInfo, where)
        _quantity(purchase.quantity, f"{where}.quantity")
        for field in ("price", "discounted_price", "total"):
            _money(getattr(purchase, field), f"{where}.{field}", required=True)


def _check_payment(payment: object) -> None:
    _instance(payment, PaymentInfo, "payment")
    assert isinstance(payment, PaymentInfo)
    # Never quote a payment value in a message: they are card data.
    _text(payment.token_id, "payment.token_id")
    for field in (*CARD_FIELDS, "label", "payment_method"):
        value = getattr(payment, field)
        if value is not None and (not isinstance(value, str) or not value):
            raise ConfigurationError(f"payment.{field} must be a non-empty string when given")
    if payment.cc_type is not None and payment.cc_type not in CC_TYPES:
        raise ConfigurationError(
            "payment.cc_type must be '1' (Visa), '2' (MasterCard), '3' (Amex), '4' (Discover), '5' (Diners) "
            f"or '6' (JCB), got {payment.cc_type!r}"
        )


def check_plain_expiry(value: str) -> None:
    """A plain ``cc_exp_date`` is ``MM/YYYY`` (checked before it is encrypted; the value is never quoted)."""
    if not _EXPIRY.fullmatch(value):
        raise ConfigurationError("payment.cc_exp_date must be MM/YYYY (for example 01/2030) before encryption")


# -- answers ---------------------------------------------------------------------------------------------------


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseReceipt(WireModel):
    """Ordergroove received the Purchase POST; it processes it asynchronously (see ``purchase_status``)."""

    subs_req_id: str
    result: str | None = None


@model()
@attrs.frozen(kw_only=True, slots=False)
class PurchaseStatus(WireModel):
    """What came of a Purchase POST: ``pending`` while Ordergroove still processes it (202).

    Once done: the ids of the ``customer``, ``payment`` and ``shipping_address`` records, ``subscriptions``
    as Ordergroove lists them (``[{product id: subscription id}]``, also merged in :attr:`subscription_ids`),
    and ``errors`` for what could not be created.
    """

    pending: bool = False
    customer: str | None = None
    payment: str | None = None
    shipping_address: str | None = None
    errors: Mapping[str, Any] | None = None
    subscriptions: list[Mapping[str, Any]] | None = None

    @property
    def subscription_ids(self) -> dict[str, str]:
        """Product id -> subscription id, for every subscription created."""
        merged: dict[str, str] = {}
        for entry in self.subscriptions or ():
            merged.update({str(key): str(value) for key, value in entry.items()})
        return merged

    @property
    def ok(self) -> bool:
        """Done, with no errors."""
        return not self.pending and not self.errors


@model()
@attrs.frozen(kw_only=True, slots=False)
class BatchResult(WireModel):
    """One product's outcome in a products-batch call (``status`` 200, 400, 404 ...)."""

    product_id: str
    status: int

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300
