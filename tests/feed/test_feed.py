"""The product feed: FeedProduct's rules, the XML written, and reading it back."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordergroove.errors import OrdergrooveError
from ordergroove.feed import (
    FeedGroup,
    FeedProduct,
    FeedRelationship,
    FeedValidationError,
    read_product_feed,
    write_product_feed,
)

BASE: dict[str, Any] = {
    "name": "Coffee beans",
    "product_id": "p-1",
    "sku": "SKU-1",
    "price": "12.50",
    "details_url": "https://shop.example/coffee",
    "image_url": "https://cdn.example/coffee.png",
    "in_stock": True,
}


def product(**changes: Any) -> FeedProduct:
    return FeedProduct(**{**BASE, **changes})


def full_product() -> FeedProduct:
    return product(
        autoship_eligible=False,
        in_stock=False,
        discontinued=True,
        groups=[FeedGroup("sku_swap", "Beans"), ("incentive", "Coffee & tea")],
        extra_data={"variant_name": "1 kg"},
        relationships=[FeedRelationship("discontinued_replacement", ["p-2", "p-3"])],
        every=2,
        every_period=3,
        product_type="static price bundle",
    )


def written(*products: FeedProduct) -> bytes:
    out = io.BytesIO()
    assert write_product_feed(products, out) == len(products)
    return out.getvalue()


def round_trip(*products: FeedProduct) -> list[FeedProduct]:
    return list(read_product_feed(io.BytesIO(written(*products))))


# --- construction rules -------------------------------------------------------------------------------


def test_minimal_product() -> None:
    item = product()
    assert item.price == Decimal("12.50")
    assert item.groups == () and item.relationships == ()
    assert item.extra_data is None and item.autoship_eligible is None and item.every is None


def test_is_frozen_and_hashable() -> None:
    item = full_product()
    with pytest.raises(AttributeError):
        item.name = "x"  # type: ignore[misc]
    assert hash(item) == hash(full_product())
    assert item.extra_data is not None
    with pytest.raises(TypeError):
        item.extra_data["variant_name"] = "2 kg"  # type: ignore[index]


def test_error_classes() -> None:
    assert issubclass(FeedValidationError, OrdergrooveError)
    assert issubclass(FeedValidationError, ValueError)


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("19.99", "19.99"),
        ("19.9", "19.90"),
        (20, "20.00"),
        (Decimal("19.990"), "19.99"),
        (19.99, "19.99"),
        ("0.01", "0.01"),
        ("99999999.99", "99999999.99"),
        (" 5 ", "5.00"),
    ],
)
def test_price_becomes_two_decimals(price: Any, expected: str) -> None:
    value = product(price=price).price
    assert value == Decimal(expected) and str(value) == expected


@pytest.mark.parametrize(
    ("price", "rule"),
    [
        ("0", "greater than 0"),
        ("0.00", "greater than 0"),
        (-1, "greater than 0"),
        ("100000000", "at most 99999999.99"),
        ("1e30", "at most 99999999.99"),
        ("19.999", "two decimals"),
        (0.001, "two decimals"),
        ("NaN", "greater than 0"),
        ("Infinity", "greater than 0"),
        ("$5", "decimal number"),
        ("", "is required"),
        (True, "decimal number"),
        ([5], "decimal number"),
    ],
)
def test_bad_price(price: Any, rule: str) -> None:
    with pytest.raises(FeedValidationError, match=re.escape(rule)) as info:
        product(price=price)
    assert info.value.field == "price"


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("name", None, "is required"),
        ("name", "", "is required"),
        ("name", "   ", "must not be blank"),
        ("name", "x" * 1025, "at most 1024 characters"),
        ("name", 12, "must be text"),
        ("name", "bad\x00byte", "U+0000"),
        ("name", "bad\x1bescape", "U+001B"),
        ("name", "lone \ud800", "U+D800"),
        ("name", "not\ufffe", "U+FFFE"),
        ("product_id", "x" * 65, "at most 64 characters"),
        ("product_id", None, "is required"),
        ("sku", "x" * 65, "at most 64 characters"),
        ("sku", "", "is required"),
        ("details_url", "/relative/path", "absolute http or https URL"),
        ("details_url", "ftp://shop.example/x", "absolute http or https URL"),
        ("details_url", "https://", "absolute http or https URL"),
        ("details_url", "https://shop.example/a b", "spaces"),
        ("details_url", "https://[::1/x", "absolute http or https URL"),
        ("details_url", "https://user@/x", "absolute http or https URL"),
        ("details_url", "https:/shop.example/x", "absolute http or https URL"),
        ("details_url", "https://shop.example/" + "x" * 400, "at most 400 characters"),
        ("image_url", "http://cdn.example/i.png", "absolute https URL"),
        ("image_url", "cdn.example/i.png", "absolute https URL"),
        ("image_url", None, "is required"),
        ("in_stock", None, "is required"),
        ("in_stock", 1, "True or False"),
        ("in_stock", "yes", "True or False"),
        ("autoship_eligible", 0, "True or False"),
        ("discontinued", "1", "True or False"),
        ("every", 0, "at least 1"),
        ("every", True, "at least 1"),
        ("every", "2", "at least 1"),
        ("every_period", 5, "1 (days)"),
        ("every_period", 0, "1 (days)"),
        ("product_type", "bundle", "standard"),
        ("groups", "sku_swap", "sequence of FeedGroup"),
        ("groups", [("sku_swap",)], "FeedGroup or a (type, name) pair"),
        ("relationships", {"discontinued_replacement": "p"}, "sequence of FeedRelationship"),
        ("relationships", ["discontinued_replacement"], "(name, related) pair"),
        ("extra_data", ["variant_name"], "mapping of text"),
    ],
)
def test_rules_name_the_field(field: str, value: Any, rule: str) -> None:
    with pytest.raises(FeedValidationError, match=re.escape(rule)) as info:
        product(**{field: value})
    assert info.value.field is not None and info.value.field.startswith(field)
    assert str(info.value).startswith(f"{info.value.field}: ")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"groups": [("swap", "Beans")]}, "groups[0].type"),
        ({"groups": [FeedGroup("incentive", "ok"), ("incentive", "")]}, "groups[1].name"),
        ({"groups": [("incentive", "x" * 65)]}, "groups[0].name"),
        ({"relationships": [("replacement", "p-2")]}, "relationships[0].name"),
        ({"relationships": [("discontinued_replacement", [])]}, "relationships[0].related"),
        ({"relationships": [("discontinued_replacement", ["x" * 65])]}, "relationships[0].related"),
        ({"extra_data": {"variant_name": "x" * 1025}}, "extra_data['variant_name']"),
        ({"extra_data": {"": "x"}}, "extra_data key"),
    ],
)
def test_nested_rules_name_the_position(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(FeedValidationError) as info:
        product(**changes)
    assert info.value.field == field


def test_max_lengths_are_accepted() -> None:
    item = product(
        name="n" * 1024,
        product_id="p" * 64,
        sku="s" * 64,
        details_url="https://shop.example/" + "d" * 379,
        image_url="https://cdn.example/" + "i" * 380,
        groups=[("sku_swap", "g" * 64)],
        extra_data={"variant_name": "v" * 1024},
    )
    assert len(item.details_url) == 400 and len(item.image_url) == 400
    assert round_trip(item) == [item]


@pytest.mark.parametrize(
    ("autoship_eligible", "in_stock"),
    [(None, False), (True, False), (False, True), (None, True)],
)
def test_discontinued_only_when_not_eligible_and_out_of_stock(autoship_eligible: bool | None, in_stock: bool) -> None:
    with pytest.raises(FeedValidationError, match="autoship_eligible is False and in_stock is False") as info:
        product(autoship_eligible=autoship_eligible, in_stock=in_stock, discontinued=True)
    assert info.value.field == "discontinued"
    # discontinued=False is always allowed.
    assert product(autoship_eligible=autoship_eligible, in_stock=in_stock, discontinued=False).discontinued is False


def test_discontinued_allowed() -> None:
    assert product(autoship_eligible=False, in_stock=False, discontinued=True).discontinued is True


def test_empty_optionals_normalise() -> None:
    item = product(extra_data={}, groups=[], relationships=(), product_type="")
    assert item.extra_data is None and item.groups == () and item.product_type is None
    assert product(extra_data={"variant_name": "", "other": None}).extra_data is None
    assert product(extra_data={"variant_name": "L", "other": ""}).extra_data == {"variant_name": "L"}


def test_relationship_accepts_one_id_or_many() -> None:
    assert FeedRelationship("discontinued_silent_replacement", "p-2").related == ("p-2",)
    assert FeedRelationship("discontinued_replacement", iter(["a", "b"])).related == ("a", "b")


def test_every_period_accepts_int_enum() -> None:
    import enum

    class Period(enum.IntEnum):
        MONTHS = 3

    value = product(every_period=Period.MONTHS).every_period
    assert value == 3 and type(value) is int


# --- the XML written ----------------------------------------------------------------------------------


def test_minimal_xml_is_exact() -> None:
    assert written(product()).decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<products>\n"
        "  <product>\n"
        "    <name><![CDATA[Coffee beans]]></name>\n"
        "    <product_id>p-1</product_id>\n"
        "    <sku>SKU-1</sku>\n"
        "    <price>12.50</price>\n"
        "    <details_url>https://shop.example/coffee</details_url>\n"
        "    <image_url>https://cdn.example/coffee.png</image_url>\n"
        "    <in_stock>1</in_stock>\n"
        "  </product>\n"
        "</products>\n"
    )


def test_full_xml_structure() -> None:
    root = ET.fromstring(written(full_product()))
    (element,) = root.findall("product")
    assert [child.tag for child in element] == [
        "name",
        "product_id",
        "sku",
        "groups",
        "price",
        "details_url",
        "image_url",
        "autoship_eligible",
        "in_stock",
        "discontinued",
        "extra_data",
        "relationships",
        "every",
        "every_period",
        "product_type",
    ]
    assert [(g.get("type"), g.text) for g in element.iterfind("groups/group")] == [
        ("sku_swap", "Beans"),
        ("incentive", "Coffee & tea"),
    ]
    assert element.findtext("autoship_eligible") == "0" and element.findtext("discontinued") == "1"
    assert element.findtext("in_stock") == "0"
    assert [(f.get("key"), f.text) for f in element.iterfind("extra_data/field")] == [("variant_name", "1 kg")]
    (relationship,) = element.iterfind("relationships/relationship")
    assert relationship.findtext("name") == "discontinued_replacement"
    assert [p.text for p in relationship.iterfind("related/product_id")] == ["p-2", "p-3"]
    assert element.findtext("every") == "2" and element.findtext("every_period") == "3"
    assert element.findtext("product_type") == "static price bundle"


def test_no_empty_or_self_closing_elements() -> None:
    text = written(product(), full_product(), product(extra_data={}, groups=())).decode()
    assert not re.search(r"<[^>]*/>", text)
    assert not re.search(r"<(\w+)[^>]*></\1>", text)
    for tag in ("groups", "extra_data", "relationships", "every", "autoship_eligible", "discontinued"):
        assert text.count(f"<{tag}>") == 1


def test_cdata_where_needed() -> None:
    text = written(
        product(
            name="plain",
            product_id="a&b",
            sku="ÄÖ",
            details_url="https://shop.example/x?a=1&b=2",
            groups=[("sku_swap", "plain")],
        )
    ).decode()
    assert "<name><![CDATA[plain]]></name>" in text
    assert "<product_id><![CDATA[a&b]]></product_id>" in text
    assert "<sku><![CDATA[ÄÖ]]></sku>" in text
    assert "<details_url><![CDATA[https://shop.example/x?a=1&b=2]]></details_url>" in text
    assert '<group type="sku_swap"><![CDATA[plain]]></group>' in text
    assert "<image_url>https://cdn.example/coffee.png</image_url>" in text


def test_cdata_end_marker_is_split() -> None:
    item = product(name="a]]>b]]>", extra_data={"variant_name": "]]>"})
    text = written(item).decode()
    assert "<name><![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]></name>" in text
    assert round_trip(item) == [item]


def test_carriage_return_survives_as_reference() -> None:
    item = product(name="a\r\nb\r", sku="x\ry", extra_data={"variant_name": "\r"})
    assert "&#13;" in written(item).decode()
    assert round_trip(item) == [item]


def test_attribute_values_are_escaped() -> None:
    item = product(extra_data={'k"<&>\t\n\r': "v", "variant_name": "L"})
    assert round_trip(item) == [item]


def test_output_is_utf8_bytes() -> None:
    data = written(product(name="Crème brûlée 🍮"))
    assert "Crème brûlée 🍮".encode() in data
    assert ET.fromstring(data).findtext("product/name") == "Crème brûlée 🍮"


def test_write_streams_to_out_as_it_goes() -> None:
    class Recorder(io.BytesIO):
        writes = 0

        def write(self, data: Any, /) -> int:
            self.writes += 1
            return super().write(data)

    out = Recorder()
    seen_before_each: list[int] = []

    def products() -> Iterator[FeedProduct]:
        for index in range(3):
            seen_before_each.append(out.writes)
            yield product(product_id=f"p{index}")

    assert write_product_feed(products(), out) == 3
    # The header, then one write per product before the next is even asked for, then the footer.
    assert seen_before_each == [1, 2, 3] and out.writes == 5


def test_write_refuses_what_is_not_a_product() -> None:
    out = io.BytesIO()
    with pytest.raises(TypeError, match="product #2 is a dict"):
        write_product_feed([product(), {"name": "x"}], out)  # type: ignore[list-item]


def test_empty_feed() -> None:
    assert written() == b'<?xml version="1.0" encoding="UTF-8"?>\n<products>\n</products>\n'
    assert round_trip() == []


def test_round_trip_full() -> None:
    items = [product(), full_product(), product(product_id="p-9", autoship_eligible=True, every=30, every_period=1)]
    assert round_trip(*items) == items


# Text XML can carry: everything but C0 controls (tab, LF and CR excepted), surrogates, U+FFFE/U+FFFF.
xml_text = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\ufffe", "\uffff"],
    ),
)
odd_text = st.one_of(
    xml_text,
    st.lists(st.sampled_from(["]]>", "]]", "]", ">", "<", "&", "\r", "\r\n", "é", "🍮", "\u0085", " "])).map("".join),
)


@given(
    name=odd_text.filter(lambda s: s.strip() and len(s) <= 1024),
    product_id=odd_text.filter(lambda s: s.strip() and len(s) <= 64),
    group=odd_text.filter(lambda s: s.strip() and len(s) <= 64),
    variant=odd_text.filter(lambda s: len(s) <= 1024),
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
)
def test_round_trip_any_text(name: str, product_id: str, group: str, variant: str, price: Decimal) -> None:
    item = product(
        name=name,
        product_id=product_id,
        price=price,
        groups=[("incentive", group)],
        extra_data={"variant_name": variant},
        relationships=[("discontinued_replacement", product_id)],
    )
    data = written(item)
    element = ET.fromstring(data).find("product")
    assert element is not None
    assert element.findtext("name") == name
    assert element.findtext("product_id") == product_id
    assert element.findtext("price") == f"{price:.2f}"
    assert round_trip(item) == [item]


def test_refused_text_never_reaches_the_writer() -> None:
    with pytest.raises(FeedValidationError):
        product(name="\x0c")


# --- reading --------------------------------------------------------------------------------------------


def feed(body: str) -> io.BytesIO:
    return io.BytesIO(f'<?xml version="1.0" encoding="UTF-8"?><products>{body}</products>'.encode())


MINIMAL = (
    "<name>N</name><product_id>p</product_id><sku>s</sku><price>{price}</price>"
    "<details_url>https://a.example/</details_url><image_url>https://a.example/i</image_url>"
    "<in_stock>{in_stock}</in_stock>"
)


def test_read_ignores_unknown_elements_and_whitespace() -> None:
    body = "<product>" + MINIMAL.format(price=" 3 ", in_stock=" 1 ") + "<new_thing>x</new_thing></product>"
    (item,) = read_product_feed(feed(body))
    assert item.price == Decimal("3.00") and item.in_stock is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (MINIMAL.format(price="3", in_stock="yes"), "product #1: in_stock: must be 1 or 0"),
        (MINIMAL.format(price="3", in_stock="1") + "<every>two</every>", "product #1: every: must be a whole"),
        (MINIMAL.format(price="-3", in_stock="1"), "product #1: price:"),
        (MINIMAL.format(price="3", in_stock="1").replace("<sku>s</sku>", ""), "product #1: sku: is required"),
        (MINIMAL.format(price="3", in_stock="1").replace("<in_stock>1</in_stock>", ""), "in_stock: is required"),
        (MINIMAL.format(price="3", in_stock="1").replace("N", ""), "product #1: name: is required"),
    ],
)
def test_read_refuses_bad_products(body: str, message: str) -> None:
    with pytest.raises(FeedValidationError, match=re.escape(message)) as info:
        list(read_product_feed(feed(f"<product>{body}</product>")))
    assert info.value.where == "product #1"


def test_read_names_the_position() -> None:
    good = "<product>" + MINIMAL.format(price="3", in_stock="1") + "</product>"
    bad = "<product>" + MINIMAL.format(price="3", in_stock="2") + "</product>"
    reader = read_product_feed(feed(good + bad))
    assert next(reader).product_id == "p"
    with pytest.raises(FeedValidationError, match="product #2"):
        next(reader)


def test_read_refuses_malformed_xml() -> None:
    with pytest.raises(FeedValidationError, match="not well-formed XML"):
        list(read_product_feed(io.BytesIO(b"<products><product></products>")))


def test_read_refuses_another_root() -> None:
    with pytest.raises(FeedValidationError, match="<catalog>, not <products>"):
        list(read_product_feed(io.BytesIO(b"<catalog/>")))


def test_importing_the_feed_loads_neither_paramiko_nor_cryptography() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ordergroove, ordergroove.feed\n"
        "loaded = {m.split('.')[0] for m in sys.modules} & {'paramiko', 'cryptography'}\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
