"""JSON parsing: orjson when it is installed (``pip install "ordergroove[fast]"``), else the standard library.

Both refuse what is not JSON — NaN, Infinity and numbers too large for a float included — with a ``ValueError``;
callers turn that into ``ResponseDecodeError``. One difference remains: orjson reads an integer beyond 64 bits as a
float, while the standard library keeps it exact. Ordergroove sends none (its ids are strings); checking every
body for one costs more than parsing it, so the fast parser is used as it is.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any


def _refuse(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number {text} is too large for a float")
    return value


# The standard library's parser, as strict as orjson (it accepts NaN and Infinity unless told not to).
strict_json_loads: Callable[[bytes | str], Any] = functools.partial(
    json.loads, parse_constant=_refuse, parse_float=_finite
)

loads: Callable[[bytes | str], Any]

try:
    import orjson
except ImportError:  # pragma: no cover - exercised where orjson is absent
    loads = strict_json_loads
    PARSER = "json"
else:
    loads = orjson.loads
    PARSER = "orjson"
