"""The layers' import rules (``[tool.importlinter]`` in pyproject.toml) hold, and would catch a break."""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import api
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.domain.contract import ContractCheck

import ordergroove as og

PACKAGE = Path(og.__file__).parent
ROOT = PACKAGE.parent
EXTRAS = ("cli", "gladly", "testing", "frames")


def _configuration() -> dict[str, Any]:
    return api.read_configuration(str(ROOT / "pyproject.toml"))


def _contracts() -> dict[str, dict[str, Any]]:
    return {options["name"]: options for options in _configuration()["contracts_options"]}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # As lint-imports builds it: function-level and TYPE_CHECKING imports included, third parties as single nodes.
    return grimp.build_graph("ordergroove", include_external_packages=True)


def _check(graph: grimp.ImportGraph, options: dict[str, Any]) -> ContractCheck:
    assert options.get("type", "forbidden") == "forbidden"
    contract = ForbiddenContract(
        name=options.get("name", "test"),
        session_options=_configuration()["session_options"],
        contract_options={key: value for key, value in options.items() if key not in ("name", "type")},
    )
    return contract.check(copy.deepcopy(graph), verbose=False)  # check() removes the ignored imports from the graph


def _broken_imports(check: ContractCheck) -> set[str]:
    return {
        f"{link['importer']} -> {link['imported']}"
        for invalid in check.metadata["invalid_chains"]
        for chain in invalid["chains"]
        for link in chain
    }


def test_lint_imports_passes() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_every_contract_is_kept_here_too(graph: grimp.ImportGraph) -> None:
    contracts = _contracts()
    assert len(contracts) == 4
    for options in contracts.values():
        assert _check(graph, options).kept, options["name"]


def test_each_known_exception_is_a_real_import_the_contract_would_refuse(graph: grimp.ImportGraph) -> None:
    # Without its ignore_imports, a contract reports exactly the imports it lists: each is needed, and the contract
    # sees such an import (when one goes, so does its line).
    ignored = 0
    for options in _contracts().values():
        exceptions = set(options.get("ignore_imports", ()))
        if not exceptions:
            continue
        ignored += len(exceptions)
        check = _check(graph, {key: value for key, value in options.items() if key != "ignore_imports"})
        assert not check.kept
        assert exceptions <= _broken_imports(check), options["name"]
    assert ignored == 1


def test_a_rule_the_code_breaks_is_reported_with_function_level_and_type_checking_imports(
    graph: grimp.ImportGraph,
) -> None:
    # gladly._cli imports the face and gladly._app only inside a function; testing.plugin imports the face only for
    # type checkers.
    check = _check(
        graph,
        {
            "source_modules": ["ordergroove.gladly._cli", "ordergroove.testing.plugin"],
            "forbidden_modules": ["ordergroove", "ordergroove.gladly._app"],
            "as_packages": "False",
            "allow_indirect_imports": "True",
        },
    )
    assert not check.kept
    assert _broken_imports(check) == {
        "ordergroove.gladly._cli -> ordergroove",
        "ordergroove.gladly._cli -> ordergroove.gladly._app",
        "ordergroove.testing.plugin -> ordergroove",
    }


def test_an_extra_importing_a_private_module_breaks_the_contract(graph: grimp.ImportGraph) -> None:
    broken = copy.deepcopy(graph)
    broken.add_import(
        importer="ordergroove.testing._fake",
        imported="ordergroove._base_client",
        line_number=1,
        line_contents="import it",
    )
    broken.add_import(importer="ordergroove.models.order", imported="httpx", line_number=1, line_contents="import it")
    broken.add_import(
        importer="ordergroove._exchange", imported="ordergroove.gladly._app", line_number=1, line_contents="import it"
    )
    contracts = _contracts()
    verdicts = {name: _check(broken, options) for name, options in contracts.items()}
    assert not any(check.kept for check in verdicts.values())
    assert "ordergroove.testing._fake -> ordergroove._base_client" in _broken_imports(
        verdicts["The extras import the library's public modules only"]
    )
    assert "ordergroove.models.order -> httpx" in _broken_imports(
        verdicts["Models know no transport (no httpx, no client, no pager, no export)"]
    )


def _library_imports(path: Path, package: str) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) of each import of ``path`` from the library outside its own ``package``."""
    module_parts = ["ordergroove", *path.relative_to(PACKAGE).with_suffix("").parts]
    if module_parts[-1] == "__init__":
        module_parts.pop()
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.startswith("ordergroove")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level + (path.name == "__init__.py")]
                absolute = ".".join([*base, *([node.module] if node.module else [])])
            else:
                absolute = node.module or ""
            if absolute == "ordergroove" or absolute.startswith("ordergroove."):
                found.append((absolute, [alias.name for alias in node.names], node.lineno))
    own = f"ordergroove.{package}"
    return [
        (module, names, line) for module, names, line in found if module != own and not module.startswith(own + ".")
    ]


def test_the_extras_import_public_names_of_public_modules() -> None:
    # What import-linter cannot see: a private name taken from a public module (``from ordergroove.auth import _x``).
    options = _contracts()["The extras import the library's public modules only"]
    allowed = {tuple(expression.split(" -> ")) for expression in options.get("ignore_imports", ())}
    private = []
    files = 0
    for package in EXTRAS:
        paths = (
            [PACKAGE / f"{package}.py"]
            if (PACKAGE / f"{package}.py").exists()
            else sorted((PACKAGE / package).rglob("*.py"))
        )
        for path in paths:
            files += 1
            module = ".".join(["ordergroove", *path.relative_to(PACKAGE).with_suffix("").parts])
            for imported, names, line in _library_imports(path, package):
                parts = imported.split(".")[1:]
                if (module, imported) in allowed:
                    continue
                if any(part.startswith("_") for part in parts) or "resources" in parts:
                    private.append(f"{path.name}:{line} {imported}")
                # ``from ordergroove import webhooks`` names a module; ``from ordergroove.gladly import _forms``
                # (inside the extra) was left out above.
                private += [
                    f"{path.name}:{line} {imported}.{name}"
                    for name in names
                    if name.startswith("_") and not name.endswith("__")
                ]
    assert files > 30
    assert private == []
