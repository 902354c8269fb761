"""The generated fast decode path agrees with the thorough cattrs path on every payload, field by field.

``decode_list`` (the page decoder: generated per-key-set builders, falling back to cattrs) is compared with the
detailed cattrs converter run directly on the same payloads: the same success or failure, equal models, values
of exactly the same types (an ``int`` never where the other path gives a ``str``, a ``Period`` never where it gives
an ``int``), the same ``extra`` and the same ``to_dict``. Payloads cover missing optional and required fields,
unknown keys (``extra``, ``_raw`` and property names among them), key orders, nested components and groups,
enums known and unknown, decimal spellings and datetime variants.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import pickle
import threading
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ordergroove as og
from ordergroove.models import OrderStatus, Period
from ordergroove.models._convert import _RENAMES, _Builders, _detailed, _fast, decode_list

# Models the fast path builds (no renames, validators or post-init): the ones where two paths can disagree.
FAST_MODELS = sorted(
    (cls for cls in _RENAMES if not _RENAMES[cls] and not hasattr(cls, "__attrs_post_init__")),
    key=lambda cls: cls.__name__,
)
JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=6)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
DATETIMES = st.sampled_from(
    [
        "2025-01-15 09:30:00",
        "2025-01-15T09:30:00",
        "2025-01-15T09:30:00.123456",
        "2025-01-15T09:30:00Z",
        "2025-01-15T09:30:00+02:00",
        "2025-01-15 09:30",
        "2025-01-15",
        "20250115T093000",
        "2025-01-15T09:30:00.1234567",  # seven fraction digits: only dateutil reads it
        "2025-01-15T24:00:00",
        "2025-13-45 25:61:61",
        "Jan 15 2025",
        "",
    ]
)
DATES = st.sampled_from(["2025-01-15", "2025-01-15 00:00:00", "2025-01-15T10:00:00Z", "20250115", "2025-02-30", ""])
DECIMALS = st.sampled_from(
    ["12.50", "0", "-3.1", " 7.25 ", "1_000.5", "1e3", "+4", "NaN", "Infinity", "sNaN", "abc", "", "12.3.4"]
)
UNKNOWN_KEYS = st.sampled_from(["extra", "_raw", "raw", "id", "is_active", "label", "__class__", "new_field"])


def _members(tp: Any) -> list[Any]:
    return list(get_args(tp)) if get_origin(tp) in (Union, types.UnionType) else [tp]


def _value(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """Wire values for a field: the right JSON type in its spellings, and the wrong types next to them."""
    options: list[st.SearchStrategy[Any]] = [st.none(), st.booleans(), st.integers(-5, 5), st.floats(-3, 3)]
    for member in _members(tp):
        if member is str:
            options += [st.text(max_size=8), st.integers(-(2**70), 2**70)]
        elif member is int:
            options += [st.integers(-(2**40), 2**40), st.sampled_from(["12", " 3 ", "-4", "--4", "1.0", "x", "²"])]
            options += [st.sampled_from([2.0, 2.5, float("nan")])]
        elif member is decimal.Decimal:
            options += [DECIMALS, st.integers(-(10**6), 10**6), st.sampled_from([12.99, 0.1, float("inf")])]
        elif member is dt.datetime:
            options.append(DATETIMES)
        elif member is dt.date:
            options.append(DATES)
        elif member in (Period, OrderStatus):
            options += [st.integers(0, 25), st.sampled_from(["2", "x"])]
        elif member == Mapping[str, Any]:
            options += [st.dictionaries(st.text(max_size=4), JSON, max_size=3), st.lists(JSON, max_size=2)]
        elif member is Any:
            options.append(JSON)
        elif get_origin(member) is list:
            element = get_args(member)[0]
            if not attrs.has(element):
                items = st.dictionaries(st.text(max_size=4), JSON, max_size=3)
            else:
                items = _payload(element, depth + 1) if depth < 2 else st.just({})
            options += [st.lists(items | JSON_SCALARS, max_size=3), st.lists(items, max_size=3), st.just([])]
    return st.one_of(options)


@st.composite
def _payload_of(draw: st.DrawFn, cls: type[Any], depth: int) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init or field.name == "extra":
            continue
        required = field.default is attrs.NOTHING
        if draw(st.integers(0, 9)) < (1 if required else 4):  # leave it out now and then
            continue
        payload[field.name] = draw(_value(field.type, depth))
    for key in draw(st.lists(UNKNOWN_KEYS, max_size=3, unique=True)):
        if key not in payload:
            payload[key] = draw(JSON)
    keys = draw(st.permutations(list(payload)))
    return {key: payload[key] for key in keys}


def _payload(cls: type[Any], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    attrs.resolve_types(cls)
    return _payload_of(cls, depth)


def _same_values(fast: Any, slow: Any) -> None:
    """Equal, and of exactly the same types, field by field (nested models included)."""
    assert type(fast) is type(slow)
    assert fast == slow
    if attrs.has(type(fast)):
        for field in attrs.fields(type(fast)):
            if field.name != "_raw":  # how the payload is kept differs by path; to_dict compares what it gives
                _same_values(getattr(fast, field.name), getattr(slow, field.name))
    elif isinstance(fast, list):
        for a, b in zip(fast, slow, strict=True):
            _same_values(a, b)
    elif isinstance(fast, Mapping) and not isinstance(fast, dict):
        assert dict(fast) == dict(slow)


def _slow(cls: type[Any], payload: Any) -> Any:
    # The detailed converter never takes the generated path: it is the reference.
    return _detailed().structure(payload, cls)


def _compare(cls: type[Any], payloads: list[Any]) -> None:
    # Both page decoders: the one that copies each record, and the one that decodes a freshly parsed page in place
    # (given a copy here, as the client gives it a page parsed for it alone).
    owned_input = [copy.deepcopy(payload) for payload in payloads]  # parsed JSON never shares an object
    expected: list[Any] = []
    for index, payload in enumerate(payloads):
        try:
            expected.append(_slow(cls, payload))
        except Exception:
            with pytest.raises(og.ResponseDecodeError):
                decode_list(cls, [payload])
            with pytest.raises(og.ResponseDecodeError) as copied:
                decode_list(cls, payloads)
            with pytest.raises(og.ResponseDecodeError) as decoded_in_place:
                decode_list(cls, owned_input, owned=True)
            assert str(decoded_in_place.value) == str(copied.value)  # the same record, the same words
            assert owned_input[index] == payload  # the record given up on is left as it came
            return
    decoded = decode_list(cls, payloads)
    in_place = decode_list(cls, owned_input, owned=True)
    assert len(decoded) == len(in_place) == len(payloads)
    for fast, owned, slow, payload in zip(decoded, in_place, expected, payloads, strict=True):
        _same_values(fast, slow)
        _same_values(owned, slow)
        assert dict(fast.extra) == dict(owned.extra) == dict(slow.extra)
        assert og.to_dict(fast) == og.to_dict(owned) == og.to_dict(slow) == payload
        assert list(og.to_dict(owned)) == list(payload)  # in the order received
        assert og.to_dict(og.from_dict(cls, payload)) == payload


def test_every_plain_model_takes_the_fast_path() -> None:
    # Otherwise the comparison below would compare the thorough path with itself.
    assert {cls.__name__ for cls in FAST_MODELS} >= {"Subscription", "Order", "Item", "Product", "Component"}
    for cls in FAST_MODELS:
        _fast().get_structure_hook(cls)
    assert all(_Builders.for_model(cls, _fast()) is not None for cls in FAST_MODELS if cls is not og.PurchaseRequest)


@pytest.mark.parametrize("cls", FAST_MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fast_path_agrees_with_cattrs(cls: type[Any], data: st.DataObject) -> None:
    _compare(cls, data.draw(st.lists(_payload(cls), min_size=1, max_size=4)))


def _subscription(**fields: Any) -> dict[str, Any]:
    return {"public_id": "s1", "customer": "c1", "product": "p1", "live": True, **fields}


@pytest.mark.parametrize(
    "payload",
    [
        _subscription(),
        _subscription(extra={"a": 1}, _raw=[1], id="x", components=[{"product": "p2", "extra": 5}]),
        _subscription(every_period=9, price=" 12.50 ", cancelled="2025-01-15T09:30:00Z", start_date="2025-01-15"),
        _subscription(quantity="3", price=12.99, created="2025-01-15T09:30:00.1234567", public_id=12),
        _subscription(every_period=True),
        _subscription(components=[{"quantity": "x"}]),
    ],
    ids=["minimal", "reserved-keys", "variants", "coerced", "bool-enum", "bad-component"],
)
def test_known_variants(payload: dict[str, Any]) -> None:
    _compare(og.Subscription, [payload])
    _compare(og.Subscription, [_subscription(), payload, _subscription(quantity=1)])


def test_a_page_alternating_key_sets_and_key_orders() -> None:
    # The page decoder remembers the page's key sets, compared in order: the same keys in another order, or one key
    # more, is another builder, so each record's values land in the right fields.
    forward = _subscription(quantity=2, every=3, price="1.50")
    backward = dict(reversed(list(_subscription(quantity=5, every=7, price="2.25").items())))
    longer = _subscription(quantity=9, every=1, loyalty_tier="gold")
    shorter = _subscription(quantity=4)
    payloads = [forward, backward, forward, longer, backward, shorter, longer, forward, shorter] * 3
    _compare(og.Subscription, payloads)
    decoded = decode_list(og.Subscription, payloads)
    assert [(s.quantity, s.every) for s in decoded[:4]] == [(2, 3), (5, 7), (2, 3), (9, 1)]
    assert decoded[3].extra == {"loyalty_tier": "gold"} and decoded[1].extra == {}


@pytest.mark.parametrize("owned", [False, True], ids=["copied", "in-place"])
def test_a_model_never_shares_a_list_with_its_payload(owned: bool) -> None:
    [decoded] = decode_list(og.Subscription, [_subscription(components=[])], owned=owned)
    decoded.components.append(og.Component(product="p9"))  # frozen models still hold mutable lists
    assert og.to_dict(decoded)["components"] == []
    [decoded] = decode_list(og.Subscription, [_subscription(components=[{"product": "p2"}])], owned=owned)
    assert decoded.components == [og.Component(product="p2")]
    assert og.to_dict(decoded)["components"] == [{"product": "p2"}]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_model_decoded_in_place_pickles_and_copies(protocol: int) -> None:
    payload = _subscription(price="12.50", created="2025-01-15 09:30:00", loyalty="gold", components=[{"x": 1}])
    [decoded] = decode_list(og.Subscription, [copy.deepcopy(payload)], owned=True)
    for clone in (pickle.loads(pickle.dumps(decoded, protocol)), copy.copy(decoded), copy.deepcopy(decoded)):
        assert clone == decoded
        assert og.to_dict(clone) == payload and list(og.to_dict(clone)) == list(payload)


@pytest.mark.parametrize("owned", [False, True], ids=["copied", "in-place"])
def test_a_record_that_does_not_decode_is_named_by_its_place(owned: bool) -> None:
    payloads = [_subscription(), _subscription(), _subscription(price="twelve"), _subscription()]
    with pytest.raises(og.ResponseDecodeError) as caught:
        decode_list(og.Subscription, payloads, owned=owned)
    assert str(caught.value).startswith("record 3 of 4: Subscription payload does not decode")
    assert "price" in str(caught.value)


def test_concurrent_first_decodes_agree() -> None:
    # The shape caches are filled by whichever thread comes first; every thread must get the same models.
    payloads = [_subscription(quantity=index, **({f"k{index % 7}": index} if index % 2 else {})) for index in range(60)]
    expected = [_slow(og.Subscription, payload) for payload in payloads]
    results: list[list[Any]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(20):
                results.append(decode_list(og.Subscription, payloads))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 160
    for decoded in results:
        for fast, slow in zip(decoded, expected, strict=True):
            _same_values(fast, slow)
