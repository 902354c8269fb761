"""How one wire value becomes one attribute: a conversion per kind of field, and the cattrs converter.

The generated decoders (``_fastpath``) read the usual wire type of each field inline; every other value goes to
the field's conversion here, which either returns the attribute (the value was one of the field's documented forms)
or raises (it was not: the decoder records it in ``unparsed``, or raises in strict mode). Each conversion takes
``(value, strict)``; only those that decode nested models use ``strict``.

Strict about types (a value of the wrong JSON type is never coerced into something else) and exact: a value is
accepted in another spelling only when that spelling means exactly one thing (an id sent as a number, a count
sent as the text of an integer, ``2.0`` for ``2``).

The cattrs converter (``converter``) encodes models built in code (``to_dict`` of a decoded model gives back the
payload instead) and decodes through the generated decoders; it is built on first use, so that importing the
library does not import cattrs.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .._json import loads
from ._base import REGISTRY
from ._enums import OrderStatus, Period, order_status, period
from ._forms import ComponentIds, JSONText

if TYPE_CHECKING:
    import cattrs

Conversion = Callable[[Any, bool], Any]


class Refused(Exception):
    """A value the field does not accept: ``reason`` says why, ``path`` where (wire names, outermost first)."""

    def __init__(self, reason: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def at(self, *outer: str) -> Refused:
        return Refused(self.reason, (*outer, *self.path))

    def where(self) -> str:
        """``components[0].quantity``."""
        return "".join(part if part.startswith("[") else f".{part}" for part in self.path).lstrip(".")


def preview(value: Any) -> str:
    """A value in an error message or a log line. Only short text with few digits is quoted: a value of the wrong
    kind could be anything, a card number included."""
    if isinstance(value, str):
        if len(value) > 40 or sum(character.isdigit() for character in value) >= 12:
            return f"a string of {len(value)} characters"
        return repr(value)
    if isinstance(value, bool | int | float) or value is None:
        try:
            text = repr(value)
        except ValueError:  # an integer with more digits than Python prints
            return "a number too long to print"
        return text if len(text) <= 30 else text[:27] + "..."
    return f"a JSON {'object' if isinstance(value, Mapping) else 'array' if isinstance(value, list) else 'value'}"


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# -- scalars ---------------------------------------------------------------------------------------------------


def to_str(value: Any, strict: bool = True) -> str:
    if isinstance(value, str):
        return value
    # Ids and codes are sometimes sent as numbers; the text of an int is exact.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise Refused(f"expected a string, got {_kind(value)}")


def to_int(value: Any, strict: bool = True) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
        if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 20:
            return int(text)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise Refused(f"expected an integer, got {preview(value)}")


def to_bool(value: Any, strict: bool = True) -> bool:
    if isinstance(value, bool):
        return value
    raise Refused(f"expected true or false, got {preview(value)}")


def to_decimal(value: Any, strict: bool = True) -> decimal.Decimal:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            result = decimal.Decimal(value.strip() if isinstance(value, str) else value)
        except (decimal.InvalidOperation, ValueError):
            raise Refused(f"expected a decimal amount, got {preview(value)}") from None
    elif isinstance(value, float) and math.isfinite(value):
        # repr of a float is its shortest exact spelling: 12.99, not 12.9900000000000002131628.
        result = decimal.Decimal(repr(value))
    else:
        raise Refused(f"expected a decimal amount, got {preview(value)}")
    if not result.is_finite():
        raise Refused(f"expected a finite decimal amount, got {preview(value)}")
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
        raise Refused(f"expected a datetime, got {preview(value)}") from None


def format_datetime(value: dt.datetime) -> str:
    """Ordergroove's own spelling when it can express the value, ISO 8601 otherwise."""
    if value.tzinfo is None and value.microsecond == 0:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def to_datetime(value: Any, strict: bool = True) -> dt.datetime:
    if isinstance(value, str):
        return parse_datetime(value)
    raise Refused(f"expected a datetime string, got {_kind(value)}")


def to_datetime_or_text(value: Any, strict: bool = True) -> dt.datetime | str:
    """A field documented as a string that usually holds a datetime (a product's ``last_update``, ``"09/3099"``)."""
    if not isinstance(value, str):
        raise Refused(f"expected a string, got {_kind(value)}")
    try:
        return parse_datetime(value)
    except Refused:
        return value


