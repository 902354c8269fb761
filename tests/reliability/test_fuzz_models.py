"""Fuzzing the models' decoders: any payload gives a well-typed model or a ResponseDecodeError, nothing else.

Every model registered with the converter is fuzzed, on random JSON and on payloads that look right (so they
reach the generated fast path) with one thing wrong: a value of another type, a missing field, unknown keys,
keys named ``extra`` or ``_raw``. A payload that decodes must come back unchanged from ``to_dict``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any, get_args, get_origin

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ordergroove as og
from ordergroove.models import OrderStatus, Period
from ordergroove.models._convert import _RENAMES, _copy_json, decode, decode_list

from ._strategies import DEEP, FUZZ, JSON, members, near_valid, same, valid_payload

MODELS: list[type[Any]] = sorted(_RENAMES, key=lambda cls: cls.__name__)


def _conforms(value: Any, tp: Any) -> bool:
    for member in members(tp):
        if member is type(None) and value is None:
            return True
        if member is Any:
            return True
        if member is bool and isinstance(value, bool):
            return True
        if member is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if member in (str, decimal.Decimal, dt.date, Period, OrderStatus) and type(value) is member:
            return member is not decimal.Decimal or value.is_finite()
        if member is dt.datetime and isinstance(value, dt.datetime):
            return True
        if member is dt.date and type(value) is dt.date:
            return True
        if member == Mapping[str, Any] and isinstance(value, Mapping):
            return True
        if get_origin(member) is list and isinstance(value, list):
            return all(_conforms(item, get_args(member)[0]) for item in value)
        if attrs.has(member) and isinstance(value, member):
            return True
    return False


def check_decoded(cls: type[Any], payload: Any) -> bool:
    """Decode ``payload``: a model whose fields have their declared types, or a ResponseDecodeError."""
    try:
        model = decode(cls, payload)
    except og.ResponseDecodeError as exc:
        assert isinstance(exc.message, str)
        return False
    assert type(model) is cls
    for field in attrs.fields(cls):
        if field.init and field.name not in ("extra", "_raw"):
            value = getattr(model, field.name)
            assert _conforms(value, field.type), f"{cls.__name__}.{field.name} = {value!r} is not {field.type}"
    assert isinstance(model.extra, Mapping)
    # Decode then encode loses nothing: unknown fields, spellings and numbers come back as received.
    assert same(og.to_dict(model), payload)
    return True


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_any_json_decodes_or_raises_response_decode_error(cls: type[Any], data: st.DataObject) -> None:
    check_decoded(cls, data.draw(JSON | DEEP))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_near_valid_payloads_decode_or_raise_response_decode_error(cls: type[Any], data: st.DataObject) -> None:
    check_decoded(cls, data.draw(near_valid(cls)))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_valid_payloads_decode(cls: type[Any], data: st.DataObject) -> None:
    assert check_decoded(cls, data.draw(valid_payload(cls)))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_decode_list_agrees_with_decode(cls: type[Any], data: st.DataObject) -> None:
    # The page decoder (one fast loop over a list, falling back per item) must agree with one-by-one decoding.
    items = data.draw(st.lists(near_valid(cls) | valid_payload(cls) | JSON, max_size=5))
    # Decoded in place, as the client decodes a page it has just parsed (where no object appears twice).
    owned_input = [_copy_json(item) for item in items]
    try:
        expected = [decode(cls, item) for item in items]
    except og.ResponseDecodeError:
        with pytest.raises(og.ResponseDecodeError):
            decode_list(cls, items)
        with pytest.raises(og.ResponseDecodeError):
            decode_list(cls, owned_input, owned=True)
        return
    decoded = decode_list(cls, items)
    in_place = decode_list(cls, owned_input, owned=True)
    assert [type(m) for m in decoded] == [type(m) for m in in_place] == [cls] * len(items)
    for a, b, c, item in zip(decoded, in_place, expected, items, strict=True):
        assert same(og.to_dict(a), og.to_dict(c)) and same(og.to_dict(b), og.to_dict(c))
        assert same(og.to_dict(b), item)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(payload=JSON | DEEP)
def test_decode_list_of_anything(cls: type[Any], payload: Any) -> None:
    for owned in (False, True):
        try:
            given = [_copy_json(item) for item in payload] if isinstance(payload, list) else payload
            decoded = decode_list(cls, given, owned=owned)
        except og.ResponseDecodeError:
            continue
        assert isinstance(payload, list) and all(type(m) is cls for m in decoded)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_from_dict_is_decode(cls: type[Any], data: st.DataObject) -> None:
    payload = data.draw(near_valid(cls))
    try:
        model = og.from_dict(cls, payload)
    except og.ResponseDecodeError:
        with pytest.raises(og.ResponseDecodeError):
            decode(cls, payload)
        return
    assert same(og.to_dict(model), og.to_dict(decode(cls, payload)))
