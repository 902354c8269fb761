"""The one cattrs converter of the library, configured once at import.

Decoding is strict about types (a wire value of the wrong type is an error, never silently coerced into
something else) and lenient about what Ordergroove adds over time (unknown fields are kept in ``extra``,
unknown enum values stay plain ints).

Every model decoded from the wire keeps a reference to the mapping it came from, so that ``to_dict`` gives
back exactly what was received (datetime spellings, number formats and unknown fields included). A model
built or changed in code (``attrs.evolve``) has no such mapping and is encoded field by field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable, Mapping
from typing import Any, Optional, TypeVar, Union, cast

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from dateutil import parser as dateutil_parser

from ..errors import ResponseDecodeError
from ._enums import OrderStatus, Period, order_status, period

T = TypeVar("T")

_RAW = "_raw"
_EXTRA = "extra"


# -- scalar hooks: strict types, exact values -------------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    # Ids and codes are sometimes sent as numbers; the text of an int is exact.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__} {_preview(value)}")


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {type(value).__name__} {_preview(value)}")


def _structure_decimal(value: Any, _: Any) -> decimal.Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a decimal amount, got bool")
    if isinstance(value, str | int):
        try:
            result = decimal.Decimal(value.strip() if isinstance(value, str) else value)
        except decimal.InvalidOperation:
            raise ValueError(f"expected a decimal amount, got {_preview(value)}") from None
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("expected a finite decimal amount")
        # repr of a float is its shortest exact spelling: 12.99, not 12.9900000000000002131628.
        result = decimal.Decimal(repr(value))
    else:
        raise TypeError(f"expected a decimal amount, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("expected a finite decimal amount")
    return result


def parse_datetime(value: str) -> dt.datetime:
    """Ordergroove's ``YYYY-MM-DD HH:MM:SS`` and its ISO 8601 variants; naive stays naive."""
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dateutil_parser.isoparse(value)
    except (ValueError, OverflowError):
        raise ValueError(f"expected a datetime, got {_preview(value)}") from None


def _structure_datetime(value: Any, _: Any) -> dt.datetime:
    if isinstance(value, str):
        return parse_datetime(value)
    raise TypeError(f"expected a datetime string, got {type(value).__name__}")


