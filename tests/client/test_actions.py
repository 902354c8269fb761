"""Actions (issue 3): exact method, path and body; argument checks; skip_next_order; Ordergroove's own errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, Sleeps, url
from payloads import (
    CUSTOMER_ID,
    ORDER_ID,
    SUBSCRIPTION_ID,
    canceled_subscription_payload,
    contact_details_payload,
    order_payload,
    page,
    subscription_payload,
)
from pytest_httpx import HTTPXMock

import ordergroove as og

Fn = Callable[[Any], Any]
S = SUBSCRIPTION_ID
O = ORDER_ID  # noqa: E741
JULY_1 = dt.date(2024, 7, 1)
SUB_PATH = f"/subscriptions/{S}"
ORDER_PATH = f"/orders/{O}"

# (id, call, path, JSON body or None for no body, answer, model)
ACTIONS: list[tuple[str, Fn, str, Any, dict[str, Any], type[Any]]] = [
    (
        "cancel without reason",
        lambda c: c.subscriptions.cancel(S),
        f"{SUB_PATH}/cancel/",
        {},
        canceled_subscription_payload(),
        og.Subscription,
    ),
    (
        "cancel with code and details",
        lambda c: c.subscriptions.cancel(S, reason_code=4, reason_details="Overstocked"),
        f"{SUB_PATH}/cancel/",
        {"cancel_reason": "4|Overstocked"},
        canceled_subscription_payload(),
        og.Subscription,
    ),
    (
        "cancel with code only",
        lambda c: c.subscriptions.cancel(S, reason_code=10),
        f"{SUB_PATH}/cancel/",
        {"cancel_reason": "10|"},
        canceled_subscription_payload(),
        og.Subscription,
    ),
    (
        "cancel with a CancelReason",
        lambda c: c.subscriptions.cancel(
            S, reason_code=og.CancelReason(code=12, application="msi"), reason_details="Moving abroad | for good"
        ),
        f"{SUB_PATH}/cancel/",
        {"cancel_reason": "12|Moving abroad | for good"},
        canceled_subscription_payload(),
        og.Subscription,
    ),
    (
        "reactivate",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=og.Period.MONTHS, start_date=JULY_1),
        f"{SUB_PATH}/reactivate/",
        {"every": 1, "every_period": 3, "start_date": "2024-07-01"},
        subscription_payload(),
        og.Subscription,
    ),
    (
        "reactivate with next order date",
        lambda c: c.subscriptions.reactivate(
            S, every=6, every_period=2, start_date=JULY_1, next_order_date=dt.date(2024, 7, 15)
        ),
        f"{SUB_PATH}/reactivate/",
        {"every": 6, "every_period": 2, "start_date": "2024-07-01", "next_order_date": "2024-07-15"},
        subscription_payload(),
        og.Subscription,
    ),
    (
        "reactivate next order on the start date",
        lambda c: c.subscriptions.reactivate(
            S, every=1, every_period=og.Period.YEARS, start_date=JULY_1, next_order_date=JULY_1
        ),
        f"{SUB_PATH}/reactivate/",
        {"every": 1, "every_period": 4, "start_date": "2024-07-01", "next_order_date": "2024-07-01"},
        subscription_payload(),
        og.Subscription,
    ),
    (
        "change_quantity",
        lambda c: c.subscriptions.change_quantity(S, 3),
        f"{SUB_PATH}/change_quantity/",
        {"quantity": 3},
        subscription_payload(quantity=3),
        og.Subscription,
    ),
    (
        "change_frequency",
        lambda c: c.subscriptions.change_frequency(S, every=2, every_period=og.Period.WEEKS),
        f"{SUB_PATH}/change_frequency/",
        {"every": 2, "every_period": 2},
        subscription_payload(every=2, every_period=2),
        og.Subscription,
    ),
    (
        "change_frequency with int period",
        lambda c: c.subscriptions.change_frequency(S, every=45, every_period=1),
        f"{SUB_PATH}/change_frequency/",
        {"every": 45, "every_period": 1},
        subscription_payload(every=45, every_period=1),
        og.Subscription,
    ),
    (
        "change_shipping_address",
        lambda c: c.subscriptions.change_shipping_address(S, shipping_address="a1"),
        f"{SUB_PATH}/change_shipping/",
        {"shipping_address": "a1"},
        subscription_payload(shipping_address="a1"),
        og.Subscription,
    ),
    (
        "change_next_order_date",
        lambda c: c.subscriptions.change_next_order_date(S, JULY_1),
        f"{SUB_PATH}/change_next_order_date/",
        {"order_date": "2024-07-01"},
        subscription_payload(),
        og.Subscription,
    ),
    (
        "orders.skip_subscription",
        lambda c: c.orders.skip_subscription(O, S),
        f"{ORDER_PATH}/skip_subscription/",
        {"subscription": S},
        order_payload(),
        og.Order,
    ),
    (
        "orders.skip_subscription odd id in body",
        lambda c: c.orders.skip_subscription(O, "sub/1 ?"),
        f"{ORDER_PATH}/skip_subscription/",
        {"subscription": "sub/1 ?"},  # the body carries the id as given: only paths are percent-encoded
        order_payload(),
        og.Order,
    ),
    ("orders.cancel", lambda c: c.orders.cancel(O), f"{ORDER_PATH}/cancel/", None, order_payload(status=4), og.Order),
    (
        "orders.send_now",
        lambda c: c.orders.send_now(O),
        f"{ORDER_PATH}/send_now/",
        None,
        order_payload(status=6),
        og.Order,
    ),
    (
        "orders.change_place_date with a date",
        lambda c: c.orders.change_place_date(O, JULY_1),
        f"{ORDER_PATH}/change_place_date/",
        {"place": "2024-07-01 00:00:00"},
        order_payload(place="2024-07-01 00:00:00"),
        og.Order,
    ),
    (
        "orders.change_place_date with a naive datetime",
        lambda c: c.orders.change_place_date(O, dt.datetime(2024, 7, 1, 9, 30, 15, 999)),
        f"{ORDER_PATH}/change_place_date/",
        {"place": "2024-07-01 09:30:15"},
        order_payload(place="2024-07-01 09:30:15"),
        og.Order,
    ),
    (
        "customers.set_contact_details",
        lambda c: c.customers.set_contact_details(
            CUSTOMER_ID, email="ada@new.example.com", phone_number="+15555550199"
        ),
        f"/customers/{CUSTOMER_ID}/set_contact_details",
        {"email": "ada@new.example.com", "phone_number": "+15555550199"},
        contact_details_payload(email="ada@new.example.com", phone_number="+15555550199"),
        og.ContactDetails,
    ),
]


@pytest.mark.parametrize(("case", "call", "path", "body", "answer", "model"), ACTIONS, ids=[a[0] for a in ACTIONS])
async def test_action_request_and_result(
    api: Api,
    httpx_mock: HTTPXMock,
    case: str,
    call: Fn,
    path: str,
    body: Any,
    answer: dict[str, Any],
    model: type[Any],
) -> None:
    httpx_mock.add_response(method="PATCH", json=answer)
    result = await api.run(call)
    assert isinstance(result, model)
    assert result == og.from_dict(model, answer)
    request = httpx_mock.get_request()
    assert request is not None
    assert request.method == "PATCH"
    assert request.url.raw_path.decode() == path
    assert str(request.url) == url(path)
    assert request.headers["x-api-key"] == API_KEY
    assert "X-OG-API-VERSION" not in request.headers
    if body is None:
        assert request.content == b""
        assert "Content-Type" not in request.headers
    else:
        assert json.loads(request.content) == body
        assert request.headers["Content-Type"] == "application/json"


async def test_set_contact_details_path_has_no_trailing_slash(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", json=contact_details_payload())
    await api.run(lambda c: c.customers.set_contact_details("c/1", email="a@b.co", phone_number="1"))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path == b"/customers/c%2F1/set_contact_details"


# -- argument checks, before any I/O ---------------------------------------------------------------------------

AWARE = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
BAD_ARGUMENTS: list[tuple[str, Fn, str]] = [
    ("cancel details without code", lambda c: c.subscriptions.cancel(S, reason_details="x"), "reason_code"),
    ("cancel code 0", lambda c: c.subscriptions.cancel(S, reason_code=0), "reason_code"),
    ("cancel code negative", lambda c: c.subscriptions.cancel(S, reason_code=-4), "reason_code"),
    ("cancel code str", lambda c: c.subscriptions.cancel(S, reason_code="4"), "reason_code"),
    ("cancel code bool", lambda c: c.subscriptions.cancel(S, reason_code=True), "reason_code"),
    ("cancel code float", lambda c: c.subscriptions.cancel(S, reason_code=4.0), "reason_code"),
    ("cancel details not str", lambda c: c.subscriptions.cancel(S, reason_code=4, reason_details=5), "reason_details"),
    ("cancel bad id", lambda c: c.subscriptions.cancel(""), "subscription_id"),
    (
        "reactivate every 0",
        lambda c: c.subscriptions.reactivate(S, every=0, every_period=3, start_date=JULY_1),
        "every",
    ),
    (
        "reactivate period 0",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=0, start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate period 5",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=5, start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate period str",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period="3", start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate period name",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period="MONTHS", start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate period bool",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=True, start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate period float",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=3.0, start_date=JULY_1),
        "every_period",
    ),
    (
        "reactivate start datetime",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=3, start_date=dt.datetime(2024, 7, 1)),
        "start_date",
    ),
    (
        "reactivate start str",
        lambda c: c.subscriptions.reactivate(S, every=1, every_period=3, start_date="2024-07-01"),
        "start_date",
    ),
    (
        "reactivate next before start",
        lambda c: c.subscriptions.reactivate(
            S, every=1, every_period=3, start_date=JULY_1, next_order_date=dt.date(2024, 6, 30)
        ),
        "before start_date",
    ),
    (
        "reactivate next str",
        lambda c: c.subscriptions.reactivate(
            S, every=1, every_period=3, start_date=JULY_1, next_order_date="2024-07-02"
        ),
        "next_order_date",
    ),
    ("quantity 0", lambda c: c.subscriptions.change_quantity(S, 0), "quantity"),
    ("quantity negative", lambda c: c.subscriptions.change_quantity(S, -2), "quantity"),
    ("quantity bool", lambda c: c.subscriptions.change_quantity(S, True), "quantity"),
    ("quantity str", lambda c: c.subscriptions.change_quantity(S, "2"), "quantity"),
    ("quantity float", lambda c: c.subscriptions.change_quantity(S, 2.0), "quantity"),
    ("frequency every -1", lambda c: c.subscriptions.change_frequency(S, every=-1, every_period=1), "every"),
    ("frequency period 9", lambda c: c.subscriptions.change_frequency(S, every=1, every_period=9), "every_period"),
    (
        "frequency period None",
        lambda c: c.subscriptions.change_frequency(S, every=1, every_period=None),
        "every_period",
    ),
    (
        "next order datetime",
        lambda c: c.subscriptions.change_next_order_date(S, dt.datetime(2024, 7, 1, 8)),
        "order_date",
    ),
    ("next order str", lambda c: c.subscriptions.change_next_order_date(S, "2024-07-01"), "order_date"),
    ("place aware", lambda c: c.orders.change_place_date(O, AWARE), "aware"),
    ("place str", lambda c: c.orders.change_place_date(O, "2024-07-01 00:00:00"), "place"),
    ("place None", lambda c: c.orders.change_place_date(O, None), "place"),
    ("skip bad subscription id", lambda c: c.orders.skip_subscription(O, ""), "subscription_id"),
    ("skip subscription id int", lambda c: c.orders.skip_subscription(O, 5), "subscription_id"),
    ("skip bad order id", lambda c: c.orders.skip_subscription("..", S), "order_id"),
    ("order cancel bad id", lambda c: c.orders.cancel(None), "order_id"),
    ("send_now bad id", lambda c: c.orders.send_now(" "), "order_id"),
    (
        "contact empty email",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email="", phone_number="1"),
        "email",
    ),
    (
        "contact blank email",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email="   ", phone_number="1"),
        "email",
    ),
    (
        "contact email without @",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email="ada.example.com", phone_number="1"),
        "not an email",
    ),
    (
        "contact email None",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email=None, phone_number="1"),
        "email",
    ),
    (
        "contact empty phone",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email="a@b.co", phone_number=""),
        "phone_number",
    ),
    (
        "contact phone int",
        lambda c: c.customers.set_contact_details(CUSTOMER_ID, email="a@b.co", phone_number=5555550100),
        "phone_number",
    ),
    (
        "contact bad customer id",
        lambda c: c.customers.set_contact_details("", email="a@b.co", phone_number="1"),
        "customer_id",
    ),
    ("skip_next_order bad id", lambda c: c.subscriptions.skip_next_order(".."), "subscription_id"),
    ("skip_next_order empty id", lambda c: c.subscriptions.skip_next_order(""), "subscription_id"),
    ("summary bad id", lambda c: c.customers.summary(""), "customer_id"),
    (
        "change_shipping_address empty address",
        lambda c: c.subscriptions.change_shipping_address(S, shipping_address=""),
        "shipping_address",
    ),
]


@pytest.mark.parametrize(("case", "call", "words"), BAD_ARGUMENTS, ids=[b[0] for b in BAD_ARGUMENTS])
async def test_bad_arguments_refused_before_any_request(
    api: Api, httpx_mock: HTTPXMock, case: str, call: Fn, words: str
) -> None:
    with pytest.raises(og.ConfigurationError) as caught:
        await api.run(call)
    assert words in str(caught.value)
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("record_id", ["", "  ", None, 42, "..", "."], ids=repr)
@pytest.mark.parametrize(
    "action",
    [
        lambda c, i: c.subscriptions.cancel(i),
        lambda c, i: c.subscriptions.reactivate(i, every=1, every_period=1, start_date=JULY_1),
        lambda c, i: c.subscriptions.change_quantity(i, 1),
        lambda c, i: c.subscriptions.change_frequency(i, every=1, every_period=1),
        lambda c, i: c.subscriptions.change_next_order_date(i, JULY_1),
        lambda c, i: c.subscriptions.change_shipping_address(i, shipping_address="a1"),
        lambda c, i: c.orders.cancel(i),
        lambda c, i: c.orders.send_now(i),
        lambda c, i: c.orders.change_place_date(i, JULY_1),
        lambda c, i: c.orders.skip_subscription(i, S),
        lambda c, i: c.customers.set_contact_details(i, email="a@b.co", phone_number="1"),
    ],
    ids=[
        "cancel",
        "reactivate",
        "change_quantity",
        "change_frequency",
        "change_next_order_date",
        "change_shipping_address",
        "order_cancel",
        "send_now",
        "change_place_date",
        "skip_subscription",
        "set_contact_details",
    ],
)
async def test_every_action_refuses_bad_ids(
    api: Api, httpx_mock: HTTPXMock, record_id: Any, action: Callable[[Any, Any], Any]
) -> None:
    with pytest.raises(og.ConfigurationError, match="_id"):
        await api.run(lambda c: action(c, record_id))
    assert httpx_mock.get_requests() == []


async def test_action_ids_are_one_path_segment(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", json=subscription_payload())
    await api.run(lambda c: c.subscriptions.cancel("../orders/o1/send_now"))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path == b"/subscriptions/..%2Forders%2Fo1%2Fsend_now/cancel/"


# -- skip_next_order ----------------------------------------------------------------------------------------------

ORDERS_QUERY = {"subscription": S, "status": "1", "page_size": "100"}
NEXT_PAGE = url(f"/orders/?cursor=b2Zmc2V0PTI&subscription={S}&status=1&page_size=100")


def upcoming_orders(httpx_mock: HTTPXMock) -> None:
    """Two pages of the subscription's unsent orders, out of order; the earliest ('o-early') is on page 2."""
    httpx_mock.add_response(
        method="GET",
        url=url("/orders/"),
        match_params=ORDERS_QUERY,
        json=page(
            [
                order_payload(public_id="o-late", place="2024-09-01 00:00:00"),
                order_payload(public_id="o-mid", place="2024-08-01 00:00:00"),
            ],
            NEXT_PAGE,
        ),
    )
    httpx_mock.add_response(
        method="GET",
        url=NEXT_PAGE,
        json=page(
            [
                order_payload(public_id="o-nodate", place=None),
                order_payload(public_id="o-early", place="2024-07-01 00:00:00"),
                # Not unsent, even though the filter asked for status 1: never chosen.
                order_payload(public_id="o-sent", place="2024-06-01 00:00:00", status=5),
            ]
        ),
    )


