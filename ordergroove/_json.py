"""JSON parsing: orjson when it is installed (``pip install "ordergroove[fast]"``), else the standard library.

Both refuse what is not JSON with a ``ValueError``; callers turn that into ``ResponseDecodeError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

loads: Callable[[bytes | str], Any]

try:
    import orjson
except ImportError:  # pragma: no cover - exercised where orjson is absent
    loads = json.loads
    PARSER = "json"
else:
    loads = orjson.loads
    PARSER = "orjson"
