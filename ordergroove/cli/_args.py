"""Argument types shared by the ``ordergroove`` command's subcommands (argparse ``type=`` callables)."""

from __future__ import annotations

import argparse
import datetime as dt

from .. import Period


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def period_arg(text: str) -> Period:
    try:
        return Period[text.upper()] if not text.isdigit() else Period(int(text))
    except (KeyError, ValueError):
        raise argparse.ArgumentTypeError(f"expected days, weeks, months, years or 1-4, got {text!r}") from None


def bool_arg(text: str) -> bool:
    if text.lower() in ("true", "yes", "1"):
        return True
    if text.lower() in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")
