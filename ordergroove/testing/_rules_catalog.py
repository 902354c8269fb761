"""Rules of the catalog and merchant endpoints: products beyond list/retrieve, product groups, resources, offer
profiles, one-time incentives, entitlements (entitlements-service host), carts (om host) and 1-click actions.

Where the reference leaves a request or response *unconfirmed*, the choice is one named constant or function
here, with the reference's words next to it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from ordergroove.testing._context import Call, last, parse_bool
from ordergroove.testing._rules import ApiError, Fields, detail, not_found
from ordergroove.testing._store import (
    STATUS_UNSENT,
    Record,
    Store,
    ascii_decimal,
    fmt_date,
    fmt_datetime,
    frequency_days,
    frequency_delta,
    money,
    parse_stored_datetime,
)

__all__ = ["HANDLERS", "product_view"]

Handler = Callable[[Call], tuple[int, Any]]

# -- choices the reference leaves *unconfirmed* (one place each) ---------------------------------------------
# products.list/retrieve: include_product_resource_grants "adds resource grants (key name not stated)";
# include_product_free_trials "adds free-trial data (key and shape unconfirmed)".
RESOURCE_GRANTS_KEY = "product_resource_grants"
FREE_TRIALS_KEY = "product_free_trials"
# products.update: "any writable Product field from the response table ...; schema unconfirmed".
PRODUCT_WRITABLE_TEXT = ("name", "sku", "image_url", "detail_url", "product_type", "offer_profile", "incentive_group")
PRODUCT_WRITABLE_BOOL = ("live", "autoship_enabled", "autoship_by_default", "prepaid_eligible", "discontinued")
# products.update's table omits these: the answer leaves them out.
PRODUCT_UPDATE_OMITS = ("merchant", "groups", "created", "last_update")
PRODUCT_TYPES = ("standard", "bundle", "club")
# products.relationships: "container (single object vs list/page) unconfirmed": a page, like every list.
# products.manage_*: bodies unconfirmed: {"product_selection_list_elements": [...], "configuration": {...}} for the
# rotations (the SelectionRule's own names) and {"resource_grants": [...]} for the digital plan; each call replaces
# that rule (or the grants) of the product and answers 200 with the product's rules (or grants).
SELECTION_ELEMENTS_KEY = "product_selection_list_elements"
RESOURCE_GRANTS_BODY_KEY = "resource_grants"
# product_groups: the group types of the update path ("one of eligibility, incentive, sku_swap"); create's body
# (name, group_type) is unconfirmed and is checked against the same list.
GROUP_TYPES = ("eligibility", "incentive", "sku_swap")
# resources.create/update: body unconfirmed ("presumably name, external_resource_id, description, image_url").
RESOURCE_FIELDS = ("name", "external_resource_id", "description", "image_url")
RESOURCE_REQUIRED = ("name", "external_resource_id")
# one_time_incentives.create/update: body unconfirmed ("presumably external_code, description, customer, order,
# incentive").
INCENTIVE_FIELDS = ("external_code", "description", "customer", "order", "incentive")
# entitlements.list: "wrapper (page vs bare list) unconfirmed": a page.
# cart.retrieve: "whether the body is one object or a list of them unconfirmed": a list of CartItem (empty for a
# session without a cart).
# one_click.delay: "days: default 14".
ONE_CLICK_DELAY_DAYS = 14
ONE_CLICK_BAD_TOKEN = "Invalid token."  # 400 on a bad token; the text is not published


def _stamp_iso(store: Store) -> str:
    # Entitlement datetimes are ISO-8601 UTC with a fraction: "2017-02-29T12:00:00.00Z".
    return store.clock.now().strftime("%Y-%m-%dT%H:%M:%S.00Z")


# -- products ---------------------------------------------------------------------------------------------------
def _wants(call: Call, name: str) -> bool:
    return bool(parse_bool(last(call.params, name) or "false"))


def product_view(call: Call, record: Record) -> Record:
    """A product as list/retrieve answer it, with what ``include_product_*`` asks for."""
    store = call.store
    product_id = record["external_product_id"]
    extra: Record = {}
    if _wants(call, "include_product_selection_rules"):
        extra["product_selection_rules"] = store.selection_rules.get(product_id, [])
    if _wants(call, "include_product_resource_grants"):
        extra[RESOURCE_GRANTS_KEY] = store.resource_grants.get(product_id, [])
    if _wants(call, "include_product_free_trials"):
        extra[FREE_TRIALS_KEY] = []
    return {**record, **extra} if extra else record


def _product(call: Call, arg: str = "product_id") -> Record:
    return call.store.products.get(call.args[arg]) or not_found()


def group_check(call: Call) -> tuple[int, Any]:
    product = _product(call)
    wanted = {"group_type": call.args["group_type"], "name": call.args["group_name"]}
    return 200, {"product_has_group": wanted in product.get("groups", [])}


def relationships(call: Call) -> tuple[int, Any]:
    product = _product(call)
    kind = last(call.params, "type")
    rows = [
        r
        for r in call.store.product_relationships
        if r["from_product"] == product["external_product_id"] and (kind is None or r["relationship_type"] == kind)
    ]
    return 200, call.page(rows)


def update_product(call: Call) -> tuple[int, Any]:
    product = _product(call, "external_product_id")
    fields = Fields(call.body)
    changes: Record = {}
    for name in PRODUCT_WRITABLE_TEXT:
        if name in fields.body:
            changes[name] = fields.string(name, required=False, allow_null=True)
    if changes.get("product_type") is not None:
        kind = changes["product_type"]
        fields.check("product_type", kind in PRODUCT_TYPES, f'"{kind}" is not a valid choice.')
    for name in PRODUCT_WRITABLE_BOOL:
        if name in fields.body:
            fields.check(name, isinstance(fields.body[name], bool), "Must be a valid boolean.")
            changes[name] = fields.body[name]
    if "price" in fields.body:  # a string or a number (the page types it double)
        amount = ascii_decimal(fields.body["price"])
        fields.check("price", amount is not None and amount >= 0, "A valid number is required.")
        changes["price"] = None if amount is None else money(amount)
    for name in ("every", "every_period", "premier_enabled"):
        if name in fields.body and fields.body[name] is not None:
            limits = {"every_period": (1, 4), "premier_enabled": (0, 2)}.get(name, (1, 2**31 - 1))
            value = fields.integer(name, min_value=limits[0], max_value=limits[1])
            changes[name] = value
        elif name in fields.body and name != "premier_enabled":
            changes[name] = None
    if "extra_data" in fields.body:
        changes["extra_data"] = fields.body["extra_data"]
    fields.done()
    product.update(changes)
    product["last_update"] = call.store.stamp()
    return 200, {k: v for k, v in product.items() if k not in PRODUCT_UPDATE_OMITS}


def _manage_rotation(kind: str) -> Handler:
    ordinal = kind == "ORDINAL"

    def handler(call: Call) -> tuple[int, Any]:
        store = call.store
        product = _product(call)
        fields = Fields(call.body)
        elements = fields.body.get(SELECTION_ELEMENTS_KEY)
        fields.check(
            SELECTION_ELEMENTS_KEY, isinstance(elements, list) and bool(elements), "This list may not be empty."
        )
        configuration = fields.body.get("configuration") or {}
        fields.check("configuration", isinstance(configuration, dict), "Expected a dictionary of items.")
        fields.done()
        assert isinstance(elements, list)
        built: list[Record] = []
        for element in elements:
            ok = isinstance(element, dict) and element.get("product") in store.products
            start = element.get("starting_ordinal" if ordinal else "starting_date") if ok else None
            if ordinal:
                # A string of digits ("0", "4"): an integer is accepted and written so.
                ok = ok and isinstance(start, (str, int)) and not isinstance(start, bool) and str(start).isdigit()
            else:
                ok = ok and isinstance(start, str) and _iso_datetime(start)
            fields.check(SELECTION_ELEMENTS_KEY, ok, "Each element needs an existing product and its start.")
            if ok:
                key = "starting_ordinal" if ordinal else "starting_date"
                built.append({"public_id": store.new_id(), "product": element["product"], key: str(start)})
        fields.done()
        config: Record = {"reveal_moment": "ORDER_PLACEMENT", "pricing_policy": "BEST_PRICE"}
        config.update(configuration)
        rule = {
            "public_id": store.new_id(),
            "selection_rule_type": kind,
            SELECTION_ELEMENTS_KEY: built,
            "configuration": config,
        }
        rules = [
            r for r in store.selection_rules.get(product["external_product_id"], []) if r["selection_rule_type"] != kind
        ]
        rules.append(rule)
        store.selection_rules[product["external_product_id"]] = rules
        return 200, rules

    return handler


def _iso_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def rotating_delivery_product(call: Call) -> tuple[int, Any]:
    """The product a rotating product ships now (response *unconfirmed*: the emulator answers that Product).

    Time window: the element with the latest ``starting_date`` not after now; ordinal: the element starting at
    ordinal 0 (the first shipment); a product without rules ships itself.
    """
    store = call.store
    product = _product(call)
    rules = store.selection_rules.get(product["external_product_id"], [])
    chosen = product["external_product_id"]
    for rule in rules:
        elements = rule[SELECTION_ELEMENTS_KEY]
        if rule["selection_rule_type"] == "TIME_WINDOW":
            now = store.clock.now()
            started = [
                e
                for e in elements
                if dt.datetime.fromisoformat(e["starting_date"].replace("Z", "")).replace(tzinfo=None) <= now
            ]
            if started:
                chosen = max(started, key=lambda e: e["starting_date"])["product"]
        elif elements:
            chosen = min(elements, key=lambda e: int(e["starting_ordinal"]))["product"]
    return 200, store.products.get(chosen, product)


def manage_digital_plan(call: Call) -> tuple[int, Any]:
    store = call.store
    product = _product(call)
    fields = Fields(call.body)
    grants = fields.body.get(RESOURCE_GRANTS_BODY_KEY)
    fields.check(RESOURCE_GRANTS_BODY_KEY, isinstance(grants, list), "Expected a list of items.")
    fields.done()
    assert isinstance(grants, list)
    built: list[Record] = []
    now = store.stamp()
    for grant in grants:
        ok = isinstance(grant, dict) and grant.get("resource") in store.resources
        seconds = grant.get("time_amount") if ok else None
        grace = grant.get("grace_period") if ok else None
        ok = ok and isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0
        ok = ok and (grace is None or (isinstance(grace, int) and not isinstance(grace, bool) and grace >= 0))
        fields.check(
            RESOURCE_GRANTS_BODY_KEY, ok, "Each grant needs an existing resource and a time_amount in seconds."
        )
        if ok:
            built.append(
                {
                    "resource": grant["resource"],
                    "product": product["external_product_id"],
                    "public_id": store.new_id(),
                    "time_amount": seconds,
                    "grace_period": grace,
                    "created": now,
                    "last_updated": now,
                }
            )
    fields.done()
    store.resource_grants[product["external_product_id"]] = built
    return 200, built


# -- product groups ---------------------------------------------------------------------------------------------
def list_groups(call: Call) -> tuple[int, Any]:
    name, kind = last(call.params, "name"), last(call.params, "group_type")
    rows = [
        g
        for g in call.store.product_groups.values()
        if (name is None or g["name"] == name) and (kind is None or g["group_type"] == kind)
    ]
    return 200, call.page(rows)


def create_group(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    name = fields.string("name")
    kind = fields.string("group_type")
    if kind is not None:
        fields.check("group_type", kind in GROUP_TYPES, f'"{kind}" is not a valid choice.')
    fields.done()
    assert name is not None and kind is not None
    if (kind, name) in store.product_groups:
        raise ApiError(400, {"non_field_errors": ["The fields name, group_type must make a unique set."]})
    group = {"name": name, "group_type": kind}
    store.product_groups[(kind, name)] = group
    return 200, group


def update_group(call: Call) -> tuple[int, Any]:
    store = call.store
    kind, current = call.args["group_type"], call.args["name"]
    group = store.product_groups.get((kind, current)) or not_found()
    fields = Fields(call.body)
    name = fields.string("name")
    if name is not None and name != current:
        fields.check("name", (kind, name) not in store.product_groups, "A group of this type has this name already.")
    fields.done()
    assert name is not None
    del store.product_groups[(kind, current)]
    group["name"] = name
    store.product_groups[(kind, name)] = group
    # Products keep their membership under the new name.
    for product in store.products.values():
        for member in product.get("groups", []):
            if member == {"group_type": kind, "name": current}:
                member["name"] = name
    return 201, group  # the current edition answers 201, not 200


# -- resources ----------------------------------------------------------------------------------------------------
def _resource(call: Call) -> Record:
    return call.store.resources.get(call.args["resource_public_id"]) or not_found()


def _resource_fields(fields: Fields, required: bool) -> Record:
    values: Record = {}
    for name in RESOURCE_FIELDS:
        needed = required and name in RESOURCE_REQUIRED
        if needed or name in fields.body:
            values[name] = fields.string(name, required=needed, allow_null=not needed and name not in RESOURCE_REQUIRED)
    return values


def create_resource(call: Call) -> tuple[int, Any]:
    fields = Fields(call.body)
    values = _resource_fields(fields, True)
    fields.done()
    store = call.store
    now = store.stamp()
    record: Record = {
        "merchant": store.merchant,
        "public_id": store.new_id(),
        "name": None,
        "external_resource_id": None,
        "description": None,
        "image_url": None,
        "created": now,
        "last_updated": now,
    }
    record.update(values)
    store.resources[record["public_id"]] = record
    return 200, record


def update_resource(call: Call) -> tuple[int, Any]:
    resource = _resource(call)
    fields = Fields(call.body)
    values = _resource_fields(fields, False)
    fields.done()
    resource.update(values)
    resource["last_updated"] = call.store.stamp()
    return 200, resource


# -- offer profiles and one-time incentives ------------------------------------------------------------------------
def list_offer_profiles(call: Call) -> tuple[int, Any]:
    return 200, call.page(list(call.store.offer_profiles.values()))


def _incentive(call: Call) -> Record:
    return call.store.one_time_incentives.get(call.args["one_time_incentive_id"]) or not_found()


def list_incentives(call: Call) -> tuple[int, Any]:
    rows = [r for r in call.store.one_time_incentives.values() if call.sees(r.get("customer"))]
    return 200, call.page(rows)


def _incentive_fields(call: Call, fields: Fields, create: bool) -> Record:
    store = call.store
    values: Record = {}
    if create or "external_code" in fields.body:
        values["external_code"] = fields.string("external_code")
    if "description" in fields.body:
        values["description"] = fields.string("description", required=False, allow_null=True)
    customer = fields.body.get("customer")
    if customer is not None:
        customer = fields.string("customer")
        fields.check("customer", customer in store.customers, f'Invalid pk "{customer}" - object does not exist.')
    if "customer" in fields.body:
        values["customer"] = customer
    order = fields.body.get("order")
    if order is not None:
        order = fields.string("order")
        fields.check("order", order in store.orders, f'Invalid pk "{order}" - object does not exist.')
    if "order" in fields.body:
        values["order"] = order
    if "incentive" in fields.body:
        incentive = fields.body["incentive"]
        fields.check("incentive", incentive is None or isinstance(incentive, dict), "Expected a dictionary of items.")
        values["incentive"] = incentive
    return values


def create_incentive(call: Call) -> tuple[int, Any]:
    store = call.store
    fields = Fields(call.body)
    values = _incentive_fields(call, fields, True)
    fields.done()
    now = store.stamp()
    record: Record = {
        "public_id": store.new_id(),
        "external_code": None,
        "description": None,
        "merchant": store.merchant,
        "customer": None,
        "order": None,
        "created": now,
        "last_updated": now,
        "incentive": {},
    }
    record.update(values)
    store.one_time_incentives[record["public_id"]] = record
    return 200, record


def update_incentive(call: Call) -> tuple[int, Any]:
    record = _incentive(call)
    fields = Fields(call.body)
    values = _incentive_fields(call, fields, False)
    fields.done()
    record.update(values)
    record["last_updated"] = call.store.stamp()
    return 200, record


def delete_incentive(call: Call) -> tuple[int, Any]:
    record = _incentive(call)
    del call.store.one_time_incentives[record["public_id"]]
    return 200, record  # the deleted record, per the field table


# -- entitlements, carts, 1-click -----------------------------------------------------------------------------
def list_entitlements(call: Call) -> tuple[int, Any]:
    rows = [e for e in call.store.entitlements.values() if e["merchant_user_id"] == call.principal.customer]
    return 200, call.page(rows)


def retrieve_cart(call: Call) -> tuple[int, Any]:
    return 200, call.store.carts.get(call.args["session_id"], [])


def _token(call: Call, kind: str) -> Record:
    token = last(call.params, "token")
    if token is None:
        raise ApiError(400, {"token": ["This field is required."]})
    found = call.store.one_click_tokens.get(token)
    record = call.store.collection(kind).get(found[1]) if found is not None and found[0] == kind else None
    if record is None:
        detail(ONE_CLICK_BAD_TOKEN)
    return record


def one_click_delay(call: Call) -> tuple[int, Any]:
    store = call.store
    order = _token(call, "orders")
    raw = last(call.params, "days")
    days = ONE_CLICK_DELAY_DAYS
    if raw is not None:
        fields = Fields({"days": raw})
        parsed = fields.integer("days", min_value=1, max_value=3650)
        fields.done()
        assert parsed is not None
        days = parsed
    if order["status"] != STATUS_UNSENT:
        detail("This order is not in a state which it can edited")
    if order["locked"]:
        raise ApiError(423, {"details": "Resource is currently in use. Please try again shortly."})
    before = copy.deepcopy(order)
    order["place"] = fmt_datetime(parse_stored_datetime(order["place"]) + dt.timedelta(days=days))
    order["updated"] = store.stamp()
    call.emit("orders", "change_place_date", order, before)
    return 200, {}


def one_click_reactivate(call: Call) -> tuple[int, Any]:
    store = call.store
    sub = _token(call, "subscriptions")
    if sub["live"]:
        raise ApiError(400, {"subscription": ["This subscription is already in active state"]})
    before = copy.deepcopy(sub)
    today = store.clock.today()
    sub.update(
        live=True,
        cancelled=None,
        cancel_reason=None,
        cancel_reason_code=None,
        start_date=fmt_date(today),
        frequency_days=frequency_days(sub["every"], sub["every_period"]),
        updated=store.stamp(),
    )
    store.schedule(sub, today + frequency_delta(sub["every"], sub["every_period"]))
    call.emit("subscriptions", "reactivate", sub, before)
    return 200, {}


HANDLERS: dict[str, Handler] = {
    "products.group_check": group_check,
    "products.relationships": relationships,
    "products.update": update_product,
    "products.manage_time_window_rotation": _manage_rotation("TIME_WINDOW"),
    "products.manage_ordinal_rotation": _manage_rotation("ORDINAL"),
    "products.retrieve_rotating_delivery_product": rotating_delivery_product,
    "products.manage_digital_plan": manage_digital_plan,
    "product_groups.list": list_groups,
    "product_groups.create": create_group,
    "product_groups.update": update_group,
    "resources.list": lambda call: (200, call.page(list(call.store.resources.values()))),
    "resources.retrieve": lambda call: (200, _resource(call)),
    "resources.create": create_resource,
    "resources.update": update_resource,
    "offer_profiles.list": list_offer_profiles,
    "one_time_incentives.list": list_incentives,
    "one_time_incentives.retrieve": lambda call: (200, _incentive(call)),
    "one_time_incentives.create": create_incentive,
    "one_time_incentives.update": update_incentive,
    "one_time_incentives.delete": delete_incentive,
    "entitlements.list": list_entitlements,
    "cart.retrieve": retrieve_cart,
    "one_click.delay": one_click_delay,
    "one_click.reactivate": one_click_reactivate,
}
_ = _stamp_iso
