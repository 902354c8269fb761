"""Catalog files (.csv, .jsonl) turned into feed products, with line numbers and reasons for refused rows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ordergroove.errors import ConfigurationError
from ordergroove.feed import FeedGroup, FeedProduct, FeedRelationship, FeedValidationError, load_catalog

HEADER = "name,product_id,sku,price,details_url,image_url,in_stock"
ROW = "Beans,p-{n},S-{n},9.99,https://shop.example/{n},https://cdn.example/{n}.png,{stock}"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def products(path: Path) -> list[tuple[int, FeedProduct]]:
    rows = list(load_catalog(path))
    assert all(isinstance(item, FeedProduct) for _, item in rows), rows
    return rows  # type: ignore[return-value]


def errors(path: Path) -> list[tuple[int, str]]:
    return [(line, str(item)) for line, item in load_catalog(path) if isinstance(item, FeedValidationError)]


@pytest.mark.parametrize(
    ("word", "value"),
    [("1", True), ("0", False), ("true", True), ("FALSE", False), ("Yes", True), (" no ", False)],
)
def test_csv_bools(tmp_path: Path, word: str, value: bool) -> None:
    path = write(tmp_path, "c.csv", f"{HEADER}\n{ROW.format(n=1, stock=word)}\n")
    [(line, item)] = products(path)
    assert line == 2 and item.in_stock is value


def test_csv_full_row(tmp_path: Path) -> None:
    header = (
        "name,product_id,sku,price,detail_url,image_url,live,autoship_enabled,discontinued,"
        "group.sku_swap,group.incentive,extra_data.variant_name,relationship.discontinued_replacement,"
        "every,every_period,product_type,unrelated_column"
    )
    row = (
        '"Crème, ""brûlée""",p-1,S-1,12,https://shop.example/1,https://cdn.example/1.png,no,0,yes,'
        "Desserts,Promo,Large,p-2 | p-3,2,months,standard,ignored"
    )
    [(line, item)] = products(write(tmp_path, "c.csv", f"{header}\n{row}\n"))
    assert line == 2
    assert item == FeedProduct(
        'Crème, "brûlée"',
        "p-1",
        "S-1",
        Decimal("12.00"),
        "https://shop.example/1",
        "https://cdn.example/1.png",
        False,
        autoship_eligible=False,
        discontinued=True,
        groups=[FeedGroup("sku_swap", "Desserts"), FeedGroup("incentive", "Promo")],
        extra_data={"variant_name": "Large"},
        relationships=[FeedRelationship("discontinued_replacement", ["p-2", "p-3"])],
        every=2,
        every_period=3,
        product_type="standard",
    )


def test_csv_empty_optional_cells_are_left_out(tmp_path: Path) -> None:
    header = f"{HEADER},autoship_eligible,group.sku_swap,extra_data.variant_name,every,product_type"
    [(_, item)] = products(write(tmp_path, "c.csv", f"{header}\n{ROW.format(n=1, stock=1)},,,,,\n"))
    assert item.autoship_eligible is None and item.groups == () and item.extra_data is None
    assert item.every is None and item.product_type is None


def test_csv_refused_rows_have_line_numbers_and_reasons(tmp_path: Path) -> None:
    text = "\n".join(
        [
            HEADER,
            ROW.format(n=1, stock=1),  # line 2: good
            ROW.format(n=2, stock="maybe"),  # line 3
            "",  # line 4: blank, skipped
            '"Multi\nline name",p-3,S-3,1,https://shop.example/3,https://cdn.example/3.png,1',  # lines 5-6: good
            ROW.format(n=4, stock=1).replace("9.99", "9.999"),  # line 7
            ROW.format(n=5, stock=1).replace("https://cdn", "http://cdn"),  # line 8
            "only,three,cells",  # line 9
            ROW.format(n=6, stock=1).replace("Beans", ""),  # line 10
            ROW.format(n=7, stock=1),  # line 11: good
        ]
    )
    rows = list(load_catalog(write(tmp_path, "c.csv", text + "\n")))
    good = [(line, item.product_id) for line, item in rows if isinstance(item, FeedProduct)]
    assert good == [(2, "p-1"), (5, "p-3"), (11, "p-7")]
    assert errors(tmp_path / "c.csv") == [
        (3, "in_stock: must be 1/0, true/false or yes/no, not 'maybe'"),
        (7, "price: must have at most two decimals ('9.999')"),
        (8, "image_url: must be an absolute https URL ('http://cdn.example/5.png')"),
        (9, "the row has 3 cells, the header 7"),
        (10, "name: is required"),
    ]


