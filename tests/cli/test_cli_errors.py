"""The command's errors as an operator reads them: plain words, never a Python class name, repr or traceback.

Each kind of error is run as typed (a subprocess), against the emulator served on a socket so that faults can be
injected; the exit status of each is the one docs/cli.md documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _served import free_port

from ordergroove import ConfigurationError, NotFoundError
from ordergroove import testing as ogt
from ordergroove.cli._errors import describe, plain, quoted

COMMAND = str(Path(sys.executable).with_name("ordergroove"))

# What a Python programmer would recognise and an operator should not have to: a class name
# (NotFoundError, ConnectError, AuthenticationException), a traceback, keyword arguments (api_key=, resume=True),
# a Python list or tuple (['a', 'b']).
PYTHON_WORDING = re.compile(
    r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback|\b[a-z_]+=(?:True|False|None|\)|,|\.\.\.)|\[['\"]|\(['\"][^)]*['\"],"
)
SUBSCRIPTION = "20d0b29c0cf197f45625871b82b9bfbc"  # the demo data's


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[ogt.FakeOrdergroove, str]]:
    fake = ogt.FakeOrdergroove.demo()
    with ogt.serve(fake) as base_url:
        yield fake, base_url


def run(*args: str, base_url: str | None = None, key: str = "test-key") -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ORDERGROOVE_API_KEY": key}
    if base_url is not None:
        env["ORDERGROOVE_BASE_URL"] = base_url
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=60, env=env)


# (what the emulator does, the command, its exit status, words the line must hold)
CASES = [
    pytest.param(None, ["customers", "get", ""], 1, "customer_id must be a non-empty string", id="empty-id"),
    pytest.param(None, ["subscriptions", "change-quantity", SUBSCRIPTION, "0"], 1, "quantity must be", id="quantity"),
    pytest.param(None, ["subscriptions", "cancel", SUBSCRIPTION, "--reason", "0"], 1, "--reason must be", id="option"),
    pytest.param(None, ["subscriptions", "get", "nope"], 1, "not found (404): GET /subscriptions/nope/", id="404"),
    pytest.param({"status": 401}, ["customers", "list"], 1, "Ordergroove refused the API key (401)", id="401"),
    pytest.param({"status": 403}, ["orders", "list"], 1, "Ordergroove refused the request (403)", id="403"),
    pytest.param(
        {"status": 400, "body": {"quantity": ["too many"]}},
        ["subscriptions", "change-quantity", SUBSCRIPTION, "3"],
        1,
        "Ordergroove refused the request (400)",
        id="400",
    ),
    pytest.param({"status": 200, "body": "not json"}, ["customers", "list"], 1, "could not be read", id="decode"),
    pytest.param(
        {"drop": "after", "path": "cancel"},
        ["subscriptions", "cancel", SUBSCRIPTION],
        3,
        "the outcome is unknown",
        id="unknown-outcome",
    ),
    pytest.param(
        {"status": 500, "path": "cancel"},
        ["subscriptions", "cancel", SUBSCRIPTION],
        3,
        "Ordergroove failed (500)",
        id="500-write",
    ),
    pytest.param(
        None,
        [
            "graphql",
            "query { subscriptions(first: 1) { edges { node { publicId } } pageInfo { hasNextPage endCursor } } }",
            "--all",
            "--connection",
            "subscriptions",
        ],
        1,
        "declare it and pass it to the connection",
        id="graphql-all-without-after",
    ),
    pytest.param(None, ["graphql", "{ nothing }"], 1, "Ordergroove refused the query (400)", id="graphql"),
    pytest.param(None, ["export", "subscriptions", "-o", "subs.txt"], 2, "name it .jsonl", id="export-format"),
    pytest.param(None, ["subscriptions", "change-date", SUBSCRIPTION, "24/12"], 2, 'got "24/12"', id="usage"),
    pytest.param(
        None,
        ["customers", "list", "--environment", "mars"],
        2,
        'invalid choice: "mars" (choose from production, staging)',
        id="choice",
    ),
    pytest.param(
        None, ["custmers", "list"], 2, 'invalid choice: "custmers" (choose from demo, customers,', id="command"
    ),
]


@pytest.mark.parametrize(("fault", "argv", "status", "words"), CASES)
def test_an_error_is_in_plain_words(
    served: tuple[ogt.FakeOrdergroove, str],
    fault: dict[str, object] | None,
    argv: list[str],
    status: int,
    words: str,
    tmp_path: Path,
) -> None:
    fake, base_url = served
    fake.faults.rules.clear()
    if fault is not None:
        fake.faults.add(**fault)  # type: ignore[arg-type]
    argv = [str(tmp_path / arg) if arg == "subs.txt" else arg for arg in argv]
    result = run(*argv, base_url=base_url)
    assert result.returncode == status, result.stderr
    assert words in result.stderr
    assert not PYTHON_WORDING.search(result.stderr), result.stderr
    if status == 1:
        assert result.stderr.startswith("ordergroove: error: ") and result.stderr.count("\n") == 1


def test_a_connection_refused_names_the_options_to_check() -> None:
    result = run("customers", "list", base_url=f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 1
    assert result.stderr.startswith("ordergroove: error: the connection to Ordergroove failed: GET /customers/")
    assert "(Connection refused" in result.stderr and "--base-url, or ORDERGROOVE_BASE_URL" in result.stderr
    assert not PYTHON_WORDING.search(result.stderr), result.stderr


def test_a_file_that_cannot_be_written_is_a_plain_error(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "name,product_id,sku,price,details_url,image_url,in_stock\n"
        "Tea,t-1,T1,5,https://shop.example/t,https://cdn.example/t.png,1\n",
        encoding="utf-8",
    )
    result = run("feed", "build", str(catalog), "-o", str(tmp_path / "missing" / "feed.xml"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"ordergroove: error: {tmp_path / 'missing'}")
    assert "No such file or directory" in result.stderr and not PYTHON_WORDING.search(result.stderr)
    assert "[Errno" not in result.stderr


def test_the_api_key_never_shows_in_an_error(served: tuple[ogt.FakeOrdergroove, str]) -> None:
    fake, base_url = served
    fake.faults.rules.clear()
    fake.faults.add(401)
    result = run("customers", "list", base_url=base_url, key="secret-key-123")
    assert result.returncode == 1 and "secret-key-123" not in result.stderr + result.stdout
    assert "check the API key (ORDERGROOVE_API_KEY)" in result.stderr


def test_describe_keeps_the_message_and_drops_the_class() -> None:
    error = NotFoundError(
        "404 Not Found from GET /orders/x/: gone", status_code=404, method="GET", url="https://x/orders/x/"
    )
    assert describe(error) == "not found (404): GET /orders/x/: gone"
    assert describe(ConfigurationError("merchant_id must be letters"), {"merchant_id": "--merchant-id"}) == (
        "--merchant-id must be letters"
    )
    assert describe(ConfigurationError("a list could not be decoded (ValueError)")) == "a list could not be decoded"


def test_values_are_words_and_typed_text_is_quoted() -> None:
    assert plain(["required", {"sku": ["too long", "taken"]}]) == "required; sku: too long; taken"
    assert plain(3) == "3" and plain("text") == "text"
    assert quoted("it's\x1b") == '"it\'s\\u001b"'
