"""The limits Ordergroove puts on a GraphQL request, and the one place their arithmetic is done.

Cost model (reference §5): 1 point per scalar field, 5 per field that returns an object (one with a
selection of its own); the root field itself is not counted. Depth counts the root field as level 1
(``subscription > product > sku`` is 3). Fragments count as the fields they stand for; an inline fragment
or a fragment spread is no level of its own. Whether list sizes multiply the cost is unconfirmed: the
published model is a plain sum, so ``first: 100`` costs what ``first: 1`` does.

``graphql-core`` parses the document; it is imported on first use (it is not needed to send queries).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from graphql import DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode

__all__ = ["MAX_COMPLEXITY", "MAX_DEPTH", "MAX_PAGE_SIZE", "Cost", "measure"]

MAX_DEPTH = 9
MAX_COMPLEXITY = 200
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
SCALAR_COST = 1
OBJECT_COST = 5


@attrs.frozen
class Cost:
    """What a query document costs: its depth and its complexity, with the number of its root fields."""

    depth: int
    complexity: int
    root_fields: int


def measure(document: str | DocumentNode, operation_name: str | None = None) -> Cost:
    """Depth and complexity of one operation of ``document`` (the only one, or ``operation_name``).

    Raises ``graphql.GraphQLError`` for a document that does not parse, and ``ValueError`` when the operation
    cannot be told (none, several without a name, an unknown name).
    """
    from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse

    tree = document if isinstance(document, DocumentNode) else parse(document)
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in tree.definitions if isinstance(d, FragmentDefinitionNode)}
    if operation_name is not None:
        operations = [op for op in operations if op.name is not None and op.name.value == operation_name]
    if len(operations) != 1:
        raise ValueError("the document must hold exactly one operation (or name the one to measure)")
    return _measure_operation(operations[0], fragments)


def _measure_operation(operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]) -> Cost:
    roots = list(_fields(operation.selection_set, fragments, ()))
    depth = 0
    complexity = 0
    for root in roots:
        if root.selection_set is None:
            depth = max(depth, 1)
            continue
        # (selection set, depth of the fields in it); iterative: a hostile document may nest very deep.
        stack: list[tuple[SelectionSetNode, int]] = [(root.selection_set, 2)]
        depth = max(depth, 1)
        while stack:
            selection_set, level = stack.pop()
            for field in _fields(selection_set, fragments, ()):
                depth = max(depth, level)
                if field.selection_set is None:
                    complexity += SCALAR_COST
                else:
                    complexity += OBJECT_COST
                    stack.append((field.selection_set, level + 1))
    return Cost(depth=depth, complexity=complexity, root_fields=len(roots))


def _fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: tuple[str, ...]
) -> list[FieldNode]:
    """The fields of a selection set, fragments spread in place (a fragment cycle is not followed again)."""
    from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

    found: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            found.extend(_fields(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                found.extend(_fields(fragment.selection_set, fragments, (*seen, name)))
    return found
