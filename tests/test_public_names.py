"""The public names: ``ordergroove``'s name -> module table, and the feed, cli and webhooks packages on it."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import ordergroove as og

PACKAGE = Path(og.__file__).parent


def _imported_names(body: list[ast.stmt]) -> dict[str, str]:
    """``from .X import name as name`` statements of ``body`` as {name: "X"}; ``from . import name`` as {name: name}."""
    names: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1, ast.unparse(node)
            for alias in node.names:
                # "as name": the explicit re-export that strict type checkers require (the __all__ is computed).
                assert alias.asname == alias.name, ast.unparse(node)
                names[alias.name] = node.module or alias.name
    return names


def _init_tree() -> ast.Module:
    return ast.parse((PACKAGE / "__init__.py").read_text())


def test_all_is_the_lazy_table_and_the_eager_names() -> None:
    assert not set(og._EAGER) & set(og._LAZY)
    assert len(og.__all__) == len(set(og.__all__)) == len(og._EAGER) + len(og._LAZY)
    assert set(og.__all__) == set(og._EAGER) | set(og._LAZY)
    assert all(not name.startswith("_") or name == "__version__" for name in og.__all__)


def test_every_name_of_the_table_comes_from_its_module() -> None:
    for name, home in og._LAZY.items():
        module = importlib.import_module(f"ordergroove.{home}")
        expected = module if home == name else getattr(module, name)
        assert getattr(og, name) is expected, name


def test_the_type_checking_block_names_what_the_table_does() -> None:
    blocks = [
        node for node in _init_tree().body if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    ]
    assert len(blocks) == 1
    assert _imported_names(blocks[0].body) == og._LAZY


def test_the_eager_imports_are_the_eager_names() -> None:
    eager = _imported_names([node for node in _init_tree().body if isinstance(node, ast.ImportFrom)])
    assert set(eager) == set(og._EAGER)
    for name, home in eager.items():
        module = importlib.import_module(f"ordergroove.{home}")
        assert getattr(og, name) is (module if home == name else getattr(module, name)), name


def test_import_binds_the_eager_names_only_and_resolves_the_lazy_ones_on_first_use() -> None:
    code = """
import json, sys
import ordergroove as og
bound = sorted(name for name in vars(og) if not name.startswith("_") or name == "__version__")
loaded = sorted(name for name in og._LAZY.values() if f"ordergroove.{name}" in sys.modules)
resolved = [name for name in og._LAZY if getattr(og, name) is not None and name in vars(og)]
print(json.dumps({"bound": bound, "loaded": loaded, "resolved": resolved}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen = json.loads(result.stdout)
    assert seen["bound"] == sorted(og._EAGER)
    assert seen["loaded"] == []  # none of the lazy homes is loaded by "import ordergroove"
    assert seen["resolved"] == list(og._LAZY)


def test_dir_and_star_import_show_the_public_names_only() -> None:
    og.Subscription  # noqa: B018 - a resolved lazy name must not bring private ones into dir()
    assert dir(og) == sorted(og.__all__)
    namespace: dict[str, object] = {}
    exec("from ordergroove import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(og.__all__)


def test_the_typed_forms_of_fields_are_public_names() -> None:
    # The classes a field's attribute may be (docs/models.md): tested for with isinstance, so named on ``og``.
    from ordergroove import models

    assert {"ComponentIds", "JSONText"} <= set(og.__all__)
    assert og.ComponentIds is models.ComponentIds and og.JSONText is models.JSONText
    legacy = og.from_dict(
        og.Subscription,
        {
            "public_id": "s",
            "customer": "c",
            "product": "p",
            "live": True,
            "components": "A,B",
            "extra_data": '{"gift": true}',
        },
    )
    assert isinstance(legacy.components, og.ComponentIds) and isinstance(legacy.extra_data, og.JSONText)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        og.Nope  # noqa: B018


@pytest.mark.parametrize("package", ["feed", "cli", "webhooks", "graphql"])
def test_a_package_init_only_re_exports_from_its_private_modules(package: str) -> None:
    folder = PACKAGE / package
    modules = sorted(path.stem for path in folder.glob("*.py") if path.name != "__init__.py")
    assert modules and all(name.startswith("_") for name in modules), modules
    tree = ast.parse((folder / "__init__.py").read_text())
    exported: set[str] = set()
    declared: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1 and (node.module or "").startswith("_"), ast.unparse(node)
            exported |= {alias.asname or alias.name for alias in node.names}
        else:
            assert isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__", ast.unparse(node)
            declared = ast.literal_eval(node.value)
    assert sorted(declared) == sorted(exported)
    public = importlib.import_module(f"ordergroove.{package}")
    assert all(getattr(public, name) is not None for name in declared)


def test_the_console_script_is_cli_main() -> None:
    from ordergroove.cli import _main

    (script,) = entry_points(group="console_scripts", name="ordergroove")
    assert script.value == "ordergroove.cli:main"
    assert script.load() is _main.main


# What the command takes from the library's private modules: nothing (what it needed was made public:
# og.export_cursor_path for the "--resume" hint, og.PRODUCTS_BATCH_SIZE for products sync's progress per request).
COMMAND_PRIVATE_IMPORTS: set[tuple[str, str]] = set()


def test_the_command_imports_the_public_surface() -> None:
    private: set[tuple[str, str]] = set()
    for path in (PACKAGE / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("ordergroove") for alias in node.names), (path, ast.unparse(node))
            if not isinstance(node, ast.ImportFrom) or node.level == 1:
                continue  # not an import from the library, or one of the command's own modules
            if node.level == 0:  # "from ordergroove.X import ...", as "from ..X import ..."
                absolute = node.module or ""
                if absolute != "ordergroove" and not absolute.startswith("ordergroove."):
                    continue  # the standard library or a third party
                module = absolute.removeprefix("ordergroove").removeprefix(".") or None
            else:
                assert node.level == 2, (path, ast.unparse(node))
                module = node.module
            if module in (None, "feed", "testing", "gladly", "webhooks"):
                continue
            private |= {(module, alias.name) for alias in node.names}
    assert private == COMMAND_PRIVATE_IMPORTS


def test_batch_error_is_public_with_the_other_errors() -> None:
    # Raised by products.batch_create/batch_update: caught as og.BatchError, like every error, eagerly bound.
    assert og.BatchError is og.errors.BatchError
    assert "BatchError" in og._EAGER and "BatchError" in og.errors.__all__
