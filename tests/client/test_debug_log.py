"""``ORDERGROOVE_LOG=debug`` (as ``OPENAI_LOG``): one line on stderr per request attempt, with the method, the URL
without secrets, the status, the attempt and the latency; never a key. Sync and async, in a fresh process."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from ordergroove._logs import loggable_url

PROGRAM = """
import asyncio, sys
from ordergroove import testing

fake = testing.FakeOrdergroove.demo(api_key="key-SECRET-31")
fake.faults.add(503, times=1, path="/subscriptions/")
if sys.argv[1] == "sync":
    with fake.client() as client:
        client.subscriptions.list(customer="cust_0001").to_list()
else:
    async def main():
        async with fake.async_client() as client:
            await client.subscriptions.list(customer="cust_0001").to_list()
    asyncio.run(main())
"""


def _run(mode: str, level: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ORDERGROOVE_LOG"}
    if level is not None:
        env["ORDERGROOVE_LOG"] = level
    done = subprocess.run([sys.executable, "-c", PROGRAM, mode], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_one_line_per_attempt(mode: str) -> None:
    shown = _run(mode, "debug")
    attempts = re.findall(r"GET (\S+) -> (\d+) \(attempt (\d) of (\d), (\d+) ms\)", shown)
    assert [(status, attempt, total) for _, status, attempt, total, _ in attempts] == [
        ("503", "1", "3"),
        ("200", "2", "3"),
    ]
    assert all(url == "http://ordergroove.test/subscriptions/?customer=cust_0001&page_size=100" for url, *_ in attempts)
    assert "retrying GET /subscriptions/ in " in shown
    assert "key-SECRET-31" not in shown


def test_silent_without_the_switch() -> None:
    assert _run("sync", None) == ""


def test_urls_are_logged_without_secrets() -> None:
    url = "https://user:pw@restapi.ordergroove.com/one_click/?token=t0k&customer=c1&sig=abc&api_key=k"
    shown = loggable_url(url)
    assert shown == "https://restapi.ordergroove.com/one_click/?token=***&customer=c1&sig=***&api_key=***"


def test_personal_filters_are_logged_without_their_value() -> None:
    # A debug log is pasted into tickets: a customer's e-mail address or phone number in a filter stays out of it.
    url = "https://restapi.ordergroove.com/customers/?email=ann%40example.com&phone_number=555&page_size=5"
    shown = loggable_url(url)
    assert shown == "https://restapi.ordergroove.com/customers/?email=***&phone_number=***&page_size=5"
    assert "example.com" not in shown and "555" not in shown
