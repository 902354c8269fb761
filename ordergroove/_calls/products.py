"""products.*: the calls of ``client.products``, and products-batch: create or update any number of products, 100 per
request, every result in input order.

Everything is checked and converted before the first request, so a bad product never leaves a catalog
half-updated by this library's own doing.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .._call import Call, Decoding, Params, path, segment
from .._exceptions import NOT_SENT
from .._page import Page
from ..errors import BatchError, ConfigurationError, OrdergrooveError, ResponseDecodeError, outcome_unknown
from ..models import (
    BatchResult,
    GroupCheck,
    Period,
    Product,
    ProductRelationship,
    ResourceGrant,
    SelectionRule,
    decode_list,
)
from ._base import Body, list_at, list_call, one, period_value, records_call, retrieve_call, write_call

if TYPE_CHECKING:
    from ..feed import FeedProduct


BatchKind = Literal["create", "update"]
# The most products one products-batch request carries (public as og.PRODUCTS_BATCH_SIZE): longer lists go in chunks.
PRODUCTS_BATCH_SIZE = 100
REQUIRED_FIELDS = ("product_id", "sku", "name", "price", "live", "image_url", "detail_url")
_ENDPOINTS = {"create": ("POST", "/products-batch/create/"), "update": ("PATCH", "/products-batch/update/")}


def list_(
    external_product_ids: Sequence[str] | None,
    include_product_selection_rules: bool | None,
    include_product_resource_grants: bool | None,
    page_size: int,
) -> Call[Page[Product]]:
    params = (
        Params()
        .ids("external_product_ids[]", external_product_ids)
        .boolean("include_product_selection_rules", include_product_selection_rules)
        .boolean("include_product_resource_grants", include_product_resource_grants)
        .page_size(page_size)
    )
    return list_call(Product, "products", params.items())


def retrieve(
    product_id: str,
    include_product_selection_rules: bool | None = None,
    include_product_free_trials: bool | None = None,
    include_product_resource_grants: bool | None = None,
) -> Call[Product]:
    # The merchant's external_product_id. include_product_resource_grants is *unconfirmed* for retrieve (shown on
    # the older page only); sent as documented there.
    params = (
        Params()
        .boolean("include_product_selection_rules", include_product_selection_rules)
        .boolean("include_product_free_trials", include_product_free_trials)
        .boolean("include_product_resource_grants", include_product_resource_grants)
    )
    return retrieve_call(Product, "products", "product_id", product_id, params.items())


def _from_feed(product: FeedProduct) -> dict[str, Any]:
    # The feed's XML names -> products-batch's JSON names (details_url/detail_url, in_stock/live, ...).
    item: dict[str, Any] = {
        "product_id": product.product_id,
        "sku": product.sku,
        "name": product.name,
        "price": product.price,
        "live": product.in_stock,
        "image_url": product.image_url,
        "detail_url": product.details_url,
    }
    optional = {
        "autoship_enabled": product.autoship_eligible,
        "discontinued": product.discontinued,
        "every": product.every,
        "every_period": product.every_period,
        "product_type": product.product_type,
        "extra_data": dict(product.extra_data) if product.extra_data else None,
    }
    item.update({key: value for key, value in optional.items() if value is not None})
    return item


def _price(value: object, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal | str):
        raise ConfigurationError(f"{where}.price must be a number, got {type(value).__name__}")
    try:
        amount = decimal.Decimal(value) if not isinstance(value, float) else decimal.Decimal(repr(value))
    except decimal.InvalidOperation:
        raise ConfigurationError(f"{where}.price must be a number, got {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ConfigurationError(f"{where}.price must be a finite amount >= 0, got {value!r}")
    if amount == amount.to_integral_value():
        return int(amount)
    # JSON wants a number. A float's repr is its shortest spelling, so any amount of up to 15 significant
    # digits (every price: at most 99999999.99) goes out as exactly the digits given.
    if len(amount.as_tuple().digits) > 15:
        raise ConfigurationError(f"{where}.price has more than 15 significant digits: {value!r}")
    return float(amount)


def batch_item(product: Mapping[str, Any] | FeedProduct, index: int, *, complete: bool) -> dict[str, Any]:
    """One product as products-batch's JSON; ``complete``: every required field must be there."""
    from ..feed import FeedProduct  # the feed module (XML) loads only when a batch is made

    where = f"products[{index}]"
    if isinstance(product, FeedProduct):
        item = _from_feed(product)
    elif isinstance(product, Mapping):
        item = dict(product)
    else:
        raise ConfigurationError(
            f"{where} must be a mapping of products-batch fields or an og.feed.FeedProduct, "
            f"got {type(product).__name__}"
        )
    product_id = item.get("product_id")
    if not isinstance(product_id, str) or not product_id.strip():
        raise ConfigurationError(f"{where}.product_id is required: a non-empty string")
    where = f"{where} ({product_id})"
    if complete:
        missing = [name for name in REQUIRED_FIELDS if item.get(name) is None]
        if missing:
            raise ConfigurationError(
                f"{where} lacks {', '.join(missing)} (required to create, or to update with force_all_fields)"
            )
    if item.get("price") is not None:
        item["price"] = _price(item["price"], where)
    for name in ("live", "autoship_enabled", "prepaid_eligible", "discontinued", "autoship_by_default"):
        if item.get(name) is not None and not isinstance(item[name], bool):
            raise ConfigurationError(f"{where}.{name} must be True or False, got {item[name]!r}")
    if isinstance(item.get("every_period"), Period):
        item["every_period"] = int(item["every_period"])
    return item


