"""`og.from_dict` is independent of the caller's dict, and every decoded model has an `extra` of its own."""

from __future__ import annotations

import copy
import json
import math
import pickle
from typing import Any

import pytest
from payloads import product_payload, subscription_payload

import ordergroove as og
from ordergroove.models import decode_list


def test_from_dict_does_not_follow_later_changes_to_the_callers_dict() -> None:
    payload = subscription_payload(extra_data={"gift": {"note": "hi"}}, unknown_thing=[1])
    model = og.from_dict(og.Subscription, payload)
    before = og.to_dict(model)
    payload["quantity"] = 999
    payload["extra_data"]["gift"]["note"] = "changed"
    payload["unknown_thing"].append(2)
    assert model.quantity == before["quantity"] != 999
    assert model.extra_data == {"gift": {"note": "hi"}}
    assert model.extra == {"unknown_thing": [1]}
    assert og.to_dict(model) == before


def test_from_dict_shares_no_container_with_the_callers_dict() -> None:
    # Every container the model holds, wherever it is (a field, a nested model, an unknown field, a value set
    # aside, an Any field), is the model's own; to_dict gives back what was passed, whatever the caller does next.
    payload = subscription_payload(
        components=[{"public_id": "c1", "quantity": 1, "product": "p1", "tags": ["a"]}],
        extra_data={"gift": {"note": "hi", "lines": [1, 2]}},
        club={"tier": ["gold"]},
        prepaid_subscription_context={"orders": [{"n": 1}]},
        quantity=["not", "a", "number"],  # set aside in unparsed
        unknown_thing={"deep": [{"x": 1}]},
    )
    before = json.loads(json.dumps(payload))
    model = og.from_dict(og.Subscription, payload)
    payload["components"][0]["tags"].append("b")
    payload["components"].append({"product": "p2"})
    payload["extra_data"]["gift"]["lines"].append(3)
    payload["club"]["tier"].clear()
    payload["prepaid_subscription_context"]["orders"][0]["n"] = 2
    payload["quantity"].append("!")
    payload["unknown_thing"]["deep"][0]["x"] = 2
    payload["public_id"] = "changed"
    assert og.to_dict(model) == before
    assert og.models.wire_payload(model) == before
    assert isinstance(model.components, list) and len(model.components) == 1
    assert model.components[0].extra == {"tags": ["a"]}
    assert model.extra_data == {"gift": {"note": "hi", "lines": [1, 2]}}
    assert model.club == {"tier": ["gold"]} and model.prepaid_subscription_context == {"orders": [{"n": 1}]}
    assert model.unparsed == {"quantity": ["not", "a", "number"]}
    assert model.extra == {"unknown_thing": {"deep": [{"x": 1}]}}
    assert model.public_id != "changed"


def test_from_dict_keeps_nothing_of_an_empty_list_or_a_flat_object_the_caller_then_changes() -> None:
    # The commonest containers of a page (an empty list of components, an extra_data of plain values) are copied
    # without walking them: still the model's own.
    payload = subscription_payload(components=[], extra_data={"source": "pdp", "gift": False})
    product = product_payload(groups=[])
    model, product_model = og.from_dict(og.Subscription, payload), og.from_dict(og.Product, product)
    before, product_before = json.loads(json.dumps(payload)), json.loads(json.dumps(product))
    payload["components"].append({"product": "p2"})
    payload["extra_data"]["gift"] = True
    product["groups"].append({"name": "g"})
    assert og.to_dict(model) == before and og.to_dict(product_model) == product_before
    assert model.components == [] and model.extra_data == {"source": "pdp", "gift": False}
    assert product_model.groups == []
    # What to_dict gives back is plain JSON of the caller's own, a new copy each time.
    given, given_again = og.to_dict(model), og.to_dict(model)
    assert type(given["components"]) is list and given["components"] is not given_again["components"]
    given["components"].append({"product": "mine"})
    given["extra_data"]["gift"] = "mine"
    assert og.to_dict(model) == before
    # The model's own list is a list to change, as for any decoded model; the payload it keeps stays as received.
    model.components.append(og.Component(product="p9"))
    assert og.to_dict(model)["components"] == [] and json.dumps(og.models.wire_payload(model)) == json.dumps(before)
    for clone in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model), copy.copy(model)):
        assert og.to_dict(clone) == before and type(og.to_dict(clone)["components"]) is list
    # What it keeps decodes again, to an equal model with a list of its own.
    again = og.from_dict(og.Subscription, og.models.wire_payload(model) or {})
    assert og.to_dict(again) == before and again.components == [] and again.components is not model.components
    again.components.append(og.Component(product="p8"))
    assert og.to_dict(again) == before and og.to_dict(model) == before


