"""docs/api.md names one SDK call per endpoint: for the resources of issue #17's second part (customers, addresses,
payments, products and the catalog, incentives, entitlements, cart and 1-click), each is a method of both clients."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import ordergroove as og

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"
RESOURCES = (
    "customers",
    "addresses",
    "payments",
    "products",
    "product_groups",
    "resources",
    "offer_profiles",
    "one_time_incentives",
    "entitlements",
    "cart",
    "one_click",
)


def _rows() -> list[tuple[str, str]]:
    calls = re.findall(r"`client\.([a-z_]+)\.([a-z_]+)`", API_MD.read_text(encoding="utf-8"))
    return [(resource, name) for resource, name in calls if resource in RESOURCES]


def test_the_table_lists_these_resources() -> None:
    assert {resource for resource, _ in _rows()} == set(RESOURCES)
    assert len(_rows()) == 43


@pytest.mark.parametrize(("resource", "name"), _rows(), ids=lambda v: str(v))
def test_each_row_is_a_method_of_both_clients(resource: str, name: str) -> None:
    sync = og.Ordergroove(api_key="k", base_url="http://localhost:1")
    try:
        method = getattr(getattr(sync, resource), name)
        assert callable(method)
        async_method = getattr(getattr(og.AsyncOrdergroove(api_key="k", base_url="http://localhost:1"), resource), name)
        # A list returns a pager; any other call is a coroutine on the async client.
        assert inspect.iscoroutinefunction(async_method) or "Pager" in str(inspect.signature(async_method))
    finally:
        sync.close()


def _path_rows() -> list[tuple[str, str]]:
    from api_table import rows

    return [(call, path) for _, _, path, call, _, _ in rows()]


@pytest.mark.parametrize(("call", "path"), _path_rows(), ids=lambda v: str(v))
def test_path_parameters_are_positional_only_and_nothing_else_is(call: str, path: str) -> None:
    # DESIGN: path ids positional-only, in path order; every other argument may be given by name.
    placeholders = re.findall(r"\{([^}]+)\}", path)
    resource, name = call.split(".")
    for client in (og.Ordergroove(api_key="k", base_url="http://localhost:1"), og.AsyncOrdergroove(api_key="k")):
        params = list(inspect.signature(getattr(getattr(client, resource), name)).parameters.values())
        kinds = [p.kind for p in params]
        positional_only = kinds.count(inspect.Parameter.POSITIONAL_ONLY)
        assert positional_only == len(placeholders), (call, [p.name for p in params])
        assert all(kind is inspect.Parameter.POSITIONAL_ONLY for kind in kinds[:positional_only])
        if isinstance(client, og.Ordergroove):
            client.close()