def _structure_date(value: Any, _: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected a date string, got {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        # Some payloads carry a datetime where a date is documented; the date part is what is meant.
        return parse_datetime(value).date()


def _structure_period(value: Any, _: Any) -> Period | int:
    return period(_structure_int(value, int))


def _structure_order_status(value: Any, _: Any) -> OrderStatus | int:
    return order_status(_structure_int(value, int))


def _structure_mapping(value: Any, _: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    raise TypeError(f"expected a JSON object, got {type(value).__name__}")


def _structure_any(value: Any, _: Any) -> Any:
    return value


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_datetime(value: dt.datetime) -> str:
    """Ordergroove's own spelling when it can express the value, ISO 8601 otherwise."""
    if value.tzinfo is None and value.microsecond == 0:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def _equals(expected: Any) -> Callable[[Any], bool]:
    return lambda given: bool(given == expected)


def _or_none(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda value, type_: None if value is None else hook(value, type_)


def _configure(converter: cattrs.Converter) -> None:
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(decimal.Decimal, _structure_decimal)
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_structure_hook(dt.date, _structure_date)
    # Parametrised and union types are matched by equality; singledispatch only takes plain classes.
    hooks: list[tuple[Any, Callable[[Any, Any], Any]]] = [
        (Union[Period, int], _structure_period),  # noqa: UP007
        (Union[OrderStatus, int], _structure_order_status),  # noqa: UP007
        (Mapping[str, Any], _structure_mapping),
    ]
    for exact, hook in hooks:
        converter.register_structure_hook_func(_equals(exact), hook)
        converter.register_structure_hook_func(_equals(Optional[exact]), _or_none(hook))  # noqa: UP045

    converter.register_unstructure_hook(decimal.Decimal, str)
    converter.register_unstructure_hook(dt.datetime, format_datetime)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook(Period, int)
    converter.register_unstructure_hook(OrderStatus, int)


# Two converters with the same hooks: the fast one decodes; when it fails, the detailed one runs on the same
# payload only to say which field was wrong. Errors are rare, so the happy path pays nothing for the message.
converter = cattrs.Converter(detailed_validation=False)
_detailed = cattrs.Converter(detailed_validation=True)
_configure(converter)
_configure(_detailed)

# Attribute name -> wire name, for the few fields whose Python name differs from Ordergroove's.
_RENAMES: dict[type[Any], dict[str, str]] = {}


def model(*, renames: Mapping[str, str] | None = None) -> Callable[[type[T]], type[T]]:
    """Register an attrs class as a wire model: its structure and unstructure hooks are generated once here."""

    def register(cls: type[T]) -> type[T]:
        _RENAMES[cls] = dict(renames or {})
        for conv in (converter, _detailed):
            _register_model(conv, cls)
        return cls

    return register


def _register_model(conv: cattrs.Converter, cls: type[Any]) -> None:
    fields = attrs.fields(cls)
    renames = _RENAMES[cls]
    names = {f.name for f in fields}
    overrides: dict[str, Any] = {name: override(rename=wire) for name, wire in renames.items()}
    has_extra = _EXTRA in names
    if has_extra:
        overrides[_EXTRA] = override(omit=True)
    known = frozenset(renames.get(f.name, f.name) for f in fields if f.init and f.name != _EXTRA)
    base = make_dict_structure_fn(cls, conv, **overrides)
    has_raw = _RAW in names

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
        obj = base(data, cls)
        if has_extra:
            extra = {key: value for key, value in data.items() if key not in known}
            if extra:
                object.__setattr__(obj, _EXTRA, extra)
        if has_raw:
            object.__setattr__(obj, _RAW, data)
        return obj

    conv.register_structure_hook(cls, structure)

    un_overrides: dict[str, Any] = {name: override(rename=wire) for name, wire in renames.items()}
    for name in (_EXTRA, _RAW):
        if name in names:
            un_overrides[name] = override(omit=True)
    base_unstructure = make_dict_unstructure_fn(cls, conv, **un_overrides)

    def unstructure(obj: Any) -> dict[str, Any]:
        raw = getattr(obj, _RAW, None)
        if raw is not None:
            copied: dict[str, Any] = _copy_json(raw)
            return copied
        result: dict[str, Any] = base_unstructure(obj)
        if has_extra:
            result.update(_copy_json(getattr(obj, _EXTRA)))
        return result

    conv.register_unstructure_hook(cls, unstructure)


def _copy_json(value: Any) -> Any:
    # A deep copy of JSON-shaped data, so a caller editing the result never changes a (frozen) model.
    if isinstance(value, Mapping):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


def decode(cls: type[T], data: Any) -> T:
    """Decode a wire payload into ``cls``; a payload of the wrong shape is a ``ResponseDecodeError``."""
    try:
        return converter.structure(data, cls)
    except Exception as fast_error:
        raise ResponseDecodeError(_describe(cls, data, fast_error)) from None


def decode_list(cls: type[T], items: Any) -> list[T]:
    if not isinstance(items, list):
        raise ResponseDecodeError(f"expected a JSON list of {cls.__name__}, got {type(items).__name__}")
    return [decode(cls, item) for item in items]


def _describe(cls: type[Any], data: Any, fast_error: Exception) -> str:
    try:
        _detailed.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        problems = cattrs.transform_error(exc, path=cls.__name__)
        return f"{cls.__name__} payload does not decode: " + "; ".join(problems[:5])
    except Exception as exc:
        return f"{cls.__name__} payload does not decode: {exc}"
    return f"{cls.__name__} payload does not decode: {fast_error}"


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build any model of the library from a payload (the API's JSON shape), e.g. for tests and fixtures."""
    return decode(cls, data)


def to_dict(obj: Any) -> dict[str, Any]:
    """The API's JSON shape of a model: exactly what was received for a decoded model, unknown fields included."""
    if not attrs.has(type(obj)):
        raise TypeError(f"to_dict expects a model of this library, got {type(obj).__name__}")
    return cast(dict[str, Any], converter.unstructure(obj))
