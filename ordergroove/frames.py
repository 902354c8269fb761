"""Models as pandas DataFrames, for looking at subscription data in a notebook (the ``pandas`` extra).

``to_dataframe(models)`` makes one row per model and one column per field, typed for analysis:

- datetimes and dates: ``datetime64`` (naive as Ordergroove sends them; aware ones in UTC);
- money (every ``Decimal`` field): ``float64`` by default, ``money="decimal"`` keeps exact ``Decimal`` objects;
- ``status`` and ``every_period``: categories with readable names (``"success"``, ``"months"``), every value of
  the enum among them (seen or not, in the enum's order); a code the library does not know yet stays visible as
  its number (``"21"``);
- integers and booleans: pandas' nullable ``Int64`` and ``boolean``, so a missing value never turns a column
  into floats or objects;
- nested models and JSON objects: flattened into dotted columns (``next_order.total``,
  ``prepaid_subscription_context.prepaid_orders_remaining``), typed as the top level is: a nested model by its
  annotations, a JSON object by the reference where it describes the field (``last_renewal_revenue`` is money,
  ``prepaid_orders_remaining`` a count) and else by its values (whole numbers ``Int64``, booleans ``boolean``);
  lists stay lists;
- a subscription's cancel reason in words, ``cancel_reason_label`` (next to ``cancel_reason_code``): the
  standard label of a standard code (``"Overstocked"``), else the merchant's text from ``"10|Moving abroad"``;
  empty where the subscription was not canceled with a reason;
- fields Ordergroove sent that the library does not know (``model.extra``): columns of their own, by name.

Fields that hold tokens, session ids or a card holder's name (those a model's repr hides) are left out.

GraphQL models (``og.graphql.*``, from ``client.graphql`` pagers) name their nested columns with underscores,
as a notebook reads them: ``product_name``, ``customer_email``, ``shipping_address_city``, ``items_has_more``.
A raw GraphQL pager's records (``client.graphql.paginate``: JSON objects) are flattened the same way, each
camelCase key in snake_case (``shippingAddress.city`` -> ``shipping_address_city``), their types as pandas infers.

pandas is imported when a frame is built, never by ``import ordergroove``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import types
import typing
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Union

import attrs

from .errors import ConfigurationError
from .graphql import GraphQLModel
from .models import STANDARD_CANCEL_REASONS
from .pagination import Money, register_dataframe

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_dataframe"]


# The kind of a column decides its dtype; it is read from the field's annotation, so that a column is typed the
# same way whatever values a page happens to hold (an all-empty ``cancelled`` column is still datetime64).
_DATETIME, _MONEY, _CATEGORY, _INT, _BOOL, _OTHER = "datetime", "money", "category", "int", "bool", "other"


@attrs.frozen
class _Column:
    name: str  # the dotted column name
    path: tuple[str, ...]  # attribute names from the row's model down to the value
    kind: str
    enum: type[enum.Enum] | None = None  # a category column's enum: every member is a category


def _inner(tp: Any) -> list[Any]:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return [arg for arg in typing.get_args(tp) if arg is not type(None)]
    return [tp]


def _enum_of(tp: Any) -> type[enum.Enum] | None:
    return next((arg for arg in _inner(tp) if isinstance(arg, type) and issubclass(arg, enum.Enum)), None)


def _kind(tp: Any) -> tuple[str, type[Any] | None]:
    """A field's column kind, and the attrs class when the field holds one nested model."""
    inner = _inner(tp)
    if _enum_of(tp) is not None:
        return _CATEGORY, None
    if len(inner) == 1:
        (arg,) = inner
        if arg in (dt.datetime, dt.date):
            return _DATETIME, None
        if arg is decimal.Decimal:
            return _MONEY, None
        if arg is bool:
            return _BOOL, None
        if arg is int:
            return _INT, None
        if isinstance(arg, type) and attrs.has(arg):
            return _OTHER, arg
    return _OTHER, None


