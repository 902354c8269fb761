"""customers.summary: counts, lifetime value and next order from two list calls (concurrent on the async client)."""

from __future__ import annotations

import asyncio
import decimal
from decimal import Decimal

import httpx
import pytest
from conftest import Api, url
from payloads import CUSTOMER_ID, canceled_subscription_payload, order_payload, page, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove.domain import summarize

QUERY = {"customer": CUSTOMER_ID, "page_size": "100"}
ORDERS_PAGE_2 = url(f"/orders/?cursor=cGFnZTI&customer={CUSTOMER_ID}&page_size=100")

SUBSCRIPTIONS = page(
    [
        subscription_payload(public_id="s1"),
        subscription_payload(public_id="s2", every_period=2),
        canceled_subscription_payload(public_id="s3"),
        subscription_payload(public_id="s4", live=False),  # inactive but never canceled
    ]
)
ORDERS_1 = page(
    [
        order_payload(public_id="o1", status=5, total="25.46", place="2024-01-01 00:00:00"),
        order_payload(public_id="o2", status=1, total="25.46", place="2024-09-01 00:00:00"),
        order_payload(public_id="o3", status=4, total="99.00"),
        order_payload(public_id="o4", status=5, total="10.10"),
    ],
    ORDERS_PAGE_2,
)
ORDERS_2 = page(
    [
        order_payload(public_id="o5", status=1, total="25.46", place="2024-07-15 00:00:00"),
        order_payload(public_id="o6", status=5, total="0.05"),
        order_payload(public_id="o7", status=5, total=None),
        order_payload(public_id="o8", status=3, total="50.00"),
        order_payload(public_id="o9", status=6, total="12.00", place="2024-06-01 00:00:00"),
    ]
)


