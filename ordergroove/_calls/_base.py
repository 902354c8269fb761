"""The shapes most calls take (retrieve one record, list a collection, PATCH an action) and the checks of the
argument types that need a model (``every_period``)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from .._call import Call, Decode, Decoding, date_value, path, positive_int, segment, shown
from .._json import strict_json_loads
from .._page import Page, page_decoder
from ..errors import ConfigurationError, ResponseDecodeError
from ..models import Component, Period
from ..models._fastpath import decode_list_owned, decode_owned

M = TypeVar("M")
# Bundle components as a call takes them: og.Component objects, mappings of their wire fields, or product ids.
Components = Sequence[str | Component | Mapping[str, Any]]


def one(model: type[M]) -> Decode[M]:
    """The decoder of a body holding one ``model``, as strict as the client (see :class:`Decoding`)."""

    def decode_one(body: Any, decoding: Decoding) -> M:
        # Owned: the body was parsed for this call alone (an error re-reads the answer, see _exchange).
        return decode_owned(model, body, strict=decoding.strict)

    return decode_one


def many(model: type[M]) -> Decode[list[M]]:
    """The decoder of a JSON list of ``model`` (a record that does not decode is named by its place)."""

    def decode_many(items: Any, decoding: Decoding) -> list[M]:
        return decode_list_owned(model, items, strict=decoding.strict)

    return decode_many


def retrieve_call(
    model: type[M], collection: str, id_name: str, record_id: str, params: tuple[tuple[str, str], ...] = ()
) -> Call[M]:
    return Call("GET", path(collection, segment(id_name, record_id)), params=params, decode=one(model))


def list_call(model: type[M], collection: str, params: tuple[tuple[str, str], ...]) -> Call[Page[M]]:
    return Call("GET", path(collection), params=params, decode=page_decoder(many(model)), paginated=True)


def action_call(
    model: type[M],
    collection: str,
    id_name: str,
    record_id: str,
    action: str,
    body: Any = None,
    *,
    idempotent: bool,
    method: str = "PATCH",
) -> Call[M]:
    """A PATCH (or ``method``) on ``/{collection}/{id}/{action}/``; ``body=None`` sends no body.

    ``idempotent``: the call's retry safety, said by every action (see :attr:`Call.idempotent`).
    """
    return Call(
        method,
        path(collection, segment(id_name, record_id), action),
        decode=one(model),
        json=body,
        has_body=body is not None,
        idempotent=idempotent,
    )


def create_call(model: type[M], collection: str, action: str, body: Mapping[str, Any]) -> Call[M]:
    """A POST on ``/{collection}/{action}/`` that creates a record: never re-sent after an ambiguous failure."""
    return Call("POST", path(collection, action), decode=one(model), json=body, has_body=True, idempotent=False)


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


def write_call(model: type[M], method: str, path_: str, body: Mapping[str, Any] | None, *, idempotent: bool) -> Call[M]:
    """A POST, PATCH or DELETE on ``path_`` answering one record; ``body=None`` sends no body.

    ``idempotent``: the call's retry safety, said by every write (see :attr:`Call.idempotent`).
    """
    return Call(method, path_, decode=one(model), json=body, has_body=body is not None, idempotent=idempotent)


def records_call(model: type[M], method: str, path_: str, body: Any, *, idempotent: bool) -> Call[list[M]]:
    """A call answering a JSON list of records."""

    def decode_records(answer: Any, decoding: Decoding) -> list[M]:
        if not isinstance(answer, list):
            raise ResponseDecodeError(f"expected a JSON list of {model.__name__} records")
        return decode_list_owned(model, answer, strict=decoding.strict)

    return Call(method, path_, decode=decode_records, json=body, has_body=body is not None, idempotent=idempotent)


class Body:
    """A JSON body's fields, each checked and turned into its wire form before any I/O.

    Each method takes the field's wire name and its Python value; a None value is left out of the body, unless
    ``required=True``, which refuses it.
    """

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}

    def _given(self, name: str, value: object, required: bool) -> bool:
        if value is not None:
            return True
        if required:
            raise ConfigurationError(f"{name} is required, got None")
        return False

    def id(self, name: str, value: str | None, *, required: bool = False) -> Body:
        """A record's id (checked like a path id: a non-empty string), sent as given."""
        if self._given(name, value, required):
            segment(name, value)
            self.fields[name] = value
        return self

    def text(self, name: str, value: str | None, *, required: bool = False) -> Body:
        """A non-empty string, sent as given."""
        if self._given(name, value, required):
            if not isinstance(value, str) or not value.strip():
                given = shown(value) if isinstance(value, str) else type(value).__name__
                raise ConfigurationError(f"{name} must be a non-empty string, got {given}")
            self.fields[name] = value
        return self

    def boolean(self, name: str, value: bool | None, *, required: bool = False) -> Body:
        if self._given(name, value, required):
            if not isinstance(value, bool):
                raise ConfigurationError(f"{name} must be True or False, got {value!r}")
            self.fields[name] = value
        return self

    def integer(self, name: str, value: int | None, *, minimum: int = 0, required: bool = False) -> Body:
        if self._given(name, value, required):
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ConfigurationError(f"{name} must be a whole number >= {minimum}, got {value!r}")
            self.fields[name] = int(value)
        return self

    def period(self, name: str, value: Period | int | None, *, required: bool = False) -> Body:
        if self._given(name, value, required):
            self.fields[name] = period_value(value)
        return self

    def choice(self, name: str, value: str | None, choices: Sequence[str], *, required: bool = False) -> Body:
        if self._given(name, value, required):
            if value not in choices:
                raise ConfigurationError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
            self.fields[name] = value
        return self

    def amount(self, name: str, value: Decimal | int | None, *, required: bool = False) -> Body:
        """Money: a ``Decimal`` (or an ``int``), zero or more, sent as a decimal string (``"12.99"``)."""
        if self._given(name, value, required):
            if isinstance(value, bool) or not isinstance(value, Decimal | int):
                raise ConfigurationError(
                    f"{name} must be a decimal.Decimal (e.g. Decimal('12.99')), got {type(value).__name__} {value!r}"
                )
            amount = Decimal(value)
            if not amount.is_finite() or amount < 0:
                raise ConfigurationError(f"{name} must be a finite amount, zero or more, got {value!r}")
            self.fields[name] = format(amount, "f")
        return self

    def json_text(self, name: str, value: Mapping[str, Any] | str | None, *, required: bool = False) -> Body:
        """A field Ordergroove takes as a string holding JSON (``extra_data``): a mapping is written as compact
        JSON text; a string is sent as given and must hold JSON."""
        if self._given(name, value, required):
            if isinstance(value, str):
                try:
                    strict_json_loads(value)
                except ValueError:
                    raise ConfigurationError(f"{name} must hold JSON text, got {shown(value)}") from None
                self.fields[name] = value
            elif isinstance(value, Mapping):
                self.fields[name] = _json_dumps(name, value)
            else:
                raise ConfigurationError(
                    f"{name} must be a mapping or a string holding JSON, got {type(value).__name__}"
                )
        return self

    def mapping(self, name: str, value: Mapping[str, Any] | None, *, required: bool = False) -> Body:
        """A JSON object (``contexts``, ``configuration``): a mapping of JSON values."""
        if self._given(name, value, required):
            if not isinstance(value, Mapping):
                raise ConfigurationError(f"{name} must be a mapping, got {type(value).__name__}")
            _json_dumps(name, value)
            self.fields[name] = dict(value)
        return self

    def datetime(self, name: str, value: dt.datetime | None, *, required: bool = False) -> Body:
        """Ordergroove's ``YYYY-MM-DD HH:MM:SS``, naive (Ordergroove's own time, as its fields are)."""
        if self._given(name, value, required):
            if not isinstance(value, dt.datetime):
                raise ConfigurationError(f"{name} must be a datetime.datetime, got {type(value).__name__}")
            if value.tzinfo is not None:
                raise ConfigurationError(f"{name} must be a naive datetime in Ordergroove's time, not an aware one")
            self.fields[name] = value.strftime("%Y-%m-%d %H:%M:%S")
        return self

    def us_date(self, name: str, value: dt.date | None, *, required: bool = False) -> Body:
        """A date in the ``MM/DD/YYYY`` form (``items.create``'s ``place_date``, unlike every other date)."""
        if self._given(name, value, required):
            self.fields[name] = date_value(name, value).strftime("%m/%d/%Y")
        return self

    def components(
        self,
        name: str,
        value: Components | None,
        *,
        keys: tuple[str, ...] = ("product", "quantity"),
        needs: tuple[str, ...] = ("product",),
        required: bool = False,
    ) -> Body:
        """A list of bundle components, each the wire's object of ``keys`` (``needs`` must be set): from an
        :class:`~ordergroove.Component` or a mapping, or, when ``product`` is a key, a product id (the legacy
        ``{"product": id}``). A component's other fields are left out, so one read back can be sent as it is."""
        if self._given(name, value, required):
            self.fields[name] = [
                _component(f"{name}[{index}]", entry, keys, needs) for index, entry in enumerate(_list(name, value))
            ]
        return self

    def ids(self, name: str, value: Sequence[str] | None, *, required: bool = False) -> Body:
        """A list of record ids."""
        if self._given(name, value, required):
            self.fields[name] = [_id(f"{name}[{index}]", entry) for index, entry in enumerate(_list(name, value))]
        return self

    def at_least_one(self, *names: str) -> Body:
        """Refuse a body that would change nothing: none of ``names`` given."""
        if not any(name in self.fields for name in names):
            raise ConfigurationError(f"give at least one of {', '.join(names)}: there is nothing to change")
        return self

    def changes(self) -> dict[str, Any]:
        """The body of an update: at least one field."""
        if not self.fields:
            raise ConfigurationError("nothing to update: pass at least one field")
        return self.fields