def _decode_results(product_ids: list[str], body: Any, decoding: Decoding) -> list[BatchResult]:
    if not isinstance(body, Mapping) or not isinstance(body.get("results"), list):
        raise ResponseDecodeError("expected products-batch's answer: a JSON object with a 'results' list")
    results = decode_list(BatchResult, body["results"], strict=decoding.strict)
    # In the order the products were sent, whatever order Ordergroove lists them in.
    position = {product_id: index for index, product_id in reversed(list(enumerate(product_ids)))}
    if len(results) == len(product_ids) and {r.product_id for r in results} == set(product_ids):
        return sorted(results, key=lambda r: position[r.product_id])
    return results


@attrs.frozen
class Batch:
    """One products-batch request and the products it carries, as the caller gave them."""

    call: Call[list[BatchResult]]
    given: list[Any]


def batch_calls(
    kind: BatchKind,
    products: Iterable[Mapping[str, Any] | FeedProduct],
    force_all_fields: bool | None,
) -> list[Batch]:
    """The requests of one batch operation, 100 products each (every product checked first).

    Neither is re-sent after an ambiguous failure: a bulk operation (a create would create or fail per product; an
    update of many products is not re-sent either, as no bulk operation is).
    """
    from ..feed import FeedProduct

    if isinstance(products, str | bytes | Mapping | FeedProduct):
        raise ConfigurationError("products must be a list (or any iterable) of products, not a single one")
    params = Params().boolean("force_all_fields", force_all_fields).items()
    complete = kind == "create" or force_all_fields is not False
    given = list(products)
    items = [batch_item(product, index, complete=complete) for index, product in enumerate(given)]
    method, path = _ENDPOINTS[kind]
    batches: list[Batch] = []
    for start in range(0, len(items), PRODUCTS_BATCH_SIZE):
        chunk = items[start : start + PRODUCTS_BATCH_SIZE]
        ids = [item["product_id"] for item in chunk]
        call = Call(
            method,
            path,
            params=params,
            json=chunk,
            has_body=True,
            decode=partial(_decode_results, ids),
            rate_group="products-batch",
            idempotent=False,
        )
        batches.append(Batch(call, given[start : start + PRODUCTS_BATCH_SIZE]))
    return batches


def batch_error(batches: Sequence[Batch], failed: int, results: list[BatchResult], error: BaseException) -> BatchError:
    """What is known when request ``failed`` (0-based) of ``batches`` raised ``error``: the results of the requests
    before it, and its products as of unknown outcome (it may have been applied) or not applied (a clear refusal),
    with every later request's products not applied (never sent). An interruption (not an error of this library)
    leaves the request's outcome unknown (it may have been sent) unless it came before the request could be applied
    (waiting for the rate limit, or to retry a refusal)."""
    interrupted = not isinstance(error, OrdergrooveError)
    unsure = outcome_unknown(error) or (interrupted and getattr(error, NOT_SENT, False) is not True)
    later = [product for batch in batches[failed + 1 :] for product in batch.given]
    return BatchError(
        error=error,
        request=failed + 1,
        requests=len(batches),
        results=results,
        unknown=batches[failed].given if unsure else [],
        not_applied=later if unsure else [*batches[failed].given, *later],
    )


# -- one product's calls ----------------------------------------------------------------------------------------


def group_check(product_id: str, group_type: str, group_name: str) -> Call[GroupCheck]:
    # A read. One of the paths Ordergroove serves without a trailing slash.
    url = path(
        "products",
        segment("product_id", product_id),
        segment("group_type", group_type),
        segment("group_name", group_name),
        trailing_slash=False,
    )
    return Call("GET", url, decode=one(GroupCheck))


def relationships(product_id: str, type_: str | None, page_size: int) -> Call[Page[ProductRelationship]]:
    # A read. Unconfirmed: the container (one object, a list or a page); a page here, as the emulator answers.
    url = path("products", segment("product_id", product_id), "relationships")
    return list_at(ProductRelationship, url, Params().text("type", type_).page_size(page_size).items())


def update(external_product_id: str, changes: Mapping[str, Any]) -> Call[Product]:
    # Setting fields is idempotent. Unconfirmed: the body (any writable Product field).
    body = Body()
    for name in ("name", "sku", "image_url", "detail_url", "product_type", "offer_profile", "incentive_group"):
        body.text(name, changes.get(name))
    for name in ("live", "autoship_enabled", "autoship_by_default", "prepaid_eligible", "discontinued"):
        body.boolean(name, changes.get(name))
    body.integer("every", changes.get("every"), minimum=1).integer("premier_enabled", changes.get("premier_enabled"))
    body.json_text("extra_data", changes.get("extra_data"))
    if changes.get("every_period") is not None:
        body.fields["every_period"] = period_value(changes["every_period"])
    if changes.get("price") is not None:
        body.fields["price"] = _price(changes["price"], "product")
    url = path("products", segment("external_product_id", external_product_id))
    return write_call(Product, "PATCH", url, body.changes(), idempotent=True)


