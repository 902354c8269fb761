"""Review findings on the Gladly service: a form POST that Gladly repeats must not act twice."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from _gladly_harness import (  # noqa: F401  (fixtures)
    GLADLY_CUSTOMER,
    Adaptor,
    adaptor,
    fake,
    first,
    gladly_stub,
    notes,
    og_url,
    start_adaptor,
)

from ordergroove import testing as ogt


async def test_a_repeated_skip_form_post_skips_only_one_order(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    lookup = await adaptor.lookup(
        {"lookupLevel": "DETAILED", "query": {"externalCustomerId": "cust_0001", "id": GLADLY_CUSTOMER}}
    )
    [profile] = lookup.json()["results"]
    [form_url] = [
        a["formUrl"]
        for t in profile["transactions"]
        if t.get("subscriptionId") == subscription["public_id"]
        for a in t.get("actions", [])
        if a["name"] == "Skip next order"
    ]
    action_url = (await adaptor.request("GET", form_url)).json()["actionUrl"]
    first_answer = await adaptor.request("POST", action_url, {"confirm": True})
    assert first_answer.status_code == 200
    # Gladly did not get (or timed out on) the first answer and sends the same POST again.
    second_answer = await adaptor.request("POST", action_url, {"confirm": True})
    assert second_answer.status_code == 406
    skips = [r for r in fake.applied if r.path.endswith("/skip_subscription/")]
    assert [r.path for r in skips] == [f"/orders/{order['public_id']}/skip_subscription/"]
    later = fake.upcoming_order(subscription)
    assert later is not None and all(i["subscription"] == subscription["public_id"] for i in fake.items_of(later))
    assert len(notes) == 1


async def test_unsigned_requests_to_unknown_paths_and_methods_are_refused_first(adaptor: Adaptor) -> None:
    # Without the signature nothing is told, not even which paths exist.
    for method, path in (("POST", "/nothing-here"), ("GET", "/lookup"), ("DELETE", "/forms/cancel/x")):
        response = await adaptor.request(method, path, signed=False)
        assert response.status_code == 401, (method, path)
        assert response.json()["errors"][0]["code"] == "unauthorized"


async def test_a_chunked_oversized_body_is_refused(adaptor: Adaptor) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 100_000  # 2 MB in all, without a Content-Length

    response = await adaptor.http.post(adaptor.url + "/lookup", content=chunks())
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