async def test_skip_next_order_skips_the_earliest_unsent_order(api: Api, httpx_mock: HTTPXMock) -> None:
    upcoming_orders(httpx_mock)
    httpx_mock.add_response(
        method="PATCH",
        url=url("/orders/o-early/skip_subscription/"),
        match_json={"subscription": S},
        json=order_payload(public_id="o-early", place="2024-07-01 00:00:00"),
    )
    order = await api.run(lambda c: c.subscriptions.skip_next_order(S))
    assert isinstance(order, og.Order)
    assert order.public_id == "o-early"
    requests = httpx_mock.get_requests()
    assert [(r.method, r.url.path) for r in requests] == [
        ("GET", "/orders/"),
        ("GET", "/orders/"),
        ("PATCH", "/orders/o-early/skip_subscription/"),
    ]
    assert requests[0].headers["X-OG-API-VERSION"] == "2"


async def test_skip_next_order_ties_and_missing_dates(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="GET",
        json=page(
            [
                order_payload(public_id="o-b", place="2024-07-01 00:00:00"),
                order_payload(public_id="o-none", place=None),
                order_payload(public_id="o-a", place="2024-07-01T00:00:00"),
            ]
        ),
    )
    httpx_mock.add_response(method="PATCH", json=order_payload(public_id="o-a"))
    await api.run(lambda c: c.subscriptions.skip_next_order(S))
    # Equal dates: the pick is stable (by id); an order without a date comes last.
    assert httpx_mock.get_requests()[-1].url.path == "/orders/o-a/skip_subscription/"


