"""The command's parser: global options anywhere, help at every level, accepted values, no option silently ignored."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import ordergroove as og
from ordergroove.cli import _main

COMMAND = str(Path(sys.executable).with_name("ordergroove"))


def typed(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script, as a user types it (no key in the environment)."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "100"}
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=60, env=env)


def parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Every parser of the tree by its command path, and whether it is a leaf (a command that runs)."""
    subparsers = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    yield path, not subparsers
    for action in subparsers:
        for name, child in action.choices.items():
            yield from parsers(child, (*path, name))


def parser_at(path: tuple[str, ...]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _main.build_parser()
    for name in path:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = action.choices[name]
    return parser


def test_global_options_work_after_the_command_as_the_docs_write_them() -> None:
    result = typed("customers", "list", "--limit", "5", "--sandbox")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2 + 5  # heading, rule, five customers
    mixed = typed("--json", "customers", "list", "--sandbox", "--limit", "2")
    assert mixed.returncode == 0, mixed.stderr
    assert len(json.loads(mixed.stdout)) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["--sandbox", "--limit", "3", "orders", "list"],
        ["orders", "--sandbox", "list", "--limit", "3"],
        ["orders", "list", "--limit", "3", "--sandbox"],
    ],
)
def test_a_global_option_means_the_same_at_every_level(argv: list[str]) -> None:
    args = _main.parse(_main.build_parser(), argv)
    assert args is not None
    assert (args.sandbox, args.limit, args.json, args.base_url, args.environment) == (True, 3, False, None, None)


def test_bare_command_prints_the_help_on_stderr_with_status_2() -> None:
    # As argparse treats a missing required argument (and click >= 8.2 a group without its command): a usage
    # error, status 2; `ordergroove --help` prints the same on stdout with status 0.
    bare = typed()
    assert bare.returncode == 2 and bare.stdout == ""
    assert "commands:" in bare.stderr and "customers" in bare.stderr and "global options" in bare.stderr
    asked = typed("--help")
    assert asked.returncode == 0 and "commands:" in asked.stdout
    group = typed("subscriptions")
    assert group.returncode == 2
    assert "usage: ordergroove subscriptions" in group.stderr and "change-frequency" in group.stderr


def test_every_command_and_option_has_a_description() -> None:
    seen = 0
    for path, _ in parsers(_main.build_parser()):
        parser = parser_at(path)
        assert path == () or parser.description, f"`ordergroove {' '.join(path)}` has no description"
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                listed = {choice.dest for choice in action._choices_actions if choice.help}
                assert listed == set(action.choices), f"a subcommand of {path} has no help"
            else:
                assert action.help, f"`ordergroove {' '.join(path)}` {action.option_strings or action.dest}: no help"
            seen += 1
    assert seen > 200


def test_every_command_says_which_global_options_it_takes() -> None:
    leaves = {path for path, leaf in parsers(_main.build_parser()) if leaf and path}
    keys = {(path[0], path[1] if len(path) > 1 else None) for path in leaves}
    assert keys == set(_main.ACCEPTS)


def test_a_command_s_help_leaves_out_the_global_options_it_refuses() -> None:
    feed = typed("feed", "build", "--help").stdout
    assert "--sandbox" not in feed and "--json" not in feed and "global options" not in feed
    get = typed("customers", "get", "--help").stdout
    assert "--sandbox" in get and "--json" in get and "--limit" not in get
    listed = typed("customers", "list", "--help").stdout
    assert "--limit" in listed


def test_options_list_their_accepted_values() -> None:
    help_text = typed("orders", "list", "--help").stdout
    assert "unsent" in help_text and "send-now" in help_text
    frequency = typed("subscriptions", "change-frequency", "--help").stdout
    assert "days, weeks, months, years" in frequency
    sandbox = typed("--help").stdout.replace("\n", " ")
    assert "resets on every" in sandbox and "fake serve" in sandbox


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("unsent", og.OrderStatus.UNSENT),
        ("UNSENT", og.OrderStatus.UNSENT),
        ("1", og.OrderStatus.UNSENT),
        ("send-now", og.OrderStatus.SEND_NOW),
        ("Send_Now", og.OrderStatus.SEND_NOW),
        ("99", 99),  # a status Ordergroove added since: passed on as its code
    ],
)
def test_status_is_taken_by_name_or_code(given: str, expected: object) -> None:
    args = _main.parse(_main.build_parser(), ["orders", "list", "--status", given])
    assert args is not None and args.status == expected


@pytest.mark.parametrize("given", ["months", "MONTHS", "month", "Month", "3"])
def test_period_is_taken_like_status(given: str) -> None:
    args = _main.parse(
        _main.build_parser(), ["subscriptions", "change-frequency", "s", "--every", "2", "--period", given]
    )
    assert args is not None and args.period is og.Period.MONTHS and args.every == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--json"], "--json does not apply to `demo`"),
        (["demo", "--base-url", "http://127.0.0.1:1"], "--base-url does not apply to `demo` (it runs on the demo"),
        (["customers", "get", "c", "--limit", "3"], "--limit does not apply to `customers get` (it is for lists)"),
        (
            ["feed", "build", "c.csv", "-o", "f.xml", "--staging"],
            "--environment/--staging does not apply to `feed build`",
        ),
        (["gladly", "serve", "--limit", "3"], "--limit does not apply to `gladly serve`"),
        (["fake", "serve", "--base-url", "http://127.0.0.1:1"], "--base-url does not apply to `fake serve`"),
        (["export", "orders", "-o", "o.jsonl", "--json"], "--json does not apply to `export orders`"),
        (["--sandbox", "customers", "list", "--base-url", "http://x"], "cannot be combined"),
        (["orders", "list", "--status", "shipped"], "expected an order status (unsent, "),
        (["customers", "list", "--limit", "0"], "expected a whole number >= 1"),
    ],
)
def test_an_option_that_does_not_apply_is_refused_never_ignored(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _main.parse(_main.build_parser(), argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_refusal_is_a_usage_error_of_the_command_typed() -> None:
    result = typed("gladly", "serve", "--json")
    assert result.returncode == 2
    assert "ordergroove gladly serve: error: --json does not apply to `gladly serve`" in result.stderr
    assert "Traceback" not in result.stderr


def test_environment_and_base_url_reach_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGROOVE_API_KEY", "test-key")
    monkeypatch.delenv("ORDERGROOVE_BASE_URL", raising=False)
    monkeypatch.delenv("ORDERGROOVE_ENVIRONMENT", raising=False)
    for argv, url in [
        (["customers", "list", "--staging"], "https://staging.restapi.ordergroove.com"),
        (["customers", "list", "--environment", "production"], "https://restapi.ordergroove.com"),
        (["customers", "--base-url", "http://127.0.0.1:9", "list"], "http://127.0.0.1:9"),
    ]:
        args = _main.parse(_main.build_parser(), argv)
        assert args is not None
        with _main._client(args) as client:
            assert client.base_url.rstrip("/") == url
