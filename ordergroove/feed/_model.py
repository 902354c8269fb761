"""FeedProduct and its parts, with the rules of Ordergroove's product feed checked on construction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Literal, get_args

import attrs

from ..errors import FeedValidationError

__all__ = [
    "FeedGroup",
    "FeedProduct",
    "FeedRelationship",
    "FeedValidationError",
    "GroupType",
    "ProductType",
    "RelationshipName",
]

GroupType = Literal["sku_swap", "incentive"]
RelationshipName = Literal["discontinued_replacement", "discontinued_silent_replacement"]
ProductType = Literal["standard", "static price bundle", "dynamic price bundle"]

GROUP_TYPES: tuple[str, ...] = get_args(GroupType)
RELATIONSHIP_NAMES: tuple[str, ...] = get_args(RelationshipName)
PRODUCT_TYPES: tuple[str, ...] = get_args(ProductType)

MAX_PRICE = Decimal("99999999.99")
_CENT = Decimal("0.01")
# XML 1.0 cannot carry these at all, not even in CDATA: C0 controls but tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_URL_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")
# scheme://[userinfo@]host[:port] followed by a path, query, fragment or nothing. A regular expression
# rather than urlsplit: it is checked twice per product, and feeds have hundreds of thousands of them.
_ABSOLUTE_URL = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://"  # scheme
    r"(?:[^/?#@]*@)?"  # userinfo
    r"(?:\[[0-9A-Fa-f:.]+\]|[^/?#:@\[\]]+)"  # host: [IPv6] or a name
    r"(?::\d*)?(?:[/?#]|\Z)"  # port, then the rest or the end
)


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(field: str, value: object, max_len: int, *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise FeedValidationError("is required", field=field)
        return None
    if not isinstance(value, str):
        raise FeedValidationError(f"must be text, not {type(value).__name__}", field=field)
    if required and not value.strip():
        raise FeedValidationError("must not be blank", field=field)
    if len(value) > max_len:
        raise FeedValidationError(f"must be at most {max_len} characters (it has {len(value)})", field=field)
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise FeedValidationError(
            f"holds U+{ord(bad.group()):04X} at position {bad.start()}, a character XML cannot carry",
            field=field,
        )
    return value


def _required_text(field: str, value: object, max_len: int) -> str:
    text = _text(field, value, max_len, required=True)
    assert text is not None  # _text raises instead of returning None when required
    return text


def _url(field: str, value: object, *, schemes: tuple[str, ...]) -> str:
    text = _required_text(field, value, 400)
    if _URL_SPACE.search(text):
        raise FeedValidationError("must not contain spaces or control characters", field=field)
    match = _ABSOLUTE_URL.match(text)
    if match is None or match.group(1).lower() not in schemes:
        wanted = " or ".join(schemes)
        raise FeedValidationError(f"must be an absolute {wanted} URL ({_describe(text)})", field=field)
    return text


def _bool(field: str, value: object, *, required: bool) -> bool | None:
    if value is None:
        if required:
            raise FeedValidationError("is required", field=field)
        return None
    if not isinstance(value, bool):
        raise FeedValidationError(f"must be True or False, not {_describe(value)}", field=field)
    return value


# Named converters: attrs' mypy plugin types __init__ from them (it does not follow calls or partials).


def _name(value: str) -> str:
    return _required_text("name", value, 1024)


def _product_id(value: str) -> str:
    return _required_text("product_id", value, 64)


def _sku(value: str) -> str:
    return _required_text("sku", value, 64)


def _price(value: Decimal | int | str | float) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FeedValidationError("is required", field="price")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str, float)):
        raise FeedValidationError(f"must be a decimal number, not {type(value).__name__}", field="price")
    try:
        # str(float) is the shortest text that reads back as the float: 19.99, not 19.989999...
        number = Decimal(str(value).strip()) if isinstance(value, (str, float)) else Decimal(value)
    except InvalidOperation:
        raise FeedValidationError(f"must be a decimal number ({_describe(value)})", field="price") from None
    if not number.is_finite() or not 0 < number <= MAX_PRICE:
        raise FeedValidationError(f"must be greater than 0 and at most {MAX_PRICE} ({_describe(value)})", field="price")
    cents = number.quantize(_CENT)
    if cents != number:
        # Rounding money silently is worse than refusing it.
        raise FeedValidationError(f"must have at most two decimals ({_describe(value)})", field="price")
    return cents


def _details_url(value: str) -> str:
    return _url("details_url", value, schemes=("http", "https"))


def _image_url(value: str) -> str:
    return _url("image_url", value, schemes=("https",))


def _in_stock(value: bool) -> bool:
    result = _bool("in_stock", value, required=True)
    assert result is not None
    return result


def _autoship_eligible(value: bool | None) -> bool | None:
    return _bool("autoship_eligible", value, required=False)


def _discontinued(value: bool | None) -> bool | None:
    return _bool("discontinued", value, required=False)


def _group_type(value: GroupType) -> GroupType:
    if value not in GROUP_TYPES:
        raise FeedValidationError(
            f"must be one of {', '.join(GROUP_TYPES)} (not {_describe(value)})", field="group.type"
        )
    return value


def _group_name(value: str) -> str:
    return _required_text("group.name", value, 64)


@attrs.frozen
class FeedGroup:
    """A ``<group type="...">`` of a product: a SKU-swap group or an incentive group."""

    type: GroupType = attrs.field(converter=_group_type)
    name: str = attrs.field(converter=_group_name)


def _relationship_name(value: RelationshipName) -> RelationshipName:
    if value not in RELATIONSHIP_NAMES:
        raise FeedValidationError(
            f"must be one of {', '.join(RELATIONSHIP_NAMES)} (not {_describe(value)})",
            field="relationship.name",
        )
    return value


def _related(value: str | Iterable[str]) -> tuple[str, ...]:
    ids = (value,) if isinstance(value, str) else tuple(value)
    if not ids:
        raise FeedValidationError("needs at least one related product_id", field="relationship.related")
    return tuple(_required_text("relationship.related", product_id, 64) for product_id in ids)


@attrs.frozen
class FeedRelationship:
    """A ``<relationship>``: the product(s) that replace this one when it is discontinued."""

    name: RelationshipName = attrs.field(converter=_relationship_name)
    related: tuple[str, ...] = attrs.field(converter=_related)


def _groups(value: Iterable[FeedGroup | tuple[str, str]]) -> tuple[FeedGroup, ...]:
    if isinstance(value, (str, bytes, Mapping)):
        raise FeedValidationError("must be a sequence of FeedGroup", field="groups")
    groups: list[FeedGroup] = []
    for index, group in enumerate(value):
        try:
            if isinstance(group, FeedGroup):
                groups.append(group)
            elif isinstance(group, tuple) and len(group) == 2:
                groups.append(FeedGroup(*group))  # type: ignore[arg-type]  # checked by FeedGroup
            else:
                raise FeedValidationError(f"must be a FeedGroup or a (type, name) pair, not {_describe(group)}")
        except FeedValidationError as exc:
            raise FeedValidationError(exc.reason, field=f"groups[{index}]{_suffix(exc.field)}") from None
    return tuple(groups)


def _relationships(
    value: Iterable[FeedRelationship | tuple[str, str | Iterable[str]]],
) -> tuple[FeedRelationship, ...]:
    if isinstance(value, (str, bytes, Mapping)):
        raise FeedValidationError("must be a sequence of FeedRelationship", field="relationships")
    result: list[FeedRelationship] = []
    for index, item in enumerate(value):
        try:
            if isinstance(item, FeedRelationship):
                result.append(item)
            elif isinstance(item, tuple) and len(item) == 2:
                result.append(FeedRelationship(*item))  # type: ignore[arg-type]  # checked by FeedRelationship
            else:
                raise FeedValidationError(
                    f"must be a FeedRelationship or a (name, related) pair, not {_describe(item)}"
                )
        except FeedValidationError as exc:
            raise FeedValidationError(exc.reason, field=f"relationships[{index}]{_suffix(exc.field)}") from None
    return tuple(result)


def _suffix(field: str | None) -> str:
    # "group.name" inside groups[2] reads better as "groups[2].name".
    return "." + field.rsplit(".", 1)[-1] if field else ""


def _extra_data(value: Mapping[str, str | None] | None) -> Mapping[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise FeedValidationError(f"must be a mapping of text to text, not {type(value).__name__}", field="extra_data")
    fields: dict[str, str] = {}
    for key, text in value.items():
        checked_key = _required_text("extra_data key", key, 1024)
        # A field without a value is left out, like every other optional element.
        checked = _text(f"extra_data[{key!r}]", text, 1024, required=False)
        if checked is not None:
            fields[checked_key] = checked
    # Read-only, so that a frozen product stays frozen; empty means the element is left out.
    return MappingProxyType(fields) if fields else None


def _every(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FeedValidationError(f"must be a whole number of at least 1 (not {_describe(value)})", field="every")
    return int(value)


def _every_period(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise FeedValidationError(
            f"must be 1 (days), 2 (weeks), 3 (months) or 4 (years), not {_describe(value)}",
            field="every_period",
        )
    # Plain int, also for og.Period members: the feed writes the number.
    return int(value)


def _product_type(value: ProductType | None) -> ProductType | None:
    if not value:
        return None
    if value not in PRODUCT_TYPES:
        raise FeedValidationError(
            f"must be one of {', '.join(repr(t) for t in PRODUCT_TYPES)} (not {_describe(value)})",
            field="product_type",
        )
    return value


@attrs.frozen
class FeedProduct:
    """One ``<product>`` of Ordergroove's product feed; the attribute names are the XML element names.

    Every rule of the feed is checked on construction (a :class:`FeedValidationError` names the field and
    the rule). ``price`` becomes a ``Decimal`` with two decimals. Optional elements that are None or empty
    are left out of the feed.
    """

    name: str = attrs.field(converter=_name)
    product_id: str = attrs.field(converter=_product_id)
    sku: str = attrs.field(converter=_sku)
    price: Decimal = attrs.field(converter=_price)
    details_url: str = attrs.field(converter=_details_url)
    image_url: str = attrs.field(converter=_image_url)
    in_stock: bool = attrs.field(converter=_in_stock)
    autoship_eligible: bool | None = attrs.field(default=None, kw_only=True, converter=_autoship_eligible)
    discontinued: bool | None = attrs.field(default=None, kw_only=True, converter=_discontinued)
    groups: tuple[FeedGroup, ...] = attrs.field(default=(), kw_only=True, converter=_groups)
    # A read-only mapping is not hashable: the product's hash leaves it out (equality does not).
    extra_data: Mapping[str, str] | None = attrs.field(default=None, kw_only=True, converter=_extra_data, hash=False)
    relationships: tuple[FeedRelationship, ...] = attrs.field(default=(), kw_only=True, converter=_relationships)
    every: int | None = attrs.field(default=None, kw_only=True, converter=_every)
    every_period: int | None = attrs.field(default=None, kw_only=True, converter=_every_period)
    product_type: ProductType | None = attrs.field(default=None, kw_only=True, converter=_product_type)

    def __attrs_post_init__(self) -> None:
        # Discontinuing cancels every subscription to the product: Ordergroove only accepts it on a product
        # that can no longer be subscribed to nor bought.
        if self.discontinued and not (self.autoship_eligible is False and self.in_stock is False):
            raise FeedValidationError(
                "can only be True when autoship_eligible is False and in_stock is False", field="discontinued"
            )
