"""`ordergroove gladly serve` as an operator runs it: a process configured by environment variables, answering a
signed lookup from Gladly, refusing an unsigned one, and stopping cleanly on SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from ordergroove.gladly import sign_request
from ordergroove.testing import FakeOrdergroove, serve

SIGNING_KEY = "gladly-signing-key-for-tests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(port: int, process: subprocess.Popen[str], deadline: float = 20.0) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise AssertionError(f"the service exited early: {process.communicate()[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the service did not start listening")


def test_gladly_serve_answers_a_signed_lookup_and_stops_on_sigint() -> None:
    fake = FakeOrdergroove.demo()
    email = fake.customers["cust_0001"]["email"]
    port = _free_port()
    with serve(fake) as og_url:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "ORDERGROOVE_API_KEY": fake.api_key,
            "ORDERGROOVE_BASE_URL": og_url,
            "GLADLY_SIGNING_KEY": SIGNING_KEY,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "ordergroove", "gladly", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_until_listening(port, process)
            body = json.dumps({"lookupLevel": "BASIC", "query": {"emails": [email]}}).encode()
            headers = {"content-type": "application/json", "accept": "application/json"}
            headers.update(sign_request("POST", "/lookup", "", headers, body, SIGNING_KEY))
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
                answer = http.post("/lookup", content=body, headers=headers)
                unsigned = http.post("/lookup", content=body, headers={"content-type": "application/json"})
            assert answer.status_code == 200, answer.text
            [profile] = answer.json()["results"]
            assert profile["externalCustomerId"] == "cust_0001"
            assert unsigned.status_code == 401
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=20)
    # Ctrl-C is how a server is stopped: a graceful shutdown and a clean exit, no traceback.
    assert "Finished server process" in stderr and "Traceback" not in stderr
    assert process.returncode == 0, stderr
    assert SIGNING_KEY not in stderr and fake.api_key not in stderr
