"""What the Gladly service tells Gladly and its operator when Ordergroove fails: the status (502 for an error
Ordergroove answered, 503 when it is unavailable), the host it tried, the cause, and a WARNING log line."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from _gladly_harness import (  # noqa: F401  (fixtures)
    StartAdaptor,
    fake,
    gladly_stub,
    og_url,
    start_adaptor,
)
from _served import free_port

import ordergroove as og
from ordergroove import gladly
from ordergroove import testing as ogt

CUSTOMER = "cust_0001"
DETAILED = {"lookupLevel": "DETAILED", "query": {"externalCustomerId": CUSTOMER}}
HOST = r"\(127\.0\.0\.1:[0-9]+\)"


@pytest.mark.parametrize("status", [400, 403, 409])
async def test_an_ordergroove_4xx_is_a_502_naming_the_host(
    start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    subscription = next(s for s in fake.subscriptions.values() if s["customer"] == CUSTOMER and s["live"])
    fake.faults.add(status, times=None)  # every Ordergroove call the form makes gets the status
    with caplog.at_level(logging.WARNING, logger="ordergroove.gladly"):
        async with start_adaptor() as running:
            response = await running.request("GET", f"/forms/cancel/{subscription['public_id']}")
    assert response.status_code == 502, response.text
    [error] = response.json()["errors"]
    assert error["code"] == "ordergroove_error"
    assert re.match(rf"Ordergroove {HOST} answered {status}", error["detail"])
    if status == 403:  # an authorization failure points at the key and the environment
        assert "check ORDERGROOVE_API_KEY" in error["detail"]
    [logged] = [r for r in caplog.records if r.name == "ordergroove.gladly"]
    assert logged.levelno == logging.WARNING
    assert re.match(rf"GET /forms/cancel/\w+ answered 502: Ordergroove {HOST} answered {status}", logged.getMessage())
    assert fake.api_key not in caplog.text


async def test_ordergroove_unreachable_is_a_503_naming_the_host_and_the_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()  # nothing listens on it
    body = json.dumps(DETAILED).encode()
    headers = {"content-type": "application/json"}
    headers |= gladly.sign_request("POST", "/lookup", "", headers, body, "k")
    with caplog.at_level(logging.WARNING, logger="ordergroove.gladly"):
        async with og.AsyncOrdergroove(api_key="key-SECRET", base_url=f"http://127.0.0.1:{port}", max_retries=0) as c:
            transport = httpx.ASGITransport(app=gladly.create_app(c, signing_key="k"))
            async with httpx.AsyncClient(transport=transport, base_url="http://adaptor.test") as http:
                response = await http.post("/lookup", content=body, headers=headers)
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["code"] == "ordergroove_unavailable"
    assert re.match(rf"Ordergroove \(127\.0\.0\.1:{port}\) could not be reached \(ConnectError: ", error["detail"])
    assert "refused" in error["detail"].lower()  # the OS error
    assert "POST /lookup answered 503" in caplog.text and "key-SECRET" not in caplog.text + response.text
