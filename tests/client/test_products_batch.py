"""products-batch: chunks of 100, results in order, 429 honoured, the 600/min limiter, and the emulator's side."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from conftest import API_KEY, Api, Sleeps, url
from pytest_httpx import HTTPXMock

import ordergroove as og
from ordergroove import _io
from ordergroove.feed import FeedProduct
from ordergroove.testing import FakeOrdergroove

CREATE = url("/products-batch/create/")
UPDATE = url("/products-batch/update/")


def product(n: int, **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "product_id": f"p-{n:04d}",
        "sku": f"SKU-{n}",
        "name": f"Product {n}",
        "price": Decimal("19.99"),
        "live": True,
        "image_url": f"https://cdn.example/{n}.png",
        "detail_url": f"https://shop.example/{n}",
    }
    item.update(changes)
    return item


def answer_in_reverse(request: httpx.Request) -> httpx.Response:
    """Ordergroove's 207, its results listed in the reverse order (the client puts them back in order)."""
    items = json.loads(request.content)
    results = [{"product_id": item["product_id"], "status": 400 if item["sku"] == "BAD" else 200} for item in items]
    return httpx.Response(207, json={"results": results[::-1]})


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limiter reads the monotonic clock: frozen here, so the delays it asks for are exact.
    monkeypatch.setattr(_io, "monotonic", lambda: 1000.0)


@pytest.mark.parametrize("kind", ["create", "update"])
async def test_250_products_make_3_calls_with_results_in_order(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, fixed_clock: None, kind: str
) -> None:
    httpx_mock.add_callback(answer_in_reverse, url=CREATE if kind == "create" else UPDATE, is_reusable=True)
    products = [product(n) for n in range(250)]
    products[120]["sku"] = "BAD"
    results = await api.run(lambda c: getattr(c.products, f"batch_{kind}")(iter(products)))
    assert [r.product_id for r in results] == [p["product_id"] for p in products]
    assert [r.ok for r in results] == [n != 120 for n in range(250)]
    assert results[120].status == 400 and isinstance(results[0], og.BatchResult)
    requests = httpx_mock.get_requests()
    assert [r.method for r in requests] == ["POST" if kind == "create" else "PATCH"] * 3
    assert [len(json.loads(r.content)) for r in requests] == [100, 100, 50]
    assert og.PRODUCTS_BATCH_SIZE == 100  # the public name of the chunk size
    assert all(r.headers["x-api-key"] == API_KEY for r in requests)
    first = json.loads(requests[0].content)[0]
    assert first == {**product(0), "price": 19.99}  # a JSON number, the exact digits
    # 600 a minute: one call every 0.1 s, whatever the number of calls.
    assert sleeps == pytest.approx([0.1, 0.2])


async def test_the_limit_is_shared_by_create_update_and_with_options_copies(
    api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps, fixed_clock: None
) -> None:
    httpx_mock.add_callback(answer_in_reverse, is_reusable=True)
    await api.run(lambda c: c.products.batch_create([product(1)]))
    await api.run(lambda c: c.products.batch_update([product(1)]))
    await api.run(lambda c: c.with_options(timeout=3).products.batch_update([product(1)]))
    assert sleeps == pytest.approx([0.1, 0.2])


async def test_429_is_honoured_with_retry_after(api: Api, httpx_mock: HTTPXMock, sleeps: Sleeps) -> None:
    httpx_mock.add_response(url=CREATE, status_code=429, headers={"Retry-After": "7"}, json={"detail": "throttled"})
    httpx_mock.add_callback(answer_in_reverse, url=CREATE)
    results = await api.run(lambda c: c.products.batch_create([product(1), product(2)]))
    assert [r.product_id for r in results] == ["p-0001", "p-0002"]
    assert 7.0 in sleeps
    assert len(httpx_mock.get_requests()) == 2