def test_to_dict_copies_every_object_of_a_list() -> None:
    payload = subscription_payload(
        components=[{"product": "p1"}, {"product": "p2", "tags": ["a"]}], queued_actions=[{"a": 1}, "x", [2]]
    )
    model = og.from_dict(og.Subscription, payload)
    given = og.to_dict(model)
    assert given == payload
    given["components"][0]["product"] = "changed"
    given["components"][1]["tags"].append("b")
    given["queued_actions"][0]["a"] = 2
    given["queued_actions"][2].append(3)
    assert og.to_dict(model) == payload


@pytest.mark.parametrize(
    "odd",
    [
        {"extra_data": {"ratio": math.nan}},  # no JSON spelling: kept as it is, not as null
        {"club": math.inf},
        {"total_cost": [-math.inf]},
        {"big": 2**70},
        {"when": __import__("datetime").datetime(2024, 1, 2, 3, 4, 5)},
        {"pair": (1, 2)},
        {"period": og.Period.WEEKS},
        {"text": og.JSONText('{"a": 1}')},
        {"lone": "\ud800"},
        {7: "a key that is not a string"},
    ],
    ids=repr,
)
def test_from_dict_gives_back_exactly_what_is_not_plain_json(odd: dict[Any, Any]) -> None:
    payload = subscription_payload(**{str(key): value for key, value in odd.items() if isinstance(key, str)})
    payload.update({key: value for key, value in odd.items() if not isinstance(key, str)})
    model = og.from_dict(og.Subscription, payload)
    given_back = og.to_dict(model)
    assert list(given_back) == list(payload)
    for key, value in payload.items():
        same = given_back[key] == value or repr(given_back[key]) == repr(value)  # NaN is not equal to itself
        assert same and type(given_back[key]) is type(value), key


def test_each_decoded_model_has_an_extra_of_its_own() -> None:
    # The fast path used to give every record without unknown fields one shared read-only mapping; the thorough
    # path a dict. Now both give a dict of the record's own: changing one never reaches another, and it is JSON.
    first, second = decode_list(og.Subscription, [subscription_payload(), subscription_payload()], strict=True)
    assert type(first.extra) is dict and type(second.extra) is dict
    assert first.extra is not second.extra
    first.extra["mine"] = 1
    assert second.extra == {}
    assert json.dumps(second.extra) == "{}"
    assert "mine" not in og.to_dict(first)  # to_dict of a decoded model is what was received


class _Items(list[Any]):
    """A caller's list subclass (not JSON's list, but a list all the same)."""


@pytest.mark.parametrize(
    "container",
    [
        lambda: ({"product": "p1", "quantity": 1},),  # a tuple holding an object
        lambda: _Items([{"product": "p1", "quantity": 1}]),
        lambda: __import__("collections").OrderedDict(inner={"product": "p1", "quantity": 1}),
        lambda: {"nested": ({"product": "p1", "quantity": 1},)},  # a tuple in an object
        lambda: [__import__("collections").OrderedDict(inner={"product": "p1", "quantity": 1})],
    ],
    ids=["tuple", "list-subclass", "ordered-dict", "tuple-in-object", "ordered-dict-in-list"],
)
def test_from_dict_shares_no_container_of_another_python_type_with_the_caller(container: Any) -> None:
    # A caller's payload need not be json.loads' own types: a tuple, a list subclass or another mapping holds objects
    # the caller may change next, in a field, an unknown field or a value set aside alike.
    payload = subscription_payload(components=container(), extra_data=container(), unknown_thing=container())
    model = og.from_dict(og.Subscription, payload)
    before = repr((og.to_dict(model), og.models.wire_payload(model), model.unparsed, model.extra, model.extra_data))

    def objects(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            return ([value] if "quantity" in value else []) + [o for item in value.values() for o in objects(item)]
        if isinstance(value, list | tuple):
            return [o for item in value for o in objects(item)]
        return []

    for key in ("components", "extra_data", "unknown_thing"):
        for obj in objects(payload[key]):
            obj["quantity"] = 12345
    after = repr((og.to_dict(model), og.models.wire_payload(model), model.unparsed, model.extra, model.extra_data))
    assert after == before and "12345" not in after


def test_a_copy_of_a_received_payload_is_the_callers_to_change() -> None:
    # copy.copy and copy.deepcopy make a new, changeable object: the read-only empty list from_dict may keep in a
    # payload is no exception (a deep copy of wire_payload is a natural start for a request body).
    model = og.from_dict(og.Subscription, subscription_payload(components=[]))
    received = og.models.wire_payload(model)
    assert received is not None
    for body in (copy.deepcopy(dict(received)), {**received, "components": copy.copy(received["components"])}):
        body["components"].append({"product": "p2"})
        assert body["components"] == [{"product": "p2"}]
    assert og.to_dict(model)["components"] == [] and received["components"] == []
    clone = copy.deepcopy(model)
    assert clone == model and og.to_dict(clone) == og.to_dict(model)
