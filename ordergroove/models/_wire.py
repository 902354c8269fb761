"""The wire payload of a model: ``to_dict``, ``wire_payload`` and the JSON copy they share.

A decoded model keeps what it needs to give back the payload it was decoded from, so decode then encode loses
nothing: spellings, number formats, key order, unknown fields and values of no documented form. Most values of a
record are its attributes as they are (a string, a number); the model keeps apart only what it did not keep as it
came: ``_raw`` is the tuple ``(keys, others, names, value received of each converted field ...)``: ``keys`` the key
order (a list), or the key set (a frozenset) when the instance dict keeps the record's order itself; ``others`` the
unknown fields and the values read another way (or None), ``names`` the wire names of the values that follow (one
tuple per model class); a model that converts no field and has no such value keeps ``keys`` alone. A record is kept
once, not twice: decoding a page or ``from_dict`` makes one dict per record, not two. A model built in code (or
changed with ``attrs.evolve``) has none and is encoded field by field.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any, NoReturn, cast, get_args, get_origin

import attrs

from ._base import REGISTRY


def wire_payload(obj: Any) -> dict[str, Any] | None:
    """The payload a model was decoded from, as received: a new dict, in the order received, whose values are the
    model's (never change them: copy it, or use ``to_dict``); None for a model built in code."""
    received: Any = getattr(obj, "_raw", None)
    if received is None:
        return None
    if received.__class__ is tuple:
        order, others, names = received[0], received[1], received[2]
    elif received.__class__ is list or received.__class__ is frozenset:  # the keys alone: no value kept apart
        order, others, names = received, None, ()
    else:  # a model pickled by a version that kept the payload itself
        return dict(received)
    state = obj.__dict__
    if order.__class__ is frozenset:  # the keys received, in the order the instance dict keeps them (received)
        order = [key for key in state if key in order]
    get = state.get
    payload = {key: get(key) for key in order}
    for name, wire in REGISTRY.get(type(obj), {}).items():  # a field sent under another name
        if wire in payload:
            payload[wire] = get(name)
    # The values kept apart, by the names the decoding version gave them (a model pickled by a version that converts
    # other fields reads the same).
    for place, wire in enumerate(names, start=3):
        if wire in payload:
            value = received[place]
            if value.__class__ is ModelsReceived:
                value = [wire_payload(model) or to_dict(model) for model in value]
            payload[wire] = [] if value is EMPTY_ARRAY else value  # (the read-only empty list stays inside)
    if others:
        payload.update(others)  # (every key of others is in the order: its place is kept)
    return payload


class ModelsReceived(tuple[Any, ...]):
    """The value received of a list of objects that ``from_dict`` decoded into models: the models themselves, each
    keeping its own payload; ``wire_payload`` gives back the list of their payloads. (Copying the caller's list
    to keep, as well as each object of it for its model, made every such object cost two copies.)"""

    __slots__ = ()


def not_a_model(cls: type[Any]) -> str:
    """Why a class is not read or written as a model (a caller's subclass of one, a list of models, another class)."""
    args = get_args(cls)
    if get_origin(cls) is list and len(args) == 1 and args[0] in REGISTRY:
        name = args[0].__name__
        return (
            f"list[{name}] is not a model of this library: decode each record (og.from_dict(og.{name}, record)), "
            f"or the whole list with og.models.decode_list(og.{name}, records)"
        )
    bases = [base.__name__ for base in cls.__mro__[1:] if base in REGISTRY]
    if bases:
        return (
            f"{cls.__name__} is not a model of this library but a subclass of og.{bases[0]}: decode and encode "
            f"og.{bases[0]} itself (a subclass's added fields have no place in the API's payload)"
        )
    return f"{cls.__name__} is not a model of this library"


def received_copy(obj: Any) -> dict[str, Any] | None:
    """A copy of ``wire_payload(obj)`` that shares nothing with the model; None for a model built in code."""
    payload = wire_payload(obj)
    if payload is not None:
        for key, value in payload.items():
            if value.__class__ not in ATOMS:
                payload[key] = copy_json(value)
    return payload


def to_dict(obj: Any) -> dict[str, Any]:
    """The API's JSON shape of a model: exactly what was received for a decoded model, unknown fields included."""
    if not attrs.has(type(obj)):
        raise TypeError(f"to_dict expects a model of this library, got {type(obj).__name__}")
    if type(obj) not in REGISTRY:
        from ._base import WireModel

        if isinstance(obj, WireModel):  # a caller's subclass of a model: its wire shape is not the library's to know
            raise TypeError(not_a_model(type(obj)))
        if callable(getattr(obj, "to_dict", None)):
            # Models of another wire format (og.graphql's camelCase) know their own shape; models import none of them.
            own: dict[str, Any] = obj.to_dict()
            return own
    received = received_copy(obj)
    if received is not None:
        return received
    from ._hooks import get_converter

    return cast(dict[str, Any], get_converter().unstructure(obj))


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data, so a caller editing one never changes the other."""
    try:
        return _copy(value)
    except RecursionError:  # nested deeper than Python's recursion limit allows (orjson accepts 1,024 levels)
        return _copy_deep(value)


# CPython does not track a dict that holds no list, dict or other container (the collector has nothing to find
# there): such a dict's copy is already a deep one. Elsewhere (another Python) every dict is walked.
is_tracked = getattr(gc, "is_tracked", lambda value: True)


class _EmptyArray(list[Any]):
    """An empty JSON array of a payload ``from_dict`` copied, where the model's attribute is not that list (a
    field whose empty list each model makes when first read, such as ``components``): one read-only object for
    every such payload, so that copying a record allocates nothing for it. It is a list equal to ``[]``; JSON
    encoders write it as ``[]``; ``to_dict`` gives a new list in its place."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a received payload is read-only (og.to_dict(model) gives a copy to change)")

    append = extend = insert = pop = remove = clear = sort = reverse = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only

    def __reduce__(self) -> str:
        return "EMPTY_ARRAY"  # pickled by name: unpickling gives this one object back

    # A copy is the caller's to change, as any list's copy (copy.copy and copy.deepcopy would use __reduce__).
    def __copy__(self) -> list[Any]:
        return []

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return []


EMPTY_ARRAY: list[Any] = _EmptyArray()


def _copy(value: Any) -> Any:
    # Recursive, and only containers are visited: most values of a record are strings, numbers and None.
    cls = value.__class__
    if cls is dict:
        copied = value.copy()
        if is_tracked(value):
            for key, item in value.items():
                if item.__class__ not in ATOMS:
                    copied[key] = _copy(item)
        return copied
    if cls is list:
        # (A list of objects, such as components, mostly holds dicts of plain values: copied here, no call each.)
        return [
            (item.copy() if item.__class__ is dict and not is_tracked(item) else _copy(item))
            if item.__class__ not in ATOMS
            else item
            for item in value
        ]
    if cls is _EmptyArray:
        return []
    if cls is tuple:  # not JSON's, but a caller's payload may hold one: it stays a tuple, of copies
        return tuple(_copy(item) for item in value) if is_tracked(value) else value
    # Another mapping (a MappingProxyType, an OrderedDict ...) becomes a dict, a list subclass a list.
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


# The values copy_json returns as they are, found without a call (any other is looked at: a container, of
# whatever class, is copied).
ATOMS = frozenset({str, int, float, bool, type(None)})


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
    if isinstance(value, list | tuple):  # (a tuple this deep becomes a list: a copy, all the same)
        return []
    return value
