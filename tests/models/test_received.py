"""What a decoded model keeps of the payload it came from: enough to give it back exactly, whichever way it was
decoded (the client's pages and answers, `decode`/`decode_list`, `og.from_dict`), and nothing of the caller's."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import attrs
import pytest
from payloads import (
    cancel_reasons_payload,
    customer_payload,
    order_payload,
    page,
    product_payload,
    subscription_payload,
)

import ordergroove as og
from ordergroove._call import Decoding
from ordergroove._calls._base import list_call, retrieve_call
from ordergroove.models import decode, decode_list
from ordergroove.models._fastpath import decode_list_owned, decode_owned

# Records whose values the decoder reads another way than the usual one: a code sent as text, an id sent as a
# number, a legacy components string, extra_data as a string of JSON, an off-spec date, unknown fields, a
# renamed field (a customer's `id`), keys named like the model's bookkeeping.
ODD_SUBSCRIPTION = subscription_payload(
    cancel_reason_code="4",
    customer=12345,
    components="SKU-1,SKU-2",
    extra_data='{"gift": true}',
    created="2017-02-29 12:00:00",
    quantity=["not", "a", "number"],
    unknown_thing={"deep": [1]},
    _raw="a key named like the model's own",
    unparsed={"x": 1},
    extra=[1],
)
ODD_CUSTOMER = customer_payload(id=77, locale=3, extra_data="not JSON at all", phone_type="2")


def _all_ways(cls: type[Any], payload: dict[str, Any]) -> list[Any]:
    """The same record decoded on every path, each from its own copy (owned paths take the record over)."""
    mine = copy.deepcopy
    return [
        decode(cls, mine(payload)),
        decode_list(cls, [mine(payload)])[0],
        decode_owned(cls, mine(payload)),
        decode_list_owned(cls, [mine(payload)])[0],
        og.from_dict(cls, mine(payload)),
    ]


@pytest.mark.parametrize(
    ("cls", "payload"),
    [(og.Subscription, ODD_SUBSCRIPTION), (og.Customer, ODD_CUSTOMER), (og.Order, order_payload(total="undefined"))],
    ids=["subscription", "customer", "order"],
)
def test_every_way_of_decoding_gives_back_exactly_what_was_received(cls: type[Any], payload: dict[str, Any]) -> None:
    for model in _all_ways(cls, payload):
        given = og.to_dict(model)
        assert given == payload and list(given) == list(payload)
        assert json.dumps(given) == json.dumps(payload)  # the same spellings: "4" stays "4", 12345 stays a number
        received = og.models.wire_payload(model)
        assert received == payload and list(received or {}) == list(payload)
        clone = pickle.loads(pickle.dumps(model))
        assert clone == model and json.dumps(og.to_dict(clone)) == json.dumps(payload)


def test_the_odd_values_are_read_as_documented_and_kept_apart() -> None:
    for model in _all_ways(og.Subscription, ODD_SUBSCRIPTION):
        assert model.cancel_reason_code == 4 and model.customer == "12345"
        assert model.components.product_ids == ("SKU-1", "SKU-2")
        assert model.created is None and model.unparsed == {
            "quantity": ["not", "a", "number"],
            "created": "2017-02-29 12:00:00",
        }
        assert model.extra == {
            "unknown_thing": {"deep": [1]},
            "_raw": ODD_SUBSCRIPTION["_raw"],
            "unparsed": {"x": 1},
            "extra": [1],
        }
    for customer in _all_ways(og.Customer, ODD_CUSTOMER):
        assert customer.internal_id == 77 and og.to_dict(customer)["id"] == 77


def test_changing_a_models_extra_or_its_given_payload_does_not_change_what_it_gives_back() -> None:
    for model in _all_ways(og.Subscription, ODD_SUBSCRIPTION):
        extra = model.extra
        assert isinstance(extra, dict)
        extra["unknown_thing"] = "changed"
        extra["new"] = 1
        given = og.to_dict(model)
        given["cancel_reason_code"] = 5
        given["unknown_thing"]["deep"].append(2)
        received = og.models.wire_payload(model)
        assert received is not None
        received["public_id"] = "changed"
        assert og.to_dict(model) == ODD_SUBSCRIPTION


def test_decode_and_decode_list_leave_the_callers_records_as_they_were() -> None:
    # Including when a record is refused partway (strict): nothing of it was changed before the refusal.
    records = [subscription_payload(), subscription_payload(extra_data={"a": [1]}, components=[{"product": "p"}])]
    records.append(subscription_payload(quantity="many"))
    before = copy.deepcopy(records)
    decode(og.Subscription, records[0])
    decode_list(og.Subscription, records)
    with pytest.raises(og.ResponseDecodeError, match=r"record 3 of 3: .*quantity"):
        decode_list(og.Subscription, records, strict=True)
    with pytest.raises(og.ResponseDecodeError, match="quantity"):
        decode(og.Subscription, records[2], strict=True)
    assert records == before and [list(r) for r in records] == [list(r) for r in before]


@pytest.mark.parametrize("strict", [False, True])
def test_a_page_names_the_record_it_refuses_by_its_place(strict: bool) -> None:
    records = [subscription_payload(public_id=f"s{n}") for n in range(4)]
    if strict:
        records[2]["every_period"] = "fortnight"
    else:
        del records[2]["customer"]  # a required field: refused in either mode
    for decode_page in (decode_list, decode_list_owned):
        with pytest.raises(og.ResponseDecodeError) as caught:
            decode_page(og.Subscription, copy.deepcopy(records), strict=strict)
        assert str(caught.value).startswith("record 3 of 4: Subscription payload does not decode: ")
        assert ("every_period" if strict else "customer") in str(caught.value)


@pytest.mark.parametrize("decoding", [Decoding(strict=False), Decoding(strict=True)], ids=["lenient", "strict"])
def test_the_clients_decoders_give_back_each_record_as_received(decoding: Decoding) -> None:
    records = [subscription_payload(public_id="s1"), subscription_payload(public_id="s2", components=[])]
    records.append(subscription_payload(public_id="s3", cancel_reason_code="4", unknown=[{"a": 1}]))
    body = page(copy.deepcopy(records), next_url="https://restapi.ordergroove.com/subscriptions/?cursor=x")
    listed = list_call(og.Subscription, "subscriptions", ()).decode(body, decoding).items
    one = retrieve_call(og.Subscription, "subscriptions", "subscription_id", "s3").decode(
        copy.deepcopy(records[2]), decoding
    )
    for model, record in [*zip(listed, records, strict=True), (one, records[2])]:
        given = og.to_dict(model)
        assert given == record and list(given) == list(record)
    reasons = og.models.decode_list(og.CancelReason, cancel_reasons_payload()["results"])
    assert [og.to_dict(reason) for reason in reasons] == cancel_reasons_payload()["results"]


def test_a_model_pickled_with_the_whole_payload_still_gives_it_back() -> None:
    # Versions before this one kept the payload itself; a model they pickled unpickles and gives it back.
    payload = subscription_payload(components=[{"product": "p1"}], unknown=1)
    model = og.from_dict(og.Subscription, payload)
    object.__setattr__(model, "_raw", copy.deepcopy(payload))
    clone = pickle.loads(pickle.dumps(model))
    assert og.to_dict(clone) == payload and list(og.to_dict(clone)) == list(payload)
    assert og.models.wire_payload(clone) == payload


@pytest.mark.parametrize(
    ("cls", "payload", "field"),
    [
        (og.Subscription, subscription_payload(queued_actions=[{"action": "skip"}]), "queued_actions"),
        (og.Product, product_payload(product_selection_rules=[{"public_id": "r1"}]), "product_selection_rules"),
        (
            og.SelectionRule,
            {"public_id": "r1", "product_selection_list_elements": [{"p": 1}]},
            "product_selection_list_elements",
        ),
    ],
    ids=["queued_actions", "product_selection_rules", "product_selection_list_elements"],
)
def test_changing_a_list_of_objects_attribute_does_not_change_what_the_model_gives_back(
    cls: type[Any], payload: dict[str, Any], field: str
) -> None:
    # A list attribute is the model's own list (its type says so: list[Mapping]), as `components` is: appending to
    # it changes neither to_dict nor wire_payload.
    for model in _all_ways(cls, payload):
        attribute = getattr(model, field)
        assert isinstance(attribute, list) and attribute == payload[field]
        attribute.append({"added": True})
        attribute.pop(0)
        assert og.to_dict(model) == payload and og.models.wire_payload(model) == payload


def test_what_a_model_gives_back_holds_plain_lists_on_every_path() -> None:
    # An empty list the model does not keep is one shared read-only list inside the model; what it gives back is
    # plain JSON a caller may change or hand to any encoder (`type(x) is list`).
    payload = subscription_payload(components=[], queued_actions=[])
    for model in _all_ways(og.Subscription, payload):
        for given in (og.models.wire_payload(model) or {}, og.to_dict(model)):
            assert type(given["components"]) is list and type(given["queued_actions"]) is list
            given["components"].append({"product": "mine"})
        assert og.to_dict(model) == payload and model.components == []


def test_a_subclass_of_a_model_is_refused_with_a_clear_error() -> None:
    # A caller's subclass is not one of the API's shapes: encoding it used to recurse until RecursionError.
    @attrs.frozen(kw_only=True, slots=False)
    class MyOrder(og.Order):
        note: str = "mine"

    mine = MyOrder(public_id="o1", customer="c", status=og.OrderStatus.SUCCESS)
    for attempt in (lambda: og.to_dict(mine), lambda: mine.to_dict(), lambda: og.from_dict(MyOrder, order_payload())):
        with pytest.raises(TypeError, match=r"MyOrder is not a model of this library but a subclass of og\.Order"):
            attempt()
    assert og.to_dict(og.Order(public_id="o1", customer="c", status=og.OrderStatus.SUCCESS))["public_id"] == "o1"


def test_from_dict_keeps_nothing_of_the_callers_list_of_objects() -> None:
    # from_dict decodes each object of a list of models from its own copy and keeps the models as what it received
    # (not a copy of the caller's list): changing the caller's list or its objects, or the model's list, changes
    # nothing the model gives back, pickled or not.
    components: list[dict[str, Any]] = [{"public_id": "c1", "quantity": 2, "product": "p1"}, {"product": "p2"}]
    payload = subscription_payload(components=components)
    expected = copy.deepcopy(payload)
    model = og.from_dict(og.Subscription, payload)
    components[0]["quantity"] = 99
    components[1]["added"] = True
    components.append({"product": "p3"})
    assert isinstance(model.components, list)
    model.components.append(og.from_dict(og.Component, {"product": "p4"}))
    for given in (og.to_dict(model), og.models.wire_payload(model), og.to_dict(pickle.loads(pickle.dumps(model)))):
        assert given == expected and list(given or {}) == list(expected)
    assert [og.to_dict(c) for c in model.components[:2]] == expected["components"]


@pytest.mark.parametrize("strict", [False, True])
def test_from_dict_reads_a_list_holding_something_else_as_the_other_ways_do(strict: bool) -> None:
    # A list of objects holding a value that is not an object: from_dict falls back on the usual reading, which
    # keeps the record (lenient: the value in unparsed) or names the field (strict), as decode does.
    payload = subscription_payload(components=[{"product": "p1"}, 5])
    if strict:
        with pytest.raises(og.ResponseDecodeError, match=r"components\[1\]"):
            decode(og.Subscription, payload, strict=True)
        with pytest.raises(og.ResponseDecodeError, match=r"components\[1\]"):
            og.from_dict(og.Subscription, payload, strict=True)
        return
    decoded, built = decode(og.Subscription, payload), og.from_dict(og.Subscription, payload)
    assert built.components is None and built.unparsed == decoded.unparsed == {"components": [{"product": "p1"}, 5]}
    assert og.to_dict(built) == og.to_dict(decoded) == payload
    payload["components"][0]["product"] = "changed"
    assert og.to_dict(built)["components"] == [{"product": "p1"}, 5]


def test_from_dict_copies_what_the_objects_of_a_list_hold() -> None:
    # Each object of a list of models is the model's own copy, down to the lists and objects it holds.
    address: dict[str, str] = dict.fromkeys(
        ("first_name", "last_name", "address", "city", "state_province_code", "phone"), "x"
    )
    address |= {"zip_postal_code": "10001", "country_code": "US"}
    user: dict[str, Any] = {
        "user_id": "u1",
        "first_name": "A",
        "last_name": "B",
        "email": "a@example.com",
        "phone_number": "1",
    }
    user["shipping_address"] = address
    info: dict[str, Any] = {"quantity": 1, "extra_data": {"note": ["a"]}, "components": [{"x": 1}]}
    payload: dict[str, Any] = {
        "merchant_id": "m",
        "merchant_order_id": "o1",
        "user": user,
        "products": [{"product": "p1", "sku": "s1"}],
    }
    payload["products"][0]["subscription_info"] = info
    expected = copy.deepcopy(payload)
    model = og.from_dict(og.PurchaseRequest, payload, strict=True)
    info["extra_data"]["note"].append("changed")
    info["components"][0]["x"] = 2
    given = model.products[0].subscription_info
    assert given is not None and given.extra_data == {"note": ["a"]} and given.components == [{"x": 1}]
    assert og.to_dict(model) == expected


def test_from_dict_of_a_list_type_says_how_to_decode_a_list() -> None:
    records = [subscription_payload()]
    with pytest.raises(TypeError, match=r"list\[Subscription\] is not a model .* og\.models\.decode_list"):
        og.from_dict(list[og.Subscription], records)  # type: ignore[arg-type]
    assert og.models.decode_list(og.Subscription, records)[0].public_id == records[0]["public_id"]


@pytest.mark.parametrize("own", [False, True])
def test_records_with_the_same_keys_in_other_orders_give_back_their_own_order(own: bool) -> None:
    # The decoder reads a record with the keys of a primary order by key, whatever their order: each model gives
    # back its record's order (an empty list of components in its place), pickled too.
    first = subscription_payload(components=[], cancel_reason_code="4", extra_data='{"a": 1}')
    orders = [list(first), list(reversed(first)), sorted(first), [*list(first)[1:], "public_id"]]
    records = [{key: first[key] for key in order} for _ in range(3) for order in orders]
    decode_page = decode_list_owned if own else decode_list
    models = decode_page(og.Subscription, [copy.deepcopy(record) for record in records])
    models += [og.from_dict(og.Subscription, record) for record in records]
    for model, record in zip(models, records + records, strict=True):
        for given in (og.to_dict(model), og.to_dict(pickle.loads(pickle.dumps(model)))):
            assert json.dumps(given) == json.dumps(record)
        assert model.components == [] and model.cancel_reason_code == 4
        model.components.append(og.Component(product="mine"))
        assert og.to_dict(model) == record
