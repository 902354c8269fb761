"""The shapes most calls take (retrieve one record, list a collection, PATCH an action) and the checks of the
argument types that need a model (``every_period``)."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from .._call import Call, Decode, Decoding, path, segment
from .._page import Page, page_decoder
from ..errors import ConfigurationError
from ..models import Period, decode, decode_list

M = TypeVar("M")


def one(model: type[M]) -> Decode[M]:
    """The decoder of a body holding one ``model``, as strict as the client (see :class:`Decoding`)."""

    def decode_one(body: Any, decoding: Decoding) -> M:
        return decode(model, body, strict=decoding.strict)

    return decode_one


def many(model: type[M]) -> Decode[list[M]]:
    """The decoder of a JSON list of ``model`` (a record that does not decode is named by its place)."""

    def decode_many(items: Any, decoding: Decoding) -> list[M]:
        return decode_list(model, items, strict=decoding.strict)

    return decode_many


def retrieve_call(model: type[M], collection: str, id_name: str, record_id: str) -> Call[M]:
    return Call("GET", path(collection, segment(id_name, record_id)), decode=one(model))


def list_call(model: type[M], collection: str, params: tuple[tuple[str, str], ...]) -> Call[Page[M]]:
    return Call("GET", path(collection), params=params, decode=page_decoder(many(model)), paginated=True)


def action_call(
    model: type[M], collection: str, id_name: str, record_id: str, action: str, body: Any = None
) -> Call[M]:
    """A PATCH on ``/{collection}/{id}/{action}/``; ``body=None`` sends no body."""
    return Call(
        "PATCH",
        path(collection, segment(id_name, record_id), action),
        decode=one(model),
        json=body,
        has_body=body is not None,
    )


def period_value(value: object) -> int:
    """``every_period`` as its wire int: a :class:`Period` or one of its values."""
    if isinstance(value, Period):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool | enum.Enum):
        try:
            return int(Period(value))
        except ValueError:
            pass
    known = ", ".join(f"{p.value} ({p.name.lower()})" for p in Period)
    raise ConfigurationError(f"every_period must be an og.Period or one of {known}, got {value!r}")
