"""The library's cattrs converters, configured once, on first use.

Decoding is strict about types (a wire value of the wrong type is an error, never silently coerced into
something else) and lenient about what Ordergroove adds over time (unknown fields are kept in ``extra``,
unknown enum values stay plain ints).

Every model decoded from the wire keeps what gives back the payload it came from (the mapping itself, or for a
page decoded in place the values it replaced, see ``wire_payload``), so that ``to_dict`` gives back exactly what
was received (datetime spellings, number formats and unknown fields included). A model built or changed in code
(``attrs.evolve``) has none and is encoded field by field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import threading
import types
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Optional, TypeVar, Union, cast, get_args, get_origin

import attrs

from ..errors import ResponseDecodeError
from ._base import install_display
from ._enums import OrderStatus, Period, order_status, period

if TYPE_CHECKING:
    import cattrs

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
    from dateutil import parser as dateutil_parser  # deferred: the rarer spellings only

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
# Both are built on first use, and each model's hooks when that model is first decoded or encoded: importing the
# library pays neither for cattrs nor for generating code.
_converters: tuple[cattrs.Converter, cattrs.Converter] | None = None
_converters_lock = threading.Lock()

# Attribute name -> wire name, for the few fields whose Python name differs from Ordergroove's; its keys are the
# registered models.
_RENAMES: dict[type[Any], dict[str, str]] = {}


def model(*, renames: Mapping[str, str] | None = None) -> Callable[[type[T]], type[T]]:
    """Register an attrs class as a wire model (its hooks are generated once, when it is first used)."""

    def register(cls: type[T]) -> type[T]:
        _RENAMES[cls] = dict(renames or {})
        install_display(cls)
        return cls

    return register


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and tp in _RENAMES


def _build_converters() -> tuple[cattrs.Converter, cattrs.Converter]:
    global _converters
    with _converters_lock:
        if _converters is None:
            import cattrs

            fast = cattrs.Converter(detailed_validation=False)
            detailed = cattrs.Converter(detailed_validation=True)
            for conv in (fast, detailed):
                _configure(conv)
                conv.register_unstructure_hook_factory(_is_model, partial(_unstructure_fn, conv))
            detailed.register_structure_hook_factory(_is_model, partial(_slow_structure_fn, detailed))
            fast.register_structure_hook_factory(_is_model, partial(_fast_structure_fn, fast))
            _converters = (fast, detailed)
        return _converters


def _fast() -> cattrs.Converter:
    return (_converters or _build_converters())[0]


def __getattr__(name: str) -> cattrs.Converter:
    # ``converter`` (the decoding converter) is built on first use; prefer decode/from_dict/to_dict.
    if name == "converter":
        return _fast()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _detailed() -> cattrs.Converter:
    return (_converters or _build_converters())[1]


def _slow_structure_fn(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    from cattrs.gen import make_dict_structure_fn, override

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

    return structure


def _unstructure_fn(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override

    names = {f.name for f in attrs.fields(cls)}
    renames = _RENAMES[cls]
    has_extra = _EXTRA in names
    un_overrides: dict[str, Any] = {name: override(rename=wire) for name, wire in renames.items()}
    for name in (_EXTRA, _RAW):
        if name in names:
            un_overrides[name] = override(omit=True)
    base_unstructure = make_dict_unstructure_fn(cls, conv, **un_overrides)

    def unstructure(obj: Any) -> dict[str, Any]:
        raw = wire_payload(obj)
        if raw is not None:
            copied: dict[str, Any] = _copy_json(raw)
            return copied
        result: dict[str, Any] = base_unstructure(obj)
        if has_extra:
            result.update(_copy_json(getattr(obj, _EXTRA)))
        return result

    return unstructure


# -- the fast path -------------------------------------------------------------------------------------------
#
# Decoding a page is the library's hot loop. The records of one API come in a handful of key sets (which fields
# are present, which unknown ones were added), and consecutive records usually share one. For each key set a
# function is generated once: it unpacks the values into locals, checks each one's JSON type with straight-line
# code, copies the record into the instance's __dict__ in one go and converts only the datetimes, dates,
# decimals, enums and nested models. A value of another type (an int where a string is expected, a datetime
# spelling the C parser refuses) makes it give up on that record: the thorough cattrs path then converts what it
# can or names the field that is wrong. A model with validators, converters or renamed fields always takes that
# path, as does a key set missing a required field.
#
# A page the library has just parsed is its own to change ("owned"): its records become the instances' __dict__
# themselves, without a copy, once every check and conversion has passed (a record given up on is left as it
# came). Such a record keeps, instead of its payload, the values it replaced or moved to ``extra`` and the wire
# order (``_WireOrder``), from which ``wire_payload`` gives the payload back.

_PERIODS = {int(p): p for p in Period}
_STATUSES = {int(s): s for s in OrderStatus}
# (model, owned) -> the page decoder.
_MANY: dict[tuple[type[Any], bool], Callable[[list[Any]], list[Any]]] = {}


class _WireOrder:
    """The keys of one key set in wire order, each read from the instance (0) or from its kept values (index)."""

    __slots__ = ("plan",)

    def __init__(self, plan: tuple[tuple[str, int], ...]) -> None:
        self.plan = plan

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (_WireOrder, (self.plan,))  # a model decoded in place pickles with any protocol

    def __repr__(self) -> str:
        return f"<wire order of {len(self.plan)} keys>"

    def payload(self, values: Mapping[str, Any], kept: tuple[Any, ...]) -> dict[str, Any]:
        return {key: kept[index] if index else values[key] for key, index in self.plan}


def wire_payload(obj: Any) -> Mapping[str, Any] | None:
    """The payload a model was decoded from, as received (its values are the model's: never change them); None
    for a model built in code."""
    raw = getattr(obj, _RAW, None)
    if type(raw) is tuple:  # decoded in place: (its _WireOrder, the values kept)
        order: _WireOrder = raw[0]
        return order.payload(obj.__dict__, raw)
    return cast("Mapping[str, Any] | None", raw)


def _fast_structure_fn(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    slow = _slow_structure_fn(conv, cls)

    def checked_slow(d: Any, items: list[Any]) -> Any:
        # The thorough path on a record as received; what it refuses is named in the error, with the record's place.
        try:
            return slow(d, cls)
        except Exception as exc:
            place = next(index for index, item in enumerate(items) if item is d) + 1
            raise ResponseDecodeError(f"record {place} of {len(items)}: {_describe(cls, d, exc)}") from None

    builders = _Builders.for_model(cls, conv)
    if builders is None:
        _MANY[cls, False] = _MANY[cls, True] = lambda items: [checked_slow(item, items) for item in items]
        return slow
    _MANY[cls, False] = _page_decoder(builders, checked_slow, owned=False)
    _MANY[cls, True] = _page_decoder(builders, checked_slow, owned=True)

    def structure(d: Any, _: Any = None) -> Any:
        if type(d) is dict:
            build = builders.builder_for(tuple(d), owned=False)
            if build is not None:
                try:
                    obj = build(d)
                except Exception:
                    obj = None
                if obj is not None:
                    return obj
        return slow(d, cls)

    return structure


def _page_decoder(
    builders: _Builders, checked_slow: Callable[[Any, list[Any]], Any], *, owned: bool
) -> Callable[[list[Any]], list[Any]]:
    builder_for = builders.builder_for
    last: list[tuple[list[str], Callable[[dict[str, Any]], Any] | None]] = [([], None)]

    # One loop serves a whole page, with everything it needs held in locals.
    def structure_many(items: list[Any]) -> list[Any]:
        result: list[Any] = []
        append = result.append
        known_keys, build = last[0]
        # The page's key sets, in the order first seen: records often alternate between a few (a field sent only
        # when set), and comparing lists, which fails fast on length, is cheaper than the builders' table lookup.
        seen = [last[0]]
        for d in items:
            if type(d) is not dict:
                append(checked_slow(d, items))
                continue
            keys = [*d]  # a list: built from a dict faster than a tuple
            if keys != known_keys:
                for entry in seen:
                    if entry[0] == keys:
                        known_keys, build = entry
                        break
                else:
                    known_keys, build = keys, builder_for(tuple(keys), owned=owned)
                    if len(seen) < 8:
                        seen.append((known_keys, build))
                last[0] = (known_keys, build)
            if build is not None:
                try:
                    obj = build(d)
                except Exception:  # a value it cannot read; the record is unchanged (see _Builders._compile)
                    obj = None
                if obj is not None:
                    append(obj)
                    continue
            append(checked_slow(d, items))
        return result

    return structure_many


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
        elif get_origin(member) is list and attrs.has(get_args(member)[0]):
            wire.add(list)
    return frozenset(wire)


class _Builders:
    """The generated build functions of one model, one per key set (bounded in number, whatever a server sends)."""

    LIMIT = 512  # both kinds together (copying and in place)
    MAX_KEYS = 512

    def __init__(self, cls: type[Any], conv: cattrs.Converter, fields: list[attrs.Attribute[Any]]) -> None:
        self.cls = cls
        self.conv = conv
        self.fields = {f.name: f for f in fields}
        self.required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
        self.factories = [f.name for f in fields if isinstance(f.default, attrs.Factory)]  # type: ignore[arg-type]
        self.has_extra = _EXTRA in {f.name for f in attrs.fields(cls)}
        self.known: dict[tuple[tuple[str, ...], bool], Callable[[dict[str, Any]], Any] | None] = {}

    @classmethod
    def for_model(cls, model_cls: type[Any], conv: cattrs.Converter) -> _Builders | None:
        """The builders of a plain model; None when the model needs the thorough path for every record."""
        if _RENAMES[model_cls] or hasattr(model_cls, "__attrs_post_init__"):
            return None
        attrs.resolve_types(model_cls)
        all_fields = attrs.fields(model_cls)
        fields = [f for f in all_fields if f.name not in (_EXTRA, _RAW)]
        for field in fields:
            if not field.init or field.name.startswith("_") or field.validator or field.converter:
                return None
        for field in fields:
            if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                # A field the payload leaves out reads its default from the class, so a record's __dict__ is
                # only what was sent (attrs-built instances set every field on the instance, as usual).
                setattr(model_cls, field.name, field.default)
        return cls(model_cls, conv, fields)

    def builder_for(self, keys: tuple[str, ...], *, owned: bool) -> Callable[[dict[str, Any]], Any] | None:
        """The build function of a key set: ``owned``, it turns the record itself into the instance's __dict__."""
        try:
            return self.known[keys, owned]
        except KeyError:
            pass
        build = self._compile(keys, owned)
        if len(self.known) < self.LIMIT:
            self.known[keys, owned] = build
        return build

    def _compile(self, keys: tuple[str, ...], owned: bool) -> Callable[[dict[str, Any]], Any] | None:
        if len(keys) > self.MAX_KEYS or not self.required.issubset(keys):
            return None
        unknown = tuple(key for key in keys if key not in self.fields)
        if unknown and not self.has_extra:
            return None
        env: dict[str, Any] = {
            "cls": self.cls,
            "new": object.__new__,
            "set_dict": object.__setattr__,
            "to_datetime": dt.datetime.fromisoformat,
            "to_date": dt.date.fromisoformat,
            "to_decimal": _structure_decimal,
            "periods": _PERIODS,
            "statuses": _STATUSES,
        }
        names = [f"a{index}" for index in range(len(keys))]
        checks: list[str] = []
        conversions: list[str] = []
        converted: list[int] = []
        for index, key in enumerate(keys):
            field = self.fields.get(key)
            if field is None:
                continue
            lines = _field_code(field.type, key, names[index], env, self.conv)
            if lines is None:
                return None
            checks.extend(lines[0])
            conversions.extend(lines[1])
            if lines[1]:
                converted.append(index)
        body = ["def build(d):"]
        if names:
            body.append(f"    {', '.join(names)}, = d.values()")
        # Checks and conversions first, into locals: whatever fails or gives up leaves the record as it came.
        body.extend(checks)
        body.extend(conversions)
        body.append("    m = d" if owned else "    m = d.copy()")
        body.extend(f"    m[{keys[index]!r}] = v{index}" for index in converted)
        unknown_indexes = [index for index, key in enumerate(keys) if key in unknown]
        if unknown:
            body.extend(f"    del m[{keys[index]!r}]" for index in unknown_indexes)
            pairs = ", ".join(f"{keys[index]!r}: a{index}" for index in unknown_indexes)
            body.append(f"    m[{_EXTRA!r}] = {{{pairs}}}")
        elif self.has_extra:
            # A dict of its own, as the thorough path and attrs give: never one shared by every record.
            body.append(f"    m[{_EXTRA!r}] = {{}}")
        body.extend(f"    m[{name!r}] = []" for name in self.factories if name not in keys)
        if owned:
            # What wire_payload needs to give the payload back: the values replaced or moved, in this order.
            kept = sorted(converted + unknown_indexes)
            slot = {index: position for position, index in enumerate(kept, start=1)}
            env["ORDER"] = _WireOrder(tuple((key, slot.get(index, 0)) for index, key in enumerate(keys)))
            body.append(f"    m[{_RAW!r}] = (ORDER, {''.join(f'a{index}, ' for index in kept)})")
        else:
            body.append(f"    m[{_RAW!r}] = d")
        body.append("    obj = new(cls)")
        body.append("    set_dict(obj, '__dict__', m)")
        body.append("    return obj")
        exec(compile("\n".join(body), f"<ordergroove {self.cls.__name__} decoder>", "exec"), env)
        build: Callable[[dict[str, Any]], Any] = env["build"]
        return build


def _field_code(
    tp: Any, key: str, local: str, env: dict[str, Any], conv: cattrs.Converter
) -> tuple[list[str], list[str]] | None:
    """The type check and the conversion of one present value, or None when the fast path cannot read the type."""
    wire = _wire_types(tp)
    if isinstance(wire, _AnyType):
        return [], []
    if not wire - {type(None)}:
        return None
    args = get_args(tp)
    is_union = get_origin(tp) in (Union, types.UnionType)
    inner = [a for a in args if a is not type(None)] if is_union else [tp]
    nullable = type(None) in wire
    present = f"{local} is not None and " if nullable else ""
    # The converted value goes to a local of its own (``v`` for ``a``); the caller stores it in the record.
    value = "v" + local[1:]
    unless_none = f" if {local} is not None else None" if nullable else ""
    # datetime, date and Decimal conversions refuse any other JSON type themselves (TypeError).
    simple = {dt.datetime: "to_datetime", dt.date: "to_date"}
    if len(inner) == 1 and inner[0] in simple:
        return [], [f"    {value} = {simple[inner[0]]}({local}){unless_none}"]
    if inner == [decimal.Decimal]:
        # The common spelling, a string, inline; a non-finite amount and other JSON types take the thorough path.
        env["Decimal"] = decimal.Decimal
        lines = [
            f"    if {local}.__class__ is str:",
            f"        {value} = Decimal({local})",
            f"        if not {value}.is_finite(): return None",
            f"    elif {local} is not None:" if nullable else "    else:",
            f"        {value} = to_decimal({local}, None)",
        ]
        return [], lines + (["    else:", f"        {value} = None"] if nullable else [])
    for enum_type, table in ((Period, "periods"), (OrderStatus, "statuses")):
        if inner == [enum_type, int]:
            check = f"    if {present}{local}.__class__ is not int: return None"
            return [check], [f"    {value} = {table}.get({local}, {local})"]  # None is no key: it stays None
    if len(inner) == 1 and get_origin(inner[0]) is list and attrs.has(get_args(inner[0])[0]):
        element = f"element_{local}"
        env[element] = conv.get_structure_hook(get_args(inner[0])[0])
        check = f"    if {present}{local}.__class__ is not list: return None"
        # An empty list is a new one all the same: a model never shares a list with the payload to_dict gives back.
        fresh = f"[] if {local} is not None else None" if nullable else "[]"
        return [check], [f"    {value} = [{element}(item, None) for item in {local}] if {local} else {fresh}"]
    plain = [t for t in wire if t is not type(None)]
    if inner == [Mapping[str, Any]] or all(t in (str, int, bool) for t in inner):
        names = {str: "str", int: "int", bool: "bool", dict: "dict"}
        env.update({"str": str, "int": int, "bool": bool, "dict": dict})
        wrong = " and ".join(f"{local}.__class__ is not {names[t]}" for t in sorted(plain, key=lambda t: t.__name__))
        return [f"    if {present}{wrong}: return None"], []
    return None


def _copy_json(value: Any) -> Any:
    # A deep copy of JSON-shaped data, so a caller editing the result never changes a (frozen) model. Iterative:
    # a payload may nest deeper than Python's recursion limit allows (orjson accepts 1,024 levels).
    root = _empty_like(value)
    if root is value:
        return value
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        pairs = source.items() if isinstance(source, Mapping) else enumerate(source)
        for key, item in pairs:
            copied = _empty_like(item)
            if isinstance(target, dict):
                target[key] = copied
            else:
                target.append(copied)
            if copied is not item:
                stack.append((item, copied))
    return root


def _empty_like(value: Any) -> Any:
    """A new empty container for a mapping or a list (filled by ``_copy_json``); any other value itself."""
    if isinstance(value, Mapping):
        return {}
    if isinstance(value, list):
        return []
    return value


def decode(cls: type[T], data: Any) -> T:
    """Decode a wire payload into ``cls``; a payload of the wrong shape is a ``ResponseDecodeError``."""
    try:
        return _fast().structure(data, cls)
    except Exception as fast_error:
        raise ResponseDecodeError(_describe(cls, data, fast_error)) from None


def decode_list(cls: type[T], items: Any, *, owned: bool = False) -> list[T]:
    """Decode a JSON list of ``cls``; ``owned``: the items were just parsed for this and nothing else holds them,
    so the records may become the models' own state (faster; a record that does not decode is left unchanged)."""
    if not isinstance(items, list):
        raise ResponseDecodeError(f"expected a JSON list of {cls.__name__}, got {type(items).__name__}")
    many = _MANY.get((cls, owned))
    if many is None:
        _fast().get_structure_hook(cls)  # generates a model's hooks (and its _MANY entries) once
        many = _MANY.get((cls, owned))
        if many is None:  # a class the converter handles without our hooks
            return [decode(cls, item) for item in items]
    try:
        return many(items)
    except ResponseDecodeError:
        raise
    except Exception as exc:  # not the payload's fault, but still a typed error: the page was not decoded
        raise ResponseDecodeError(f"a list of {cls.__name__} could not be decoded ({type(exc).__name__})") from exc


def _describe(cls: type[Any], data: Any, fast_error: Exception) -> str:
    import cattrs

    try:
        _detailed().structure(data, cls)
    except cattrs.BaseValidationError as exc:
        problems = cattrs.transform_error(exc, path=cls.__name__)
        return f"{cls.__name__} payload does not decode: " + "; ".join(problems[:5])
    except Exception as exc:
        return f"{cls.__name__} payload does not decode: {exc}"
    return f"{cls.__name__} payload does not decode: {fast_error}"


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build any model of the library from a payload (the API's JSON shape), e.g. for tests and fixtures."""
    # A copy: the model keeps what it was built from (to_dict gives it back), and its values are those of the
    # payload, so the caller changing that dict afterwards must change neither the model nor its to_dict.
    return decode(cls, _copy_json(data))


def to_dict(obj: Any) -> dict[str, Any]:
    """The API's JSON shape of a model: exactly what was received for a decoded model, unknown fields included."""
    if not attrs.has(type(obj)):
        raise TypeError(f"to_dict expects a model of this library, got {type(obj).__name__}")
    return cast(dict[str, Any], _fast().unstructure(obj))
