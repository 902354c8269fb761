"""``ordergroove fake serve`` as a user runs it: the environment it prints works from another process and keeps the
state between commands, its webhooks arrive signed, and a busy or bad port is a clear error, not a traceback."""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from _served import fake_serve

import ordergroove as og


def _run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ordergroove", *argv],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers["Ordergroove-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, str]]]]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", _Receiver.received
    finally:
        server.shutdown()
        server.server_close()


def test_the_printed_environment_keeps_state_across_commands_and_webhooks_arrive(
    receiver: tuple[str, list[tuple[bytes, str]]],
) -> None:
    hook_url, received = receiver
    with fake_serve("--webhook", hook_url, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}) as served:
        lines = [served.readline() for _ in range(6)]
        shown = "".join(lines)
        assert shown.startswith(f"Serving the emulator (demo data) on {served.url};")
        env = dict(re.findall(r"export (ORDERGROOVE_[A-Z_]+)=(\S+)", shown))
        assert env["ORDERGROOVE_BASE_URL"] == served.url
        assert re.search(r"Storefront: merchant id \S+, hash key \S+", shown)
        [key] = re.findall(r"signed with the key (\S+)", shown)
        # Two commands, two processes: the second sees what the first did.
        with og.Ordergroove(api_key=env["ORDERGROOVE_API_KEY"], base_url=env["ORDERGROOVE_BASE_URL"]) as client:
            subscription = client.subscriptions.list(customer="cust_0001", live=True).to_list()[0].public_id
        canceled = _run("subscriptions", "cancel", subscription, env=env)
        assert canceled.returncode == 0, canceled.stderr
        shown_after = _run("--json", "subscriptions", "get", subscription, env=env)
        assert shown_after.returncode == 0 and '"live": false' in shown_after.stdout
    assert served.process.returncode == 0 and "Traceback" not in served.stderr
    assert received, "no webhook was delivered"
    body, signature = received[0]
    event = og.webhooks.construct_event(body, signature, key)
    assert event.type == "subscription.cancel"


def test_empty_starts_with_no_records() -> None:
    with fake_serve("--empty", env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}) as served:
        assert "(no records)" in served.readline()
        with og.Ordergroove(api_key="test-key", base_url=served.url) as client:
            assert client.customers.list().to_list() == []


def test_a_busy_port_is_refused_before_serving() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("fake", "serve", "--port", str(port))
    assert result.returncode == 1
    assert "Serving" not in result.stdout
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "another --port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_bad_port_is_a_usage_error(port: str) -> None:
    result = _run("fake", "serve", "--port", port)
    assert result.returncode == 2
    assert "is not a port" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_host_is_a_clear_error() -> None:
    result = _run("fake", "serve", "--host", "no-such-host.invalid", "--port", "0")
    assert result.returncode == 1
    assert "cannot listen on no-such-host.invalid:0" in result.stderr and "Traceback" not in result.stderr
