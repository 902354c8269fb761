"""``client.with_raw_response``: the HTTP answer (status, headers, request id) with the parsed result, both clients."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, url
from payloads import order_payload, page, subscription_payload
from pytest_httpx import HTTPXMock

import ordergroove as og

pytestmark = pytest.mark.usefixtures("clean_env")

ROOT = Path(__file__).resolve().parents[2]


async def test_retrieve_gives_status_headers_request_id_and_the_model(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=url("/subscriptions/s1/"),
        json=subscription_payload(public_id="s1"),
        headers={"X-Request-Id": "req-42", "X-RateLimit-Remaining": "5999"},
    )
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("s1"))
    assert isinstance(raw, og.RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-42"
    assert raw.headers["x-ratelimit-remaining"] == "5999"
    assert (raw.method, str(raw.url)) == ("GET", url("/subscriptions/s1/"))
    subscription = raw.parse()
    assert isinstance(subscription, og.Subscription) and subscription.public_id == "s1"
    assert raw.http_response.json()["public_id"] == "s1"
    assert API_KEY not in repr(raw)
    assert repr(raw) == f"<RawResponse [200] GET {url('/subscriptions/s1/')}>"


async def test_no_request_id_is_none(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"))
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("s1"))
    assert raw.request_id is None


async def test_a_list_gives_its_first_page_with_the_answer(api: Api, httpx_mock: HTTPXMock) -> None:
    next_url = url("/subscriptions/?customer=c1&page_size=1&cursor=abc")
    httpx_mock.add_response(
        json=page([subscription_payload(public_id="s1")], next_url),
        headers={"x-amzn-RequestId": "amz-1"},
    )
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.list(customer="c1", page_size=1))
    first = raw.parse()
    assert isinstance(first, og.Page)
    assert [s.public_id for s in first.items] == ["s1"]
    assert first.next_url == next_url
    assert raw.request_id == "amz-1"
    assert raw.http_request.headers["X-OG-API-VERSION"] == "2"
    assert len(httpx_mock.get_requests()) == 1  # the first page only


async def test_a_write_and_an_action_answer_raw(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1", quantity=3), status_code=200)
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.change_quantity("s1", 3))
    assert raw.parse().quantity == 3
    assert (raw.method, raw.url.path) == ("PATCH", "/subscriptions/s1/change_quantity/")


async def test_a_method_of_several_requests_keeps_every_answer(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=url("/subscriptions/?customer=c1&page_size=100"),
        json=page([subscription_payload(public_id="s1")]),
    )
    httpx_mock.add_response(url=url("/orders/?customer=c1&page_size=100"), json=page([order_payload(public_id="o1")]))
    raw = await api.run(lambda c: c.with_raw_response.customers.summary("c1"))
    assert isinstance(raw.parse(), og.CustomerSummary)
    assert sorted(str(r.request.url.path) for r in raw.http_responses) == ["/orders/", "/subscriptions/"]


async def test_errors_raise_as_without_raw_response(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=404, json={"detail": "Not found."})
    with pytest.raises(og.NotFoundError):
        await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("nope"))


async def test_a_retried_call_gives_the_answer_it_was_read_from(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), headers={"X-Request-Id": "second"})
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("s1"))
    assert (raw.status_code, raw.request_id, len(raw.http_responses)) == (200, "second", 1)


async def test_graphql_and_copies_have_it_too(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"data": {"ok": True}}, headers={"X-Request-Id": "gql-1"})
    copy = api.client.with_options(timeout=3.0)
    raw = await api.run(lambda c: c.with_raw_response.graphql.query("{ ok }"), copy)
    assert (raw.parse(), raw.request_id) == ({"ok": True}, "gql-1")
    assert copy.with_raw_response is copy.with_raw_response  # made once per client


async def test_the_plain_client_is_untouched_by_raw_calls(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=subscription_payload(public_id="s1"), is_reusable=True)
    await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("s1"))
    plain = await api.run(lambda c: c.subscriptions.retrieve("s1"))
    assert isinstance(plain, og.Subscription)


@pytest.mark.parametrize("cls", [og.Ordergroove, og.AsyncOrdergroove])
def test_every_method_of_every_resource_is_wrapped(cls: Any) -> None:
    client = cls(api_key=API_KEY)
    raw = client.with_raw_response
    for name, resource in vars(client).items():
        if name.startswith("_") or name == "with_raw_response":
            continue
        methods = {m for m, _ in inspect.getmembers(type(resource), inspect.isfunction) if not m.startswith("_")}
        wrapped = set(vars(getattr(raw, name)))
        assert wrapped == methods - {"export"}, name


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_raw", ROOT / "scripts" / "generate_raw.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_raw"] = module
    spec.loader.exec_module(module)
    return module


def test_the_generated_wrappers_are_current() -> None:
    assert _load_script().main(["--check"]) == 0, "run python scripts/generate_raw.py, then scripts/generate_sync.py"


def test_raw_response_typing_is_public() -> None:
    response = httpx.Response(201, headers={"X-Request-Id": "r"}, request=httpx.Request("POST", url("/x/")))
    raw = og.RawResponse({"a": 1}, [response])
    assert (raw.parse(), raw.status_code, raw.request_id) == ({"a": 1}, 201, "r")


async def test_credentials_in_the_base_url_never_show(api: Api, httpx_mock: HTTPXMock) -> None:
    # A proxy's user and password in the URL (httpx sends them as Basic auth): a repr lands in logs and notebooks.
    httpx_mock.add_response(json=subscription_payload(public_id="s1"))
    client = api.client.with_options(base_url="https://proxy-user:pr0xy-pass@og-proxy.example.com/")
    raw = await api.run(lambda c: c.with_raw_response.subscriptions.retrieve("s1"), client)
    assert raw.http_request.headers["authorization"].startswith("Basic ")  # they are used
    shown = [repr(client), repr(raw), repr(client._sender.core)]
    for text in shown:
        assert "pr0xy-pass" not in text and "proxy-user" not in text
    assert repr(raw) == "<RawResponse [200] GET https://***@og-proxy.example.com/subscriptions/s1/>"
    assert repr(client) == f"<{type(client).__name__} base_url='https://***@og-proxy.example.com'>"
    assert client.base_url == "https://proxy-user:pr0xy-pass@og-proxy.example.com"  # asked for, it is given
    with pytest.raises(og.ConfigurationError) as caught:
        api.client.with_options(base_url="ftp://proxy-user:pr0xy-pass@og-proxy.example.com/")
    assert "pr0xy-pass" not in str(caught.value)
