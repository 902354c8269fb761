"""The sync surface is the async one without ``await``: every public name and signature of both clients, their
resources and pagers, and the Gladly timeline clients, compared; and the generated sync code is fresh.

The sync code is generated from the async source (``scripts/generate_sync.py``); this test is what catches a hand
edit of the generated files, or a source change without regenerating, before CI's ``--check`` does.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ordergroove as og
from ordergroove import gladly

ROOT = Path(__file__).resolve().parents[2]

# Async name -> sync name, where the sync one is not the async one less "a"/"Async".
_RENAMED = {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__", "__aiter__": "__iter__"}


def _sync_name(name: str) -> str:
    return _RENAMED.get(name, name)


def _sync_annotation(text: str) -> str:
    """An async annotation as its sync twin writes it (the generator's renames, applied to the text)."""
    text = text.replace("AsyncPager", "SyncPager")
    return re.sub(r"\bAsync(?=[A-Z])", "", text)


def _public(obj: Any) -> dict[str, Any]:
    names = {name for name in dir(obj) if not name.startswith("_") or name in _RENAMED or name in _RENAMED.values()}
    return {name: getattr(obj, name) for name in names if name not in ("__init_subclass__", "__class_getitem__")}


def _methods(cls: type[Any]) -> dict[str, Any]:
    found = {}
    for name, value in _public(cls).items():
        if inspect.isfunction(value) and (not name.startswith("__") or name in _RENAMED or name in _RENAMED.values()):
            found[name] = value
    return found


def _signature(fn: Any, *, from_async: bool) -> list[tuple[str, str, str, str]]:
    params = []
    for param in inspect.signature(fn).parameters.values():
        annotation = str(param.annotation)
        params.append((param.name, str(param.kind), repr(param.default), annotation))
    if from_async:
        params = [(n, k, d, _sync_annotation(a)) for n, k, d, a in params]
    return params


def _return(fn: Any, *, from_async: bool) -> str:
    text = str(inspect.signature(fn).return_annotation)
    return _sync_annotation(text) if from_async else text


def _compare(sync_cls: type[Any], async_cls: type[Any]) -> None:
    sync_methods = _methods(sync_cls)
    async_methods = {_sync_name(name): fn for name, fn in _methods(async_cls).items()}
    assert sorted(sync_methods) == sorted(async_methods), (sync_cls, async_cls)
    for name, sync_fn in sync_methods.items():
        async_fn = async_methods[name]
        where = f"{sync_cls.__name__}.{name} / {async_cls.__name__}"
        assert _signature(sync_fn, from_async=False) == _signature(async_fn, from_async=True), where
        assert _return(sync_fn, from_async=False) == _return(async_fn, from_async=True), where
        assert inspect.getdoc(sync_fn) == inspect.getdoc(async_fn), where
        # Same kind of callable, the async one awaitable where the sync one does I/O.
        assert not inspect.iscoroutinefunction(sync_fn) and not inspect.isasyncgenfunction(sync_fn), where
        if inspect.isgeneratorfunction(sync_fn):
            assert inspect.isasyncgenfunction(async_fn), where
    assert inspect.getdoc(sync_cls) == inspect.getdoc(async_cls)


def _resources(client: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(client).items()
        if not name.startswith("_") and type(value).__module__.startswith("ordergroove.")
    }


@pytest.fixture
async def clients(clean_env: None) -> Any:
    sync_client = og.Ordergroove(api_key="k")
    async_client = og.AsyncOrdergroove(api_key="k")
    yield sync_client, async_client
    sync_client.close()
    await async_client.aclose()


def test_the_clients_have_the_same_names_and_signatures() -> None:
    _compare(og.Ordergroove, og.AsyncOrdergroove)
    assert _signature(og.Ordergroove.__init__, from_async=False) == _signature(
        og.AsyncOrdergroove.__init__, from_async=True
    )


def test_every_resource_has_the_same_methods_and_signatures(clients: Any) -> None:
    sync_client, async_client = clients
    sync_resources, async_resources = _resources(sync_client), _resources(async_client)
    assert sorted(sync_resources) == sorted(async_resources)
    assert {"customers", "subscriptions", "orders", "checkout", "products", "graphql"} <= set(sync_resources)
    for name, resource in sync_resources.items():
        async_resource = async_resources[name]
        assert type(async_resource).__name__ == "Async" + type(resource).__name__
        assert _methods(type(resource)), name  # not an empty class
        _compare(type(resource), type(async_resource))


def test_every_async_resource_call_is_awaitable_or_a_pager(clients: Any) -> None:
    _, async_client = clients
    for name, resource in _resources(async_client).items():
        for method_name, fn in _methods(type(resource)).items():
            returns = str(inspect.signature(fn).return_annotation)
            assert inspect.iscoroutinefunction(fn) or returns.startswith("AsyncPager["), (name, method_name)


def test_the_pagers_have_the_same_names_and_signatures() -> None:
    _compare(og.SyncPager, og.AsyncPager)
    assert inspect.isasyncgenfunction(og.AsyncPager.pages) and inspect.isgeneratorfunction(og.SyncPager.pages)
    for name in ("to_list", "to_dataframe"):
        assert inspect.iscoroutinefunction(getattr(og.AsyncPager, name)), name


def test_the_gladly_timeline_clients_have_the_same_names_and_signatures() -> None:
    _compare(gladly.GladlyClient, gladly.AsyncGladlyClient)
    assert inspect.iscoroutinefunction(gladly.AsyncGladlyClient.add_activity)
    assert not inspect.iscoroutinefunction(gladly.GladlyClient.add_activity)


def test_the_comparison_notices_a_difference() -> None:
    class Sync:
        def call(self, a: int, *, timeout: float | None = None) -> int:
            return a

    class AsyncSync:
        async def call(self, a: int, *, timeout: float | None = 1.0) -> int:
            return a

    with pytest.raises(AssertionError):
        _compare(Sync, AsyncSync)


@pytest.mark.parametrize(
    "package", ["ordergroove/_async", "ordergroove/_sync", "ordergroove/gladly/_async", "ordergroove/gladly/_sync"]
)
def test_the_generated_files_say_so_and_the_sources_do_not(package: str) -> None:
    files = sorted((ROOT / package).glob("*.py"))
    assert files
    for path in files:
        generated = path.read_text("utf-8").startswith("# Generated by scripts/generate_sync.py")
        assert generated == package.endswith("_sync"), path


def test_the_generated_sync_code_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_sync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
