"""The limit arithmetic (og.graphql.measure) on the reference's examples, and the default selections within it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import ordergroove as og

graphql = pytest.importorskip("graphql")

# ordergroove-graphql.md §9.1 and §9.2, with the reference's own totals.
EXAMPLE_SUBSCRIPTION = (
    "query SubscriptionDetail($id: String!) { subscription(publicId: $id) { publicId live quantity every everyPeriod "
    "startDate price product { sku name price } customer { merchantUserId email } shippingAddress { city "
    "stateProvinceCode countryCode } prepaidSubscriptionContext { prepaidOrdersRemaining renewalBehavior } } }"
)
EXAMPLE_ORDERS = """
query UpcomingOrders($customer: String, $since: Date, $first: Int!, $after: String) {
  orders(customer: $customer, status: [1], placeStart: $since, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        publicId status place total currencyCode
        items {
          hasMore
          nodes {
            publicId quantity price
            product { sku name }
            subscription { publicId }
          }
        }
      }
    }
  }
}"""
# §5's worked sample: two scalars, one object with two scalars: 1+1+5+1+1 (the root field is not counted).
WORKED_SAMPLE = '{ order(publicId: "x") { publicId status customer { email firstName } } }'
# §5: "orders > edges > node > items > nodes > subscription > product > groups > name is nine levels".
NINE_LEVELS = "{ orders { edges { node { items { nodes { subscription { product { groups { name } } } } } } } } }"


@pytest.mark.parametrize(
    ("document", "depth", "complexity"),
    [(EXAMPLE_SUBSCRIPTION, 3, 37), (EXAMPLE_ORDERS, 7, 50), (WORKED_SAMPLE, 3, 9), (NINE_LEVELS, 9, 36)],
)
def test_the_reference_examples(document: str, depth: int, complexity: int) -> None:
    assert og.graphql.measure(document) == og.graphql.Cost(depth=depth, complexity=complexity, root_fields=1)


def test_fragments_count_as_the_fields_they_stand_for() -> None:
    inline = '{ subscription(publicId: "s") { publicId ... on SubscriptionType { product { sku } } } }'
    spread = '{ subscription(publicId: "s") { publicId ...P } } fragment P on SubscriptionType { product { sku } }'
    plain = '{ subscription(publicId: "s") { publicId product { sku } } }'
    assert og.graphql.measure(inline) == og.graphql.measure(spread) == og.graphql.measure(plain)
    assert og.graphql.measure(plain).complexity == 7


def test_a_fragment_cycle_is_not_followed_forever() -> None:
    cyclic = '{ order(publicId: "o") { ...A } } fragment A on OrderType { publicId ...A }'
    assert og.graphql.measure(cyclic).complexity == 1


def test_root_fields_are_counted_and_the_operation_can_be_named() -> None:
    two = '{ order(publicId: "o") { publicId } subscription(publicId: "s") { publicId live } }'
    assert og.graphql.measure(two) == og.graphql.Cost(depth=2, complexity=3, root_fields=2)
    named = 'query A { order(publicId: "o") { publicId } } query B { orders { edges { cursor } } }'
    assert og.graphql.measure(named, "B").complexity == 6
    with pytest.raises(ValueError, match="exactly one operation"):
        og.graphql.measure(named)
    with pytest.raises(graphql.GraphQLError):
        og.graphql.measure("{ order(")


TYPED: list[og.graphql.TypedQuery[Any]] = [
    og.graphql.SUBSCRIPTION,
    og.graphql.SUBSCRIPTIONS,
    og.graphql.ORDER,
    og.graphql.ORDERS,
]


@pytest.mark.parametrize("query", [*TYPED, og.graphql.ORDERS_IN_STOCK], ids=lambda q: q.name)
def test_default_selections_stay_within_the_limits(query: og.graphql.TypedQuery[Any]) -> None:
    cost = og.graphql.measure(query.document)
    assert cost.root_fields == 1
    assert cost.depth <= og.graphql.MAX_DEPTH
    assert cost.complexity <= og.graphql.MAX_COMPLEXITY
    # The cost model is a plain sum: the page size is a variable and changes nothing; the emulator test sends 100.
    if query.connection:
        assert "first" in query.arguments


@pytest.mark.parametrize("query", TYPED, ids=lambda q: q.name)
def test_default_selections_are_valid_in_the_dated_version(
    query: og.graphql.TypedQuery[Any],
) -> None:
    for version in og.graphql.VERSIONS:
        schema = graphql.build_schema(og.graphql.schema_sdl(version))
        assert graphql.validate(schema, graphql.parse(query.document)) == [], version


def test_the_in_stock_selection_is_for_unstable_only() -> None:
    document = graphql.parse(og.graphql.ORDERS_IN_STOCK.document)
    assert graphql.validate(graphql.build_schema(og.graphql.schema_sdl("unstable")), document) == []
    refused = graphql.validate(graphql.build_schema(og.graphql.schema_sdl("2026-01")), document)
    assert [e.message for e in refused] == ["Unknown argument 'inStock' on field 'Query.orders'."]


def test_every_documented_argument_is_a_variable() -> None:
    schema = graphql.build_schema(og.graphql.schema_sdl("unstable"))
    assert schema.query_type is not None
    for query in [*TYPED, og.graphql.ORDERS_IN_STOCK]:
        documented = set(schema.query_type.fields[query.root].args)
        if query is og.graphql.ORDERS:
            documented.discard("inStock")  # newer: ORDERS_IN_STOCK carries it
        assert set(query.arguments.values()) == documented, query.name
        (operation,) = graphql.parse(query.document).definitions
        declared = {d.variable.name.value for d in operation.variable_definitions}
        assert declared == documented, query.name


def test_variables_leave_out_what_is_unset_and_spell_dates() -> None:
    variables = og.graphql.ORDERS.variables(
        customer="c1", status=[1, 6], place_start=dt.date(2025, 6, 1), include_prepaid_orders=None, first=100
    )
    assert variables == {"customer": "c1", "status": [1, 6], "placeStart": "2025-06-01", "first": 100}
    with pytest.raises(TypeError, match="in_stock"):
        og.graphql.ORDERS.variables(in_stock=True)
    with pytest.raises(TypeError, match="expected a date"):
        og.graphql.ORDERS.variables(place=dt.datetime(2025, 6, 1))
