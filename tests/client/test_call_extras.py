"""Per call: ``extra_headers``, ``extra_query``, ``extra_body``, ``timeout`` and ``max_retries`` on every method,
applied where requests are built (so every resource has them), both clients."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, url
from payloads import page, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove._call import Call, Options

pytestmark = pytest.mark.usefixtures("clean_env")

EXTRAS = ("timeout", "max_retries", "extra_headers", "extra_query", "extra_body")


def last(httpx_mock: HTTPXMock) -> httpx.Request:
    return httpx_mock.get_requests()[-1]


@pytest.mark.parametrize("cls", [og.Ordergroove, og.AsyncOrdergroove])
def test_every_method_takes_the_per_call_options(cls: Any) -> None:
    client = cls(api_key=API_KEY)
    missing = []
    for name, resource in vars(client).items():
        if name.startswith("_") or name == "with_raw_response":
            continue
        for method_name, method in inspect.getmembers(resource, inspect.ismethod):
            if method_name.startswith("_"):
                continue
            parameters = inspect.signature(method).parameters
            missing += [f"{name}.{method_name}({extra}=)" for extra in EXTRAS if extra not in parameters]
    assert missing == []


async def test_extra_headers_and_query_arrive(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"))
    await api.run(
        lambda c: c.subscriptions.retrieve(
            "s1", extra_headers={"X-Trace": "t-9", "User-Agent": None}, extra_query={"expand": "items", "v": 2}
        )
    )
    request = last(httpx_mock)
    assert request.headers["X-Trace"] == "t-9"
    assert "User-Agent" not in request.headers  # None removes a header of the library's
    assert request.headers["x-api-key"] == API_KEY
    assert str(request.url) == url("/subscriptions/s1/?expand=items&v=2")


async def test_extra_query_on_a_list_follows_every_page(api: Api, httpx_mock: HTTPXMock) -> None:
    second = url("/subscriptions/?customer=c1&page_size=1&cursor=abc%3D")
    httpx_mock.add_response(
        url=url("/subscriptions/?customer=c1&page_size=1&flag=true"),
        json=page([subscription_payload(public_id="s1")], second),
    )
    httpx_mock.add_response(
        url=url("/subscriptions/?customer=c1&page_size=1&cursor=abc%3D&flag=true"),
        json=page([subscription_payload(public_id="s2")]),
    )
    records = await api.to_list(
        lambda c: c.subscriptions.list(
            customer="c1", page_size=1, extra_query={"flag": True}, extra_headers={"X-A": "b"}
        )
    )
    assert [s.public_id for s in records] == ["s1", "s2"]
    assert all(r.headers["X-A"] == "b" for r in httpx_mock.get_requests())


async def test_extra_body_merges_into_a_json_body(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1", quantity=3))
    await api.run(lambda c: c.subscriptions.change_quantity("s1", 3, extra_body={"note": "from support"}))
    assert json.loads(last(httpx_mock).content) == {"quantity": 3, "note": "from support"}


async def test_extra_body_cannot_replace_what_the_call_sends(api: Api, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(og.ConfigurationError, match="extra_body cannot replace quantity"):
        await api.run(lambda c: c.subscriptions.change_quantity("s1", 3, extra_body={"quantity": 0}))
    with pytest.raises(og.ConfigurationError, match="extra_query cannot replace customer"):
        await api.to_list(lambda c: c.subscriptions.list(customer="c1", extra_query={"customer": "c2"}))
    assert httpx_mock.get_requests() == []


async def test_extra_body_is_refused_without_a_json_body(api: Api, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(og.ConfigurationError, match="extra_body cannot be sent with GET /subscriptions/s1/"):
        await api.run(lambda c: c.subscriptions.retrieve("s1", extra_body={"a": 1}))
    with pytest.raises(og.ConfigurationError, match="extra_body cannot be sent with GET"):
        api.client.subscriptions.list(extra_body={"a": 1})  # refused when the pager is made
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("name", ["x-api-key", "Authorization", "X-OG-API-VERSION", "Content-Type", "Host"])
async def test_reserved_headers_are_refused_per_call(api: Api, httpx_mock: HTTPXMock, name: str) -> None:
    with pytest.raises(og.ConfigurationError, match=f"cannot set {name}"):
        await api.run(lambda c: c.subscriptions.retrieve("s1", extra_headers={name: "x"}))
    assert httpx_mock.get_requests() == []


async def test_bad_extras_are_refused_before_sending(api: Api, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(og.ConfigurationError, match="extra_query"):
        await api.run(lambda c: c.subscriptions.retrieve("s1", extra_query={"a": 1.5}))
    with pytest.raises(og.ConfigurationError, match="extra_body must be a mapping"):
        await api.run(lambda c: c.subscriptions.change_quantity("s1", 2, extra_body=[1]))
    with pytest.raises(og.ConfigurationError, match="printable ASCII") as caught:
        await api.run(lambda c: c.subscriptions.retrieve("s1", extra_headers={"X-Token": "secret\r\nX: y"}))
    assert "secret" not in str(caught.value)
    assert httpx_mock.get_requests() == []


async def test_per_call_timeout_and_max_retries(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=503, is_reusable=True)
    with pytest.raises(og.ServerError):
        await api.run(lambda c: c.orders.retrieve("o1", max_retries=1, timeout=httpx.Timeout(2.0, read=9.0)))
    requests = httpx_mock.get_requests()
    assert len(requests) == 2
    assert requests[0].extensions["timeout"] == {"connect": 2.0, "read": 9.0, "write": 2.0, "pool": 2.0}


async def test_graphql_takes_the_extras(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"data": {"ok": True}})
    await api.run(lambda c: c.graphql.query("{ ok }", extra_headers={"X-A": "b"}, extra_body={"operationName": "Q"}))
    request = last(httpx_mock)
    assert request.headers["X-A"] == "b"
    assert json.loads(request.content)["operationName"] == "Q"


def test_a_form_body_refuses_extra_body() -> None:
    # Purchase POST's body is a form: extra_body (fields of a JSON object) cannot be added to it.
    form = Call("POST", "/subscription/create", decode=lambda *_: None, has_body=True, content=b"a=1")
    with pytest.raises(og.ConfigurationError, match="form body"):
        Options(extra_body={"b": 2}).resolve(1.0, 0).check(form)
