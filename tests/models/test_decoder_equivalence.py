"""The generated decoders agree with the plain reading of each field, on every payload, value by value.

The generated code reads the usual wire type of each field inline and hands every other value to the field's
conversion (``_hooks``). The reference below does only the latter, one field at a time, and builds the model with
``__init__``: both must give equal models, with values of exactly the same types, the same ``extra`` and
``unparsed``, or refuse the same payloads with the same message. Payloads cover missing optional and required
fields, unknown keys (``extra``, ``_raw`` and property names among them), key orders, nested components and groups,
every documented form and values of every JSON type. ``to_dict`` gives each payload back, key order included.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
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
from ordergroove.models import OrderStatus, Period, decode, decode_list
from ordergroove.models._base import NO_UNPARSED, REGISTRY
from ordergroove.models._fastpath import MISSING, PRIMARIES, _Generator, decode_list_owned
from ordergroove.models._hooks import Refused

MODELS = sorted(REGISTRY, key=lambda cls: cls.__name__)
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
        "2017-02-29 12:00:00",
        "2025-13-45 25:61:61",
        "09/3099",
        "",
    ]
)
DATES = st.sampled_from(["2025-01-15", "2025-01-15 00:00:00", "2025-01-15T10:00:00Z", "20250115", "2025-02-29", ""])
DECIMALS = st.sampled_from(
    ["12.50", "0", "-3.1", " 7.25 ", "1_000.5", "1e3", "+4", "NaN", "Infinity", "sNaN", "undefined", "", "12.3.4"]
)
UNKNOWN_KEYS = st.sampled_from(["extra", "unparsed", "_raw", "raw", "id", "is_active", "to_dict", "__class__", "new"])


def _members(tp: Any) -> list[Any]:
    return list(get_args(tp)) if get_origin(tp) in (Union, types.UnionType) else [tp]


def _value(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """Wire values for a field: the documented forms in their spellings, and the wrong types next to them."""
    options: list[st.SearchStrategy[Any]] = [JSON_SCALARS, st.floats(-3, 3), st.lists(JSON_SCALARS, max_size=2)]
    for member in _members(tp):
        if member is str:
            options += [st.text(max_size=8), st.integers(-(2**70), 2**70), st.just('{"a": [1]}'), st.just("a,b")]
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
            options += [st.dictionaries(st.text(max_size=4), JSON, max_size=3)]
        elif member is Any:
            options.append(JSON)
        elif get_origin(member) is list:
            element = get_args(member)[0]
            if element in REGISTRY:
                items = _payload(element, depth + 1) if depth < 2 else st.just({})
            else:
                items = st.dictionaries(st.text(max_size=4), JSON, max_size=3)
            options += [st.lists(items | JSON_SCALARS, max_size=3), st.lists(items, max_size=3), st.just([])]
        elif member in REGISTRY:
            options.append(_payload(member, depth + 1) if depth < 2 else st.just({}))
    return st.one_of(options)


@st.composite
def _payload_of(draw: st.DrawFn, cls: type[Any], depth: int) -> dict[str, Any]:
    renames = REGISTRY[cls]
    payload: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init or field.name == "extra":
            continue
        required = field.default is attrs.NOTHING
        if draw(st.integers(0, 9)) < (1 if required else 4):  # leave it out now and then
            continue
        payload[renames.get(field.name, field.name)] = draw(_value(field.type, depth))
    for key in draw(st.lists(UNKNOWN_KEYS, max_size=3, unique=True)):
        if key not in payload:
            payload[key] = draw(JSON)
    keys = draw(st.permutations(list(payload)))
    return {key: payload[key] for key in keys}


def _payload(cls: type[Any], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    attrs.resolve_types(cls)
    return _payload_of(cls, depth)


# -- the reference: each field's conversion, one field at a time, and __init__ ---------------------------------


def _reference(cls: type[Any], payload: Any, strict: bool) -> Any:
    if not isinstance(payload, dict):
        raise Refused("expected a JSON object")
    kwargs: dict[str, Any] = {}
    unparsed: dict[str, Any] = {}
    fields = _Generator(cls).fields
    for field in fields:
        if field.wire not in payload:
            if field.required:
                raise Refused("required field missing", (field.wire,))
            continue
        value = payload[field.wire]
        if value is None and field.nullable:
            kwargs[field.name] = None
            continue
        try:
            kwargs[field.name] = field.kind.conversion(value, strict)
        except Exception as exc:
            if strict:
                raise (
                    exc.at(field.wire) if isinstance(exc, Refused) else Refused("unreadable", (field.wire,))
                ) from None
            kwargs[field.name] = None
            unparsed[field.wire] = value
    known = {field.wire for field in fields}
    extra = {key: value for key, value in payload.items() if key not in known}
    model = cls(**kwargs, extra=extra) if "extra" in attrs.fields_dict(cls) else cls(**kwargs)
    if unparsed:
        object.__setattr__(model, "unparsed", unparsed)
    object.__setattr__(model, "_raw", payload)
    return model


def _same_values(generated: Any, reference: Any) -> None:
    """Equal, and of exactly the same types, field by field (nested models included)."""
    assert type(generated) is type(reference)
    assert generated == reference
    if attrs.has(type(generated)):
        for field in attrs.fields(type(generated)):
            if field.name != "_raw":
                _same_values(getattr(generated, field.name), getattr(reference, field.name))
    elif isinstance(generated, list):
        for a, b in zip(generated, reference, strict=True):
            _same_values(a, b)
    elif isinstance(generated, Mapping) and not isinstance(generated, dict):
        assert dict(generated) == dict(reference)


def _parsed(payloads: list[Any]) -> list[Any]:
    """The records as a parser gives them: each a new object (a list may hold one dict twice; a parsed body never)."""
    return [copy.deepcopy(payload) for payload in payloads]


def _compare(cls: type[Any], payloads: list[Any], strict: bool) -> None:
    expected: list[Any] = []
    for index, payload in enumerate(payloads):
        try:
            expected.append(_reference(cls, payload, strict))
        except Refused as refused:
            with pytest.raises(og.ResponseDecodeError) as one:
                decode(cls, payload, strict=strict)
            where = refused.where()
            assert (
                str(one.value)
                == f"{cls.__name__} payload does not decode: {where + ': ' if where else ''}" + (refused.reason)
                or refused.reason == "unreadable"
            )
            for decode_page in (decode_list, decode_list_owned):
                with pytest.raises(og.ResponseDecodeError) as page:
                    decode_page(cls, _parsed(payloads), strict=strict)
                assert str(page.value).startswith(f"record {index + 1} of {len(payloads)}: ")
            return
    originals = copy.deepcopy(payloads)
    decoded = decode_list(cls, payloads, strict=strict)
    copied = [og.from_dict(cls, payload, strict=strict) for payload in payloads]
    owned = decode_list_owned(cls, _parsed(payloads), strict=strict)  # the client's pages: records taken over
    assert payloads == originals  # decoding never changes a record
    for generated, from_dict, mine, reference, payload in zip(decoded, copied, owned, expected, payloads, strict=True):
        _same_values(generated, reference)
        _same_values(from_dict, reference)
        _same_values(mine, reference)
        assert dict(generated.extra) == dict(reference.extra) and type(generated.extra) is dict
        assert og.to_dict(generated) == og.to_dict(from_dict) == og.to_dict(mine) == payload
        for model in (generated, from_dict, mine):
            assert list(og.to_dict(model)) == list(payload)  # in the order received
            # The same JSON, value for value: == alone takes 1 for 1.0 or True, "4" kept as 4 would show here.
            assert json.dumps(og.to_dict(model)) == json.dumps(payload)
            assert json.dumps(og.to_dict(pickle.loads(pickle.dumps(model)))) == json.dumps(payload)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_way_of_reading_a_record_agrees(cls: type[Any], data: st.DataObject) -> None:
    # A decoder reads a record in the first record's key order (its locals follow it), in a key order it has
    # remembered, or field by field: built from each payload in turn, it must decode every payload the same way.
    payloads = data.draw(st.lists(_payload(cls), min_size=1, max_size=4))
    expected = []
    refusals: list[tuple[str, str] | None] = []  # strict mode names the same field, whichever record came first
    for payload in payloads:
        try:
            expected.append(_reference(cls, payload, strict=False))
        except Refused:
            expected.append(None)
        try:
            _reference(cls, payload, strict=True)
            refusals.append(None)
        except Refused as refused:
            refusals.append((refused.where(), refused.reason))
    for sample in [None, *payloads]:
        decoder = _Generator(cls, sample).build()
        for payload, refusal in zip(payloads, refusals, strict=True):
            if refusal is not None and refusal[1] != "unreadable":
                with pytest.raises(Refused) as caught:
                    decoder(payload, True)
                assert (caught.value.where(), caught.value.reason) == refusal
        for _ in range(2):  # the second time, each key order has been remembered
            for payload, reference in zip(payloads, expected, strict=True):
                if reference is None:
                    with pytest.raises(Refused):
                        decoder(payload, False)
                else:
                    _same_values(decoder(payload, False), reference)
                    _same_values(decoder(payload, False, True), reference)
            if None not in expected:  # the page decoder: the same code in a loop
                for generated, reference in zip(decoder.many(payloads, False), expected, strict=True):
                    _same_values(generated, reference)


def test_every_registered_model_has_a_decoder() -> None:
    assert {cls.__name__ for cls in MODELS} >= {"Subscription", "Order", "Item", "Product", "Component", "Customer"}
    for cls in MODELS:
        assert _Generator(cls).build() is not None


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_generated_decoder_agrees_with_the_reference(cls: type[Any], strict: bool, data: st.DataObject) -> None:
    _compare(cls, data.draw(st.lists(_payload(cls), min_size=1, max_size=4)), strict)


def _subscription(**fields: Any) -> dict[str, Any]:
    return {"public_id": "s1", "customer": "c1", "product": "p1", "live": True, **fields}


@pytest.mark.parametrize(
    "payload",
    [
        _subscription(),
        _subscription(extra={"a": 1}, _raw=[1], id="x", unparsed=2, components=[{"product": "p2", "extra": 5}]),
        _subscription(every_period=9, price=" 12.50 ", cancelled="2025-01-15T09:30:00Z", start_date="2025-01-15"),
        _subscription(quantity="3", price=12.99, created="2025-01-15T09:30:00.1234567", public_id=12),
        _subscription(every_period=True),
        _subscription(components=[{"quantity": "x"}]),
        _subscription(components=None, extra_data="x", prepaid_subscription_context={}),
        {"customer": "c1", "public_id": None, "product": "p", "live": None},
    ],
    ids=["minimal", "reserved-keys", "variants", "coerced", "bool-enum", "bad-component", "forms", "nulls"],
)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_known_variants(payload: dict[str, Any], strict: bool) -> None:
    _compare(og.Subscription, [payload], strict)
    _compare(og.Subscription, [_subscription(), payload, _subscription(quantity=1)], strict)


def test_a_page_alternating_key_sets_and_key_orders() -> None:
    forward = _subscription(quantity=2, every=3, price="1.50")
    backward = dict(reversed(list(_subscription(quantity=5, every=7, price="2.25").items())))
    longer = _subscription(quantity=9, every=1, loyalty_tier="gold")
    shorter = _subscription(quantity=4)
    payloads = [forward, backward, forward, longer, backward, shorter, longer, forward, shorter] * 3
    _compare(og.Subscription, payloads, strict=True)
    decoded = decode_list(og.Subscription, payloads)
    assert [(s.quantity, s.every) for s in decoded[:4]] == [(2, 3), (5, 7), (2, 3), (9, 1)]
    assert decoded[3].extra == {"loyalty_tier": "gold"} and decoded[1].extra == {}


def test_remembered_key_orders_are_bounded() -> None:
    # Records whose optional fields come and go at random: almost every record has a key order of its own. The
    # decoder remembers at most SIZE orders and learns one more only once in EVERY records it does not know.
    generator = _Generator(og.Order)
    decoder = generator.build()
    layouts = generator.env["LAYOUTS"]
    optional = ["merchant", "payment", "total", "tries", "type", "locked", "place", "currency_code", "has_plan"]
    learned = 0
    for index in range(3000):
        record = {"public_id": f"o{index}", "customer": "c", "status": 1}
        record.update({key: None for bit, key in enumerate(optional) if index >> bit & 1})
        before = layouts.recent
        decoder(record, True)
        learned += layouts.recent is not before
        assert len(layouts.recent) <= layouts.SIZE
    assert learned <= layouts.SIZE + 3000 // layouts.EVERY


def test_key_orders_that_keep_coming_are_read_with_one_unpack() -> None:
    # A model's records come in the first record's order, then (another endpoint, webhooks) in another: that one is
    # promoted to a primary order (the decoder's code rewritten in place) and decodes the same; at most PRIMARIES.
    # A primary is read by key: a record with its keys in another order needs none of its own, and gives back its
    # own order.
    generator = _Generator(og.Order, {"public_id": "o0", "customer": "c", "status": 1})
    decoder = generator.build()
    layouts = generator.env["LAYOUTS"]
    code = decoder.__code__  # type: ignore[attr-defined]
    rounds = layouts.PROMOTE_AT * 2  # (once the decoder has all its primary orders, it stops counting)
    orders = [["status", "customer", "public_id"], ["customer", "public_id", "status", "total"]]
    orders += [["public_id", "customer", "status", field] for field in ("merchant", "payment", "tries", "type")]
    for keys in orders:
        record = {"public_id": "o1", "customer": "c", "status": 3, "total": "9.50", "merchant": "m", "payment": "p"}
        record.update(tries=2, type=1)
        record = {key: record[key] for key in keys}
        expected = decode(og.Order, record, strict=True)
        decoded = [decoder(dict(record), True) for _ in range(rounds)]
        assert all(model == expected and og.to_dict(model) == record for model in decoded)
        assert all(list(og.to_dict(model)) == keys for model in [*decoded, pickle.loads(pickle.dumps(decoded[0]))])
    assert generator.primaries[:3] == [["public_id", "customer", "status"], *orders[1:3]]
    assert len(generator.primaries) == PRIMARIES and decoder.__code__ is not code  # type: ignore[attr-defined]
    assert decoder.many([{"customer": "c", "public_id": "o2", "status": 1}], True)[0].public_id == "o2"


def test_renamed_fields_read_their_wire_names() -> None:
    reason = decode(og.CancelReason, {"application": "msi", "code": "x", "cancel_reason": 6})
    assert (reason.code, reason.extra) == (6, {"code": "x"})
    assert og.to_dict(reason) == {"application": "msi", "code": "x", "cancel_reason": 6}
    customer = decode(og.Customer, {"merchant_user_id": "c1", "id": 7})
    assert (customer.internal_id, customer.id) == (7, "c1") and "id" not in vars(customer)


def test_a_model_never_shares_a_list_with_its_payload() -> None:
    [decoded] = decode_list(og.Subscription, [_subscription(components=[])])
    assert isinstance(decoded.components, list)
    decoded.components.append(og.Component(product="p9"))  # frozen models still hold mutable lists
    assert og.to_dict(decoded)["components"] == []


def test_the_instance_holds_only_what_was_sent() -> None:
    # Fields left out read the class's defaults (set by @model()); the record's own keys are the instance's.
    decoded = decode(og.Subscription, _subscription(quantity=2))
    assert set(vars(decoded)) == {"public_id", "customer", "product", "live", "quantity", "_raw"}
    assert decoded.unparsed is NO_UNPARSED and decoded.merchant is None
    assert MISSING not in vars(decoded).values()
    # No unknown field: its extra is made when first read, a dict of its own, kept from then on.
    assert decoded.extra == {} and vars(decoded)["extra"] is decoded.extra
    other = decode(og.Subscription, _subscription(quantity=2))
    assert other.extra is not decoded.extra and other == decoded
    with_unknown = decode(og.Subscription, _subscription(quantity=2, new_field=1))
    assert vars(with_unknown)["extra"] == {"new_field": 1}
    # An absent list of components likewise: the model's own list, made when first read. An empty one received
    # stays in its place (the instance's key order is the record's): the model's own, never the caller's list.
    assert decoded.components == [] and vars(decoded)["components"] is decoded.components
    records = [_subscription(components=[]), _subscription(components=[])]
    empty, again = decode_list(og.Subscription, records)
    assert list(vars(empty)) == [*records[0], "_raw"] and empty.components is not records[0]["components"]
    payload = og.models.wire_payload(empty)
    assert payload is not None and empty.components == [] and empty.components is not payload["components"]
    empty.components.append(og.Component(product="p9"))
    assert again.components == [] and og.to_dict(empty)["components"] == [] and empty != again


def test_concurrent_first_decodes_agree() -> None:
    # The decoders are generated by whichever thread comes first; every thread must get the same models.
    payloads = [_subscription(quantity=index, **({f"k{index % 7}": index} if index % 2 else {})) for index in range(60)]
    expected = [_reference(og.Subscription, payload, True) for payload in payloads]
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
        for generated, reference in zip(decoded, expected, strict=True):
            _same_values(generated, reference)
