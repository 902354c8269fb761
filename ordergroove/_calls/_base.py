"""The shapes most calls take (retrieve one record, list a collection, PATCH an action) and the checks of the
argument types that need a model (``every_period``)."""

from __future__ import annotations

import enum
from functools import partial
from typing import Any, TypeVar

from .._call import Call, path, segment
from .._page import Page, page_decoder
from ..errors import ConfigurationError
from ..models import Period
from ..models._convert import decode, decode_list

M = TypeVar("M")


def retrieve_call(model: type[M], collection: str, id_name: str, record_id: str) -> Call[M]:
    return Call("GET", path(collection, segment(id_name, record_id)), decode=partial(decode, model))


def list_call(model: type[M], collection: str, params: tuple[tuple[str, str], ...]) -> Call[Page[M]]:
    return Call(
        "GET",
        path(collection),
        params=params,
        # A page's records are parsed for this decode alone: decoded in place (owned).
        decode=page_decoder(partial(decode_list, model, owned=True)),
        paginated=True,
    )


def action_call(
    model: type[M],
    collection: str,
    id_name: str,
    record_id: str,
    action: str,
    body: Any = None,
    *,
    idempotent: bool,
) -> Call[M]:
    """A PATCH on ``/{collection}/{id}/{action}/``; ``body=None`` sends no body.

    ``idempotent``: the call's retry safety, said by every action (see :attr:`Call.idempotent`).
    """
    return Call(
        "PATCH",
        path(collection, segment(id_name, record_id), action),
        decode=partial(decode, model),
        json=body,
        has_body=body is not None,
        idempotent=idempotent,
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
