"""Arguments that cannot be sent (a lone surrogate) are refused before any request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mock_server import Kind, Server
from payloads import page

import ordergroove as og


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.subscriptions.retrieve("ab\ud800"),
        lambda c: c.orders.skip_subscription("o1", "\udfff"),
        lambda c: c.subscriptions.list(customer="c\ud800").to_list(),
        lambda c: c.customers.list(email="a\ud800@example.com").to_list(),
        lambda c: c.subscriptions.skip_next_order("\ud800"),
    ],
    ids=["retrieve", "skip-body", "list-filter", "email-filter", "skip-next"],
)
async def test_a_lone_surrogate_is_a_configuration_error_before_any_request(
    kind: Kind, call: Callable[[Any], Any]
) -> None:
    server = Server(lambda request: httpx.Response(200, json=page([])))
    client = kind.client(server)
    with pytest.raises(og.ConfigurationError, match="valid Unicode"):
        await kind.run(call(client))
    assert server.requests == []
