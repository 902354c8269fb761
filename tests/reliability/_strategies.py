"""Hypothesis strategies shared by the fuzz tests: JSON of every odd kind, and model payloads near valid."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ordergroove.models import OrderStatus, Period
from ordergroove.models._base import REGISTRY as _RENAMES

ODD_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # surrogates, controls, combining marks
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    # 10**5000 has more digits than int() and str() accept by default (built lazily: hypothesis reprs constants).
    st.sampled_from([5000, -5000, 63, -64]).map(lambda n: (-1 if n < 0 else 1) * 10 ** abs(n)),
    st.floats(allow_nan=True, allow_infinity=True),
    ODD_TEXT,
    st.sampled_from(["", " ", "NaN", "-Infinity", "sNaN", "1e999999999", "9" * 5000, "x" * 100_000, "\ud800"]),
    st.sampled_from(["2025-13-45 25:61:61", "0000-00-00", "9999-12-31T23:59:59+99:00", "2025-01-15T09:00:00Z"]),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ODD_TEXT, children, max_size=4),
    max_leaves=12,
)


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for index in range(depth):
        value = [value] if index % 2 else {"k": value}
    return value


DEEP = st.sampled_from([10, 500, 5000]).map(_deep)


def members(tp: Any) -> list[Any]:
    return list(get_args(tp)) if get_origin(tp) in (Union, types.UnionType) else [tp]


def valid_value(tp: Any) -> st.SearchStrategy[Any]:
    """Values of the wire type Ordergroove sends for a field of type ``tp``."""
    kinds = members(tp)
    if set(kinds) >= {Period, int}:
        return st.integers(0, 6) | (st.none() if type(None) in kinds else st.nothing())
    if set(kinds) >= {OrderStatus, int}:
        return st.integers(0, 12) | (st.none() if type(None) in kinds else st.nothing())
    options = [_valid_member(member) for member in kinds]
    return st.one_of(options)


def _valid_member(tp: Any) -> st.SearchStrategy[Any]:
    if tp is type(None):
        return st.none()
    if tp is str:
        return st.text(max_size=12)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(10**9), 10**9)
    if tp is decimal.Decimal:
        amounts = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6)
        return amounts.map(str) | st.integers(0, 10**6) | st.floats(0, 10**6, allow_nan=False)
    if tp is dt.datetime:
        spelled = st.datetimes(min_value=dt.datetime(1000, 1, 1))  # strftime does not pad a year below 1000
        return spelled.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")) | st.datetimes().map(dt.datetime.isoformat)
    if tp is dt.date:
        return st.dates().map(dt.date.isoformat)
    if tp == Mapping[str, Any]:
        return st.dictionaries(st.text(max_size=8), SCALARS, max_size=3)
    if tp is Any:
        return JSON
    if get_origin(tp) is list:
        return st.lists(valid_value(get_args(tp)[0]), max_size=2)
    if attrs.has(tp):
        return valid_payload(tp)
    raise AssertionError(f"no strategy for {tp!r}")


def _wire_fields(cls: type[Any]) -> list[tuple[str, Any, bool]]:
    attrs.resolve_types(cls)
    renames = _RENAMES[cls]
    return [
        (renames.get(f.name, f.name), f.type, f.default is attrs.NOTHING)
        for f in attrs.fields(cls)
        if f.init and f.name not in ("extra", "_raw")
    ]


def valid_payload(cls: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    fields = _wire_fields(cls)
    required = {name: valid_value(tp) for name, tp, req in fields if req}
    optional = {name: valid_value(tp) for name, tp, req in fields if not req}
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def near_valid(draw: st.DrawFn, cls: type[Any]) -> dict[str, Any]:
    """A valid payload with one thing wrong (or, sometimes, nothing wrong at all)."""
    payload = draw(valid_payload(cls))
    how = draw(st.sampled_from(["wrong type", "missing", "unknown keys", "reserved keys", "nothing"]))
    names = [name for name, _, _ in _wire_fields(cls)]
    if how == "wrong type" and names:
        payload[draw(st.sampled_from(names))] = draw(JSON | DEEP)
    elif how == "missing" and payload:
        del payload[draw(st.sampled_from(sorted(payload)))]
    elif how == "unknown keys":
        payload.update(draw(st.dictionaries(ODD_TEXT, JSON, min_size=1, max_size=3)))
    elif how == "reserved keys":
        for key in draw(st.lists(st.sampled_from(["extra", "_raw", "__dict__", "__class__"]), min_size=1)):
            payload[key] = draw(JSON)
    return payload


# OG_FUZZ_EXAMPLES=2000 for a long hunt; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("OG_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def same(a: Any, b: Any) -> bool:
    """JSON equality where NaN equals NaN (iterative: payloads nest deeper than the recursion limit)."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((x[key], y[key]) for key in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif x != y:
            return False
    return True