def _id(name: str, value: object) -> str:
    segment(name, value)  # checked like a path id
    assert isinstance(value, str)
    return value


def _list(name: str, value: object) -> Sequence[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise ConfigurationError(f"{name} must be a list, got {type(value).__name__}")
    if not value:
        raise ConfigurationError(f"{name} must not be empty (leave it out instead)")
    return value


def _component(where: str, value: object, keys: tuple[str, ...], needs: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(value, str) and "product" in keys:
        return {"product": _id(where, value)}
    if isinstance(value, Component):
        given = {key: getattr(value, key) for key in keys}
    elif isinstance(value, Mapping):
        unknown = sorted(str(key) for key in value if key not in keys)
        if unknown:
            raise ConfigurationError(f"{where} has keys {', '.join(unknown)}: a component takes {', '.join(keys)}")
        given = {key: value.get(key) for key in keys}
    else:
        kinds = "an og.Component, a mapping" + (" or a product id" if "product" in keys else "")
        raise ConfigurationError(f"{where} must be {kinds}, got {type(value).__name__}")
    component: dict[str, Any] = {}
    for key, field in given.items():
        if field is None:
            if key in needs:
                raise ConfigurationError(f"{where} needs its {key}")
        elif key == "quantity":
            component[key] = positive_int(f"{where}.quantity", field)
        else:
            component[key] = _id(f"{where}.{key}", field)
    return component


def _json_dumps(name: str, value: Mapping[str, Any]) -> str:
    """Compact JSON text (as Ordergroove's own examples write it); NaN and non-JSON values refused."""
    try:
        return json.dumps(dict(value), separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{name} must hold JSON values only: {exc}") from None


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
