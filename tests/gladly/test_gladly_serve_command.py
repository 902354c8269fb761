"""`ordergroove gladly serve` as an operator runs it: a process configured by environment variables, answering a
signed lookup from Gladly, refusing an unsigned one, and stopping cleanly on SIGINT."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from _served import free_port, interrupt, wait_until_listening

from ordergroove.gladly import sign_request
from ordergroove.testing import FakeOrdergroove, serve

SIGNING_KEY = "gladly-signing-key-for-tests"


def test_gladly_serve_answers_a_signed_lookup_and_stops_on_sigint() -> None:
    fake = FakeOrdergroove.demo()
    email = fake.customers["cust_0001"]["email"]
    port = free_port()
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
            wait_until_listening(port, process)
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
            stderr = interrupt(process)
    # Ctrl-C is how a server is stopped: a graceful shutdown and a clean exit, no traceback.
    assert "Finished server process" in stderr and "Traceback" not in stderr
    assert process.returncode == 0, stderr
    assert SIGNING_KEY not in stderr and fake.api_key not in stderr


# -- the global options, logging and configuration errors (the service must say what it talks to, and why it fails)
def _start(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ordergroove", *argv, "gladly", "serve", "--port", str(port)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen[str]) -> str:
    stderr = interrupt(process)
    assert process.returncode == 0, stderr
    return stderr


def _signed_lookup(port: int, email: str) -> httpx.Response:
    body = json.dumps({"lookupLevel": "BASIC", "query": {"emails": [email]}}).encode()
    headers = {"content-type": "application/json", "accept": "application/json"}
    headers.update(sign_request("POST", "/lookup", "", headers, body, SIGNING_KEY))
    return httpx.post(f"http://127.0.0.1:{port}/lookup", content=body, headers=headers, timeout=10)


def test_base_url_sends_the_services_calls_to_that_url_and_logs_refusals() -> None:
    fake = FakeOrdergroove.demo()
    email = fake.customers["cust_0001"]["email"]
    port = free_port()
    with serve(fake) as og_url:
        # No ORDERGROOVE_BASE_URL: without the option the service would talk to production.
        env = {"ORDERGROOVE_API_KEY": fake.api_key, "GLADLY_SIGNING_KEY": SIGNING_KEY}
        process = _start(["--base-url", og_url], env, port)
        try:
            wait_until_listening(port, process)
            answer = _signed_lookup(port, email)
            unsigned = httpx.post(f"http://127.0.0.1:{port}/lookup", content=b"{}", timeout=10)
        finally:
            stderr = _stop(process)
    assert answer.status_code == 200, answer.text
    assert [p["externalCustomerId"] for p in answer.json()["results"]] == ["cust_0001"]
    assert any(r.path.startswith("/customers/") for r in fake.requests)  # the emulator got the calls
    assert f"Ordergroove at {og_url}" in stderr
    assert unsigned.status_code == 401
    assert "WARNING" in stderr and "POST /lookup refused with 401: signature missing_header" in stderr
    assert SIGNING_KEY not in stderr and fake.api_key not in stderr


def test_sandbox_serves_the_demo_emulator_without_an_api_key() -> None:
    email = FakeOrdergroove.demo().customers["cust_0001"]["email"]
    port = free_port()
    process = _start(["--sandbox"], {"GLADLY_SIGNING_KEY": SIGNING_KEY}, port)
    try:
        wait_until_listening(port, process)
        answer = _signed_lookup(port, email)
    finally:
        stderr = _stop(process)
    assert answer.status_code == 200, answer.text
    assert [p["externalCustomerId"] for p in answer.json()["results"]] == ["cust_0001"]
    assert "demo emulator" in stderr


def test_staging_is_the_client_environment_and_log_level_warning_hides_the_start_line() -> None:
    env = {"ORDERGROOVE_API_KEY": "k-SECRET", "GLADLY_SIGNING_KEY": SIGNING_KEY}
    port = free_port()
    process = _start(["--staging"], env, port)
    try:
        wait_until_listening(port, process)
    finally:
        stderr = _stop(process)
    assert "Ordergroove at https://staging.restapi.ordergroove.com" in stderr
    quiet_port = free_port()
    quiet = _start(["--staging"], {**env, "GLADLY_LOG_LEVEL": "warning"}, quiet_port)
    try:
        wait_until_listening(quiet_port, quiet)
    finally:
        quiet_stderr = _stop(quiet)
    assert "Ordergroove at" not in quiet_stderr and "k-SECRET" not in stderr + quiet_stderr


def test_every_missing_variable_is_named_at_once() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ordergroove", "gladly", "serve", "--port", str(free_port())],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GLADLY_BASIC_AUTH_USER": "u"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    for name in ("ORDERGROOVE_API_KEY", "GLADLY_SIGNING_KEY", "GLADLY_BASIC_AUTH_PASSWORD"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_listing_options_are_refused_by_gladly_serve(capsys: pytest.CaptureFixture[str]) -> None:
    from ordergroove.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--json", "gladly", "serve"])
    assert exited.value.code == 2
    assert "--json does not apply to `gladly serve`" in capsys.readouterr().err


def test_gladly_serve_help_lists_the_environment_variables(capsys: pytest.CaptureFixture[str]) -> None:
    from ordergroove.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["gladly", "serve", "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    for name in ("ORDERGROOVE_API_KEY", "GLADLY_SIGNING_KEY", "GLADLY_HOST", "GLADLY_DEADLINE", "GLADLY_LOG_LEVEL"):
        assert name in shown
    assert "--log-level" in shown
