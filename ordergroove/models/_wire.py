"""The wire payload of a model: ``to_dict``, ``wire_payload`` and the JSON copy they share.

A decoded model keeps the mapping it was decoded from (``_raw``); ``to_dict`` gives a copy of it back, so decode
then encode loses nothing: spellings, number formats, key order, unknown fields and values of no documented form.
A model built in code (or changed with ``attrs.evolve``) has none and is encoded field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs

from ._base import REGISTRY


def wire_payload(obj: Any) -> Mapping[str, Any] | None:
    """The payload a model was decoded from, as received (never change it: its values are the model's); None for
    a model built in code."""
    return cast("Mapping[str, Any] | None", getattr(obj, "_raw", None))


def to_dict(obj: Any) -> dict[str, Any]:
    """The API's JSON shape of a model: exactly what was received for a decoded model, unknown fields included."""
    if not attrs.has(type(obj)):
        raise TypeError(f"to_dict expects a model of this library, got {type(obj).__name__}")
    if type(obj) not in REGISTRY and callable(getattr(obj, "to_dict", None)):
        # Models of another wire format (og.graphql's camelCase) know their own shape; models import none of them.
        own: dict[str, Any] = obj.to_dict()
        return own
    received = wire_payload(obj)
    if received is not None:
        copied: dict[str, Any] = copy_json(received)
        return copied
    from ._hooks import get_converter

    return cast(dict[str, Any], get_converter().unstructure(obj))


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data, so a caller editing one never changes the other."""
    try:
        return _copy(value)
    except RecursionError:  # nested deeper than Python's recursion limit allows (orjson accepts 1,024 levels)
        return _copy_deep(value)


def _copy(value: Any) -> Any:
    # Recursive, and only containers are visited: most values of a record are strings, numbers and None.
    cls = value.__class__
    if cls is dict:
        copied = value.copy()
        for key, item in value.items():
            if item.__class__ in _CONTAINERS:
                copied[key] = _copy(item)
        return copied
    if cls is list:
        return [_copy(item) if item.__class__ in _CONTAINERS else item for item in value] if value else []
    if isinstance(value, Mapping | list):  # another mapping (a MappingProxyType ...), a list subclass
        return _copy_deep(value)
    return value


_CONTAINERS = frozenset({dict, list})


def _copy_deep(value: Any) -> Any:
    # Iterative, for any depth; any mapping becomes a dict and any list a list.
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
    """A new empty container for a mapping or a list (filled by ``_copy_deep``); any other value itself."""
    if isinstance(value, Mapping):
        return {}
    if isinstance(value, list):
        return []
    return value
