"""Decoded models survive pickling into another process: process pools, joblib, pickle-based caches.

A decoded model's ``__dict__`` holds only the fields the payload carried; the others read their defaults from the
class, which ``@model()`` sets when the class is defined. (They used to be set at the first decode, so a model
unpickled in a fresh process raised AttributeError on every absent field, and ``==`` with it.)
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import operator
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
from payloads import order_payload, subscription_payload

import ordergroove as og
from ordergroove.models import ComponentIds, JSONText, _fastpath

ROOT = Path(__file__).resolve().parents[2]


def _sparse_models() -> list[Any]:
    """Models with optional fields left out, odd values set aside, the legacy forms and a nested model."""
    return [
        og.from_dict(og.Subscription, {"public_id": "s1", "customer": "c", "product": "p", "live": True}),
        og.from_dict(
            og.Subscription,
            {"public_id": "s2", "customer": "c", "product": "p", "live": True, "components": "a,b", "x": [1]},
        ),
        og.from_dict(
            og.Subscription,
            subscription_payload(extra_data='{"a": 1}', created="2017-02-29 12:00:00", components=[{"product": "q"}]),
        ),
        og.from_dict(og.Order, {"public_id": "o1", "customer": "c", "status": 21, "total": "undefined"}),
        og.Order(public_id="o2", customer="c", status=og.OrderStatus.SUCCESS),  # built in code
    ]


def test_a_decoded_model_unpickles_in_a_fresh_process(tmp_path: Path) -> None:
    models = _sparse_models()
    (tmp_path / "models.pkl").write_bytes(pickle.dumps(models))
    (tmp_path / "payloads.pkl").write_bytes(pickle.dumps([og.to_dict(m) for m in models]))
    # The child unpickles before it decodes anything: nothing but the class definitions has run there.
    child = textwrap.dedent(
        """
        import pickle, sys
        models = pickle.loads(open(sys.argv[1], "rb").read())
        s1, s2, s3, o1, o2 = models
        assert (s1.quantity, s1.merchant, s1.cancelled, s1.extra_data) == (None, None, None, None)
        assert s1.components == [] and s1.extra == {} and s1.unparsed == {} and not s1.is_prepaid
        assert s2.components.product_ids == ("a", "b") and s2.extra == {"x": [1]}
        assert s3.extra_data.value == {"a": 1} and s3.unparsed == {"created": "2017-02-29 12:00:00"}
        assert o1.total is None and o1.unparsed == {"total": "undefined"} and o1.status == 21
        import ordergroove as og
        payloads = pickle.loads(open(sys.argv[2], "rb").read())
        assert [og.to_dict(m) for m in models] == payloads
        fresh = [og.from_dict(type(m), p) for m, p in zip(models[:4], payloads)]
        assert fresh == models[:4] and models[:4] == fresh
        assert hash(o2) == hash(pickle.loads(pickle.dumps(o2)))
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(tmp_path / "models.pkl"), str(tmp_path / "payloads.pkl")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"


def test_a_spawn_pool_reads_decoded_models() -> None:
    # The default start method on macOS and Windows: each worker is a fresh interpreter.
    model = og.from_dict(og.Order, {"public_id": "o1", "customer": "c", "status": 1})
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        read = pool.map(operator.attrgetter("total", "tries", "public_id"), [model])
        equal = pool.starmap(operator.eq, [(model, model)])
    assert read == [(None, None, "o1")]
    assert equal == [True]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_models_pickle_and_copy_with_any_protocol(protocol: int) -> None:
    for model in _sparse_models():
        for clone in (pickle.loads(pickle.dumps(model, protocol)), copy.copy(model), copy.deepcopy(model)):
            assert clone == model
            assert og.to_dict(clone) == og.to_dict(model) and list(og.to_dict(clone)) == list(og.to_dict(model))
            assert type(clone.unparsed) is type(model.unparsed)
    for text in (ComponentIds("a,b"), JSONText('{"a": 1}')):
        again = pickle.loads(pickle.dumps(text, protocol))
        assert type(again) is type(text) and again == text


def test_class_defaults_are_set_when_the_class_is_defined() -> None:
    # Checked in a fresh process: here, other tests have decoded models already.
    code = "import ordergroove as og; print(og.Subscription.quantity, og.Subscription.merchant, og.Order.unparsed)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.split() == ["None", "None", "{}"], done.stderr[-2000:]


def test_models_holding_only_hashable_values_hash() -> None:
    order = og.from_dict(og.Order, order_payload(extra_data='{"a": 1}', loyalty=[1]))
    assert hash(order) == hash(og.from_dict(og.Order, order_payload(extra_data='{"a": 1}', loyalty=[1])))
    assert len({order, og.from_dict(og.Order, order_payload(extra_data='{"a": 1}'))}) == 2  # extra is not hashed
    with pytest.raises(TypeError, match="this Subscription is not hashable: components, extra_data hold a list"):
        hash(og.from_dict(og.Subscription, subscription_payload()))
    assert hash(og.from_dict(og.Subscription, subscription_payload(components="a,b", extra_data=None)))


@pytest.mark.parametrize(
    ("cls", "payload"),
    [
        (og.Subscription, subscription_payload(price="12.50", extra_data={"gift": True}, unknown=[1], quantity="2")),
        # A model that converts no field keeps its key order alone.
        (og.ProductRelationship, {"relationship_type": "bundle", "from_product": "p1", "to_product": "p2"}),
    ],
    ids=["subscription", "key-order-alone"],
)
def test_a_pickled_model_gives_back_its_payload_whatever_the_fields_of_the_version_reading_it(
    monkeypatch: pytest.MonkeyPatch, cls: type[Any], payload: dict[str, Any]
) -> None:
    # A decoded model keeps apart the values received of the fields it converted. A later version of the library may
    # convert other fields (a new date, an amount; or no longer an int): a model pickled by this one (a cache, a task
    # queue) must still give back its own payload there, not values shifted to other keys. The later version is
    # played by decoders generated again with ints and strings kept apart the other way round.
    models = [og.from_dict(cls, payload), og.models.decode(cls, payload)]
    pickled = pickle.dumps(models)
    swapped = [
        (types_, attrs.evolve(kind, converts=not kind.converts) if types_ in ({int}, {str}) else kind)
        for types_, kind in _fastpath._SCALARS
    ]
    monkeypatch.setattr(_fastpath, "_SCALARS", swapped)
    monkeypatch.setattr(_fastpath, "_DECODERS", {})
    later = [og.from_dict(cls, payload), *pickle.loads(pickled)]
    assert later[0]._raw != models[0]._raw  # the later version keeps other values apart
    for model in later:
        assert og.to_dict(model) == payload and list(og.to_dict(model)) == list(payload)
        assert json.dumps(og.to_dict(model)) == json.dumps(payload)
