"""``ordergroove graphql 'query { ... }' [--var k=v] [--all [--connection NAME]]``: a query's data as JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from .. import ConfigurationError
from ._errors import quoted

if TYPE_CHECKING:
    from .. import Ordergroove


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "graphql",
        help="run a GraphQL query and print its data as JSON",
        description="Run one query on Ordergroove's read-only GraphQL API and print its data as JSON. With --all, "
        "follow the pages of its connection (the query takes $after and selects pageInfo { hasNextPage endCursor }) "
        "and print every node.",
    )
    parser.add_argument("query", help="the GraphQL document")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        type=_variable,
        metavar="NAME=VALUE",
        help="a variable; VALUE is read as JSON when it is JSON (5, true, [1]), else as text; repeat for several",
    )
    parser.add_argument("--all", action="store_true", help="follow every page of the connection; print its nodes")
    parser.add_argument("--connection", help="the connection to follow (default: the only one in the answer)")
    parser.add_argument("--graphql-version", help="the API version (default: the current one; or unstable)")


def _variable(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {quoted(text)}")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def _connections(value: Any, prefix: str = "") -> list[str]:
    """The dotted names of the connections (objects with ``edges`` and ``pageInfo``) in an answer's data."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{prefix}{key}"
            if isinstance(item, Mapping) and "edges" in item and "pageInfo" in item:
                found.append(name)
            else:
                found.extend(_connections(item, f"{name}."))
    return found


def _at(data: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        data = data.get(name) if isinstance(data, Mapping) else None
    return data


def run_graphql(args: argparse.Namespace, client: Ordergroove, out: TextIO) -> None:
    if args.graphql_version is not None:
        client = client.with_options(graphql_version=args.graphql_version)
    variables = dict(args.var)
    if not args.all:
        _print(client.graphql.query(args.query, variables), out)
        return
    connection = args.connection
    nodes: list[Any]
    if connection is None:
        # The first page tells which connection to follow; it is used, not fetched again.
        first = client.graphql.query(args.query, variables)
        names = _connections(first)
        if not names:
            raise ConfigurationError(
                "--all found no connection to follow in the answer: select the connection's edges and "
                "pageInfo { hasNextPage endCursor }"
            )
        if len(names) > 1:
            raise ConfigurationError(
                f"--all found several connections ({', '.join(names)}): name the one to follow with --connection"
            )
        connection = names[0]
        page = _at(first, connection)
        nodes = [edge.get("node") for edge in page.get("edges") or [] if isinstance(edge, Mapping)]
        info = page.get("pageInfo") or {}
        if info.get("hasNextPage") and info.get("endCursor") and (args.limit is None or len(nodes) < args.limit):
            _check_after(args.query, connection)
            rest = client.graphql.paginate(args.query, {**variables, "after": info["endCursor"]}, connection=connection)
            nodes.extend(rest.to_list(None if args.limit is None else args.limit - len(nodes)))
    else:
        _check_after(args.query, connection)
        nodes = client.graphql.paginate(args.query, variables, connection=connection).to_list(args.limit)
    _print(nodes if args.limit is None else nodes[: args.limit], out)


def _check_after(query: str, connection: str) -> None:
    """Refuse, in the command's words, a query --all cannot page through (the library's words are for Python)."""
    if "$after" not in query:
        field = connection.rsplit(".", 1)[-1]
        raise ConfigurationError(
            "--all asks for the next pages with the variable $after, which the query does not take: declare it and "
            f"pass it to the connection, as in: query($after: String) {{ {field}(first: 50, after: $after) "
            "{ edges { node { ... } } pageInfo { hasNextPage endCursor } } }"
        )


def _print(value: Any, out: TextIO) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
