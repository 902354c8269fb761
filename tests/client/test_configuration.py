"""Configuration refused at construction: API keys that cannot be a header (never shown), unusable options,
infinite timeouts per call or copy."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from mock_server import KEY, Kind, Server
from payloads import subscription_payload

import ordergroove as og


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