def test_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    text = f"\ufeff{HEADER}\r\n{ROW.format(n=1, stock=1)}\r\n{ROW.format(n=2, stock=0)}\r\n"
    rows = products(write(tmp_path, "c.csv", text))
    assert [(line, item.product_id, item.name) for line, item in rows] == [(2, "p-1", "Beans"), (3, "p-2", "Beans")]


def test_csv_alias_and_canonical_together(tmp_path: Path) -> None:
    header = f"{HEADER},live"
    assert errors(write(tmp_path, "c.csv", f"{header}\n{ROW.format(n=1, stock=1)},0\n")) == [
        (2, "in_stock: is given twice (as in_stock and as live)")
    ]
    # One of the two left empty is not a conflict.
    [(_, item)] = products(write(tmp_path, "d.csv", f"{header}\n{ROW.format(n=1, stock='')},0\n"))
    assert item.in_stock is False


def test_csv_duplicate_header(tmp_path: Path) -> None:
    assert errors(write(tmp_path, "c.csv", f"{HEADER},sku\n{ROW.format(n=1, stock=1)},x\n")) == [
        (1, "the header repeats the column(s) sku")
    ]


def test_csv_broken_quoting_stops_with_an_error(tmp_path: Path) -> None:
    text = f'{HEADER}\n{ROW.format(n=1, stock=1)}\n"unterminated,p-2\n'
    rows = list(load_catalog(write(tmp_path, "c.csv", text)))
    assert isinstance(rows[0][1], FeedProduct)
    assert rows[1][0] == 3 and isinstance(rows[1][1], FeedValidationError)
    assert "cannot be read" in str(rows[1][1]) and len(rows) == 2


def test_csv_not_utf8_stops_with_an_error_on_its_line(tmp_path: Path) -> None:
    text = f"{HEADER}\n{ROW.format(n=1, stock=1)}\n" + ROW.format(n=2, stock=1).replace("Beans", "Crème") + "\n"
    text += ROW.format(n=3, stock=1) + "\n"
    rows = list(load_catalog(write(tmp_path, "c.csv", text, encoding="latin-1")))
    assert [line for line, _ in rows] == [2, 3]
    assert isinstance(rows[0][1], FeedProduct)
    assert str(rows[1][1]) == "the line is not UTF-8 text; the file cannot be read past it"


def test_jsonl_not_utf8_line_is_refused_alone(tmp_path: Path) -> None:
    lines = [json.dumps(record(1)), json.dumps(record(2, name="Crème"), ensure_ascii=False), json.dumps(record(3))]
    path = write(tmp_path, "c.jsonl", "")
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).replace("Crème", "Cr\u00e8me").encode("latin-1"))
    rows = list(load_catalog(path))
    assert [line for line, _ in rows] == [1, 2, 3]
    assert isinstance(rows[0][1], FeedProduct) and isinstance(rows[2][1], FeedProduct)
    assert str(rows[1][1]) == "the line is not UTF-8 text"


def test_empty_csv(tmp_path: Path) -> None:
    assert list(load_catalog(write(tmp_path, "c.csv", ""))) == []
    assert list(load_catalog(write(tmp_path, "d.csv", HEADER + "\n"))) == []