async def test_429_without_retries_left_is_a_rate_limit_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE, status_code=429, headers={"Retry-After": "3"}, json={"detail": "throttled"})
    client = api.make(max_retries=0)
    one = product(1)
    with pytest.raises(og.BatchError) as caught:
        await api.run(lambda c: c.products.batch_create([one]), client)
    # A failed request of a batch call is a BatchError, the first one's too; the error itself is its cause.
    assert isinstance(caught.value.error, og.RateLimitError) and caught.value.__cause__ is caught.value.error
    assert caught.value.error.retry_after == 3.0
    assert (caught.value.results, caught.value.unknown, caught.value.not_applied) == ([], [], [one])


async def test_403_is_permission_denied(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=UPDATE, status_code=403, json={"detail": "You do not have permission."})
    with pytest.raises(og.BatchError, match="You do not have permission") as caught:
        await api.run(lambda c: c.products.batch_update([product(1)]))
    assert isinstance(caught.value.error, og.PermissionDeniedError) and not caught.value.outcome_unknown


# -- a request that fails after others were applied ------------------------------------------------------------

# How request 2 of 3 fails, and whether its products may have been applied all the same.
FAILURES: list[tuple[str, Callable[[HTTPXMock, str], None], type[og.OrdergrooveError], bool]] = [
    (
        "400",
        lambda mock, endpoint: mock.add_response(url=endpoint, status_code=400, json={"detail": "Malformed."}),
        og.BadRequestError,
        False,
    ),
    (
        "503",
        lambda mock, endpoint: mock.add_response(url=endpoint, status_code=503, text="<html>busy</html>"),
        og.ServerError,
        True,
    ),
    (
        "dropped",
        lambda mock, endpoint: mock.add_exception(httpx.ReadError("connection reset by peer"), url=endpoint),
        og.APIConnectionError,
        True,
    ),
]


@pytest.mark.parametrize("kind", ["create", "update"])
@pytest.mark.parametrize(("failure", "fail", "cause", "unknown"), FAILURES, ids=[f[0] for f in FAILURES])
async def test_a_failed_request_raises_what_was_applied_and_what_was_not(
    api: Api,
    httpx_mock: HTTPXMock,
    sleeps: Sleeps,
    kind: str,
    failure: str,
    fail: Callable[[HTTPXMock, str], None],
    cause: type[og.OrdergrooveError],
    unknown: bool,
) -> None:
    endpoint = CREATE if kind == "create" else UPDATE
    httpx_mock.add_callback(answer_in_reverse, url=endpoint)
    fail(httpx_mock, endpoint)
    products = [product(n) for n in range(250)]
    products[7]["sku"] = "BAD"  # refused by Ordergroove in request 1: a result, not an error
    with pytest.raises(og.BatchError) as caught:
        await api.run(lambda c: getattr(c.products, f"batch_{kind}")(iter(products)))
    error = caught.value
    # Request 1 was applied: its results, in order, as the call would have returned them.
    assert [r.product_id for r in error.results] == [p["product_id"] for p in products[:100]]
    assert [r.ok for r in error.results] == [n != 7 for n in range(100)]
    # Request 2: maybe applied (a 5xx, a connection lost after sending) or clearly refused; request 3: never sent.
    assert error.outcome_unknown is unknown
    assert error.unknown == (products[100:200] if unknown else [])
    assert error.not_applied == (products[200:] if unknown else products[100:])
    assert error.not_applied[-1] is products[-1]  # the objects given, ready to send again
    assert isinstance(error.error, cause) and error.__cause__ is error.error
    assert len(httpx_mock.get_requests()) == 2  # nothing re-sent, nothing after the failure
    text = str(error)
    assert "request 2 of 3" in text and "100 answered" in text and f"{cause.__name__}" in text
    assert ("100 of unknown outcome" in text) is unknown
    assert f"{50 if unknown else 150} not applied" in text
    assert API_KEY not in text and API_KEY not in repr(error) and "Product 1" not in text


async def test_a_batch_error_is_an_ordergroove_error_of_the_public_names() -> None:
    assert og.BatchError is og.errors.BatchError and issubclass(og.BatchError, og.OrdergrooveError)
    assert "BatchError" in og.__all__ and "BatchError" in og.errors.__all__


