"""Fuzzing the models' decoders: any payload gives a well-typed model or a ResponseDecodeError, nothing else.

Every registered model is fuzzed, leniently and strictly, on random JSON and on payloads that look right with one
thing wrong: a value of another type, a missing field, unknown keys, keys named ``extra`` or ``_raw``. A payload
that decodes must come back unchanged from ``to_dict``; leniently, only a payload that is not an object or lacks a
required field is refused.
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
from ordergroove.models import OrderStatus, Period, decode, decode_list
from ordergroove.models._base import REGISTRY
from ordergroove.models._wire import copy_json

from ._strategies import DEEP, FUZZ, JSON, members, near_valid, same, valid_payload

MODELS: list[type[Any]] = sorted(REGISTRY, key=lambda cls: cls.__name__)


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
        if member is str and isinstance(value, str):  # a JSONText or ComponentIds says which form it was
            return True
        if member in (decimal.Decimal, dt.date, Period, OrderStatus) and type(value) is member:
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


def check_decoded(cls: type[Any], payload: Any, strict: bool = False) -> bool:
    """Decode ``payload``: a model whose fields have their declared types, or a ResponseDecodeError."""
    try:
        model = decode(cls, payload, strict=strict)
    except og.ResponseDecodeError as exc:
        assert isinstance(exc.message, str)
        if not strict and isinstance(payload, dict):  # leniently, only a missing required field refuses it
            assert "required field missing" in exc.message
        return False
    assert type(model) is cls
    renames = REGISTRY[cls]
    for field in attrs.fields(cls):
        if field.init and field.name not in ("extra", "_raw"):
            value = getattr(model, field.name)
            if renames.get(field.name, field.name) in model.unparsed:  # set aside: None, whatever its type
                assert value is None
                continue
            assert _conforms(value, field.type), f"{cls.__name__}.{field.name} = {value!r} is not {field.type}"
    assert isinstance(model.extra, Mapping) and isinstance(model.unparsed, Mapping)
    assert not (strict and model.unparsed)
    # Decode then encode loses nothing: unknown fields, spellings and numbers come back as received.
    assert same(og.to_dict(model), payload)
    return True


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_any_json_decodes_or_raises_response_decode_error(cls: type[Any], data: st.DataObject) -> None:
    check_decoded(cls, data.draw(JSON | DEEP), data.draw(st.booleans()))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_near_valid_payloads_decode_or_raise_response_decode_error(cls: type[Any], data: st.DataObject) -> None:
    check_decoded(cls, data.draw(near_valid(cls)), data.draw(st.booleans()))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_valid_payloads_decode(cls: type[Any], data: st.DataObject) -> None:
    assert check_decoded(cls, data.draw(valid_payload(cls)), data.draw(st.booleans()))


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_decode_list_agrees_with_decode(cls: type[Any], data: st.DataObject) -> None:
    # The page decoder must agree with one-by-one decoding, and never change the records it is given.
    items = data.draw(st.lists(near_valid(cls) | valid_payload(cls) | JSON, max_size=5))
    strict = data.draw(st.booleans())
    originals = copy_json(items)
    try:
        expected = [decode(cls, item, strict=strict) for item in items]
    except og.ResponseDecodeError:
        with pytest.raises(og.ResponseDecodeError):
            decode_list(cls, items, strict=strict)
        return
    decoded = decode_list(cls, items, strict=strict)
    assert same(items, originals)
    assert [type(m) for m in decoded] == [cls] * len(items)
    for a, c, item in zip(decoded, expected, items, strict=True):
        assert same(og.to_dict(a), og.to_dict(c)) and same(og.to_dict(a), item)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(payload=JSON | DEEP)
def test_decode_list_of_anything(cls: type[Any], payload: Any) -> None:
    for strict in (False, True):
        try:
            decoded = decode_list(cls, payload, strict=strict)
        except og.ResponseDecodeError:
            continue
        assert isinstance(payload, list) and all(type(m) is cls for m in decoded)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@FUZZ
@given(data=st.data())
def test_from_dict_is_decode(cls: type[Any], data: st.DataObject) -> None:
    payload = data.draw(near_valid(cls))
    strict = data.draw(st.booleans())
    try:
        model = og.from_dict(cls, payload, strict=strict)
    except og.ResponseDecodeError:
        with pytest.raises(og.ResponseDecodeError):
            decode(cls, payload, strict=strict)
        return
    assert same(og.to_dict(model), og.to_dict(decode(cls, payload, strict=strict)))
