"""What users' type checkers see: enum fields as their enums, the public API typed (pyright --verifytypes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from payloads import order_payload, product_payload, subscription_payload

import ordergroove as og

# The share of the public symbols whose type is known, as `pyright --verifytypes ordergroove --ignoreexternal`
# counts it (100% when this was written; a little room for a symbol pyright cannot infer).
MIN_COMPLETENESS = 0.99


def test_enum_fields_type_as_their_enum() -> None:
    # Type-checked by mypy --strict with the tests: `.name` is offered on the fields, no narrowing needed.
    subscription = og.from_dict(og.Subscription, subscription_payload(every_period=2))
    assert subscription.every_period is not None
    assert subscription.every_period.name == "WEEKS"
    order = og.from_dict(og.Order, order_payload(status=5))
    assert order.status.name == "SUCCESS"
    product = og.from_dict(og.Product, product_payload(every_period=3))
    assert product.every_period is not None and product.every_period.name == "MONTHS"


def test_an_unknown_enum_value_still_decodes_as_its_int() -> None:
    subscription = og.from_dict(og.Subscription, subscription_payload(every_period=9))
    assert subscription.every_period == 9 and not isinstance(subscription.every_period, og.Period)
    order = og.from_dict(og.Order, order_payload(status=42))
    assert order.status == 42 and not isinstance(order.status, og.OrderStatus)


def test_dir_shows_only_public_names() -> None:
    assert dir(og) == sorted(og.__all__)
    assert all(not name.startswith("_") or name == "__version__" for name in dir(og))


@pytest.mark.slow
def test_the_public_api_is_typed_for_users_type_checkers() -> None:
    bin_dir = Path(sys.executable).parent
    # pyright finds the installed package through the `python` first on PATH: this environment's.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-m", "pyright", "--verifytypes", "ordergroove", "--ignoreexternal", "--outputjson"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
    report = json.loads(result.stdout)["typeCompleteness"]
    incomplete = [symbol["name"] for symbol in report["symbols"] if symbol["isExported"] and not symbol["isTypeKnown"]]
    assert report["completenessScore"] >= MIN_COMPLETENESS, incomplete
