"""The client's ``strict``: every decode its calls make (list pages, retrieve, actions, the other reads) is lenient
by default and strict on request, decided once for the client (``og.Ordergroove(strict=...)``, ``with_options``)."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from conftest import Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payloads import CUSTOMER_ID, cancel_reasons_payload, order_payload, page, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove._exceptions import body_text
from ordergroove.models import WireModel


def _json(httpx_mock: HTTPXMock, body: Any, times: int = 1) -> str:
    text = json.dumps(body)
    for _ in range(times):
        httpx_mock.add_response(content=text.encode(), headers={"Content-Type": "application/json"})
    return text


async def test_the_default_is_lenient_and_strict_is_the_clients_configuration(api: Api) -> None:
    assert api.client.strict is False
    strict = api.make(strict=True)
    assert strict.strict is True
    assert strict.with_options(timeout=3).strict is True  # a copy keeps it unless told otherwise
    assert strict.with_options(strict=False).strict is False
    assert api.client.with_options(strict=True).strict is True
    assert api.client.strict is False  # the copy changed, not the client


@pytest.mark.parametrize("value", [1, "yes", None, 0.0])
async def test_strict_must_be_a_bool(api: Api, value: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="strict must be True or False"):
        api.make(strict=value)
    if value is not None:  # with_options: None keeps the client's
        with pytest.raises(og.ConfigurationError, match="strict must be True or False"):
            api.client.with_options(strict=value)


async def test_an_action_decodes_as_the_client_does(api: Api, httpx_mock: HTTPXMock) -> None:
    body = subscription_payload(live=False, cancelled="2017-02-29 12:00:00")
    _json(httpx_mock, body, times=2)
    canceled = await api.run(lambda c: c.subscriptions.cancel("s1", reason_code=4))
    assert canceled.cancelled is None and canceled.unparsed == {"cancelled": "2017-02-29 12:00:00"}
    assert og.to_dict(canceled) == body
    with pytest.raises(og.ResponseDecodeError, match="Subscription payload does not decode: cancelled: ") as caught:
        await api.run(lambda c: c.subscriptions.cancel("s1", reason_code=4), api.make(strict=True))
    assert "(in the answer to PATCH /subscriptions/s1/cancel/)" in str(caught.value)


async def test_the_cancel_reasons_decode_as_the_client_does(api: Api, httpx_mock: HTTPXMock) -> None:
    body = cancel_reasons_payload()
    body["results"][1]["application"] = ["msi"]
    _json(httpx_mock, body, times=2)
    reasons = await api.run(lambda c: c.merchant.cancel_reasons())
    assert [reason.unparsed for reason in reasons] == [{}, {"application": ["msi"]}, {}]
    with pytest.raises(og.ResponseDecodeError, match="record 2 of 3: CancelReason payload does not decode"):
        await api.run(lambda c: c.merchant.cancel_reasons(), api.make(strict=True))


async def test_a_body_that_is_not_json_is_refused_in_both_modes(api: Api, httpx_mock: HTTPXMock) -> None:
    for client in (api.client, api.make(strict=True)):
        httpx_mock.add_response(content=b"<html>maintenance</html>", headers={"Content-Type": "text/html"})
        with pytest.raises(og.ResponseDecodeError, match="is not JSON"):
            await api.run(lambda c: c.orders.list().to_list(), client)


# -- any JSON value in any field of a list page ------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)  # beyond 64 bits orjson reads an integer as a float (see _json.py)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2017-02-29 12:00:00", "undefined", "12.99", "4", "SKU-1,SKU-2", '{"gift": true}', ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=12,
)

# (model, the call that lists it, a record of it)
LISTS: list[tuple[type[Any], Any, Any]] = [
    (og.Subscription, lambda c: c.subscriptions.list(customer=CUSTOMER_ID), subscription_payload),
    (og.Order, lambda c: c.orders.list(), order_payload),
]


def _wire_fields(cls: type[Any]) -> list[str]:
    return [field.name for field in attrs.fields(cls) if field.init and field.name not in ("extra", "unparsed")]


def _set_aside(model: Any) -> bool:
    """Whether the model, or a model nested in it, set a value aside in its ``unparsed``."""
    if model.unparsed:
        return True
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        nested = value if isinstance(value, list) else [value]
        if any(isinstance(item, WireModel) and _set_aside(item) for item in nested):
            return True
    return False


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), place=st.integers(0, 2))
async def test_any_json_value_in_any_field_of_a_list_page_never_costs_the_page(
    api: Api, httpx_mock: HTTPXMock, data: st.DataObject, place: int
) -> None:
    model, listing, payload = data.draw(st.sampled_from(LISTS), label="list")
    field = data.draw(st.sampled_from([*_wire_fields(model), "a_field_not_known_yet"]), label="field")
    value = data.draw(json_values, label="value")
    records = [payload(public_id=f"r{index}") for index in range(3)]
    records[place][field] = value
    text = _json(httpx_mock, page(records), times=2)

    # Lenient (the default): a page of models, exactly what arrived; the value is read or set aside, never lost.
    decoded = await api.run(lambda c: listing(c).to_list())
    assert [type(record) for record in decoded] == [model] * 3
    assert [og.to_dict(record) for record in decoded] == json.loads(text)["results"]
    changed = decoded[place]
    if field in changed.unparsed:
        assert changed.unparsed == {field: value} and getattr(changed, field) is None
    elif field == "a_field_not_known_yet":
        assert changed.extra == {field: value}
    assert not any(_set_aside(record) for index, record in enumerate(decoded) if index != place)

    # Strict: the same page of models, or a typed error naming the record and the field.
    strict = api.make(strict=True)
    try:
        again = await api.run(lambda c: listing(c).to_list(), strict)
    except og.ResponseDecodeError as error:
        assert _set_aside(changed)
        prefix = f"record {place + 1} of 3: {model.__name__} payload does not decode: {field}"
        assert str(error).startswith(prefix), str(error)
        assert error.status_code == 200 and error.body == body_text(text.encode())  # kept, as any error keeps it
    else:
        assert not _set_aside(changed)
        assert again == decoded
