"""graphql.*: the calls of ``client.graphql``, Ordergroove's read-only GraphQL API (``POST /graphql/<version>/``).

A query changes nothing, so it is retried as a read is (``Call.idempotent``), whatever went wrong. A document that
holds a mutation (Ordergroove documents none, but ``query()`` sends what it is given) is a change: never re-sent
once it may have arrived.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from .._call import MAX_PAGE_SIZE, Call, Decode, Decoding, path, shown
from .._page import Page
from ..errors import APIStatusError, ConfigurationError, GraphQLError, ResponseDecodeError, VersionSunsetError
from ..graphql import ORDER, ORDERS, ORDERS_IN_STOCK, SUBSCRIPTION, SUBSCRIPTIONS, Order, Subscription, TypedQuery
from ..graphql import from_dict as model_from_dict

T = TypeVar("T")
M = TypeVar("M", Order, Subscription)


def _endpoint(version: str) -> str:
    return path("graphql", version)  # every documented sample ends with the slash


# The lexical tokens of a GraphQL document that matter to find its operations: strings (block strings first) and
# comments are skipped, names read whole (a `$variable` or `@directive` is not an operation's keyword).
_TOKENS = re.compile(r'"""(?:\\.|[^\\]|\n)*?"""|"(?:\\.|[^"\\\n])*"|#[^\n\r]*|[$@]?[_A-Za-z][_0-9A-Za-z]*|[{}()]')


def _changes(document: str) -> bool:
    """Whether ``document`` defines a mutation (or a GraphQL subscription): ``mutation`` as a keyword outside any
    selection and argument list. A field, an argument or a string merely named so is not."""
    depth = 0
    for token in _TOKENS.findall(document):
        if token in ("{", "("):
            depth += 1
        elif token in ("}", ")"):
            depth = max(depth - 1, 0)
        elif depth == 0 and token in ("mutation", "subscription"):
            return True
    return False


def _call(version: str, document: str, variables: Mapping[str, Any], decode: Decode[T]) -> Call[T]:
    return Call(
        "POST",
        _endpoint(version),
        decode=decode,
        json={"query": document, "variables": dict(variables)},
        has_body=True,
        idempotent=not _changes(document),
        # A refused query (syntax, validation, a limit) is a 400 in GraphQL's own error shape.
        status_errors=_status_errors(version),
    )


def _status_errors(version: str) -> tuple[tuple[int, Callable[..., APIStatusError]], ...]:
    # 410 Gone from a dated version: it is past its sunset date (`unstable` has none).
    if version == "unstable":
        return ((400, GraphQLError),)
    return ((400, GraphQLError), (410, partial(VersionSunsetError, version=version)))


def _data(where: str, body: Any, decoding: Decoding | None = None) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer; its ``errors``, when it has any, raised as a :class:`GraphQLError`."""
    if not isinstance(body, Mapping):
        raise ResponseDecodeError("expected a GraphQL answer: a JSON object with 'data' or 'errors'")
    errors = body.get("errors")
    if errors:
        raise GraphQLError(
            "",
            status_code=200,
            method="POST",
            url=where,
            errors=errors if isinstance(errors, list) else [errors],
            data=body.get("data"),
        )
    data = body.get("data")
    if not isinstance(data, dict):
        raise ResponseDecodeError("expected a GraphQL answer's 'data' to be a JSON object")
    return data


def _connection(data: Mapping[str, Any], connection: str) -> Mapping[str, Any]:
    value: Any = data
    for name in connection.split("."):
        value = value.get(name) if isinstance(value, Mapping) else None
    if not isinstance(value, Mapping) or not isinstance(value.get("edges"), list):
        raise ResponseDecodeError(f"expected {connection!r} in the answer to be a connection (with 'edges')")
    return value


def _page(where: str, connection: str, node: Callable[[Any, Decoding], T], body: Any, decoding: Decoding) -> Page[T]:
    found = _connection(_data(where, body), connection)
    items = []
    for index, edge in enumerate(found["edges"]):
        try:
            items.append(node(edge.get("node") if isinstance(edge, Mapping) else None, decoding))
        except ResponseDecodeError as exc:
            # Which record of the page: the message names the edge, the field is named inside it.
            raise ResponseDecodeError(f"{connection}.edges[{index}].node: {exc.message}") from None
    info = found.get("pageInfo")
    if not isinstance(info, Mapping):
        raise ResponseDecodeError(f"expected {connection!r} to have a 'pageInfo' (select hasNextPage endCursor)")
    cursor = info.get("endCursor")
    more = info.get("hasNextPage") is True and isinstance(cursor, str) and cursor != ""
    return Page(items=items, next_url=None, after=cursor if more else None)


def _plain_node(node: Any, decoding: Decoding) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise ResponseDecodeError("expected each edge of the connection to have a 'node' object")
    return node


def _document(document: object) -> str:
    if not isinstance(document, str) or not document.strip():
        given = shown(document) if isinstance(document, str) else type(document).__name__
        raise ConfigurationError(f"query must be a GraphQL document (a non-empty string), got {given}")
    return document


