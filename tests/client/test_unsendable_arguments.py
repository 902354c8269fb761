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
        # Free text in a body (httpx writes JSON as UTF-8): a cancel's details, contact details, a product's name,
        # an item's contexts (a key or a value), finalize_placement's XML, GraphQL variables and documents.
        lambda c: c.subscriptions.cancel("s1", reason_code=1, reason_details="a\ud800b"),
        lambda c: c.customers.set_contact_details("c1", email="a@example.com", phone_number="\ud800"),
        lambda c: c.products.update("p1", name="\udfff"),
        lambda c: c.items.create_in_order(order="o", offer="f", product="p", quantity=1, contexts={"a": "\ud800"}),
        lambda c: c.items.create_in_order(order="o", offer="f", product="p", quantity=1, contexts={"\ud800": 1}),
        lambda c: c.orders.finalize_placement("o1", response_xml="<r>\ud800</r>", idempotency_key="k"),
        lambda c: c.graphql.query("{ order(publicId: $id) { publicId } }", {"id": "\ud800"}),
        lambda c: c.graphql.query('{ order(publicId: "\ud800") { publicId } }'),
    ],
    ids=[
        "retrieve",
        "skip-body",
        "list-filter",
        "email-filter",
        "skip-next",
        "cancel-details",
        "contact-details",
        "product-name",
        "contexts-value",
        "contexts-key",
        "finalize-xml",
        "graphql-variables",
        "graphql-document",
    ],
)
async def test_a_lone_surrogate_is_a_configuration_error_before_any_request(
    kind: Kind, call: Callable[[Any], Any]
) -> None:
    server = Server(lambda request: httpx.Response(200, json=page([])))
    client = kind.client(server)
    with pytest.raises(og.ConfigurationError, match="valid Unicode"):
        await kind.run(call(client))
    assert server.requests == []
