"""JSON as parsed: integers beyond 64 bits exact with the standard parser; NaN and Infinity refused by both."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from mock_server import Kind, Server
from payloads import page, subscription_payload

import ordergroove as og
from ordergroove import _exchange
from ordergroove._json import strict_json_loads

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
