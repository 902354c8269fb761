"""`og.from_dict` is independent of the caller's dict, and every decoded model has an `extra` of its own."""

from __future__ import annotations

import json

from payloads import subscription_payload

import ordergroove as og
from ordergroove.models._convert import decode_list


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


def test_each_decoded_model_has_an_extra_of_its_own() -> None:
    # The fast path used to give every record without unknown fields one shared read-only mapping; the thorough
    # path a dict. Now both give a dict of the record's own: changing one never reaches another, and it is JSON.
    first, second = decode_list(og.Subscription, [subscription_payload(), subscription_payload()])
    assert type(first.extra) is dict and type(second.extra) is dict
    assert first.extra is not second.extra
    first.extra["mine"] = 1
    assert second.extra == {}
    assert json.dumps(second.extra) == "{}"
    assert "mine" not in og.to_dict(first)  # to_dict of a decoded model is what was received
