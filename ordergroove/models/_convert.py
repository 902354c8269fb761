"""The names earlier versions imported from here, for the callers that still do (the decoder now lives in
``_hooks``, ``_fastpath`` and ``_wire``; import from ``ordergroove.models`` or those modules instead).

``decode``, ``decode_list`` and ``from_dict`` here keep their earlier behaviour: they refuse a record holding a
value of no documented form (``strict=True``). The lenient default of ``ordergroove.models.decode/decode_list/
from_dict`` (and of ``og.from_dict``) applies to a caller once it imports those and passes its own ``strict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from . import _fastpath
from ._base import REGISTRY as _RENAMES  # noqa: F401 (tests/reliability/_strategies.py)
from ._base import model
from ._hooks import format_datetime, get_converter, parse_datetime
from ._wire import copy_json as _copy_json  # noqa: F401
from ._wire import to_dict, wire_payload

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "decode",
    "decode_list",
    "format_datetime",
    "from_dict",
    "model",
    "parse_datetime",
    "to_dict",
    "wire_payload",
]

T = TypeVar("T")


def decode(cls: type[T], data: Any, *, strict: bool = True) -> T:
    return _fastpath.decode(cls, data, strict=strict)


def decode_list(cls: type[T], items: Any, *, strict: bool = True) -> list[T]:
    return _fastpath.decode_list(cls, items, strict=strict)


def from_dict(cls: type[T], data: Mapping[str, Any], *, strict: bool = True) -> T:
    return _fastpath.from_dict(cls, data, strict=strict)


def __getattr__(name: str) -> cattrs.Converter:
    # ``converter`` (cattrs, for encoding) is built on first use: importing the library does not import cattrs.
    if name == "converter":
        return get_converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
