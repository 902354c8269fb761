"""Faults on demand (statuses, delays, drops, truncation), through every way in, and the request log."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

from ._support import KEY, Api


@pytest.fixture
def sub(fake: FakeOrdergroove) -> dict[str, Any]:
    return fake.add_subscription("c1", "p1")


def cancel(api: Api, sub: dict[str, Any], **kwargs: Any) -> httpx.Response:
    return api.patch(f"/subscriptions/{sub['public_id']}/cancel/", {}, **kwargs)


@pytest.mark.parametrize("status", [500, 503, 429, 423])
def test_a_status_fault_answers_without_acting(api: Api, fake: FakeOrdergroove, sub: Any, status: int) -> None:
    fake.faults.add(status)
    response = cancel(api, sub)
    assert response.status_code == status
    assert sub["live"] is True
    [record] = fake.requests
    assert (record.status, record.applied, record.fault) == (status, False, str(status))
    assert cancel(api, sub).status_code == 200  # used up: the next one goes through
    assert sub["live"] is False


def test_default_fault_bodies(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(500)
    fake.faults.add(423)
    fake.faults.add(429)
    assert api.get("/products/").json() == {"detail": "A server error occurred."}
    assert api.get("/products/").json() == {"details": "Resource is currently in use. Please try again shortly."}
    throttled = api.get("/products/")
    assert throttled.json() == {"detail": "Request was throttled."} and "retry-after" not in throttled.headers


@pytest.mark.parametrize("status", [502, 503])
def test_gateway_errors_come_with_html(api: Api, fake: FakeOrdergroove, status: int) -> None:
    fake.faults.add(status)
    response = api.get("/products/")
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<html>") and str(status) in response.text


def test_retry_after_and_custom_body(api: Api, fake: FakeOrdergroove) -> None:
    fake.faults.add(429, retry_after=7)
    fake.faults.add(500, body={"detail": "boom"})
    fake.faults.add(500, body="plain words")
    throttled = api.get("/products/")
    assert (throttled.status_code, throttled.headers["retry-after"]) == (429, "7")
    assert api.get("/products/").json() == {"detail": "boom"}
    assert api.get("/products/").text == "plain words"


def test_times_method_and_path_select_requests(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(503, times=2, method="PATCH", path=r"/cancel/$")
    assert api.get(f"/subscriptions/{sub['public_id']}/").status_code == 200
    assert [cancel(api, sub).status_code for _ in range(3)] == [503, 503, 200]
    fake.faults.add(500, path="/orders/")  # a plain substring works too
    assert api.get("/products/").status_code == 200
    assert api.get("/orders/", params={"customer": "c1"}).status_code == 500
    assert fake.faults.pending == []


def test_times_none_is_every_matching_request_until_cleared(api: Api, fake: FakeOrdergroove) -> None:
    rule = fake.faults.add(502, times=None, path="/products/")
    assert [api.get("/products/").status_code for _ in range(3)] == [502, 502, 502]
    assert rule.remaining is None and fake.faults.pending == [rule]
    fake.faults.clear()
    assert api.get("/products/").status_code == 200


def test_drop_before_does_not_apply(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(drop="before", method="PATCH")
    with pytest.raises(httpx.RemoteProtocolError):
        cancel(api, sub)
    assert sub["live"] is True
    [record] = fake.requests
    assert (record.status, record.applied, record.fault) == (None, False, "drop-before")


def test_drop_after_applies(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(drop="after", method="PATCH")
    with pytest.raises(httpx.RemoteProtocolError):
        cancel(api, sub)
    assert sub["live"] is False
    [record] = fake.requests
    assert (record.status, record.applied, record.fault) == (200, True, "drop-after")
    assert [r.fault for r in fake.applied] == ["drop-after"]


def test_truncated_body(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(truncate=True)
    with pytest.raises(httpx.RemoteProtocolError):
        cancel(api, sub)
    assert sub["live"] is False  # the change happened; only the answer was cut short
    assert fake.requests[0].fault == "truncate"


def test_a_short_delay_still_answers(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    fake.faults.add(delay=0.01)
    assert cancel(api, sub).status_code == 200
    assert fake.requests[0].fault == "delay"


def test_a_delay_past_the_read_timeout_times_out_after_applying(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    # In process the timeout is raised at once; over the socket the server really waits (1 s, in the background).
    fake.faults.add(delay=30.0 if api.way != "socket" else 1.0)
    with pytest.raises(httpx.ReadTimeout):
        cancel(api, sub, timeout=0.2)
    assert sub["live"] is False
    assert fake.applied[0].fault == "delay"


def test_random_faults_are_seeded_and_clearable(fake: FakeOrdergroove, api: Api) -> None:
    def run(seed: int) -> list[str | None]:
        fake.requests.clear()
        fake.faults.random(rate=0.5, kinds=["500", "503", "429"], seed=seed)
        for _ in range(40):
            api.get("/products/")
        return [r.fault for r in fake.requests]

    first = run(3)
    assert first == run(3)
    assert set(first) == {None, "500", "503", "429"}
    fake.faults.clear()
    fake.requests.clear()
    assert [api.get("/products/").status_code for _ in range(5)] == [200] * 5


def test_random_faults_of_every_kind(fake: FakeOrdergroove, api: Api) -> None:
    fake.faults.random(rate=1.0, kinds=["drop-before"], seed=1, method="PATCH")
    assert api.get("/products/").status_code == 200  # not a PATCH
    with pytest.raises(httpx.RemoteProtocolError):
        api.patch("/customers/c1/update", {})
    fake.faults.random(rate=1.0, kinds=["delay"], delay=30.0 if api.way != "socket" else 1.0)
    with pytest.raises(httpx.ReadTimeout):
        api.get("/products/", timeout=0.2)
    fake.faults.random(rate=0.0)
    assert api.get("/products/").status_code == 200


def test_fault_arguments_are_checked(fake: FakeOrdergroove) -> None:
    with pytest.raises(ValueError, match="needs"):
        fake.faults.add()
    with pytest.raises(ValueError, match="drop"):
        fake.faults.add(drop="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="times"):
        fake.faults.add(500, times=0)
    with pytest.raises(ValueError, match="rate"):
        fake.faults.random(rate=2)
    with pytest.raises(ValueError, match="kinds"):
        fake.faults.random(kinds=["gremlins"])


@pytest.mark.parametrize("path", ["(", "[a-", "*cancel", "/orders/(?P<x"])
def test_a_bad_path_pattern_is_refused_when_the_fault_is_added(fake: FakeOrdergroove, path: str) -> None:
    # One rule for add() and random(): the path is a regular expression, checked when the fault is added.
    with pytest.raises(og.ConfigurationError, match=re.escape(repr(path))):
        fake.faults.add(500, path=path)
    with pytest.raises(og.ConfigurationError, match=re.escape(repr(path))):
        fake.faults.random(rate=1.0, path=path)
    assert fake.faults.rules == []
    assert fake.faults.pick("GET", f"/subscriptions/{path}") is None  # nothing was armed, nothing raises


def test_add_and_random_read_a_path_pattern_the_same_way(fake: FakeOrdergroove) -> None:
    fake.faults.add(500, times=None, path=r"^/orders/$")
    fake.faults.random(rate=1.0, kinds=["503"], path=r"^/items/$")
    assert [fake.faults.pick("GET", path) for path in ("/orders/1/", "/items/1/", "/x/orders/")] == [None] * 3
    assert [getattr(fake.faults.pick("GET", path), "status", None) for path in ("/orders/", "/items/")] == [500, 503]


@pytest.mark.parametrize("kind", ["0", "99", "600", "\u00b2", "\u0663", "5OO", "", "drop"])
def test_an_unknown_random_kind_is_refused(fake: FakeOrdergroove, kind: str) -> None:
    with pytest.raises(og.ConfigurationError, match=re.escape(repr(kind))):
        fake.faults.random(rate=1.0, kinds=["500", kind])
    assert fake.faults.pick("GET", "/products/") is None


@pytest.mark.parametrize("status", [0, 99, 600, -500, True, "500"])
def test_an_injected_status_must_be_an_http_status(fake: FakeOrdergroove, status: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="status"):
        fake.faults.add(status)
    assert fake.faults.rules == []


@pytest.mark.parametrize("delay", [-1, float("nan"), float("inf"), "30"])
def test_a_delay_must_be_a_number_of_seconds(fake: FakeOrdergroove, delay: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="delay"):
        fake.faults.add(delay=delay)
    with pytest.raises(og.ConfigurationError, match="delay"):
        fake.faults.random(rate=1.0, kinds=["delay"], delay=delay)
    assert fake.faults.rules == [] and fake.faults.pick("GET", "/products/") is None


def test_the_request_log(api: Api, fake: FakeOrdergroove, sub: Any) -> None:
    order = fake.upcoming_order(sub)
    assert order is not None
    api.v2("/orders/", params={"customer": "c1", "status": ["1", "6"]}, headers={"X-Trace": "t-1"})
    path = f"/orders/{order['public_id']}/skip_subscription/"
    api.patch(path, {"subscription": sub["public_id"]})
    api.patch(path, {"subscription": sub["public_id"]})  # the order is cancelled now: refused
    listing, skip, again = fake.requests
    assert (listing.method, listing.path, listing.status, listing.json) == ("GET", "/orders/", 200, None)
    assert dict(listing.params) == {"customer": ["c1"], "status": ["1", "6"]}
    assert listing.headers["x-og-api-version"] == "2" and listing.headers["X-TRACE"] == "t-1"
    assert "X-Api-Key" in listing.headers and listing.headers["x-api-key"] == KEY
    assert (skip.method, skip.path, skip.json, skip.status, skip.applied) == (
        "PATCH",
        path,
        {"subscription": sub["public_id"]},
        200,
        True,
    )
    assert (again.status, again.applied) == (400, False)
    # Exactly one skip reached the state.
    assert [r.path for r in fake.applied] == [path]
    with pytest.raises(AttributeError):
        skip.status = 500  # type: ignore[misc]
    with pytest.raises(TypeError):
        listing.params["customer"] = ["c2"]  # type: ignore[index]


def test_a_record_repr_shows_no_header_value(api: Api, fake: FakeOrdergroove) -> None:
    api.get("/products/", key="super-secret-key", headers=fake.storefront_headers("c1"))
    record = fake.requests[0]
    text = repr(record) + repr(record.headers) + str(record)
    assert "super-secret-key" not in text and "sig" not in text
    assert "x-api-key" in repr(record.headers)


def test_rate_limit_answers_429_above_the_limit_and_the_client_backs_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from ordergroove import _io

    fake = FakeOrdergroove.demo()
    fake.rate_limit = 3
    sleeps: list[float] = []
    monkeypatch.setattr(_io, "sleep", sleeps.append)
    with fake.client(max_retries=1) as client:
        for _ in range(3):
            client.customers.retrieve("cust_0001")
        with pytest.raises(og.RateLimitError) as refused:
            client.customers.retrieve("cust_0001")
    assert refused.value.detail == "Request was throttled."
    assert [r.status for r in fake.requests] == [200, 200, 200, 429, 429]
    assert len(sleeps) == 1  # one retry, after a backoff of its own
