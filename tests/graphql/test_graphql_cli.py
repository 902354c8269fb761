"""``ordergroove graphql`` and the demo's GraphQL step, run as a user runs them (a subprocess on the sandbox)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("graphql")

PAGED = (
    "query($after: String, $first: Int, $customer: String) { subscriptions(customer: $customer, first: $first, "
    "after: $after) { pageInfo { hasNextPage endCursor } edges { node { publicId product { name } } } } }"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ordergroove", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_a_query_prints_its_data_as_json() -> None:
    result = run("--sandbox", "graphql", PAGED, "--var", "first=2", "--var", "customer=cust_0001")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["subscriptions"]["edges"]) == 2 and data["subscriptions"]["pageInfo"]["hasNextPage"] is True


def test_all_follows_the_only_connection_or_the_one_named() -> None:
    found = run("--sandbox", "graphql", PAGED, "--var", "first=2", "--var", "customer=cust_0001", "--all")
    assert found.returncode == 0, found.stderr
    nodes = json.loads(found.stdout)
    assert len(nodes) == 3 and len({node["publicId"] for node in nodes}) == 3  # cust_0001 has three
    named = run(
        "--sandbox", "--limit", "5", "graphql", PAGED, "--var", "first=2", "--all", "--connection", "subscriptions"
    )
    assert named.returncode == 0, named.stderr
    assert len(json.loads(named.stdout)) == 5


def test_errors_are_reported_not_raised() -> None:
    refused = run("--sandbox", "graphql", "{ order(publicId: 3) { publicId } }")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("ordergroove: error: Ordergroove refused the query (400): POST /graphql/")
    no_connection = run("--sandbox", "graphql", '{ order(publicId: "x") { publicId } }', "--all")
    assert no_connection.returncode == 1 and "--all found no connection to follow" in no_connection.stderr
    bad_var = run("--sandbox", "graphql", "{ x }", "--var", "novalue")
    assert bad_var.returncode == 2 and "NAME=VALUE" in bad_var.stderr


def test_the_demo_shows_a_graphql_call() -> None:
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert "client.graphql.subscriptions(customer=" in result.stdout
    assert "House Blend Coffee, 12 oz" in result.stdout
