"""A dated GraphQL version's deprecation and sunset (sync and async): its answers' ``Sunset`` header is logged
once per client; past its sunset it answers 410 Gone, raised as ``og.VersionSunsetError``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from emulated import FLAVOURS, run

import ordergroove as og
from ordergroove._sunset import sunset_date, sunset_warning
from ordergroove.testing import FakeOrdergroove

pytest.importorskip("graphql")

QUERY = '{ order(publicId: "no-such-order") { publicId } }'
HTTP_DATE = "Sat, 01 Jan 2028 00:00:00 GMT"


def _sunset_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ordergroove" and "sunset" in r.getMessage().lower()]


def _graphql_requests(fake: FakeOrdergroove) -> list[Any]:
    return [r for r in fake.requests if r.path.startswith("/graphql/")]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_deprecated_version_answers_and_warns_once_per_client(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeOrdergroove()
    fake.deprecate_graphql_version("2026-01", sunset=HTTP_DATE)
    caplog.set_level(logging.WARNING, logger="ordergroove")

    def three_queries(client: Any) -> Any:
        async def go() -> list[Any]:
            copy = client.with_options(timeout=5)  # a copy is the same client: no second warning
            return [
                await client.graphql.query(QUERY),
                await client.graphql.query(QUERY),
                await copy.graphql.query(QUERY),
            ]

        if flavour == "async":
            return go()
        copy = client.with_options(timeout=5)
        return [client.graphql.query(QUERY), client.graphql.query(QUERY), copy.graphql.query(QUERY)]

    assert run(flavour, fake, three_queries) == [{"order": None}] * 3
    [warning] = _sunset_warnings(caplog)
    assert "version 2026-01 is deprecated" in warning
    assert repr(HTTP_DATE) in warning  # the date as sent (its format is unconfirmed), then as read
    assert "(2028-01-01)" in warning and "graphql_version" in warning and "410" in warning
    assert fake.api_key not in warning
    # Another client warns again: once per client.
    run(flavour, fake, lambda c: c.graphql.query(QUERY))
    assert len(_sunset_warnings(caplog)) == 2
    assert all(r.headers.get("sunset") is None for r in _graphql_requests(fake))  # a header of the answer only


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_version_past_its_sunset_raises_version_sunset_error(flavour: str) -> None:
    fake = FakeOrdergroove()
    fake.sunset_graphql_version("2026-01")
    with pytest.raises(og.VersionSunsetError) as caught:
        run(flavour, fake, lambda c: c.graphql.query(QUERY), max_retries=3)
    error = caught.value
    assert isinstance(error, og.APIStatusError) and not isinstance(error, og.GraphQLError)
    assert error.status_code == 410 and error.version == "2026-01"
    assert "GraphQL API version 2026-01 is past its sunset date" in str(error)
    assert "set graphql_version to a current version" in str(error)
    assert "use a newer version" in str(error)  # what the server said
    assert len(_graphql_requests(fake)) == 1  # a 410 is not retried
    # The typed calls raise it too; another version still answers.
    with pytest.raises(og.VersionSunsetError):
        run(flavour, fake, lambda c: c.graphql.subscriptions(customer="x"))
    assert run(flavour, fake, lambda c: c.graphql.query(QUERY), graphql_version="unstable") == {"order": None}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_410_from_unstable_is_no_sunset(flavour: str) -> None:
    fake = FakeOrdergroove()
    fake.faults.add(410, path="/graphql/unstable/")
    with pytest.raises(og.APIStatusError) as caught:
        run(flavour, fake, lambda c: c.graphql.query(QUERY), graphql_version="unstable")
    assert caught.value.status_code == 410 and not isinstance(caught.value, og.VersionSunsetError)


def test_a_sunset_header_on_a_rest_answer_is_logged_once_too(caplog: pytest.LogCaptureFixture) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"merchant_user_id": "c1"}, headers={"Sunset": "2027-06-30"}, request=request)

    caplog.set_level(logging.WARNING, logger="ordergroove")
    http = httpx.Client(transport=httpx.MockTransport(answer), base_url="https://og.test")
    with og.Ordergroove(api_key="k-secret", base_url="https://og.test", http_client=http) as client:
        client.customers.retrieve("c1")
        client.customers.retrieve("c1")
    [warning] = _sunset_warnings(caplog)
    assert warning.startswith("Ordergroove announces a sunset date of '2027-06-30'")
    assert "GET /customers/c1/" in warning and "k-secret" not in warning


def test_the_sunset_date_is_read_in_one_place() -> None:
    utc = dt.timezone.utc
    assert sunset_date(HTTP_DATE) == dt.datetime(2028, 1, 1, tzinfo=utc)
    assert sunset_date("2027-06-30") == dt.datetime(2027, 6, 30, tzinfo=utc)
    assert sunset_date("2027-06-30T12:00:00Z") == dt.datetime(2027, 6, 30, 12, tzinfo=utc)
    assert sunset_date("next spring") is None and sunset_date("") is None
    # Unread, it is still shown as sent (cut when absurdly long).
    assert "'next spring'" in sunset_warning("next spring", "POST", "/graphql/2026-01/")
    assert len(sunset_warning("x" * 10_000, "POST", "/graphql/2026-01/")) < 400


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: f.deprecate_graphql_version("unstable"), "dated GraphQL version"),
        (lambda f: f.sunset_graphql_version("2025-01"), "dated GraphQL version"),
        (lambda f: f.deprecate_graphql_version("2026-01", sunset="\n"), "sunset"),
    ],
)
def test_the_emulator_refuses_what_cannot_be_a_deprecation(call: Any, match: str) -> None:
    with pytest.raises(og.ConfigurationError, match=match):
        call(FakeOrdergroove())
