"""No secret anywhere: with every logger at DEBUG and every error path taken, no API key, storefront hash key,
webhook key, Gladly signing key, Gladly API token (nor its Basic credentials) or computed signature appears in
the log, in a repr or str, in an exception's arguments or attributes, or in a formatted traceback (chained
causes included: httpx exceptions carry the request, whose headers must not reach any message).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import ordergroove as og
from ordergroove import _io, gladly
from ordergroove import testing as ogt

API_KEY = "og-api-key-S3CRET-a1b2c3"
WRONG_API_KEY = "og-api-key-WRONG-S3CRET-d4e5"
HASH_KEY = "storefront-hash-S3CRET-f6a7"
WEBHOOK_KEY = "whsec-S3CRET-b8c9d0"
GLADLY_SIGNING_KEY = "gladly-signing-S3CRET-e1f2"
GLADLY_USER = "agent@acme.example"
GLADLY_TOKEN = "gladly-token-S3CRET-a3b4"
GLADLY_BASIC = base64.b64encode(f"{GLADLY_USER}:{GLADLY_TOKEN}".encode()).decode()
NOW = dt.datetime(2025, 1, 15, 9, 0, tzinfo=dt.timezone.utc)


class Leaks:
    """Collects every text a secret could hide in, and the secrets (signatures are added as computed)."""

    def __init__(self) -> None:
        self.secrets = {API_KEY, WRONG_API_KEY, HASH_KEY, WEBHOOK_KEY, GLADLY_SIGNING_KEY, GLADLY_TOKEN, GLADLY_BASIC}
        self.texts: list[str] = []
        self.errors: list[BaseException] = []

    def error(self, exc: BaseException) -> None:
        self.errors.append(exc)
        for error in _chain(exc):
            self.texts += [str(error), repr(error), repr(error.args), repr(vars(error))]
        self.texts.append("".join(traceback.format_exception(exc)))

    def expect(self, kind: type[BaseException], call: Callable[[], Any]) -> BaseException:
        with pytest.raises(kind) as info:
            call()
        self.error(info.value)
        return info.value

    async def aexpect(self, kind: type[BaseException], call: Callable[[], Any]) -> BaseException:
        with pytest.raises(kind) as info:
            await call()
        self.error(info.value)
        return info.value

    def check(self, caplog: pytest.LogCaptureFixture) -> None:
        texts = [*self.texts, caplog.text]
        for record in caplog.records:
            texts += [record.getMessage(), repr(record.args)]
        for secret in self.secrets:
            assert secret, "an empty secret would match everything"
            leaked = [text[:200] for text in texts if secret in text]
            assert leaked == [], f"secret {secret[:6]}... leaked"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


@pytest.fixture
def leaks(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[Leaks]:
    caplog.set_level(logging.DEBUG)  # the root logger: every library logger (ordergroove, httpx, httpcore, uvicorn)
    for name in ("ordergroove", "ordergroove.gladly", "httpx", "httpcore", "uvicorn", "uvicorn.error", "starlette"):
        logging.getLogger(name).setLevel(logging.DEBUG)

    async def async_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(_io, "sleep", lambda delay: None)
    monkeypatch.setattr(_io, "async_sleep", async_sleep)
    collected = Leaks()
    yield collected
    assert collected.errors, "the test took no error path"
    collected.check(caplog)
    for name in ("ordergroove", "ordergroove.gladly", "httpx", "httpcore", "uvicorn", "uvicorn.error", "starlette"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def _served_fake() -> ogt.FakeOrdergroove:
    fake = ogt.FakeOrdergroove.demo(api_key=API_KEY)
    fake.storefront_hash_key = HASH_KEY
    return fake


def _canceled_subscription(fake: ogt.FakeOrdergroove) -> str:
    return str(next(s["public_id"] for s in fake.subscriptions.values() if not s["live"]))


def _storefront_signatures(fake: ogt.FakeOrdergroove) -> set[str]:
    found = set()
    for record in fake.requests:
        if "authorization" in record.headers:
            found.add(json.loads(record.headers["authorization"])["sig"])
    return found


def test_ordergroove_error_paths_sync(leaks: Leaks) -> None:
    fake = _served_fake()
    canceled = _canceled_subscription(fake)
    customer = next(iter(fake.customers))
    with ogt.serve(fake) as url:
        with og.Ordergroove(api_key=WRONG_API_KEY, base_url=url) as wrong:
            leaks.expect(og.PermissionDeniedError, lambda: wrong.subscriptions.retrieve(canceled))
            leaks.texts.append(repr(wrong))
        with og.Ordergroove(api_key=API_KEY, base_url=url, timeout=0.2, max_retries=1) as client:
            leaks.texts.append(repr(client))
            leaks.expect(og.NotFoundError, lambda: client.orders.retrieve("no-such-order"))
            leaks.expect(og.BadRequestError, lambda: client.subscriptions.cancel(canceled))
            for status in (500, 502, 503):
                fake.faults.add(status, times=2)
                leaks.expect(og.ServerError, lambda: client.customers.retrieve(customer))
            fake.faults.add(429, retry_after=0, times=2)
            leaks.expect(og.RateLimitError, lambda: client.customers.retrieve(customer))
            fake.faults.add(423, times=2)
            leaks.expect(og.ResourceLockedError, lambda: client.subscriptions.change_quantity(canceled, 2))
            fake.faults.add(delay=0.5, times=2)  # the first try and its retry (setting a quantity is retry-safe)
            leaks.expect(og.APITimeoutError, lambda: client.subscriptions.change_quantity(canceled, 2))
            fake.faults.add(drop="after")
            leaks.expect(og.APIConnectionError, lambda: client.orders.cancel("no-such-order"))
            fake.faults.add(truncate=True, times=2)
            leaks.expect(og.APIConnectionError, lambda: client.customers.retrieve(customer))
        auth = og.auth.StorefrontAuth(fake.merchant_public_id, "not-the-" + HASH_KEY, customer)
        leaks.secrets.add("not-the-" + HASH_KEY)
        leaks.texts.append(repr(auth))
        with og.Ordergroove(auth=auth, base_url=url) as storefront:
            leaks.expect(og.PermissionDeniedError, lambda: storefront.customers.retrieve(customer))
        good = og.auth.StorefrontAuth(fake.merchant_public_id, HASH_KEY, customer)
        with og.Ordergroove(auth=good, base_url=url) as storefront:
            leaks.expect(og.NotFoundError, lambda: storefront.orders.retrieve("someone-elses"))
    leaks.secrets |= _storefront_signatures(fake)
    assert len(leaks.secrets) >= 9  # the two storefront signatures were seen, and are checked too
    _decode_and_status_paths(leaks, lambda t: httpx.Client(transport=t))


async def test_ordergroove_error_paths_async(leaks: Leaks) -> None:
    fake = _served_fake()
    canceled = _canceled_subscription(fake)
    customer = next(iter(fake.customers))
    with ogt.serve(fake) as url:
        async with og.AsyncOrdergroove(api_key=WRONG_API_KEY, base_url=url) as wrong:
            await leaks.aexpect(og.PermissionDeniedError, lambda: wrong.subscriptions.retrieve(canceled))
        async with og.AsyncOrdergroove(api_key=API_KEY, base_url=url, timeout=0.2, max_retries=1) as client:
            leaks.texts.append(repr(client))
            await leaks.aexpect(og.NotFoundError, lambda: client.orders.retrieve("no-such-order"))
            await leaks.aexpect(og.BadRequestError, lambda: client.subscriptions.cancel(canceled))
            fake.faults.add(502, times=4, method="GET")  # both lists of the summary, each tried twice
            await leaks.aexpect(og.ServerError, lambda: client.customers.summary(customer))
            # The first list to fail cancels the other, whose last request may still arrive: faults for PATCH only.
            fake.faults.clear()
            fake.faults.add(delay=0.5, method="PATCH", times=2)  # the first try and its retry (retry-safe)
            await leaks.aexpect(og.APITimeoutError, lambda: client.subscriptions.change_quantity(canceled, 2))
            fake.faults.add(drop="before", method="PATCH")
            await leaks.aexpect(og.APIConnectionError, lambda: client.orders.send_now("no-such-order"))
        auth = og.auth.StorefrontAuth(fake.merchant_public_id, "not-the-" + HASH_KEY, customer, "recognized")
        leaks.secrets.add("not-the-" + HASH_KEY)
        async with og.AsyncOrdergroove(auth=auth, base_url=url) as storefront:
            await leaks.aexpect(og.PermissionDeniedError, lambda: storefront.subscriptions.skip_next_order("x"))
    leaks.secrets |= _storefront_signatures(fake)
    http = httpx.AsyncClient(transport=httpx.MockTransport(_mock_answer))
    async with og.AsyncOrdergroove(api_key=API_KEY, base_url="https://og.example", http_client=http) as client:
        for path in ("401", "json-200-not-a-record", "html-200", "timeout", "connect"):
            await leaks.aexpect(og.OrdergrooveError, functools.partial(client.subscriptions.retrieve, path))
        # A value of no documented form: kept by default (a warning is logged), refused by a strict client.
        kept = await client.subscriptions.retrieve("json-200-wrong-shape")
        assert kept.live is None and kept.unparsed == {"live": "yes"}
        leaks.texts += [repr(kept), repr(kept.unparsed)]
        strict = client.with_options(strict=True)
        await leaks.aexpect(og.ResponseDecodeError, lambda: strict.subscriptions.retrieve("json-200-wrong-shape"))
    async with og.AsyncOrdergroove(
        api_key=API_KEY, base_url="https://og.example", http_client=http, strict=True
    ) as strict_client:
        await leaks.aexpect(
            og.ResponseDecodeError, lambda: strict_client.subscriptions.retrieve("json-200-wrong-shape")
        )
    await http.aclose()


def _mock_answer(request: httpx.Request) -> httpx.Response:
    # Each answer echoes nothing of the request: a leak found here is the library's own.
    name = request.url.path.split("/")[2]
    if name == "timeout":
        raise httpx.ReadTimeout("timed out", request=request)
    if name == "connect":
        raise httpx.ConnectError("connection refused", request=request)
    if name == "json-200-not-a-record":  # no customer nor product: refused whatever the client's strict
        return httpx.Response(200, json={"public_id": 5, "live": "yes"})
    if name == "json-200-wrong-shape":  # a subscription whose live is of no documented form
        return httpx.Response(200, json={"public_id": "s5", "customer": "c1", "product": "p1", "live": "yes"})
    if name == "html-200":
        return httpx.Response(200, text="<html>maintenance</html>")
    return httpx.Response(int(name), json={"detail": "Authentication credentials were not provided."})


def _decode_and_status_paths(leaks: Leaks, make: Callable[[httpx.MockTransport], httpx.Client]) -> None:
    http = make(httpx.MockTransport(_mock_answer))
    with og.Ordergroove(api_key=API_KEY, base_url="https://og.example", http_client=http, max_retries=1) as client:
        leaks.expect(og.AuthenticationError, lambda: client.subscriptions.retrieve("401"))
        leaks.expect(og.PermissionDeniedError, lambda: client.subscriptions.retrieve("403"))
        leaks.expect(og.BadRequestError, lambda: client.subscriptions.retrieve("400"))
        leaks.expect(og.ServerError, lambda: client.subscriptions.retrieve("500"))
        leaks.expect(og.ResponseDecodeError, lambda: client.subscriptions.retrieve("json-200-not-a-record"))
        kept = client.subscriptions.retrieve("json-200-wrong-shape")  # kept by default, a warning logged
        assert kept.live is None and kept.unparsed == {"live": "yes"}
        leaks.texts += [repr(kept), repr(kept.unparsed)]
        strict = client.with_options(strict=True)
        leaks.expect(og.ResponseDecodeError, lambda: strict.subscriptions.retrieve("json-200-wrong-shape"))
        leaks.expect(og.ResponseDecodeError, lambda: client.subscriptions.retrieve("html-200"))
        leaks.expect(og.APITimeoutError, lambda: client.subscriptions.retrieve("timeout"))
        leaks.expect(og.APIConnectionError, lambda: client.subscriptions.change_quantity("connect", 1))
    with og.Ordergroove(api_key=API_KEY, base_url="https://og.example", http_client=http, strict=True) as client:
        leaks.expect(og.ResponseDecodeError, lambda: client.subscriptions.retrieve("json-200-wrong-shape"))
    http.close()


def test_webhook_verification_failures(leaks: Leaks) -> None:
    payload = b'{"id": "evt_1", "type": "subscription.cancel", "created": 1736931600, "data": {"object": {}}}'
    ts = 1736931600
    expected = og.webhooks.sign(payload, WEBHOOK_KEY, timestamp=ts).split("sig=")[1]
    forged = og.webhooks.sign(payload, "another-key", timestamp=ts)
    leaks.secrets |= {expected, forged.split("sig=")[1]}
    leaks.expect(og.WebhookVerificationError, lambda: og.webhooks.verify(payload, forged, WEBHOOK_KEY, now=ts))
    leaks.expect(
        og.WebhookVerificationError,
        lambda: og.webhooks.construct_event(payload + b" ", f"ts={ts},sig={expected}", WEBHOOK_KEY, now=ts),
    )
    stale = og.webhooks.sign(payload, WEBHOOK_KEY, timestamp=ts - 10_000)
    leaks.secrets.add(stale.split("sig=")[1])
    leaks.expect(og.WebhookVerificationError, lambda: og.webhooks.verify(payload, stale, WEBHOOK_KEY, now=ts))
    leaks.expect(og.WebhookVerificationError, lambda: og.webhooks.verify(payload, "ts=1,sig=zz", WEBHOOK_KEY, now=ts))


def _gladly_signature(headers: dict[str, str]) -> str:
    return headers["Gladly-Authorization"].rsplit("Signature=", 1)[1]


def test_gladly_signature_failures(leaks: Leaks) -> None:
    body = b'{"query": {"emails": ["a@b.example"]}}'
    base = {"content-type": "application/json", "host": "svc.example"}
    good = gladly.sign_request("POST", "/lookup", "", base, body, GLADLY_SIGNING_KEY, now=NOW)
    forged = gladly.sign_request("POST", "/lookup", "", base, body, "not-the-signing-key", now=NOW)
    leaks.secrets |= {_gladly_signature(good), _gladly_signature(forged)}
    for headers, when in (({**base, **forged}, NOW), ({**base, **good}, NOW + dt.timedelta(hours=1))):
        leaks.expect(
            gladly.GladlySignatureError,
            functools.partial(
                gladly.verify_request, "POST", "/lookup", "", headers, body, GLADLY_SIGNING_KEY, now=when
            ),
        )
    tampered = {**base, **good}
    leaks.expect(
        gladly.GladlySignatureError,
        lambda: gladly.verify_request("POST", "/lookup", "", tampered, body + b" ", GLADLY_SIGNING_KEY, now=NOW),
    )


async def test_gladly_service_refusals_and_upstream_errors(leaks: Leaks) -> None:
    fake = _served_fake()
    http = httpx.AsyncClient(transport=fake.async_transport())
    client = og.AsyncOrdergroove(api_key=WRONG_API_KEY, base_url=fake.base_url, http_client=http)
    app = gladly.create_app(client, signing_key=GLADLY_SIGNING_KEY, basic_auth=(GLADLY_USER, GLADLY_TOKEN))
    basic = {"authorization": f"Basic {GLADLY_BASIC}", "content-type": "application/json"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc.example") as service:
        for path, body in (("/actions/getSubscriptionById", b'{"subscriptionId": "s1"}'), ("/lookup", b"{}")):
            signed = gladly.sign_request("POST", path, "", {**basic, "host": "svc.example"}, body, GLADLY_SIGNING_KEY)
            forged = gladly.sign_request("POST", path, "", {**basic, "host": "svc.example"}, body, "nope")
            leaks.secrets |= {_gladly_signature(signed), _gladly_signature(forged)}
            refused = await service.post(path, content=body, headers={**basic, **forged})
            assert refused.status_code == 401
            answered = await service.post(path, content=body, headers={**basic, **signed})
            assert "errors" in answered.json() or answered.json() == {"results": []}  # Ordergroove refused the key
            leaks.texts += [refused.text, answered.text]
    await http.aclose()
    leaks.texts.append(repr(client))
    leaks.error(og.OrdergrooveError("the service's answers were collected"))


def _gladly_answer(request: httpx.Request) -> httpx.Response:
    customer = request.url.path.split("/")[4]
    if customer == "timeout":
        raise httpx.ReadTimeout("timed out", request=request)
    if customer == "refused":
        raise httpx.ConnectError("refused", request=request)
    status = int(customer)
    body = {"errors": [{"attr": "id", "code": "invalid", "detail": "no"}]} if status == 400 else {}
    return httpx.Response(status, json=body, headers={"Retry-After": "0"} if status == 429 else {})


NOTE: dict[str, Any] = {"title": "Canceled", "body": "By the agent", "occurred_at": NOW}


def test_gladly_api_errors_sync(leaks: Leaks, monkeypatch: pytest.MonkeyPatch) -> None:
    from ordergroove.gladly import _io as gladly_io

    monkeypatch.setattr(gladly_io, "sleep", lambda delay: None)
    http = httpx.Client(transport=httpx.MockTransport(_gladly_answer))
    with gladly.GladlyClient("https://acme.gladly.example", GLADLY_USER, GLADLY_TOKEN, http_client=http) as notes:
        leaks.texts.append(repr(notes))
        for customer in ("400", "401", "403", "404", "429", "500", "503"):
            leaks.expect(gladly.GladlyAPIError, functools.partial(notes.add_activity, customer, **NOTE))
        leaks.expect(og.APITimeoutError, lambda: notes.add_activity("timeout", **NOTE, item_id="note-1"))
        leaks.expect(og.APIConnectionError, lambda: notes.add_activity("refused", **NOTE))
    http.close()


async def test_gladly_api_errors_async(leaks: Leaks, monkeypatch: pytest.MonkeyPatch) -> None:
    from ordergroove.gladly import _io as gladly_io

    async def no_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(gladly_io, "async_sleep", no_sleep)
    http = httpx.AsyncClient(transport=httpx.MockTransport(_gladly_answer))
    async with gladly.AsyncGladlyClient(
        "https://acme.gladly.example", GLADLY_USER, GLADLY_TOKEN, http_client=http
    ) as notes:
        leaks.texts.append(repr(notes))
        for customer in ("401", "403", "429", "502"):
            await leaks.aexpect(gladly.GladlyAPIError, functools.partial(notes.add_activity, customer, **NOTE))
        await leaks.aexpect(og.APITimeoutError, lambda: notes.add_activity("timeout", **NOTE))
    await http.aclose()


def test_the_check_finds_a_leak(caplog: pytest.LogCaptureFixture) -> None:
    # The checker itself can fail: a key written to the log is caught.
    caplog.set_level(logging.DEBUG)
    logging.getLogger("ordergroove").debug("sending with %s", API_KEY)
    with pytest.raises(AssertionError, match="leaked"):
        Leaks().check(caplog)