_COLUMNS: dict[type[Any], tuple[_Column, ...]] = {}
# GraphQL models mark no field repr=False (their repr shows ids only): the secrets are named here.
_GRAPHQL_HIDDEN = frozenset({"token_id", "session_id", "user_token_id", "cc_holder", "unparsed"})


def _columns(cls: type[Any], prefix: tuple[str, ...] = ()) -> tuple[_Column, ...]:
    """The fixed columns of a model class (nested models expanded), computed once per class."""
    if not prefix and cls in _COLUMNS:
        return _COLUMNS[cls]
    attrs.resolve_types(cls)
    columns: list[_Column] = []
    graphql = issubclass(cls, GraphQLModel)
    for field in attrs.fields(cls):
        # repr=False marks tokens, session ids and card holders: a frame is shown like a repr, so they stay out.
        if not field.repr or field.name.startswith("_") or field.name == "extra":
            continue
        if graphql and field.name in _GRAPHQL_HIDDEN:
            continue
        path = (*prefix, field.name)
        kind, nested = _kind(field.type)
        if nested is not None:
            columns.extend(_columns(nested, path))
        else:
            columns.append(_Column(("_" if graphql else ".").join(path), path, kind, _enum_of(field.type)))
    result = tuple(columns)
    if not prefix:
        _COLUMNS[cls] = result
    return result


def _plain(value: Any) -> Any:
    # A list of models becomes a list of their JSON shapes, which pandas shows and serializes plainly.
    if isinstance(value, list) and value and all(attrs.has(type(item)) for item in value):
        from .models import to_dict

        return [to_dict(item) for item in value]
    return value


def _flatten(name: str, value: Any, row: dict[str, Any]) -> None:
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            _flatten(f"{name}.{key}", item, row)
    else:
        row[name] = _plain(value)


