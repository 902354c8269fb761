"""Storefront (customer-scope) authentication: Ordergroove's HMAC-signed ``Authorization`` header.

``sig`` is the standard Base64 of HMAC-SHA256 keyed with the merchant's storefront hash key over
``"{customer_id}|{ts}"`` (``"{customer_id}|recognized|{ts}"`` with ``trust_level="recognized"``). A signature
is valid for two hours, so :class:`StorefrontAuth` signs each request afresh.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Generator

import httpx

from .errors import ConfigurationError

__all__ = ["StorefrontAuth", "storefront_headers", "storefront_signature"]

TRUST_LEVELS = ("recognized",)


def _check(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty string")
    return value


def _utf8(name: str, value: object) -> bytes:
    """``value`` (a non-empty str) as UTF-8; a :class:`ConfigurationError` that never quotes it otherwise.

    For secrets (hash keys, signing keys) as much as for what is signed with them. A lone surrogate ("\\ud800", from
    a bad decoder) has no UTF-8 form, and the ``UnicodeEncodeError`` would carry the whole value in its args.
    """
    text = _check(name, value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    # Raised outside the except block, so that not even __context__ leads back to the UnicodeEncodeError.
    raise ConfigurationError(f"{name} is not valid Unicode text: it holds a lone surrogate, which has no UTF-8 form")


def storefront_signature(hash_key: str, customer_id: str, ts: int, trust_level: str | None = None) -> str:
    """The ``sig`` value for one customer at one time."""
    key = _utf8("hash_key", hash_key)
    _utf8("customer_id", customer_id)
    if trust_level:
        _utf8("trust_level", trust_level)
    message = f"{customer_id}|{trust_level}|{ts}" if trust_level else f"{customer_id}|{ts}"
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def storefront_headers(
    merchant_public_id: str,
    hash_key: str,
    customer_id: str,
    trust_level: str | None = None,
    *,
    ts: int | None = None,
) -> dict[str, str]:
    """The ``Authorization`` header that authenticates requests on behalf of one customer."""
    _check("merchant_public_id", merchant_public_id)
    _check("hash_key", hash_key)
    _check("customer_id", customer_id)
    if trust_level is not None and trust_level not in TRUST_LEVELS:
        raise ConfigurationError(f"trust_level must be None or one of {TRUST_LEVELS}, got {trust_level!r}")
    stamp = int(time.time()) if ts is None else ts
    value: dict[str, object] = {
        "public_id": merchant_public_id,
        "ts": stamp,
        "sig_field": customer_id,
        "sig": storefront_signature(hash_key, customer_id, stamp, trust_level),
    }
    if trust_level is not None:
        value["trust_level"] = trust_level
    return {"Authorization": json.dumps(value, separators=(",", ":"))}


class StorefrontAuth(httpx.Auth):
    """An ``httpx.Auth`` that signs every request for one customer; pass it as ``auth=`` to a client."""

    def __init__(
        self, merchant_public_id: str, hash_key: str, customer_id: str, trust_level: str | None = None
    ) -> None:
        # Validate now, so a bad configuration fails at construction rather than on the first request.
        storefront_headers(merchant_public_id, hash_key, customer_id, trust_level, ts=0)
        self.merchant_public_id = merchant_public_id
        self._hash_key = hash_key
        self.customer_id = customer_id
        self.trust_level = trust_level

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(
            storefront_headers(self.merchant_public_id, self._hash_key, self.customer_id, self.trust_level)
        )
        yield request

    def __repr__(self) -> str:
        return (
            f"StorefrontAuth(merchant_public_id={self.merchant_public_id!r}, customer_id={self.customer_id!r}, "
            f"trust_level={self.trust_level!r}, hash_key=<hidden>)"
        )
