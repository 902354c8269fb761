"""Helpers for the emulator's tests: one way to send a request, whichever way in is under test."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any

import httpx

from ordergroove.testing import FakeOrdergroove

NOW = dt.datetime(2025, 3, 1, 12, 0, 0)
KEY = "test-key"
WAYS = ("sync", "async", "socket")

SUBSCRIPTION_FIELDS = {
    "public_id", "customer", "merchant", "product", "payment", "shipping_address", "offer", "subscription_type",
    "components", "extra_data", "product_attribute", "quantity", "price", "frequency_days", "reminder_days",
    "every", "every_period", "start_date", "cancelled", "cancel_reason", "cancel_reason_code", "currency_code",
    "iteration", "sequence", "session_id", "merchant_order_id", "customer_rep", "club", "created", "updated",
    "live",
}  # fmt: skip
ORDER_FIELDS = {
    "public_id", "merchant", "customer", "payment", "shipping_address", "currency_code", "sub_total", "tax_total",
    "shipping_total", "discount_total", "total", "created", "updated", "place", "cancelled", "tries",
    "generic_error_count", "status", "type", "order_merchant_id", "rejected_message", "extra_data", "locked",
    "oos_free_shipping",
}  # fmt: skip
ITEM_FIELDS = {
    "public_id", "order", "subscription", "offer", "product", "quantity", "price", "extra_cost", "total_price",
    "one_time", "frozen", "product_attribute", "subscription_component", "order_updated", "first_placed",
}  # fmt: skip
CUSTOMER_FIELDS = {
    "merchant", "merchant_user_id", "first_name", "last_name", "email", "phone_number", "phone_type", "live",
    "created", "last_updated", "last_login", "extra_data", "locale", "price_code", "session_id", "user_token_id",
}  # fmt: skip
PRODUCT_FIELDS = {
    "external_product_id", "merchant", "name", "sku", "price", "image_url", "detail_url", "autoship_enabled",
    "autoship_by_default", "prepaid_eligible", "live", "discontinued", "premier_enabled", "product_type", "every",
    "every_period", "offer_profile", "incentive_group", "groups", "created", "last_update", "extra_data",
}  # fmt: skip
ADDRESS_FIELDS = {
    "public_id", "customer", "label", "first_name", "last_name", "company_name", "address", "address2", "city",
    "state_province_code", "zip_postal_code", "phone", "fax", "country_code", "live", "created", "updated",
    "token_id", "store_public_id",
}  # fmt: skip
PAYMENT_FIELDS = {
    "public_id", "customer", "billing_address", "label", "token_id", "cc_holder", "cc_type", "cc_number_ending",
    "cc_exp_date", "payment_method", "live", "created", "last_updated",
}  # fmt: skip


class Switch:
    """One uvicorn server for the whole session, pointed at each test's emulator in turn."""

    def __init__(self) -> None:
        self.fake: FakeOrdergroove | None = None

    def asgi_app(self) -> Any:
        async def app(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                assert self.fake is not None, "no emulator is switched in"
                await self.fake.asgi_app()(scope, receive, send)

        return app


class Api:
    """Sends requests to ``fake`` by one way in: the sync or async transport, or a real socket."""

    def __init__(self, fake: FakeOrdergroove, way: str, socket_url: str | None = None) -> None:
        self.fake = fake
        self.way = way
        self.base_url = socket_url if way == "socket" and socket_url else fake.base_url

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        key: str | None = KEY,
        timeout: float | None = 10.0,
    ) -> httpx.Response:
        sent: dict[str, str] = {"x-api-key": key} if key is not None else {}
        sent.update(headers or {})
        kwargs: dict[str, Any] = {"params": params, "headers": sent, "json": json, "content": content}
        if self.way == "async":
            return asyncio.run(self._arequest(method, path, timeout, kwargs))
        transport = self.fake.transport() if self.way == "sync" else None
        with httpx.Client(transport=transport, base_url=self.base_url, timeout=timeout) as client:
            return client.request(method, path, **kwargs)

    async def _arequest(self, method: str, path: str, timeout: float | None, kwargs: dict[str, Any]) -> httpx.Response:
        transport = self.fake.async_transport()
        async with httpx.AsyncClient(transport=transport, base_url=self.base_url, timeout=timeout) as client:
            return await client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def v2(self, path: str, **kwargs: Any) -> httpx.Response:
        """A list call in cursor mode."""
        headers = {"X-OG-API-VERSION": "2", **kwargs.pop("headers", {})}
        return self.request("GET", path, headers=headers, **kwargs)


def results(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


def ids(rows: list[dict[str, Any]], key: str = "public_id") -> list[str]:
    return [row[key] for row in rows]


# The reference's Shapes of the records added for the whole REST surface.
COMPONENT_FIELDS = {"public_id", "quantity", "product"}
ROTATION_CONTEXT_FIELDS = {"ordinal", "rotating_product", "subscription", "active"}
FINALIZE_FIELDS = {
    "merchant", "order", "status", "display_status", "error_code", "error_message", "retry",
    "currency_units_per_merchant_currency_unit",
}  # fmt: skip
PREPAID_FIELDS = {
    "prepaid_orders_remaining", "prepaid_orders_per_billing", "renewal_behavior", "last_renewal_revenue",
    "prepaid_origin_merchant_order_id",
}  # fmt: skip
RESOURCE_FIELDS = {
    "merchant", "public_id", "name", "external_resource_id", "description", "image_url", "created", "last_updated",
}  # fmt: skip
GRANT_FIELDS = {"resource", "product", "public_id", "time_amount", "grace_period", "created", "last_updated"}
ENTITLEMENT_FIELDS = {
    "merchant", "public_id", "merchant_user_id", "initial_activation_date", "latest_activation_date", "expiration",
    "created", "last_updated", "grace_period", "access_type", "resource",
}  # fmt: skip
OFFER_PROFILE_FIELDS = {
    "public_id", "name", "merchant", "live", "weight", "offers", "recurring_coupon", "initial_coupon",
}  # fmt: skip
INCENTIVE_FIELDS = {
    "public_id", "external_code", "description", "merchant", "customer", "order", "created", "last_updated",
    "incentive",
}  # fmt: skip
CART_ITEM_FIELDS = {"id", "offer_id", "incentives", "attributes", "coupon_code", "quantity", "every", "every_period"}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
NOT_FOUND = {"detail": "Unable to find requested asset."}


def as_storefront(fake: FakeOrdergroove, customer: str, *, recognized: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``Api.request`` that sign as ``customer`` instead of sending the key."""
    return {"key": None, "headers": fake.storefront_headers(customer, recognized=recognized)}