def _row(obj: Any, columns: tuple[_Column, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in columns:
        value: Any = obj
        for attribute in column.path:
            value = getattr(value, attribute, None)
            if value is None:
                break
        if column.kind == _OTHER and isinstance(value, Mapping) and value:
            _flatten(column.name, value, row)
        else:
            row[column.name] = _plain(value)
    for key, value in (getattr(obj, "extra", None) or {}).items():
        _flatten(str(key), value, row)
    return row


def _require_pandas() -> None:
    """pandas is installed, or a ConfigurationError says how to install it."""
    try:
        import pandas  # noqa: F401  (loaded here for the caller's own import of it)
    except ModuleNotFoundError as exc:
        if exc.name != "pandas":
            raise
        raise ConfigurationError(
            "to_dataframe needs pandas, which is not installed: pip install 'ordergroove[pandas]'"
        ) from None


def to_dataframe(
    models: Iterable[Any],
    *,
    model: type[Any] | None = None,
    money: Money = "float",
) -> pd.DataFrame:
    """One row per model, one typed column per field (see the module's docstring for the types).

    ``models``: models of one class (a list, or any iterable such as a pager). ``model``: that class, so that an
    empty input still gives a frame with the class's columns. ``money``: ``"float"`` (the default: every pandas
    operation and plot works on it, and amounts in cents are exact to 15 digits) or ``"decimal"`` (exact
    ``Decimal`` objects, for sums that must match the books to the cent).
    """
    _require_pandas()
    import pandas as pd  # deferred: `import ordergroove` must not load pandas

    if money not in ("float", "decimal"):
        raise ValueError(f"money must be 'float' or 'decimal', got {money!r}")
    items = list(models)
    cls = model
    for item in items:
        if not attrs.has(type(item)):
            raise TypeError(f"to_dataframe expects models of this library, got {type(item).__name__}")
        if cls is None:
            cls = type(item)
        elif type(item) is not cls:
            raise TypeError(f"to_dataframe expects models of one class, got {cls.__name__} and {type(item).__name__}")
    if cls is None:
        empty: pd.DataFrame = pd.DataFrame()
        return empty
    columns = _columns(cls)
    rows = [_row(item, columns) for item in items]

    # Fixed columns first, in field order; then what only the data has (flattened objects, unknown fields).
    names = _column_order([column.name for column in columns], rows)
    fixed = {column.name: column for column in columns}
    spread = {name.rsplit(".", 1)[0] for name in names if "." in name}
    data: dict[str, Any] = {}
    for name in names:
        values = [row.get(name) for row in rows]
        column = fixed.get(name)
        if column is not None and column.kind == _OTHER and name in spread and all(v is None for v in values):
            continue  # every value was an object now spread over dotted columns: the parent says nothing
        # Typed from Python values, before pandas sees them (it would turn an IntEnum into a bare int).
        if column is None:
            data[name] = _spread(pd, values, _OBJECT_KINDS.get(name), money)
        else:
            data[name] = _typed(pd, values, column.kind, money, column.enum)
        if name == _REASON_CODE and _REASON in fixed:
            reasons = [row.get(_REASON) for row in rows]
            data[_REASON_LABEL] = pd.Series([_reason_label(r, c) for r, c in zip(reasons, values, strict=True)])
    frame: pd.DataFrame = pd.DataFrame(data, columns=list(data), index=pd.RangeIndex(len(rows)))
    return frame


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _json_row(value: Mapping[str, Any], prefix: str, row: dict[str, Any]) -> None:
    for key, item in value.items():
        name = f"{prefix}{_snake(str(key))}"
        if isinstance(item, Mapping) and item:
            _json_row(item, f"{name}_", row)
        else:
            row[name] = item


def _json_frame(pandas: Any, records: list[Mapping[str, Any]]) -> pd.DataFrame:
    """GraphQL JSON objects (a raw pager's nodes), nested objects flattened into snake_case columns."""
    rows: list[dict[str, Any]] = []
    for record in records:
        row: dict[str, Any] = {}
        _json_row(record, "", row)
        rows.append(row)
    names = list(dict.fromkeys(name for row in rows for name in row))
    data = {name: pandas.Series([row.get(name) for row in rows]) for name in names}
    frame: pd.DataFrame = pandas.DataFrame(data, columns=names, index=pandas.RangeIndex(len(rows)))
    return frame


def _column_order(fixed: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """Fixed columns in field order, each followed by the dotted columns spread from it; unknown fields last."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    known = set(fixed)
    children: dict[str, list[str]] = {name: [] for name in fixed}
    rest: list[str] = []
    for name in seen:
        if name in known:
            continue
        parent = name
        while "." in parent and parent not in known:
            parent = parent.rsplit(".", 1)[0]
        (children[parent] if parent in known and parent != name else rest).append(name)
    return [name for column in fixed for name in (column, *children[column])] + rest


def _typed(pd: Any, values: list[Any], kind: str | None, money: Money, members: type[enum.Enum] | None = None) -> Any:
    if kind == _DATETIME:
        return _datetimes(pd, values)
    if kind == _MONEY:
        if money == "decimal":
            return pd.Series(values, dtype=object)
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kind == _CATEGORY:
        return _categories(pd, values, members)
    if kind == _INT:
        if all(v is None or (isinstance(v, int) and -(2**63) <= v < 2**63) for v in values):
            return pd.Series(values, dtype="Int64")
        return pd.Series(values, dtype=object)  # a server's number beyond 64 bits: kept as received
    if kind == _BOOL:
        return pd.Series(values, dtype="boolean")
    if kind is None:
        return pd.Series(values)  # unknown fields and spread objects: pandas infers from the data
    return pd.Series(values, dtype=object if any(isinstance(v, list | Mapping) for v in values) else None)


def _datetimes(pd: Any, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if any(isinstance(v, dt.datetime) and v.tzinfo is not None for v in present):
        if not all(isinstance(v, dt.datetime) and v.tzinfo is not None for v in present):
            # Naive and aware together have no single honest type: leave them as they were received.
            return pd.Series(values, dtype=object)
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True).astype("datetime64[us, UTC]")
    # One resolution for every datetime column, whatever pandas would infer from dates or whole seconds.
    return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[us]")


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _label(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return value.name.lower()
    return str(value)


def _categories(pd: Any, values: list[Any], members: type[enum.Enum] | None = None) -> Any:
    present = {v for v in values if not _is_missing(v)}
    # Every member of the enum in its order (a frame of one page counts the statuses it lacks as 0, and two
    # frames concatenate as categories), then the codes the library does not know yet by number.
    known = list(members) if members is not None else []
    ordered = sorted(present, key=lambda v: (not isinstance(v, enum.Enum), int(v) if isinstance(v, int) else 0))
    labels = [None if _is_missing(v) else _label(v) for v in values]
    categories = list(dict.fromkeys([*(_label(v) for v in known), *(_label(v) for v in ordered)]))
    return pd.Series(pd.Categorical(labels, categories=categories))


# Fields of JSON objects that the reference describes (the model holds the object as a mapping, so no annotation
# types them): typed as a model field of that type would be.
_OBJECT_KINDS: Mapping[str, str] = {
    "prepaid_subscription_context.prepaid_orders_remaining": _INT,
    "prepaid_subscription_context.prepaid_orders_per_billing": _INT,
    "prepaid_subscription_context.last_renewal_revenue": _MONEY,  # a number or a decimal string
}


def _spread(pd: Any, values: list[Any], kind: str | None, money: Money) -> Any:
    """A column spread from a JSON object or an unknown field: typed by the reference where it describes the
    field, else by its values as the top level would be (whole numbers ``Int64``, booleans ``boolean``)."""
    present = [v for v in values if v is not None]
    if kind == _MONEY:
        amounts = [None if v is None else _decimal(v) for v in values]
        if sum(a is not None for a in amounts) == len(present):  # every amount readable
            return _typed(pd, amounts, _MONEY, money)
    if present and all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63 for v in present):
        return pd.Series(values, dtype="Int64")
    if present and all(isinstance(v, decimal.Decimal) for v in present):
        return _typed(pd, values, _MONEY, money)
    return pd.Series(values)


def _decimal(value: Any) -> decimal.Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, decimal.Decimal)):
        return None
    try:
        amount = decimal.Decimal(str(value).strip())  # str(): a float's shortest repr (100.8, not its binary)
    except decimal.InvalidOperation:
        return None
    return amount if amount.is_finite() else None


_REASON, _REASON_CODE, _REASON_LABEL = "cancel_reason", "cancel_reason_code", "cancel_reason_label"


def _reason_label(reason: Any, code: Any) -> str | None:
    """A subscription's cancel reason in words: the standard label of a standard code, else the merchant's text
    (Ordergroove stores ``"code|text"``), else ``"Other"``; None when it was not canceled with a reason."""
    text = ""
    if isinstance(reason, str) and reason.strip():
        head, pipe, text = (part.strip() for part in reason.partition("|"))
        if not pipe:
            head, text = "", head  # free text, no code
        if code is None and head.isascii() and head.isdigit():
            code = int(head)
    if code is None and not text:
        return None
    standard = STANDARD_CANCEL_REASONS.get(code) if isinstance(code, int) else None
    if standard is not None and standard != "Other":
        return standard
    return text or "Other"


def _pager_frame(records: list[Any], *, money: Money = "float") -> pd.DataFrame:
    """A pager's records as a frame: models as ``to_dataframe`` makes them; a raw GraphQL pager's JSON objects
    flattened into snake_case columns."""
    if records and all(isinstance(record, Mapping) for record in records):
        _require_pandas()
        import pandas as pd

        return _json_frame(pd, records)
    return to_dataframe(records, money=money)


# The pagers' to_dataframe hands their records here (see ordergroove/_extras.py).
register_dataframe(_pager_frame)