def record(n: int, **changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "Beans",
        "product_id": f"p-{n}",
        "sku": f"S-{n}",
        "price": 9.99,
        "details_url": f"https://shop.example/{n}",
        "image_url": f"https://cdn.example/{n}.png",
        "in_stock": True,
    }
    return {**base, **changes}


def jsonl(tmp_path: Path, *lines: object) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return write(tmp_path, "c.jsonl", text + "\n")


def test_jsonl_nested_and_flat(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        record(
            1,
            price=0.1,
            product_id=12345,
            groups=[{"type": "sku_swap", "name": "A"}, ["incentive", "B"]],
            extra_data={"variant_name": "L"},
            relationships=[{"name": "discontinued_silent_replacement", "related": ["p-9"]}],
            every=30,
            every_period=1,
            autoship_eligible="yes",
        ),
        record(2, **{"group.incentive": "C", "extra_data.variant_name": "M", "live": 0, "in_stock": None}),
    )
    [(line1, first), (line2, second)] = products(path)
    assert (line1, line2) == (1, 2)
    assert first.price == Decimal("0.10") and first.product_id == "12345"
    assert first.groups == (FeedGroup("sku_swap", "A"), FeedGroup("incentive", "B"))
    assert first.extra_data == {"variant_name": "L"}
    assert first.relationships == (FeedRelationship("discontinued_silent_replacement", ("p-9",)),)
    assert (first.every, first.every_period, first.autoship_eligible) == (30, 1, True)
    assert second.groups == (FeedGroup("incentive", "C"),) and second.extra_data == {"variant_name": "M"}
    assert second.in_stock is False


def test_jsonl_price_keeps_its_decimals(tmp_path: Path) -> None:
    # 0.1 + 0.2 style float noise must not appear: prices are read as Decimal.
    [(_, item)] = products(
        jsonl(
            tmp_path,
            '{"name": "x", "product_id": "p", "sku": "s", "price": 19.99, '
            '"details_url": "https://a.example/", "image_url": "https://a.example/i", '
            '"in_stock": 1}',
        )
    )
    assert str(item.price) == "19.99"


def test_jsonl_refused_lines(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        record(1),
        "{not json",
        "",
        "[1, 2]",
        record(4, price=19.999),
        record(5, groups="A"),
        record(6, every_period="fortnights"),
        record(7, name=42),
        record(8, relationships=[{"name": "replaced_by", "related": "p-1"}]),
        record(9),
    )
    rows = list(load_catalog(path))
    assert [(line, item.product_id) for line, item in rows if isinstance(item, FeedProduct)] == [
        (1, "p-1"),
        (10, "p-9"),
    ]
    found = errors(path)
    assert [line for line, _ in found] == [2, 4, 5, 6, 7, 8, 9]
    assert found[0][1].startswith("the line is not valid JSON")
    assert found[1][1] == "the line is a JSON list, not an object"
    assert found[2][1].startswith("price: must have at most two decimals")
    assert found[3][1] == "groups: must be a list of {type, name} objects"
    assert found[4][1] == "every_period: must be a whole number, not 'fortnights'"
    assert found[5][1] == "name: must be text, not int"
    assert found[6][1].startswith("relationships[0].name: must be one of")


def test_unknown_suffix_is_refused_at_call(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"\.csv or \.jsonl"):
        load_catalog(tmp_path / "catalog.xlsx")


def test_missing_file(tmp_path: Path) -> None:
    rows = load_catalog(tmp_path / "absent.csv")
    with pytest.raises(FileNotFoundError):
        next(rows)


def test_abandoned_iteration_closes_the_file(tmp_path: Path) -> None:
    # ResourceWarning is an error in this suite: an unclosed file would fail here.
    path = write(tmp_path, "c.csv", f"{HEADER}\n{ROW.format(n=1, stock=1)}\n{ROW.format(n=2, stock=1)}\n")
    rows = load_catalog(path)
    assert next(rows)[0] == 2
    rows.close()  # type: ignore[attr-defined]
