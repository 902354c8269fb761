"""Catalog files (CSV or JSON Lines) turned into FeedProducts, row by row, with line numbers.

Columns / keys are the feed's element names. The products-batch (JSON) names are accepted too:
``detail_url``, ``live``, ``autoship_enabled``. CSV has no nesting, so there:
``group.sku_swap`` / ``group.incentive`` hold a group's name, ``extra_data.<key>`` one extra field, and
``relationship.discontinued_replacement`` / ``relationship.discontinued_silent_replacement`` the related
product ids separated by ``|``. JSON Lines may use the same flat keys or nest: ``groups`` a list of
``{"type", "name"}``, ``extra_data`` an object, ``relationships`` a list of ``{"name", "related"}``.
Other columns are ignored (a catalog often carries more than the feed needs).
"""

from __future__ import annotations

import codecs
import csv
import json
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ConfigurationError
from ._model import GROUP_TYPES, RELATIONSHIP_NAMES, FeedProduct, FeedValidationError

__all__ = ["CatalogRow", "load_catalog"]

CatalogRow = tuple[int, FeedProduct | FeedValidationError]

_ALIASES = {"detail_url": "details_url", "live": "in_stock", "autoship_enabled": "autoship_eligible"}
_TEXT = ("name", "product_id", "sku", "details_url", "image_url", "product_type")
# Catalogs often hold numeric ids; as text they are what the feed would carry anyway.
_ID_TEXT = ("product_id", "sku")
_FLAGS = ("in_stock", "autoship_eligible", "discontinued")
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no"})
_PERIODS = {"day": 1, "days": 1, "week": 2, "weeks": 2, "month": 3, "months": 3, "year": 4, "years": 4}
_SEPARATOR = "|"


