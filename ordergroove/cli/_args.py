"""Argument types shared by the ``ordergroove`` command's subcommands (argparse ``type=`` callables).

An enum's value is given by its name in any case, with ``-``, ``_`` or a space between words, a period's name
singular or plural (``month``, ``MONTHS``), or by its number: ``--period months`` and ``--status unsent`` alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
from typing import TypeVar

from .. import OrderStatus, Period
from ._errors import quoted

E = TypeVar("E", bound=enum.IntEnum)


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {quoted(text)}") from None


def names(kind: type[enum.IntEnum]) -> str:
    """The accepted names of an enum as the command spells them: ``days, weeks, months, years``."""
    return ", ".join(member.name.lower().replace("_", "-") for member in kind)


def _member(kind: type[E], text: str, *, plural: bool = False) -> E | None:
    key = text.strip().upper().replace("-", "_").replace(" ", "_")
    if plural and key and not key.isdigit() and not key.endswith("S"):
        key += "S"
    if key.isdigit():
        try:
            return kind(int(key))
        except ValueError:
            return None
    return kind.__members__.get(key)


def period_arg(text: str) -> Period:
    found = _member(Period, text, plural=True)
    if found is None:
        raise argparse.ArgumentTypeError(f"expected {names(Period)} (or 1-4), got {quoted(text)}")
    return found


def status_arg(text: str) -> OrderStatus | int:
    """An order status by name (``unsent``, ``send-now``) or by code; a code Ordergroove added since is kept."""
    if text.strip().isdigit():
        code = int(text)
        return OrderStatus(code) if code in OrderStatus._value2member_map_ else code
    found = _member(OrderStatus, text)
    if found is None:
        raise argparse.ArgumentTypeError(
            f"expected an order status ({names(OrderStatus)}) or its code, got {quoted(text)}"
        )
    return found


def bool_arg(text: str) -> bool:
    if text.lower() in ("true", "yes", "1"):
        return True
    if text.lower() in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {quoted(text)}")


def positive_arg(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {quoted(text)}")
    return int(text)
