"""checkout.*: Purchase POST (the subscriptions of a checkout) and its status, sent to the checkout host of the
client's environment: validation, card encryption, the form body and how each status is read."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from functools import partial
from typing import Any, Literal
from urllib.parse import quote

import attrs
import httpx

from .. import crypto
from .._call import Call, Options, Timeout, segment
from ..errors import (
    ConfigurationError,
    PurchaseAuthenticationError,
    PurchaseBadRequestError,
    PurchaseConflictError,
    PurchasePartialError,
    PurchasePermissionDeniedError,
    ResponseDecodeError,
)
from ..models._fastpath import from_dict
from ..models._hooks import get_converter
from ..models._wire import to_dict
from ..models.purchase import (
    CARD_FIELDS,
    PaymentInfo,
    PurchaseReceipt,
    PurchaseRequest,
    PurchaseStatus,
    check_plain_expiry,
)
from ._base import one

Encoding = Literal["whole", "values"]

# Ordergroove's advice: a checkout must never wait long for (or fail because of) Ordergroove.
PURCHASE_TIMEOUT = 5.0
PURCHASE_PATH = "/subscription/create"
# Ordergroove documents this content type although the body is a form body.
PURCHASE_CONTENT_TYPE = "application/json"
_CIPHER_BLOCK = 32  # the recipe pads to 32 bytes, so a ciphertext is a whole number of 32-byte blocks


def _request(request: PurchaseRequest | Mapping[str, Any]) -> PurchaseRequest:
    if isinstance(request, PurchaseRequest):
        return request
    if not isinstance(request, Mapping):
        raise ConfigurationError(
            f"request must be an og.PurchaseRequest or a mapping of its JSON, got {type(request).__name__}"
        )
    try:
        return from_dict(PurchaseRequest, request, strict=True)
    except ResponseDecodeError as exc:
        # The decoder names fields and types, never card values (card fields are strings: never previewed).
        raise ConfigurationError(f"request is not a valid Purchase POST: {exc.message}") from None


def _looks_encrypted(value: str) -> bool:
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        return False
    return bool(raw) and len(raw) % _CIPHER_BLOCK == 0


def _payment(payment: PaymentInfo, hash_key: str | None) -> PaymentInfo:
    """With ``hash_key`` the card fields are plain and get encrypted; without it they must be encrypted already."""
    present = {name: getattr(payment, name) for name in CARD_FIELDS if getattr(payment, name) is not None}
    if hash_key is None:
        for name, value in present.items():
            if not _looks_encrypted(value):
                raise ConfigurationError(
                    f"payment.{name} is not encrypted (not Base64 of whole 32-byte AES blocks): pass hash_key=... "
                    "to have purchase_post encrypt the plain card fields"
                )
        return payment
    if "cc_exp_date" in present:
        check_plain_expiry(present["cc_exp_date"])
    if "cc_number" in present and not (present["cc_number"].isdigit() and 12 <= len(present["cc_number"]) <= 19):
        raise ConfigurationError("payment.cc_number must be the plain card number (12 to 19 digits) with hash_key")
    encrypted: dict[str, Any] = {name: crypto.encrypt_field(value, hash_key) for name, value in present.items()}
    return attrs.evolve(payment, **encrypted)


def _wire(obj: Any) -> Any:
    """The JSON of a request model, optional fields left at None left out (Ordergroove reads absent, not null)."""
    if not attrs.has(type(obj)):
        return get_converter().unstructure(obj)
    data = to_dict(obj)
    for field in attrs.fields(type(obj)):
        if field.name in ("extra", "_raw") or not field.init:
            continue
        value = getattr(obj, field.name)
        if value is None:
            data.pop(field.name, None)
        elif attrs.has(type(value)):
            data[field.name] = _wire(value)
        elif isinstance(value, list) and any(attrs.has(type(item)) for item in value):
            data[field.name] = [_wire(item) for item in value]
    return data


def _quote_values(value: Any) -> Any:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, Mapping):
        return {_quote(str(key)): _quote_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_quote_values(item) for item in value]
    return value


def _quote(text: str) -> str:
    return quote(text, safe="")


def purchase_body(request: PurchaseRequest, *, encoding: Encoding = "whole") -> bytes:
    """The form body ``create_request=<JSON>``, URL-encoded exactly once.

    ``"whole"`` (the reference's): the whole JSON text is URL-encoded. ``"values"`` (the guide's and the
    platform plugins'): every string in the JSON is URL-encoded and the structure is left as it is.
    """
    data = _wire(request)
    if encoding == "whole":
        text = _quote(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
    elif encoding == "values":
        text = json.dumps(_quote_values(data), separators=(",", ":"))
    else:
        raise ConfigurationError(f"encoding must be 'whole' or 'values', got {encoding!r}")
    return b"create_request=" + text.encode("ascii")


def purchase_post(
    checkout_url: str,
    request: PurchaseRequest | Mapping[str, Any],
    hash_key: str | None,
    encoding: Encoding,
) -> Call[PurchaseReceipt]:
    # NOT safe to repeat blindly: it creates subscriptions (a repeat of a received order id is a 409, never retried).
    purchase = _request(request)
    purchase.validate()
    if purchase.payment is not None:
        purchase = attrs.evolve(purchase, payment=_payment(purchase.payment, hash_key))
    order_id = purchase.merchant_order_id
    errors = (
        (207, PurchasePartialError),
        (400, PurchaseBadRequestError),
        (401, PurchaseAuthenticationError),
        (403, PurchasePermissionDeniedError),
        (409, PurchaseConflictError),
    )
    return Call(
        "POST",
        PURCHASE_PATH,
        url=checkout_url + PURCHASE_PATH,
        decode=one(PurchaseReceipt),
        content=purchase_body(purchase, encoding=encoding),
        content_type=PURCHASE_CONTENT_TYPE,
        status_errors=tuple((status, partial(cls, merchant_order_id=order_id)) for status, cls in errors),
    )


_PENDING = PurchaseStatus(pending=True)


def purchase_status(checkout_url: str, subs_req_id: str) -> Call[PurchaseStatus]:
    # A read.
    path = f"/subscription/{segment('subs_req_id', subs_req_id)}/response"
    return Call(
        "GET",
        path,
        url=checkout_url + path,
        decode=one(PurchaseStatus),
        status_values=((202, _PENDING),),
    )


def purchase_options(
    client_timeout: Timeout, timeout: Timeout | None, max_retries: int | None, **extras: Any
) -> Options:
    """A checkout must never wait long for (or fail because of) Ordergroove: at most 5 s unless a timeout is given
    (a client's ``httpx.Timeout`` gives way to the 5 s too: its phases may add up to more)."""
    if timeout is None:
        timeout = (
            PURCHASE_TIMEOUT if isinstance(client_timeout, httpx.Timeout) else min(client_timeout, PURCHASE_TIMEOUT)
        )
    return Options(timeout, max_retries, **extras)
