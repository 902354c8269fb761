"""``ordergroove fake serve`` as a user runs it: the environment it prints works from another process and keeps the
state between commands, its webhooks arrive signed, and a busy or bad port is a clear error, not a traceback."""

from __future__ import annotations

import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

import ordergroove as og


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergroove", "fake", "serve", "--port", str(port), "--webhook", hook_url],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(6)]
        shown = "".join(lines)
        assert shown.startswith(f"Serving the emulator (demo data) on http://127.0.0.1:{port};")
        env = dict(re.findall(r"export (ORDERGROOVE_[A-Z_]+)=(\S+)", shown))
        assert env["ORDERGROOVE_BASE_URL"] == f"http://127.0.0.1:{port}"
        assert re.search(r"Storefront: merchant id \S+, hash key \S+", shown)
        [key] = re.findall(r"signed with the key (\S+)", shown)
        # Two commands, two processes: the second sees what the first did.
        with og.Ordergroove(api_key=env["ORDERGROOVE_API_KEY"], base_url=env["ORDERGROOVE_BASE_URL"]) as client:
            subscription = client.subscriptions.list(customer="cust_0001", live=True).to_list()[0].public_id
        canceled = _run("subscriptions", "cancel", subscription, env=env)
        assert canceled.returncode == 0, canceled.stderr
        shown_after = _run("--json", "subscriptions", "get", subscription, env=env)
        assert shown_after.returncode == 0 and '"live": false' in shown_after.stdout
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in stderr
    assert received, "no webhook was delivered"
    body, signature = received[0]
    event = og.webhooks.construct_event(body, signature, key)
    assert event.type == "subscription.cancel"


def test_empty_starts_with_no_records() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergroove", "fake", "serve", "--port", str(port), "--empty"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "(no records)" in process.stdout.readline()
        with og.Ordergroove(api_key="test-key", base_url=f"http://127.0.0.1:{port}") as client:
            assert client.customers.list().to_list() == []
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


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
