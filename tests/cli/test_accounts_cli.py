"""The command's account changes (customers create/update, addresses, payments, subscriptions change-address,
incentives), against the emulator: in-process on one emulator that keeps state, and a sample as typed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ordergroove as og
from ordergroove import cli
from ordergroove import testing as ogt
from ordergroove.cli import _main as cli_main

COMMAND = str(Path(sys.executable).with_name("ordergroove"))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> ogt.FakeOrdergroove:
    """One emulator behind every command of the test (as `fake serve` + --base-url would be), no retries."""
    fake = ogt.FakeOrdergroove.demo()
    monkeypatch.setattr(cli_main, "_client", lambda args, **options: fake.client(max_retries=0, **options))
    return fake


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def shown(*argv: str) -> Any:
    status, out, err = run("--json", *argv)
    assert status == 0, err
    return json.loads(out)


def test_customers_create_then_get_and_update(fake: ogt.FakeOrdergroove) -> None:
    merchant = next(iter(fake.customers.values()))["merchant"]
    created = shown(
        "customers", "create", "cust_new", "--merchant", str(merchant), "--email", "new@example.com",
        "--first-name", "Ada", "--last-name", "Lovelace", "--phone", "+15550100", "--session-id", "s-1",
        "--user-token-id", "t-1", "--locale", "en-us",
    )  # fmt: skip
    assert created["merchant_user_id"] == "cust_new" and created["email"] == "new@example.com"
    assert shown("customers", "get", "cust_new")["first_name"] == "Ada"
    updated = shown("customers", "update", "cust_new", "--price-code", "VIP", "--extra-data", '{"tier": "gold"}')
    assert updated["price_code"] == "VIP"
    status, _, err = run("customers", "update", "cust_new")
    assert status == 1 and "nothing to update" in err


def test_addresses_create_then_use_for_all_moves_the_subscriptions(fake: ogt.FakeOrdergroove) -> None:
    address = shown(
        "addresses", "create", "--customer", "cust_0001", "--first-name", "Ben", "--last-name", "Rossi",
        "--address", "1 Main St", "--city", "Austin", "--state", "TX", "--zip", "78701", "--country", "US",
        "--label", "Office",
    )  # fmt: skip
    assert address["label"] == "Office" and address["customer"] == "cust_0001"
    listed = shown("addresses", "list", "--customer", "cust_0001")
    assert address["public_id"] in {a["public_id"] for a in listed}
    status, out, err = run("addresses", "use-for-all", address["public_id"])
    assert status == 0, err
    assert out.startswith(f"address {address['public_id']} is now used by every live subscription")
    live = shown("subscriptions", "list", "--customer", "cust_0001", "--live", "true")
    assert live and all(s["shipping_address"] == address["public_id"] for s in live)


def test_payments_list_and_use_for_all(fake: ogt.FakeOrdergroove) -> None:
    payments = shown("payments", "list", "--customer", "cust_0001")
    assert payments and all(p["customer"] == "cust_0001" for p in payments)
    done = shown("payments", "use-for-all", payments[0]["public_id"])
    assert "is now used by every live subscription" in done["done"]
    live = shown("subscriptions", "list", "--customer", "cust_0001", "--live", "true")
    assert all(s["payment"] == payments[0]["public_id"] for s in live)


def test_subscriptions_change_address(fake: ogt.FakeOrdergroove) -> None:
    subscription = shown("subscriptions", "list", "--customer", "cust_0001", "--live", "true")[0]
    address = shown(
        "addresses", "create", "--customer", "cust_0001", "--first-name", "Ben", "--last-name", "Rossi",
        "--address", "2 Side St", "--city", "Austin", "--state", "TX", "--zip", "78702", "--country", "US",
    )  # fmt: skip
    changed = shown("subscriptions", "change-address", subscription["public_id"], address["public_id"])
    assert changed["shipping_address"] == address["public_id"]


def test_items_list_by_order(fake: ogt.FakeOrdergroove) -> None:
    order = shown("orders", "list", "--customer", "cust_0001", "--status", "unsent")[0]
    items = shown("items", "list", "--order", order["public_id"])
    assert items and all(item["order"] == order["public_id"] for item in items)
    status, out, _ = run("items", "list", "--order", order["public_id"])
    assert status == 0 and out.splitlines()[0].split()[:3] == ["item", "order", "subscription"]


def test_subscriptions_change_payment_and_product(fake: ogt.FakeOrdergroove) -> None:
    subscription = shown("subscriptions", "list", "--customer", "cust_0001", "--live", "true")[0]
    payment = shown("payments", "list", "--customer", "cust_0001")[0]["public_id"]
    assert shown("subscriptions", "change-payment", subscription["public_id"], payment)["payment"] == payment
    other = next(p for p in fake.products if p != subscription["product"])
    assert shown("subscriptions", "change-product", subscription["public_id"], other)["product"] == other
    assert shown("subscriptions", "get", subscription["public_id"])["product"] == other


def test_items_add_then_delete(fake: ogt.FakeOrdergroove) -> None:
    order = shown("orders", "list", "--customer", "cust_0001", "--status", "unsent")[0]
    item = shown("items", "list", "--order", order["public_id"])[0]
    added = shown(
        "items", "add", order["public_id"], "--product", item["product"], "--offer", item["offer"], "--quantity", "2"
    )
    assert added["order"] == order["public_id"] and added["quantity"] == 2
    assert added["public_id"] in {i["public_id"] for i in shown("items", "list", "--order", order["public_id"])}
    status, out, err = run("items", "delete", added["public_id"])
    assert status == 0 and out == f"item {added['public_id']} removed from its order\n", err
    assert added["public_id"] not in {i["public_id"] for i in shown("items", "list", "--order", order["public_id"])}
    fake.faults.add(drop="after", path="/items/")
    status, _, err = run("items", "delete", item["public_id"])
    assert status == 3 and "the outcome is unknown" in err


def test_incentives_create_then_list(fake: ogt.FakeOrdergroove) -> None:
    created = shown(
        "incentives", "create", "--external-code", "WELCOME10", "--description", "10% off", "--customer", "cust_0001",
        "--incentive", '{"type": "percent", "value": 10}',
    )  # fmt: skip
    assert created["external_code"] == "WELCOME10"
    listed = shown("incentives", "list")
    assert [i["public_id"] for i in listed] == [created["public_id"]]


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["payments", "use-for-all", "PAYMENT"], "use_for_all"),
        (["incentives", "create", "--external-code", "X"], "one_time_incentives"),
    ],
)
def test_an_ambiguous_failure_of_a_write_says_the_outcome_is_unknown(
    fake: ogt.FakeOrdergroove, argv: list[str], path: str
) -> None:
    if argv[0] == "payments":
        argv[2] = shown("payments", "list", "--customer", "cust_0001")[0]["public_id"]
    fake.faults.add(drop="after", path=path)  # applied, then the connection drops before the answer
    status, out, err = run(*argv)
    assert status == 3 and out == ""
    assert (
        "ordergroove: error: the connection to Ordergroove failed" in err
        and "the outcome is unknown" in err
        and "was not sent again" in err
    )
    assert "Traceback" not in err


def test_a_failed_read_is_a_plain_error(fake: ogt.FakeOrdergroove) -> None:
    fake.faults.add(drop="after", path="/addresses/", times=None)
    status, _, err = run("addresses", "list")
    assert status == 1 and "outcome is unknown" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["incentives", "create", "--external-code", "X", "--incentive", "[1]"], "expected a JSON object"),
        (["addresses", "create", "--customer", "c"], "the following arguments are required: --first-name"),
        (["payments", "use-for-all", "p", "--limit", "2"], "--limit does not apply to `payments use-for-all`"),
        (["customers", "create", "c", "--phone-type", "fax"], 'invalid choice: "fax"'),
    ],
)
def test_bad_arguments_are_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_as_typed_against_a_served_emulator() -> None:
    fake = ogt.FakeOrdergroove.demo()
    with ogt.serve(fake) as base_url:
        env = {"PATH": "/usr/bin:/bin", "ORDERGROOVE_BASE_URL": base_url, "ORDERGROOVE_API_KEY": fake.api_key}
        listed = subprocess.run(
            [COMMAND, "payments", "list", "--customer", "cust_0001", "--json"],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        payment = json.loads(listed.stdout)[0]["public_id"]
        used = subprocess.run(
            [COMMAND, "payments", "use-for-all", payment], capture_output=True, text=True, timeout=60, env=env
        )
        assert used.returncode == 0, used.stderr
        assert (
            used.stdout
            == f"payment {payment} is now used by every live subscription and unsent order of its customer\n"
        )
    with fake.client() as client:
        live = client.subscriptions.list(customer="cust_0001", live=True).to_list()
    assert live and all(s.payment == payment for s in live)
    assert isinstance(live[0], og.Subscription)


def _live(fake: ogt.FakeOrdergroove) -> tuple[str, str]:
    """A live pay-as-you-go subscription and its upcoming order."""
    sub = next(s for s in fake.subscriptions.values() if s["live"] and not s.get("prepaid_subscription_context"))
    order = fake.upcoming_order(sub)
    assert order is not None
    return sub["public_id"], order["public_id"]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 500}, "error: Ordergroove failed (500)"),  # a 5xx: the server may have acted before failing
        ({"status": 502}, "error: Ordergroove failed (502)"),
        ({"status": 200, "body": "<html>OK</html>"}, "error: Ordergroove's answer could not be read"),  # unreadable
        ({"truncate": True}, "error: the connection to Ordergroove failed"),
    ],
)
@pytest.mark.parametrize("command", ["send-now", "cancel", "skip"])
def test_a_write_failing_after_it_may_have_reached_ordergroove_says_the_outcome_is_unknown(
    fake: ogt.FakeOrdergroove, fault: dict[str, Any], error: str, command: str
) -> None:
    sub, order = _live(fake)
    argv = ["subscriptions", "skip", sub] if command == "skip" else ["orders", command, order]
    fake.faults.add(**fault, method="PATCH")
    status, out, err = run(*argv)
    assert status == 3 and out == ""
    assert error in err and "the outcome is unknown" in err and "was not sent again" in err
    assert [r.method for r in fake.requests].count("PATCH") == 1


def test_a_failed_read_before_a_write_is_a_plain_error(fake: ogt.FakeOrdergroove) -> None:
    # `subscriptions skip` reads the next order first: that read failing changed nothing.
    sub, _ = _live(fake)
    fake.faults.add(drop="after", method="GET", times=None)
    status, _, err = run("subscriptions", "skip", sub)
    assert status == 1 and "outcome is unknown" not in err
    assert "PATCH" not in [r.method for r in fake.requests]


def test_a_refused_write_is_a_plain_error(fake: ogt.FakeOrdergroove) -> None:
    _, order = _live(fake)
    fake.faults.add(429, method="PATCH", times=None)  # the server did not act
    status, _, err = run("orders", "send-now", order)
    assert status == 1 and "outcome is unknown" not in err


def test_an_interrupted_write_says_it_may_have_been_applied(
    fake: ogt.FakeOrdergroove, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, order = _live(fake)

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "run_command", interrupted)
    status, _, err = run("orders", "send-now", order)
    assert status == 130 and "may have reached Ordergroove" in err
    status, _, err = run("orders", "get", order)
    assert status == 130 and err == "ordergroove: interrupted\n"
