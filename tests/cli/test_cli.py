"""The `ordergroove` command, run as a user runs it: a subprocess, its output and its exit status."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from _served import fake_serve


def run(*args: str, env_key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    if env_key is not None:
        env["ORDERGROOVE_API_KEY"] = env_key
    return subprocess.run(
        [sys.executable, "-m", "ordergroove", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_demo_walks_every_step_and_shows_a_typed_error() -> None:
    result = run("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in (
        "subscriptions",
        "The customer at a glance",
        "Skip the next order",
        "Cancel with a reason",
        "A typed error",
        "Reactivate",
        "Set contact details",
    ):
        assert heading in out
    assert "caught og.BadRequestError (status 400)" in out
    assert "This subscription is not in a state which it can edited" in out
    assert "new@example.com" in out
    assert result.stderr == ""


def test_sandbox_json_list_is_machine_readable() -> None:
    result = run("--sandbox", "--json", "--limit", "3", "customers", "list")
    assert result.returncode == 0, result.stderr
    customers = json.loads(result.stdout)
    assert len(customers) == 3
    assert all("merchant_user_id" in customer for customer in customers)


def test_sandbox_subscription_actions_change_the_emulator() -> None:
    listed = json.loads(run("--sandbox", "--json", "subscriptions", "list", "--live", "true").stdout)
    assert listed and all(s["live"] for s in listed)
    target = next(s for s in listed if not s.get("prepaid_subscription_context"))
    canceled = run("--sandbox", "--json", "subscriptions", "cancel", target["public_id"], "--reason", "4")
    assert canceled.returncode == 0, canceled.stderr
    body = json.loads(canceled.stdout)
    assert body["live"] is False
    assert body["cancel_reason"].startswith("4|")


def test_summary_reads_as_a_sentence() -> None:
    customer = json.loads(run("--sandbox", "--json", "--limit", "1", "customers", "list").stdout)[0]
    result = run("--sandbox", "customers", "summary", customer["merchant_user_id"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"customer {customer['merchant_user_id']}: ")
    assert "lifetime value" in result.stdout


def test_an_api_error_is_one_line_on_stderr_without_traceback() -> None:
    result = run("--sandbox", "subscriptions", "get", "no-such-subscription")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ordergroove: error: not found (404): GET /subscriptions/no-such-subscription/")
    assert "Traceback" not in result.stderr


def test_missing_api_key_names_the_variable() -> None:
    result = run("customers", "list")
    assert result.returncode == 1
    assert "ORDERGROOVE_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sandbox", "subscriptions", "reactivate", "x", "--every", "1", "--period", "fortnights"), "period"),
        (("--sandbox", "subscriptions", "change-date", "x", "24/12/2026"), "YYYY-MM-DD"),
    ],
)
def test_bad_arguments_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_bad_quantity_is_refused_before_any_request() -> None:
    result = run("--sandbox", "subscriptions", "change-quantity", "abc", "0")
    assert result.returncode == 1
    assert result.stderr == "ordergroove: error: quantity must be a whole number >= 1, got 0\n"


def test_gladly_serve_without_configuration_names_the_missing_variable() -> None:
    result = run("gladly", "serve", "--port", "0")
    assert result.returncode == 1
    assert "GLADLY_SIGNING_KEY" in result.stderr or "ORDERGROOVE_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_fake_serve_serves_the_demo_emulator_until_interrupted() -> None:
    import httpx

    with fake_serve() as served:
        assert served.url in served.readline()
        answer = httpx.get(f"{served.url}/customers/cust_0001/", headers={"x-api-key": "test-key"})
        assert answer.status_code == 200 and answer.json()["merchant_user_id"] == "cust_0001"
    assert served.process.returncode == 0, served.stderr
    assert "Traceback" not in served.stderr
