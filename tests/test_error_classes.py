"""Every exception of the package is defined in one module and reachable from ``ordergroove.errors``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest

import ordergroove as og
from ordergroove import _exceptions, errors

HOME = "ordergroove._exceptions"


def _every_module() -> list[ModuleType]:
    """Every module of the package, imported (``__main__`` would run the command)."""
    names = [info.name for info in pkgutil.walk_packages(og.__path__, "ordergroove.")]
    assert "ordergroove.gladly._errors" in names and "ordergroove.webhooks._events" in names  # the walk sees them
    return [og, *(importlib.import_module(name) for name in names if not name.endswith(".__main__"))]


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_ordergroove_error_of_the_package_is_defined_in_the_one_module() -> None:
    modules = _every_module()
    # The classes bound in a module, and those defined anywhere else (in a function, say) that exist by now.
    bound = {
        value
        for module in modules
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, og.OrdergrooveError)
    }
    defined = {cls for cls in _subclasses(og.OrdergrooveError) if cls.__module__.startswith("ordergroove")}
    # The walk saw the extras' modules too, not only the core's.
    assert {
        errors.FeedUploadError,
        errors.FieldEncryptionError,
        errors.GladlyAPIError,
        errors.WebhookPayloadError,
    } <= bound
    assert bound >= defined
    misplaced = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in bound | defined if cls.__module__ != HOME)
    assert misplaced == []


def test_every_exception_is_in_ordergroove_errors() -> None:
    for cls in [og.OrdergrooveError, *_subclasses(og.OrdergrooveError)]:
        if cls.__module__ == HOME:
            assert getattr(errors, cls.__name__) is cls, cls
            assert cls.__name__ in errors.__all__, cls
    assert set(errors.__all__) == set(_exceptions.__all__)
    assert all(getattr(errors, name) is getattr(_exceptions, name) for name in errors.__all__)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("ordergroove", "WebhookPayloadError"),
        ("ordergroove.webhooks", "WebhookPayloadError"),
        ("ordergroove.webhooks", "WebhookVerificationError"),
        ("ordergroove.crypto", "FieldEncryptionError"),
        ("ordergroove.feed", "FeedValidationError"),
        ("ordergroove.feed", "FeedUploadError"),
        ("ordergroove.gladly", "GladlyAPIError"),
        ("ordergroove.gladly", "GladlyErrorItem"),
        ("ordergroove.gladly", "GladlySignatureError"),
    ],
)
def test_the_old_homes_still_export_their_errors(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(errors, name)


def test_the_extras_errors_load_nothing_of_the_extras() -> None:
    code = (
        "import sys\n"
        "from ordergroove.errors import FeedUploadError, FieldEncryptionError, GladlyAPIError, GladlySignatureError\n"
        "loaded = {m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'paramiko', 'cryptography'}\n"
        "assert not loaded, loaded\n"
        "assert not [m for m in sys.modules if m.startswith(('ordergroove.gladly', 'ordergroove.feed'))]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_graphql_error_is_public_and_a_status_error() -> None:
    # A refused query is an error answer (400), as is a 200 carrying `errors`: both are caught as status errors.
    assert og.GraphQLError is errors.GraphQLError is _exceptions.GraphQLError
    assert "GraphQLError" in og.__all__ and "GraphQLError" in errors.__all__
    assert issubclass(og.GraphQLError, og.APIStatusError)
