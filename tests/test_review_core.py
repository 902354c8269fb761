"""Review of the core: the promises of DESIGN.md at their edges, sync and async.

Redirects never followed (the key never travels), ids and filters refused before any I/O when they cannot be
sent, ``next`` links that cannot be followed reported as decode errors, API keys that cannot be a header refused
at construction without being echoed, finite timeouts, exact big integers, ``from_dict`` independent of the
caller's dict, and the next order picked among mixed naive and aware dates.
"""

from __future__ import annotations

import inspect
import json
import math
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from payloads import BASE_URL, order_payload, page, subscription_payload

import ordergroove as og
from ordergroove import _exchange, _io
from ordergroove._json import strict_json_loads
from ordergroove.models._convert import decode_list

KEY = "og-review-key-SECRET-1234"


class Server:
    """A handler for httpx.MockTransport that records every request it answers."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


class Kind:
    def __init__(self, name: str) -> None:
        self.is_async = name == "async"
        self._closers: list[Any] = []

    def client(self, server: Server, *, follow_redirects: bool = False, **options: Any) -> Any:
        options.setdefault("api_key", KEY)
        options.setdefault("max_retries", 0)
        transport = httpx.MockTransport(server)
        if self.is_async:
            http: Any = httpx.AsyncClient(transport=transport, follow_redirects=follow_redirects)
            client: Any = og.AsyncOrdergroove(http_client=http, **options)
        else:
            http = httpx.Client(transport=transport, follow_redirects=follow_redirects)
            client = og.Ordergroove(http_client=http, **options)
        self._closers.append(http)
        return client

    async def run(self, value: Any) -> Any:
        return await value if inspect.isawaitable(value) else value

    async def to_list(self, pager: Any) -> list[Any]:
        return await self.run(pager.to_list())  # type: ignore[no-any-return]

    async def close(self) -> None:
        for http in self._closers:
            if self.is_async:
                await http.aclose()
            else:
                http.close()


@pytest.fixture(params=["sync", "async"])
async def kind(request: pytest.FixtureRequest, clean_env: None, sleeps: list[float]) -> AsyncIterator[Kind]:
    adapter = Kind(request.param)
    try:
        yield adapter
    finally:
        await adapter.close()


# -- redirects ----------------------------------------------------------------------------------------------


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


# -- arguments that cannot be sent ----------------------------------------------------------------------------


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


@pytest.mark.parametrize("link", [BASE_URL + "/orders/?cursor=a\x00b", BASE_URL + "/orders/?cursor=\x7f"])
async def test_a_next_link_that_cannot_be_sent_is_a_decode_error(kind: Kind, link: str) -> None:
    server = Server(lambda request: httpx.Response(200, json=page([order_payload()], next_url=link)))
    client = kind.client(server)
    with pytest.raises(og.ResponseDecodeError, match="'next' link"):
        await kind.to_list(client.orders.list(customer="c1"))
    assert len(server.requests) == 1


# -- configuration ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [KEY + "\n", " " + KEY, KEY + "\u00e9", "og\x00key", "og\tkey"])
@pytest.mark.parametrize("client_class", [og.Ordergroove, og.AsyncOrdergroove])
def test_an_api_key_that_cannot_be_a_header_is_refused_without_being_shown(
    clean_env: None, client_class: type[Any], key: str
) -> None:
    with pytest.raises(og.ConfigurationError) as caught:
        client_class(api_key=key)
    assert KEY not in str(caught.value) and KEY.strip() not in repr(caught.value)


def test_an_api_key_from_the_environment_is_checked_the_same_way(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGROOVE_API_KEY", KEY + "\n")
    with pytest.raises(og.ConfigurationError) as caught:
        og.Ordergroove()
    assert KEY not in str(caught.value)


@pytest.mark.parametrize(
    "options",
    [{"api_key": 123}, {"api_key": b"key"}, {"base_url": 5}, {"environment": ["staging"]}, {"timeout": math.inf}],
    ids=["int-key", "bytes-key", "int-url", "list-environment", "infinite-timeout"],
)
@pytest.mark.parametrize("client_class", [og.Ordergroove, og.AsyncOrdergroove])
def test_unusable_options_are_configuration_errors(
    clean_env: None, client_class: type[Any], options: dict[str, Any]
) -> None:
    options = {"api_key": KEY, **options}
    with pytest.raises(og.ConfigurationError):
        client_class(**options)


async def test_an_infinite_timeout_per_call_or_copy_is_refused_before_any_request(kind: Kind) -> None:
    server = Server(lambda request: httpx.Response(200, json=subscription_payload()))
    client = kind.client(server)
    with pytest.raises(og.ConfigurationError, match="timeout"):
        client.with_options(timeout=math.inf)
    with pytest.raises(og.ConfigurationError, match="timeout"):
        await kind.run(client.subscriptions.retrieve("s1", timeout=math.inf))
    assert server.requests == []


# -- numbers and payloads ----------------------------------------------------------------------------------------

BIG = 123456789012345678901234567890
BELOW_INT64 = -(2**63) - 1  # 19 digits


async def test_integers_beyond_64_bits_come_back_exact_with_the_standard_parser(
    kind: Kind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # orjson (the `fast` extra) reads such integers as floats, as docs say; the standard library keeps them exact,
    # and so must everything the library does after parsing.
    monkeypatch.setattr(_exchange, "loads", strict_json_loads)
    payload = subscription_payload(quantity=BELOW_INT64, extra_data={"barcode": BIG}, loyalty_points=BIG)
    body = json.dumps(page([payload])).encode()
    server = Server(lambda request: httpx.Response(200, content=body, headers={"Content-Type": "application/json"}))
    client = kind.client(server)
    [subscription] = await kind.to_list(client.subscriptions.list(customer="c1"))
    assert subscription.quantity == BELOW_INT64 and type(subscription.quantity) is int
    assert subscription.extra == {"loyalty_points": BIG}
    assert og.to_dict(subscription) == payload  # decode then encode loses nothing
    out = tmp_path / "subscriptions.jsonl"
    result = await kind.run(client.subscriptions.export(out, customer="c1"))
    assert result.records == 1
    assert json.loads(out.read_text()) == payload


@pytest.mark.parametrize("parser", ["installed", "standard"])
@pytest.mark.parametrize("bad", [b"NaN", b"Infinity", b"1e400"])
async def test_both_parsers_refuse_what_is_not_json(
    kind: Kind, bad: bytes, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The standard library's parser accepts NaN and Infinity unless told not to.
    if parser == "standard":
        monkeypatch.setattr(_exchange, "loads", strict_json_loads)
    body = b'{"results": [], "next": null, "x": ' + bad + b"}"
    server = Server(lambda request: httpx.Response(200, content=body))
    client = kind.client(server)
    with pytest.raises(og.ResponseDecodeError, match="not JSON"):
        await kind.to_list(client.subscriptions.list(customer="c1"))


def test_from_dict_does_not_follow_later_changes_to_the_callers_dict() -> None:
    payload = subscription_payload(extra_data={"gift": {"note": "hi"}}, unknown_thing=[1])
    model = og.from_dict(og.Subscription, payload)
    before = og.to_dict(model)
    payload["quantity"] = 999
    payload["extra_data"]["gift"]["note"] = "changed"
    payload["unknown_thing"].append(2)
    assert model.quantity == before["quantity"] != 999
    assert model.extra_data == {"gift": {"note": "hi"}}
    assert model.extra == {"unknown_thing": [1]}
    assert og.to_dict(model) == before


def test_from_dict_shares_no_container_with_the_callers_dict() -> None:
    # Every container the model holds, wherever it is (a field, a nested model, an unknown field, a value set
    # aside, an Any field), is the model's own; to_dict gives back what was passed, whatever the caller does next.
    payload = subscription_payload(
        components=[{"public_id": "c1", "quantity": 1, "product": "p1", "tags": ["a"]}],
        extra_data={"gift": {"note": "hi", "lines": [1, 2]}},
        club={"tier": ["gold"]},
        prepaid_subscription_context={"orders": [{"n": 1}]},
        quantity=["not", "a", "number"],  # set aside in unparsed
        unknown_thing={"deep": [{"x": 1}]},
    )
    before = json.loads(json.dumps(payload))
    model = og.from_dict(og.Subscription, payload)
    payload["components"][0]["tags"].append("b")
    payload["components"].append({"product": "p2"})
    payload["extra_data"]["gift"]["lines"].append(3)
    payload["club"]["tier"].clear()
    payload["prepaid_subscription_context"]["orders"][0]["n"] = 2
    payload["quantity"].append("!")
    payload["unknown_thing"]["deep"][0]["x"] = 2
    payload["public_id"] = "changed"
    assert og.to_dict(model) == before
    assert og.models.wire_payload(model) == before
    assert isinstance(model.components, list) and len(model.components) == 1
    assert model.components[0].extra == {"tags": ["a"]}
    assert model.extra_data == {"gift": {"note": "hi", "lines": [1, 2]}}
    assert model.club == {"tier": ["gold"]} and model.prepaid_subscription_context == {"orders": [{"n": 1}]}
    assert model.unparsed == {"quantity": ["not", "a", "number"]}
    assert model.extra == {"unknown_thing": {"deep": [{"x": 1}]}}
    assert model.public_id != "changed"


@pytest.mark.parametrize(
    "odd",
    [
        {"extra_data": {"ratio": math.nan}},  # no JSON spelling: kept as it is, not as null
        {"club": math.inf},
        {"total_cost": [-math.inf]},
        {"big": 2**70},
        {"when": __import__("datetime").datetime(2024, 1, 2, 3, 4, 5)},
        {"pair": (1, 2)},
        {"period": og.Period.WEEKS},
        {"text": og.JSONText('{"a": 1}')},
        {"lone": "\ud800"},
        {7: "a key that is not a string"},
    ],
    ids=repr,
)
def test_from_dict_gives_back_exactly_what_is_not_plain_json(odd: dict[Any, Any]) -> None:
    payload = subscription_payload(**{str(key): value for key, value in odd.items() if isinstance(key, str)})
    payload.update({key: value for key, value in odd.items() if not isinstance(key, str)})
    model = og.from_dict(og.Subscription, payload)
    given_back = og.to_dict(model)
    assert list(given_back) == list(payload)
    for key, value in payload.items():
        same = given_back[key] == value or repr(given_back[key]) == repr(value)  # NaN is not equal to itself
        assert same and type(given_back[key]) is type(value), key


def test_each_decoded_model_has_an_extra_of_its_own() -> None:
    # The fast path used to give every record without unknown fields one shared read-only mapping; the thorough
    # path a dict. Now both give a dict of the record's own: changing one never reaches another, and it is JSON.
    first, second = decode_list(og.Subscription, [subscription_payload(), subscription_payload()])
    assert type(first.extra) is dict and type(second.extra) is dict
    assert first.extra is not second.extra
    first.extra["mine"] = 1
    assert second.extra == {}
    assert json.dumps(second.extra) == "{}"
    assert "mine" not in og.to_dict(first)  # to_dict of a decoded model is what was received


# -- the next order ----------------------------------------------------------------------------------------------


async def test_skip_next_order_ranks_naive_and_aware_dates_together(kind: Kind) -> None:
    orders = [
        order_payload(public_id="later", place="2025-01-16 09:00:00", status=1),
        order_payload(public_id="sooner", place="2025-01-15T09:00:00+00:00", status=1),
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=page(orders))
        return httpx.Response(200, json=orders[1])

    server = Server(answer)
    client = kind.client(server)
    order = await kind.run(client.subscriptions.skip_next_order("s1"))
    assert order.public_id == "sooner"
    patches = [request for request in server.requests if request.method == "PATCH"]
    assert [request.url.path for request in patches] == ["/orders/sooner/skip_subscription/"]


async def test_summary_with_naive_and_aware_dates(kind: Kind) -> None:
    orders = [
        order_payload(public_id="o1", place="2025-01-16 09:00:00", status=1),
        order_payload(public_id="o2", place="2025-01-15T23:00:00-05:00", status=1),  # 04:00 on the 16th, UTC
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/orders/":
            return httpx.Response(200, json=page(orders))
        return httpx.Response(200, json=page([subscription_payload()]))

    client = kind.client(Server(answer))
    summary = await kind.run(client.customers.summary("c1"))
    assert summary.next_order is not None and summary.next_order.public_id == "o2"


# -- the rate limiter under threads ----------------------------------------------------------------------------


def test_the_rate_limit_gives_every_thread_its_own_slot(
    clean_env: None, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clock stands still, so each request's wait is exactly its slot: 0, 0.1, 0.2 ... with none taken twice.
    monkeypatch.setattr(_io, "monotonic", lambda: 1000.0)
    server = Server(lambda request: httpx.Response(200, json=subscription_payload()))
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = og.Ordergroove(api_key=KEY, http_client=http, rate_limit=600)
    copy = client.with_options(timeout=3.0)  # copies share the limit
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                (copy if index % 2 else client).subscriptions.retrieve("s1")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    http.close()
    assert errors == []
    assert len(server.requests) == 80
    waits = sorted([0.0, *sleeps])  # the first request does not sleep
    assert waits == pytest.approx([slot * 0.1 for slot in range(80)])
