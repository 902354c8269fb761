from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


def extra_field() -> Any:
    """Fields Ordergroove sent that this version of the library does not know, kept as received."""
    return attrs.field(factory=dict, repr=False, kw_only=True)


def raw_field() -> Any:
    """The payload a model was decoded from (None when built in code); not part of equality or repr."""
    return attrs.field(default=None, init=False, eq=False, repr=False, hash=False)


RawPayload = Mapping[str, Any] | None
