"""A `next` link that cannot be sent is a decode error, after the one page that carried it."""

from __future__ import annotations

import httpx
import pytest
from mock_server import Kind, Server
from payloads import BASE_URL, order_payload, page

import ordergroove as og


@pytest.mark.parametrize("link", [BASE_URL + "/orders/?cursor=a\x00b", BASE_URL + "/orders/?cursor=\x7f"])
async def test_a_next_link_that_cannot_be_sent_is_a_decode_error(kind: Kind, link: str) -> None:
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=link)))
    client = kind.client(server)
    with pytest.raises(og.ResponseDecodeError, match="'next' link"):
        await kind.to_list(client.orders.list(customer="c1"))
    assert len(server.requests) == 1


# A server whose `next` link (or GraphQL cursor) comes back would be followed forever, the same records read again
# and again: the pager refuses the page asked for twice, after reading each page once.
LOOPS = [
    [BASE_URL + "/orders/?cursor=a", BASE_URL + "/orders/?cursor=a"],
    [BASE_URL + "/orders/?cursor=a", BASE_URL + "/orders/?cursor=b", BASE_URL + "/orders/?cursor=a"],
]


@pytest.mark.parametrize("links", LOOPS)
async def test_a_next_link_that_comes_back_is_a_decode_error(kind: Kind, links: list[str]) -> None:
    answers = iter(links)
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=next(answers))))
    client = kind.client(server)
    with pytest.raises(og.ResponseDecodeError, match="leads back to a page already read"):
        await kind.to_list(client.orders.list(customer="c1"))
    assert len(server.requests) == len(links)


# A link back to the first page: the request that started the walk, as the client sent it or spelled otherwise (its
# parameters in another order, percent-encoded or not, the host in capitals). Its records are never read twice: the
# link is refused before it is followed (the page that carries it is not yielded, as for any link that comes back).
FIRST_PAGE_AGAIN = [
    BASE_URL + "/orders/?customer=c%401&page_size=100",
    BASE_URL + "/orders/?page_size=100&customer=c@1",
    "https://RESTAPI.ordergroove.com/orders/?page_size=100&customer=c%401",
]


@pytest.mark.parametrize("link", FIRST_PAGE_AGAIN)
async def test_a_next_link_back_to_the_first_page_is_refused_before_a_record_comes_twice(kind: Kind, link: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "cursor" in request.url.params:
            return httpx.Response(200, json=page([order_payload(public_id="o2")], next_url=link))
        return httpx.Response(200, json=page([order_payload(public_id="o1")], next_url=BASE_URL + "/orders/?cursor=b"))

    server = Server(answer)
    client = kind.client(server)
    pager = client.orders.list(customer="c@1")
    seen: list[str] = []
    with pytest.raises(og.ResponseDecodeError, match="leads back to a page already read"):
        if kind.is_async:
            async for order in pager:
                seen.append(order.public_id)
        else:
            for order in pager:
                seen.append(order.public_id)
    assert seen == ["o1"]  # never o1 twice
    assert len(server.requests) == 2  # the first page not asked for again


async def test_a_next_link_back_to_the_first_page_is_refused_with_extra_query(kind: Kind) -> None:
    # extra_query goes with every request whatever a link says: a link without it still leads to the first page.
    def answer(request: httpx.Request) -> httpx.Response:
        if "cursor" in request.url.params:
            return httpx.Response(
                200,
                json=page([order_payload(public_id="o2")], next_url=BASE_URL + "/orders/?customer=c1&page_size=100"),
            )
        return httpx.Response(200, json=page([order_payload(public_id="o1")], next_url=BASE_URL + "/orders/?cursor=b"))

    server = Server(answer)
    client = kind.client(server)
    with pytest.raises(og.ResponseDecodeError, match="leads back to a page already read"):
        await kind.to_list(client.orders.list(customer="c1", extra_query={"trace": "1"}))
    assert len(server.requests) == 2 and all(r.url.params["trace"] == "1" for r in server.requests)


async def test_a_graphql_cursor_back_to_where_the_walk_started_is_refused(kind: Kind) -> None:
    connection = {"edges": [{"node": {"id": "1"}}], "pageInfo": {"hasNextPage": True, "endCursor": "START"}}
    server = Server(lambda request: httpx.Response(200, json={"data": {"orders": connection}}))
    client = kind.client(server)
    query = "query($after: String) { orders(after: $after) { edges { node { id } } pageInfo { endCursor } } }"
    with pytest.raises(og.ResponseDecodeError, match="cursor"):
        await kind.to_list(client.graphql.paginate(query, {"after": "START"}, connection="orders"))
    assert len(server.requests) == 1


async def test_a_page_says_where_it_was_read_from(kind: Kind) -> None:
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()])))
    client = kind.client(server)
    first = await kind.run(client.orders.list(customer="c1").first_page())
    assert first.url == BASE_URL + "/orders/?customer=c1&page_size=100"