def _variables(variables: object) -> dict[str, Any]:
    if variables is None:
        return {}
    if not isinstance(variables, Mapping) or not all(isinstance(key, str) for key in variables):
        raise ConfigurationError(f"variables must be a mapping of names to values, got {type(variables).__name__}")
    return dict(variables)


def query(version: str, document: str, variables: Mapping[str, Any] | None = None) -> Call[dict[str, Any]]:
    where = _endpoint(version)
    return _call(version, _document(document), _variables(variables), partial(_data, where))


def paginate(
    version: str, document: str, variables: Mapping[str, Any] | None, connection: str
) -> Call[Page[dict[str, Any]]]:
    _document(document)
    if not isinstance(connection, str) or not connection.strip():
        raise ConfigurationError(f"connection must name the connection field (such as 'orders'), got {connection!r}")
    # The pager continues with `after` set to the last page's endCursor: the document must take it.
    if "$after" not in document:
        raise ConfigurationError("a paginated query must declare $after and pass it to the connection (after: $after)")
    where = _endpoint(version)
    return _call(version, document, _variables(variables), partial(_page, where, connection, _plain_node))


# -- the typed calls -----------------------------------------------------------------------------------------------


def _decoder(model: type[M]) -> Callable[[Any, Decoding], M]:
    """A node's decoder, as strict as the client (off-spec values kept in ``unparsed``, or refused)."""

    def decode(node: Any, decoding: Decoding) -> M:
        if not isinstance(node, Mapping):
            raise ResponseDecodeError(f"expected a {model.__name__} object")
        return model_from_dict(model, node, strict=decoding.strict)

    return decode


def _one(model: type[M], root: str, where: str, body: Any, decoding: Decoding) -> M | None:
    node = _data(where, body).get(root)
    return None if node is None else _decoder(model)(node, decoding)


def _public_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        given = shown(value) if isinstance(value, str) else repr(value)
        raise ConfigurationError(f"public_id must be a non-empty string, got {given}")
    return value


def _text(name: str, value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigurationError(f"{name} must be a non-empty string, got {value!r}")
    return value


def _boolean(name: str, value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, got {value!r}")
    return value


def _date(name: str, value: object) -> dt.date | None:
    if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
        raise ConfigurationError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _statuses(value: object) -> list[int] | None:
    """``status`` as the ``[Int!]`` the root field takes: one status (an ``og.OrderStatus`` or its int) or several."""
    if value is None:
        return None
    values = list(value) if isinstance(value, Sequence | set | frozenset) and not isinstance(value, str) else [value]
    result = [int(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if not values or len(result) != len(values):
        raise ConfigurationError(f"status must be an order status (an int) or a list of them, got {value!r}")
    return result


def _page_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {value!r}")
    return value


def _typed_one(version: str, typed: TypedQuery[M], public_id: str) -> Call[M | None]:
    variables = typed.variables(public_id=_public_id(public_id))
    return _call(version, typed.document, variables, partial(_one, typed.model, typed.root, _endpoint(version)))


def _typed_list(version: str, typed: TypedQuery[M], **values: Any) -> Call[Page[M]]:
    where = _endpoint(version)
    decode = partial(_page, where, typed.root, _decoder(typed.model))
    return _call(version, typed.document, typed.variables(**values), decode)


def subscription(version: str, public_id: str) -> Call[Subscription | None]:
    return _typed_one(version, SUBSCRIPTION, public_id)


def order(version: str, public_id: str) -> Call[Order | None]:
    return _typed_one(version, ORDER, public_id)


def subscriptions(version: str, customer: str | None, live: bool | None, page_size: int) -> Call[Page[Subscription]]:
    return _typed_list(
        version,
        SUBSCRIPTIONS,
        customer=_text("customer", customer),
        live=_boolean("live", live),
        first=_page_size(page_size),
    )


def orders(
    version: str,
    *,
    customer: str | None,
    status: object,
    subscription: str | None,
    place: dt.date | None,
    place_start: dt.date | None,
    place_end: dt.date | None,
    include_prepaid_orders: bool | None,
    in_stock: bool | None,
    page_size: int,
) -> Call[Page[Order]]:
    values: dict[str, Any] = {
        "customer": _text("customer", customer),
        "status": _statuses(status),
        "subscription": _text("subscription", subscription),
        "place": _date("place", place),
        "place_start": _date("place_start", place_start),
        "place_end": _date("place_end", place_end),
        "include_prepaid_orders": _boolean("include_prepaid_orders", include_prepaid_orders),
        "first": _page_size(page_size),
    }
    # inStock is newer (unconfirmed in 2026-01): only a call that filters on it sends the document naming it.
    if _boolean("in_stock", in_stock) is None:
        return _typed_list(version, ORDERS, **values)
    return _typed_list(version, ORDERS_IN_STOCK, in_stock=in_stock, **values)
