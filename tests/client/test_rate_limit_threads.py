"""The rate limit under threads: every request gets a slot of its own, copies share the limit."""

from __future__ import annotations

import threading

import httpx
import pytest
from mock_server import KEY, Server
from payloads import subscription_payload

import ordergroove as og
from ordergroove import _io


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
