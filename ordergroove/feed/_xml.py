"""The feed's XML: written product by product, read back with iterparse, both in constant memory."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import quoteattr

from ._model import FeedGroup, FeedProduct, FeedRelationship, FeedValidationError

__all__ = ["read_product_feed", "write_product_feed"]

_HEADER = b'<?xml version="1.0" encoding="UTF-8"?>\n<products>\n'
_FOOTER = b"</products>\n"
# Ordergroove asks for CDATA around text with '&', '<', accents or symbols; '>' too, so ']]>' never
# appears in plain text. CR is here because a parser turns a raw CR into LF, even inside CDATA.
_NEEDS_CDATA = re.compile(r"[&<>\r\x80-\U0010ffff]")


def _cdata(text: str) -> str:
    # ']]>' would end the section: close it after ']]' and open a new one for '>'.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text: str, *, cdata: bool = False) -> str:
    if _NEEDS_CDATA.search(text) is None:
        return _cdata(text) if cdata else text
    # A CR can only survive as a character reference, which CDATA cannot hold: it goes between sections.
    return "&#13;".join(_cdata(piece) if piece else "" for piece in text.split("\r"))


def _element(tag: str, text: str, *, cdata: bool = False) -> str:
    return f"<{tag}>{_text(text, cdata=cdata)}</{tag}>"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _product_xml(product: FeedProduct) -> str:
    parts = [
        "  <product>\n    ",
        _element("name", product.name, cdata=True),
        "\n    ",
        _element("product_id", product.product_id),
        "\n    ",
        _element("sku", product.sku),
    ]
    if product.groups:
        parts.append("\n    <groups>")
        for group in product.groups:
            parts.append(f'<group type="{group.type}">{_text(group.name, cdata=True)}</group>')
        parts.append("</groups>")
    parts += [
        f"\n    <price>{product.price:.2f}</price>\n    ",
        _element("details_url", product.details_url),
        "\n    ",
        _element("image_url", product.image_url),
    ]
    if product.autoship_eligible is not None:
        parts.append(f"\n    <autoship_eligible>{_flag(product.autoship_eligible)}</autoship_eligible>")
    parts.append(f"\n    <in_stock>{_flag(product.in_stock)}</in_stock>")
    if product.discontinued is not None:
        parts.append(f"\n    <discontinued>{_flag(product.discontinued)}</discontinued>")
    if product.extra_data:
        parts.append("\n    <extra_data>")
        for key, value in product.extra_data.items():
            # quoteattr also writes tab, LF and CR as references, which attribute normalisation would eat.
            parts.append(f"<field key={quoteattr(key)}>{_text(value)}</field>")
        parts.append("</extra_data>")
    if product.relationships:
        parts.append("\n    <relationships>")
        for relationship in product.relationships:
            parts.append(f"<relationship><name>{relationship.name}</name><related>")
            parts.extend(_element("product_id", product_id) for product_id in relationship.related)
            parts.append("</related></relationship>")
        parts.append("</relationships>")
    if product.every is not None:
        parts.append(f"\n    <every>{product.every}</every>")
    if product.every_period is not None:
        parts.append(f"\n    <every_period>{product.every_period}</every_period>")
    if product.product_type is not None:
        parts.append(f"\n    <product_type>{product.product_type}</product_type>")
    parts.append("\n  </product>\n")
    return "".join(parts)


def write_product_feed(products: Iterable[FeedProduct], out: BinaryIO) -> int:
    """Write Ordergroove's product feed (UTF-8 XML) for ``products`` to the binary stream ``out``.

    Products are written one at a time as the iterable yields them, so any number of them takes constant
    memory. Returns how many were written. ``name`` and group names are always in CDATA, other text only
    when it holds ``&``, ``<``, ``>`` or anything beyond ASCII; optional elements without a value are left
    out. Nothing is written for an item that is not a :class:`FeedProduct` (``TypeError``), but the products
    before it have been: write to a temporary file and upload it only when this returns.
    """
    out.write(_HEADER)
    count = 0
    for product in products:
        if not isinstance(product, FeedProduct):
            raise TypeError(f"product #{count + 1} is a {type(product).__name__}, not a FeedProduct")
        out.write(_product_xml(product).encode("utf-8"))
        count += 1
    out.write(_FOOTER)
    return count


def _flag_value(tag: str, text: str | None) -> bool | None:
    if text is None:
        return None
    value = text.strip()
    if value not in ("0", "1"):
        raise FeedValidationError(f"must be 1 or 0, not {value[:20]!r}", field=tag)
    return value == "1"


def _int_value(tag: str, text: str | None) -> int | None:
    if text is None:
        return None
    value = text.strip()
    if not value.isdigit():
        raise FeedValidationError(f"must be a whole number, not {value[:20]!r}", field=tag)
    return int(value)


def _product_from_element(element: ET.Element) -> FeedProduct:
    # One pass over the children (not a find() per element): reading is as fast as the file allows.
    texts: dict[str, str] = {}
    groups: list[FeedGroup] = []
    extra: dict[str, str] = {}
    relationships: list[FeedRelationship] = []
    for child in element:
        tag = child.tag
        if tag == "groups":
            groups.extend(
                FeedGroup(group.get("type", ""), group.text or "")  # type: ignore[arg-type]  # FeedGroup checks
                for group in child.iterfind("group")
            )
        elif tag == "extra_data":
            extra.update((field.get("key", ""), field.text or "") for field in child.iterfind("field"))
        elif tag == "relationships":
            relationships.extend(
                FeedRelationship(
                    relationship.findtext("name", ""),  # type: ignore[arg-type]  # FeedRelationship checks
                    [related.text or "" for related in relationship.iterfind("related/product_id")],
                )
                for relationship in child.iterfind("relationship")
            )
        elif tag not in texts:
            texts[tag] = child.text or ""
    get = texts.get
    # A missing required element is passed as None: FeedProduct reports it as required.
    return FeedProduct(
        get("name"),  # type: ignore[arg-type]
        get("product_id"),  # type: ignore[arg-type]
        get("sku"),  # type: ignore[arg-type]
        get("price"),  # type: ignore[arg-type]
        get("details_url"),  # type: ignore[arg-type]
        get("image_url"),  # type: ignore[arg-type]
        _flag_value("in_stock", get("in_stock")),  # type: ignore[arg-type]
        autoship_eligible=_flag_value("autoship_eligible", get("autoship_eligible")),
        discontinued=_flag_value("discontinued", get("discontinued")),
        groups=groups,
        extra_data=extra or None,
        relationships=relationships,
        every=_int_value("every", get("every")),
        every_period=_int_value("every_period", get("every_period")),
        product_type=get("product_type"),  # type: ignore[arg-type]
    )


def read_product_feed(fileobj: BinaryIO) -> Iterator[FeedProduct]:
    """Read a product feed back, one :class:`FeedProduct` at a time, in constant memory.

    Elements this library does not know are ignored. A product that breaks a rule raises
    :class:`FeedValidationError` naming it by position; XML that is not well-formed raises one too.
    """
    root: ET.Element | None = None
    count = 0
    try:
        for event, element in ET.iterparse(fileobj, events=("start", "end")):
            if root is None:
                root = element
                if element.tag != "products":
                    raise FeedValidationError(f"the root element is <{element.tag}>, not <products>")
                continue
            if event != "end" or element.tag != "product":
                continue
            count += 1
            try:
                product = _product_from_element(element)
            except FeedValidationError as exc:
                raise FeedValidationError(exc.reason, field=exc.field, where=f"product #{count}") from None
            # Drop what has been read so the tree never grows past one product.
            root.clear()
            yield product
    except ET.ParseError as exc:
        raise FeedValidationError(f"the feed is not well-formed XML ({exc})") from None
