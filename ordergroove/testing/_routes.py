"""Every endpoint of Ordergroove's REST reference, by host, method and path: the emulator's one route table.

``match`` turns a request's host, method and path into the endpoint it names (and its path arguments), or
says that no such route exists (404) or that the path exists for other methods (405). The table is data only:
what each endpoint does lives in the rule modules, keyed by the endpoint's id (the reference's id, e.g.
``subscriptions.change_shipping_address``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from urllib.parse import unquote, urlsplit

import attrs

__all__ = ["ENDPOINTS", "Endpoint", "Match", "host_kinds", "match"]

Host = Literal["restapi", "sc", "om", "entitlements-service"]
# Who may call: A application key, S storefront signature, r storefront with trust_level "recognized" too;
# "none": no authentication (headers ignored); "own": the endpoint authenticates itself (checkout).
Scope = Literal["A", "AS", "ASr", "S", "none", "own"]

# The Ordergroove hosts and the endpoints each serves. Staging names of om and entitlements-service are
# *unconfirmed* (reference, "Hosts"): they follow the pattern of the confirmed ones (staging.<host>).
HOSTS: Mapping[str, Host] = {
    "restapi.ordergroove.com": "restapi",
    "staging.restapi.ordergroove.com": "restapi",
    "sc.ordergroove.com": "sc",
    "staging.sc.ordergroove.com": "sc",
    "om.ordergroove.com": "om",
    "staging.om.ordergroove.com": "om",
    "entitlements-service.ordergroove.com": "entitlements-service",
    "staging.entitlements-service.ordergroove.com": "entitlements-service",
}
ALL_HOSTS: frozenset[Host] = frozenset(HOSTS.values())


@attrs.frozen
class Endpoint:
    id: str
    method: str
    host: Host
    path: str  # the reference's path, placeholders in braces
    scope: Scope
    writes: bool  # a successful call changes the state (1-click GETs do)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.strip("/").split("/"))

    @property
    def trailing(self) -> bool:
        return self.path.endswith("/")


def _e(
    id_: str, method: str, path: str, scope: Scope, host: Host = "restapi", *, writes: bool | None = None
) -> Endpoint:
    return Endpoint(id_, method, host, path, scope, method != "GET" if writes is None else writes)


# orders.finalize_placement: PATCH on the reference page and one current page, POST on another (*unconfirmed*).
FINALIZE_PLACEMENT_METHOD = "PATCH"

ENDPOINTS: tuple[Endpoint, ...] = (
    _e("subscriptions.list", "GET", "/subscriptions/", "AS"),
    # Before the /subscriptions/{id}/<action>/ paths: "components" is a literal here, not an id.
    _e("subscriptions.retrieve_component", "GET", "/subscriptions/components/{component_public_id}/", "AS"),
    _e("subscriptions.retrieve", "GET", "/subscriptions/{subscription_id}/", "ASr"),
    _e("subscriptions.cancel", "PATCH", "/subscriptions/{subscription_id}/cancel/", "ASr"),
    _e("subscriptions.change_quantity", "PATCH", "/subscriptions/{subscription_id}/change_quantity/", "AS"),
    _e("subscriptions.change_shipping_address", "PATCH", "/subscriptions/{subscription_id}/change_shipping/", "AS"),
    _e("subscriptions.change_payment", "PATCH", "/subscriptions/{subscription_id}/change_payment/", "AS"),
    _e("subscriptions.change_email_reminder", "PATCH", "/subscriptions/{subscription_id}/change_email_reminder/", "AS"),
    _e("subscriptions.change_frequency", "PATCH", "/subscriptions/{subscription_id}/change_frequency/", "AS"),
    _e("subscriptions.reactivate", "PATCH", "/subscriptions/{subscription_id}/reactivate/", "AS"),
    _e("subscriptions.update", "PATCH", "/subscriptions/{subscription_id}/update/", "AS"),
    _e("subscriptions.create_in_order", "POST", "/subscriptions/iu/", "AS"),
    _e("subscriptions.create_from_item", "POST", "/subscriptions/create_from_item/", "AS"),
    _e("subscriptions.change_product", "PATCH", "/subscriptions/{subscription_public_id}/change_product/", "AS"),
    _e(
        "subscriptions.change_next_order_date",
        "PATCH",
        "/subscriptions/{subscription_id}/change_next_order_date/",
        "AS",
    ),
    _e(
        "subscriptions.retrieve_rotation_ordinal",
        "GET",
        "/subscriptions/{subscription_id}/rotation_ordinal/{product_id}",
        "AS",
    ),
    _e("subscriptions.set_rotation_ordinal", "PATCH", "/subscriptions/{subscription_id}/rotation_ordinal/update/", "A"),
    # A and S: the storefront may send renewal_behavior only (see _rules_records.PREPAID_STOREFRONT_FIELDS).
    _e(
        "subscriptions.update_prepaid_context",
        "PATCH",
        "/subscriptions/{subscription_id}/update_prepaid_context/",
        "AS",
    ),
    _e(
        "subscriptions.change_renewal_behavior",
        "PATCH",
        "/subscriptions/{subscription_id}/change_renewal_behavior/",
        "AS",
    ),
    _e("subscriptions.upgrade_to_prepaid", "PATCH", "/subscriptions/{subscription_id}/upgrade_to_prepaid/", "AS"),
    _e(
        "subscriptions.update_components",
        "POST",
        "/subscriptions/{subscription_public_Id}/components/bulk_operation/",
        "AS",
    ),
    _e("orders.list", "GET", "/orders/", "ASr"),
    _e("orders.retrieve", "GET", "/orders/{order_id}/", "ASr"),
    _e("orders.cancel", "PATCH", "/orders/{order_id}/cancel/", "AS"),
    _e("orders.send_now", "PATCH", "/orders/{order_id}/send_now/", "AS"),
    _e("orders.change_shipping_address", "PATCH", "/orders/{order_id}/change_shipping/", "AS"),
    _e("orders.change_payment", "PATCH", "/orders/{order_id}/change_payment/", "AS"),
    _e("orders.change_place_date", "PATCH", "/orders/{order_id}/change_place_date/", "ASr"),
    _e("orders.update", "PATCH", "/orders/{order_id}/update/", "A"),
    _e("orders.skip_subscription", "PATCH", "/orders/{order_id}/skip_subscription/", "AS"),
    _e("orders.finalize_placement", FINALIZE_PLACEMENT_METHOD, "/orders/{order_id}/finalize_placement/", "A"),
    _e("items.list", "GET", "/items/", "AS"),
    _e("items.create", "POST", "/items/create/", "AS"),
    _e("items.create_in_order", "POST", "/items/iu/", "ASr"),
    _e("items.retrieve", "GET", "/items/{item_id}/", "AS"),
    _e("items.change_quantity", "PATCH", "/items/{item_id}/change_quantity/", "AS"),
    _e("items.change_price", "PATCH", "/items/{item_id}/change_price/", "A"),
    _e("items.delete", "DELETE", "/items/{item_id}/delete/", "ASr"),
    _e("items.update", "PATCH", "/items/{item_id}/update/", "A"),
    _e("items.change_product", "PATCH", "/items/{item_id}/change_product/", "AS"),
    _e("customers.list", "GET", "/customers/", "AS"),
    _e("customers.create", "POST", "/customers/create/", "AS"),
    _e("customers.retrieve", "GET", "/customers/{merchant_user_id}/", "AS"),
    _e("customers.update", "PATCH", "/customers/{merchant_user_id}/update", "AS"),
    _e("customers.set_contact_details", "PATCH", "/customers/{merchant_user_id}/set_contact_details", "AS"),
    _e("addresses.list", "GET", "/addresses/", "ASr"),
    _e("addresses.create", "POST", "/addresses/create/", "ASr"),
    _e("addresses.retrieve", "GET", "/addresses/{address_id}/", "ASr"),
    _e("addresses.update", "PATCH", "/addresses/{address_id}/update/", "ASr"),
    _e("addresses.use_for_all", "POST", "/addresses/{address_public_id}/use_for_all/", "AS"),
    _e("payments.list", "GET", "/payments/", "AS"),
    _e("payments.create", "POST", "/payments/create/", "AS"),
    _e("payments.retrieve", "GET", "/payments/{payment_id}/", "AS"),
    _e("payments.update", "PATCH", "/payments/{payment_id}/update/", "AS"),
    _e("payments.use_for_all", "POST", "/payments/{payment_id}/use_for_all/", "AS"),
    _e("products.list", "GET", "/products/", "AS"),
    _e("products.retrieve", "GET", "/products/{product_id}/", "AS"),
    _e("products.group_check", "GET", "/products/{product_id}/{group_type}/{group_name}", "AS"),
    _e("products.relationships", "GET", "/products/{product_id}/relationships/", "A"),
    _e("products.update", "PATCH", "/products/{external_product_id}/", "A"),
    _e("products.bulk_create", "POST", "/products-batch/create/", "own"),
    _e("products.bulk_update", "PATCH", "/products-batch/update/", "own"),
    _e(
        "products.manage_time_window_rotation",
        "POST",
        "/products/{product_id}/selection_rules/time_window/manage/",
        "A",
    ),
    _e("products.manage_ordinal_rotation", "POST", "/products/{product_id}/selection_rules/ordinal/manage/", "A"),
    _e(
        "products.retrieve_rotating_delivery_product",
        "GET",
        "/products/{product_id}/rotating_delivery_product/",
        "AS",
    ),
    _e("products.manage_digital_plan", "POST", "/products/{product_id}/resource_grants/manage/", "A"),
    _e("product_groups.list", "GET", "/product_groups/", "A"),
    _e("product_groups.create", "POST", "/product_groups/create/", "A"),
    _e("product_groups.update", "PATCH", "/product_groups/{group_type}/{name}/", "A"),
    _e("resources.list", "GET", "/resources/", "AS"),
    _e("resources.create", "POST", "/resources/create/", "A"),
    _e("resources.retrieve", "GET", "/resources/{resource_public_id}/", "AS"),
    _e("resources.update", "PATCH", "/resources/{resource_public_id}/update/", "A"),
    _e("offer_profiles.list", "GET", "/offer_profiles/", "A"),
    _e("one_time_incentives.list", "GET", "/one_time_incentives/", "AS"),
    _e("one_time_incentives.create", "POST", "/one_time_incentives/create/", "A"),
    _e("one_time_incentives.retrieve", "GET", "/one_time_incentives/{one_time_incentive_id}/", "A"),
    _e("one_time_incentives.update", "PATCH", "/one_time_incentives/{one_time_incentive_id}/update/", "A"),
    _e("one_time_incentives.delete", "DELETE", "/one_time_incentives/{one_time_incentive_id}/delete/", "A"),
    _e("entitlements.list", "GET", "/entitlements/", "S", "entitlements-service"),
    _e("cart.retrieve", "GET", "/carts/{session_id}/", "none", "om"),
    _e("one_click.delay", "GET", "/one_click/delay", "none", writes=True),
    _e("one_click.reactivate", "GET", "/one_click/reactivate", "none", writes=True),
    _e("purchase_post.create", "POST", "/subscription/create", "own", "sc"),
    _e("purchase_post.status", "GET", "/subscription/{subscription_request_id}/response", "own", "sc"),
    _e("merchant.list_cancel_reasons", "GET", "/merchant/cancel_reason/", "A"),
)

# Paths also answered, besides the reference's: Purchase POST's page has no slash, its JavaScript example has one.
ALIASES: tuple[tuple[str, str], ...] = (("purchase_post.create", "/subscription/create/"),)


@attrs.frozen
class _Template:
    endpoint: Endpoint
    segments: tuple[str, ...]
    trailing: bool

    @property
    def literals(self) -> int:
        return sum(1 for segment in self.segments if not segment.startswith("{"))


def _templates() -> tuple[_Template, ...]:
    by_id = {endpoint.id: endpoint for endpoint in ENDPOINTS}
    found = [_Template(e, e.segments, e.trailing) for e in ENDPOINTS]
    for endpoint_id, path in ALIASES:
        found.append(_Template(by_id[endpoint_id], tuple(path.strip("/").split("/")), path.endswith("/")))
    return tuple(found)


_TEMPLATES = _templates()


@attrs.frozen
class Match:
    """A request's route: its endpoint (None: the path exists, not for this method) and its path arguments."""

    endpoint: Endpoint | None
    args: Mapping[str, str]
    allowed: tuple[str, ...]
    scope: Scope  # of the path's endpoints, to authenticate before a 405 as Ordergroove does


