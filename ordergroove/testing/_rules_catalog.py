"""Rules of the catalog and merchant endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ordergroove.testing._context import Call
from ordergroove.testing._store import Record


def product_view(call: Call, record: Record) -> Record:
    return record


HANDLERS: dict[str, Callable[[Call], tuple[int, Any]]] = {}
