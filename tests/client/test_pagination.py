"""Pagers: cursor pages followed through ``next``, lazily, one page at a time; ``next`` never leaves the host."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, url
from payloads import CUSTOMER_ID, page, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og

NEXT_2 = url(f"/subscriptions/?cursor=cD0yMDI0&customer={CUSTOMER_ID}&page_size=2")
NEXT_3 = url(f"/subscriptions/?cursor=cD0yMDI1&customer={CUSTOMER_ID}&page_size=2")


def subs(*ids: str) -> list[dict[str, Any]]:
    return [subscription_payload(public_id=i) for i in ids]


def three_pages(httpx_mock: HTTPXMock, *, optional_from: int = 99) -> None:
    """Pages [s1 s2] -> [s3 s4] -> [s5]; pages numbered from ``optional_from`` on may go unrequested."""
    bodies = [page(subs("s1", "s2"), NEXT_2), page(subs("s3", "s4"), NEXT_3, previous=url("/x")), page(subs("s5"))]
    urls = [url(f"/subscriptions/?customer={CUSTOMER_ID}&page_size=2"), NEXT_2, NEXT_3]
    for number, (target, body) in enumerate(zip(urls, bodies, strict=True), start=1):
        httpx_mock.add_response(url=target, json=body, is_optional=number >= optional_from)


def listing(c: Any) -> Any:
    return c.subscriptions.list(customer=CUSTOMER_ID, page_size=2)


async def test_iterates_every_page_following_next(api: Api, httpx_mock: HTTPXMock) -> None:
    three_pages(httpx_mock)
    records = await api.collect(listing)
    assert [s.public_id for s in records] == ["s1", "s2", "s3", "s4", "s5"]
    requests = httpx_mock.get_requests()
    assert [str(r.url) for r in requests] == [
        url(f"/subscriptions/?customer={CUSTOMER_ID}&page_size=2"),
        NEXT_2,  # followed exactly as given, carrying the cursor and the filters
        NEXT_3,
    ]
    for request in requests:
        assert request.headers["X-OG-API-VERSION"] == "2"
        assert request.headers["x-api-key"] == API_KEY


async def test_pages(api: Api, httpx_mock: HTTPXMock) -> None:
    three_pages(httpx_mock)
    pages = await api.pages(listing)
    assert [[s.public_id for s in p.items] for p in pages] == [["s1", "s2"], ["s3", "s4"], ["s5"]]
    assert [p.next_url for p in pages] == [NEXT_2, NEXT_3, None]
    assert all(isinstance(p, og.Page) for p in pages)


async def test_to_list_collects_everything(api: Api, httpx_mock: HTTPXMock) -> None:
    three_pages(httpx_mock)
    records = await api.to_list(listing)
    assert [s.public_id for s in records] == ["s1", "s2", "s3", "s4", "s5"]
    assert all(isinstance(s, og.Subscription) for s in records)


@pytest.mark.parametrize(("limit", "pages_fetched"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (50, 3)])
async def test_to_list_limit_stops_fetching_early(
    api: Api, httpx_mock: HTTPXMock, limit: int, pages_fetched: int
) -> None:
    three_pages(httpx_mock, optional_from=pages_fetched + 1)
    records = await api.to_list(listing, limit=limit)
    assert [s.public_id for s in records] == ["s1", "s2", "s3", "s4", "s5"][:limit]
    assert len(httpx_mock.get_requests()) == pages_fetched


async def test_to_list_zero_sends_nothing(api: Api, httpx_mock: HTTPXMock) -> None:
    assert await api.to_list(listing, limit=0) == []
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("limit", [-1, 1.5, "3", True])
async def test_to_list_bad_limit(api: Api, httpx_mock: HTTPXMock, limit: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="limit"):
        await api.to_list(listing, limit=limit)
    assert httpx_mock.get_requests() == []


async def test_breaking_out_of_iteration_stops_fetching(api: Api, httpx_mock: HTTPXMock) -> None:
    three_pages(httpx_mock, optional_from=2)
    records = await api.collect(listing, limit=2)
    assert [s.public_id for s in records] == ["s1", "s2"]
    assert len(httpx_mock.get_requests()) == 1


async def test_a_page_is_let_go_before_the_next_is_fetched(api: Api, httpx_mock: HTTPXMock) -> None:
    # One page in memory: when page 2 is requested, page 1's records are freed (by reference counting, without
    # the garbage collector), all but the one the caller's loop variable still holds.
    seen: list[weakref.ref[Any]] = []
    alive_when_page_2_was_requested: list[str] = []

    def second_page(request: httpx.Request) -> httpx.Response:
        alive_when_page_2_was_requested.extend(r.public_id for r in (ref() for ref in seen) if r is not None)
        return httpx.Response(200, json=page(subs("t1")))

    httpx_mock.add_response(json=page(subs("s1", "s2", "s3", "s4", "s5"), NEXT_2))
    httpx_mock.add_callback(second_page, url=NEXT_2)
    pager = listing(api.client)
    gc.disable()
    try:
        if api.is_async:
            async for record in pager:
                seen.append(weakref.ref(record))
        else:
            for record in pager:
                seen.append(weakref.ref(record))
    finally:
        gc.enable()
    assert len(seen) == 6
    assert alive_when_page_2_was_requested == ["s5"]


async def test_a_record_of_no_documented_form_keeps_its_page(api: Api, httpx_mock: HTTPXMock) -> None:
    # The default: the record is built, its attribute is None, the wire value is in unparsed, the page goes on.
    records = subs("s1", "s2", "s3")
    records[1]["live"] = "yes"
    records[2]["cancelled"] = "2017-02-29 12:00:00"  # an impossible date, as in Ordergroove's own examples
    httpx_mock.add_response(json=page(records, NEXT_2))
    httpx_mock.add_response(json=page(subs("s4")))
    decoded = await api.collect(listing)
    assert [s.public_id for s in decoded] == ["s1", "s2", "s3", "s4"]
    assert decoded[1].live is None and decoded[1].unparsed == {"live": "yes"}
    assert decoded[2].cancelled is None and decoded[2].unparsed == {"cancelled": "2017-02-29 12:00:00"}
    assert [og.to_dict(s) for s in decoded[:3]] == records  # exactly what arrived
    assert not decoded[0].unparsed and not decoded[3].unparsed


async def test_a_strict_client_names_the_record_that_does_not_decode_with_the_request(
    api: Api, httpx_mock: HTTPXMock
) -> None:
    records = subs("s1", "s2", "s3")
    records[1]["live"] = "yes"
    httpx_mock.add_response(json=page(records))
    with pytest.raises(og.ResponseDecodeError) as caught:
        await api.collect(listing, client=api.make(strict=True))
    message = str(caught.value)
    assert message.startswith("record 2 of 3: Subscription payload does not decode: live: expected true or false")
    assert "in the answer to GET /subscriptions/" in message


async def test_pager_is_lazy_and_restarts(api: Api, httpx_mock: HTTPXMock) -> None:
    pager = listing(api.client)
    assert httpx_mock.get_requests() == []  # nothing sent until iterated
    assert "/subscriptions/" in repr(pager)
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(json=page(subs("s2")))
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(json=page(subs("s2")))
    first = await api.collect(lambda c: pager)
    second = await api.collect(lambda c: pager)
    assert [s.public_id for s in first] == [s.public_id for s in second] == ["s1", "s2"]
    assert [r.url.params.get("cursor") for r in httpx_mock.get_requests()] == [None, "cD0yMDI0", None, "cD0yMDI0"]


async def test_body_with_only_results_is_the_last_page(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"results": subs("s1", "s2")})
    pages = await api.pages(listing)
    assert len(pages) == 1 and pages[0].next_url is None
    assert [s.public_id for s in pages[0].items] == ["s1", "s2"]
    assert len(httpx_mock.get_requests()) == 1


async def test_page_number_mode_body_is_read_too(api: Api, httpx_mock: HTTPXMock) -> None:
    # The deprecated shape (with "count") decodes the same way.
    httpx_mock.add_response(json={"count": 1, "next": None, "previous": None, "results": subs("s1")})
    assert [s.public_id for s in await api.collect(listing)] == ["s1"]


async def test_empty_page_in_the_middle_is_followed(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=page([], NEXT_2))
    httpx_mock.add_response(url=NEXT_2, json=page(subs("s9")))
    assert [s.public_id for s in await api.collect(listing)] == ["s9"]


async def test_empty_next_string_ends(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=page(subs("s1"), ""))
    assert [s.public_id for s in await api.collect(listing)] == ["s1"]
    assert len(httpx_mock.get_requests()) == 1


async def test_failing_page_is_retried_and_iteration_continues(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(url=NEXT_2, status_code=503)
    httpx_mock.add_response(url=NEXT_2, json=page(subs("s2")))
    assert [s.public_id for s in await api.collect(listing)] == ["s1", "s2"]
    assert len(httpx_mock.get_requests()) == 3


async def test_per_call_options_apply_to_every_page(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(url=NEXT_2, status_code=503)
    pager = api.client.subscriptions.list(customer=CUSTOMER_ID, page_size=2, timeout=2.0, max_retries=0)
    with pytest.raises(og.ServerError):
        await api.collect(lambda c: pager)
    requests = httpx_mock.get_requests()
    assert len(requests) == 2  # max_retries=0 on the second page too
    assert all(r.extensions["timeout"]["read"] == 2.0 for r in requests)


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example.com/subscriptions/?cursor=abc",
        "http://restapi.ordergroove.com/subscriptions/?cursor=abc",  # same host, no TLS
        "https://restapi.ordergroove.com:8443/subscriptions/?cursor=abc",
        "//evil.example.com/subscriptions/",
    ],
)
async def test_next_to_another_host_is_refused(api: Api, httpx_mock: HTTPXMock, evil: str) -> None:
    httpx_mock.add_response(json=page(subs("s1"), evil))
    with pytest.raises(og.ResponseDecodeError, match="another host"):
        await api.collect(listing)
    requests = httpx_mock.get_requests()
    assert len(requests) == 1  # the key never went there
    assert requests[0].url.host == "restapi.ordergroove.com"


@pytest.mark.parametrize(
    "link",
    [
        url("/subscriptions/?cursor=" + "c" * 70_000),  # longer than any URL httpx sends
        url("/subscriptions/?cursor=abc\x7f"),
    ],
    ids=["too long", "control character"],
)
async def test_a_next_link_that_cannot_be_sent_is_a_decode_error(api: Api, httpx_mock: HTTPXMock, link: str) -> None:
    httpx_mock.add_response(json=page(subs("s1"), link))
    with pytest.raises(og.ResponseDecodeError, match="'next' link") as caught:
        await api.collect(listing)
    assert len(str(caught.value)) < 300  # says what is wrong without echoing the link
    assert len(httpx_mock.get_requests()) == 1


async def test_async_pager_is_an_async_iterable(httpx_mock: HTTPXMock, clean_env: None) -> None:
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(url=NEXT_2, json=page(subs("s2")))
    async with og.AsyncOrdergroove(api_key=API_KEY) as client:
        pager = client.subscriptions.list(customer=CUSTOMER_ID, page_size=2)
        assert isinstance(pager, og.AsyncPager)
        assert [s.public_id async for s in pager] == ["s1", "s2"]


def test_sync_pager_is_an_iterable(httpx_mock: HTTPXMock, clean_env: None) -> None:
    httpx_mock.add_response(json=page(subs("s1"), NEXT_2))
    httpx_mock.add_response(url=NEXT_2, json=page(subs("s2")))
    with og.Ordergroove(api_key=API_KEY) as client:
        pager = client.subscriptions.list(customer=CUSTOMER_ID, page_size=2)
        assert isinstance(pager, og.SyncPager)
        assert [s.public_id for s in pager] == ["s1", "s2"]


# -- count(): the list's total from one page-number read ------------------------------------------------------------


async def test_count_reads_one_page_number_page_with_the_same_filters(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=url(f"/subscriptions/?customer={CUSTOMER_ID}&page_size=1"), json={"count": 1234, **page(subs("s1"))}
    )
    assert await api.run(lambda c: listing(c).count()) == 1234
    (request,) = httpx_mock.get_requests()
    # Without the cursor header: Ordergroove's page-number mode, whose pages carry the count.
    assert "X-OG-API-VERSION" not in request.headers
    assert request.headers["x-api-key"] == API_KEY


@pytest.mark.parametrize("body", [page(subs("s1")), {"count": "many", "results": []}, {"count": -1}, ["x"]])
async def test_count_is_none_when_the_answer_does_not_say(api: Api, httpx_mock: HTTPXMock, body: Any) -> None:
    httpx_mock.add_response(json=body)
    assert await api.run(lambda c: listing(c).count()) is None


async def test_count_fails_as_any_read(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=403, json={"detail": "no bulk operations"})
    with pytest.raises(og.PermissionDeniedError):
        await api.run(lambda c: listing(c).count())


async def test_a_graphql_list_has_no_count(api: Api, httpx_mock: HTTPXMock) -> None:
    query = "query($after: String) { orders(first: 2, after: $after) { edges { node { publicId } } } }"
    assert await api.run(lambda c: c.graphql.paginate(query, connection="orders").count()) is None
    assert httpx_mock.get_requests() == []  # nothing sent
