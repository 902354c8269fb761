"""A redirect is never followed, even by a given httpx client set to follow them: the key never travels."""

from __future__ import annotations

import httpx
import pytest
from mock_server import Kind, Server
from payloads import subscription_payload

import ordergroove as og


async def test_a_redirect_is_not_followed_even_by_a_given_client_that_follows_them(kind: Kind) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "elsewhere.example":
            return httpx.Response(200, json=subscription_payload())
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/subscriptions/s1/"})

    server = Server(answer)
    client = kind.client(server, follow_redirects=True)
    with pytest.raises(og.APIStatusError) as caught:
        await kind.run(client.subscriptions.retrieve("s1"))
    assert caught.value.status_code == 302
    # The key went to Ordergroove's host only: the redirect's target never saw a request.
    assert [request.url.host for request in server.requests] == ["restapi.ordergroove.com"]
