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
import types
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Optional, TypeVar, Union, cast, get_args, get_origin

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
    _register_cattrs_model(conv, cls)
    if conv is converter and not _RENAMES[cls]:
        conv.register_structure_hook(cls, _fast_structure_fn(cls, conv.get_structure_hook(cls)))


def _register_cattrs_model(conv: cattrs.Converter, cls: type[Any]) -> None:
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


# -- the fast path -------------------------------------------------------------------------------------------
#
# Decoding a page is the library's hot loop. For a payload whose values already have their canonical JSON types
# (the overwhelming case), a function generated once per model checks each value's type with straight-line code
# and builds the instance's __dict__ in one go, converting only datetimes, dates, decimals, enums and nested
# models. Anything unusual (an unknown field, an int where a string is expected, a missing field) falls back to
# the thorough cattrs path above, which converts what it can and names the field that is wrong.

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_PERIODS = {int(p): p for p in Period}
_STATUSES = {int(s): s for s in OrderStatus}


def _fast_structure_fn(cls: type[Any], slow: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    attrs.resolve_types(cls)
    fields = [f for f in attrs.fields(cls) if f.init and f.name not in (_EXTRA, _RAW)]
    for field in fields:
        if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            # A field the payload leaves out reads its default from the class, so a record's __dict__ is only
            # what was sent (attrs-built instances set every field on the instance, as usual).
            setattr(cls, field.name, field.default)
    setattr(cls, _EXTRA, _EMPTY)
    shapes = _Shapes(fields)
    last: list[tuple[Any, Callable[[dict[str, Any]], None]]] = [((), _no_conversion)]
    new = object.__new__

    # A record's shape is its keys and the types of its values. The records of one API share a handful of shapes
    # (which fields are null or left out), so each shape is checked field by field once, and gets a conversion
    # function of its own that touches only the fields it holds. A ValueError or TypeError is a value the C parsers
    # refuse: the thorough path then converts what it can (rarer datetime spellings, numbers sent as strings) or
    # names the field that is wrong. One loop serves a whole page, with everything it needs held in locals.
    def structure_many(items: list[Any]) -> list[Any]:
        result: list[Any] = []
        append = result.append
        known_shape, convert = last[0]
        for d in items:
            if type(d) is not dict:
                append(slow(d, cls))
                continue
            shape = (tuple(d), tuple(map(type, d.values())))
            if shape != known_shape:
                found = shapes.conversion(shape)
                if found is None:
                    append(slow(d, cls))
                    continue
                known_shape, convert = shape, found
                last[0] = (shape, found)
            obj = new(cls)
            m = obj.__dict__
            m.update(d)
            try:
                convert(m)
            except (ValueError, TypeError):
                append(slow(d, cls))
                continue
            m["_raw"] = d
            append(obj)
        return result

    def structure(d: Any, _: Any = None) -> Any:
        return structure_many([d])[0]

    _MANY[cls] = structure_many
    return structure


_MANY: dict[type[Any], Callable[[list[Any]], list[Any]]] = {}


def _no_conversion(m: dict[str, Any]) -> None:
    return None


class _Shapes:
    """The accepted shapes of one model, each with its generated conversion function (bounded in number)."""

    LIMIT = 256

    def __init__(self, fields: list[attrs.Attribute[Any]]) -> None:
        self.allowed = {f.name: _wire_types(f.type) for f in fields}
        self.required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
        self.factories = [f.name for f in fields if isinstance(f.default, attrs.Factory)]  # type: ignore[arg-type]
        self.types = {f.name: f.type for f in fields}
        self.known: dict[Any, Callable[[dict[str, Any]], None]] = {}

    def conversion(self, shape: tuple[tuple[str, ...], tuple[type, ...]]) -> Callable[[dict[str, Any]], None] | None:
        convert = self.known.get(shape)
        if convert is not None:
            return convert
        keys, value_types = shape
        if not self.required.issubset(keys):
            return None
        for key, given in zip(keys, value_types, strict=True):
            if key not in self.allowed or given not in self.allowed[key]:
                return None
        convert = self._compile(keys, value_types)
        if len(self.known) < self.LIMIT:  # bounded, whatever a server sends
            self.known[shape] = convert
        return convert

    def _compile(self, keys: tuple[str, ...], value_types: tuple[type, ...]) -> Callable[[dict[str, Any]], None]:
        env: dict[str, Any] = {
            "to_datetime": dt.datetime.fromisoformat,
            "to_date": dt.date.fromisoformat,
            "to_decimal": _structure_decimal,
            "periods": _PERIODS,
            "statuses": _STATUSES,
        }
        lines = [f"    m[{name!r}] = []" for name in self.factories if name not in keys]
        for index, (name, given) in enumerate(zip(keys, value_types, strict=True)):
            if given is not type(None):
                lines.extend(_conversion_lines(self.types[name], name, index, env))
        if not lines:
            return _no_conversion
        source = "def convert(m):\n" + "\n".join(lines)
        exec(compile(source, "<ordergroove conversion>", "exec"), env)
        convert: Callable[[dict[str, Any]], None] = env["convert"]
        return convert


class _AnyType(frozenset[type]):
    def __contains__(self, item: object) -> bool:
        return True


_ANY_TYPE = _AnyType()


def _wire_types(tp: Any) -> frozenset[type]:
    """The JSON types the fast path accepts for a field (conversions, if any, follow the check)."""
    args = get_args(tp)
    members = list(args) if get_origin(tp) in (Union, types.UnionType) else [tp]
    wire: set[type] = set()
    for member in members:
        if member in (str, int, bool, type(None)):
            wire.add(member)
        elif member in (dt.datetime, dt.date):
            wire.add(str)
        elif member is decimal.Decimal:
            wire.update((str, int, float))
        elif member in (Period, OrderStatus):
            wire.add(int)
        elif member == Mapping[str, Any]:
            wire.add(dict)
        elif member is Any:
            return _ANY_TYPE
        elif get_origin(member) is list:
            wire.add(list)
    return frozenset(wire)


def _conversion_lines(tp: Any, name: str, index: int, env: dict[str, Any]) -> list[str]:
    """The statements that convert one present, non-null value (its JSON type already checked)."""
    args = get_args(tp)
    is_union = get_origin(tp) in (Union, types.UnionType)
    inner = [a for a in args if a is not type(None)] if is_union else [tp]
    converters = {
        dt.datetime: "to_datetime",
        dt.date: "to_date",
    }
    for target, convert in converters.items():
        if inner == [target]:
            return [f"    m[{name!r}] = {convert}(m[{name!r}])"]
    if inner == [decimal.Decimal]:
        return [f"    m[{name!r}] = to_decimal(m[{name!r}], None)"]
    for enum_type, table in ((Period, "periods"), (OrderStatus, "statuses")):
        if inner == [enum_type, int]:
            return [f"    v = m[{name!r}]", f"    m[{name!r}] = {table}.get(v, v)"]
    if get_origin(tp) is list and attrs.has(args[0]):
        element = f"element_{index}"
        env[element] = converter.get_structure_hook(args[0])
        return [f"    v = m[{name!r}]", f"    m[{name!r}] = [{element}(item, None) for item in v] if v else []"]
    return []


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
    many = _MANY.get(cls)
    try:
        if many is not None:
            return many(items)
        hook = converter.get_structure_hook(cls)
        return [hook(item, cls) for item in items]
    except Exception:
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
