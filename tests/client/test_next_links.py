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