async def test_force_all_fields_and_partial_updates(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_callback(answer_in_reverse, url=UPDATE + "?force_all_fields=false")
    results = await api.run(
        lambda c: c.products.batch_update([{"product_id": "p-1", "sku": "S", "price": 5}], force_all_fields=False)
    )
    assert [r.ok for r in results] == [True]
    assert json.loads(httpx_mock.get_requests()[0].content) == [{"product_id": "p-1", "sku": "S", "price": 5}]


async def test_feed_products_are_sent_with_products_batch_names(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_callback(answer_in_reverse, url=CREATE)
    feed_product = FeedProduct(
        "Coffee",
        "p-9",
        "SKU-9",
        "7.50",
        "https://shop.example/9",
        "https://cdn.example/9.png",
        True,
        autoship_eligible=True,
        every=2,
        every_period=og.Period.WEEKS,
        extra_data={"variant_name": "1 kg"},
    )
    await api.run(lambda c: c.products.batch_create([feed_product]))
    assert json.loads(httpx_mock.get_requests()[0].content) == [
        {
            "product_id": "p-9",
            "sku": "SKU-9",
            "name": "Coffee",
            "price": 7.5,
            "live": True,
            "image_url": "https://cdn.example/9.png",
            "detail_url": "https://shop.example/9",
            "autoship_enabled": True,
            "every": 2,
            "every_period": 2,
            "extra_data": {"variant_name": "1 kg"},
        }
    ]


BAD: list[tuple[str, Any, str]] = [
    ("missing", {"product_id": "p-1", "sku": "S"}, r"products\[150\] \(p-1\) lacks name, price, live"),
    ("no id", {"sku": "S"}, r"products\[150\].product_id is required"),
    ("price", product(1, price="abc"), r"price must be a number"),
    ("live", product(1, live="yes"), r"live must be True or False"),
    ("type", "p-1", r"must be a mapping of products-batch fields"),
]


@pytest.mark.parametrize(("case", "bad", "message"), BAD, ids=[b[0] for b in BAD])
async def test_every_product_is_checked_before_the_first_call(
    api: Api, httpx_mock: HTTPXMock, case: str, bad: Any, message: str
) -> None:
    products: list[Any] = [product(n) for n in range(300)]
    products[150] = bad
    with pytest.raises(og.ConfigurationError, match=message):
        await api.run(lambda c: c.products.batch_create(products))
    with pytest.raises(og.ConfigurationError, match="not a single one"):
        await api.run(lambda c: c.products.batch_create(product(1)))
    assert httpx_mock.get_requests() == []


async def test_an_empty_list_sends_nothing(api: Api, httpx_mock: HTTPXMock) -> None:
    assert await api.run(lambda c: c.products.batch_update([])) == []
    assert httpx_mock.get_requests() == []


async def test_results_that_do_not_match_are_kept_as_sent(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=CREATE, status_code=207, json={"results": [{"product_id": "other", "status": 200}]})
    results = await api.run(lambda c: c.products.batch_create([product(1), product(2)]))
    assert [r.product_id for r in results] == ["other"]
    httpx_mock.add_response(url=CREATE, status_code=207, json={"nope": []})
    with pytest.raises(og.BatchError, match="'results' list") as caught:
        await api.run(lambda c: c.products.batch_create([product(1)]))
    # Answered, but not readably: the product may have been applied.
    assert isinstance(caught.value.error, og.ResponseDecodeError) and caught.value.unknown == [product(1)]


# -- the emulator ------------------------------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def _call(fake_client: Any, fn: Any) -> Any:
    result = fn(fake_client)
    if hasattr(result, "__await__"):
        return await result
    return result


async def test_emulator_creates_updates_and_reads_back(kind: str, sleeps: Sleeps) -> None:
    fake = FakeOrdergroove(seed=1)
    client: Any = fake.async_client() if kind == "async" else fake.client()
    try:
        created = await _call(client, lambda c: c.products.batch_create([product(n) for n in range(150)]))
        assert [r.status for r in created] == [200] * 150
        again = await _call(client, lambda c: c.products.batch_create([product(1), product(500, every=0)]))
        assert [(r.product_id, r.status) for r in again] == [("p-0001", 400), ("p-0500", 400)]
        assert again[1].extra["errors"] == {"every": ["A valid integer is required."]}
        updated = await _call(
            client,
            lambda c: c.products.batch_update(
                [{"product_id": "p-0003", "price": "4.25", "live": False}, {"product_id": "p-9999"}],
                force_all_fields=False,
            ),
        )
        assert [(r.product_id, r.status, r.ok) for r in updated] == [("p-0003", 200, True), ("p-9999", 404, False)]
        read = await _call(client, lambda c: c.products.retrieve("p-0003"))
        assert (read.price, read.live, read.name) == (Decimal("4.25"), False, "Product 3")
        with pytest.raises(og.ConfigurationError, match="lacks sku, name"):
            await _call(client, lambda c: c.products.batch_update([{"product_id": "p-0004", "price": 1}]))
        # Sent anyway, the emulator refuses it as Ordergroove does: every field is required unless told otherwise.
        raw = fake.handle(
            "PATCH", "/products-batch/update/", headers={"x-api-key": fake.api_key}, body=b'[{"product_id": "p-0004"}]'
        )
        [result] = json.loads(raw.body)["results"]
        assert raw.status == 207 and result["status"] == 400 and "name" in result["errors"]
    finally:
        await _close(client, kind)


async def test_emulator_limit_answers_429_with_retry_after(kind: str, sleeps: Sleeps) -> None:
    fake = FakeOrdergroove(seed=1)
    fake.batch_rate_limit = 2
    client: Any = fake.async_client(max_retries=0) if kind == "async" else fake.client(max_retries=0)
    try:
        for n in range(2):
            await _call(client, lambda c, n=n: c.products.batch_create([product(n)]))
        with pytest.raises(og.BatchError) as caught:
            await _call(client, lambda c: c.products.batch_create([product(3)]))
        refused = caught.value.error
        assert isinstance(refused, og.RateLimitError)
        assert refused.retry_after is not None and 1 <= refused.retry_after <= 60
        fake.clock.advance(60)
        assert (await _call(client, lambda c: c.products.batch_create([product(3)])))[0].ok
    finally:
        await _close(client, kind)


def test_emulator_refuses_bad_batches() -> None:
    fake = FakeOrdergroove(seed=1)
    headers = {"x-api-key": fake.api_key}
    too_many = json.dumps([{"product_id": str(n)} for n in range(101)]).encode()
    assert fake.handle("POST", "/products-batch/create/", headers=headers, body=too_many).status == 400
    assert fake.handle("POST", "/products-batch/create/", headers=headers, body=b"{}").status == 400
    assert fake.handle("POST", "/products-batch/create/", headers=headers, body=b"[").status == 400
    assert fake.handle("PATCH", "/products-batch/create/", headers=headers, body=b"[]").status == 405
    assert fake.handle("POST", "/products-batch/create/", body=b"[]").status == 401
    assert fake.handle("POST", "/products-batch/create/", headers={"x-api-key": "no"}, body=b"[]").status == 403


# -- a failed request, on the emulator: what the error says was applied is what the emulator holds -------------------


def _emulator_client(fake: FakeOrdergroove, kind: str, **options: Any) -> Any:
    """A client of the emulator whose second products-batch request meets the faults ``options["then"]`` adds."""
    then = options.pop("then")
    answered = [0]

    def after_response(response: httpx.Response) -> None:
        if "products-batch" in response.request.url.path:
            answered[0] += 1
            if answered[0] == 1:
                then(fake)

    async def after_response_async(response: httpx.Response) -> None:
        after_response(response)

    if kind == "async":
        http: Any = httpx.AsyncClient(
            transport=fake.async_transport(), event_hooks={"response": [after_response_async]}
        )
        return fake.async_client(http_client=http, **options)
    return fake.client(
        http_client=httpx.Client(transport=fake.transport(), event_hooks={"response": [after_response]}), **options
    )


async def _close(client: Any, kind: str) -> None:
    if kind == "async":
        await client.aclose()
    else:
        client.close()


async def test_emulator_second_request_refused_then_the_rest_sent_again(kind: str, sleeps: Sleeps) -> None:
    fake = FakeOrdergroove(seed=1)

    def limit(fake: FakeOrdergroove) -> None:
        fake.batch_rate_limit = 1  # the next request: 429, a clear refusal

    client = _emulator_client(fake, kind, max_retries=0, then=limit)
    products = [product(n) for n in range(250)]
    try:
        with pytest.raises(og.BatchError) as caught:
            await _call(client, lambda c: c.products.batch_create(products))
        error = caught.value
        assert isinstance(error.error, og.RateLimitError) and not error.outcome_unknown
        assert [r.ok for r in error.results] == [True] * 100
        assert error.not_applied == products[100:]
        assert set(fake.products) == {p["product_id"] for p in products[:100]}
        # Sending what was not applied completes the catalog, none created twice (a repeat would be refused).
        fake.batch_rate_limit = None
        again = await _call(client, lambda c: c.products.batch_create(error.not_applied))
        assert [r.ok for r in again] == [True] * 150
        assert set(fake.products) == {p["product_id"] for p in products}
    finally:
        await _close(client, kind)


async def test_emulator_second_request_dropped_is_of_unknown_outcome(kind: str, sleeps: Sleeps) -> None:
    fake = FakeOrdergroove(seed=1)

    def drop(fake: FakeOrdergroove) -> None:
        fake.faults.add(drop="after")  # the next request is applied, then its connection dropped

    client = _emulator_client(fake, kind, then=drop)
    products = [product(n) for n in range(250)]
    try:
        with pytest.raises(og.BatchError) as caught:
            await _call(client, lambda c: c.products.batch_create(products))
        error = caught.value
        assert isinstance(error.error, og.APIConnectionError) and error.error.request_sent
        assert error.outcome_unknown
        assert [r.ok for r in error.results] == [True] * 100
        assert error.unknown == products[100:200] and error.not_applied == products[200:]
        # Not re-sent (a bulk operation); the third request never sent.
        assert [r.fault for r in fake.requests] == [None, "drop-after"]
        # What the error calls unknown was in fact applied here: to be checked, not sent again blindly.
        assert set(fake.products) == {p["product_id"] for p in products[:200]}
    finally:
        await _close(client, kind)


def _check_interrupted(stop: BaseException, products: list[dict[str, Any]], interruption: type[BaseException]) -> None:
    """An interruption during request 2 of 3 goes on as it is, carrying what was applied (`.batch`)."""
    batch = getattr(stop, "batch", None)
    assert isinstance(batch, og.BatchError) and batch.error is stop
    assert [r.product_id for r in batch.results] == [p["product_id"] for p in products[:100]]
    # Request 2 may have been sent: its products are of unknown outcome, never "not applied"; request 3 was not sent.
    assert batch.outcome_unknown and batch.unknown == products[100:200] and batch.not_applied == products[200:]
    text = str(batch)
    assert f"request 2 of 3 was interrupted ({interruption.__name__})" in text and "100 answered" in text
    assert API_KEY not in text and "Product 1" not in text


@pytest.mark.parametrize("kind", ["create", "update"])
def test_an_interrupted_batch_says_what_was_applied(httpx_mock: HTTPXMock, kind: str) -> None:
    # Ctrl-C while request 2 of 3 is on its way: the KeyboardInterrupt stops the call, with the results of request 1.
    # (The async client is stopped by cancellation, below: asyncio turns Ctrl-C into a cancelled main task.)
    endpoint = CREATE if kind == "create" else UPDATE
    httpx_mock.add_callback(answer_in_reverse, url=endpoint)

    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    httpx_mock.add_callback(interrupt, url=endpoint)
    products = [product(n) for n in range(250)]
    with og.Ordergroove(api_key=API_KEY) as client, pytest.raises(KeyboardInterrupt) as caught:
        getattr(client.products, f"batch_{kind}")(iter(products))
    _check_interrupted(caught.value, products, KeyboardInterrupt)
    assert len(httpx_mock.get_requests()) == 2


async def test_a_cancelled_async_batch_says_what_was_applied(httpx_mock: HTTPXMock) -> None:
    # The task running the batch is cancelled while request 2 of 3 waits for its answer: the CancelledError goes on
    # (asyncio.timeout and task groups rely on it), with the results of request 1.
    httpx_mock.add_callback(answer_in_reverse, url=CREATE)
    waiting = asyncio.Event()

    async def never_answer(request: httpx.Request) -> httpx.Response:
        waiting.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable: the task is cancelled first")

    httpx_mock.add_callback(never_answer, url=CREATE)
    products = [product(n) for n in range(250)]
    async with og.AsyncOrdergroove(api_key=API_KEY) as client:
        task = asyncio.create_task(client.products.batch_create(products))
        await waiting.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as caught:
            await task
    _check_interrupted(caught.value, products, asyncio.CancelledError)
    assert len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_batch_interrupted_before_its_request_is_sent_says_it_was_not_applied(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # Request 2 is refused with a 429 (never applied), and the batch is interrupted while waiting to send it again
    # (the same wait as the rate limiter's): its products were not applied, not of unknown outcome.
    httpx_mock.add_callback(answer_in_reverse, url=CREATE)
    httpx_mock.add_response(url=CREATE, status_code=429, headers={"Retry-After": "30"}, json={"detail": "slow"})
    interruption: type[BaseException] = KeyboardInterrupt if kind == "sync" else asyncio.CancelledError

    def interrupt(delay: float) -> None:
        if delay == 30:  # (not a wait of the products-batch rate limit)
            raise interruption

    async def async_interrupt(delay: float) -> None:
        interrupt(delay)

    monkeypatch.setattr(_io, "sleep", interrupt)
    monkeypatch.setattr(_io, "async_sleep", async_interrupt)
    products = [product(n) for n in range(250)]
    with pytest.raises(interruption) as caught:
        if kind == "sync":
            with og.Ordergroove(api_key=API_KEY) as client:
                client.products.batch_create(products)
        else:
            async with og.AsyncOrdergroove(api_key=API_KEY) as aclient:
                await aclient.products.batch_create(products)
    batch = getattr(caught.value, "batch", None)
    assert isinstance(batch, og.BatchError) and batch.error is caught.value
    assert [r.product_id for r in batch.results] == [p["product_id"] for p in products[:100]]
    assert not batch.outcome_unknown and batch.not_applied == products[100:]
    assert "request 2 of 3 was interrupted" in str(batch) and len(httpx_mock.get_requests()) == 2


async def test_a_timeout_around_an_async_batch_carries_its_account_on_the_cause(httpx_mock: HTTPXMock) -> None:
    # asyncio.wait_for (and asyncio.timeout) turns the cancellation into TimeoutError: the account is on its cause.
    httpx_mock.add_callback(answer_in_reverse, url=CREATE)

    async def never_answer(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable: the timeout cancels first")

    httpx_mock.add_callback(never_answer, url=CREATE)
    products = [product(n) for n in range(250)]
    async with og.AsyncOrdergroove(api_key=API_KEY) as client:
        # (Long enough for request 2 to leave: products-batch requests are 0.1 s apart, its rate limit.)
        with pytest.raises(asyncio.TimeoutError) as caught:
            await asyncio.wait_for(client.products.batch_create(products), 0.5)
    stop = caught.value.__cause__
    assert isinstance(stop, asyncio.CancelledError)
    _check_interrupted(stop, products, asyncio.CancelledError)