def load_catalog(path: str | os.PathLike[str]) -> Iterator[CatalogRow]:
    """Read a ``.csv`` or ``.jsonl`` catalog and yield ``(line, product or error)`` for every row.

    ``line`` is the file's line number where the row starts (the CSV header is line 1). A row that breaks
    a rule of the feed yields the :class:`FeedValidationError` saying why, and reading goes on; a problem
    with the whole file (a bad header, broken CSV quoting, bytes that are not UTF-8) yields one error and
    ends the iteration. Rows are read one at a time: any size of file takes constant memory.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return _load_csv(Path(path))
    if suffix in (".jsonl", ".ndjson"):
        return _load_jsonl(Path(path))
    raise ConfigurationError(f"a catalog must be a .csv or .jsonl file, not {suffix or 'a file without suffix'}")


class _Undecodable(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _decoded_lines(stream: BinaryIO) -> Iterator[str]:
    # Decoding line by line (not by the io layer's 8 KB chunks) puts a decoding error on its own line.
    for number, raw in enumerate(stream, start=1):
        try:
            # Spreadsheet programs often start a CSV with a byte-order mark.
            yield (raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError:
            raise _Undecodable(number) from None


_NOT_UTF8 = "the line is not UTF-8 text"


def _load_csv(path: Path) -> Iterator[CatalogRow]:
    with path.open("rb") as stream:
        reader = csv.reader(_decoded_lines(stream), strict=True)
        line = 1
        try:
            header = [column.strip() for column in next(reader, [])]
            duplicates = sorted({column for column in header if header.count(column) > 1})
            if duplicates:
                yield 1, FeedValidationError(f"the header repeats the column(s) {', '.join(duplicates)}")
                return
            while True:
                line = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    return
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield line, FeedValidationError(f"the row has {len(row)} cells, the header {len(header)}")
                    continue
                yield line, _product_or_error(dict(zip(header, row, strict=True)))
        except csv.Error as exc:
            # The reader cannot resynchronise after broken quoting: the rest of the file is not read.
            yield line, FeedValidationError(f"the file cannot be read past this line ({exc})")
        except _Undecodable as exc:
            yield exc.line, FeedValidationError(f"{_NOT_UTF8}; the file cannot be read past it")


def _load_jsonl(path: Path) -> Iterator[CatalogRow]:
    with path.open("rb") as stream:
        for line, raw in enumerate(stream, start=1):
            try:
                text = (raw.removeprefix(codecs.BOM_UTF8) if line == 1 else raw).decode("utf-8")
            except UnicodeDecodeError:
                # Each JSON line stands alone: report this one and go on.
                yield line, FeedValidationError(_NOT_UTF8)
                continue
            if not text.strip():
                continue
            try:
                # Decimal: a price such as 19.99 must not pass through a binary float.
                record = json.loads(text, parse_float=Decimal)
            except ValueError as exc:
                yield line, FeedValidationError(f"the line is not valid JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield line, FeedValidationError(f"the line is a JSON {type(record).__name__}, not an object")
                continue
            yield line, _product_or_error(record)


def _product_or_error(record: Mapping[str, Any]) -> FeedProduct | FeedValidationError:
    try:
        return FeedProduct(**_arguments(record))
    except FeedValidationError as exc:
        return exc


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _arguments(record: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in record.items():
        name = _ALIASES.get(key, key)
        if name in values and not _blank(value) and not _blank(values[name]):
            raise FeedValidationError(f"is given twice (as {name} and as {key})", field=name)
        if name not in values or not _blank(value):
            values[name] = value
    arguments: dict[str, Any] = {}
    for name in _TEXT:
        value = values.get(name)
        if name in _ID_TEXT and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        arguments[name] = None if _blank(value) else value
    price = values.get("price")
    arguments["price"] = None if _blank(price) else price
    for name in _FLAGS:
        arguments[name] = _flag(name, values.get(name))
    arguments["every"] = _integer("every", values.get("every"))
    arguments["every_period"] = _integer("every_period", values.get("every_period"), names=_PERIODS)
    arguments["groups"] = _groups(values)
    arguments["extra_data"] = _extra_data(values)
    arguments["relationships"] = _relationships(values)
    return arguments


def _flag(name: str, value: object) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise FeedValidationError(f"must be 1/0, true/false or yes/no, not {str(value)[:20]!r}", field=name)


def _integer(name: str, value: object, *, names: Mapping[str, int] | None = None) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip()
        if word.isdigit():
            return int(word)
        if names is not None and word.lower() in names:
            return names[word.lower()]
    raise FeedValidationError(f"must be a whole number, not {str(value)[:20]!r}", field=name)


def _groups(values: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    groups: list[tuple[Any, Any]] = []
    nested = values.get("groups")
    if not _blank(nested):
        if not isinstance(nested, list):
            raise FeedValidationError("must be a list of {type, name} objects", field="groups")
        for group in nested:
            if isinstance(group, dict):
                groups.append((group.get("type"), group.get("name")))
            elif isinstance(group, list) and len(group) == 2:
                groups.append((group[0], group[1]))
            else:
                raise FeedValidationError("must be a list of {type, name} objects", field="groups")
    for group_type in GROUP_TYPES:
        name = values.get(f"group.{group_type}")
        if not _blank(name):
            groups.append((group_type, name))
    return groups


def _extra_data(values: Mapping[str, Any]) -> dict[str, Any] | None:
    extra: dict[str, Any] = {}
    nested = values.get("extra_data")
    if not _blank(nested):
        if not isinstance(nested, dict):
            raise FeedValidationError("must be an object of text fields", field="extra_data")
        extra.update(nested)
    for key, value in values.items():
        if key.startswith("extra_data.") and not _blank(value):
            extra[key.removeprefix("extra_data.")] = value
    return extra or None


def _relationships(values: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    relationships: list[tuple[Any, Any]] = []
    nested = values.get("relationships")
    if not _blank(nested):
        if not isinstance(nested, list) or not all(isinstance(item, dict) for item in nested):
            raise FeedValidationError("must be a list of {name, related} objects", field="relationships")
        relationships.extend((item.get("name"), item.get("related") or ()) for item in nested)
    for name in RELATIONSHIP_NAMES:
        related = values.get(f"relationship.{name}")
        if not _blank(related):
            ids = related if isinstance(related, list) else str(related).split(_SEPARATOR)
            relationships.append((name, [item.strip() if isinstance(item, str) else item for item in ids]))
    return relationships
