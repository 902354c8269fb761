"""The ``Sunset`` header: Ordergroove's notice that what was asked (a dated GraphQL version) will stop answering.

Ordergroove documents the header (reference: a dated GraphQL version's answers carry it during the 12 months
after a newer version ships, then it answers 410 Gone) but not its date format: RFC 8594 uses an HTTP-date
(``Sat, 01 Jan 2028 00:00:00 GMT``). The date is therefore shown as sent, and read here and nowhere else
(:func:`sunset_date`), so that a correction is a one-place change.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import threading

__all__ = ["SunsetNotice", "sunset_date", "sunset_warning"]

logger = logging.getLogger("ordergroove")

# A header value is shown, never a whole page of it: a sane date is some 30 characters.
_SHOWN = 80
_GRAPHQL_PATH = re.compile(r"/graphql/([^/]+)/")


def sunset_date(value: str) -> dt.datetime | None:
    """The moment a ``Sunset`` value names (an HTTP-date, or an ISO 8601 date or datetime), aware; None when it
    is neither (it is then shown as sent, unread)."""
    text = value.strip()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


def sunset_warning(value: str, method: str, path: str) -> str:
    """The warning for a ``Sunset`` header on the answer to ``method path``: the date as sent, and what to do."""
    shown = " ".join(value.split())
    if len(shown) > _SHOWN:
        shown = shown[: _SHOWN - 3] + "..."
    when = sunset_date(value)
    read = f" ({when.date().isoformat()})" if when is not None and when.isoformat() != value.strip() else ""
    version = _GRAPHQL_PATH.search(path)
    if version is not None:
        return (
            f"Ordergroove's GraphQL API version {version.group(1)} is deprecated: its sunset date is {shown!r}{read}, "
            "after which it answers 410 Gone (og.VersionSunsetError); set graphql_version to a newer version "
            f"(seen on {method} {path})"
        )
    return (
        f"Ordergroove announces a sunset date of {shown!r}{read} for {method} {path}: after it, that endpoint may "
        "stop answering"
    )


class SunsetNotice:
    """Logs the first ``Sunset`` header a client (with its ``with_options`` copies) receives, once, as a warning."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._warned = False

    def __call__(self, value: str | None, method: str, path: str) -> None:
        if value is None or self._warned:
            return
        with self._lock:
            if self._warned:
                return
            self._warned = True
        logger.warning("%s", sunset_warning(value, method, path))
