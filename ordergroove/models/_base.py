"""What every wire model shares: its three bookkeeping fields, ``to_dict()``, and registration (``@model()``).

A wire model is a frozen attrs class (``slots=False``) that derives from :class:`WireModel` and is registered with
``@model()``. Registration does everything a class needs before its first instance exists, so that an instance
unpickled in a fresh process, or built by the decoder without the fields the payload left out, reads the same as
one built by ``__init__``: each field's default becomes a class attribute (attrs removes them), the class gets its
display and a hash that says why when it cannot be computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from ._display import DISPLAY, HIDDEN, install_display

__all__ = ["DISPLAY", "HIDDEN", "NO_UNPARSED", "REGISTRY", "WireModel", "model"]

T = TypeVar("T")


class _NoUnparsed(Mapping[str, Any]):
    """The ``unparsed`` of a model whose every value was read: empty and read-only, one for all models."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "NO_UNPARSED"  # pickled by name: unpickling gives this one object back


NO_UNPARSED: Mapping[str, Any] = _NoUnparsed()


class _OwnDefault:
    """A field with a factory default (``extra``, ``components`` ...) that a decoded model left out of its
    ``__dict__``: its own new value (an empty dict or list), made when first read.

    The decoder leaves such a field out when the record has nothing there (no unknown field, an absent list; an
    empty list too for a model with renamed fields, whose key order is kept apart): one container less per record,
    and most records have none. This non-data descriptor, found on the class only then, gives the model its own
    value, kept in its ``__dict__`` from then on, as if it had been there from the start (in every process: it is
    set when the class is defined, so an unpickled model reads the same).
    """

    __slots__ = ("factory", "name")

    def __init__(self, name: str, factory: Callable[[], Any]) -> None:
        self.name = name
        self.factory = factory

    def __get__(self, obj: Any, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        # setdefault: two threads reading first get the same value.
        return obj.__dict__.setdefault(self.name, self.factory())


@attrs.frozen(kw_only=True, slots=False)
class WireModel:
    """The base of every model of the REST API.

    ``extra``: fields Ordergroove sent that this version of the library does not know, kept as received.
    ``unparsed``: field (wire name) -> the value received when it was of no documented form; the attribute is then
    None. Empty when all is well. ``_raw``: the payload the model was decoded from, which ``to_dict`` gives back (None
    for a model built in code). None of the three is part of the hash; ``_raw`` is not part of equality either.
    """

    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False, hash=False)
    unparsed: Mapping[str, Any] = attrs.field(default=NO_UNPARSED, init=False, repr=False, hash=False)
    _raw: Mapping[str, Any] | None = attrs.field(default=None, init=False, eq=False, repr=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON shape of this model (the same as ``og.to_dict(model)``)."""
        from ._wire import to_dict

        return to_dict(self)


# attrs keeps no class attribute for a field with a factory: the descriptor is set once the class is built.
WireModel.extra = _OwnDefault("extra", dict)  # type: ignore[assignment]


# Every registered model -> its renames (attribute name -> wire name, for the few fields whose Python name differs
# from Ordergroove's).
REGISTRY: dict[type[Any], Mapping[str, str]] = {}


def model(*, renames: Mapping[str, str] | None = None) -> Callable[[type[T]], type[T]]:
    """Register an attrs class as a wire model (its decoder is generated when it is first decoded)."""

    def register(cls: type[T]) -> type[T]:
        klass: Any = cls  # attrs' functions narrow the type; the decorator gives back the class it was given
        if not attrs.has(klass):
            raise TypeError(f"@model() registers attrs classes, got {cls.__name__}")
        fields = attrs.fields(klass)
        names = {field.name for field in fields}
        unknown = set(renames or {}) - names
        if unknown:
            raise TypeError(f"{cls.__name__} renames fields it does not have: {', '.join(sorted(unknown))}")
        for field in fields:
            if field.validator is not None or field.converter is not None:
                # The decoder builds instances without __init__; a check that only __init__ runs would be skipped.
                raise TypeError(f"{cls.__name__}.{field.name}: wire models have no validators or converters")
            if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                # A field the payload leaves out reads its default from the class (the decoder gives an instance
                # only what was sent). Set here, when the class is defined, so that it holds in every process.
                setattr(cls, field.name, field.default)
            elif lazy_default(field) and field.name not in ("extra", "unparsed", "_raw"):
                factory: Any = field.default
                setattr(cls, field.name, _OwnDefault(field.name, factory.factory))
        if hasattr(cls, "__attrs_post_init__"):
            raise TypeError(f"{cls.__name__}: wire models have no __attrs_post_init__")
        install_display(cls)
        _install_hash(cls)
        REGISTRY[cls] = dict(renames or {})
        return cls

    return register


def lazy_default(field: attrs.Attribute[Any]) -> bool:
    """Whether the field's default is a new empty list or dict, which a decoded model makes when first read."""
    default: Any = field.default
    return isinstance(default, attrs.Factory) and not default.takes_self and default.factory in (list, dict)  # type: ignore[arg-type]


def _install_hash(cls: type[Any]) -> None:
    """Hash as attrs does; a model holding a list or a mapping says which field makes it unhashable."""
    generated = cls.__dict__.get("__hash__")
    if generated is None:  # eq without frozen: attrs made the class unhashable on purpose
        return
    hashed = [field.name for field in attrs.fields(cls) if field.hash is not False and field.eq]

    def __hash__(self: Any) -> int:
        try:
            return int(generated(self))
        except TypeError:
            culprits = [name for name in hashed if not _hashable(getattr(self, name))]
            if not culprits:
                raise
            raise TypeError(
                f"this {cls.__name__} is not hashable: {', '.join(culprits)} "
                f"{'holds' if len(culprits) == 1 else 'hold'} a list or a mapping"
            ) from None

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    setattr(cls, "__hash__", __hash__)  # noqa: B010 (a class built by attrs, given its hash after the fact)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
