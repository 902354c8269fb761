"""Where extras attach to the core, from their side: the core never imports an extra's module.

``ordergroove.frames`` (the ``pandas`` extra) registers its ``to_dataframe`` here when it is imported; a pager's
``to_dataframe`` imports the extra by name, at call time, only if it has not registered yet. So ``import
ordergroove`` never loads pandas, and a user without it gets a :class:`~ordergroove.errors.ConfigurationError`
naming the extra.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigurationError

if TYPE_CHECKING:
    import pandas as pd

Money = Literal["float", "decimal"]

# The module that registers the DataFrame hook, named here (not imported) so that the core does not depend on it.
FRAMES_MODULE = "ordergroove.frames"

_to_dataframe: Callable[..., pd.DataFrame] | None = None


def register_dataframe(convert: Callable[..., pd.DataFrame]) -> None:
    """Called by ``ordergroove.frames`` on import: the function pagers hand their records to."""
    global _to_dataframe
    _to_dataframe = convert


def to_dataframe(records: list[Any], *, money: Money) -> pd.DataFrame:
    if _to_dataframe is None:
        importlib.import_module(FRAMES_MODULE)  # registers itself
    convert = _to_dataframe
    if convert is None:  # a broken install: the module is there but did not register
        raise ConfigurationError(f"{FRAMES_MODULE} did not register its to_dataframe")
    return convert(records, money=money)