def _elements(elements: object, start: str, convert: Callable[[str, object], str]) -> list[dict[str, str]]:
    if isinstance(elements, str | bytes | Mapping) or not isinstance(elements, Sequence) or not elements:
        raise ConfigurationError(f"{SELECTION_ELEMENTS} must be a non-empty list of {{product, {start}}} mappings")
    built = []
    for index, element in enumerate(elements):
        where = f"{SELECTION_ELEMENTS}[{index}]"
        if not isinstance(element, Mapping) or set(element) != {"product", start}:
            raise ConfigurationError(f"{where} must be a mapping with exactly 'product' and '{start}'")
        segment(f"{where}.product", element["product"])
        built.append({"product": element["product"], start: convert(f"{where}.{start}", element[start])})
    return built


def _starting_date(name: str, value: object) -> str:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ConfigurationError(f"{name} must be an aware datetime.datetime (e.g. in UTC), got {value!r}")
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _starting_ordinal(name: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"{name} must be a whole number >= 0, got {value!r}")
    return str(value)  # sent as a string of digits, as Ordergroove's examples do


# Unconfirmed: the manage_* bodies (not published). As the reference presumes and the emulator takes:
# {"product_selection_list_elements": [...], "configuration": {...}} and {"resource_grants": [...]}.
SELECTION_ELEMENTS = "product_selection_list_elements"
RESOURCE_GRANTS = "resource_grants"


def _manage_rotation(
    kind: str, product_id: str, elements: list[dict[str, str]], configuration: Mapping[str, Any] | None
) -> Call[list[SelectionRule]]:
    # NOT re-sent: a POST that replaces the rotation (whether a repeat is harmless is unconfirmed).
    body = Body().mapping("configuration", configuration)
    body.fields[SELECTION_ELEMENTS] = elements
    url = path("products", segment("product_id", product_id), "selection_rules", kind, "manage")
    return records_call(SelectionRule, "POST", url, body.fields, idempotent=False)


def manage_time_window_rotation(
    product_id: str, elements: Sequence[Mapping[str, Any]], configuration: Mapping[str, Any] | None
) -> Call[list[SelectionRule]]:
    segment("product_id", product_id)
    built = _elements(elements, "starting_date", _starting_date)
    return _manage_rotation("time_window", product_id, built, configuration)


def manage_ordinal_rotation(
    product_id: str, elements: Sequence[Mapping[str, Any]], configuration: Mapping[str, Any] | None
) -> Call[list[SelectionRule]]:
    segment("product_id", product_id)
    built = _elements(elements, "starting_ordinal", _starting_ordinal)
    return _manage_rotation("ordinal", product_id, built, configuration)


def retrieve_rotating_delivery_product(product_id: str) -> Call[Product]:
    # A read. Unconfirmed: the response; the Product shipping now, as the emulator answers.
    url = path("products", segment("product_id", product_id), "rotating_delivery_product")
    return Call("GET", url, decode=one(Product))


def _seconds(name: str, value: object, minimum: int) -> int:
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
        if value != int(value):
            raise ConfigurationError(f"{name} must be whole seconds, got {value!r}")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigurationError(f"{name} must be a timedelta or whole seconds >= {minimum}, got {value!r}")
    return value


def manage_digital_plan(product_id: str, resource_grants: Sequence[Mapping[str, Any]]) -> Call[list[ResourceGrant]]:
    # NOT re-sent: a POST that replaces the product's grants (whether a repeat is harmless is unconfirmed).
    segment("product_id", product_id)
    if isinstance(resource_grants, str | bytes | Mapping) or not isinstance(resource_grants, Sequence):
        raise ConfigurationError(f"{RESOURCE_GRANTS} must be a list of {{resource, time_amount, grace_period}}")
    grants = []
    for index, grant in enumerate(resource_grants):
        where = f"{RESOURCE_GRANTS}[{index}]"
        if (
            not isinstance(grant, Mapping)
            or not {"resource", "time_amount"} <= set(grant)
            or not set(grant)
            <= {
                "resource",
                "time_amount",
                "grace_period",
            }
        ):
            raise ConfigurationError(f"{where} must be a mapping of resource, time_amount and grace_period")
        segment(f"{where}.resource", grant["resource"])
        item: dict[str, Any] = {
            "resource": grant["resource"],
            "time_amount": _seconds(f"{where}.time_amount", grant["time_amount"], 1),
        }
        if grant.get("grace_period") is not None:
            item["grace_period"] = _seconds(f"{where}.grace_period", grant["grace_period"], 0)
        grants.append(item)
    url = path("products", segment("product_id", product_id), "resource_grants", "manage")
    return records_call(ResourceGrant, "POST", url, {RESOURCE_GRANTS: grants}, idempotent=False)