async def test_a_graphql_cursor_that_comes_back_is_a_decode_error(kind: Kind) -> None:
    connection = {"edges": [{"node": {"id": "1"}}], "pageInfo": {"hasNextPage": True, "endCursor": "X"}}
    server = Server(lambda request: httpx.Response(200, json={"data": {"orders": connection}}))
    client = kind.client(server)
    query = "query($after: String) { orders(after: $after) { edges { node { id } } pageInfo { endCursor } } }"
    with pytest.raises(og.ResponseDecodeError, match="cursor"):
        await kind.to_list(client.graphql.paginate(query, connection="orders"))
    assert len(server.requests) == 2


async def test_distinct_next_links_are_all_followed(kind: Kind) -> None:
    links = iter([BASE_URL + "/orders/?cursor=a", BASE_URL + "/orders/?cursor=b", None])
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=next(links))))
    client = kind.client(server)
    assert len(await kind.to_list(client.orders.list(customer="c1"))) == 3


async def test_next_links_are_followed_when_the_base_url_carries_credentials(kind: Kind) -> None:
    # A base_url with user:password@ (a proxy's or a gateway's) keeps its host: the server's links never repeat the
    # credentials, and they are on that host, so they are followed; a link to another host still is not.
    links = iter([BASE_URL + "/orders/?cursor=a", "https://elsewhere.example/orders/?cursor=b"])
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=next(links))))
    client = kind.client(server, base_url="https://user:pw@restapi.ordergroove.com")
    with pytest.raises(og.ResponseDecodeError, match="another host") as refused:
        await kind.to_list(client.orders.list(customer="c1"))
    assert len(server.requests) == 2 and "pw" not in str(refused.value)


async def test_a_page_s_url_carries_no_credentials_of_the_base_url(kind: Kind) -> None:
    # page.url is the request's URL, for a caller to show or log: a base_url's user:password@ (sent as the
    # Authorization header) is no part of it.
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()])))
    client = kind.client(server, base_url="https://user:s3cr3t-pw@restapi.ordergroove.com")
    first = await kind.run(client.orders.list(customer="c1").first_page())
    assert first.url == BASE_URL + "/orders/?customer=c1&page_size=100"
    assert server.requests[0].headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize("answer", ["status", "not json", "undecodable", "connection"])
async def test_an_error_s_url_carries_no_credentials_of_the_base_url(kind: Kind, answer: str) -> None:
    # error.url is for a caller to show or log, and an error pickles with its attributes (a process pool's worker
    # error): a base_url's user:password@ (sent as the Authorization header) is masked there, as in the repr.
    import pickle

    def respond(request: httpx.Request) -> httpx.Response:
        if answer == "connection":
            raise httpx.ConnectError("refused", request=request)
        if answer == "status":
            return httpx.Response(404, json={"detail": "Not found."})
        return httpx.Response(200, content=b"<html>" if answer == "not json" else b'{"results": 7}')

    client = kind.client(Server(respond), base_url="https://user:s3cr3t-pw@restapi.ordergroove.com", max_retries=0)
    with pytest.raises(og.OrdergrooveError) as caught:
        await kind.to_list(client.orders.list(customer="c1"))
    error = caught.value
    assert error.url == "https://***@restapi.ordergroove.com/orders/"  # type: ignore[attr-defined]
    for text in (str(error), repr(error), *(repr(value) for value in vars(error).values())):
        assert "s3cr3t" not in text
    assert b"s3cr3t" not in pickle.dumps(error)


async def test_distinct_cursors_that_are_not_utf8_are_all_followed(kind: Kind) -> None:
    # Links are compared as requests, bytes for bytes: two cursors of different bytes (here not UTF-8, which a
    # decoding that replaces what it cannot read would make the same) are two pages, not a loop.
    links = iter([BASE_URL + "/orders/?cursor=%FF", BASE_URL + "/orders/?cursor=%FE", None])
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=next(links))))
    client = kind.client(server)
    assert len(await kind.to_list(client.orders.list(customer="c1"))) == 3
    assert [r.url.query for r in server.requests[1:]] == [b"cursor=%FF", b"cursor=%FE"]