async def test_skip_next_order_when_there_is_none(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", url=url("/orders/"), match_params=ORDERS_QUERY, json={"results": []})
    with pytest.raises(og.NoUpcomingOrderError) as caught:
        await api.run(lambda c: c.subscriptions.skip_next_order(S))
    assert caught.value.subscription_id == S
    assert S in str(caught.value) and "nothing was changed" in str(caught.value)
    assert [r.method for r in httpx_mock.get_requests()] == ["GET"]


async def test_skip_next_order_with_only_sent_orders(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=page([order_payload(status=5), order_payload(status=42)]))
    with pytest.raises(og.NoUpcomingOrderError):
        await api.run(lambda c: c.subscriptions.skip_next_order(S))
    assert [r.method for r in httpx_mock.get_requests()] == ["GET"]


@pytest.mark.parametrize(
    ("fail", "cls"),
    [
        (lambda m: m.add_response(method="PATCH", status_code=503), og.ServerError),
        (lambda m: m.add_response(method="PATCH", status_code=502, html="<html></html>"), og.ServerError),
        (lambda m: m.add_exception(httpx.ReadTimeout("slow"), method="PATCH"), og.APITimeoutError),
        (lambda m: m.add_exception(httpx.RemoteProtocolError("dropped"), method="PATCH"), og.APIConnectionError),
    ],
    ids=["503", "502", "ReadTimeout", "dropped"],
)
async def test_skip_next_order_failure_after_sending_is_not_repeated(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, fail: Callable[[HTTPXMock], None], cls: type[Exception]
) -> None:
    upcoming_orders(httpx_mock)
    fail(httpx_mock)
    with pytest.raises(cls) as caught:
        await api.run(lambda c: c.subscriptions.skip_next_order(S))
    if isinstance(caught.value, og.APIConnectionError):
        assert caught.value.request_sent is True
    methods = [r.method for r in httpx_mock.get_requests()]
    assert methods == ["GET", "GET", "PATCH"]  # one lookup (two pages), exactly one PATCH, no second lookup


@pytest.mark.parametrize("code", [429, 423])
async def test_skip_next_order_retries_the_same_order_when_not_applied(
    api: Api, httpx_mock: HTTPXMock, code: int
) -> None:
    upcoming_orders(httpx_mock)
    httpx_mock.add_response(method="PATCH", status_code=code)
    httpx_mock.add_response(method="PATCH", json=order_payload(public_id="o-early"))
    order = await api.run(lambda c: c.subscriptions.skip_next_order(S))
    assert order.public_id == "o-early"
    patches = [r for r in httpx_mock.get_requests() if r.method == "PATCH"]
    assert [r.url.path for r in patches] == ["/orders/o-early/skip_subscription/"] * 2
    assert len(httpx_mock.get_requests()) == 4


async def test_skip_next_order_connection_refused_retries_same_order(api: Api, httpx_mock: HTTPXMock) -> None:
    upcoming_orders(httpx_mock)
    httpx_mock.add_exception(httpx.ConnectError("refused"), method="PATCH")
    httpx_mock.add_response(method="PATCH", json=order_payload(public_id="o-early"))
    await api.run(lambda c: c.subscriptions.skip_next_order(S))
    patches = [r.url.path for r in httpx_mock.get_requests() if r.method == "PATCH"]
    assert patches == ["/orders/o-early/skip_subscription/"] * 2


async def test_skip_next_order_lookup_is_retried_as_a_read(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", status_code=503)
    httpx_mock.add_response(method="GET", json=page([order_payload(public_id="o1")]))
    httpx_mock.add_response(method="PATCH", json=order_payload(public_id="o1"))
    await api.run(lambda c: c.subscriptions.skip_next_order(S))
    assert [r.method for r in httpx_mock.get_requests()] == ["GET", "GET", "PATCH"]


async def test_skip_next_order_per_call_options(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=page([order_payload(public_id="o1")]))
    httpx_mock.add_response(method="PATCH", status_code=429)
    with pytest.raises(og.RateLimitError):
        await api.run(lambda c: c.subscriptions.skip_next_order(S, timeout=2.0, max_retries=0))
    requests = httpx_mock.get_requests()
    assert [r.method for r in requests] == ["GET", "PATCH"]
    assert all(r.extensions["timeout"]["read"] == 2.0 for r in requests)


# -- Ordergroove's business-rule answers ----------------------------------------------------------------------

NOT_EDITABLE = "This subscription is not in a state which it can edited"
ALREADY_ACTIVE = "This subscription is already in active state"
IN_USE = "Resource is currently in use. Please try again shortly."
NOT_FOUND = "Unable to find requested asset."
PREPAID = "Prepaid subscriptions can not be changed."


async def test_cancel_of_a_canceled_subscription(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", status_code=400, json={"detail": NOT_EDITABLE})
    with pytest.raises(og.BadRequestError) as caught:
        await api.run(lambda c: c.subscriptions.cancel(S, reason_code=4))
    error = caught.value
    assert error.detail == NOT_EDITABLE and error.field_errors == {}
    assert str(error) == f"400 Bad Request from PATCH /subscriptions/{S}/cancel/: {NOT_EDITABLE}"
    assert len(httpx_mock.get_requests()) == 1


async def test_reactivate_of_an_active_subscription(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", status_code=400, json={"subscription": [ALREADY_ACTIVE]})
    with pytest.raises(og.BadRequestError) as caught:
        await api.run(lambda c: c.subscriptions.reactivate(S, every=1, every_period=3, start_date=JULY_1))
    error = caught.value
    assert error.detail is None
    assert error.field_errors == {"subscription": [ALREADY_ACTIVE]}
    assert str(error) == f"400 Bad Request from PATCH /subscriptions/{S}/reactivate/: subscription: {ALREADY_ACTIVE}"


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (lambda c: c.subscriptions.cancel(S), "cancel"),
        (lambda c: c.subscriptions.change_quantity(S, 2), "change_quantity"),
    ],
    ids=["cancel", "change_quantity"],
)
async def test_prepaid_subscription_refuses(api: Api, httpx_mock: HTTPXMock, call: Fn, action: str) -> None:
    httpx_mock.add_response(method="PATCH", status_code=400, json={"detail": PREPAID})
    with pytest.raises(og.BadRequestError) as caught:
        await api.run(call)
    assert caught.value.detail == PREPAID
    assert f"PATCH /subscriptions/{S}/{action}/" in str(caught.value)
    assert len(httpx_mock.get_requests()) == 1


async def test_locked_resource_on_cancel(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    for _ in range(3):
        httpx_mock.add_response(method="PATCH", status_code=423, json={"details": IN_USE})
    with pytest.raises(og.ResourceLockedError) as caught:
        await api.run(lambda c: c.subscriptions.cancel(S))
    assert caught.value.detail == IN_USE
    assert str(caught.value) == f"423 Locked from PATCH /subscriptions/{S}/cancel/: {IN_USE}"
    assert len(httpx_mock.get_requests()) == 3  # 423: the server did not act, so retried
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.subscriptions.change_quantity("missing", 2),
        lambda c: c.orders.send_now("missing"),
        lambda c: c.customers.set_contact_details("missing", email="a@b.co", phone_number="1"),
    ],
    ids=["change_quantity", "send_now", "set_contact_details"],
)
async def test_not_found(api: Api, httpx_mock: HTTPXMock, call: Fn) -> None:
    httpx_mock.add_response(method="PATCH", status_code=404, json={"detail": NOT_FOUND})
    with pytest.raises(og.NotFoundError) as caught:
        await api.run(call)
    assert caught.value.detail == NOT_FOUND
    assert str(caught.value).startswith("404 Not Found from PATCH /")
    assert str(caught.value).endswith(f": {NOT_FOUND}")
    assert "missing" in str(caught.value)


async def test_change_next_order_date_in_the_past(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", status_code=400, json={"order_date": "Date must be in the future."})
    with pytest.raises(og.BadRequestError) as caught:
        await api.run(lambda c: c.subscriptions.change_next_order_date(S, dt.date(2020, 1, 1)))
    assert caught.value.field_errors == {"order_date": ["Date must be in the future."]}
    assert "order_date: Date must be in the future." in str(caught.value)