def mock_lists(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/subscriptions/"), match_params=QUERY, json=SUBSCRIPTIONS)
    httpx_mock.add_response(url=url("/orders/"), match_params=QUERY, json=ORDERS_1)
    httpx_mock.add_response(url=ORDERS_PAGE_2, json=ORDERS_2)


async def test_summary(api: Api, httpx_mock: HTTPXMock) -> None:
    mock_lists(httpx_mock)
    summary = await api.run(lambda c: c.customers.summary(CUSTOMER_ID))
    assert isinstance(summary, og.CustomerSummary)
    assert summary.customer_id == CUSTOMER_ID
    assert (summary.total_subscriptions, summary.active_subscriptions, summary.canceled_subscriptions) == (4, 2, 1)
    assert summary.orders_fulfilled == 4
    assert summary.lifetime_value == Decimal("35.61") and type(summary.lifetime_value) is Decimal
    assert summary.next_order is not None
    assert summary.next_order.public_id == "o5"  # earliest unsent, on the second page; o9 is "send now"
    requests = httpx_mock.get_requests()
    # Two list calls (one of them two pages long), never one request per subscription.
    assert sorted(r.url.path for r in requests) == ["/orders/", "/orders/", "/subscriptions/"]
    assert all(r.headers["X-OG-API-VERSION"] == "2" and r.method == "GET" for r in requests)


async def test_summary_of_a_customer_with_nothing(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/subscriptions/"), match_params=QUERY, json={"results": []})
    httpx_mock.add_response(url=url("/orders/"), match_params=QUERY, json=page([]))
    summary = await api.run(lambda c: c.customers.summary(CUSTOMER_ID))
    assert summary == og.CustomerSummary(
        customer_id=CUSTOMER_ID,
        active_subscriptions=0,
        total_subscriptions=0,
        canceled_subscriptions=0,
        orders_fulfilled=0,
        lifetime_value=Decimal(0),
        next_order=None,
    )


@pytest.mark.parametrize(
    ("totals", "lifetime"),
    [
        # The sum is past the default context's Emax (999999): decimal.Overflow in that context.
        (["9E+999999", "9E+999999", "25.46"], Decimal("1.800000000000000000000000000E+1000000")),
        (["1E+999999", "0.01"], Decimal("1.000000000000000000000000000E+999999")),
        # Past even Decimal's widest exponent range: the sum is Infinity, and the summary is still returned.
        (["9E+999999999999999999", "9E+999999999999999999"], Decimal("Infinity")),
    ],
)
async def test_summary_of_extreme_totals_is_returned(
    api: Api, httpx_mock: HTTPXMock, totals: list[str], lifetime: Decimal
) -> None:
    orders = [order_payload(public_id=f"o{i}", status=5, total=total) for i, total in enumerate(totals)]
    httpx_mock.add_response(url=url("/subscriptions/"), match_params=QUERY, json=SUBSCRIPTIONS)
    httpx_mock.add_response(url=url("/orders/"), match_params=QUERY, json=page(orders))
    summary = await api.run(lambda c: c.customers.summary(CUSTOMER_ID))
    assert summary.orders_fulfilled == len(totals)
    assert summary.lifetime_value == lifetime and str(summary.lifetime_value) == str(lifetime)


def test_summarize_does_not_depend_on_the_callers_decimal_context() -> None:
    orders = [og.from_dict(og.Order, order_payload(public_id=f"o{i}", status=5, total="0.10")) for i in range(3)]
    with decimal.localcontext() as context:
        context.prec = 1  # would round 0.30 to 0.3 and every partial sum on the way
        context.traps[decimal.Inexact] = True
        summary = summarize(CUSTOMER_ID, [], orders)
    assert str(summary.lifetime_value) == "0.30"


async def test_summary_passes_per_call_options(api: Api, httpx_mock: HTTPXMock) -> None:
    mock_lists(httpx_mock)
    await api.run(lambda c: c.customers.summary(CUSTOMER_ID, timeout=1.5))
    assert all(r.extensions["timeout"]["read"] == 1.5 for r in httpx_mock.get_requests())


async def test_summary_error_is_raised(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=url("/subscriptions/"), match_params=QUERY, status_code=403, json={"detail": "no"})
    # The orders list may or may not have been sent by the time the error stops the summary.
    httpx_mock.add_response(url=url("/orders/"), match_params=QUERY, json=page([]), is_optional=True)
    with pytest.raises(og.PermissionDeniedError):
        await api.run(lambda c: c.customers.summary(CUSTOMER_ID))


async def test_async_summary_fetches_both_lists_concurrently(httpx_mock: HTTPXMock, clean_env: None) -> None:
    # Each list's answer waits until the other request has arrived: only concurrent requests can both complete.
    subscriptions_arrived = asyncio.Event()
    orders_arrived = asyncio.Event()

    async def answer_subscriptions(request: httpx.Request) -> httpx.Response:
        subscriptions_arrived.set()
        await asyncio.wait_for(orders_arrived.wait(), timeout=5)
        return httpx.Response(200, json=SUBSCRIPTIONS)

    async def answer_orders(request: httpx.Request) -> httpx.Response:
        orders_arrived.set()
        await asyncio.wait_for(subscriptions_arrived.wait(), timeout=5)
        return httpx.Response(200, json=page(ORDERS_1["results"]))

    httpx_mock.add_callback(answer_subscriptions, url=url("/subscriptions/"), match_params=QUERY)
    httpx_mock.add_callback(answer_orders, url=url("/orders/"), match_params=QUERY)
    async with og.AsyncOrdergroove(api_key="k") as client:
        summary = await client.customers.summary(CUSTOMER_ID)
    assert (summary.total_subscriptions, summary.orders_fulfilled) == (4, 2)
    assert summary.next_order is not None and summary.next_order.public_id == "o2"
    assert summary.lifetime_value == Decimal("35.56")


def _other_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}


async def test_async_summary_cancels_the_other_list_when_one_fails(httpx_mock: HTTPXMock, clean_env: None) -> None:
    # The orders list is refused at once while the subscriptions list hangs: the error is raised without waiting
    # for the hanging request, which is cancelled (not left running in the background), and no task is left over.
    hanging = asyncio.Event()
    cancelled: list[str] = []

    async def hang(request: httpx.Request) -> httpx.Response:
        hanging.set()
        try:
            await asyncio.Event().wait()  # never answers
        except asyncio.CancelledError:
            cancelled.append(request.url.path)
            raise
        raise AssertionError("unreachable")

    async def refuse(request: httpx.Request) -> httpx.Response:
        await hanging.wait()
        return httpx.Response(400, json={"detail": "no"})

    httpx_mock.add_callback(hang, url=url("/subscriptions/"), match_params=QUERY)
    httpx_mock.add_callback(refuse, url=url("/orders/"), match_params=QUERY)
    async with og.AsyncOrdergroove(api_key="k") as client:
        before = _other_tasks()
        with pytest.raises(og.BadRequestError):
            await asyncio.wait_for(client.customers.summary(CUSTOMER_ID), timeout=10)
        assert cancelled == ["/subscriptions/"]
        assert _other_tasks() <= before


async def test_cancelling_an_async_summary_cancels_both_lists(httpx_mock: HTTPXMock, clean_env: None) -> None:
    arrived: list[str] = []
    cancelled: list[str] = []
    both_arrived = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        arrived.append(request.url.path)
        if len(arrived) == 2:
            both_arrived.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(request.url.path)
            raise
        raise AssertionError("unreachable")

    httpx_mock.add_callback(hang, url=url("/subscriptions/"), match_params=QUERY)
    httpx_mock.add_callback(hang, url=url("/orders/"), match_params=QUERY)
    async with og.AsyncOrdergroove(api_key="k") as client:
        before = _other_tasks()
        summary = asyncio.ensure_future(client.customers.summary(CUSTOMER_ID))
        await asyncio.wait_for(both_arrived.wait(), timeout=10)
        summary.cancel()
        with pytest.raises(asyncio.CancelledError):
            await summary
        assert sorted(cancelled) == ["/orders/", "/subscriptions/"]
        assert _other_tasks() <= before


async def test_async_summary_retrieves_both_failures(
    httpx_mock: HTTPXMock, clean_env: None, caplog: pytest.LogCaptureFixture
) -> None:
    # Both lists refused: one error is raised, the other is retrieved (asyncio logs none "never retrieved").
    httpx_mock.add_response(url=url("/subscriptions/"), match_params=QUERY, status_code=403, json={"detail": "no"})
    httpx_mock.add_response(url=url("/orders/"), match_params=QUERY, status_code=403, json={"detail": "no"})
    async with og.AsyncOrdergroove(api_key="k") as client:
        with pytest.raises(og.PermissionDeniedError):
            await client.customers.summary(CUSTOMER_ID)
    import gc

    gc.collect()
    assert "never retrieved" not in caplog.text
