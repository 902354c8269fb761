"""The other usual forms the decoder reads inline, without its slower way: a code sent as a string of digits, and
``extra_data`` sent as a string holding JSON (each string read once; the strings remembered are bounded)."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from payloads import subscription_payload

import ordergroove as og
from ordergroove.models import JSONText, decode, decode_list
from ordergroove.models import _hooks as hooks
from ordergroove.models._fastpath import decode_list_owned, decode_owned


def _all_ways(payload: dict[str, Any], strict: bool = False) -> list[og.Subscription]:
    mine = copy.deepcopy
    return [
        decode(og.Subscription, mine(payload), strict=strict),
        decode_list(og.Subscription, [mine(payload)], strict=strict)[0],
        decode_owned(og.Subscription, mine(payload), strict=strict),
        decode_list_owned(og.Subscription, [mine(payload)], strict=strict)[0],
        og.from_dict(og.Subscription, mine(payload), strict=strict),
    ]


@pytest.mark.parametrize(
    ("sent", "read"),
    [("4", 4), ("007", 7), (" 4", 4), ("-4", -4), ("12345678901234567890", 12345678901234567890)],
)
def test_a_code_sent_as_a_string_of_digits_is_read_and_given_back_as_sent(sent: str, read: int) -> None:
    payload = subscription_payload(cancel_reason_code=sent, quantity=sent)
    for strict in (False, True):
        for model in _all_ways(payload, strict):
            assert model.cancel_reason_code == read and model.quantity == read and not model.unparsed
            assert json.dumps(og.to_dict(model)) == json.dumps(payload)
            assert json.dumps(og.to_dict(pickle.loads(pickle.dumps(model)))) == json.dumps(payload)


@pytest.mark.parametrize("sent", ["\uff14", "\u00b2", "123456789012345678901", "4.5", "", "4 4"])
def test_a_string_that_is_not_a_code_is_set_aside_or_refused(sent: str) -> None:
    # Full-width and superscript digits (str.isdigit() says yes, int() reads the first), more than 20 digits: no code.
    payload = subscription_payload(cancel_reason_code=sent)
    for model in _all_ways(payload):
        assert model.cancel_reason_code is None and model.unparsed == {"cancel_reason_code": sent}
        assert og.to_dict(model) == payload
    with pytest.raises(og.ResponseDecodeError, match="cancel_reason_code"):
        og.from_dict(og.Subscription, payload, strict=True)


def test_a_string_of_json_is_read_once_and_every_model_gives_it_back() -> None:
    text = '{"gift": true, "note": "a string of JSON"}'
    models = [model for _ in range(3) for model in _all_ways(subscription_payload(extra_data=text))]
    for model in models:
        assert type(model.extra_data) is JSONText and model.extra_data == text
        assert model.extra_data.value == {"gift": True, "note": "a string of JSON"}
        assert og.to_dict(model)["extra_data"] == text and type(og.to_dict(model)["extra_data"]) is str
    assert text in hooks.JSON_TEXTS


@pytest.mark.parametrize("text", ["not JSON at all", "{", '{"a": 1} trailing', "NaN"])
def test_text_that_is_not_json_stays_plain_text_however_often_it_comes(text: str) -> None:
    for _ in range(2):
        for model in _all_ways(subscription_payload(extra_data=text)):
            assert type(model.extra_data) is str and model.extra_data == text and not model.unparsed
    assert text not in hooks.JSON_TEXTS


def test_the_strings_of_json_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "JSON_TEXTS_SIZE", 8)
    long_text = json.dumps({"note": "x" * hooks.JSON_TEXT_LONGEST})
    texts = [json.dumps({"n": n}) for n in range(50)] + [long_text]
    records = [subscription_payload(public_id=f"s{n}", extra_data=text) for n, text in enumerate(texts)]
    models = decode_list_owned(og.Subscription, copy.deepcopy(records))
    models += [og.from_dict(og.Subscription, record) for record in records]
    assert len(hooks.JSON_TEXTS) <= 8 and long_text not in hooks.JSON_TEXTS
    for model, record in zip(models, records + records, strict=True):
        assert type(model.extra_data) is JSONText and og.to_dict(model) == record