def to_date(value: Any, strict: bool = True) -> dt.date:
    if not isinstance(value, str):
        raise Refused(f"expected a date string, got {_kind(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        # Some payloads carry a datetime where a date is documented; the date part is what is meant.
        return parse_datetime(value).date()
    except Refused:
        raise Refused(f"expected a date, got {preview(value)}") from None


def to_period(value: Any, strict: bool = True) -> Period | int:
    return period(to_int(value))


def to_order_status(value: Any, strict: bool = True) -> OrderStatus | int:
    return order_status(to_int(value))


def to_int_or_str(value: Any, strict: bool = True) -> int | str:
    """A field sent as an integer on some endpoints and as text on others (``locale``, an order's ``type``)."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise Refused(f"expected an integer or a string, got {preview(value)}")


def to_mapping(value: Any, strict: bool = True) -> Mapping[str, Any]:
    if isinstance(value, dict):
        return value
    raise Refused(f"expected a JSON object, got {_kind(value)}")


def to_mappings(value: Any, strict: bool = True) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise Refused(f"expected a JSON array, got {_kind(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Refused(f"expected a JSON object, got {_kind(item)}", (f"[{index}]",))
    # The model's own list (a list attribute may be changed): the one received is kept apart for to_dict.
    return list(value)


# The strings of JSON read lately, each to its JSONText: a merchant's records repeat few ``extra_data`` strings,
# and parsing one (to tell JSON from text) costs more than the rest of the field. Emptied when full, so it holds at
# most JSON_TEXTS_SIZE strings of at most JSON_TEXT_LONGEST characters; a JSONText is immutable, models share one.
JSON_TEXTS: dict[str, JSONText] = {}
JSON_TEXTS_SIZE = 256
JSON_TEXT_LONGEST = 512


def json_text(value: str) -> JSONText:
    """A str holding JSON as a JSONText; raises ValueError (or RecursionError) for text that is not JSON."""
    text = JSON_TEXTS.get(value)
    if text is None:
        loads(value)
        text = JSONText(value)
        if len(value) <= JSON_TEXT_LONGEST:
            if len(JSON_TEXTS) >= JSON_TEXTS_SIZE:
                JSON_TEXTS.clear()
            JSON_TEXTS[value] = text
    return text


def to_json_or_text(value: Any, strict: bool = True) -> Mapping[str, Any] | str:
    """``extra_data``: an object, a string holding JSON (a :class:`JSONText`), or text that is not JSON."""
    if value.__class__ is str:
        try:
            return json_text(value)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            return value
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        return to_json_or_text(str(value))
    raise Refused(f"expected a JSON object or a string, got {_kind(value)}")


# -- nested models ---------------------------------------------------------------------------------------------
# ``decode`` is the nested model's generated decoder (``_fastpath``); it raises Refused for a record that is not
# an object, misses a required field or (strict) holds a value of no documented form.


def to_model(decode: Conversion) -> Conversion:
    def convert(value: Any, strict: bool = True) -> Any:
        return decode(value, strict)

    return convert


def to_models(decode: Conversion) -> Conversion:
    def convert(value: Any, strict: bool = True) -> list[Any]:
        if not isinstance(value, list):
            raise Refused(f"expected a JSON array, got {_kind(value)}")
        decoded = []
        for index, item in enumerate(value):
            try:
                decoded.append(decode(item, strict))
            except Refused as refused:
                raise refused.at(f"[{index}]") from None
        return decoded

    return convert


def to_components(decode: Conversion) -> Conversion:
    """A list of component objects (``{public_id, quantity, product}`` or the legacy ``{product}``), or the legacy
    comma-separated product ids (a :class:`ComponentIds`)."""
    models = to_models(decode)

    def convert(value: Any, strict: bool = True) -> list[Any] | str:
        if isinstance(value, str):
            return ComponentIds(value)
        if not isinstance(value, list):
            raise Refused(f"expected a JSON array or a string of product ids, got {_kind(value)}")
        return models(value, strict)  # type: ignore[no-any-return]

    return convert


# -- the cattrs converter --------------------------------------------------------------------------------------

_converter: cattrs.Converter | None = None
_converter_lock = threading.Lock()


def get_converter() -> cattrs.Converter:
    """The library's cattrs converter: encodes models field by field; decodes through the generated decoders."""
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = _build_converter()
    return _converter


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and tp in REGISTRY


def _build_converter() -> cattrs.Converter:
    import cattrs

    conv = cattrs.Converter()
    conv.register_unstructure_hook(decimal.Decimal, str)
    conv.register_unstructure_hook(dt.datetime, format_datetime)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(Period, int)
    conv.register_unstructure_hook(OrderStatus, int)
    conv.register_unstructure_hook(ComponentIds, str)
    conv.register_unstructure_hook(JSONText, str)
    conv.register_unstructure_hook_factory(_is_model, lambda cls: _unstructure_fn(conv, cls))
    conv.register_structure_hook_factory(_is_model, _structure_fn)
    return conv


def _structure_fn(cls: type[Any]) -> Callable[[Any, Any], Any]:
    from ._fastpath import decode

    return lambda data, _: decode(cls, data, strict=True)


def _unstructure_fn(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override

    from ._wire import copy_json, received_copy

    names = {field.name for field in attrs.fields(cls)}
    overrides: dict[str, Any] = {name: override(rename=wire) for name, wire in REGISTRY[cls].items()}
    for name in ("extra", "unparsed", "_raw"):
        if name in names:
            overrides[name] = override(omit=True)
    fields_of = make_dict_unstructure_fn(cls, conv, **overrides)
    has_extra = "extra" in names

    def unstructure(obj: Any) -> dict[str, Any]:
        received = received_copy(obj)
        if received is not None:
            return received
        result: dict[str, Any] = fields_of(obj)
        if has_extra:
            result.update(copy_json(obj.extra))
        return result

    return unstructure