def host_kinds(origin: str) -> frozenset[Host]:
    """Which hosts' endpoints a request to ``origin`` may reach.

    An Ordergroove host name serves its own endpoints (and ``api.`` or ``webhooks.`` none); any other origin
    (the emulator's own base URL, a socket on 127.0.0.1) serves them all, as one stand-in for every host.
    """
    host = (urlsplit(origin).hostname or "").lower()
    if host in HOSTS:
        return frozenset((HOSTS[host],))
    if host == "ordergroove.com" or host.endswith(".ordergroove.com"):
        return frozenset()
    return ALL_HOSTS


def _bind(template: _Template, parts: list[str], trailing: bool) -> dict[str, str] | None:
    if len(parts) != len(template.segments) or trailing != template.trailing:
        return None
    args: dict[str, str] = {}
    for segment, part in zip(template.segments, parts, strict=True):
        if segment.startswith("{"):
            args[segment[1:-1]] = part
        elif segment != part:
            return None
    return args


def match(origin: str, method: str, raw_path: str) -> Match | None:
    """The route of ``raw_path`` (percent-encoded) on ``origin``, or None when there is no such path."""
    segments = raw_path.strip("/").split("/")
    if not raw_path.startswith("/") or any(segment == "" for segment in segments):
        return None
    parts = [unquote(segment) for segment in segments]
    trailing = raw_path.endswith("/")
    kinds = host_kinds(origin)
    best: list[tuple[_Template, dict[str, str]]] = []
    for template in _TEMPLATES:
        if template.endpoint.host not in kinds:
            continue
        args = _bind(template, parts, trailing)
        if args is None:
            continue
        # The most literal template wins (/subscriptions/components/{id}/ over /subscriptions/{id}/<action>/).
        if best and template.literals < best[0][0].literals:
            continue
        if best and template.literals > best[0][0].literals:
            best = []
        best.append((template, args))
    if not best:
        return None
    allowed = tuple(dict.fromkeys(template.endpoint.method for template, _ in best))
    for template, args in best:
        if template.endpoint.method == method:
            return Match(template.endpoint, args, allowed, template.endpoint.scope)
    return Match(None, {}, allowed, best[0][0].endpoint.scope)
