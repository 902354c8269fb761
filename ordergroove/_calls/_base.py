"""The shapes most calls take (retrieve one record, list a collection, PATCH an action) and the checks of the
argument types that need a model (``every_period``)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from typing import Any, TypeVar

from .._call import Call, Decode, Decoding, path, segment
from .._page import Page, page_decoder
from ..errors import ConfigurationError, ResponseDecodeError
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


def no_body(body: Any, decoding: Decoding) -> None:
    """A call that answers nothing worth reading (204, or ``{}``)."""
    return None


def write_call(model: type[M], method: str, path_: str, body: Mapping[str, Any] | None) -> Call[M]:
    """A POST, PATCH or DELETE on ``path_`` answering one record; ``body=None`` sends no body."""
    return Call(method, path_, decode=one(model), json=body, has_body=body is not None)


def records_call(model: type[M], method: str, path_: str, body: Any) -> Call[list[M]]:
    """A call answering a JSON list of records."""

    def decode_records(answer: Any, decoding: Decoding) -> list[M]:
        if not isinstance(answer, list):
            raise ResponseDecodeError(f"expected a JSON list of {model.__name__} records")
        return decode_list(model, answer, strict=decoding.strict)

    return Call(method, path_, decode=decode_records, json=body, has_body=body is not None)


class Body:
    """Collects a request body's fields, checking each and writing its wire form; a None value is not sent."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}

    def _put(self, name: str, value: Any, required: bool) -> bool:
        if value is None:
            if required:
                raise ConfigurationError(f"{name} is required")
            return False
        return True

    def text(self, name: str, value: str | None, *, required: bool = False) -> Body:
        if self._put(name, value, required):
            if not isinstance(value, str) or not value.strip():
                given = repr(value) if isinstance(value, str) else type(value).__name__
                raise ConfigurationError(f"{name} must be a non-empty string, got {given}")
            self.fields[name] = value
        return self

    def id(self, name: str, value: str | None, *, required: bool = False) -> Body:
        """A record's id sent in the body: checked like a path id, sent as given."""
        if self._put(name, value, required):
            segment(name, value)
            self.fields[name] = value
        return self

    def boolean(self, name: str, value: bool | None, *, required: bool = False) -> Body:
        if self._put(name, value, required):
            if not isinstance(value, bool):
                raise ConfigurationError(f"{name} must be True or False, got {value!r}")
            self.fields[name] = value
        return self

    def integer(self, name: str, value: int | None, *, required: bool = False, minimum: int = 0) -> Body:
        if self._put(name, value, required):
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ConfigurationError(f"{name} must be a whole number >= {minimum}, got {value!r}")
            self.fields[name] = int(value)
        return self

    def json_text(self, name: str, value: Mapping[str, Any] | str | None, *, required: bool = False) -> Body:
        """A field Ordergroove takes as a string holding JSON: a mapping is serialised, a string sent as given."""
        if self._put(name, value, required):
            if isinstance(value, Mapping):
                try:
                    self.fields[name] = json.dumps(dict(value), separators=(",", ":"))
                except (TypeError, ValueError) as exc:
                    raise ConfigurationError(f"{name} cannot be written as JSON: {exc}") from None
            elif isinstance(value, str):
                self.fields[name] = value
            else:
                raise ConfigurationError(f"{name} must be a mapping or a string of JSON, got {type(value).__name__}")
        return self

    def mapping(self, name: str, value: Mapping[str, Any] | None, *, required: bool = False) -> Body:
        if self._put(name, value, required):
            if not isinstance(value, Mapping):
                raise ConfigurationError(f"{name} must be a mapping, got {type(value).__name__}")
            self.fields[name] = dict(value)
        return self

    def datetime(self, name: str, value: dt.datetime | None, *, required: bool = False) -> Body:
        """Ordergroove's ``YYYY-MM-DD HH:MM:SS``, naive (Ordergroove's own time, as its fields are)."""
        if self._put(name, value, required):
            if not isinstance(value, dt.datetime):
                raise ConfigurationError(f"{name} must be a datetime.datetime, got {type(value).__name__}")
            if value.tzinfo is not None:
                raise ConfigurationError(f"{name} must be a naive datetime in Ordergroove's time, not an aware one")
            self.fields[name] = value.strftime("%Y-%m-%d %H:%M:%S")
        return self

    def changes(self) -> dict[str, Any]:
        """The body of an update: at least one field."""
        if not self.fields:
            raise ConfigurationError("nothing to update: pass at least one field")
        return self.fields


def list_at(model: type[M], path_: str, params: tuple[tuple[str, str], ...], url: str | None = None) -> Call[Page[M]]:
    """A list at ``path_`` (on another host when ``url`` is given: the endpoint's full URL)."""
    return Call(
        "GET",
        path_,
        params=params,
        decode=page_decoder(many(model)),
        paginated=True,
        url=url,
    )
